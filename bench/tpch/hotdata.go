package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// token is the fixed admin token Hotdata is started with.
const token = "hd_benchtoken_0000000000000000000000000000003"

// hotdata is a running cmd/control process with its own data directory.
type hotdata struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	dataDir string
	logPath string
	httpURL string
	pgHost  string
	pgPort  uint16
	client  *http.Client
}

// buildHotdata builds cmd/control of the module at root into out.
func buildHotdata(ctx context.Context, root, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "duckdb_arrow", "-o", out, "./cmd/control")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/control: %w", err)
	}
	return nil
}

// moduleRoot is the folder of the go.mod the benchmark runs in.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run from inside the hotdata module")
	}
	return filepath.Dir(mod), nil
}

// freePort asks the kernel for a port nobody listens on (free when
// returned; Hotdata binds it a moment later).
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startHotdata starts bin with a data directory under work and waits until
// it is ready.
func startHotdata(ctx context.Context, bin, work string) (*hotdata, error) {
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	pgPort, err := freePort()
	if err != nil {
		return nil, err
	}
	h := &hotdata{
		exited:  make(chan struct{}),
		dataDir: filepath.Join(work, "data"),
		logPath: filepath.Join(work, "hotdata.log"),
		httpURL: "http://127.0.0.1:" + strconv.Itoa(httpPort),
		pgHost:  "127.0.0.1",
		pgPort:  uint16(pgPort),
		// A synchronous refresh of a large table takes minutes.
		client: &http.Client{Timeout: 2 * time.Hour},
	}
	logFile, err := os.Create(h.logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	h.cmd = exec.Command(bin)
	h.cmd.Env = append(os.Environ(),
		"HOTDATA_DATA_DIR="+h.dataDir,
		"HOTDATA_HTTP_ADDR=127.0.0.1:"+strconv.Itoa(httpPort),
		"HOTDATA_PG_ADDR=127.0.0.1:"+strconv.Itoa(pgPort),
		"HOTDATA_BOOTSTRAP_TOKEN="+token,
		"HOTDATA_LOG_LEVEL=warn",
		"HOTDATA_EGRESS_ALLOW=127.0.0.0/8,::1", // the upstreams run on this machine
	)
	h.cmd.Stdout, h.cmd.Stderr = logFile, logFile
	if err := h.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		h.cmd.Wait()
		close(h.exited)
	}()
	deadline := time.Now().Add(time.Minute)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.httpURL+"/readyz", nil)
		if resp, err := h.client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return h, nil
			}
		}
		select {
		case <-h.exited:
			return nil, fmt.Errorf("hotdata exited at start-up: %s", h.logTail())
		case <-ctx.Done():
			h.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			h.stop()
			return nil, fmt.Errorf("hotdata not ready after a minute: %s", h.logTail())
		}
	}
}

// stop asks Hotdata to drain, and kills it when it takes too long.
func (h *hotdata) stop() {
	h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-h.exited:
	case <-time.After(40 * time.Second):
		h.cmd.Process.Kill()
		<-h.exited
	}
}

// logTail is the end of Hotdata's log, for error messages.
func (h *hotdata) logTail() string {
	b, _ := os.ReadFile(h.logPath)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return strings.TrimSpace(string(b))
}

// api sends one REST call; a status other than 2xx is an error carrying
// the answer.
func (h *hotdata) api(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.httpURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Workspace-Id", "default")
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: %w (%s)", method, path, err, b)
		}
	}
	return nil
}

// addConnection registers the upstream database as connection name.
func (h *hotdata) addConnection(ctx context.Context, name string, up *pgx.ConnConfig) error {
	cfg := map[string]any{
		"host": up.Host, "port": up.Port, "user": up.User, "database": up.Database, "sslmode": "disable",
	}
	if up.Password != "" {
		cfg["password"] = up.Password
	}
	var out struct {
		TablesDiscovered int    `json:"tables_discovered"`
		DiscoveryStatus  string `json:"discovery_status"`
		DiscoveryError   string `json:"discovery_error"`
	}
	if err := h.api(ctx, http.MethodPost, "/v1/connections",
		map[string]any{"name": name, "source_type": "postgres", "config": cfg}, &out); err != nil {
		return err
	}
	if out.DiscoveryStatus != "succeeded" || out.TablesDiscovered < len(tables) {
		return fmt.Errorf("connection %s: discovery %s, %d tables: %s", name, out.DiscoveryStatus, out.TablesDiscovered, out.DiscoveryError)
	}
	return nil
}

// syncedTable is one table's outcome in a data refresh.
type syncedTable struct {
	Schema   string `json:"schema"`
	Table    string `json:"table"`
	Status   string `json:"status"`
	RowCount int64  `json:"row_count"`
	Error    string `json:"error"`
}

// syncAll syncs every table of a connection, cached or not, and waits.
func (h *hotdata) syncAll(ctx context.Context, conn string) ([]syncedTable, error) {
	var out struct {
		OK     bool          `json:"ok"`
		Tables []syncedTable `json:"tables"`
	}
	err := h.api(ctx, http.MethodPost, "/v1/refresh",
		map[string]any{"connection_id": conn, "data": true, "include_uncached": true}, &out)
	if err != nil {
		return nil, err
	}
	if !out.OK {
		var failed []string
		for _, t := range out.Tables {
			if t.Status != "succeeded" {
				failed = append(failed, t.Table+": "+t.Error)
			}
		}
		return out.Tables, fmt.Errorf("refresh failed: %s", strings.Join(failed, "; "))
	}
	return out.Tables, nil
}

// snapshotDir is the newest snapshot folder of an upstream table:
// <data dir>/workspaces/<ws>/tables/<conn id>/<schema>/<table>/<snapshot>.
func (h *hotdata) snapshotDir(schema, tableName string) (string, error) {
	dirs, err := filepath.Glob(filepath.Join(h.dataDir, "workspaces", "*", "tables", "*", schema, tableName, "*"))
	if err != nil {
		return "", err
	}
	var newest string
	var newestTime time.Time
	for _, d := range dirs {
		st, err := os.Stat(d)
		if err != nil || !st.IsDir() {
			continue
		}
		if files, _ := filepath.Glob(filepath.Join(d, "*.parquet")); len(files) == 0 {
			continue
		}
		if newest == "" || st.ModTime().After(newestTime) {
			newest, newestTime = d, st.ModTime()
		}
	}
	if newest == "" {
		return "", fmt.Errorf("no snapshot of %s.%s under %s", schema, tableName, h.dataDir)
	}
	return newest, nil
}

// dirBytes is the total size of the Parquet files in a folder.
func dirBytes(dir string) int64 {
	files, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
	var n int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

// connConfig is the pgx configuration of a session on Hotdata's pgwire
// endpoint: the token is the password, the workspace the database.
func (h *hotdata) connConfig() (*pgx.ConnConfig, error) {
	return pgx.ParseConfig(fmt.Sprintf("postgres://bench:%s@%s:%d/default?sslmode=disable", token, h.pgHost, h.pgPort))
}
