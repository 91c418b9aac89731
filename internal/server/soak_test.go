package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
)

// TestSoak runs many concurrent clients for a bounded time against one
// process, mixing cached, live and prepared queries over pgwire, cancels,
// REST queries (synchronous and asynchronous), syncs and uploads. Every
// answer is checked; no error is allowed but a cancel's own. Afterwards
// goroutines, open files and heap come back near where they started.
// HOTDATA_SOAK_SECONDS sets the duration (CI: 60); -short runs 5 s.
func TestSoak(t *testing.T) {
	duration := 60 * time.Second
	if testing.Short() {
		duration = 5 * time.Second
	}
	if s := os.Getenv("HOTDATA_SOAK_SECONDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("HOTDATA_SOAK_SECONDS=%q: %v", s, err)
		}
		duration = time.Duration(n) * time.Second
	}
	const pgWorkers, restWorkers = 150, 50

	// A login that has not finished in the auth timeout is closed without
	// a word, as PostgreSQL does; under -race on 2 cores, with 200
	// clients, one reconnecting after a cancel has taken over the default
	// 10 s. Logins are not what this test is about.
	h := hdtest.Start(t, func(cfg *server.Config) { cfg.PGAuthTimeout = time.Minute })
	// REST clients beyond the workspace's default 16 concurrent queries
	// would get 429 (a clear refusal, tested elsewhere): raise it.
	h.API("PATCH", "/v1/workspaces/"+h.WSID, map[string]any{"limits": map[string]any{"max_concurrent_queries": restWorkers + 10}}, http.StatusOK)
	const rows = 20000
	h.ConnectUpstream("shop",
		`CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL, s text NOT NULL)`,
		fmt.Sprintf(`INSERT INTO t SELECT g, g %% 97, 'row ' || g FROM generate_series(1, %d) g`, rows))
	ctx := context.Background()

	// want is the answer of the checked query for modulus m.
	want := func(m int) (count, sum int64) {
		for id := 1; id <= rows; id++ {
			if id%m == 0 {
				count++
				sum += int64(id % 97)
			}
		}
		return
	}
	answers := map[int][2]int64{}
	for m := 1; m <= 7; m++ {
		c, s := want(m)
		answers[m] = [2]int64{c, s}
	}
	const checked = "SELECT count(*), sum(v) FROM shop.public.t WHERE id % $1 = 0"

	// Sync the table once (the first read does), then measure the baseline.
	warm, err := pgx.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := warm.QueryRow(ctx, "SELECT count(*) FROM shop.public.t").Scan(&n); err != nil || n != rows {
		t.Fatalf("warm-up: %d rows, %v", n, err)
	}
	warm.Close(ctx)
	runtime.GC()
	baseGoroutines, baseFDs, baseHeap := runtime.NumGoroutine(), openFiles(t), heapInUse()

	// Connect every pgwire client before the clock starts: logins are
	// rate-limited per address, queries are what this soaks.
	conns := make([]*pgx.Conn, pgWorkers)
	for i := range conns {
		cfg, err := pgx.ParseConfig(h.PGURL(testToken, "default", "disable"))
		if err != nil {
			t.Fatal(err)
		}
		if i%4 == 0 {
			cfg.RuntimeParams["hotdata.freshness"] = "live"
		}
		if conns[i], err = pgx.ConnectConfig(ctx, cfg); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}

	var (
		ops      atomic.Int64
		failures atomic.Int64
		mu       sync.Mutex
		examples []string
	)
	fail := func(format string, args ...any) {
		if failures.Add(1) <= 10 {
			mu.Lock()
			examples = append(examples, fmt.Sprintf(format, args...))
			mu.Unlock()
		}
	}
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; time.Now().Before(deadline); k++ {
				m := 1 + (i+k)%7
				switch k % 5 {
				case 0, 1, 2: // cached or live (by connection), prepared with a parameter
					var cnt, sum int64
					if err := c.QueryRow(ctx, checked, m).Scan(&cnt, &sum); err != nil {
						fail("client %d: %v", i, err)
					} else if [2]int64{cnt, sum} != answers[m] {
						fail("client %d m=%d: (%d, %d), want %v", i, m, cnt, sum, answers[m])
					}
				case 3: // the simple protocol
					var cnt int64
					if err := c.QueryRow(ctx, "SELECT count(*) FROM shop.public.t WHERE id % "+strconv.Itoa(m)+" = 0", pgx.QueryExecModeSimpleProtocol).Scan(&cnt); err != nil {
						fail("client %d simple: %v", i, err)
					} else if cnt != answers[m][0] {
						fail("client %d simple m=%d: %d, want %d", i, m, cnt, answers[m][0])
					}
				case 4: // a query cancelled while it runs
					cctx, cancel := context.WithTimeout(ctx, time.Duration(1+k%3)*time.Millisecond)
					var cnt int64
					err := c.QueryRow(cctx, "SELECT count(*) FROM shop.public.t a, shop.public.t b WHERE a.id < b.id AND a.v = b.v").Scan(&cnt)
					cancel()
					if err != nil && !cancelled(err) {
						fail("client %d cancel: %v", i, err)
					}
					if c.IsClosed() {
						// pgx closes its connection when the server's
						// answer to the cancel comes late: connect again.
						nc, err := reconnect(ctx, c.Config())
						if err != nil {
							fail("client %d: reconnecting after a cancel: %v", i, err)
							return
						}
						c = nc
						conns[i] = nc
					}
				}
				ops.Add(1)
			}
		}()
	}
	client := &http.Client{Timeout: 60 * time.Second}
	for i := range restWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; time.Now().Before(deadline); k++ {
				m := 1 + (i+k)%7
				var err error
				switch k % 10 {
				case 9:
					if i%10 == 0 { // a few workers sync and upload
						err = restCall(client, h, "POST", "/v1/refresh", `{"connection_id": "shop", "async": true}`, "application/json", http.StatusAccepted)
						if err == nil {
							err = restCall(client, h, "POST", "/v1/files", "id,name\n1,a\n", "text/csv", http.StatusCreated)
						}
						break
					}
					fallthrough
				case 5, 6, 7, 8:
					// An asynchronous query, polled to its end (a running
					// one counts against the workspace's query limit).
					var body string
					body, err = restRequest(client, h, "POST", "/v1/query", `{"sql": "SELECT count(*) AS n FROM shop.public.t WHERE id % `+strconv.Itoa(m)+` = 0", "async": true}`, "application/json", http.StatusOK, http.StatusAccepted)
					for err == nil && strings.Contains(body, `"status":"running"`) {
						var run struct {
							StatusURL string `json:"status_url"`
						}
						if jerr := json.Unmarshal([]byte(body), &run); jerr != nil || run.StatusURL == "" {
							run.StatusURL = "/v1/query-runs/" + jsonField(body, "id")
						}
						time.Sleep(5 * time.Millisecond)
						body, err = restRequest(client, h, "GET", run.StatusURL, "", "application/json", http.StatusOK)
					}
				default:
					var body string
					body, err = restBody(client, h, "POST", "/v1/query", `{"sql": "SELECT count(*) AS n FROM shop.public.t WHERE id % `+strconv.Itoa(m)+` = 0"}`)
					if err == nil && !strings.Contains(body, strconv.FormatInt(answers[m][0], 10)) {
						err = fmt.Errorf("m=%d: %.200s, want n = %d", m, body, answers[m][0])
					}
				}
				if err != nil {
					fail("rest %d: %v", i, err)
				}
				ops.Add(1)
			}
		}()
	}
	wg.Wait()
	for _, c := range conns {
		c.Close(ctx)
	}
	client.CloseIdleConnections() // this process holds both ends
	t.Logf("%d operations in %s by %d clients", ops.Load(), duration, pgWorkers+restWorkers)
	if f := failures.Load(); f > 0 {
		t.Errorf("%d unexpected errors, e.g.:\n  %s", f, strings.Join(examples, "\n  "))
	}

	// Resources come back: poll, as sessions end asynchronously.
	var goroutines, fds int
	var heap uint64
	for range 100 {
		runtime.GC()
		goroutines, fds, heap = runtime.NumGoroutine(), openFiles(t), heapInUse()
		// The metastore keeps up to 32 SQLite connections (database and
		// WAL file each) once load has opened them.
		if goroutines <= baseGoroutines+20 && fds <= baseFDs+2*32+20 && heap <= 2*baseHeap+64<<20 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	ms := h.P.MetastoreStats()
	t.Logf("metastore: %d open, %d in use, %d idle, waits %d", ms.OpenConnections, ms.InUse, ms.Idle, ms.WaitCount)
	t.Errorf("after the soak: %d goroutines (baseline %d), %d open files (baseline %d: %s), %d MB heap (baseline %d MB)",
		goroutines, baseGoroutines, fds, baseFDs, fdKinds(), heap>>20, baseHeap>>20)
}

// cancelled reports an error that is a cancel's own: the server's 57014
// or the client giving up.
func cancelled(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57014"
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || pgconn.Timeout(err)
}

func openFiles(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("counting open files: %v", err)
	}
	return len(entries)
}

func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// restCall sends a request with the test token and checks its status.
func restCall(c *http.Client, h *hdtest.Harness, method, path, body, contentType string, want ...int) error {
	_, err := restRequest(c, h, method, path, body, contentType, want...)
	return err
}

// restBody sends a JSON request and returns the 200 answer's body.
func restBody(c *http.Client, h *hdtest.Harness, method, path, body string) (string, error) {
	return restRequest(c, h, method, path, body, "application/json", http.StatusOK)
}

func restRequest(c *http.Client, h *hdtest.Harness, method, path, body, contentType string, want ...int) (string, error) {
	req, err := http.NewRequest(method, "http://"+h.P.HTTPAddr()+path, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("X-Workspace-Id", h.WSID)
	req.Header.Set("Content-Type", contentType)
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, rerr := resp.Body.Read(buf)
		b.Write(buf[:n])
		if rerr != nil {
			break
		}
	}
	for _, w := range want {
		if resp.StatusCode == w {
			return b.String(), nil
		}
	}
	return b.String(), fmt.Errorf("%s %s: %d %.200s", method, path, resp.StatusCode, b.String())
}

// fdKinds summarizes the open files: sockets by their state in
// /proc/net/tcp, and other files.
func fdKinds() string {
	entries, _ := os.ReadDir("/proc/self/fd")
	kinds := map[string]int{}
	for _, e := range entries {
		target, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err != nil {
			continue
		}
		if strings.HasPrefix(target, "socket:") {
			target = "socket"
		}
		kinds[target]++
	}
	return fmt.Sprint(kinds)
}

// jsonField is a top-level string field of a JSON object, or "".
func jsonField(body, name string) string {
	var m map[string]any
	if json.Unmarshal([]byte(body), &m) != nil {
		return ""
	}
	v, _ := m[name].(string)
	return v
}

// reconnect connects again, as a well-behaved client does when the
// server says too many logins from its address are under way (53300):
// after a pause.
func reconnect(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	for attempt := 0; ; attempt++ {
		c, err := pgx.ConnectConfig(ctx, cfg)
		var pe *pgconn.PgError
		if err == nil || attempt == 50 || !errors.As(err, &pe) || pe.Code != "53300" {
			return c, err
		}
		time.Sleep(time.Duration(10+attempt*5) * time.Millisecond)
	}
}
