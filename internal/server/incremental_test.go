package server_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestIncrementalMerge: an incremental sync of a table with a primary key
// on an updated_at column replaces updated rows (no duplicates), reads
// late commits within its lookback, removes rows deleted upstream when it
// detects deletes, and compacts its files as syncs pile up; the cached
// table equals the upstream row for row after each. A row committed later
// than the lookback allows is not seen, as documented.
func TestIncrementalMerge(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app",
		`CREATE TABLE events (id int PRIMARY KEY, updated_at timestamptz NOT NULL, v text, amount int NOT NULL)`,
		`INSERT INTO events SELECT g, '2026-01-01'::timestamptz + g * interval '1 second', 'v' || g, g FROM generate_series(1, 1000) g`,
		`CREATE TABLE loose (n int, updated_at timestamptz)`)
	up := h.Upstream
	hdURL := h.PGURL(testToken, "default", "disable")
	pol := h.API("PUT", "/v1/connections/app/tables/public/events/policy",
		map[string]any{"refresh": "manual", "incremental_column": "updated_at", "incremental_lookback": "1h", "detect_deletes": true}, http.StatusOK)
	if pol["incremental_lookback"] != "1h" || pol["detect_deletes"] != true {
		t.Fatalf("policy: %v", pol)
	}
	refresh := func() {
		t.Helper()
		out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "schema_name": "public", "table_name": "events", "data": true, "include_uncached": true}, http.StatusOK)
		if out["ok"] != true {
			t.Fatalf("refresh: %v", out)
		}
	}
	refresh()
	sameRows(t, hdURL, up, "app.public.events", "events", "id")

	testenv.PostgresExec(t, up,
		`UPDATE events SET v = 'updated', amount = -amount, updated_at = '2026-01-01'::timestamptz + interval '2000 seconds' WHERE id <= 10`,
		// Committed late: its updated_at is below the watermark (1000 s),
		// within the lookback.
		`INSERT INTO events VALUES (5000, '2026-01-01'::timestamptz + interval '990 seconds', 'late', 1)`,
		`DELETE FROM events WHERE id BETWEEN 500 AND 520`)
	refresh()
	sameRows(t, hdURL, up, "app.public.events", "events", "id")

	// Later than the lookback: not seen (the documented limit).
	testenv.PostgresExec(t, up, `INSERT INTO events VALUES (6000, '2025-01-01', 'too late', 1)`)
	refresh()
	if n := countRows(t, h, h.WSID, "SELECT count(*) FROM app.public.events WHERE id = 6000"); n != 0 {
		t.Fatalf("a row older than the lookback was read: %v", n)
	}
	testenv.PostgresExec(t, up, `DELETE FROM events WHERE id = 6000`)

	// Many syncs: the snapshot's files are compacted.
	for i := 0; i < 2*cache.CompactDeltas; i++ {
		testenv.PostgresExec(t, up, fmt.Sprintf(`UPDATE events SET amount = amount + 1, updated_at = updated_at + interval '1 hour' WHERE id = %d`, 100+i))
		refresh()
	}
	sameRows(t, hdURL, up, "app.public.events", "events", "id")
	dirs, _ := filepath.Glob(filepath.Join(h.DataDir, "workspaces", h.WSID, "tables", "*", "public", "events", "*"))
	newest := ""
	for _, d := range dirs {
		if newest == "" || modTime(d) > modTime(newest) {
			newest = d
		}
	}
	files, _ := filepath.Glob(filepath.Join(newest, "*.parquet"))
	if len(files) > cache.CompactDeltas+1 {
		t.Fatalf("the newest snapshot holds %d files: never compacted", len(files))
	}
	// The row count the API shows is the merged one.
	tables := h.API("GET", "/v1/information_schema?connection_id=app", nil, http.StatusOK)
	if !strings.Contains(fmt.Sprint(tables), "events") {
		t.Fatalf("information_schema: %v", tables)
	}

	// Lookback and delete detection need a primary key.
	status, out := h.APIRaw("PUT", "/v1/connections/app/tables/public/loose/policy",
		map[string]any{"refresh": "manual", "incremental_column": "updated_at", "incremental_lookback": "1h"}, testToken, h.WSID)
	if status != http.StatusUnprocessableEntity || errCode(out) != "NO_PRIMARY_KEY" {
		t.Fatalf("lookback without a primary key: %d %v", status, out)
	}
	status, out = h.APIRaw("PUT", "/v1/connections/app/tables/public/events/policy",
		map[string]any{"refresh": "manual", "incremental_column": "v", "incremental_lookback": "1h"}, testToken, h.WSID)
	if status != http.StatusUnprocessableEntity || errCode(out) != "BAD_LOOKBACK" {
		t.Fatalf("lookback on a text column: %d %v", status, out)
	}
}

func modTime(p string) int64 {
	info, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return info.ModTime().UnixNano()
}
