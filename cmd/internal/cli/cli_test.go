package cli

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig(server.RoleControl, nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if cfg.DataDir != filepath.Join(wd, "hotdata-data") || cfg.HTTPAddr != "127.0.0.1:8080" || cfg.PGAddr != "127.0.0.1:5433" ||
		cfg.MetastoreURL != "sqlite://"+filepath.Join(wd, "hotdata-data", "meta.db") {
		t.Fatalf("defaults = %+v", cfg)
	}
	cfg, err = ParseConfig(server.RoleControl, []string{"-http-addr", "0.0.0.0:9000", "-engine-memory", "2GB"}, env(map[string]string{
		"HOTDATA_DATA_DIR": "/srv/hd", "HOTDATA_HTTP_ADDR": "127.0.0.1:1", "HOTDATA_PG_ADDR": "", "HOTDATA_LOG_FORMAT": "json",
		"HOTDATA_METASTORE_URL": "postgres://meta@db/hotdata", "HOTDATA_ENGINE_THREADS": "3",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// The flag wins over its variable; an empty HOTDATA_PG_ADDR turns pgwire off.
	if cfg.HTTPAddr != "0.0.0.0:9000" || cfg.DataDir != "/srv/hd" || cfg.PGAddr != "" || cfg.LogFormat != "json" ||
		cfg.MetastoreURL != "postgres://meta@db/hotdata" || cfg.EngineMemoryBytes != 2<<30 || cfg.EngineThreads != 3 {
		t.Fatalf("parsed = %+v", cfg)
	}
	for _, bad := range []struct {
		role server.Role
		args []string
		env  map[string]string
	}{
		{server.RoleControl, []string{"-http-addr", "nohostport"}, nil},
		{server.RoleControl, nil, map[string]string{"HOTDATA_LOG_FORMAT": "xml"}},
		{server.RoleControl, []string{"-engine-memory", "lots"}, nil},
		{server.RoleControl, []string{"extra"}, nil},
		{server.RoleProxy, nil, map[string]string{"HOTDATA_PG_ADDR": ""}},
		{server.RoleProxy, []string{"-http-addr", "x:1"}, nil}, // the proxy has no HTTP flag
		{server.RoleProxy, []string{"-max-upload-bytes", "1GB"}, nil},
		{server.RoleProxy, []string{"-sync-parallelism", "4"}, nil},
	} {
		if _, err := ParseConfig(bad.role, bad.args, env(bad.env), io.Discard); err == nil {
			t.Errorf("%s %v %v accepted", bad.role, bad.args, bad.env)
		}
	}
}

// TestUsage: -h lists each binary's own flags, with their variables.
func TestUsage(t *testing.T) {
	for role, c := range map[server.Role]struct{ has, hasNot []string }{
		server.RoleControl: {has: []string{"Usage: control [flags]", "-http-addr", "HOTDATA_HTTP_ADDR", "-pg-addr", "-max-upload-bytes", "-sync-parallelism", "-cache-bytes"}},
		server.RoleProxy: {has: []string{"Usage: proxy [flags]", "-pg-addr", "HOTDATA_PG_ADDR", "-metastore-url", "-cache-bytes", "-result-cache-bytes"},
			hasNot: []string{"-http-addr", "-max-upload-bytes", "-sync-parallelism", "REST"}},
	} {
		var out bytes.Buffer
		if code := Main(role, []string{"-h"}, io.Discard, &out); code != 0 {
			t.Fatalf("%s -h: exit %d", role, code)
		}
		for _, s := range c.has {
			if !strings.Contains(out.String(), s) {
				t.Errorf("%s -h lacks %q:\n%s", role, s, out.String())
			}
		}
		for _, s := range c.hasNot {
			if strings.Contains(out.String(), s) {
				t.Errorf("%s -h has %q:\n%s", role, s, out.String())
			}
		}
	}
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

// TestMainBannerAndSignal runs the control plane as main does, checks the
// first-start banner and the probes, then stops it with SIGTERM.
func TestMainBannerAndSignal(t *testing.T) {
	dir := t.TempDir()
	httpAddr, pgAddr := freePort(t), freePort(t)
	var stdout, stderr hdtest.LogBuffer
	code := make(chan int, 1)
	go func() {
		code <- Main(server.RoleControl, []string{"-data-dir", dir, "-http-addr", httpAddr, "-pg-addr", pgAddr}, &stdout, &stderr)
	}()
	waitReady(t, httpAddr, &stderr)
	token, err := os.ReadFile(filepath.Join(dir, "admin-token"))
	if err != nil {
		t.Fatal(err)
	}
	tok := strings.TrimSpace(string(token))
	banner := stdout.String()
	if !strings.Contains(banner, tok) || !strings.Contains(banner, "psql \"postgres://admin:"+tok+"@127.0.0.1:") ||
		!strings.Contains(banner, "curl -H \"Authorization: Bearer "+tok) {
		t.Fatalf("banner:\n%s", banner)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit code %d\n%s", c, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("did not stop on SIGTERM")
	}
	if !strings.Contains(stderr.String(), "shutting down") || !strings.Contains(stderr.String(), "stopped") {
		t.Fatalf("log:\n%s", stderr.String())
	}
	// A second start does not bootstrap again, and prints no token.
	stdout = hdtest.LogBuffer{}
	go func() {
		code <- Main(server.RoleControl, []string{"-data-dir", dir, "-http-addr", httpAddr, "-pg-addr", pgAddr}, &stdout, &stderr)
	}()
	waitReady(t, httpAddr, &stderr)
	_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
	if c := <-code; c != 0 || strings.Contains(stdout.String(), "hd_") {
		t.Fatalf("second start: code %d, stdout %q", c, stdout.String())
	}
	// Every start logs that it is ready, with both addresses.
	if n := strings.Count(stderr.String(), `msg="hotdata ready: accepting connections" role=control http=`+httpAddr+" pgwire="+pgAddr); n != 2 {
		t.Fatalf("%d ready lines in the log:\n%s", n, stderr.String())
	}
}

// waitReady polls /readyz; the signal handler is in place once it answers.
func waitReady(t *testing.T, addr string, log *hdtest.LogBuffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v\n%s", err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestParseEgress: HOTDATA_EGRESS_ALLOW/DENY and their flags; the
// default policy denies loopback, "none" empties the deny list, and a
// malformed network is an error.
func TestParseEgress(t *testing.T) {
	loopback := netip.MustParseAddr("127.0.0.1")
	cfg, err := ParseConfig(server.RoleControl, nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.EgressPolicy().Allowed(loopback) || cfg.EgressPolicy().Allowed(netip.MustParseAddr("169.254.169.254")) {
		t.Fatalf("the default policy allows loopback or metadata: %+v", cfg.EgressPolicy())
	}
	cfg, err = ParseConfig(server.RoleControl, nil, env(map[string]string{"HOTDATA_EGRESS_ALLOW": "127.0.0.0/8,::1"}), io.Discard)
	if err != nil || !cfg.EgressPolicy().Allowed(loopback) || cfg.EgressPolicy().Allowed(netip.MustParseAddr("10.0.0.1")) {
		t.Fatalf("HOTDATA_EGRESS_ALLOW: %v %+v", err, cfg.EgressPolicy())
	}
	cfg, err = ParseConfig(server.RoleProxy, []string{"-egress-deny", "none"}, env(map[string]string{"HOTDATA_EGRESS_DENY": "10.0.0.0/8"}), io.Discard)
	if err != nil || !cfg.EgressPolicy().Allowed(netip.MustParseAddr("10.0.0.1")) || cfg.EgressPolicy().Allowed(netip.MustParseAddr("fd00:ec2::254")) {
		t.Fatalf("-egress-deny none: %v %+v", err, cfg.EgressPolicy())
	}
	if _, err := ParseConfig(server.RoleControl, nil, env(map[string]string{"HOTDATA_EGRESS_ALLOW": "10.0.0.0/33"}), io.Discard); err == nil || !strings.Contains(err.Error(), "HOTDATA_EGRESS_ALLOW") {
		t.Fatalf("a malformed network: %v", err)
	}
}
