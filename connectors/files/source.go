package files

import (
	"fmt"
	"strings"
)

// maxRejects caps the bad rows of one scan that DuckDB records for the
// skipped-rows warning (each is kept in memory until the engine closes).
const maxRejects = 100_000

// readMode says what a read of a CSV with skip_bad_rows does with a bad row.
type readMode int

const (
	skipSilently  readMode = iota // ignore_errors: schema and Test
	recordRejects                 // store_rejects: scans, to count them
)

// reading is one file about to be read: its config, its real path and,
// for a CSV file, its dialect.
type reading struct {
	File
	abs string
	csv *dialect
}

// source returns the table function that reads the file.
func (r reading) source(mode readMode) string {
	path := quoteLiteral(r.abs)
	switch r.Format {
	case FormatParquet:
		return "read_parquet(" + path + ")"
	case FormatJSON:
		// auto takes an array of objects, one object, or objects one
		// after another.
		return "read_json(" + path + ", format = 'auto')"
	case FormatNDJSON:
		return "read_json(" + path + ", format = 'newline_delimited')"
	}
	opts := append([]string{path}, r.csv.options()...)
	// As in PostgreSQL's CSV format: an empty unquoted field is NULL, a
	// quoted one ("") is an empty string.
	opts = append(opts, "allow_quoted_nulls = false")
	if r.SkipBadRows {
		switch mode {
		case skipSilently:
			opts = append(opts, "ignore_errors = true")
		case recordRejects:
			opts = append(opts, "store_rejects = true", fmt.Sprintf("rejects_limit = %d", maxRejects))
		}
	}
	return "read_csv(" + strings.Join(opts, ", ") + ")"
}

// quoteLiteral quotes a string literal for DuckDB (standard SQL: quotes
// doubled, backslashes plain).
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
