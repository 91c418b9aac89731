package main

import (
	"math/big"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgtype"
)

func TestCellEqual(t *testing.T) {
	num := func(s string) pgtype.Numeric {
		var n pgtype.Numeric
		if err := n.Scan(s); err != nil {
			t.Fatal(err)
		}
		return n
	}
	day := time.Date(1995, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		a, b any
		want bool
	}{
		{num("17.00"), duckdb.Decimal{Width: 15, Scale: 2, Value: big.NewInt(1700)}, true},
		{num("17.00"), int64(17), true},
		{num("0.05"), duckdb.Decimal{Width: 15, Scale: 2, Value: big.NewInt(6)}, false},
		// Exact on both sides: no tolerance.
		{num("123141078.2283"), num("123141078.2284"), false},
		// Floating point on one side: relative tolerance.
		{num("25.5220058532573370"), 25.522005853257337, true},
		{num("25.5220058532573370"), 25.5221, false},
		{big.NewInt(6202), int32(6202), true},
		{"MAIL      ", "MAIL", true},
		{"MAIL", "SHIP", false},
		{day, day.In(time.FixedZone("x", 3600)), true},
		{nil, nil, true},
		{nil, int64(0), false},
		{"5098.1", num("5098.10"), true},
	} {
		if got := normalize(c.a).equal(normalize(c.b)); got != c.want {
			t.Errorf("%v (%T) = %v (%T): %v, want %v", c.a, c.a, c.b, c.b, got, c.want)
		}
	}
}

func TestCheckAnswer(t *testing.T) {
	q := query{name: "Q", precision: []precision{str, sum, avg, cnt},
		answer: [][]string{{"A", "100.00", "25.52", "7"}}}
	if d := checkAnswer(q, &result{cols: []string{"a", "b", "c", "d"}, rows: [][]any{{"A  ", 150.0, 25.6, int64(7)}}}); len(d) != 0 {
		t.Errorf("within the specification's precision: %v", d)
	}
	if d := checkAnswer(q, &result{cols: []string{"a", "b", "c", "d"}, rows: [][]any{{"A", 300.0, 26.0, int64(8)}}}); len(d) != 3 {
		t.Errorf("got %v, want 3 differences", d)
	}
}

func TestCopyText(t *testing.T) {
	s := &copyStream{}
	s.int(-12)
	s.text("a\tb\\c\nd")
	s.char('F')
	s.line[len(s.line)-1] = '\n'
	if got, want := string(s.line), "-12\ta\\tb\\\\c\\nd\tF\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i))
	}
	if p50, p99 := percentile(ds, 0.5), percentile(ds, 0.99); p50 != 50 || p99 != 99 {
		t.Errorf("p50 %d, p99 %d; want 50, 99", p50, p99)
	}
	if m := median([]time.Duration{3, 1, 2, 10}); m != 2 {
		t.Errorf("median %d, want 2", m)
	}
}
