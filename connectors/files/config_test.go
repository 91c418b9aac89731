package files

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
)

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig(json.RawMessage(`{"root": "/data/ws/uploads", "files": [
		{"table": "orders", "path": "./in/orders.CSV"},
		{"table": "events", "path": "events.jsonl.gz"},
		{"table": "facts", "path": "facts.pq"},
		{"table": "raw", "path": "raw.dat", "format": "csv", "delimiter": "|", "header": false,
		 "columns": [{"name": "amount", "type": "Numeric(12, 2)"}, {"name": "at", "type": "timestamp with time zone"}], "skip_bad_rows": true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s %s", c.Schema, c.Root)
	for _, f := range c.Files {
		got += fmt.Sprintf(" %s=%s:%s", f.Table, f.Path, f.Format)
	}
	if want := "main /data/ws/uploads orders=in/orders.CSV:csv events=events.jsonl.gz:ndjson facts=facts.pq:parquet raw=raw.dat:csv"; got != want {
		t.Errorf("parsed %s\n  want %s", got, want)
	}
	if c.Limits.MemoryBytes == 0 || c.Limits.Threads == 0 {
		t.Errorf("no default limits: %+v", c.Limits)
	}
	if s := Type.DefaultSchema(json.RawMessage(`{"schema": "uploads"}`)); s != "uploads" {
		t.Errorf("default schema %q", s)
	}

	bad := map[string]string{
		"empty":                ``,
		"not an object":        `[1]`,
		"unknown field":        `{"root": "/r", "files": [{"table": "a", "path": "a.csv"}], "colour": "red"}`,
		"unknown file field":   `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "delim": ","}]}`,
		"unknown column field": `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "columns": [{"name": "x", "type": "text", "nullable": true}]}]}`,
		"trailing data":        `{"root": "/r", "files": [{"table": "a", "path": "a.csv"}]} {}`,
		"no root":              `{"files": [{"table": "a", "path": "a.csv"}]}`,
		"relative root":        `{"root": "data", "files": [{"table": "a", "path": "a.csv"}]}`,
		"root is /":            `{"root": "/", "files": [{"table": "a", "path": "etc/passwd", "format": "csv"}]}`,
		"no files":             `{"root": "/r", "files": []}`,
		"bad schema":           `{"root": "/r", "schema": "Main", "files": [{"table": "a", "path": "a.csv"}]}`,
		"bad table":            `{"root": "/r", "files": [{"table": "a-b", "path": "a.csv"}]}`,
		"long table":           `{"root": "/r", "files": [{"table": "` + strings.Repeat("a", 64) + `", "path": "a.csv"}]}`,
		"duplicate table":      `{"root": "/r", "files": [{"table": "a", "path": "a.csv"}, {"table": "a", "path": "b.csv"}]}`,
		"no path":              `{"root": "/r", "files": [{"table": "a"}]}`,
		"dot dot":              `{"root": "/r", "files": [{"table": "a", "path": "../x.csv"}]}`,
		"dot dot inside":       `{"root": "/r", "files": [{"table": "a", "path": "in/../../x.csv"}]}`,
		"absolute path":        `{"root": "/r", "files": [{"table": "a", "path": "/etc/passwd", "format": "csv"}]}`,
		"glob":                 `{"root": "/r", "files": [{"table": "a", "path": "*.csv"}]}`,
		"braces":               `{"root": "/r", "files": [{"table": "a", "path": "{a,b}.csv"}]}`,
		"control character":    `{"root": "/r", "files": [{"table": "a", "path": "a\n.csv"}]}`,
		"unknown extension":    `{"root": "/r", "files": [{"table": "a", "path": "a.xlsx"}]}`,
		"unknown format":       `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "format": "xml"}]}`,
		"csv option on json":   `{"root": "/r", "files": [{"table": "a", "path": "a.json", "delimiter": ","}]}`,
		"skip on parquet":      `{"root": "/r", "files": [{"table": "a", "path": "a.parquet", "skip_bad_rows": true}]}`,
		"long delimiter":       `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "delimiter": "abcde"}]}`,
		"newline delimiter":    `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "delimiter": "\n"}]}`,
		"unknown type":         `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "columns": [{"name": "x", "type": "integr"}]}]}`,
		"type injection":       `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "columns": [{"name": "x", "type": "integer'); SELECT 1; --"}]}]}`,
		"numeric too wide":     `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "columns": [{"name": "x", "type": "numeric(40,2)"}]}]}`,
		"bare numeric":         `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "columns": [{"name": "x", "type": "numeric"}]}]}`,
		"column twice":         `{"root": "/r", "files": [{"table": "a", "path": "a.csv", "columns": [{"name": "x", "type": "text"}, {"name": "x", "type": "date"}]}]}`,
	}
	for name, raw := range bad {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseConfig(json.RawMessage(raw)); !errors.Is(err, connectors.ErrInvalidConfig) {
				t.Errorf("ParseConfig(%s) = %v, want ErrInvalidConfig", raw, err)
			}
			if _, err := Type.Open(context.Background(), json.RawMessage(raw), "", connectors.Env{}); !errors.Is(err, connectors.ErrInvalidConfig) {
				t.Errorf("Type.Open(%s) = %v, want ErrInvalidConfig", raw, err)
			}
		})
	}
}

func TestSQLTypeNames(t *testing.T) {
	for in, want := range map[string]string{
		"integer": "INTEGER", "INT": "INTEGER", "bigint": "BIGINT", "smallint": "SMALLINT",
		"double  precision": "DOUBLE", "real": "FLOAT", "numeric(12,2)": "DECIMAL(12,2)", "decimal(5)": "DECIMAL(5,0)",
		"text": "VARCHAR", "varchar(20)": "VARCHAR", "boolean": "BOOLEAN", "date": "DATE",
		"timestamp": "TIMESTAMP", "timestamp without time zone": "TIMESTAMP", "timestamptz": "TIMESTAMPTZ",
		"time": "TIME", "uuid": "UUID", "jsonb": "JSON", "bytea": "BLOB", "interval": "INTERVAL",
	} {
		if got, err := duckType(in); err != nil || got != want {
			t.Errorf("duckType(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestPlanType(t *testing.T) {
	// DuckDB types that files rarely hold, by DESCRIBE's name.
	for duck, want := range map[string]string{
		"HUGEINT":                     "numeric(38,0) castTo",
		"UHUGEINT":                    "numeric(38,0) castTo",
		"BIGNUM":                      "text toText",
		"BIT":                         "text toText",
		"TIME WITH TIME ZONE":         "text toText",
		"TIMESTAMP_S":                 "timestamp without time zone castTo",
		"ENUM('a', 'b[]')":            "text castTo",
		"ENUM('a', 'b')[]":            "text[] castTo",
		"INTEGER[3]":                  "integer[] castTo",
		"BIGINT[]":                    "bigint[] asIs",
		"TIMESTAMP_NS[]":              "timestamp without time zone[] lossy",
		"INTERVAL[]":                  "json toJSON",
		"UNION(a INTEGER, b VARCHAR)": "json toJSON",
		"STRUCT(a INTEGER[])":         "json toJSON",
		"MAP(VARCHAR, INTEGER[])[]":   "json toJSON",
		"DECIMAL(38,10)":              "numeric(38,10) asIs",
		"GEOMETRY":                    "text toText",
	} {
		p := planType(duck)
		how := map[conversion]string{asIs: "asIs", castTo: "castTo", lossy: "lossy", toText: "toText", toJSON: "toJSON"}[p.how]
		if got := p.pgName + " " + how; got != want {
			t.Errorf("planType(%q) = %s, want %s", duck, got, want)
		}
	}
}
