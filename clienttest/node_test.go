package clienttest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestNodePostgres runs node/client.js with node-postgres (pg).
func TestNodePostgres(t *testing.T) {
	node := tool(t, "node", "nodejs")
	dir := filepath.Join(srcDir(t), "node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "pg", "package.json")); err != nil {
		npm := tool(t, "npm", "npm")
		// npm ci installs exactly what package-lock.json pins.
		ci := run(t, 5*time.Minute, baseEnv(), "", npm, "ci", "--prefix", dir, "--no-audit", "--no-fund")
		t.Logf("npm ci: %s", ci)
	}
	e := start(t)
	client := func(t *testing.T, ci connInfo, mode string, v any) {
		t.Helper()
		env := append(baseEnv(), ci.Env()...)
		decode(t, run(t, 2*time.Minute, env, "", node, filepath.Join(dir, "client.js"), mode), v)
	}
	// JavaScript dates have milliseconds: node-postgres drops the rest.
	ov := overrides{
		"ts":   {"2024-03-01 12:30:45.123000", "1970-01-01 00:00:00.000000"},
		"tstz": {"2024-03-01T12:30:45.123Z", "1999-12-31T18:29:59Z"},
	}

	for _, mode := range []struct {
		name, mode string
		reads      []string
	}{
		{"simple", "types", []string{"first_read", "cached_read"}},
		{"extended", "types_extended", []string{"cached_read"}},
	} {
		t.Run("types_"+mode.name, func(t *testing.T) {
			var up typesResult
			client(t, e.upstream(), mode.mode, &up)
			checkTypes(t, "upstream reference", &up, ov)
			for _, label := range mode.reads {
				var hd typesResult
				client(t, e.hotdata("disable"), mode.mode, &hd)
				checkRead(t, label, &hd, &up, ov)
				if hd.SSL == nil || *hd.SSL {
					t.Errorf("%s: sslmode=disable connection is encrypted: %v", label, hd.SSL)
				}
			}
			t.Run("tls", func(t *testing.T) {
				var hd typesResult
				client(t, e.hotdata("require"), mode.mode, &hd)
				if hd.SSL == nil || !*hd.SSL {
					t.Errorf("ssl: {rejectUnauthorized: false} connection is not encrypted: %v", hd.SSL)
				}
				checkRead(t, "tls", &hd, &up, ov)
			})
		})
	}
	t.Run("big", func(t *testing.T) {
		var s bigSummary
		client(t, e.hotdata("disable"), "big", &s)
		if s != expectedBig() {
			t.Errorf("100,000 rows: read %+v, want %+v", s, expectedBig())
		}
	})
	t.Run("prepared", func(t *testing.T) {
		var p preparedResult
		client(t, e.hotdata("disable"), "prepared", &p)
		checkPrepared(t, "hotdata", p)
	})
	t.Run("cancel", func(t *testing.T) {
		var c cancelResult
		client(t, e.hotdata("disable"), "cancel", &c)
		checkCancel(t, "hotdata", c)
	})
}
