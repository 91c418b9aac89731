package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// TestEngineSurfaceRefused: a viewer's statements that would reach
// DuckDB's own surface — file readers (glob with the "\.." escape that
// allowed_directories misses, read_csv, read_parquet, read_text,
// read_blob, replacement scans of a file name), query()/query_table(),
// duckdb_* and pragma_* table functions, COPY FROM, ATTACH,
// INSTALL/LOAD, engine settings — are refused over pgwire (both
// protocols) and REST (the cached route), and no answer names an
// internal path or another organization's files.
func TestEngineSurfaceRefused(t *testing.T) {
	h := hdtest.Start(t)
	orgID := h.P.Bootstrapped.Organization.ID
	_, viewer := invite(t, h, hdtest.Token, orgID, map[string]any{"name": "vic", "role": "viewer"})
	// Another organization with a workspace, whose folder the escape
	// would list.
	other := callAs(t, h, hdtest.Token, "", "POST", "/v1/organizations", map[string]any{"name": "other"}, http.StatusCreated)
	otherToken := field(t, other, "token")["token"].(string)
	otherOrg := field(t, other, "organization")["id"].(string)
	ows := field(t, callAs(t, h, otherToken, "", "POST", "/v1/workspaces", map[string]any{"name": "w", "organization_public_id": otherOrg}, http.StatusCreated), "workspace")["public_id"].(string)

	ws := filepath.Join(h.DataDir, "workspaces", h.WSID)
	stmts := []string{
		`SELECT file FROM glob('` + ws + `/\../*/*/**')`,
		`SELECT * FROM glob('` + ws + `/\../\../*')`,
		`SELECT * FROM "glob"('/etc/*')`,
		`SELECT * FROM main.glob('/etc/*')`,
		`SELECT * FROM pg_catalog.glob('/etc/*')`,
		`SELECT glob('/etc/*')`,
		`SELECT * FROM read_csv('` + ws + `/\../../../../../../etc/passwd')`,
		`SELECT * FROM read_csv_auto('/etc/passwd')`,
		`SELECT * FROM read_parquet(['` + ws + `/\../` + ows + `/x.parquet'])`,
		`SELECT * FROM read_text('/etc/passwd')`,
		`SELECT * FROM read_blob('` + h.DataDir + `/admin-token')`,
		`SELECT * FROM '` + ws + `/x.parquet'`,
		`SELECT * FROM "` + ws + `/x.parquet"`,
		`SELECT * FROM query('SELECT * FROM duckdb_settings()')`,
		`SELECT * FROM query_table('duckdb_settings')`,
		`SELECT * FROM duckdb_settings()`,
		`SELECT * FROM system.main.duckdb_settings()`,
		`SELECT * FROM duckdb_databases()`,
		`SELECT * FROM duckdb_extensions()`,
		`SELECT * FROM duckdb_views()`,
		`SELECT * FROM pragma_database_list()`,
		`PRAGMA database_list`,
		`CALL pragma_version()`,
		`COPY x FROM '/etc/passwd'`,
		`COPY (SELECT 1) TO '/tmp/hotdata-escape.csv'`,
		`ATTACH '` + ws + `/\../` + ows + `/x.duckdb' AS o`,
		`INSTALL httpfs`,
		`LOAD httpfs`,
		`LOAD 'httpfs'`,
		`SET allowed_directories = '/'`,
		`SET enable_external_access = true`,
		`SET lock_configuration = false`,
		`SET memory_limit = '100GB'`,
		`SELECT set_config('enable_external_access', 'true', false)`,
		`SELECT current_setting('allowed_directories')`,
		`SELECT current_setting('temp_directory')`,
		`SHOW temp_directory`,
		`SELECT pg_ls_dir('.')`,
		`SELECT pg_read_file('/etc/passwd')`,
		`SELECT * FROM pg_stat_file('` + h.DataDir + `')`,
	}
	// What must not show: the data dir, its entries (key files, other
	// workspaces' folders), /etc/passwd's lines — unless the statement
	// itself names it (error messages may quote the client's input).
	leaks := []string{h.DataDir, "root:x:", ows}
	entries, err := os.ReadDir(h.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		leaks = append(leaks, e.Name())
	}
	check := func(t *testing.T, how, sql, answer string) {
		t.Helper()
		for _, l := range leaks {
			if !strings.Contains(sql, l) && strings.Contains(answer, l) {
				t.Errorf("%s %s: the answer names %q: %.500s", how, sql, l, answer)
			}
		}
	}
	for _, mode := range bothProtocols {
		c, err := pgxAs(h, viewer, "default")
		if err != nil {
			t.Fatal(err)
		}
		for _, sql := range stmts {
			got, err := runAll(c, sql, mode)
			if err == nil {
				t.Errorf("pgwire %v %s: want a refusal, got rows %.500s", mode, sql, got)
			}
			var pe *pgconn.PgError
			if errors.As(err, &pe) {
				check(t, "pgwire", sql, strings.Join([]string{got, pe.Message, pe.Detail, pe.Hint, pe.Where}, "\n"))
			} else if err != nil {
				check(t, "pgwire", sql, got+err.Error())
			}
		}
		c.Close(context.Background())
	}
	for _, sql := range stmts {
		status, out := h.APIRaw("POST", "/v1/query", map[string]any{"sql": sql}, viewer, h.WSID)
		if status < 400 {
			t.Errorf("REST %s: %d %.500v, want a refusal", sql, status, out)
		}
		check(t, "REST", sql, fmt.Sprint(out))
	}
	pgxWorks(t, h, viewer, "default")
}
