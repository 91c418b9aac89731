package snowflake

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
)

// TestRender: a live query in Snowflake's SQL and in the emulator's
// DuckDB SQL: columns qualified by the table's alias, NULLS written
// out, values as literals of the columns' types; what Snowflake orders
// otherwise than the cache is refused.
func TestRender(t *testing.T) {
	cols := []column{
		{name: "ID", dataType: "NUMBER", precision: 38, scale: 0},
		{name: "AMT", dataType: "NUMBER", precision: 12, scale: 2},
		{name: "S", dataType: "TEXT", length: 100, precision: -1, scale: -1},
		{name: "CI", dataType: "TEXT", length: 100, precision: -1, scale: -1, collation: "en-ci"},
		{name: "D", dataType: "DATE", precision: -1, scale: -1},
		{name: "V", dataType: "VARIANT", precision: -1, scale: -1},
	}
	q := &connectors.Query{Schema: "PUBLIC", Table: "T", Limit: -1, Offset: 3,
		Select: []connectors.Item{{Column: "D"}, {Agg: connectors.AggSum, Column: "AMT"}, {Agg: connectors.AggCount}},
		Where: &connectors.Cond{Op: connectors.CondAnd, Args: []*connectors.Cond{
			{Op: connectors.CondCompare, Column: "S", CompareOp: "<>", Values: []any{"it's"}},
			{Op: connectors.CondIn, Column: "D", Values: []any{time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}},
		}},
		GroupBy: []string{"D"},
		OrderBy: []connectors.Order{{Item: connectors.Item{Agg: connectors.AggCount}, Desc: true, NullsFirst: true}},
	}
	r, err := render(q, cols, dialect{arrow: true})
	if err != nil {
		t.Fatal(err)
	}
	want := `SELECT "c0", "c1", "c2" FROM (SELECT "_hd_t"."D" AS "c0", SUM("_hd_t"."AMT") AS "c1", COUNT(*) AS "c2", COUNT(*) AS "o0" FROM "PUBLIC"."T" AS "_hd_t" ` +
		`WHERE ("_hd_t"."S" <> 'it''s') AND ("_hd_t"."D" IN ('2024-03-01')) GROUP BY "_hd_t"."D") ORDER BY "o0" DESC NULLS FIRST LIMIT NULL OFFSET 3`
	if r.sql != want {
		t.Errorf("Snowflake:\n got %s\nwant %s", r.sql, want)
	}
	if typ := r.plans[1].field.Type.String(); typ != "decimal(38, 2)" {
		t.Errorf("sum of NUMBER(12,2) decodes as %s, want decimal(38, 2)", typ)
	}
	r, err = render(q, cols, dialect{duckdb: true})
	if err != nil || !strings.Contains(r.sql, "LIMIT 9223372036854775807 OFFSET 3") || !strings.HasPrefix(r.sql, `SELECT '~' || CAST("c0" AS VARCHAR)`) {
		t.Errorf("emulator: %s %v", r.sql, err)
	}
	for _, bad := range []*connectors.Query{
		{Schema: "PUBLIC", Table: "T", Limit: -1, Offset: -1, Select: []connectors.Item{{Column: "CI"}}, OrderBy: []connectors.Order{{Item: connectors.Item{Column: "CI"}}}},
		{Schema: "PUBLIC", Table: "T", Limit: -1, Offset: -1, Select: []connectors.Item{{Agg: connectors.AggMax, Column: "CI"}}},
		{Schema: "PUBLIC", Table: "T", Limit: -1, Offset: -1, Select: []connectors.Item{{Column: "ID"}},
			Where: &connectors.Cond{Op: connectors.CondCompare, Column: "CI", CompareOp: "=", Values: []any{"a"}}},
		{Schema: "PUBLIC", Table: "T", Limit: -1, Offset: -1, Distinct: true, Select: []connectors.Item{{Column: "V"}}},
		{Schema: "PUBLIC", Table: "T", Limit: -1, Offset: -1, Select: []connectors.Item{{Agg: connectors.AggSum, Column: "S"}}},
	} {
		if _, err := render(bad, cols, dialect{arrow: true}); !errors.Is(err, connectors.ErrNotPushed) {
			t.Errorf("%+v: %v, want ErrNotPushed", bad, err)
		}
	}
}
