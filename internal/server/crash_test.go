package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestMain lets a test run this binary as a Hotdata control process
// (HOTDATA_TEST_CHILD=control), to kill it for real.
func TestMain(m *testing.M) {
	if os.Getenv("HOTDATA_TEST_CHILD") == "control" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}

// runChild serves as a control process until killed or interrupted.
func runChild() int {
	cfg := server.Default(server.RoleControl)
	cfg.DataDir, cfg.HTTPAddr, cfg.PGAddr = os.Getenv("HOTDATA_DATA_DIR"), os.Getenv("HOTDATA_HTTP_ADDR"), os.Getenv("HOTDATA_PG_ADDR")
	cfg.BootstrapToken = os.Getenv("HOTDATA_BOOTSTRAP_TOKEN")
	if err := childSettings(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	hdtest.AllowTestUpstreams(&cfg)
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p, err := server.Start(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	<-ctx.Done()
	if err := p.Stop(context.Background()); err != nil {
		return 1
	}
	return 0
}

// childSettings sets what the test passes a child in its environment.
func childSettings(cfg *server.Config) error {
	var err error
	if v := os.Getenv("HOTDATA_CDC_ADVANCE_EVERY"); v != "" {
		if cfg.CDCAdvanceEvery, err = time.ParseDuration(v); err != nil {
			return err
		}
	}
	if v := os.Getenv("HOTDATA_SYNC_READERS"); v != "" {
		if cfg.SyncReaders, err = strconv.Atoi(v); err != nil {
			return err
		}
	}
	if v := os.Getenv("HOTDATA_SYNC_PARTS_FROM"); v != "" {
		if cfg.SyncPartsFrom, err = strconv.ParseInt(v, 10, 64); err != nil {
			return err
		}
	}
	return nil
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// child is a control process run from this test binary.
type child struct {
	t                *testing.T
	cmd              *exec.Cmd
	httpAddr, pgAddr string
	dataDir          string
	stderr           lockedBuffer
	env              []string
}

// lockedBuffer is a child's stderr: written by the process's copier
// goroutine while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startChild(t *testing.T, dataDir, httpAddr, pgAddr string) *child {
	t.Helper()
	c := &child{t: t, httpAddr: httpAddr, pgAddr: pgAddr, dataDir: dataDir}
	c.cmd = exec.Command(os.Args[0], "-test.run=^$")
	c.cmd.Env = append(os.Environ(), "HOTDATA_TEST_CHILD=control", "HOTDATA_DATA_DIR="+dataDir, "HOTDATA_HTTP_ADDR="+httpAddr,
		"HOTDATA_PG_ADDR="+pgAddr, "HOTDATA_BOOTSTRAP_TOKEN="+testToken, "HOTDATA_LOG_LEVEL=info")
	c.cmd.Stderr = &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + httpAddr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("child never became ready: %s", c.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *child) api(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, "http://"+c.httpAddr+path, rd)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("X-Workspace-Id", "default")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (c *child) count(t *testing.T, table string) int64 {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), fmt.Sprintf("postgres://admin:%s@%s/default?sslmode=disable", testToken, c.pgAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int64
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// TestKilledMidSync: SIGKILL during a sync. After a restart the previous
// snapshot serves, the half-written files are gone, the job says it was
// interrupted, and a new sync succeeds.
func TestKilledMidSync(t *testing.T) {
	db := testenv.Postgres(t)
	// A view that streams as slowly as the knob says, to be killed mid-way.
	testenv.PostgresExec(t, db,
		`CREATE TABLE base AS SELECT i AS id, md5(i::text) AS label FROM generate_series(1, 20000) i`,
		`CREATE TABLE knob (ms float8)`, `INSERT INTO knob VALUES (0)`,
		`CREATE VIEW slow AS SELECT b.id, b.label FROM base b, LATERAL (SELECT pg_sleep((SELECT ms FROM knob) / 1000) WHERE b.id IS NOT NULL) z`)
	dataDir := t.TempDir()
	httpAddr, pgAddr := freePort(t), freePort(t)
	c := startChild(t, dataDir, httpAddr, pgAddr)
	u, err := url.Parse(db)
	if err != nil {
		t.Fatal(err)
	}
	if status, out := c.api("POST", "/v1/connections", map[string]any{"name": "app", "source_type": "postgres",
		"config": map[string]any{"host": u.Hostname(), "port": portOf(u), "user": u.User.Username(), "database": strings.TrimPrefix(u.Path, "/"), "sslmode": "disable"}}); status != 201 {
		t.Fatalf("create connection: %d %v", status, out)
	}
	if n := c.count(t, "app.slow"); n != 20000 {
		t.Fatalf("first sync: %d rows", n)
	}

	// A slow second sync, killed once it has written some rows.
	testenv.PostgresExec(t, db, `UPDATE knob SET ms = 0.5`, `INSERT INTO base SELECT i, md5(i::text) FROM generate_series(20001, 21000) i`)
	status, out := c.api("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true, "async": true})
	if status != http.StatusAccepted {
		t.Fatalf("async refresh: %d %v", status, out)
	}
	var syncJob string
	deadline := time.Now().Add(30 * time.Second)
	for syncJob == "" {
		_, jobs := c.api("GET", "/v1/jobs", nil)
		for _, j := range jobs["jobs"].([]any) {
			job := j.(map[string]any)
			if job["type"] == "sync" && job["status"] == "running" && job["progress"].(map[string]any)["rows"].(float64) > 0 {
				syncJob = job["id"].(string)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slow sync never reported progress: %v", jobs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	litter, _ := filepath.Glob(filepath.Join(dataDir, "workspaces", "*", "tmp", "snap_*"))
	if len(litter) == 0 {
		t.Fatalf("no sync in progress in tmp/ to be killed")
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()

	// Restart on the same data directory and addresses.
	testenv.PostgresExec(t, db, `UPDATE knob SET ms = 0`)
	c = startChild(t, dataDir, httpAddr, pgAddr)
	if n := c.count(t, "app.slow"); n != 20000 {
		t.Fatalf("after the crash the previous snapshot serves: %d rows, want 20000", n)
	}
	if left, _ := filepath.Glob(filepath.Join(dataDir, "workspaces", "*", "tmp", "snap_*")); len(left) != 0 {
		t.Fatalf("litter left after restart: %v", left)
	}
	_, job := c.api("GET", "/v1/jobs/"+syncJob, nil)
	if job["status"] != "interrupted" || job["completed_at"] == nil {
		t.Fatalf("the killed sync's job: %v", job)
	}
	status, out = c.api("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true})
	if status != http.StatusOK || out["ok"] != true {
		t.Fatalf("refresh after restart: %d %v", status, out)
	}
	if n := c.count(t, "app.slow"); n != 21000 {
		t.Fatalf("after a new sync: %d rows, want 21000", n)
	}
}

func portOf(u *url.URL) int {
	n, _ := strconv.Atoi(u.Port())
	return n
}
