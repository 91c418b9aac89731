package bigquery

import (
	"errors"
	"testing"

	"cloud.google.com/go/bigquery"

	"github.com/hotdata-dev/hotdata/connectors"
)

// TestRender: a live query in GoogleSQL: columns qualified by the
// table's alias (an output name c0 cannot stand for a column c0), NULLS
// written out, OFFSET after a LIMIT, values as typed parameters (a
// decimal NUMERIC cannot hold as BIGNUMERIC); what BigQuery orders
// otherwise than the cache is refused.
func TestRender(t *testing.T) {
	c := &Connector{cfg: Config{DataProject: "acme"}}
	md := &bigquery.TableMetadata{Schema: bigquery.Schema{
		{Name: "c0", Type: bigquery.IntegerFieldType},
		{Name: "c1", Type: bigquery.StringFieldType},
		{Name: "n", Type: bigquery.NumericFieldType, Precision: 12, Scale: 2},
		{Name: "ci", Type: bigquery.StringFieldType, Collation: "und:ci"},
		{Name: "iv", Type: bigquery.IntervalFieldType},
		{Name: "tags", Type: bigquery.StringFieldType, Repeated: true},
	}}
	q := &connectors.Query{Schema: "s", Table: "t", Limit: -1, Offset: 5,
		Select:  []connectors.Item{{Column: "c1"}, {Column: "c0"}, {Agg: connectors.AggSum, Column: "n"}},
		Where:   &connectors.Cond{Op: connectors.CondCompare, Column: "n", CompareOp: ">=", Values: []any{"1.0000000001"}},
		GroupBy: []string{"c1", "c0"},
		OrderBy: []connectors.Order{{Item: connectors.Item{Column: "c0"}, NullsFirst: false}},
	}
	r, err := c.render(q, md)
	if err != nil {
		t.Fatal(err)
	}
	want := "SELECT `_hd_t`.`c1` AS c0, `_hd_t`.`c0` AS c1, SUM(`_hd_t`.`n`) AS c2 FROM `acme`.`s`.`t` AS `_hd_t` WHERE `_hd_t`.`n` >= @p0 " +
		"GROUP BY `_hd_t`.`c1`, `_hd_t`.`c0` ORDER BY `_hd_t`.`c0` ASC NULLS LAST LIMIT 9223372036854775807 OFFSET 5"
	if r.sql != want {
		t.Errorf("got  %s\nwant %s", r.sql, want)
	}
	if len(r.params) != 1 || r.params[0].Value.(*bigquery.QueryParameterValue).Type.TypeKind != "BIGNUMERIC" {
		t.Errorf("a constant with 10 decimals: %+v, want a BIGNUMERIC parameter", r.params)
	}
	if f := r.fields[2]; f.Type != bigquery.NumericFieldType || f.Scale != 2 {
		t.Errorf("sum of NUMERIC(12,2) read as %+v, want scale 2", f)
	}
	for _, bad := range []*connectors.Query{
		{Schema: "s", Table: "t", Limit: -1, Offset: -1, Select: []connectors.Item{{Column: "ci"}}, OrderBy: []connectors.Order{{Item: connectors.Item{Column: "ci"}}}},
		{Schema: "s", Table: "t", Limit: -1, Offset: -1, Select: []connectors.Item{{Agg: connectors.AggMax, Column: "iv"}}},
		{Schema: "s", Table: "t", Limit: -1, Offset: -1, Distinct: true, Select: []connectors.Item{{Column: "tags"}}},
		{Schema: "s", Table: "t", Limit: -1, Offset: -1, Select: []connectors.Item{{Column: "c0"}}, GroupBy: []string{"iv"}},
		{Schema: "s", Table: "t", Limit: -1, Offset: -1, Select: []connectors.Item{{Column: "c0"}},
			Where: &connectors.Cond{Op: connectors.CondCompare, Column: "ci", CompareOp: "=", Values: []any{"a"}}},
		{Schema: "s", Table: "t", Limit: -1, Offset: -1, Select: []connectors.Item{{Column: "c0"}},
			Where: &connectors.Cond{Op: connectors.CondCompare, Column: "n", CompareOp: "=", Values: []any{"0.123456789012345678901234567890123456789"}}},
	} {
		if _, err := c.render(bad, md); !errors.Is(err, connectors.ErrNotPushed) {
			t.Errorf("%+v: %v, want ErrNotPushed", bad, err)
		}
	}
}
