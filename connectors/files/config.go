package files

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
)

// Config is a files connection's configuration.
type Config struct {
	// Root is the absolute folder holding the files. Hotdata sets it (to
	// the workspace's upload folder); a user never does, since it decides
	// what DuckDB may read.
	Root string `json:"root"`
	// Schema is the schema every table is in (default "main").
	Schema string `json:"schema,omitempty"`
	Files  []File `json:"files"`
	// Limits bound the DuckDB that reads the files (defaults: 1 GiB, 2
	// threads). Hotdata sets them; they are not part of the JSON config.
	Limits engine.Limits `json:"-"`
}

// File is one file served as a table.
type File struct {
	Table string `json:"table"`
	// Path is relative to Root and must stay inside it.
	Path string `json:"path"`
	// Format is csv, parquet, json or ndjson; the default comes from the
	// extension (.csv .tsv .txt, .parquet .pq, .json, .ndjson .jsonl,
	// optionally followed by .gz or .zst).
	Format string `json:"format,omitempty"`

	// The rest applies to CSV only.

	// Delimiter separates fields (default: sniffed).
	Delimiter string `json:"delimiter,omitempty"`
	// Header says whether the first line names the columns (default:
	// sniffed).
	Header *bool `json:"header,omitempty"`
	// Columns override the sniffed types of the named columns.
	Columns []ColumnType `json:"columns,omitempty"`
	// SkipBadRows skips rows that do not parse instead of failing.
	SkipBadRows bool `json:"skip_bad_rows,omitempty"`
}

// ColumnType gives one CSV column a type, as a SQL type name such as
// "integer", "numeric(12,2)", "timestamp", "text", "boolean" or "date".
type ColumnType struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// The formats.
const (
	FormatCSV     = "csv"
	FormatParquet = "parquet"
	FormatJSON    = "json"
	FormatNDJSON  = "ndjson"
)

// Defaults.
const (
	DefaultSchema      = "main"
	defaultMemoryBytes = 1 << 30
	defaultThreads     = 2
)

// namePattern is what a table or schema name may look like: the same rule
// as connection and dataset names, so every name is a plain identifier.
var namePattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// ParseConfig decodes and validates a config object; unknown fields are
// an error.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var c Config
	if len(bytes.TrimSpace(raw)) == 0 {
		return c, connectors.InvalidConfig(`files config is required: {"root", "files": [{"table", "path"}]}`)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, connectors.InvalidConfig("files config: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return c, connectors.InvalidConfig("files config: unexpected data after the config object")
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	return c, nil
}

// Validate fills in defaults and checks the config; errors wrap
// connectors.ErrInvalidConfig. It does not touch the file system:
// symlinks are checked when the files are opened.
func (c *Config) Validate() error {
	if c.Root == "" {
		return connectors.InvalidConfig("files config: root is required")
	}
	if !filepath.IsAbs(c.Root) {
		return connectors.InvalidConfig("files config: root %q is not an absolute path", c.Root)
	}
	c.Root = filepath.Clean(c.Root)
	if c.Root == string(filepath.Separator) {
		return connectors.InvalidConfig("files config: root must not be the file system root")
	}
	if c.Schema == "" {
		c.Schema = DefaultSchema
	}
	if !namePattern.MatchString(c.Schema) {
		return connectors.InvalidConfig("files config: schema %q is not a valid name ([a-z_][a-z0-9_]*, at most 63 characters)", c.Schema)
	}
	if len(c.Files) == 0 {
		return connectors.InvalidConfig("files config: files is empty: list at least one {\"table\", \"path\"}")
	}
	tables := map[string]bool{}
	for i := range c.Files {
		f := &c.Files[i]
		if err := f.validate(); err != nil {
			return connectors.InvalidConfig("files config: files[%d]: %v", i, err)
		}
		if tables[f.Table] {
			return connectors.InvalidConfig("files config: table %q is listed twice", f.Table)
		}
		tables[f.Table] = true
	}
	if c.Limits.MemoryBytes == 0 {
		c.Limits.MemoryBytes = defaultMemoryBytes
	}
	if c.Limits.Threads == 0 {
		c.Limits.Threads = defaultThreads
	}
	return nil
}

func (f *File) validate() error {
	if !namePattern.MatchString(f.Table) {
		return fmt.Errorf("table %q is not a valid name ([a-z_][a-z0-9_]*, at most 63 characters)", f.Table)
	}
	p, err := cleanPath(f.Path)
	if err != nil {
		return err
	}
	f.Path = p
	if f.Format == "" {
		if f.Format = formatOf(f.Path); f.Format == "" {
			return fmt.Errorf("path %q: cannot tell the format from the extension: set format to csv, parquet, json or ndjson", f.Path)
		}
	}
	switch f.Format {
	case FormatCSV:
		return f.validateCSV()
	case FormatParquet, FormatJSON, FormatNDJSON:
		switch {
		case f.Delimiter != "":
			return fmt.Errorf("delimiter applies to csv files only, not %s", f.Format)
		case f.Header != nil:
			return fmt.Errorf("header applies to csv files only, not %s", f.Format)
		case len(f.Columns) > 0:
			return fmt.Errorf("columns applies to csv files only, not %s", f.Format)
		case f.SkipBadRows:
			return fmt.Errorf("skip_bad_rows applies to csv files only, not %s", f.Format)
		}
		return nil
	}
	return fmt.Errorf("format %q is not one of csv, parquet, json, ndjson", f.Format)
}

func (f *File) validateCSV() error {
	if f.Delimiter != "" {
		// DuckDB takes delimiters of up to 4 bytes.
		if len(f.Delimiter) > 4 || strings.ContainsAny(f.Delimiter, "\r\n\"\x00") {
			return fmt.Errorf("delimiter %q: use one character (up to 4 bytes) other than a quote or a line break", f.Delimiter)
		}
	}
	seen := map[string]bool{}
	for i := range f.Columns {
		col := &f.Columns[i]
		if col.Name == "" {
			return fmt.Errorf("columns[%d]: name is required", i)
		}
		if seen[col.Name] {
			return fmt.Errorf("columns: %q is listed twice", col.Name)
		}
		seen[col.Name] = true
		if _, err := duckType(col.Type); err != nil {
			return fmt.Errorf("columns[%d] (%s): %w", i, col.Name, err)
		}
	}
	return nil
}

// formatOf guesses a file's format from its extension, "" when unknown.
func formatOf(path string) string {
	name := strings.ToLower(filepath.Base(path))
	for _, comp := range []string{".gz", ".zst"} {
		name = strings.TrimSuffix(name, comp)
	}
	switch filepath.Ext(name) {
	case ".csv", ".tsv", ".txt":
		return FormatCSV
	case ".parquet", ".pq":
		return FormatParquet
	case ".json":
		return FormatJSON
	case ".ndjson", ".jsonl":
		return FormatNDJSON
	}
	return ""
}

const configSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["root", "files"],
  "additionalProperties": false,
  "properties": {
    "root": {"type": "string", "description": "Absolute folder holding the files; set by Hotdata, not by users"},
    "schema": {"type": "string", "pattern": "^[a-z_][a-z0-9_]{0,62}$", "default": "main"},
    "files": {
      "type": "array",
      "minItems": 1,
      "items": {
        "type": "object",
        "required": ["table", "path"],
        "additionalProperties": false,
        "properties": {
          "table": {"type": "string", "pattern": "^[a-z_][a-z0-9_]{0,62}$"},
          "path": {"type": "string", "description": "Relative to root; must stay inside it"},
          "format": {"type": "string", "enum": ["csv", "parquet", "json", "ndjson"], "description": "Default: from the extension"},
          "delimiter": {"type": "string", "description": "CSV only; default: sniffed"},
          "header": {"type": "boolean", "description": "CSV only; default: sniffed"},
          "columns": {
            "type": "array",
            "description": "CSV only: types overriding the sniffed ones",
            "items": {
              "type": "object",
              "required": ["name", "type"],
              "additionalProperties": false,
              "properties": {
                "name": {"type": "string"},
                "type": {"type": "string", "description": "A SQL type name: integer, bigint, numeric(12,2), double precision, text, boolean, date, timestamp, timestamptz, time, uuid, json, bytea, interval"}
              }
            }
          },
          "skip_bad_rows": {"type": "boolean", "default": false, "description": "CSV only: skip rows that do not parse instead of failing"}
        }
      }
    }
  }
}`

// Type describes the connector. It is not registered with the server:
// datasets use the connector directly.
var Type = connectors.Type{
	Name:          "files",
	Label:         "Files (CSV, Parquet, JSON)",
	ConfigSchema:  json.RawMessage(configSchema),
	DefaultSchema: defaultSchemaOf,
	Open: func(ctx context.Context, raw json.RawMessage, _ string, _ connectors.Env) (connectors.Connector, error) {
		c, err := ParseConfig(raw)
		if err != nil {
			return nil, err
		}
		conn, err := Open(ctx, c)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return conn, nil
	},
}

func defaultSchemaOf(raw json.RawMessage) string {
	var c struct {
		Schema string `json:"schema"`
	}
	if json.Unmarshal(raw, &c) == nil && c.Schema != "" {
		return c.Schema
	}
	return DefaultSchema
}
