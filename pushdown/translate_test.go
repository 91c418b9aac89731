package pushdown

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
)

var orders = Table{Source: "BigQuery", Schema: "shop", Name: "orders",
	Columns: map[string]string{
		"id": "bigint", "amount": "numeric(12,2)", "total": "numeric", "score": "double precision",
		"name": "character varying(20)", "paid": "boolean", "day": "date", "at": "timestamp with time zone",
		"local": "timestamp without time zone", "tags": "text[]", "doc": "json",
	},
	Order: []string{"id", "amount", "total", "score", "name", "paid", "day", "at", "local", "tags", "doc"},
}

func translate(t *testing.T, sql string, args ...any) (*connectors.Query, error) {
	t.Helper()
	p, err := plan(t, sql, args...)
	if err != nil {
		return nil, err
	}
	for i, c := range p.Columns {
		if c.Avg || c.Item != i {
			t.Errorf("%s: column %d comes from %+v", sql, i, c)
		}
	}
	return p.Query, nil
}

func plan(t *testing.T, sql string, args ...any) (*Plan, error) {
	t.Helper()
	st := pgval.DefaultStyle
	st.Loc, _ = time.LoadLocation("Asia/Kolkata")
	return Translate(sql, orders, Values{Style: st, Now: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), Args: args})
}

// TestAvg: avg goes as the sum and count it is computed from.
func TestAvg(t *testing.T) {
	p, err := plan(t, "SELECT day, avg(amount) AS a, count(*) FROM orders GROUP BY day ORDER BY day")
	if err != nil {
		t.Fatal(err)
	}
	wantItems := []connectors.Item{{Column: "day"}, {Agg: "sum", Column: "amount"}, {Agg: "count", Column: "amount"}, {Agg: "count"}}
	wantCols := []Column{{Item: 0}, {Item: 1, Avg: true, Count: 2}, {Item: 3}}
	if !reflect.DeepEqual(p.Query.Select, wantItems) || !reflect.DeepEqual(p.Columns, wantCols) {
		t.Errorf("avg: %+v %+v", p.Query.Select, p.Columns)
	}
}

func cmp(col, op string, v any) *connectors.Cond {
	return &connectors.Cond{Op: connectors.CondCompare, Column: col, CompareOp: op, Values: []any{v}}
}

func TestTranslate(t *testing.T) {
	kolkataMidnight := time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("IST", 19800)).UTC()
	cases := []struct {
		sql  string
		args []any
		want connectors.Query
	}{
		{sql: "SELECT id, name FROM bq.shop.orders WHERE id = 5",
			want: connectors.Query{Select: []connectors.Item{{Column: "id"}, {Column: "name"}}, Where: cmp("id", "=", int64(5))}},
		{sql: "SELECT * FROM orders o WHERE o.id >= 10000000000 AND NOT paid",
			want: connectors.Query{Select: []connectors.Item{{Column: "id"}, {Column: "amount"}, {Column: "total"}, {Column: "score"},
				{Column: "name"}, {Column: "paid"}, {Column: "day"}, {Column: "at"}, {Column: "local"}, {Column: "tags"}, {Column: "doc"}},
				Where: &connectors.Cond{Op: connectors.CondAnd, Args: []*connectors.Cond{cmp("id", ">=", int64(10000000000)),
					{Op: connectors.CondNot, Args: []*connectors.Cond{cmp("paid", "=", true)}}}}}},
		// Literals read as PostgreSQL reads them: in the session's
		// TimeZone, numeric as written, reversed comparisons flipped.
		{sql: "SELECT id FROM orders WHERE at >= '2026-01-01' AND 100.50 < amount AND day = DATE '2026-03-04' AND name <> 'x''y'",
			want: connectors.Query{Select: []connectors.Item{{Column: "id"}}, Where: &connectors.Cond{Op: connectors.CondAnd, Args: []*connectors.Cond{
				cmp("at", ">=", kolkataMidnight), cmp("amount", ">", "100.50"),
				cmp("day", "=", time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)), cmp("name", "<>", "x'y")}}}},
		{sql: "SELECT count(*), sum(amount), min(name), max(at), count(DISTINCT day) FROM orders WHERE id IN (1, 2) OR id NOT BETWEEN 5 AND 9",
			want: connectors.Query{Select: []connectors.Item{{Agg: "count"}, {Agg: "sum", Column: "amount"}, {Agg: "min", Column: "name"},
				{Agg: "max", Column: "at"}, {Agg: "count", Column: "day", Distinct: true}},
				Where: &connectors.Cond{Op: connectors.CondOr, Args: []*connectors.Cond{
					{Op: connectors.CondIn, Column: "id", Values: []any{int64(1), int64(2)}},
					{Op: connectors.CondNot, Args: []*connectors.Cond{{Op: connectors.CondAnd, Args: []*connectors.Cond{
						cmp("id", ">=", int64(5)), cmp("id", "<=", int64(9))}}}}}}}},
		// ORDER BY: output names, positions and expressions, with
		// PostgreSQL's NULLS defaults made explicit.
		{sql: "SELECT day, count(*) AS n FROM orders GROUP BY 1 ORDER BY n DESC, day NULLS FIRST LIMIT 10 OFFSET 5",
			want: connectors.Query{Select: []connectors.Item{{Column: "day"}, {Agg: "count"}}, GroupBy: []string{"day"},
				OrderBy: []connectors.Order{{Item: connectors.Item{Agg: "count"}, Desc: true, NullsFirst: true}, {Item: connectors.Item{Column: "day"}, NullsFirst: true}},
				Limit:   10, Offset: 5}},
		{sql: "SELECT DISTINCT name FROM orders WHERE name IS NOT NULL AND local < $1 ORDER BY name DESC NULLS LAST LIMIT $2",
			args: []any{engine.Timestamp(1_700_000_000_000_000), int64(3)},
			want: connectors.Query{Distinct: true, Select: []connectors.Item{{Column: "name"}},
				Where: &connectors.Cond{Op: connectors.CondAnd, Args: []*connectors.Cond{{Op: connectors.CondNotNull, Column: "name"},
					cmp("local", "<", time.UnixMicro(1_700_000_000_000_000).UTC())}},
				OrderBy: []connectors.Order{{Item: connectors.Item{Column: "name"}, Desc: true}}, Limit: 3}},
		{sql: "EXPLAIN SELECT sum(id) FROM orders",
			want: connectors.Query{Select: []connectors.Item{{Agg: "sum", Column: "id"}}}},
	}
	for _, c := range cases {
		got, err := translate(t, c.sql, c.args...)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		want := c.want
		want.Schema, want.Table = "shop", "orders"
		if want.Limit == 0 {
			want.Limit = -1
		}
		if want.Offset == 0 {
			want.Offset = -1
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.sql, *got, want)
		}
	}
}

// TestRefused: what the warehouse would compute otherwise than
// PostgreSQL is refused with 0A000 naming it.
func TestRefused(t *testing.T) {
	cases := map[string]string{
		"SELECT stddev(amount) FROM orders":                              "stddev() does not run live",
		"SELECT avg(amount) FROM orders ORDER BY 1":                      "ORDER BY over avg(amount)",
		"SELECT DISTINCT avg(amount) FROM orders":                        "SELECT DISTINCT over avg(amount)",
		"SELECT avg(DISTINCT id) FROM orders":                            "avg(DISTINCT",
		"SELECT avg(name) FROM orders":                                   "avg of name",
		"SELECT id + 1 FROM orders":                                      "the expression id + 1",
		"SELECT lower(name) FROM orders":                                 "lower() does not run live",
		"SELECT id FROM orders WHERE score > 1.5":                        "comparing score (double precision)",
		"SELECT id FROM orders ORDER BY score":                           "NaN and -0",
		"SELECT max(score) FROM orders":                                  "NaN and -0",
		"SELECT id FROM orders WHERE name LIKE 'a%'":                     "the condition",
		"SELECT id FROM orders WHERE id = 1.5":                           "comparing a integer column with 1.5",
		"SELECT id FROM orders WHERE id = NULL":                          "IS NULL",
		"SELECT id FROM orders WHERE day = '2026-01-01'::timestamp":      "the cast",
		"SELECT id FROM orders WHERE tags = '{a}'":                       "comparing tags (text[])",
		"SELECT count(*) FROM orders GROUP BY doc":                       "GROUP BY over doc (json)",
		"SELECT id FROM orders UNION SELECT id FROM orders":              "UNION",
		"WITH x AS (SELECT 1) SELECT id FROM orders":                     "WITH",
		"SELECT count(*) FROM orders HAVING count(*) > 1":                "HAVING",
		"SELECT id, row_number() OVER () FROM orders":                    "window functions",
		"SELECT DISTINCT ON (id) id FROM orders":                         "DISTINCT ON",
		"SELECT o.id FROM orders o JOIN orders p ON o.id = p.id":         "one table",
		"SELECT id FROM orders WHERE at > 'infinity'":                    "infinite",
		"SELECT id FROM orders ORDER BY id FETCH FIRST 3 ROWS WITH TIES": "WITH TIES",
		"SELECT count(*) FILTER (WHERE paid) FROM orders":                "FILTER",
		"SELECT sum(DISTINCT id) FROM orders":                            "sum(DISTINCT",
		"SELECT id FROM orders WHERE id = (SELECT 1)":                    "the value",
	}
	for sql, want := range cases {
		_, err := translate(t, sql)
		if err == nil {
			t.Errorf("%s: translated; want a refusal", sql)
			continue
		}
		if pgerr.Code(err) != pgerr.FeatureNotSupported || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v (%s); want 0A000 with %q", sql, err, pgerr.Code(err), want)
		}
	}
}

// TestBadValues: a constant PostgreSQL cannot read fails as it fails
// there, with its SQLSTATE.
func TestBadValues(t *testing.T) {
	cases := map[string]string{
		"SELECT id FROM orders WHERE id = 'x'":           "22P02",
		"SELECT id FROM orders WHERE day = '2026-02-30'": "22008",
		"SELECT id FROM orders LIMIT -1":                 "2201W",
		"SELECT id FROM orders WHERE id = $2":            "42P02",
		"SELECT id FROM orders WHERE amount > 'abc'":     "22P02",
	}
	for sql, want := range cases {
		_, err := translate(t, sql, int64(1))
		if code := pgerr.Code(err); code != want {
			t.Errorf("%s: %v (%s); want %s", sql, err, code, want)
		}
	}
}
