package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestSchemaChangesIncremental: under an incremental policy, each kind
// of column change upstream — added, dropped, renamed, widened, changed
// incompatibly (with values rewritten) — keeps the old snapshot serving
// until the next sync, which reads the table whole, says why in its
// result and its job, and leaves the cache equal to the upstream, value
// for value, with the new columns.
func TestSchemaChangesIncremental(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", `CREATE TABLE items (id int PRIMARY KEY, name varchar(10), qty int, price numeric(8,2), note text)`,
		`INSERT INTO items SELECT g, 'n' || g, g, g * 1.5, 'x' FROM generate_series(1, 50) g`)
	h.API("PUT", "/v1/connections/app/tables/public/items/policy", map[string]any{"refresh": "manual", "incremental_column": "id"}, http.StatusOK)
	hdURL := h.PGURL(testToken, "default", "disable")
	c := connect(t, hdURL)
	if got := queryInts(t, c, "SELECT count(*) FROM app.items"); got[0] != 50 {
		t.Fatalf("first read: %v", got)
	}
	refresh := func() map[string]any {
		t.Helper()
		out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "schema_name": "public", "table_name": "items", "data": true}, http.StatusOK)
		return out["tables"].([]any)[0].(map[string]any)
	}
	// An incremental sync first: the cached watermark moves on.
	testenv.PostgresExec(t, h.Upstream, `INSERT INTO items VALUES (51, 'new', 1, 1, 'y')`)
	if tr := refresh(); tr["incremental"] != true || tr["warnings"] != nil {
		t.Fatalf("incremental refresh: %v", tr)
	}

	for k, step := range []struct {
		name, ddl, change string
		probe, why        string // a column read before the sync, and why it is refused
	}{
		{"added", `ALTER TABLE items ADD COLUMN extra int DEFAULT 7`, "added extra integer", "extra", "added upstream after the table's cached snapshot"},
		{"dropped", `ALTER TABLE items DROP COLUMN note`, "dropped note", "", ""},
		{"renamed", `ALTER TABLE items RENAME COLUMN qty TO quantity`, "added quantity integer, dropped qty", "quantity", "added upstream"},
		{"widened", `ALTER TABLE items ALTER COLUMN name TYPE varchar(40)`, "name character varying(10) → character varying(40)", "name", "its type changed upstream (character varying(10) to character varying(40))"},
		// A widening can rewrite values too: an incremental read would
		// not see them, so a widening is read whole as well.
		{"widened with values rewritten", `ALTER TABLE items ALTER COLUMN price TYPE numeric(12,3) USING price * 2`, "price numeric(8,2) → numeric(12,3)", "price", "its type changed upstream"},
		{"incompatible", `ALTER TABLE items ALTER COLUMN quantity TYPE text USING 'q' || quantity`, "quantity integer → text", "quantity", "its type changed upstream (integer to text)"},
	} {
		i := 1000 + 10*k // ids grow: an incremental sync reads above its watermark
		t.Logf("step: %s", step.name)
		before := queryInts(t, c, "SELECT count(*) FROM app.items")[0]
		testenv.PostgresExec(t, h.Upstream, step.ddl, fmt.Sprintf(`INSERT INTO items (id, name) VALUES (%d, 'after %s')`, i, step.name[:3]))
		// Until the next sync, the old snapshot serves.
		if got := queryInts(t, c, "SELECT count(*) FROM app.items")[0]; got != before {
			t.Fatalf("%s: the cached table changed before a sync: %d rows, had %d", step.name, got, before)
		}
		// Once the catalog knows the new columns, a statement that reads
		// one the snapshot does not hold (yet, or in its new type) is
		// refused saying so; the others still answer.
		h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app"}, http.StatusOK)
		if step.probe != "" {
			var v any
			err := c.QueryRow(context.Background(), "SELECT "+step.probe+" FROM app.items WHERE id = 1").Scan(&v)
			if code := sqlstate(err); code != "0A000" || !strings.Contains(err.Error(), step.why) {
				t.Fatalf("%s: reading %s before a sync: %v, %v", step.name, step.probe, v, err)
			}
		}
		if got := queryInts(t, c, "SELECT count(id) FROM app.items")[0]; got != before {
			t.Fatalf("%s: the old snapshot's other columns: %d rows, had %d", step.name, got, before)
		}
		tr := refresh()
		warnings := fmt.Sprint(tr["warnings"])
		if tr["incremental"] != false || tr["status"] != "succeeded" || !strings.Contains(warnings, "read whole instead of incrementally") || !strings.Contains(warnings, step.change) {
			t.Fatalf("%s: refresh: %v", step.name, tr)
		}
		job := jobStatus(t, h, tr["job_id"].(string))
		if !strings.Contains(fmt.Sprint(job["warnings"]), step.change) {
			t.Fatalf("%s: the job does not say what changed: %v", step.name, job)
		}
		// The catalog learns the columns, and the cache equals the
		// upstream.
		h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app"}, http.StatusOK)
		sameRows(t, hdURL, h.Upstream, "app.public.items", "items", "id")
		// The next sync is incremental again.
		testenv.PostgresExec(t, h.Upstream, fmt.Sprintf(`INSERT INTO items (id, name) VALUES (%d, 'inc')`, i+1))
		if tr := refresh(); tr["incremental"] != true {
			t.Fatalf("%s: the sync after is not incremental: %v", step.name, tr)
		}
		sameRows(t, hdURL, h.Upstream, "app.public.items", "items", "id")
	}
}
