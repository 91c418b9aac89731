package planner

import (
	"fmt"
	"strings"
	"testing"
)

func TestReplaceParams(t *testing.T) {
	repl := func(n int) string {
		if n == 9 {
			return ""
		}
		return fmt.Sprintf("<%d>", n)
	}
	cases := map[string]string{
		"SELECT $1, $2":                          "SELECT <1>, <2>",
		"SELECT '$1', \"$2\", $3":                "SELECT '$1', \"$2\", <3>",
		"SELECT 'it''s $1' || $2":                "SELECT 'it''s $1' || <2>",
		"SELECT E'\\' $1' , $2":                  "SELECT E'\\' $1' , <2>",
		"SELECT $$ $1 $$, $tag$ $2 $tag$, $3":    "SELECT $$ $1 $$, $tag$ $2 $tag$, <3>",
		"SELECT a$1 FROM t -- $2\nWHERE x = $10": "SELECT a$1 FROM t -- $2\nWHERE x = <10>",
		"SELECT /* $1 /* nested $2 */ */ $3, $9": "SELECT /* $1 /* nested $2 */ */ <3>, $9",
		"SELECT $1::int[], ARRAY[$2]":            "SELECT <1>::int[], ARRAY[<2>]",
	}
	for in, want := range cases {
		if got := ReplaceParams(in, repl); got != want {
			t.Errorf("ReplaceParams(%q) = %q, want %q", in, got, want)
		}
	}
	if got := QuoteLiteral("it's"); got != "'it''s'" {
		t.Errorf("QuoteLiteral = %s", got)
	}
}

func TestNormalize(t *testing.T) {
	cases := []struct {
		in, key string
		consts  []string
		ok      bool
	}{
		{"SELECT abalance FROM pgbench_accounts WHERE aid = 12345;", "SELECT abalance FROM pgbench_accounts WHERE aid = $1;", []string{"12345"}, true},
		{"select * from t1 where x = 'it''s' and y > 1.5e3 and z = E'a\\'b' limit 10", "select * from t1 where x = $1 and y > $2 and z = $3 limit $4", []string{"'it''s'", "1.5e3", "E'a\\'b'", "10"}, true},
		{`SELECT "col 1", x2 FROM "t 9" -- 42 comment`, `SELECT "col 1", x2 FROM "t 9" -- 42 comment`, nil, true},
		{"SELECT $1", "", nil, false},
		{"SELECT $$x$$", "", nil, false},
		{"SELECT B'101'", "", nil, false},
		{"SELECT 0x1F, 1_000, .5", "SELECT $1, $2, $3", []string{"0x1F", "1_000", ".5"}, true},
	}
	for _, c := range cases {
		key, consts, ok := Normalize(c.in)
		if ok != c.ok || key != c.key || fmt.Sprint(consts) != fmt.Sprint(c.consts) {
			t.Errorf("Normalize(%q) = %q %q %v, want %q %q %v", c.in, key, consts, ok, c.key, c.consts, c.ok)
		}
	}
}

// TestNormalizedPlansRoundTrip: planning the normalized text and putting
// the constants back gives what planning the original text gives.
func TestNormalizedPlansRoundTrip(t *testing.T) {
	cat := testCatalog()
	for _, sql := range []string{
		"SELECT * FROM orders WHERE id = 42 ORDER BY 1 LIMIT 5",
		"SELECT count(*), 'x' FROM sales.orders o WHERE o.id IN (1, 2, 3) AND o.id > 7",
		"SELECT 'a''b' || 'c', 1.50::numeric, 2 + 2 FROM customers c JOIN orders o ON o.id = c.id WHERE c.id BETWEEN 1 AND 9",
		"SELECT id FROM orders OFFSET 3 FETCH FIRST 2 ROWS ONLY",
	} {
		key, consts, ok := Normalize(sql)
		if !ok {
			t.Fatalf("%s not normalizable", sql)
		}
		tmpl, _, err := PlanTemplate(key, consts, cat, Options{Live: true})
		if err != nil {
			// Ambiguous names are fine to report; the others must plan.
			if !strings.Contains(sql, "customers c") {
				t.Fatalf("plan %s: %v", key, err)
			}
			continue
		}
		if tmpl[0].ConstSensitive() {
			// ORDER BY 1 is a position: such texts are planned as they are.
			if !strings.Contains(sql, "ORDER BY 1") {
				t.Errorf("%s: template depends on its constants", sql)
			}
			continue
		}
		direct, err := Plan(sql, cat, Options{Live: true})
		if err != nil {
			t.Fatal(err)
		}
		got := tmpl[0].WithConsts(sql, consts)
		if got.Engine != direct[0].Engine || got.Upstream() != direct[0].Upstream() {
			t.Errorf("%s:\n template: %s\n direct:   %s", sql, got.Engine, direct[0].Engine)
		}
	}
}

func TestUpstreamTemplate(t *testing.T) {
	cat := testCatalog()
	plan := func(sql string) *Statement {
		t.Helper()
		key, consts, ok := Normalize(sql)
		if !ok {
			t.Fatalf("%s not normalizable", sql)
		}
		tmpl, ok, err := PlanTemplate(key, consts, cat, Options{Live: true})
		if err != nil || !ok || tmpl[0].ConstSensitive() {
			// As the session's plan cache does: plan the text as it is.
			direct, err := Plan(sql, cat, Options{Live: true})
			if err != nil {
				t.Fatal(sql, err)
			}
			return direct[0]
		}
		return tmpl[0].WithConsts(sql, consts)
	}
	sql, args, oids, ok := plan("SELECT id FROM orders WHERE id = 017 AND total > 1.5 AND note = 'it''s' LIMIT 3000000000").UpstreamTemplate()
	if !ok || sql != "SELECT id FROM public.orders WHERE id = $1 AND total > $2 AND note = $3 LIMIT $4" ||
		fmt.Sprintf("%s", args) != "[17 1.5 it's 3000000000]" || fmt.Sprint(oids) != "[23 1700 0 20]" {
		t.Fatalf("template %q %s %v %v", sql, args, oids, ok)
	}
	// A constant that is a column position cannot become a parameter.
	for _, q := range []string{"SELECT id FROM orders ORDER BY 1", "SELECT id, count(*) FROM orders GROUP BY 1", "SELECT DISTINCT ON (1) id FROM orders"} {
		if _, _, _, ok := plan(q).UpstreamTemplate(); ok {
			t.Errorf("%s: templated", q)
		}
	}
	if _, _, _, ok := plan("SELECT id FROM orders WHERE note = E'a\\nb'").UpstreamTemplate(); ok {
		t.Error("escape string templated")
	}
}
