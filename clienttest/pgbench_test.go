package clienttest

import (
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestPgbench runs pgbench's built-in select-only script through Hotdata
// with each query protocol, from the cache and live from the upstream.
func TestPgbench(t *testing.T) {
	pgbench := tool(t, "pgbench", "postgresql-client")
	e := start(t)
	// pgbench's own tables, made by pgbench -i in a second upstream
	// database registered as connection bench.
	bench := testenv.Postgres(t)
	run(t, 2*time.Minute, baseEnv(), "", pgbench, "-i", "-s", "1", "-q", bench)
	e.Register("bench", bench)

	ctx := context.Background()
	const live = "-c hotdata.freshness=live"
	// The startup options set the session's freshness.
	cfg, err := pgx.ParseConfig(e.hotdata("disable").URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["options"] = live
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var freshness string
	err = conn.QueryRow(ctx, "SHOW hotdata.freshness").Scan(&freshness)
	conn.Close(ctx)
	if err != nil || freshness != "live" {
		t.Fatalf("SHOW hotdata.freshness with options %q = %q, %v", live, freshness, err)
	}

	processed := regexp.MustCompile(`(?m)^number of transactions actually processed: (\d+)`)
	failed := regexp.MustCompile(`(?m)^number of failed transactions: (\d+)`)
	tps := regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
	for _, freshness := range []struct{ name, options string }{{"cached", ""}, {"live", live}} {
		for _, mode := range []string{"simple", "extended", "prepared"} {
			t.Run(freshness.name+"/"+mode, func(t *testing.T) {
				env := append(baseEnv(), e.hotdata("disable").Env()...)
				if freshness.options != "" {
					env = append(env, "PGOPTIONS="+freshness.options)
				}
				out, stderr, err := runErr(time.Minute, env, "", pgbench, "-n", "-S", "-T", "3", "-c", "2", "-M", mode)
				if err != nil {
					t.Fatalf("pgbench -M %s: %v\n%s\n%s", mode, err, out, clip(stderr))
				}
				m := processed.FindSubmatch(out)
				f := failed.FindSubmatch(out)
				r := tps.FindSubmatch(out)
				if m == nil || f == nil || r == nil {
					t.Fatalf("pgbench -M %s printed no transaction, failure or tps line:\n%s\n%s", mode, out, clip(stderr))
				}
				n, _ := strconv.Atoi(string(m[1]))
				rate, _ := strconv.ParseFloat(string(r[1]), 64)
				if n == 0 || string(f[1]) != "0" || rate <= 0 {
					t.Errorf("pgbench -M %s: %d transactions, %s failed, tps %s\n%s", mode, n, f[1], r[1], out)
				}
				t.Logf("-M %s, %s: %d transactions, tps %s", mode, freshness.name, n, r[1])
			})
		}
	}
}
