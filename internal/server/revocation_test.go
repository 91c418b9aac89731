package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// tokenID returns the id of the token a member authenticates with (its
// only token).
func tokenID(t *testing.T, h *hdtest.Harness, token string) string {
	t.Helper()
	list := items(t, callAs(t, h, token, "", "GET", "/v1/tokens", nil, http.StatusOK), "tokens")
	if len(list) != 1 {
		t.Fatalf("tokens = %v", list)
	}
	return list[0]["id"].(string)
}

// wantSessionEnded checks that an open session's next statement fails
// with FATAL 28000 naming why, and that the connection is closed after.
func wantSessionEnded(t *testing.T, c *pgx.Conn, mode pgx.QueryExecMode, why string) {
	t.Helper()
	_, err := runAll(c, "SELECT 1", mode)
	if err == nil {
		t.Fatalf("%v: the session still runs statements", mode)
	}
	if got := sqlstate(err); got != "28000" || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), "FATAL") {
		t.Fatalf("%v: %v (SQLSTATE %s), want FATAL 28000 naming %q", mode, err, got, why)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !c.IsClosed() {
		if time.Now().After(deadline) {
			t.Fatalf("%v: the connection stays open after the FATAL error", mode)
		}
		if _, err := runAll(c, "SELECT 1", mode); err == nil {
			t.Fatalf("%v: a statement ran after the FATAL error", mode)
		}
	}
}

// TestSessionRevocation: open pgwire sessions stop at their next
// statement once their token is revoked or their member removed (FATAL
// 28000 naming why); a lowered role keeps a session that may still
// query. REST requests with the token are refused at once.
func TestSessionRevocation(t *testing.T) {
	h := hdtest.Start(t)
	orgID := h.P.Bootstrapped.Organization.ID
	members := "/v1/organizations/" + orgID + "/members/"
	ctx := context.Background()
	open := func(token string, mode pgx.QueryExecMode) *pgx.Conn {
		t.Helper()
		c, err := pgxAs(h, token, "default")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(ctx) })
		if _, err := runAll(c, "SELECT 1", mode); err != nil {
			t.Fatal(err)
		}
		return c
	}
	for i, mode := range bothProtocols {
		n := strconv.Itoa(i)
		// A revoked token.
		_, viewer := invite(t, h, hdtest.Token, orgID, map[string]any{"role": "viewer", "name": "vic" + n})
		c := open(viewer, mode)
		idle := open(viewer, mode) // another session, idle in a transaction
		if _, err := runAll(idle, "BEGIN", mode); err != nil {
			t.Fatal(err)
		}
		callAs(t, h, viewer, "", "DELETE", "/v1/tokens/"+tokenID(t, h, viewer), nil, http.StatusOK)
		wantSessionEnded(t, c, mode, "revoked")
		wantSessionEnded(t, idle, mode, "revoked")
		failAs(t, h, viewer, h.WSID, "POST", "/v1/query", map[string]any{"sql": "SELECT 1"}, http.StatusUnauthorized, "UNAUTHENTICATED")
		pgxRefused(t, h, viewer, "default", "28P01")

		// A removed member.
		miaID, mia := invite(t, h, hdtest.Token, orgID, map[string]any{"role": "member", "name": "mia" + n})
		c = open(mia, mode)
		callAs(t, h, hdtest.Token, "", "DELETE", members+miaID, nil, http.StatusOK)
		wantSessionEnded(t, c, mode, "removed")
		failAs(t, h, mia, h.WSID, "POST", "/v1/query", map[string]any{"sql": "SELECT 1"}, http.StatusUnauthorized, "UNAUTHENTICATED")

		// A lowered role applies from the next statement; a viewer may
		// still query, so the session goes on.
		adaID, ada := invite(t, h, hdtest.Token, orgID, map[string]any{"role": "admin", "name": "ada" + n})
		c = open(ada, mode)
		callAs(t, h, hdtest.Token, "", "PATCH", members+adaID, map[string]any{"role": "viewer"}, http.StatusOK)
		if got, err := runAll(c, "SELECT 41 + 1", mode); err != nil || got != "[42];" {
			t.Fatalf("%v: after the role change: %s %v", mode, got, err)
		}
		failAs(t, h, ada, "", "POST", "/v1/organizations/"+orgID+"/members", map[string]any{"role": "viewer", "name": "x"}, http.StatusForbidden, "FORBIDDEN")
		callAs(t, h, hdtest.Token, "", "DELETE", members+adaID, nil, http.StatusOK)
	}
	// Sessions of others are untouched.
	pgxWorks(t, h, hdtest.Token, "default")
}

// pgxRefusedAs checks that a pgwire login as user fails with SQLSTATE code.
func pgxRefusedAs(t *testing.T, h *hdtest.Harness, user, token, database, code string) {
	t.Helper()
	c, err := pgxAsUser(h, user, token, database)
	if err == nil {
		c.Close(context.Background())
		t.Fatalf("pgwire connect as %s to %s succeeded, want SQLSTATE %s", user, database, code)
	}
	if got := sqlstate(err); got != code {
		t.Fatalf("pgwire connect as %s to %s: %v (SQLSTATE %q), want %s", user, database, err, got, code)
	}
}

// pgxAsUser opens a pgwire session as user.
func pgxAsUser(h *hdtest.Harness, user, token, database string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(h.PGURL(token, database, "disable"))
	if err != nil {
		return nil, err
	}
	cfg.User = user
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return pgx.ConnectConfig(ctx, cfg)
}

// TestLoginCandidates: a pgwire login tries only the tokens that may
// hold it — the token with the prefix given as user, or the tokens that
// can open the database — never every organization's tokens: another
// organization's token does not log in to this one's workspace, a token
// limited to a workspace logs in to it only, a revoked token not at all,
// and tokens made before the lookup index (any user name) still work.
func TestLoginCandidates(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	// The bootstrap token, as any user and as its prefix.
	for _, user := range []string{"admin", "someone", root[:10]} {
		c, err := pgxAsUser(h, user, root, "default")
		if err != nil {
			t.Fatalf("as %s: %v", user, err)
		}
		c.Close(context.Background())
	}
	// Another organization's token, with a workspace of the same name.
	other := callAs(t, h, root, "", "POST", "/v1/organizations", map[string]any{"name": "other"}, http.StatusCreated)
	otherToken := field(t, other, "token")["token"].(string)
	otherOrg := field(t, other, "organization")["id"].(string)
	callAs(t, h, otherToken, "", "POST", "/v1/workspaces", map[string]any{"name": "default", "organization_public_id": otherOrg}, http.StatusCreated)
	pgxWorks(t, h, otherToken, "default") // its own "default"
	pgxRefused(t, h, otherToken, h.WSID, "28P01")
	pgxRefusedAs(t, h, otherToken[:10], otherToken, h.WSID, "3D000")
	// A wrong token with a real token's prefix.
	pgxRefusedAs(t, h, root[:10], root[:10]+strings.Repeat("x", len(root)-10), "default", "28P01")
	// A revoked token, by prefix or not.
	_, vic := invite(t, h, root, h.P.Bootstrapped.Organization.ID, map[string]any{"role": "viewer", "name": "vic"})
	pgxWorks(t, h, vic, "default")
	callAs(t, h, vic, "", "DELETE", "/v1/tokens/"+tokenID(t, h, vic), nil, http.StatusOK)
	pgxRefused(t, h, vic, "default", "28P01")
	pgxRefusedAs(t, h, vic[:10], vic, "default", "28P01")
}
