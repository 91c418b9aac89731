package metastore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/metastore"
)

// Cases of the conformance suite (TestConformance) for the management
// API: organizations, workspace lifecycle, secret rotation, connection
// removal and token revocation.

func testOrganizationLifecycle(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	other, err := f.s.CreateOrganization(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RenameOrganization(ctx, f.org.ID, "other"); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("rename to a taken name: %v", err)
	}
	got, err := f.s.RenameOrganization(ctx, f.org.ID, "acme-corp")
	if err != nil || got.ID != f.org.ID || got.Name != "acme-corp" || !got.CreatedAt.Equal(f.org.CreatedAt) {
		t.Fatalf("RenameOrganization = %+v, %v", got, err)
	}
	if _, err := f.s.RenameOrganization(ctx, "org_nope", "x"); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("rename of a missing organization: %v", err)
	}
	_, text, err := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID})
	if err != nil {
		t.Fatal(err)
	}
	otherMember, _ := f.s.CreateMember(ctx, other.ID, "ada", "", metastore.RoleOwner)
	_, otherText, _ := f.s.CreateToken(ctx, metastore.NewToken{MemberID: otherMember.ID})
	// Deleting an organization takes its members, tokens and workspaces.
	if err := f.s.DeleteOrganization(ctx, f.org.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AuthenticateToken(ctx, text); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("token of a deleted organization: %v", err)
	}
	if _, err := f.s.GetWorkspace(ctx, f.ws.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("workspace of a deleted organization: %v", err)
	}
	if _, err := f.s.AuthenticateToken(ctx, otherText); err != nil {
		t.Fatalf("another organization's token: %v", err)
	}
	orgs, _ := f.s.ListOrganizations(ctx)
	if len(orgs) != 1 || orgs[0].ID != other.ID {
		t.Fatalf("organizations = %+v", orgs)
	}
}

func testWorkspaceStatusAndSettings(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	w, err := f.s.SetWorkspaceStatus(ctx, f.ws.ID, metastore.WorkspaceSuspended, metastore.WorkspaceActive)
	if err != nil || w.Status != metastore.WorkspaceSuspended || w.UpdatedAt.Before(f.ws.UpdatedAt) {
		t.Fatalf("suspend = %+v, %v", w, err)
	}
	// A conditional change from a status the workspace is not in does nothing.
	if _, err := f.s.SetWorkspaceStatus(ctx, f.ws.ID, metastore.WorkspaceSuspended, metastore.WorkspaceActive); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("suspend twice: %v", err)
	}
	if _, err := f.s.SetWorkspaceStatus(ctx, f.ws.ID, metastore.WorkspaceActive, metastore.WorkspaceSuspended, metastore.WorkspaceActive); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SetWorkspaceStatus(ctx, "ws_nope", metastore.WorkspaceActive); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("status of a missing workspace: %v", err)
	}
	// Settings leave the status alone.
	if _, err := f.s.SetWorkspaceStatus(ctx, f.ws.ID, metastore.WorkspaceSuspended); err != nil {
		t.Fatal(err)
	}
	w = f.ws
	w.Name, w.AutoResume, w.Status = "bi", false, metastore.WorkspaceActive
	w.Limits = metastore.Limits{MemoryBytes: 1 << 30, Threads: 4, CacheBytes: 5 << 20, MaxConcurrentQueries: 8, MaxSessions: 9}
	got, err := f.s.UpdateWorkspaceSettings(ctx, w)
	if err != nil || got.Name != "bi" || got.AutoResume || got.Status != metastore.WorkspaceSuspended || got.Limits != w.Limits {
		t.Fatalf("UpdateWorkspaceSettings = %+v, %v", got, err)
	}
	second, _ := f.s.CreateWorkspace(ctx, f.org.ID, "second", metastore.Limits{})
	second.Name = "bi"
	if _, err := f.s.UpdateWorkspaceSettings(ctx, second); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("rename to a taken name: %v", err)
	}
	// Another organization cannot change it.
	other, _ := f.s.CreateOrganization(ctx, "other")
	w.OrgID = other.ID
	if _, err := f.s.UpdateWorkspaceSettings(ctx, w); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("update from another organization: %v", err)
	}
}

func testSecretRotationAndDeletion(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	sec, _ := f.s.CreateSecret(ctx, f.ws.ID, "pw", []byte("one"))
	c, err := f.s.CreateConnection(ctx, f.ws.ID, "sales", "postgres", nil, sec.ID)
	if err != nil {
		t.Fatal(err)
	}
	unrelated := mkConnection(t, f, "other")
	time.Sleep(2 * time.Millisecond)
	// Rotation marks the connections that use the secret as updated.
	rotated, err := f.s.UpdateSecretValue(ctx, f.ws.ID, "pw", []byte("two"))
	if err != nil || !rotated.UpdatedAt.After(sec.UpdatedAt) || !rotated.CreatedAt.Equal(sec.CreatedAt) {
		t.Fatalf("rotation = %+v, %v", rotated, err)
	}
	got, _ := f.s.GetConnection(ctx, f.ws.ID, c.ID)
	if !got.UpdatedAt.Equal(rotated.UpdatedAt) || got.SecretID != sec.ID {
		t.Fatalf("connection after rotation = %+v, want updated at %v", got, rotated.UpdatedAt)
	}
	if v, _ := f.s.SecretValue(ctx, f.ws.ID, sec.ID); string(v) != "two" {
		t.Fatalf("value after rotation = %q", v)
	}
	if o, _ := f.s.GetConnection(ctx, f.ws.ID, unrelated.ID); !o.UpdatedAt.Equal(unrelated.UpdatedAt) {
		t.Fatal("rotation touched a connection that does not use the secret")
	}
	if _, err := f.s.UpdateSecretValue(ctx, f.ws.ID, "nope", []byte("x")); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("rotation of a missing secret: %v", err)
	}
	// Deletion: the connection remembers the name and is marked updated.
	time.Sleep(2 * time.Millisecond)
	if err := f.s.DeleteSecret(ctx, f.ws.ID, "pw"); err != nil {
		t.Fatal(err)
	}
	got, _ = f.s.GetConnection(ctx, f.ws.ID, c.ID)
	if got.SecretID != "" || got.MissingSecret != "pw" || !got.UpdatedAt.After(rotated.UpdatedAt) {
		t.Fatalf("connection after deletion = %+v", got)
	}
	if err := f.s.DeleteSecret(ctx, f.ws.ID, "pw"); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("second deletion: %v", err)
	}
	// A new secret of the same name in another workspace changes nothing;
	// in this one, the connection uses it again.
	ws2, _ := f.s.CreateWorkspace(ctx, f.org.ID, "ws2", metastore.Limits{})
	if _, err := f.s.CreateSecret(ctx, ws2.ID, "pw", []byte("elsewhere")); err != nil {
		t.Fatal(err)
	}
	if got, _ = f.s.GetConnection(ctx, f.ws.ID, c.ID); got.MissingSecret != "pw" {
		t.Fatalf("secret of another workspace relinked the connection: %+v", got)
	}
	again, err := f.s.CreateSecret(ctx, f.ws.ID, "pw", []byte("three"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ = f.s.GetConnection(ctx, f.ws.ID, c.ID)
	if got.SecretID != again.ID || got.MissingSecret != "" {
		t.Fatalf("connection after the secret came back = %+v", got)
	}
	if _, err := f.s.CreateSecret(ctx, f.ws.ID, "pw", []byte("x")); !errors.Is(err, metastore.ErrConflict) {
		t.Fatalf("duplicate secret: %v", err)
	}
}

func testDeleteConnectionRetiresSnapshots(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	c := mkConnection(t, f, "sales")
	keep := mkConnection(t, f, "keep")
	if _, err := f.s.ApplyDiscovery(ctx, c, []metastore.DiscoveredTable{{Schema: "public", Name: "a"}, {Schema: "public", Name: "b"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.ApplyDiscovery(ctx, keep, []metastore.DiscoveredTable{{Schema: "public", Name: "k"}}); err != nil {
		t.Fatal(err)
	}
	publish := func(conn metastore.Connection, table string) metastore.Snapshot {
		tbl, err := f.s.GetTable(ctx, conn.ID, "public", table)
		if err != nil {
			t.Fatal(err)
		}
		id := metastore.NewID(metastore.PrefixSnapshot)
		snap, err := f.s.PublishTableSnapshot(ctx, metastore.Snapshot{ID: id, WorkspaceID: f.ws.ID, TableID: tbl.ID, Path: "tables/" + conn.ID + "/" + id})
		if err != nil {
			t.Fatal(err)
		}
		return snap
	}
	a1 := publish(c, "a")
	a2 := publish(c, "a") // retires a1
	if err := f.s.MarkSnapshotDeleted(ctx, a1.ID); err != nil {
		t.Fatal(err)
	}
	b1 := publish(c, "b")
	k1 := publish(keep, "k")
	removed, err := f.s.DeleteConnection(ctx, f.ws.ID, c.ID)
	if err != nil || removed.Tables != 2 || removed.Snapshots != 2 {
		t.Fatalf("DeleteConnection = %+v, %v", removed, err)
	}
	// The published snapshots are retired and kept for the garbage
	// collector; the one already deleted is gone with its table.
	retired, _ := f.s.ListSnapshots(ctx, f.ws.ID, metastore.SnapshotRetired)
	ids := map[string]metastore.Snapshot{}
	for _, sn := range retired {
		ids[sn.ID] = sn
	}
	if len(retired) != 2 || ids[a2.ID].Path != a2.Path || ids[b1.ID].RetiredAt == nil || ids[a2.ID].TableID != "" {
		t.Fatalf("retired snapshots = %+v", retired)
	}
	if _, err := f.s.GetSnapshot(ctx, a1.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("deleted snapshot's record: %v", err)
	}
	if err := f.s.MarkSnapshotDeleted(ctx, a2.ID); err != nil {
		t.Fatalf("garbage collection of a detached snapshot: %v", err)
	}
	if sn, err := f.s.GetSnapshot(ctx, k1.ID); err != nil || sn.Status != metastore.SnapshotPublished {
		t.Fatalf("another connection's snapshot = %+v, %v", sn, err)
	}
	if _, err := f.s.GetConnection(ctx, f.ws.ID, c.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("deleted connection found: %v", err)
	}
	if _, err := f.s.DeleteConnection(ctx, f.ws.ID, c.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	// Another workspace cannot delete a connection.
	ws2, _ := f.s.CreateWorkspace(ctx, f.org.ID, "ws2", metastore.Limits{})
	if _, err := f.s.DeleteConnection(ctx, ws2.ID, keep.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("delete from another workspace: %v", err)
	}
}

func testGetAndRevokeToken(t *testing.T, url string) {
	ctx := context.Background()
	f := newFixture(t, url)
	tok, text, err := f.s.CreateToken(ctx, metastore.NewToken{MemberID: f.mem.ID, Name: "ci", WorkspaceID: f.ws.ID})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.GetToken(ctx, f.mem.ID, tok.ID)
	if err != nil || got.Name != "ci" || got.WorkspaceID != f.ws.ID || got.RevokedAt != nil || got.Prefix != text[:10] {
		t.Fatalf("GetToken = %+v, %v", got, err)
	}
	bob, _ := f.s.CreateMember(ctx, f.org.ID, "bob", "", metastore.RoleViewer)
	if _, err := f.s.GetToken(ctx, bob.ID, tok.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("token seen by another member: %v", err)
	}
	if err := f.s.RevokeToken(ctx, bob.ID, tok.ID); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("token revoked by another member: %v", err)
	}
	if err := f.s.RevokeToken(ctx, f.mem.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	got, err = f.s.GetToken(ctx, f.mem.ID, tok.ID)
	if err != nil || got.RevokedAt == nil {
		t.Fatalf("revoked token = %+v, %v", got, err)
	}
	if _, err := f.s.AuthenticateToken(ctx, text); !errors.Is(err, metastore.ErrNotFound) {
		t.Fatalf("revoked token accepted: %v", err)
	}
}
