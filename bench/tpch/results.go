package main

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgtype"
)

// result is a query's answer as read by a client.
type result struct {
	cols []string
	rows [][]any
}

// cellKind says how a normalized value compares.
type cellKind int

const (
	kindNull  cellKind = iota
	kindExact          // integer or decimal: compared exactly
	kindFloat          // floating point: compared within relTolerance
	kindText           // text, dates, everything else: compared as text
)

// relTolerance is the relative difference allowed when either side of a
// numeric comparison is floating point (DuckDB answers avg() and decimal
// division in DOUBLE, PostgreSQL in numeric).
const relTolerance = 1e-9

// cell is a value in a representation common to every engine's client:
// pgx's pgtype.Numeric, DuckDB's Decimal and Go integers become one exact
// rational; dates become their ISO text.
type cell struct {
	kind cellKind
	rat  *big.Rat
	f    float64
	s    string
}

func normalize(v any) cell {
	switch x := v.(type) {
	case nil:
		return cell{kind: kindNull}
	case int64:
		return exactCell(new(big.Rat).SetInt64(x))
	case int32:
		return exactCell(new(big.Rat).SetInt64(int64(x)))
	case int16:
		return exactCell(new(big.Rat).SetInt64(int64(x)))
	case int8:
		return exactCell(new(big.Rat).SetInt64(int64(x)))
	case int:
		return exactCell(new(big.Rat).SetInt64(int64(x)))
	case uint64:
		return exactCell(new(big.Rat).SetUint64(x))
	case uint32:
		return exactCell(new(big.Rat).SetUint64(uint64(x)))
	case uint16:
		return exactCell(new(big.Rat).SetUint64(uint64(x)))
	case uint8:
		return exactCell(new(big.Rat).SetUint64(uint64(x)))
	case *big.Int:
		if x == nil {
			return cell{kind: kindNull}
		}
		return exactCell(new(big.Rat).SetInt(x))
	case float64:
		return cell{kind: kindFloat, f: x}
	case float32:
		return cell{kind: kindFloat, f: float64(x)}
	case pgtype.Numeric:
		return numericCell(x)
	case duckdb.Decimal:
		if x.Value == nil {
			return cell{kind: kindNull}
		}
		r := new(big.Rat).SetInt(x.Value)
		return exactCell(r.Quo(r, new(big.Rat).SetInt(pow10(int64(x.Scale)))))
	case string:
		return textCell(x)
	case []byte:
		return textCell(string(x))
	case time.Time:
		// A date reads as midnight UTC; a timestamp at midnight compares
		// equal to the date.
		u := x.UTC()
		if u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0 {
			return cell{kind: kindText, s: u.Format(time.DateOnly)}
		}
		return cell{kind: kindText, s: u.Format(time.RFC3339Nano)}
	case bool:
		return cell{kind: kindText, s: fmt.Sprint(x)}
	}
	return cell{kind: kindText, s: fmt.Sprintf("%v", v)}
}

func exactCell(r *big.Rat) cell { return cell{kind: kindExact, rat: r} }

// textCell drops trailing blanks: char(n) pads with them and PostgreSQL
// holds them insignificant there. A client cannot tell char(n) from
// varchar in every engine, so a varchar's trailing blanks are not compared
// either.
func textCell(s string) cell { return cell{kind: kindText, s: strings.TrimRight(s, " ")} }

func numericCell(n pgtype.Numeric) cell {
	switch {
	case !n.Valid:
		return cell{kind: kindNull}
	case n.NaN:
		return cell{kind: kindFloat, f: math.NaN()}
	case n.InfinityModifier == pgtype.Infinity:
		return cell{kind: kindFloat, f: math.Inf(1)}
	case n.InfinityModifier == pgtype.NegativeInfinity:
		return cell{kind: kindFloat, f: math.Inf(-1)}
	}
	r := new(big.Rat).SetInt(n.Int)
	if n.Exp > 0 {
		r.Mul(r, new(big.Rat).SetInt(pow10(int64(n.Exp))))
	} else if n.Exp < 0 {
		r.Quo(r, new(big.Rat).SetInt(pow10(int64(-n.Exp))))
	}
	return exactCell(r)
}

func pow10(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }

func (c cell) String() string {
	switch c.kind {
	case kindNull:
		return "NULL"
	case kindExact:
		if c.rat.IsInt() {
			return c.rat.RatString()
		}
		return strings.TrimRight(strings.TrimRight(c.rat.FloatString(20), "0"), ".")
	case kindFloat:
		return fmt.Sprintf("%v (float)", c.f)
	}
	return fmt.Sprintf("%q", c.s)
}

func (c cell) float() float64 {
	if c.kind == kindExact {
		f, _ := c.rat.Float64()
		return f
	}
	return c.f
}

// equal reports whether two normalized values agree: exactly for integers
// and decimals, within relTolerance when either is floating point, and as
// text otherwise. A number and a text that parses as the same number agree
// (a client may see an engine's number type it does not know as text).
func (c cell) equal(d cell) bool {
	if c.kind == kindText && d.kind != kindText && d.kind != kindNull {
		if r, ok := new(big.Rat).SetString(c.s); ok {
			return exactCell(r).equal(d)
		}
	}
	if d.kind == kindText && c.kind != kindText && c.kind != kindNull {
		return d.equal(c)
	}
	switch {
	case c.kind == kindNull || d.kind == kindNull:
		return c.kind == d.kind
	case c.kind == kindExact && d.kind == kindExact:
		return c.rat.Cmp(d.rat) == 0
	case c.kind == kindText || d.kind == kindText:
		return c.kind == d.kind && c.s == d.s
	}
	a, b := c.float(), d.float()
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return true
	}
	return math.Abs(a-b) <= relTolerance*math.Max(math.Abs(a), math.Abs(b))
}

// maxDiffs caps the differences listed per comparison.
const maxDiffs = 5

// compareResults lists how got differs from want: column names, row count,
// then every value, in order (each query orders its rows completely).
func compareResults(want, got *result) []string {
	var diffs []string
	if strings.Join(want.cols, ",") != strings.Join(got.cols, ",") {
		diffs = append(diffs, fmt.Sprintf("columns %v, want %v", got.cols, want.cols))
	}
	if len(want.rows) != len(got.rows) {
		diffs = append(diffs, fmt.Sprintf("%d rows, want %d", len(got.rows), len(want.rows)))
	}
	for i := 0; i < min(len(want.rows), len(got.rows)); i++ {
		w, g := want.rows[i], got.rows[i]
		if len(w) != len(g) {
			diffs = append(diffs, fmt.Sprintf("row %d: %d values, want %d", i+1, len(g), len(w)))
			continue
		}
		for j := range w {
			wc, gc := normalize(w[j]), normalize(g[j])
			if !wc.equal(gc) {
				diffs = append(diffs, fmt.Sprintf("row %d column %s: %s, want %s", i+1, colName(want, j), gc, wc))
			}
		}
		if len(diffs) >= maxDiffs {
			return append(diffs[:maxDiffs], "…")
		}
	}
	return diffs
}

func colName(r *result, j int) string {
	if j < len(r.cols) {
		return r.cols[j]
	}
	return fmt.Sprint(j + 1)
}

// precision is how a column is checked against the specification's
// validation output (TPC-H clause 2.1.3.5).
type precision int

const (
	str  precision = iota // text and dates: equal, trailing blanks aside
	num                   // singleton values: the same number
	cnt                   // count(), and sums of 0 and 1: the same number
	sum                   // sum(): within $100
	avg                   // avg(): rounded to 1/100th, within 1%
	rat                   // ratios: rounded to 1/100th, within 1%
	skip                  // not checked
)

// checkAnswer lists how got differs from the validation output.
func checkAnswer(q query, got *result) []string {
	var diffs []string
	if len(got.rows) != len(q.answer) {
		return []string{fmt.Sprintf("%d rows, want %d", len(got.rows), len(q.answer))}
	}
	for i, row := range q.answer {
		if len(got.rows[i]) != len(row) {
			return []string{fmt.Sprintf("row %d: %d values, want %d", i+1, len(got.rows[i]), len(row))}
		}
		for j, want := range row {
			g := normalize(got.rows[i][j])
			ok := false
			switch q.precision[j] {
			case skip:
				ok = true
			case str:
				ok = g.kind == kindText && g.s == strings.TrimRight(want, " ")
			case num, cnt:
				ok = textCell(want).equal(g)
			case sum, avg, rat:
				v, _ := new(big.Rat).SetString(want)
				if v == nil || (g.kind != kindExact && g.kind != kindFloat) {
					break
				}
				wf, _ := v.Float64()
				gf := g.float()
				if q.precision[j] == sum {
					ok = math.Abs(gf-wf) <= 100
				} else {
					r := math.Round(gf*100) / 100
					ok = r >= 0.99*wf && r <= 1.01*wf
				}
			}
			if !ok {
				diffs = append(diffs, fmt.Sprintf("row %d column %s: %s, validation output %s", i+1, colName(got, j), g, want))
			}
		}
	}
	if len(diffs) > maxDiffs {
		diffs = append(diffs[:maxDiffs], "…")
	}
	return diffs
}
