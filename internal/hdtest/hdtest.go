package hdtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/server"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// Token is the admin token every harness bootstraps with.
const Token = "hd_e2etesttokenthatisfixedforautomation0000001"

// Harness is a running control process with pgwire.
type Harness struct {
	T       testing.TB
	P       *server.Process
	DataDir string
	WSID    string
	// Upstream is the URL of the last database ConnectUpstream made.
	Upstream string
}

// Option changes the process configuration before it starts.
type Option func(*server.Config)

// AllowTestUpstreams lets connections reach the test databases: loopback
// (testenv's local services) and private networks (its containers). The
// server's default egress policy denies both.
func AllowTestUpstreams(cfg *server.Config) {
	cfg.EgressAllow = TestUpstreamNetworks()
}

// TestUpstreamNetworks are the networks AllowTestUpstreams allows.
func TestUpstreamNetworks() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range []string{"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}

// logTo holds the writers StartLogged gives Start, by test.
var (
	logMu sync.Mutex
	logTo = map[testing.TB]io.Writer{}
)

// StartLogged is Start with the process's log written to w as JSON, at
// debug level.
func StartLogged(t testing.TB, w io.Writer, opts ...Option) *Harness {
	t.Helper()
	logMu.Lock()
	logTo[t] = w
	logMu.Unlock()
	defer func() {
		logMu.Lock()
		delete(logTo, t)
		logMu.Unlock()
	}()
	return Start(t, opts...)
}

// Start runs a control process for the test; it stops at cleanup.
func Start(t testing.TB, opts ...Option) *Harness {
	t.Helper()
	cfg := server.Default(server.RoleControl)
	cfg.DataDir = t.TempDir()
	cfg.HTTPAddr = "127.0.0.1:0"
	cfg.PGAddr = "127.0.0.1:0"
	cfg.BootstrapToken = Token
	cfg.EngineThreads = 2
	cfg.EngineMemoryBytes = 1 << 30
	AllowTestUpstreams(&cfg)
	for _, o := range opts {
		o(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("HOTDATA_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	logMu.Lock()
	w := logTo[t]
	logMu.Unlock()
	if w != nil {
		log = slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	p, err := server.Start(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := p.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return &Harness{T: t, P: p, DataDir: cfg.DataDir, WSID: p.Bootstrapped.Workspace.ID}
}

// API calls the REST API and decodes the JSON answer, failing the test
// on another status than want.
func (h *Harness) API(method, path string, body any, want int) map[string]any {
	h.T.Helper()
	status, out := h.APIRaw(method, path, body, Token, h.WSID)
	if status != want {
		h.T.Fatalf("%s %s = %d %v, want %d", method, path, status, out, want)
	}
	return out
}

// APIRaw calls the REST API with the given token and workspace header.
func (h *Harness) APIRaw(method, path string, body any, token, ws string) (int, map[string]any) {
	h.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, "http://"+h.P.HTTPAddr()+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ws != "" {
		req.Header.Set("X-Workspace-Id", ws)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.T.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			h.T.Fatalf("%s %s: not JSON: %s", method, path, data)
		}
	}
	return resp.StatusCode, out
}

// ConnectUpstream makes a fresh upstream PostgreSQL database, runs stmts
// in it, and registers it as connection name (password via a secret).
func (h *Harness) ConnectUpstream(name string, stmts ...string) map[string]any {
	h.T.Helper()
	h.Upstream = testenv.Postgres(h.T)
	testenv.PostgresExec(h.T, h.Upstream, stmts...)
	return h.Register(name, h.Upstream)
}

// Register registers an existing upstream database URL as connection name.
func (h *Harness) Register(name, dbURL string) map[string]any {
	h.T.Helper()
	u, _ := url.Parse(dbURL)
	port, _ := strconv.Atoi(u.Port())
	h.API("POST", "/v1/secrets", map[string]any{"name": name + "_pw", "value": "unused-with-trust-auth"}, http.StatusCreated)
	return h.API("POST", "/v1/connections", map[string]any{
		"name": name, "source_type": "postgres", "secret_name": name + "_pw",
		"config": map[string]any{"host": u.Hostname(), "port": port, "user": u.User.Username(), "database": u.Path[1:], "sslmode": "disable"},
	}, http.StatusCreated)
}

// PGURL is a libpq URL to the workspace database with the token as password.
func (h *Harness) PGURL(token, database, sslmode string) string {
	return fmt.Sprintf("postgres://admin:%s@%s/%s?sslmode=%s", url.QueryEscape(token), h.P.PGAddr(), database, sslmode)
}

// PGHostPort splits the pgwire address.
func (h *Harness) PGHostPort() (string, string) {
	host, port, _ := strings.Cut(h.P.PGAddr(), ":")
	return host, port
}

// LogBuffer is a bytes.Buffer that goroutines (a process's logger, a
// child's output copier) may write while the test reads it.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
