package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestReadmeQuickstart runs the README's Quickstart, as written, with the
// built hotdata binary: only the server's addresses, the token file and
// the demo database's name and port are those of the test.
func TestReadmeQuickstart(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## Quickstart")
	_, rest, ok2 := strings.Cut(rest, "```sh\n")
	script, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 || !strings.Contains(script, "./hotdata login") {
		t.Fatalf("README.md has no Quickstart block of hotdata commands")
	}

	h := hdtest.Start(t)
	db := testenv.Postgres(t)
	shop, err := os.ReadFile(filepath.Join("..", "..", "testdata", "shop.sql"))
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(shop), `\connect hotdata_demo`)
	if !ok {
		t.Fatal(`testdata/shop.sql has no \connect hotdata_demo`)
	}
	testenv.PostgresExec(t, db, body)
	want := upstreamText(t, db, "SELECT status, count(*), sum(total) FROM orders GROUP BY status ORDER BY status")
	paid := upstreamText(t, db, "SELECT count(*) FROM orders WHERE paid")[0][0]

	bin, err := cliBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	if err := os.WriteFile(tokenFile, []byte(hdtest.Token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dbName := db[strings.LastIndex(db, "/")+1:]
	dbName, _, _ = strings.Cut(dbName, "?")
	port := db[strings.LastIndex(db, ":")+1:]
	port, _, _ = strings.Cut(port, "/")
	var lines []string
	for _, l := range strings.Split(script, "\n") {
		if strings.HasPrefix(l, "go build") {
			continue // the binary is built already
		}
		lines = append(lines, l)
	}
	script = strings.NewReplacer(
		"./hotdata ", bin+" ",
		"http://127.0.0.1:8080", "http://"+h.P.HTTPAddr(),
		"hotdata-data/admin-token", tokenFile,
		"port=5432", "port="+port,
		"database=hotdata_demo", "database="+dbName,
	).Replace(strings.Join(lines, "\n"))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Env = append(os.Environ(), "HOTDATA_CONFIG="+filepath.Join(dir, "config.json"), "HOTDATA_PG_ADDR="+h.P.PGAddr(),
		"HOTDATA_URL=", "HOTDATA_TOKEN=", "HOTDATA_WORKSPACE=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the Quickstart failed: %v\n%s\nscript:\n%s", err, out, script)
	}
	text := string(out)
	for _, row := range want {
		// psql's aligned output: status | count | sum
		line := regexp.MustCompile(`(?m)^ *` + regexp.QuoteMeta(row[0]) + ` +\| +` + row[1] + ` +\| +` + regexp.QuoteMeta(row[2]) + `$`)
		if !line.MatchString(text) {
			t.Errorf("the Quickstart's psql output lacks %v:\n%s", row, text)
		}
	}
	if !strings.Contains(text, "count\n"+paid+"\n") {
		t.Errorf("the Quickstart's query printed no count %s:\n%s", paid, text)
	}
	for _, s := range []string{"Logged in to", "Stored secret shop_pw", "Created connection shop", "orders"} {
		if !strings.Contains(text, s) {
			t.Errorf("the Quickstart's output lacks %q:\n%s", s, text)
		}
	}
}
