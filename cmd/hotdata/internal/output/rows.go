package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// RowWriter writes a query's rows as they come, page by page: Begin
// once, Rows for each page, End once.
type RowWriter interface {
	Begin(columns []string) error
	Rows(rows [][]any) error
	End() error
}

// NewRowWriter is the writer of a format: table, csv, json or ndjson.
func NewRowWriter(format string, w io.Writer) (RowWriter, error) {
	switch format {
	case "table":
		return &tableRows{w: w}, nil
	case "csv":
		return &csvRows{w: csv.NewWriter(w)}, nil
	case "json":
		return &jsonRows{w: w}, nil
	case "ndjson":
		return &jsonRows{w: w, lines: true}, nil
	}
	return nil, fmt.Errorf("no row writer for format %q", format)
}

// tableRows prints an aligned table per page of rows (the columns'
// widths are each page's), the header once, and psql's row count.
type tableRows struct {
	w       io.Writer
	columns []string
	widths  []int
	n       int64
	pages   int
}

func (t *tableRows) Begin(columns []string) error { t.columns = columns; return nil }

func (t *tableRows) Rows(rows [][]any) error {
	if len(rows) == 0 && t.pages > 0 || len(t.columns) == 0 {
		return nil
	}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = make([]string, len(r))
		for j, v := range r {
			cells[i][j] = Cell(v)
		}
	}
	widths, err := tableMin(t.w, t.columns, cells, t.widths, t.pages == 0, false)
	t.widths = widths
	t.pages++
	t.n += int64(len(rows))
	return err
}

func (t *tableRows) End() error {
	if len(t.columns) == 0 { // a statement without a result set (SET …)
		_, err := io.WriteString(t.w, "OK\n")
		return err
	}
	if t.pages == 0 {
		if err := t.Rows(nil); err != nil {
			return err
		}
	}
	noun := "rows"
	if t.n == 1 {
		noun = "row"
	}
	_, err := fmt.Fprintf(t.w, "(%d %s)\n", t.n, noun)
	return err
}

// csvRows writes RFC 4180 CSV with a header; NULL is an empty field.
type csvRows struct{ w *csv.Writer }

func (c *csvRows) Begin(columns []string) error { return c.w.Write(columns) }

func (c *csvRows) Rows(rows [][]any) error {
	rec := []string{}
	for _, r := range rows {
		rec = rec[:0]
		for _, v := range r {
			rec = append(rec, Cell(v))
		}
		if err := c.w.Write(rec); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}

func (c *csvRows) End() error { c.w.Flush(); return c.w.Error() }

// jsonRows writes a JSON array of objects, or one object per line
// (NDJSON). Keys keep the columns' order; a repeated column name gets
// "_2", "_3", ….
type jsonRows struct {
	w     io.Writer
	lines bool
	keys  [][]byte
	any   bool
	buf   bytes.Buffer
}

func (j *jsonRows) Begin(columns []string) error {
	used := map[string]bool{}
	for _, c := range columns {
		used[c] = true
	}
	seen := map[string]bool{}
	for _, c := range columns {
		name := c
		if seen[c] { // a repeated name: the first free c_2, c_3, …
			for n := 2; ; n++ {
				name = c + "_" + strconv.Itoa(n)
				if !used[name] {
					break
				}
			}
			used[name] = true
		}
		seen[c] = true
		k, _ := json.Marshal(name)
		j.keys = append(j.keys, k)
	}
	if !j.lines {
		_, err := io.WriteString(j.w, "[")
		return err
	}
	return nil
}

func (j *jsonRows) Rows(rows [][]any) error {
	j.buf.Reset()
	for _, r := range rows {
		if !j.lines {
			if j.any {
				j.buf.WriteString(",\n")
			} else {
				j.buf.WriteString("\n")
			}
		}
		j.any = true
		j.buf.WriteByte('{')
		for i, v := range r {
			if i > 0 {
				j.buf.WriteByte(',')
			}
			if i < len(j.keys) {
				j.buf.Write(j.keys[i])
			} else {
				j.buf.WriteString(strconv.Quote("column" + strconv.Itoa(i+1)))
			}
			j.buf.WriteByte(':')
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			j.buf.Write(b)
		}
		j.buf.WriteByte('}')
		if j.lines {
			j.buf.WriteByte('\n')
		}
	}
	_, err := j.w.Write(j.buf.Bytes())
	return err
}

func (j *jsonRows) End() error {
	if j.lines {
		return nil
	}
	end := "]\n"
	if j.any {
		end = "\n]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}
