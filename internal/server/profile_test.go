package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// TestTableProfile: the profile of a cached table counts nulls and
// distinct values and gives min, max and the most frequent values of
// every column, as PostgreSQL computes them over the same rows; a table
// never synced is 409 TABLE_NOT_CACHED, an unknown one 404.
func TestTableProfile(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("shop",
		`CREATE TABLE items (id int PRIMARY KEY, kind text, price numeric(8,2), seen date, note text, flag boolean)`,
		`INSERT INTO items SELECT i,
			CASE WHEN i % 10 = 0 THEN NULL WHEN i % 3 = 0 THEN 'c' WHEN i % 2 = 0 THEN 'b' ELSE 'a' END,
			(i * 1.25)::numeric(8,2), DATE '2024-01-01' + i, NULL, i % 4 = 0
		 FROM generate_series(1, 100) i`,
		`INSERT INTO items VALUES (101, repeat('x', 300), 0.5, NULL, NULL, NULL)`)
	const path = "/v1/connections/shop/tables/public/items/profile"

	code, body := h.APIRaw("GET", path, nil, hdtest.Token, h.WSID)
	apiErr, _ := body["error"].(map[string]any)
	if msg, _ := apiErr["message"].(string); code != http.StatusConflict || apiErr["code"] != "TABLE_NOT_CACHED" || !strings.Contains(msg, "POST /v1/refresh") {
		t.Fatalf("profile before a sync: %d %v, want 409 TABLE_NOT_CACHED naming the refresh", code, body)
	}
	if code, body := h.APIRaw("GET", "/v1/connections/shop/tables/public/nope/profile", nil, hdtest.Token, h.WSID); code != http.StatusNotFound {
		t.Fatalf("unknown table: %d %v", code, body)
	}

	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "shop", "schema_name": "public", "table_name": "items", "data": true, "include_uncached": true}, http.StatusOK)
	raw := h.API("GET", path, nil, http.StatusOK)
	var p struct {
		Connection          string  `json:"connection"`
		RowCount            int64   `json:"row_count"`
		SnapshotID          string  `json:"snapshot_id"`
		LastSync            *string `json:"last_sync"`
		DistinctApproximate bool    `json:"distinct_approximate"`
		Columns             []struct {
			Name          string  `json:"name"`
			DataType      string  `json:"data_type"`
			NullCount     int64   `json:"null_count"`
			NullFraction  float64 `json:"null_fraction"`
			DistinctCount int64   `json:"distinct_count"`
			Min, Max      *string
			TopValues     []struct {
				Value string `json:"value"`
				Count int64  `json:"count"`
			} `json:"top_values"`
		} `json:"columns"`
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Connection != "shop" || p.RowCount != 101 || !strings.HasPrefix(p.SnapshotID, "snap") || p.LastSync == nil || p.DistinctApproximate || len(p.Columns) != 6 {
		t.Fatalf("profile: %s", b)
	}

	// The same figures from PostgreSQL over the upstream rows.
	up := connect(t, h.Upstream)
	for _, col := range p.Columns {
		var nulls, distinct int64
		var min, max *string
		q := `SELECT count(*) - count(` + col.Name + `), count(DISTINCT ` + col.Name + `), min(` + col.Name + `)::text, max(` + col.Name + `)::text FROM items`
		if col.Name == "flag" { // PostgreSQL has no min(boolean)
			q = `SELECT count(*) - count(flag), count(DISTINCT flag), bool_and(flag)::text, bool_or(flag)::text FROM items`
		}
		if err := up.QueryRow(t.Context(), q).Scan(&nulls, &distinct, &min, &max); err != nil {
			t.Fatalf("%s: %v", col.Name, err)
		}
		if col.NullCount != nulls || col.DistinctCount != distinct {
			t.Errorf("%s: nulls %d distinct %d, PostgreSQL says %d and %d", col.Name, col.NullCount, col.DistinctCount, nulls, distinct)
		}
		if want := float64(nulls) / 101; col.NullFraction != want {
			t.Errorf("%s: null_fraction %v, want %v", col.Name, col.NullFraction, want)
		}
		if col.Name == "kind" && max != nil { // long values are cut to 200 characters
			*max = (*max)[:200] + "…"
		}
		if !reflect.DeepEqual(col.Min, min) || !reflect.DeepEqual(col.Max, max) {
			t.Errorf("%s: min %v max %v, PostgreSQL says %v and %v", col.Name, deref(col.Min), deref(col.Max), deref(min), deref(max))
		}
	}
	byName := map[string]int{}
	for i, c := range p.Columns {
		byName[c.Name] = i
	}
	if c := p.Columns[byName["price"]]; c.DataType != "numeric(8,2)" {
		t.Errorf("price data_type %q", c.DataType)
	}
	// kind: a 33, c 30, b 27, one long value; NULL not counted.
	kind := p.Columns[byName["kind"]].TopValues
	type vc struct {
		v string
		n int64
	}
	var got []vc
	for _, v := range kind {
		got = append(got, vc{v.Value, v.Count})
	}
	want := []vc{{"a", 33}, {"c", 30}, {"b", 27}, {strings.Repeat("x", 200) + "…", 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kind top values %v, want %v", got, want)
	}
	if tv := p.Columns[byName["id"]].TopValues; len(tv) != 5 || tv[0].Value != "1" || tv[0].Count != 1 || tv[4].Value != "5" {
		t.Errorf("id top values (ties by value): %+v", tv)
	}
	if c := p.Columns[byName["note"]]; c.NullCount != 101 || c.Min != nil || len(c.TopValues) != 0 {
		t.Errorf("all-NULL column: %+v", c)
	}
}

// TestTableProfileLarge: past a million rows distinct counts are
// estimates and the top values' candidates come from an approximate top-k,
// counted exactly.
func TestTableProfileLarge(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("shop", `CREATE TABLE big AS SELECT i AS id, i % 7 AS k FROM generate_series(1, 1000100) i`)
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "shop", "schema_name": "public", "table_name": "big", "data": true, "include_uncached": true}, http.StatusOK)
	raw := h.API("GET", "/v1/connections/shop/tables/public/big/profile", nil, http.StatusOK)
	if raw["distinct_approximate"] != true || raw["row_count"] != 1000100.0 {
		t.Fatalf("profile: %v", raw)
	}
	cols := raw["columns"].([]any)
	k := cols[1].(map[string]any)
	if d := k["distinct_count"].(float64); d < 6 || d > 8 {
		t.Errorf("k: distinct_count %v, want about 7", d)
	}
	top := k["top_values"].([]any)
	if len(top) != 5 {
		t.Fatalf("k top values: %v", top)
	}
	// Each k value's count, exactly: i % 7 over 1..1000100.
	want := map[string]float64{}
	for i := 1; i <= 1000100; i++ {
		want[fmt.Sprint(i%7)]++
	}
	for _, tv := range top {
		v := tv.(map[string]any)
		if v["count"] != want[v["value"].(string)] {
			t.Errorf("k = %v: count %v, want %v", v["value"], v["count"], want[v["value"].(string)])
		}
	}
	if id := cols[0].(map[string]any); len(id["top_values"].([]any)) != 5 {
		t.Errorf("id top values: %v", id["top_values"])
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
