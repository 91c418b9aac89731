package output

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"golang.org/x/term"
)

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Printable replaces control characters (escape sequences a value could
// carry to the terminal) with their \u escapes; newlines and tabs stay.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f // bidirectional overrides
}

// cellText is a value as a table cell shows it: Printable, and a tab as
// \t (a tab would break the alignment).
func cellText(s string) string {
	return strings.ReplaceAll(Printable(s), "\t", `\t`)
}

// Column is one column of a list: its header and the field of each item
// it shows (a dotted path reads into objects: "progress.rows").
type Column struct {
	Header string
	Field  string
}

// Table writes rows under headers, aligned, without borders.
func Table(w io.Writer, headers []string, rows [][]string) error {
	_, err := tableMin(w, headers, rows, nil, true, true)
	return err
}

// tableMin is Table with each column at least minWidths wide; it returns
// the widths it used. header false leaves the header line out; upper
// upper-cases it (a list's headers, not a query's column names).
func tableMin(w io.Writer, headers []string, rows [][]string, minWidths []int, header, upper bool) ([]int, error) {
	t := table.NewWriter()
	widths := make([]int, len(headers))
	copy(widths, minWidths)
	hr := make(table.Row, len(headers))
	for i, h := range headers {
		h = cellText(h)
		if upper {
			h = strings.ToUpper(h)
		}
		hr[i] = h
		widths[i] = max(widths[i], cellWidth(h))
	}
	if header {
		t.AppendHeader(hr, table.RowConfig{AutoMerge: false})
	}
	for _, r := range rows {
		tr := make(table.Row, len(r))
		for i, v := range r {
			p := cellText(v)
			tr[i] = p
			if i < len(widths) {
				widths[i] = max(widths[i], cellWidth(p))
			}
		}
		t.AppendRow(tr)
	}
	cfgs := make([]table.ColumnConfig, len(widths))
	for i, wd := range widths {
		cfgs[i] = table.ColumnConfig{Number: i + 1, WidthMin: wd}
	}
	t.SetColumnConfigs(cfgs)
	t.SetStyle(plain)
	var b strings.Builder
	for _, line := range strings.Split(t.Render(), "\n") {
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return widths, err
}

// cellWidth is how many columns a cell's longest line takes.
func cellWidth(s string) int {
	n := 0
	for _, line := range strings.Split(s, "\n") {
		n = max(n, text.StringWidthWithoutEscSequences(line))
	}
	return n
}

var plain = func() table.Style {
	s := table.StyleDefault
	s.Name = "hotdata"
	s.Box = table.BoxStyle{PaddingLeft: "", PaddingRight: "  ", MiddleVertical: ""}
	s.Options = table.Options{}
	s.Format.Header = text.FormatDefault
	s.Format.HeaderAlign = text.AlignLeft
	return s
}()

// Items writes API objects as a table of cols.
func Items(w io.Writer, cols []Column, items []map[string]any) error {
	headers := make([]string, len(cols))
	for i, c := range cols {
		headers[i] = c.Header
	}
	rows := make([][]string, len(items))
	for i, it := range items {
		rows[i] = make([]string, len(cols))
		for j, c := range cols {
			rows[i][j] = Cell(Field(it, c.Field))
		}
	}
	return Table(w, headers, rows)
}

// Field reads a dotted path of an object.
func Field(obj map[string]any, path string) any {
	var v any = obj
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

// Cell is how a JSON value shows in a table: null is empty, strings as
// they are, numbers as written, objects and arrays as compact JSON.
func Cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case json.Number:
		return x.String()
	case float64:
		return fmt.Sprint(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// Detail writes an object's fields as "key: value" lines, sorted by key,
// nested objects as compact JSON.
func Detail(w io.Writer, obj map[string]any) error {
	keys := make([]string, 0, len(obj))
	width := 0
	for k := range obj {
		keys = append(keys, k)
		width = max(width, len(k))
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(w, "%-*s  %s\n", width+1, k+":", Printable(Cell(obj[k]))); err != nil {
			return err
		}
	}
	return nil
}

// JSON writes v as indented JSON.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Cols makes columns of header, field pairs.
func Cols(pairs ...string) []Column {
	cols := make([]Column, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		cols = append(cols, Column{Header: pairs[i], Field: pairs[i+1]})
	}
	return cols
}
