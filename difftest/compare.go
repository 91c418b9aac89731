package difftest

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Class is how Hotdata's answer to a statement relates to PostgreSQL's.
type Class string

const (
	// Identical: the same columns, values and tag, or both failed with
	// the same SQLSTATE (ErrorMatch tells which).
	Identical Class = "identical"
	// ClearError: Hotdata refused with a SQLSTATE that says "not
	// supported" (see ClearCodes) where PostgreSQL answered, or answered
	// with another error. The promise allows it.
	ClearError Class = "clear_error"
	// Mismatch: any other difference — a silent wrong answer, or an
	// error that does not say "not supported".
	Mismatch Class = "mismatch"
)

// ClearCodes are the SQLSTATEs that plainly say "Hotdata does not
// support this": feature_not_supported. Anything else where PostgreSQL
// answers (syntax_error, undefined_function, internal_error…) reads as a
// bug in the statement or in Hotdata, so it counts as a mismatch.
var ClearCodes = map[string]bool{"0A000": true}

// Verdict is the comparison of one statement in one format.
type Verdict struct {
	Class Class
	// ErrorMatch: Identical because both failed with the same SQLSTATE.
	ErrorMatch bool
	// Kind names the first difference of a Mismatch (a short stable
	// phrase, for counting), Detail describes it with values.
	Kind   string
	Detail string
}

// Compare classifies got (Hotdata) against want (PostgreSQL).
func Compare(want, got Outcome, ordered bool) Verdict {
	switch {
	case want.Failure != "":
		return Verdict{Class: Mismatch, Kind: "postgres failed", Detail: "PostgreSQL: " + want.Failure}
	case got.Failure != "":
		return Verdict{Class: Mismatch, Kind: "hotdata failure", Detail: got.Failure}
	case got.Err != nil && ClearCodes[got.Err.Code]:
		if want.Err != nil && want.Err.Code == got.Err.Code {
			return Verdict{Class: Identical, ErrorMatch: true}
		}
		return Verdict{Class: ClearError, Detail: errText(got)}
	case want.Err != nil && got.Err != nil:
		if want.Err.Code == got.Err.Code {
			return Verdict{Class: Identical, ErrorMatch: true}
		}
		return Verdict{Class: Mismatch, Kind: fmt.Sprintf("SQLSTATE %s, want %s: %s", got.Err.Code, want.Err.Code, Pattern(got.Err.Message)),
			Detail: fmt.Sprintf("PostgreSQL %s, Hotdata %s", errText(want), errText(got))}
	case want.Err != nil:
		return Verdict{Class: Mismatch, Kind: "answers where PostgreSQL fails with " + want.Err.Code,
			Detail: fmt.Sprintf("PostgreSQL %s; Hotdata answered %s", errText(want), summarize(got))}
	case got.Err != nil:
		return Verdict{Class: Mismatch, Kind: "error " + got.Err.Code + ": " + Pattern(got.Err.Message),
			Detail: "Hotdata " + errText(got)}
	}
	if d := compareColumns(want.Columns, got.Columns); d != nil {
		return *d
	}
	if d := compareRows(want, got, ordered); d != nil {
		return *d
	}
	if want.Tag != got.Tag {
		return Verdict{Class: Mismatch, Kind: "command tag", Detail: fmt.Sprintf("tag %q, want %q", got.Tag, want.Tag)}
	}
	return Verdict{Class: Identical}
}

func errText(o Outcome) string {
	return o.Err.Code + " " + oneLine(o.Err.Message)
}

func summarize(o Outcome) string {
	return fmt.Sprintf("%d columns, %d rows (%s)", len(o.Columns), len(o.Rows), o.Tag)
}

func compareColumns(want, got []Column) *Verdict {
	if len(want) != len(got) {
		return &Verdict{Class: Mismatch, Kind: "column count",
			Detail: fmt.Sprintf("%d columns %s, want %d %s", len(got), colList(got), len(want), colList(want))}
	}
	for i := range want {
		w, g := want[i], got[i]
		switch {
		case w.Name != g.Name:
			return &Verdict{Class: Mismatch, Kind: "column name",
				Detail: fmt.Sprintf("column %d named %q, want %q", i+1, g.Name, w.Name)}
		case w.TypeOID != g.TypeOID:
			return &Verdict{Class: Mismatch, Kind: fmt.Sprintf("type %s, want %s", TypeName(g.TypeOID), TypeName(w.TypeOID)),
				Detail: fmt.Sprintf("column %d (%s) type %s, want %s", i+1, w.Name, TypeName(g.TypeOID), TypeName(w.TypeOID))}
		case w.Format != g.Format:
			return &Verdict{Class: Mismatch, Kind: "result format code",
				Detail: fmt.Sprintf("column %d (%s) sent with format code %d, want %d", i+1, w.Name, g.Format, w.Format)}
		case w.Typmod != g.Typmod:
			return &Verdict{Class: Mismatch, Kind: fmt.Sprintf("typmod of %s", TypeName(w.TypeOID)),
				Detail: fmt.Sprintf("column %d (%s %s) typmod %s, want %s", i+1, w.Name, TypeName(w.TypeOID),
					Typmod(g.TypeOID, g.Typmod), Typmod(w.TypeOID, w.Typmod))}
		}
	}
	return nil
}

func colList(cs []Column) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.Name+" "+TypeName(c.TypeOID))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func compareRows(want, got Outcome, ordered bool) *Verdict {
	w, g := want.Rows, got.Rows
	how := "row"
	if !ordered {
		w, g = sortedRows(w), sortedRows(g)
		how = "row (sorted)"
	}
	n := min(len(w), len(g))
	for i := 0; i < n; i++ {
		for j := range w[i] {
			if j >= len(g[i]) {
				break
			}
			if !sameCell(w[i][j], g[i][j]) {
				if ordered && len(w) == len(g) && sameMultiset(want.Rows, got.Rows) {
					return &Verdict{Class: Mismatch, Kind: "row order",
						Detail: fmt.Sprintf("the same rows in another order: row %d is %s, want %s", i+1, rowText(g[i]), rowText(w[i]))}
				}
				typ := uint32(0)
				if j < len(want.Columns) {
					typ = want.Columns[j].TypeOID
				}
				return &Verdict{Class: Mismatch, Kind: "value of " + TypeName(typ),
					Detail: fmt.Sprintf("%s %d column %d (%s): %s, want %s", how, i+1, j+1, colName(want, j), cellText(g[i][j]), cellText(w[i][j]))}
			}
		}
	}
	if len(w) != len(g) {
		d := fmt.Sprintf("%d rows, want %d", len(g), len(w))
		if len(g) > n {
			d += "; first extra: " + rowText(g[n])
		} else {
			d += "; first missing: " + rowText(w[n])
		}
		return &Verdict{Class: Mismatch, Kind: "row count", Detail: d}
	}
	return nil
}

func colName(o Outcome, j int) string {
	if j < len(o.Columns) {
		return o.Columns[j].Name
	}
	return "?"
}

func sameCell(a, b []byte) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	return bytes.Equal(a, b)
}

func sameMultiset(a, b [][][]byte) bool {
	a, b = sortedRows(a), sortedRows(b)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if rowKey(a[i]) != rowKey(b[i]) {
			return false
		}
	}
	return true
}

func sortedRows(rows [][][]byte) [][][]byte {
	out := append([][][]byte(nil), rows...)
	keys := make(map[int]string, len(out))
	idx := make([]int, len(out))
	for i := range out {
		idx[i] = i
		keys[i] = rowKey(out[i])
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	sorted := make([][][]byte, len(out))
	for i, k := range idx {
		sorted[i] = out[k]
	}
	return sorted
}

// rowKey is an injective encoding of a row: NULL and each value's
// length are explicit.
func rowKey(row [][]byte) string {
	var b strings.Builder
	for _, v := range row {
		if v == nil {
			b.WriteString("N;")
			continue
		}
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.Write(v)
	}
	return b.String()
}

// cellText quotes a value for messages: NULL, a Go-quoted string when it
// is valid UTF-8, else hex.
func cellText(v []byte) string {
	if v == nil {
		return "NULL"
	}
	if utf8.Valid(v) {
		s := string(v)
		if len(s) > 200 {
			s = s[:200] + "…"
		}
		return strconv.Quote(s)
	}
	return fmt.Sprintf("x'%x'", v)
}

func rowText(row [][]byte) string {
	parts := make([]string, len(row))
	for i, v := range row {
		parts[i] = cellText(v)
	}
	s := "(" + strings.Join(parts, ", ") + ")"
	if len(s) > 300 {
		s = s[:300] + "…)"
	}
	return s
}

var (
	quotedRE = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	numberRE = regexp.MustCompile(`\b\d+(\.\d+)?\b`)
)

// Pattern reduces an error message to its shape, so that messages that
// differ only in names and numbers count as one kind.
func Pattern(msg string) string {
	msg, _, _ = strings.Cut(msg, "\n")
	msg = quotedRE.ReplaceAllStringFunc(msg, func(q string) string { return q[:1] + "…" + q[:1] })
	msg = numberRE.ReplaceAllString(msg, "N")
	return truncate(oneLine(msg), 100)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
