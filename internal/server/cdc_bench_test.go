package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// BenchmarkCDCVisibility measures how long a change committed upstream
// takes to show in Hotdata's cached answers under the cdc policy: at rest
// (one change at a time), and while another client commits about 1,000
// changes a second. Each iteration commits one marker update and polls
// the cache for it every millisecond; it reports p50 and p99 and, under
// load, the changes per second the stream applied.
//
//	go test -tags duckdb_arrow -run '^$' -bench CDCVisibility -benchtime 100x ./internal/server
func BenchmarkCDCVisibility(b *testing.B) {
	up := testenv.StartPrivatePostgres(b, "-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10")
	upURL := up.URL("postgres")
	testenv.PostgresExec(b, upURL,
		`CREATE TABLE marks (id int PRIMARY KEY, v bigint)`, `INSERT INTO marks VALUES (1, 0)`,
		`CREATE TABLE churn (id int PRIMARY KEY, v bigint, pad text)`, `INSERT INTO churn SELECT g, 0, md5(g::text) FROM generate_series(1, 100000) g`)
	h := hdtest.Start(b)
	h.Register("src", upURL)
	for _, t := range []string{"marks", "churn"} {
		h.API("PUT", "/v1/connections/src/tables/public/"+t+"/policy", map[string]any{"refresh": "cdc"}, http.StatusOK)
	}
	upc, err := pgx.Connect(context.Background(), upURL)
	if err != nil {
		b.Fatal(err)
	}
	defer upc.Close(context.Background())
	w, err := pgx.Connect(context.Background(), upURL)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close(context.Background())
	benchVisibility(b, h, "src.public", func(v int64) error {
		_, err := upc.Exec(context.Background(), "UPDATE marks SET v = $1 WHERE id = 1", v)
		return err
	}, func(lo int) error {
		_, err := w.Exec(context.Background(), fmt.Sprintf("UPDATE churn SET v = v + 1 WHERE id > %d AND id <= %d", lo, lo+50))
		return err
	})
}

// BenchmarkCDCVisibilityMariaDB is BenchmarkCDCVisibility with a MariaDB
// upstream, its changes read from the binary log.
func BenchmarkCDCVisibilityMariaDB(b *testing.B) {
	m := testenv.StartPrivateMariaDB(b)
	testenv.MariaDBExec(b, m.DSN(""), "CREATE DATABASE up")
	testenv.MariaDBExec(b, m.DSN("up"),
		`CREATE TABLE marks (id int PRIMARY KEY, v bigint)`, `INSERT INTO marks VALUES (1, 0)`,
		`CREATE TABLE churn (id int PRIMARY KEY, v bigint, pad text)`, `INSERT INTO churn SELECT seq, 0, MD5(seq) FROM seq_1_to_100000`)
	h := hdtest.Start(b)
	h.API("POST", "/v1/connections", map[string]any{"name": "src", "source_type": "mysql",
		"config": map[string]any{"host": "127.0.0.1", "port": m.Port(), "user": "root", "database": "up", "tls": "disable"}}, http.StatusCreated)
	for _, t := range []string{"marks", "churn"} {
		h.API("PUT", "/v1/connections/src/tables/up/"+t+"/policy", map[string]any{"refresh": "cdc"}, http.StatusOK)
	}
	up, err := sql.Open("mysql", m.DSN("up"))
	if err != nil {
		b.Fatal(err)
	}
	defer up.Close()
	up.SetMaxOpenConns(2)
	benchVisibility(b, h, "src.up", func(v int64) error {
		_, err := up.Exec("UPDATE marks SET v = ? WHERE id = 1", v)
		return err
	}, func(lo int) error {
		_, err := up.Exec(fmt.Sprintf("UPDATE churn SET v = v + 1 WHERE id > %d AND id <= %d", lo, lo+50))
		return err
	})
}

// benchVisibility runs the visibility benchmark on tables marks and
// churn of schema (connection.schema): mark commits the marker's next
// value upstream, churn updates 50 rows of churn after id lo.
func benchVisibility(b *testing.B, h *hdtest.Harness, schema string, mark func(int64) error, churn func(lo int) error) {
	ctx := context.Background()
	hd, err := pgx.Connect(ctx, h.PGURL(hdtest.Token, "default", "disable"))
	if err != nil {
		b.Fatal(err)
	}
	defer hd.Close(ctx)
	read := func() int64 {
		var v int64
		if err := hd.QueryRow(ctx, "SELECT v FROM "+schema+".marks WHERE id = 1", pgx.QueryExecModeSimpleProtocol).Scan(&v); err != nil {
			b.Fatal(err)
		}
		return v
	}
	var cnt int
	if err := hd.QueryRow(ctx, "SELECT count(*) FROM "+schema+".churn").Scan(&cnt); err != nil || cnt != 100000 {
		b.Fatalf("churn: %d, %v", cnt, err)
	}
	read() // the first read of marks
	var next atomic.Int64
	measure := func(b *testing.B) []time.Duration {
		var lat []time.Duration
		for i := 0; i < b.N; i++ {
			want := next.Add(1)
			if err := mark(want); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			for read() != want {
				if time.Since(start) > 30*time.Second {
					b.Fatalf("change %d not visible after 30 s", want)
				}
				time.Sleep(time.Millisecond)
			}
			lat = append(lat, time.Since(start))
		}
		return lat
	}
	report := func(b *testing.B, lat []time.Duration) {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		p := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
		b.ReportMetric(p(0.5), "p50-ms")
		b.ReportMetric(p(0.99), "p99-ms")
		b.ReportMetric(0, "ns/op")
	}
	b.Run("rest", func(b *testing.B) {
		report(b, measure(b))
	})
	b.Run("load1000", func(b *testing.B) {
		// About 1,000 changes a second: 20 transactions of 50 updates.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var changes atomic.Int64
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				if err := churn((n * 50) % 100000); err != nil {
					b.Error(err)
					return
				}
				changes.Add(50)
			}
		}()
		time.Sleep(time.Second) // the stream at its pace
		start := time.Now()
		before := changes.Load()
		lat := measure(b)
		elapsed := time.Since(start)
		close(stop)
		wg.Wait()
		report(b, lat)
		b.ReportMetric(float64(changes.Load()-before)/elapsed.Seconds(), "upstream-changes/s")
	})
}
