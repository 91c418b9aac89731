package files

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/engine"
)

// dialect is how a CSV file is laid out and typed, as DuckDB's sniffer
// found it (https://duckdb.org/docs/stable/data/csv/auto_detection) with
// the configured settings and type overrides applied.
//
// The file is then read with auto-detection off and all of this given
// explicitly. Left to sniff by itself, the reader takes a file whose
// sample holds one row with a missing field as a single-column file, or
// fails to sniff it without saying where; sniffed apart with bad rows
// ignored, the layout is right and the bad row is reported by its line.
// It also means every read of the file (Discover, Test, Scan) agrees on
// the columns.
type dialect struct {
	delim, quote, escape, newline, comment string
	skip                                   int64
	header                                 bool
	dateFormat, timestampFormat            string
	columns                                []csvColumn
}

type csvColumn struct{ name, typ string }

// sniffCSV runs DuckDB's sniffer over a CSV file.
func sniffCSV(ctx context.Context, eng *engine.Engine, f File, abs string) (*dialect, error) {
	opts := []string{quoteLiteral(abs), "ignore_errors = true"}
	if f.Delimiter != "" {
		opts = append(opts, "delim = "+quoteLiteral(f.Delimiter))
	}
	if f.Header != nil {
		opts = append(opts, fmt.Sprintf("header = %t", *f.Header))
	}
	overrides := map[string]string{}
	if len(f.Columns) > 0 {
		var types []string
		for _, c := range f.Columns {
			t, _ := duckType(c.Type) // checked by Validate
			overrides[c.Name] = t
			types = append(types, quoteLiteral(c.Name)+": "+quoteLiteral(t))
		}
		// Given to the sniffer too: a column's type helps it tell a
		// header from data.
		opts = append(opts, "types = {"+strings.Join(types, ", ")+"}")
	}
	q := `SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, CAST(SkipRows AS BIGINT), HasHeader,
	             coalesce(DateFormat, ''), coalesce(TimestampFormat, ''), Columns
	      FROM sniff_csv(` + strings.Join(opts, ", ") + ")"
	var d *dialect
	err := eng.Query(ctx, q, nil, func(rr array.RecordReader) error {
		for rr.Next() {
			rec := rr.RecordBatch()
			if rec.NumRows() == 0 {
				continue
			}
			text := func(i int) string {
				v := rec.Column(i).(*array.String).Value(0)
				if v == "(empty)" {
					// How sniff_csv writes an option that is off; no
					// real option value is that long.
					return ""
				}
				// Values live in DuckDB's memory until the next batch.
				return strings.Clone(v)
			}
			d = &dialect{delim: text(0), quote: text(1), escape: text(2), newline: text(3), comment: text(4),
				skip: rec.Column(5).(*array.Int64).Value(0), header: rec.Column(6).(*array.Boolean).Value(0),
				dateFormat: text(7), timestampFormat: text(8)}
			cols := rec.Column(9).(*array.List)
			start, end := cols.ValueOffsets(0)
			st := cols.ListValues().(*array.Struct)
			names, types := st.Field(0).(*array.String), st.Field(1).(*array.String)
			for i := int(start); i < int(end); i++ {
				d.columns = append(d.columns, csvColumn{strings.Clone(names.Value(i)), strings.Clone(types.Value(i))})
			}
		}
		return rr.Err()
	})
	if err != nil {
		return nil, err
	}
	if d == nil || len(d.columns) == 0 {
		return nil, fmt.Errorf("the sniffer found no columns")
	}
	// The sniffer ignores an override naming no column: say so.
	for _, c := range f.Columns {
		found := false
		for i := range d.columns {
			if d.columns[i].name == c.Name {
				d.columns[i].typ, found = overrides[c.Name], true
			}
		}
		if !found {
			var have []string
			for _, col := range d.columns {
				have = append(have, col.name)
			}
			return nil, fmt.Errorf("columns names %q, which the file does not have (it has %s)", c.Name, strings.Join(have, ", "))
		}
	}
	return d, nil
}

// options are read_csv's arguments for reading the file as sniffed.
func (d *dialect) options() []string {
	opts := []string{
		"auto_detect = false",
		"delim = " + quoteLiteral(d.delim),
		"quote = " + quoteLiteral(d.quote),
		"escape = " + quoteLiteral(d.escape),
		"new_line = " + quoteLiteral(d.newline),
		"comment = " + quoteLiteral(d.comment),
		fmt.Sprintf("skip = %d", d.skip),
		fmt.Sprintf("header = %t", d.header),
	}
	if d.dateFormat != "" {
		opts = append(opts, "dateformat = "+quoteLiteral(d.dateFormat))
	}
	if d.timestampFormat != "" {
		opts = append(opts, "timestampformat = "+quoteLiteral(d.timestampFormat))
	}
	cols := make([]string, len(d.columns))
	for i, c := range d.columns {
		cols[i] = quoteLiteral(c.name) + ": " + quoteLiteral(c.typ)
	}
	return append(opts, "columns = {"+strings.Join(cols, ", ")+"}")
}
