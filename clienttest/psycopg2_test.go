package clienttest

import (
	"path/filepath"
	"testing"
	"time"
)

// systemPython is Debian's python3, where python3-psycopg2 installs (not
// a pyenv or virtualenv python found first on PATH).
const systemPython = "/usr/bin/python3"

// TestPsycopg2 runs python/client.py with psycopg2.
func TestPsycopg2(t *testing.T) {
	needFile(t, systemPython, "python3", "python3")
	if _, _, err := runErr(time.Minute, baseEnv(), "", systemPython, "-c", "import psycopg2"); err != nil {
		missing(t, "psycopg2 for "+systemPython, "python3-psycopg2")
	}
	e := start(t)
	dir := t.TempDir()
	script := filepath.Join(srcDir(t), "python", "client.py")
	client := func(t *testing.T, ci connInfo, mode string, v any) {
		t.Helper()
		env := append(append(baseEnv(), sslClientEnv(dir)...), ci.Env()...)
		decode(t, run(t, 2*time.Minute, env, "", systemPython, script, mode), v)
	}
	// psycopg2 reads an interval as a datetime.timedelta, where a month
	// is 30 days and a year 365.
	ov := overrides{"iv": {"m=0 d=428 us=14706500000", "m=0 d=-1 us=0"}}

	var up typesResult
	t.Run("types", func(t *testing.T) {
		client(t, e.upstream(), "types", &up)
		checkTypes(t, "upstream reference", &up, ov)
		for _, label := range []string{"first_read", "cached_read"} {
			var hd typesResult
			client(t, e.hotdata("disable"), "types", &hd)
			checkRead(t, label, &hd, &up, ov)
			if hd.SSL == nil || *hd.SSL {
				t.Errorf("%s: sslmode=disable connection reports ssl_in_use %v", label, hd.SSL)
			}
		}
	})
	t.Run("tls", func(t *testing.T) {
		var hd typesResult
		client(t, e.hotdata("require"), "types", &hd)
		if hd.SSL == nil || !*hd.SSL {
			t.Errorf("sslmode=require connection reports ssl_in_use %v", hd.SSL)
		}
		checkRead(t, "tls", &hd, &up, ov)
	})
	t.Run("big", func(t *testing.T) {
		var s bigSummary
		client(t, e.hotdata("disable"), "big", &s)
		if s != expectedBig() {
			t.Errorf("100,000 rows: read %+v, want %+v", s, expectedBig())
		}
	})
	t.Run("big_named_cursor", func(t *testing.T) {
		// Named cursors stream with DECLARE … CURSOR and FETCH 1000.
		var s bigSummary
		client(t, e.hotdata("disable"), "big_named", &s)
		if s != expectedBig() {
			t.Errorf("100,000 rows through a named cursor: read %+v, want %+v", s, expectedBig())
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
