package clienttest

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// pythonClient runs one of the python/ client programs with Debian's
// python3, failing (or skipping) the test when the module it needs is
// missing. mode is the program's arguments, separated by spaces.
func pythonClient(t *testing.T, module, pkg, script string) func(t *testing.T, ci connInfo, mode string, v any) {
	t.Helper()
	needFile(t, systemPython, "python3", "python3")
	if _, _, err := runErr(time.Minute, baseEnv(), "", systemPython, "-c", "import "+module); err != nil {
		missing(t, module+" for "+systemPython, pkg)
	}
	path := filepath.Join(srcDir(t), "python", script)
	dir := t.TempDir()
	return func(t *testing.T, ci connInfo, mode string, v any) {
		t.Helper()
		env := append(append(baseEnv(), sslClientEnv(dir)...), ci.Env()...)
		decode(t, run(t, 2*time.Minute, env, "", systemPython, append([]string{path}, strings.Fields(mode)...)...), v)
	}
}

// sameAsUpstream runs a client mode against the upstream PostgreSQL and
// through Hotdata and compares everything the client printed: a
// differential test, where PostgreSQL's answer is the expectation.
func sameAsUpstream(t *testing.T, e *env, client func(*testing.T, connInfo, string, any), mode string) {
	t.Helper()
	var up, hd map[string]any
	client(t, e.upstream(), mode, &up)
	client(t, e.hotdata("disable"), mode, &hd)
	compareMaps(t, mode, up, hd)
}

// compareMaps reports every key whose value differs between what a
// client read from PostgreSQL (up) and through Hotdata (hd).
func compareMaps(t *testing.T, label string, up, hd map[string]any) {
	t.Helper()
	keys := map[string]bool{}
	for k := range up {
		keys[k] = true
	}
	for k := range hd {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		if !reflect.DeepEqual(up[k], hd[k]) {
			u, _ := json.Marshal(up[k])
			h, _ := json.Marshal(hd[k])
			t.Errorf("%s: %s:\n  PostgreSQL: %s\n  Hotdata:    %s", label, k, u, h)
		}
	}
}

// intervalAsTimedelta: asyncpg and psycopg read an interval as a
// datetime.timedelta (a month is 30 days).
var intervalAsTimedelta = overrides{"iv": {"m=0 d=428 us=14706500000", "m=0 d=-1 us=0"}}

// asyncpgTypes is what python/asyncpg_client.py types prints.
type asyncpgTypes struct {
	typesResult
	Settings  map[string]string `json:"settings"`
	FullError *struct {
		SQLState string `json:"sqlstate"`
		Error    string `json:"error"`
	} `json:"full_error"`
}

// TestAsyncpg runs python/asyncpg_client.py with asyncpg, which speaks
// the protocol itself: client_encoding='utf-8' at start-up, every
// statement prepared, binary results, type introspection queries for
// types it does not know, portals as cursors, a pool's reset query.
func TestAsyncpg(t *testing.T) {
	client := pythonClient(t, "asyncpg", "python3-asyncpg", "asyncpg_client.py")
	e := start(t)
	var up asyncpgTypes
	t.Run("types", func(t *testing.T) {
		client(t, e.upstream(), "types", &up)
		if up.FullError != nil {
			t.Fatalf("upstream reference: %s %s", up.FullError.SQLState, up.FullError.Error)
		}
		checkTypes(t, "upstream reference", &up.typesResult, intervalAsTimedelta)
		for _, label := range []string{"first_read", "cached_read"} {
			var hd asyncpgTypes
			client(t, e.hotdata("disable"), "types", &hd)
			if hd.FullError != nil {
				t.Errorf("%s: preparing the statement of every column failed: %s %s", label, hd.FullError.SQLState, hd.FullError.Error)
			}
			if hd.Settings["client_encoding"] != "UTF8" {
				t.Errorf("%s: client_encoding is %q, want UTF8", label, hd.Settings["client_encoding"])
			}
			checkRead(t, label, &hd.typesResult, &up.typesResult, intervalAsTimedelta)
		}
	})
	t.Run("big", func(t *testing.T) {
		var s bigSummary
		client(t, e.hotdata("disable"), "big", &s)
		if s != expectedBig() {
			t.Errorf("100,000 rows: read %+v, want %+v", s, expectedBig())
		}
	})
	// asyncpg prints a numeric from its binary form as a Decimal with
	// an exponent (15000150000 is 1.500015E+10): the same with
	// PostgreSQL, so compare with it.
	t.Run("prepared", func(t *testing.T) { sameAsUpstream(t, e, client, "prepared") })
	t.Run("cursor", func(t *testing.T) { sameAsUpstream(t, e, client, "cursor") })
	t.Run("pool", func(t *testing.T) { sameAsUpstream(t, e, client, "pool") })
	t.Run("cancel", func(t *testing.T) {
		var c struct {
			Outcome   string `json:"outcome"`
			ElapsedMS int64  `json:"elapsed_ms"`
			After     string `json:"after"`
		}
		client(t, e.hotdata("disable"), "cancel", &c)
		if c.Outcome != "timeout" || c.ElapsedMS > 15000 || c.After != "100000" {
			t.Errorf("cancel on timeout: %+v, want the query cancelled at once and count 100000 after", c)
		}
	})
}

// TestPsycopg3 runs python/psycopg_client.py with psycopg 3: results in
// text and binary, parameters bound by the server, named prepared
// statements, server cursors with parameters (text and binary),
// scrollable and held cursors, pipeline mode, COPY in every format, and
// the transaction state after errors.
func TestPsycopg3(t *testing.T) {
	client := pythonClient(t, "psycopg", "python3-psycopg", "psycopg_client.py")
	e := start(t)
	for _, mode := range []string{"types", "types_binary"} {
		t.Run(mode, func(t *testing.T) {
			var up typesResult
			client(t, e.upstream(), mode, &up)
			checkTypes(t, "upstream reference", &up, intervalAsTimedelta)
			for _, label := range []string{"first_read", "cached_read"} {
				var hd typesResult
				client(t, e.hotdata("disable"), mode, &hd)
				checkRead(t, label, &hd, &up, intervalAsTimedelta)
			}
			var tls typesResult
			client(t, e.hotdata("require"), mode, &tls)
			if tls.SSL == nil || !*tls.SSL {
				t.Errorf("sslmode=require connection reports ssl_in_use %v", tls.SSL)
			}
			checkRead(t, "tls", &tls, &up, intervalAsTimedelta)
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
	for _, mode := range []string{"server_cursor", "scroll", "hold", "pipeline", "copy", "tx_errors"} {
		t.Run(mode, func(t *testing.T) { sameAsUpstream(t, e, client, mode) })
	}
	t.Run("cancel", func(t *testing.T) {
		var c cancelResult
		client(t, e.hotdata("disable"), "cancel", &c)
		checkCancel(t, "hotdata", c)
	})
}
