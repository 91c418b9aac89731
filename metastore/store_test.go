package metastore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/scram"
	"github.com/hotdata-dev/hotdata/internal/testenv"
	"github.com/hotdata-dev/hotdata/metastore"
)

func testSealer(t *testing.T) *metastore.Sealer {
	t.Helper()
	s, err := metastore.NewSealer(bytes.Repeat([]byte{7}, metastore.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// backends lists how to get a fresh store URL on each backend.
func backends() map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string {
			return "sqlite://" + filepath.Join(t.TempDir(), "meta.db")
		},
		"postgres": func(t *testing.T) string {
			return testenv.Postgres(t)
		},
	}
}

func open(t *testing.T, url string, sealer *metastore.Sealer) *metastore.Store {
	t.Helper()
	s, err := metastore.Open(context.Background(), url, sealer)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformance runs the same suite against every backend.
func TestConformance(t *testing.T) {
	for name, newURL := range backends() {
		t.Run(name, func(t *testing.T) {
			cases := []struct {
				name string
				fn   func(t *testing.T, url string)
			}{
				{"Migrations", testMigrations},
				{"OrganizationsAndMembers", testOrganizationsAndMembers},
				{"Workspaces", testWorkspaces},
				{"Tokens", testTokens},
				{"Secrets", testSecrets},
				{"ConnectionsAndDiscovery", testConnectionsAndDiscovery},
				{"IndexesAndForeignKeys", testIndexesAndForeignKeys},
				{"Snapshots", testSnapshots},
				{"PoliciesReadsAndSchedule", testPoliciesReadsAndSchedule},
				{"QueryRunsAndResults", testQueryRunsAndResults},
				{"Jobs", testJobs},
				{"InterruptRESTRuns", testInterruptRESTRuns},
				{"Datasets", testDatasets},
				{"DeleteWorkspaceCascades", testDeleteWorkspaceCascades},
				{"OrganizationLifecycle", testOrganizationLifecycle},
				{"WorkspaceStatusAndSettings", testWorkspaceStatusAndSettings},
				{"SecretRotationAndDeletion", testSecretRotationAndDeletion},
				{"DeleteConnectionRetiresSnapshots", testDeleteConnectionRetiresSnapshots},
				{"GetAndRevokeToken", testGetAndRevokeToken},
				{"AuthVersionAndCandidates", testAuthVersionAndCandidates},
				{"ConcurrentWriters", testConcurrentWriters},
				{"PurgeHistory", testPurgeHistory},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) { c.fn(t, newURL(t)) })
			}
		})
	}
}

type fixture struct {
	s   *metastore.Store
	org metastore.Organization
	mem metastore.Member
	ws  metastore.Workspace
}

func newFixture(t *testing.T, url string) fixture {
	t.Helper()
	ctx := context.Background()
	s := open(t, url, testSealer(t))
	org, err := s.CreateOrganization(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	mem, err := s.CreateMember(ctx, org.ID, "ada", "ada@example.com", metastore.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := s.CreateWorkspace(ctx, org.ID, "analytics", metastore.Limits{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{s: s, org: org, mem: mem, ws: ws}
}

func testMigrations(t *testing.T, url string) {
	ctx := context.Background()
	s := open(t, url, testSealer(t))
	v1, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 < 1 {
		t.Fatalf("schema version %d after open, want >= 1", v1)
	}
	p1, err := s.SCRAMParams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Opening again applies nothing and keeps the install-wide settings.
	s2 := open(t, url, testSealer(t))
	v2, err := s2.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := s2.SCRAMParams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 != v2 || !bytes.Equal(p1.Salt, p2.Salt) || p1.Iterations != p2.Iterations {
		t.Fatalf("reopen changed state: version %d→%d, params %+v→%+v", v1, v2, p1, p2)
	}
	if len(p1.Salt) != 16 || p1.Iterations != scram.DefaultIterations {
		t.Fatalf("scram params = %+v", p1)
	}
}

func testOrganizationsAndMembers(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	if _, err := f.s.CreateOrganization(ctx, "acme"); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("duplicate organization: err = %v, want ErrConflict", err)
	}
	got, err := f.s.GetOrganizationByName(ctx, "acme")
	if err != nil || got.ID != f.org.ID || !got.CreatedAt.Equal(f.org.CreatedAt) {
		t.Fatalf("GetOrganizationByName = %+v, %v; want %+v", got, err, f.org)
	}
	if _, err := f.s.CreateMember(ctx, f.org.ID, "ada", "", metastore.RoleViewer); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("duplicate member: err = %v, want ErrConflict", err)
	}
	if _, err := f.s.CreateMember(ctx, f.org.ID, "bob", "", metastore.Role("god")); err == nil {
		t.Fatal("unknown role accepted")
	}
	bob, err := f.s.CreateMember(ctx, f.org.ID, "bob", "bob@example.com", metastore.RoleViewer)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetMemberRole(ctx, f.org.ID, bob.ID, metastore.RoleMember); err != nil {
		t.Fatal(err)
	}
	members, err := f.s.ListMembers(ctx, f.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 2 || members[0].Name != "ada" || members[1].Name != "bob" || members[1].Role != metastore.RoleMember || members[1].Email != "bob@example.com" {
		t.Fatalf("members = %+v", members)
	}
	other, err := f.s.CreateOrganization(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetMember(ctx, other.ID, bob.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("member seen from another organization: %v", err)
	}
	if err := f.s.DeleteMember(ctx, f.org.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteMember(ctx, f.org.ID, bob.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func testWorkspaces(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	byName, err := f.s.FindWorkspace(ctx, f.org.ID, "analytics")
	if err != nil || byName.ID != f.ws.ID || byName.Limits.Threads != 2 || byName.Status != metastore.WorkspaceActive || !byName.AutoResume {
		t.Fatalf("FindWorkspace by name = %+v, %v", byName, err)
	}
	byID, err := f.s.FindWorkspace(ctx, f.org.ID, f.ws.ID)
	if err != nil || byID.Name != "analytics" {
		t.Fatalf("FindWorkspace by id = %+v, %v", byID, err)
	}
	other, _ := f.s.CreateOrganization(ctx, "other")
	if _, err := f.s.FindWorkspace(ctx, other.ID, "analytics"); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("workspace of another organization found: %v", err)
	}
	// The same name may exist in another organization.
	if _, err := f.s.CreateWorkspace(ctx, other.ID, "analytics", metastore.Limits{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateWorkspace(ctx, f.org.ID, "analytics", metastore.Limits{}); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("duplicate workspace: %v", err)
	}
	w := byID
	w.Name, w.Status, w.Limits.MemoryBytes = "bi", metastore.WorkspaceSuspended, 1<<30
	if _, err := f.s.UpdateWorkspace(ctx, w); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.GetWorkspace(ctx, f.ws.ID)
	if err != nil || got.Name != "bi" || got.Status != metastore.WorkspaceSuspended || got.Limits.MemoryBytes != 1<<30 || got.Limits.Threads != 2 {
		t.Fatalf("after update = %+v, %v", got, err)
	}
	list, err := f.s.ListWorkspaces(ctx, f.org.ID)
	if err != nil || len(list) != 1 || list[0].ID != f.ws.ID {
		t.Fatalf("ListWorkspaces = %+v, %v", list, err)
	}
}

func testTokens(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	tok, text, err := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID, Name: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	if len(text) != 46 || text[:3] != "hd_" || tok.Prefix != text[:10] {
		t.Fatalf("token text %q, prefix %q", text, tok.Prefix)
	}
	p, err := f.s.AuthenticateToken(ctx, text)
	if err != nil {
		t.Fatal(err)
	}
	if p.Token.ID != tok.ID || p.Member.ID != f.mem.ID || p.Member.OrgID != f.org.ID || p.Member.Role != metastore.RoleAdmin {
		t.Fatalf("principal = %+v", p)
	}
	if _, err := f.s.AuthenticateToken(ctx, text+"x"); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("wrong token: %v", err)
	}
	// The stored verifier is what SCRAM derives from the text with the
	// install-wide parameters, and the text itself is stored nowhere.
	params, _ := f.s.SCRAMParams(ctx)
	want := scram.Derive(text, params.Salt, params.Iterations)
	creds, err := f.s.SCRAMCredentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(creds) != 1 || creds[0].TokenID != tok.ID || !bytes.Equal(creds[0].Keys.StoredKey, want.StoredKey) || !bytes.Equal(creds[0].Keys.ServerKey, want.ServerKey) {
		t.Fatalf("scram credentials = %+v", creds)
	}
	if bytes.Contains(tok.Hash, []byte(text)) {
		t.Fatal("token stored in clear")
	}

	fixed := "hd_fixedbootstraptokenforautomation0000000001"
	if _, _, err := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID, Text: fixed}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID, Text: fixed}); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("duplicate token text: %v", err)
	}
	past := time.Now().Add(-time.Minute)
	_, expiredText, err := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID, ExpiresAt: &past})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AuthenticateToken(ctx, expiredText); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("expired token accepted: %v", err)
	}
	scoped, _, err := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID, WorkspaceID: f.ws.ID})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := f.s.PrincipalByTokenID(ctx, scoped.ID)
	if err != nil || ps.Token.WorkspaceID != f.ws.ID {
		t.Fatalf("scoped token = %+v, %v", ps.Token, err)
	}

	if err := f.s.RevokeToken(ctx, f.mem.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AuthenticateToken(ctx, text); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("revoked token accepted: %v", err)
	}
	if _, err := f.s.PrincipalByTokenID(ctx, tok.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("revoked token by id accepted: %v", err)
	}
	creds, _ = f.s.SCRAMCredentials(ctx)
	for _, c := range creds {
		if c.TokenID == tok.ID {
			t.Fatal("revoked token still a SCRAM candidate")
		}
	}
	if len(creds) != 2 {
		t.Fatalf("%d SCRAM candidates, want 2 (fixed and scoped)", len(creds))
	}
	list, err := f.s.ListTokens(ctx, f.mem.ID)
	if err != nil || len(list) != 4 {
		t.Fatalf("ListTokens = %d, %v", len(list), err)
	}
	if err := f.s.TouchToken(ctx, scoped.ID); err != nil {
		t.Fatal(err)
	}
	ps, _ = f.s.PrincipalByTokenID(ctx, scoped.ID)
	if ps.Token.LastUsedAt == nil {
		t.Fatal("last_used_at not set")
	}
	// Removing the member removes its tokens.
	if err := f.s.DeleteMember(ctx, f.org.ID, f.mem.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AuthenticateToken(ctx, fixed); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("token of removed member accepted: %v", err)
	}
}

func testSecrets(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	sec, err := f.s.CreateSecret(ctx, f.ws.ID, "pg_password", []byte("s3cr3t"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateSecret(ctx, f.ws.ID, "pg_password", []byte("x")); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("duplicate secret: %v", err)
	}
	for _, ref := range []string{sec.ID, "pg_password"} {
		v, err := f.s.SecretValue(ctx, f.ws.ID, ref)
		if err != nil || string(v) != "s3cr3t" {
			t.Fatalf("SecretValue(%s) = %q, %v", ref, v, err)
		}
	}
	// Another workspace cannot read it.
	ws2, _ := f.s.CreateWorkspace(ctx, f.org.ID, "other", metastore.Limits{})
	if _, err := f.s.SecretValue(ctx, ws2.ID, sec.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("secret read from another workspace: %v", err)
	}
	// A store with another key cannot open it.
	otherKey, _ := metastore.NewSealer(bytes.Repeat([]byte{9}, metastore.KeySize))
	s2 := open(t, url, otherKey)
	if _, err := s2.SecretValue(ctx, f.ws.ID, sec.ID); !errors.Is(err, metastore.ErrSecretKey) {
		t.Fatalf("secret opened with the wrong key: %v", err)
	}
	if _, err := f.s.UpdateSecretValue(ctx, f.ws.ID, "pg_password", []byte("rotated")); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.s.SecretValue(ctx, f.ws.ID, "pg_password"); string(v) != "rotated" {
		t.Fatalf("after rotation: %q", v)
	}
	list, err := f.s.ListSecrets(ctx, f.ws.ID)
	if err != nil || len(list) != 1 || list[0].Name != "pg_password" {
		t.Fatalf("ListSecrets = %+v, %v", list, err)
	}
	if err := f.s.DeleteSecret(ctx, f.ws.ID, "pg_password"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetSecret(ctx, f.ws.ID, sec.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("deleted secret found: %v", err)
	}
}

func mkConnection(t *testing.T, f fixture, name string) metastore.Connection {
	t.Helper()
	c, err := f.s.CreateConnection(context.Background(), f.ws.ID, name, "postgres", json.RawMessage(`{"host":"db","port":5432}`), "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testConnectionsAndDiscovery(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	sec, _ := f.s.CreateSecret(ctx, f.ws.ID, "pw", []byte("x"))
	c, err := f.s.CreateConnection(ctx, f.ws.ID, "sales", "postgres", json.RawMessage(`{"host":"db","port":5432}`), sec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateConnection(ctx, f.ws.ID, "sales", "postgres", nil, ""); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("duplicate connection: %v", err)
	}
	got, err := f.s.GetConnection(ctx, f.ws.ID, "sales")
	if err != nil || got.ID != c.ID || got.SecretID != sec.ID || got.DiscoveryStatus != metastore.DiscoveryPending {
		t.Fatalf("GetConnection = %+v, %v", got, err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(got.Config, &cfg); err != nil || cfg["host"] != "db" {
		t.Fatalf("config = %s, %v", got.Config, err)
	}
	cols := []metastore.Column{{Name: "id", DataType: "integer", TypeOID: 23}, {Name: "note", DataType: "text", Nullable: true}}
	counts, err := f.s.ApplyDiscovery(ctx, c, []metastore.DiscoveredTable{
		{Schema: "public", Name: "orders", Columns: cols, PrimaryKey: []string{"id"}, RowEstimate: 10},
		{Schema: "public", Name: "users", Columns: cols},
	})
	if err != nil || counts != (metastore.DiscoveryCounts{Added: 2}) {
		t.Fatalf("first discovery = %+v, %v", counts, err)
	}
	if err := f.s.SetDiscovery(ctx, c.ID, metastore.DiscoverySucceeded, ""); err != nil {
		t.Fatal(err)
	}
	orders, err := f.s.GetTable(ctx, c.ID, "public", "orders")
	if err != nil {
		t.Fatal(err)
	}
	if orders.ConnectionName != "sales" || len(orders.Columns) != 2 || orders.Columns[0] != cols[0] || orders.PrimaryKey[0] != "id" || orders.RowEstimate != 10 || orders.Refresh != "manual" {
		t.Fatalf("orders = %+v", orders)
	}
	if err := f.s.SetTablePolicy(ctx, orders.ID, metastore.TablePolicy{Refresh: "every 15m", IncrementalColumn: "id"}); err != nil {
		t.Fatal(err)
	}
	// Rediscovery: orders changes, users vanishes, items appears; the
	// policy of orders survives.
	counts, err = f.s.ApplyDiscovery(ctx, c, []metastore.DiscoveredTable{
		{Schema: "public", Name: "orders", Columns: cols[:1]},
		{Schema: "public", Name: "items", Columns: cols},
	})
	if err != nil || counts != (metastore.DiscoveryCounts{Added: 1, Updated: 1, Vanished: 1}) {
		t.Fatalf("rediscovery = %+v, %v", counts, err)
	}
	orders, _ = f.s.GetTable(ctx, c.ID, "public", "orders")
	if orders.Refresh != "every 15m" || orders.IncrementalColumn != "id" || len(orders.Columns) != 1 {
		t.Fatalf("orders after rediscovery = %+v", orders)
	}
	present, err := f.s.ListTables(ctx, metastore.TableFilter{WorkspaceID: f.ws.ID})
	if err != nil || len(present) != 2 || present[0].Name != "items" || present[1].Name != "orders" {
		t.Fatalf("present tables = %+v, %v", present, err)
	}
	all, _ := f.s.ListTables(ctx, metastore.TableFilter{WorkspaceID: f.ws.ID, IncludeVanished: true})
	if len(all) != 3 || all[2].Name != "users" || all[2].Status != metastore.TableVanished {
		t.Fatalf("all tables = %+v", all)
	}
	like, _ := f.s.ListTables(ctx, metastore.TableFilter{WorkspaceID: f.ws.ID, ConnectionID: "sales", Schema: "pub%", Name: "ord%"})
	if len(like) != 1 || like[0].Name != "orders" {
		t.Fatalf("filtered tables = %+v", like)
	}
	page, _ := f.s.ListTables(ctx, metastore.TableFilter{WorkspaceID: f.ws.ID, Limit: 1, Offset: 1})
	if len(page) != 1 || page[0].Name != "orders" {
		t.Fatalf("paged tables = %+v", page)
	}
	// A deleted secret leaves the connection with no secret reference,
	// and the deleted secret's name.
	if err := f.s.DeleteSecret(ctx, f.ws.ID, sec.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = f.s.GetConnection(ctx, f.ws.ID, c.ID)
	if got.SecretID != "" || got.MissingSecret != "pw" || got.DiscoveryStatus != metastore.DiscoverySucceeded || got.DiscoveredAt == nil {
		t.Fatalf("connection after secret deletion = %+v", got)
	}
	removed, err := f.s.DeleteConnection(ctx, f.ws.ID, c.ID)
	if err != nil || removed.Tables != 3 || removed.Snapshots != 0 {
		t.Fatalf("DeleteConnection = %+v, %v", removed, err)
	}
	if left, _ := f.s.ListTables(ctx, metastore.TableFilter{WorkspaceID: f.ws.ID, IncludeVanished: true}); len(left) != 0 {
		t.Fatalf("tables outlived their connection: %+v", left)
	}
}

// testIndexesAndForeignKeys: a discovery's primary key name, indexes
// and foreign keys are stored with the table, replaced by the next
// discovery, and read back as written.
func testIndexesAndForeignKeys(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	c := mkConnection(t, f, "shop")
	cols := []metastore.Column{{Name: "id", DataType: "integer", TypeOID: 23}, {Name: "customer_id", DataType: "integer", Nullable: true, TypeOID: 23}}
	indexes := []metastore.Index{
		{Name: "orders_cust_idx", Method: "btree", KeyColumns: 2, Definition: "btree (customer_id, id DESC) INCLUDE (note) WHERE (id > 0)",
			PrettyDefinition: "btree (customer_id, id DESC) INCLUDE (note) WHERE id > 0",
			Predicate:        "(id > 0)", Columns: []metastore.IndexColumn{{Name: "customer_id"},
				{Name: "id", Descending: true, NullsFirst: true}, {Name: "note"}}},
		{Name: "orders_lower_key", Method: "hash", Unique: true, Constraint: true, KeyColumns: 1,
			Columns: []metastore.IndexColumn{{Name: "lower", Expression: "lower(note)", TypeOID: 23}}},
	}
	fks := []metastore.ForeignKey{{Name: "orders_customer_fkey", Columns: []string{"customer_id"}, RefSchema: "crm", RefTable: "customers",
		RefColumns: []string{"id"}, OnUpdate: "c", OnDelete: "n", DeleteSetColumns: []string{"customer_id"}, Match: "f",
		Deferrable: true, Deferred: true, NotValid: true}}
	if _, err := f.s.ApplyDiscovery(ctx, c, []metastore.DiscoveredTable{
		{Schema: "public", Name: "orders", Columns: cols, PrimaryKey: []string{"id"}, PrimaryKeyName: "orders_pk", Indexes: indexes, ForeignKeys: fks},
		{Schema: "public", Name: "plain", Columns: cols},
	}); err != nil {
		t.Fatal(err)
	}
	orders, err := f.s.GetTable(ctx, c.ID, "public", "orders")
	if err != nil {
		t.Fatal(err)
	}
	if orders.PrimaryKeyName != "orders_pk" || !reflect.DeepEqual(orders.Indexes, indexes) || !reflect.DeepEqual(orders.ForeignKeys, fks) {
		t.Fatalf("orders = %+v\nwant indexes %+v, foreign keys %+v", orders, indexes, fks)
	}
	plain, _ := f.s.GetTable(ctx, c.ID, "public", "plain")
	if plain.PrimaryKeyName != "" || len(plain.Indexes) != 0 || len(plain.ForeignKeys) != 0 {
		t.Fatalf("plain = %+v", plain)
	}
	// A rediscovery replaces them; ListTables reads them too.
	if _, err := f.s.ApplyDiscovery(ctx, c, []metastore.DiscoveredTable{
		{Schema: "public", Name: "orders", Columns: cols, PrimaryKey: []string{"id"}, Indexes: indexes[1:]},
	}); err != nil {
		t.Fatal(err)
	}
	listed, err := f.s.ListTables(ctx, metastore.TableFilter{WorkspaceID: f.ws.ID})
	if err != nil || len(listed) != 1 {
		t.Fatalf("ListTables = %+v, %v", listed, err)
	}
	if o := listed[0]; o.PrimaryKeyName != "" || !reflect.DeepEqual(o.Indexes, indexes[1:]) || len(o.ForeignKeys) != 0 {
		t.Fatalf("orders after rediscovery = %+v", o)
	}
}

func testSnapshots(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	c := mkConnection(t, f, "sales")
	if _, err := f.s.ApplyDiscovery(ctx, c, []metastore.DiscoveredTable{{Schema: "public", Name: "orders"}}); err != nil {
		t.Fatal(err)
	}
	tbl, _ := f.s.GetTable(ctx, c.ID, "public", "orders")
	publish := func(rows int64) metastore.Snapshot {
		id := metastore.NewID(metastore.PrefixSnapshot)
		snap, err := f.s.PublishTableSnapshot(ctx, metastore.Snapshot{ID: id, WorkspaceID: f.ws.ID, TableID: tbl.ID,
			Path: "tables/x/" + id, RowCount: rows, SizeBytes: rows * 10, Columns: []metastore.Column{{Name: "id", DataType: "integer"}}})
		if err != nil {
			t.Fatal(err)
		}
		return snap
	}
	s1 := publish(5)
	s2 := publish(7)
	if s1.Version != 1 || s2.Version != 2 {
		t.Fatalf("versions %d, %d", s1.Version, s2.Version)
	}
	tbl, _ = f.s.GetTable(ctx, c.ID, "public", "orders")
	if tbl.CurrentSnapshotID != s2.ID || tbl.LastSyncAt == nil {
		t.Fatalf("table after publish = %+v", tbl)
	}
	got, err := f.s.GetSnapshot(ctx, s1.ID)
	if err != nil || got.Status != metastore.SnapshotRetired || got.RetiredAt == nil || got.RowCount != 5 {
		t.Fatalf("first snapshot = %+v, %v", got, err)
	}
	retired, _ := f.s.ListSnapshots(ctx, f.ws.ID, metastore.SnapshotRetired)
	if len(retired) != 1 || retired[0].ID != s1.ID {
		t.Fatalf("retired = %+v", retired)
	}
	if err := f.s.MarkSnapshotDeleted(ctx, s1.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.s.MarkSnapshotDeleted(ctx, s2.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("deleting the published snapshot: %v", err)
	}
	live, _ := f.s.ListSnapshots(ctx, f.ws.ID, "")
	if len(live) != 1 || live[0].ID != s2.ID {
		t.Fatalf("live snapshots = %+v", live)
	}
	if err := f.s.RetireTableSnapshots(ctx, tbl.ID); err != nil {
		t.Fatal(err)
	}
	tbl, _ = f.s.GetTable(ctx, c.ID, "public", "orders")
	if tbl.CurrentSnapshotID != "" {
		t.Fatalf("purged table still has snapshot %s", tbl.CurrentSnapshotID)
	}
	if s3 := publish(1); s3.Version != 3 {
		t.Fatalf("version after purge = %d", s3.Version)
	}
	// How each column is held is kept with the snapshot (JSON: no
	// migration).
	held := []metastore.Column{{Name: "id", DataType: "integer"}, {Name: "n", DataType: "numeric(12,2)", Nullable: true, Text: true},
		{Name: "m", DataType: "integer[]", Nullable: true, Text: true, Unavailable: "it holds 2-dimensional arrays"}}
	id := metastore.NewID(metastore.PrefixSnapshot)
	sh, err := f.s.PublishTableSnapshot(ctx, metastore.Snapshot{ID: id, WorkspaceID: f.ws.ID, TableID: tbl.ID, Path: "tables/x/" + id, Columns: held})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.s.GetSnapshot(ctx, sh.ID); err != nil || !reflect.DeepEqual(got.Columns, held) {
		t.Fatalf("snapshot columns = %+v, %v; want %+v", got.Columns, err, held)
	}
}

func testPoliciesReadsAndSchedule(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	c := mkConnection(t, f, "sales")
	if _, err := f.s.ApplyDiscovery(ctx, c, []metastore.DiscoveredTable{{Schema: "public", Name: "a"}, {Schema: "public", Name: "b"}}); err != nil {
		t.Fatal(err)
	}
	a, _ := f.s.GetTable(ctx, c.ID, "public", "a")
	b, _ := f.s.GetTable(ctx, c.ID, "public", "b")
	if a.LastReadAt != nil || a.Refresh != "manual" {
		t.Fatalf("new table = %+v", a)
	}
	if err := f.s.SetTablePolicy(ctx, a.ID, metastore.TablePolicy{Refresh: "every 15m", IncrementalColumn: "id"}); err != nil {
		t.Fatal(err)
	}
	sched, err := f.s.ListScheduledTables(ctx)
	if err != nil || len(sched) != 1 || sched[0].ID != a.ID || sched[0].Refresh != "every 15m" || sched[0].IncrementalColumn != "id" {
		t.Fatalf("scheduled = %+v, %v", sched, err)
	}
	read := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	if err := f.s.MarkTablesRead(ctx, []string{a.ID, b.ID}, read); err != nil {
		t.Fatal(err)
	}
	a, _ = f.s.GetTable(ctx, c.ID, "public", "a")
	if a.LastReadAt == nil || !a.LastReadAt.Equal(read) {
		t.Fatalf("last read = %v", a.LastReadAt)
	}
	if err := f.s.TouchTableSync(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	b, _ = f.s.GetTable(ctx, c.ID, "public", "b")
	if b.LastSyncAt == nil || time.Since(*b.LastSyncAt) > time.Minute {
		t.Fatalf("touched sync time = %v", b.LastSyncAt)
	}
	if err := f.s.TouchTableSync(ctx, "tbl_nope"); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("touch of a missing table: %v", err)
	}
}

func testQueryRunsAndResults(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	run, err := f.s.CreateQueryRun(ctx, metastore.QueryRun{WorkspaceID: f.ws.ID, MemberID: f.mem.ID, UserName: "admin", Source: "rest", SQLText: "SELECT 1", SQLHash: "abc"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.s.SaveResult(ctx, metastore.Result{WorkspaceID: f.ws.ID, QueryRunID: run.ID, Status: metastore.StatusSucceeded, Path: "results/x.parquet",
		Columns: []metastore.Column{{Name: "?column?", DataType: "integer"}}, RowCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	run.Status, run.ResultID, run.RowCount, run.ExecutionTimeMs, run.SnapshotIDs = metastore.StatusSucceeded, res.ID, 1, 3, []string{"snap_a"}
	if err := f.s.FinishQueryRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.GetQueryRun(ctx, f.ws.ID, run.ID)
	if err != nil || got.Status != metastore.StatusSucceeded || got.ResultID != res.ID || got.CompletedAt == nil || got.SnapshotIDs[0] != "snap_a" || got.SQLText != "SELECT 1" {
		t.Fatalf("query run = %+v, %v", got, err)
	}
	list, _ := f.s.ListQueryRuns(ctx, f.ws.ID, 10, 0)
	if len(list) != 1 {
		t.Fatalf("runs = %+v", list)
	}
	// Batches of finished runs, more than one statement's worth.
	batch := make([]metastore.QueryRun, 250)
	for i := range batch {
		done := time.Now()
		batch[i] = metastore.QueryRun{WorkspaceID: f.ws.ID, Source: "pgwire", Status: metastore.StatusSucceeded, SQLText: fmt.Sprintf("SELECT %d", i),
			SQLHash: "h", RowCount: int64(i), CompletedAt: &done}
	}
	if err := f.s.InsertQueryRuns(ctx, batch); err != nil {
		t.Fatal(err)
	}
	all, _ := f.s.ListQueryRuns(ctx, f.ws.ID, 1000, 0)
	if len(all) != 251 {
		t.Fatalf("%d runs after a batch of 250, want 251", len(all))
	}
	r, err := f.s.GetResult(ctx, f.ws.ID, res.ID)
	if err != nil || r.RowCount != 1 || r.Columns[0].Name != "?column?" {
		t.Fatalf("result = %+v, %v", r, err)
	}
	second, err := f.s.SaveResult(ctx, metastore.Result{WorkspaceID: f.ws.ID, Status: metastore.StatusRunning})
	if err != nil {
		t.Fatal(err)
	}
	if results, err := f.s.ListResults(ctx, f.ws.ID, 10, 0); err != nil || len(results) != 2 || results[0].ID != second.ID || results[1].ID != res.ID {
		t.Fatalf("results = %+v, %v; want newest first", results, err)
	}
	if page, err := f.s.ListResults(ctx, f.ws.ID, 1, 1); err != nil || len(page) != 1 || page[0].ID != res.ID || page[0].Path != "results/x.parquet" {
		t.Fatalf("results page 2 = %+v, %v", page, err)
	}
	if err := f.s.DeleteResult(ctx, f.ws.ID, second.ID); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour)
	r.ExpiresAt = &past
	if _, err := f.s.SaveResult(ctx, r); err != nil {
		t.Fatal(err)
	}
	expired, _ := f.s.ExpiredResults(ctx, time.Now())
	if len(expired) != 1 || expired[0].ID != r.ID {
		t.Fatalf("expired = %+v", expired)
	}
	if err := f.s.DeleteResult(ctx, f.ws.ID, r.ID); err != nil {
		t.Fatal(err)
	}
}

func testJobs(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	j, err := f.s.CreateJob(ctx, f.ws.ID, "sync", map[string]string{"table": "orders"}, "node-a")
	if err != nil {
		t.Fatal(err)
	}
	frac := 0.5
	if err := f.s.JobProgress(ctx, j.ID, 100, 2000, &frac); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.GetJob(ctx, f.ws.ID, j.ID)
	if err != nil || got.ProgressRows != 100 || got.ProgressBytes != 2000 || got.ProgressFraction == nil || *got.ProgressFraction != 0.5 || got.Status != metastore.StatusRunning {
		t.Fatalf("job = %+v, %v", got, err)
	}
	var target map[string]string
	if err := json.Unmarshal(got.Target, &target); err != nil || target["table"] != "orders" {
		t.Fatalf("target = %s", got.Target)
	}
	j2, _ := f.s.CreateJob(ctx, f.ws.ID, "sync", nil, "node-b")
	n, err := f.s.InterruptJobs(ctx, "node-a")
	if err != nil || n != 1 {
		t.Fatalf("InterruptJobs = %d, %v", n, err)
	}
	got, _ = f.s.GetJob(ctx, f.ws.ID, j.ID)
	if got.Status != metastore.JobInterrupted || got.CompletedAt == nil || got.Error == "" {
		t.Fatalf("interrupted job = %+v", got)
	}
	if err := f.s.FinishJob(ctx, j2.ID, metastore.StatusFailed, "upstream down"); err != nil {
		t.Fatal(err)
	}
	list, _ := f.s.ListJobs(ctx, f.ws.ID, 10, 0)
	if len(list) != 2 {
		t.Fatalf("jobs = %+v", list)
	}
}

func testDatasets(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	d, err := f.s.CreateDataset(ctx, f.ws.ID, "Sales 2024", "sales_2024", "pending", json.RawMessage(`{"upload_id":"upl_x"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateDataset(ctx, f.ws.ID, "again", "sales_2024", "pending", nil); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("duplicate dataset table name: %v", err)
	}
	got, err := f.s.GetDataset(ctx, f.ws.ID, "sales_2024")
	if err != nil || got.ID != d.ID || got.Label != "Sales 2024" {
		t.Fatalf("dataset = %+v, %v", got, err)
	}
	list, _ := f.s.ListDatasets(ctx, f.ws.ID)
	if len(list) != 1 {
		t.Fatalf("datasets = %+v", list)
	}
	if err := f.s.DeleteDataset(ctx, f.ws.ID, d.ID); err != nil {
		t.Fatal(err)
	}
}

func testDeleteWorkspaceCascades(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	c := mkConnection(t, f, "sales")
	_, _ = f.s.ApplyDiscovery(ctx, c, []metastore.DiscoveredTable{{Schema: "public", Name: "orders"}})
	_, _ = f.s.CreateSecret(ctx, f.ws.ID, "pw", []byte("x"))
	_, scopedText, _ := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID, WorkspaceID: f.ws.ID})
	_, orgText, _ := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID})
	if err := f.s.DeleteWorkspace(ctx, f.ws.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetConnection(ctx, f.ws.ID, c.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("connection outlived workspace: %v", err)
	}
	if _, err := f.s.SecretValue(ctx, f.ws.ID, "pw"); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("secret outlived workspace: %v", err)
	}
	if _, err := f.s.AuthenticateToken(ctx, scopedText); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("token scoped to a deleted workspace still works: %v", err)
	}
	if _, err := f.s.AuthenticateToken(ctx, orgText); err != nil {
		t.Fatalf("organization token lost with a workspace: %v", err)
	}
}

// testConcurrentWriters opens the store twice (as a control and a proxy
// process would) and writes from both at once.
func testConcurrentWriters(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	other := open(t, url, testSealer(t))
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		for j, s := range []*metastore.Store{f.s, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.CreateSecret(ctx, f.ws.ID, fmt.Sprintf("s_%d_%d", i, j), []byte("v"))
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	list, err := f.s.ListSecrets(ctx, f.ws.ID)
	if err != nil || len(list) != 40 {
		t.Fatalf("%d secrets, %v; want 40", len(list), err)
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "secret.key")
	k1, err := metastore.LoadKey("", file)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v", info.Mode().Perm(), err)
	}
	k2, err := metastore.LoadKey("", file)
	if err != nil || !bytes.Equal(k1, k2) || len(k1) != metastore.KeySize {
		t.Fatalf("reload gave another key: %v", err)
	}
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := metastore.LoadKey("", file); err == nil {
		t.Fatal("world-readable key file accepted")
	}
	hexKey := "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	k3, err := metastore.LoadKey(hexKey, file)
	if err != nil || k3[31] != 0x1f {
		t.Fatalf("hex env key: %v", err)
	}
	if _, err := metastore.LoadKey("too-short", file); err == nil {
		t.Fatal("short env key accepted")
	}
}

func TestSealerBindsID(t *testing.T) {
	s := testSealer(t)
	sealed := s.Seal("secr_a", []byte("value"))
	if bytes.Contains(sealed, []byte("value")) {
		t.Fatal("plaintext visible in sealed value")
	}
	if v, err := s.Open("secr_a", sealed); err != nil || string(v) != "value" {
		t.Fatalf("Open = %q, %v", v, err)
	}
	if _, err := s.Open("secr_b", sealed); !errors.Is(err, metastore.ErrSecretKey) {
		t.Fatalf("sealed value opened under another id: %v", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := s.Open("secr_a", sealed); !errors.Is(err, metastore.ErrSecretKey) {
		t.Fatalf("tampered value opened: %v", err)
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	if _, err := metastore.Open(context.Background(), "mysql://root@localhost/x", testSealer(t)); err == nil {
		t.Fatal("mysql metastore URL accepted")
	}
}

func testInterruptRESTRuns(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	rest, err := f.s.CreateQueryRun(ctx, metastore.QueryRun{WorkspaceID: f.ws.ID, Source: "rest", SQLText: "SELECT 1", SQLHash: "h", ResultID: "res_x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SaveResult(ctx, metastore.Result{ID: "res_x", WorkspaceID: f.ws.ID, QueryRunID: rest.ID, Status: metastore.StatusRunning, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	pg, err := f.s.CreateQueryRun(ctx, metastore.QueryRun{WorkspaceID: f.ws.ID, Source: "pgwire", SQLText: "SELECT 2", SQLHash: "h2"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.s.InterruptRESTRuns(ctx)
	if err != nil || n != 1 {
		t.Fatalf("InterruptRESTRuns = %d, %v", n, err)
	}
	got, _ := f.s.GetQueryRun(ctx, f.ws.ID, rest.ID)
	if got.Status != metastore.StatusCanceled || got.CompletedAt == nil || got.ErrorMessage == "" {
		t.Fatalf("interrupted run = %+v", got)
	}
	if res, _ := f.s.GetResult(ctx, f.ws.ID, "res_x"); res.Status != metastore.StatusCanceled {
		t.Fatalf("its result = %+v", res)
	}
	if other, _ := f.s.GetQueryRun(ctx, f.ws.ID, pg.ID); other.Status != pg.Status {
		t.Fatalf("a pgwire run was touched: %+v", other)
	}
}

// testPurgeHistory: ended query runs older than the cut go, running and
// recent ones stay.
func testPurgeHistory(t *testing.T, url string) {
	f := newFixture(t, url)
	ctx := context.Background()
	old := time.Now().Add(-48 * time.Hour).UTC()
	recent := time.Now().UTC()
	runs := []metastore.QueryRun{
		{WorkspaceID: f.ws.ID, MemberID: f.mem.ID, Source: "pgwire", Status: metastore.StatusSucceeded, SQLText: "SELECT 1", CreatedAt: old, CompletedAt: &old},
		{WorkspaceID: f.ws.ID, MemberID: f.mem.ID, Source: "pgwire", Status: metastore.StatusSucceeded, SQLText: "SELECT 2", CreatedAt: recent, CompletedAt: &recent},
	}
	if err := f.s.InsertQueryRuns(ctx, runs); err != nil {
		t.Fatal(err)
	}
	running, err := f.s.CreateQueryRun(ctx, metastore.QueryRun{WorkspaceID: f.ws.ID, MemberID: f.mem.ID, Source: "rest", Status: metastore.StatusRunning, SQLText: "SELECT 3", CreatedAt: old})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.PurgeHistory(ctx, time.Now().Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got.QueryRuns != 1 {
		t.Errorf("purged %d query runs, want the old ended one", got.QueryRuns)
	}
	left, err := f.s.ListQueryRuns(ctx, f.ws.ID, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, r := range left {
		texts = append(texts, r.SQLText)
	}
	if len(left) != 2 || !slices.Contains(texts, "SELECT 2") || !slices.Contains(texts, running.SQLText) {
		t.Errorf("left %v, want the recent and the running runs", texts)
	}
}

// testAuthVersionAndCandidates: revoking a token, changing a role,
// removing a member bump the auth version, seen at once by the store
// that made the change and within maxAge by another process sharing the
// metastore; SCRAMCandidates narrows a login to the prefix's token or to
// the tokens that can open the database.
func testAuthVersionAndCandidates(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	other := open(t, url, testSealer(t)) // a second node
	v0, err := f.s.AuthVersion(ctx, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := other.AuthVersion(ctx, time.Hour); err != nil || v != v0 {
		t.Fatalf("other node: %d %v, want %d", v, err, v0)
	}
	tok, text, err := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID})
	if err != nil {
		t.Fatal(err)
	}
	org2, _ := f.s.CreateOrganization(ctx, "zeta")
	m2, _ := f.s.CreateMember(ctx, org2.ID, "zed", "", metastore.RoleOwner)
	ws2, _ := f.s.CreateWorkspace(ctx, org2.ID, "analytics", metastore.Limits{})
	tok2, _, err := f.s.CreateToken(ctx, metastore.NewToken{MemberID: m2.ID})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(user, db string) []string {
		t.Helper()
		cs, err := f.s.SCRAMCandidates(ctx, user, db)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.TokenID)
		}
		return out
	}
	if got := ids(text[:10], "whatever"); len(got) != 1 || got[0] != tok.ID {
		t.Fatalf("by prefix: %v", got)
	}
	if got := ids("admin", f.ws.ID); len(got) != 1 || got[0] != tok.ID {
		t.Fatalf("by workspace id: %v", got)
	}
	if got := ids("admin", ws2.ID); len(got) != 1 || got[0] != tok2.ID {
		t.Fatalf("other organization's workspace: %v", got)
	}
	if got := ids("admin", "analytics"); len(got) != 2 {
		t.Fatalf("by a name both organizations use: %v", got)
	}
	if got := ids("admin", "nope"); len(got) != 0 {
		t.Fatalf("unknown database: %v", got)
	}

	bumped := func(what string, prev int64) int64 {
		t.Helper()
		v, err := f.s.AuthVersion(ctx, time.Hour)
		if err != nil || v <= prev {
			t.Fatalf("after %s: version %d %v, want > %d", what, v, err, prev)
		}
		return v
	}
	v := bumped("revoking a token", func() int64 {
		if err := f.s.RevokeToken(ctx, f.mem.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		return v0
	}())
	if got := ids(text[:10], ""); len(got) != 0 {
		t.Fatalf("revoked token is a candidate: %v", got)
	}
	if err := f.s.SetMemberRole(ctx, f.org.ID, f.mem.ID, metastore.RoleViewer); err != nil {
		t.Fatal(err)
	}
	v = bumped("changing a role", v)
	if err := f.s.DeleteMember(ctx, org2.ID, m2.ID); err != nil {
		t.Fatal(err)
	}
	v = bumped("removing a member", v)
	// The other node sees it once its cached read is older than maxAge.
	if got, err := other.AuthVersion(ctx, 0); err != nil || got != v {
		t.Fatalf("other node: %d %v, want %d", got, err, v)
	}
}
