package clienttest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const odbcSep = "\x1f" // isql -x0x1f: the column delimiter

// odbcDriver finds psqlODBC's Unicode driver.
func odbcDriver(t *testing.T) string {
	t.Helper()
	for _, pattern := range []string{"/usr/lib/*/odbc/psqlodbcw.so", "/usr/lib/odbc/psqlodbcw.so", "/usr/lib64/psqlodbcw.so"} {
		if m, _ := filepath.Glob(pattern); len(m) > 0 {
			return m[0]
		}
	}
	missing(t, "psqlODBC (psqlodbcw.so)", "odbc-postgresql")
	return ""
}

// odbcText is how isql -q prints a value of alltypes read through
// psqlODBC: character data in quotes, booleans as the characters 1 and
// 0, bytea as bare hex, timestamptz as a timestamp in the session's time
// zone (UTC here), uuid in capitals.
func odbcText(col column, i int) string {
	v := col.text[i]
	switch col.name {
	case "b":
		if v == "t" {
			return `"1"`
		}
		return `"0"`
	case "bt":
		return strings.TrimPrefix(v, `\x`)
	case "tstz":
		return strings.TrimSuffix(v, "+00")
	case "u":
		return strings.ToUpper(v)
	case "t", "vc", "c", "iv", "j", "jb", "iarr", "tarr":
		return `"` + v + `"`
	}
	return v
}

// TestODBC runs unixODBC's isql with psqlODBC.
func TestODBC(t *testing.T) {
	isql := tool(t, "isql", "unixodbc")
	driver := odbcDriver(t)
	e := start(t)
	dir := t.TempDir()
	inst := fmt.Sprintf("[PostgreSQL Unicode]\nDescription=psqlODBC\nDriver=%s\n", driver)
	if err := os.WriteFile(filepath.Join(dir, "odbcinst.ini"), []byte(inst), 0o600); err != nil {
		t.Fatal(err)
	}
	var ini strings.Builder
	for _, dsn := range []struct {
		name string
		ci   connInfo
	}{{"hotdata", e.hotdata("disable")}, {"hotdata_tls", e.hotdata("require")}, {"upstream", e.upstream()}} {
		fmt.Fprintf(&ini, "[%s]\nDriver=PostgreSQL Unicode\nServername=%s\nPort=%s\nDatabase=%s\nUsername=%s\nPassword=%s\nSSLmode=%s\n\n",
			dsn.name, dsn.ci.Host, dsn.ci.Port, dsn.ci.DB, dsn.ci.User, dsn.ci.Password, dsn.ci.SSLMode)
	}
	if err := os.WriteFile(filepath.Join(dir, "odbc.ini"), []byte(ini.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(baseEnv(), "ODBCSYSINI="+dir, "ODBCINI="+filepath.Join(dir, "odbc.ini"))
	env = append(env, sslClientEnv(dir)...)

	// query runs SQL on stdin through isql and returns the lines it
	// printed but notices and warnings (the first read's sync), failing
	// on an error line.
	query := func(t *testing.T, dsn, sql string) []string {
		t.Helper()
		out := run(t, 2*time.Minute, env, sql+"\n", isql, "-b", "-v", "-q", "-x0x1f", "-c", dsn)
		var lines []string
		for _, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
			switch {
			case strings.HasPrefix(l, "[00000]") || strings.HasPrefix(l, "[01"):
			case strings.HasPrefix(l, "["):
				t.Fatalf("isql %s: %s\n%s", dsn, l, clip(out))
			default:
				lines = append(lines, l)
			}
		}
		return lines
	}
	checkODBC := func(t *testing.T, label string, lines []string) {
		t.Helper()
		if len(lines) != 4 {
			t.Fatalf("%s: isql printed %d lines, want a header and 3 rows:\n%s", label, len(lines), strings.Join(lines, "\n"))
		}
		if lines[0] != strings.Join(columnNames(), odbcSep) {
			t.Errorf("%s: header %q", label, lines[0])
		}
		for i, l := range lines[1:] {
			f := strings.Split(l, odbcSep)
			if len(f) != len(columns) {
				t.Errorf("%s: row %d has %d fields: %q", label, i+1, len(f), l)
				continue
			}
			for j, col := range columns {
				want := "" // NULL: an empty, unquoted field
				switch {
				case i < 2:
					want = odbcText(col, i)
				case col.name == "id":
					want = "3"
				}
				if f[j] != want {
					t.Errorf("%s: row %d %s (%s): got %q, want %q", label, i+1, col.name, col.sqlType, f[j], want)
				}
			}
		}
	}

	t.Run("types", func(t *testing.T) {
		checkODBC(t, "upstream reference", query(t, "upstream", selectAllTypes))
		checkODBC(t, "hotdata first read", query(t, "hotdata", selectAllTypes))
		checkODBC(t, "hotdata cached read", query(t, "hotdata", selectAllTypes))
	})
	t.Run("tls", func(t *testing.T) {
		// SSLmode=require: libpq under psqlODBC fails unless the
		// server does TLS (and verifies no certificate).
		checkODBC(t, "hotdata over TLS", query(t, "hotdata_tls", selectAllTypes))
	})
	t.Run("big", func(t *testing.T) {
		lines := query(t, "hotdata", selectBig)
		if len(lines) == 0 || lines[0] != strings.Join([]string{"id", "v", "s"}, odbcSep) {
			t.Fatalf("header %q", lines[:min(1, len(lines))])
		}
		var s bigSummary
		for _, l := range lines[1:] {
			f := strings.Split(l, odbcSep)
			if len(f) != 3 {
				t.Fatalf("line %q", l)
			}
			id, err1 := strconv.ParseInt(f[0], 10, 64)
			v, err2 := strconv.ParseInt(f[1], 10, 64)
			text, err3 := strconv.Unquote(f[2])
			if err1 != nil || err2 != nil || err3 != nil {
				t.Fatalf("line %q", l)
			}
			s.Count++
			s.SumID += id
			s.SumV += v
			s.SumLenS += int64(len(text))
			if id != s.Count || v != 3*id || text != "row "+f[0] {
				s.Bad++
			}
		}
		if s != expectedBig() {
			t.Errorf("100,000 rows: read %+v, want %+v", s, expectedBig())
		}
	})
	// No "prepared" or "cancel" cases: isql sends statements as typed (it
	// binds no parameters) and cannot cancel a running statement; the
	// other clients of the matrix cover both.
}
