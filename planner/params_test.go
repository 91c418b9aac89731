package planner

import (
	"fmt"
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
		"SELECT $1, $2":                            "SELECT <1>, <2>",
		"SELECT '$1', \"$2\", $3":                  "SELECT '$1', \"$2\", <3>",
		"SELECT 'it''s $1' || $2":                  "SELECT 'it''s $1' || <2>",
		"SELECT E'\\' $1' , $2":                    "SELECT E'\\' $1' , <2>",
		"SELECT $$ $1 $$, $tag$ $2 $tag$, $3":      "SELECT $$ $1 $$, $tag$ $2 $tag$, <3>",
		"SELECT a$1 FROM t -- $2\nWHERE x = $10":   "SELECT a$1 FROM t -- $2\nWHERE x = <10>",
		"SELECT /* $1 /* nested $2 */ */ $3, $9":   "SELECT /* $1 /* nested $2 */ */ <3>, $9",
		"SELECT $1::int[], ARRAY[$2]":              "SELECT <1>::int[], ARRAY[<2>]",
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
