package difftest

import (
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestParseArea(t *testing.T) {
	src := `-- A header comment.
SELECT 1;
-- name: two_lines
SELECT 2,
       3;
-- error: 22012
SELECT 1 / 0;
-- setup: SET TimeZone = 'Asia/Kolkata'
-- setup: SET DateStyle = 'SQL, DMY'
-- name: in_block
-- unordered
SELECT x FROM t ORDER BY y;
SELECT ';' AS semi; SELECT 'still one';
-- key: value comments are ignored
-- setup: reset
SELECT 4;
`
	a, err := ParseArea("demo", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Blocks) != 3 {
		t.Fatalf("%d blocks, want 3: %+v", len(a.Blocks), a.Blocks)
	}
	es := a.Entries()
	want := []struct {
		name, sql, err string
		unordered      bool
		setup          int
	}{
		{"L2", "SELECT 1", "", false, 0},
		{"two_lines", "SELECT 2,\n       3", "", false, 0},
		{"L7", "SELECT 1 / 0", "22012", false, 0},
		{"in_block", "SELECT x FROM t ORDER BY y", "", true, 2},
		{"L13", "SELECT ';' AS semi; SELECT 'still one'", "", false, 2},
		{"L16", "SELECT 4", "", false, 0},
	}
	if len(es) != len(want) {
		t.Fatalf("%d entries, want %d: %+v", len(es), len(want), es)
	}
	for i, w := range want {
		e := es[i]
		if e.Name != w.name || e.SQL != w.sql || e.WantError != w.err || e.Unordered != w.unordered || len(e.Setup) != w.setup {
			t.Errorf("entry %d = %+v, want %+v", i, e, w)
		}
	}
	if es[3].Setup[1] != "SET DateStyle = 'SQL, DMY'" {
		t.Errorf("setup = %q", es[3].Setup)
	}
	if es[2].ExpectedError(15) != "22012" || es[2].ExpectedError(17) != "22012" {
		t.Errorf("error without until: %q", es[2].ExpectedError(15))
	}
	if es[0].ID() != "demo/L2" {
		t.Errorf("ID = %q", es[0].ID())
	}
}

func TestParseAreaErrors(t *testing.T) {
	for name, src := range map[string]string{
		"unterminated":       "SELECT 1",
		"duplicate name":     "-- name: a\nSELECT 1;\n-- name: a\nSELECT 2;\n",
		"bad name":           "-- name: A-B\nSELECT 1;\n",
		"bad sqlstate":       "-- error: 123\nSELECT 1;\n",
		"directive inside":   "SELECT\n-- name: x\n1;\n",
		"dangling directive": "SELECT 1;\n-- name: x\n",
		"setup after name":   "-- name: x\n-- setup: SET a = 1\nSELECT 1;\n",
	} {
		if _, err := ParseArea("demo", strings.NewReader(src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestOrdered(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT 1":                   false,
		"SELECT a FROM t ORDER BY a": true,
		"SELECT a FROM (SELECT a FROM t ORDER BY a) s":    false,
		"SELECT 1 UNION SELECT 2 ORDER BY 1":              true,
		"(SELECT 1 ORDER BY 1) UNION ALL SELECT 2":        false,
		"WITH c AS (SELECT 1) SELECT * FROM c ORDER BY 1": true,
		"VALUES (1), (2)":                          false,
		"VALUES (2), (1) ORDER BY 1":               true,
		"SELECT count(*) OVER (ORDER BY a) FROM t": false,
		"SHOW TimeZone":                            true,
		"SELECT FROM WHERE":                        true,
	} {
		if got := Ordered(sql); got != want {
			t.Errorf("Ordered(%q) = %v, want %v", sql, got, want)
		}
	}
}

func ok(rows ...[]string) Outcome {
	o := Outcome{Columns: []Column{{Name: "a", TypeOID: 23, Typmod: -1}}, Tag: "SELECT " + string(rune('0'+len(rows)))}
	for _, r := range rows {
		var row [][]byte
		for _, v := range r {
			if v == "<null>" {
				row = append(row, nil)
			} else {
				row = append(row, []byte(v))
			}
		}
		o.Rows = append(o.Rows, row)
	}
	return o
}

func fail(code string) Outcome {
	return Outcome{Err: &pgconn.PgError{Code: code, Message: "failed with code " + code}}
}

func TestCompare(t *testing.T) {
	typed := ok([]string{"1"})
	typed.Columns = []Column{{Name: "a", TypeOID: 1700, Typmod: -1}}
	mod := ok([]string{"1"})
	mod.Columns = []Column{{Name: "a", TypeOID: 23, Typmod: 4}}
	named := ok([]string{"1"})
	named.Columns = []Column{{Name: "b", TypeOID: 23, Typmod: -1}}
	tag := ok([]string{"1"})
	tag.Tag = "SELECT 2"
	for _, c := range []struct {
		name      string
		want, got Outcome
		ordered   bool
		class     Class
		kind      string
	}{
		{"same", ok([]string{"1"}, []string{"2"}), ok([]string{"1"}, []string{"2"}), true, Identical, ""},
		{"multiset", ok([]string{"1"}, []string{"2"}), ok([]string{"2"}, []string{"1"}), false, Identical, ""},
		{"order", ok([]string{"1"}, []string{"2"}), ok([]string{"2"}, []string{"1"}), true, Mismatch, "row order"},
		{"null is not empty", ok([]string{""}), ok([]string{"<null>"}), true, Mismatch, "value of int4"},
		{"value", ok([]string{"1"}), ok([]string{"1.0"}), true, Mismatch, "value of int4"},
		{"row count", ok([]string{"1"}), ok([]string{"1"}, []string{"1"}), false, Mismatch, "row count"},
		{"type", ok([]string{"1"}), typed, true, Mismatch, "type numeric, want int4"},
		{"typmod", ok([]string{"1"}), mod, true, Mismatch, "typmod of int4"},
		{"name", ok([]string{"1"}), named, true, Mismatch, "column name"},
		{"tag", ok([]string{"1"}), tag, true, Mismatch, "command tag"},
		{"both fail alike", fail("22012"), fail("22012"), true, Identical, ""},
		{"both fail differently", fail("22012"), fail("22003"), true, Mismatch, "SQLSTATE 22003, want 22012: failed with code N"},
		{"answers where pg fails", fail("22012"), ok([]string{"1"}), true, Mismatch, "answers where PostgreSQL fails with 22012"},
		{"refused", ok([]string{"1"}), fail("0A000"), true, ClearError, ""},
		{"refused where pg fails", fail("22012"), fail("0A000"), true, ClearError, ""},
		{"other error", ok([]string{"1"}), fail("XX000"), true, Mismatch, "error XX000: failed with code XX000"},
		{"failure", ok([]string{"1"}), Outcome{Failure: "timeout"}, true, Mismatch, "hotdata failure"},
	} {
		v := Compare(c.want, c.got, c.ordered)
		if v.Class != c.class || v.Kind != c.kind {
			t.Errorf("%s: %+v, want class %s kind %q", c.name, v, c.class, c.kind)
		}
	}
	if v := Compare(fail("22012"), fail("22012"), true); !v.ErrorMatch {
		t.Errorf("both fail alike: ErrorMatch not set")
	}
}

func TestJudgeBinaryPass(t *testing.T) {
	pg := Answer{Text: ok([]string{"1"}), Binary: ok([]string{"\x00\x00\x00\x01"})}
	hd := Answer{Text: ok([]string{"1"}), Binary: ok([]string{"\x00\x00\x00\x02"})}
	r := Judge(pg, hd, true, true)
	if r.Class != Mismatch || r.Pass != "binary" {
		t.Errorf("binary difference: %+v", r)
	}
	if r := Judge(pg, hd, true, false); r.Class != Identical {
		t.Errorf("without the binary pass: %+v", r)
	}
	hd.Text = fail("0A000")
	hd.Binary = fail("0A000")
	if r := Judge(pg, hd, true, true); r.Class != ClearError || r.Pass != "text" {
		t.Errorf("refused: %+v", r)
	}
}

func TestPattern(t *testing.T) {
	got := Pattern(`Could not convert string "NaN" to DECIMAL(18,3) at 'x'` + "\nLINE 1")
	if want := `Could not convert string "…" to DECIMAL(N,N) at '…'`; got != want {
		t.Errorf("Pattern = %q, want %q", got, want)
	}
}

func TestReportJSON(t *testing.T) {
	results := []Result{
		{Area: "a", Name: "x", Line: 1, SQL: "SELECT 1", Ordered: true, Routes: map[string]RouteResult{
			RouteCached: {Class: Identical}, RouteLive: {Class: Mismatch, Kind: "k", Detail: "d"}}},
		{Area: "b", Name: "y", Line: 2, SQL: "SELECT 2", Routes: map[string]RouteResult{
			RouteCached: {Class: ClearError, Detail: "0A000 no"}, RouteLive: {Class: Identical, ErrorMatch: true}}},
	}
	rep := NewReport("PostgreSQL 15", []string{RouteCached, RouteLive}, true, results)
	if c := rep.Total[RouteCached]; c.Identical != 1 || c.ClearError != 1 || c.Statements != 2 {
		t.Errorf("cached totals %+v", c)
	}
	if c := rep.Total[RouteLive]; c.Identical != 1 || c.ErrorMatch != 1 || c.Mismatch != 1 {
		t.Errorf("live totals %+v", c)
	}
	data, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), `{"area":`); n != 2 {
		t.Errorf("%d result lines in\n%s", n, data)
	}
	path := t.TempDir() + "/r.json"
	if err := writeFile(path, data); err != nil {
		t.Fatal(err)
	}
	back, err := ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Results) != 2 || back.Results[1].Routes[RouteCached].Class != ClearError {
		t.Errorf("read back %+v", back.Results)
	}
	md := string(rep.Markdown())
	for _, want := range []string{"Generated by TestDifferential", Regenerate, "| cached | 2 | 1 | 0 | 1 | 0 | 50.0% |", "`SELECT 2` (b/y) | cached | 0A000 no |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }

func TestErrorUntil(t *testing.T) {
	a, err := ParseArea("demo", strings.NewReader("-- error: 42601 until 16\nSELECT 1_000;\n"))
	if err != nil {
		t.Fatal(err)
	}
	e := a.Entries()[0]
	if e.ExpectedError(15) != "42601" || e.ExpectedError(16) != "" || e.ExpectedError(17) != "" {
		t.Errorf("until 16: %q %q %q", e.ExpectedError(15), e.ExpectedError(16), e.ExpectedError(17))
	}
}
