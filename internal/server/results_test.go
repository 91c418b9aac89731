package server_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
)

// fetched is a raw REST answer.
type fetched struct {
	status int
	header http.Header
	body   []byte
}

// fetch GETs path with extra request headers and returns the raw answer.
func fetch(t *testing.T, h *hdtest.Harness, path string, headers ...string) fetched {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+h.P.HTTPAddr()+path, nil)
	req.Header.Set("Authorization", "Bearer "+hdtest.Token)
	req.Header.Set("X-Workspace-Id", h.WSID)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", path, err)
	}
	return fetched{status: resp.StatusCode, header: resp.Header, body: body}
}

// errorCode checks an error answer's status and shape and returns its
// code and message.
func (f fetched) errorCode(t *testing.T, want int) (string, string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if f.status != want || json.Unmarshal(f.body, &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("answer = %d %s, want %d with {error:{code,message}}", f.status, f.body, want)
	}
	return e.Error.Code, e.Error.Message
}

// compactJSON re-encodes JSON keeping numbers as written.
func compactJSON(t *testing.T, v any) string {
	t.Helper()
	var data []byte
	switch v := v.(type) {
	case []byte:
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		var x any
		if err := dec.Decode(&x); err != nil {
			t.Fatalf("not JSON: %s", v)
		}
		data, _ = json.Marshal(x)
	default:
		data, _ = json.Marshal(v)
	}
	return string(data)
}

// decodeJSONBody decodes keeping numbers exact.
func decodeJSONBody(t *testing.T, body []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("not a JSON object: %s", body)
	}
	return out
}

// readArrow decodes an Arrow IPC stream into one record.
func readArrow(t *testing.T, body []byte) arrow.RecordBatch {
	t.Helper()
	r, err := ipc.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not an Arrow IPC stream: %v", err)
	}
	defer r.Release()
	var recs []arrow.RecordBatch
	for r.Next() {
		rec := r.RecordBatch()
		rec.Retain()
		recs = append(recs, rec)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	tbl := array.NewTableFromRecords(r.Schema(), recs)
	defer tbl.Release()
	for _, rec := range recs {
		rec.Release()
	}
	tr := array.NewTableReader(tbl, -1)
	defer tr.Release()
	if !tr.Next() {
		return array.NewRecordBatch(r.Schema(), nil, 0)
	}
	out := tr.RecordBatch()
	out.Retain()
	return out
}

const resultsSQL = "SELECT id, name, price, big, ratio, created, active FROM sales.items ORDER BY id"

// The four rows of typesRows as the REST API renders them.
const resultsRowsJSON = `[[1,"widget","19.99",9007199254740993,0.5,"2024-03-01T12:30:45.123456Z",true],` +
	`[2,"gadget ünïcode","-0.01",-42,-1e-10,"1999-12-31T18:29:59Z",false],` +
	`[3,null,null,null,null,null,null],` +
	`[4,"","1234567890.12",0,1e+300,"2024-02-29T00:00:00Z",true]]`

// resultsCSV is what PostgreSQL's COPY (resultsSQL) TO STDOUT (FORMAT
// csv, HEADER) writes in TimeZone UTC.
const resultsCSV = "id,name,price,big,ratio,created,active\n" +
	"1,widget,19.99,9007199254740993,0.5,2024-03-01 12:30:45.123456+00,t\n" +
	"2,gadget ünïcode,-0.01,-42,-1e-10,1999-12-31 18:29:59+00,f\n" +
	"3,,,,,,\n" +
	`4,"",1234567890.12,0,1e+300,2024-02-29 00:00:00+00,t` + "\n"

// TestResultsFormats: a synchronous query's stored result reads back in
// every format with exactly the query's values, chosen by ?format= or
// Accept, and pages with Link and X-Total-Row-Count.
func TestResultsFormats(t *testing.T) {
	h := start(t)
	h.connectUpstream("sales", typesTable, typesRows)
	q := h.api("POST", "/v1/query", map[string]any{"sql": resultsSQL}, http.StatusOK)
	resID, runID := q["result_id"].(string), q["query_run_id"].(string)
	if got := compactJSON(t, q["rows"]); got != strings.ReplaceAll(resultsRowsJSON, "9007199254740993", "9007199254740992") {
		// The harness decodes into float64, which rounds 2^53+1.
		t.Errorf("query rows = %s", got)
	}
	path := "/v1/results/" + resID

	// JSON, the default, with the query response's columns and values.
	for _, hdr := range [][]string{nil, {"Accept", "application/json"}, {"Accept", "*/*"}, {"Accept", "text/html;q=0.9, application/json;q=0.5"}} {
		f := fetch(t, h.Harness, path, hdr...)
		if f.status != 200 || !strings.HasPrefix(f.header.Get("Content-Type"), "application/json") || f.header.Get("X-Total-Row-Count") != "4" {
			t.Fatalf("GET %s %v = %d %v %s", path, hdr, f.status, f.header, f.body)
		}
		out := decodeJSONBody(t, f.body)
		if out["result_id"] != resID || out["status"] != "succeeded" || out["row_count"] != json.Number("4") || out["error_message"] != nil {
			t.Errorf("json result = %s", f.body)
		}
		if got := compactJSON(t, out["columns"]); got != `["id","name","price","big","ratio","created","active"]` {
			t.Errorf("columns = %s", got)
		}
		if got := compactJSON(t, out["nullable"]); got != `[true,true,true,true,true,true,true]` {
			t.Errorf("nullable = %s", got)
		}
		if got := compactJSON(t, out["rows"]); got != resultsRowsJSON {
			t.Errorf("rows = %s\nwant   %s", got, resultsRowsJSON)
		}
		if f.header.Get("Link") != "" {
			t.Errorf("a whole result has no next page: Link %q", f.header.Get("Link"))
		}
	}

	// CSV, as PostgreSQL's COPY … CSV HEADER writes it.
	for _, hdr := range [][]string{{"Accept", "text/csv"}, {"Accept", "application/xml"}} {
		f := fetch(t, h.Harness, path+"?format=csv", hdr...) // format wins over Accept
		if f.status != 200 || f.header.Get("Content-Type") != "text/csv; charset=utf-8" || string(f.body) != resultsCSV {
			t.Fatalf("csv = %d %v\n%s\nwant\n%s", f.status, f.header, f.body, resultsCSV)
		}
		recs, err := csv.NewReader(bytes.NewReader(f.body)).ReadAll()
		if err != nil || len(recs) != 5 || recs[2][1] != "gadget ünïcode" || recs[1][3] != "9007199254740993" || recs[4][4] != "1e+300" {
			t.Errorf("parsed csv = %q, %v", recs, err)
		}
	}
	if f := fetch(t, h.Harness, path, "Accept", "text/csv"); f.status != 200 || string(f.body) != resultsCSV {
		t.Errorf("Accept: text/csv = %d %s", f.status, f.body)
	}

	// Arrow IPC stream, with the engine's types.
	var arrowRec arrow.RecordBatch
	for _, p := range []string{path + "?format=arrow", path} {
		f := fetch(t, h.Harness, p, "Accept", "application/vnd.apache.arrow.stream")
		if f.status != 200 || f.header.Get("Content-Type") != "application/vnd.apache.arrow.stream" || f.header.Get("X-Total-Row-Count") != "4" {
			t.Fatalf("arrow = %d %v %s", f.status, f.header, f.body)
		}
		arrowRec = readArrow(t, f.body)
		defer arrowRec.Release()
	}
	checkTypesRecord(t, arrowRec)

	// Parquet: the stored file, read back with pqarrow.
	f := fetch(t, h.Harness, path+"?format=parquet")
	if f.status != 200 || f.header.Get("Content-Type") != "application/vnd.apache.parquet" || !bytes.HasPrefix(f.body, []byte("PAR1")) {
		t.Fatalf("parquet = %d %v", f.status, f.header)
	}
	if f2 := fetch(t, h.Harness, path, "Accept", "application/vnd.apache.parquet"); !bytes.Equal(f2.body, f.body) {
		t.Errorf("Accept: parquet gave another body (%d bytes)", len(f2.body))
	}
	tbl, err := pqarrow.ReadTable(context.Background(), bytes.NewReader(f.body), nil, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, -1)
	defer tr.Release()
	if !tr.Next() {
		t.Fatal("parquet: no rows")
	}
	pq := tr.RecordBatch()
	checkTypesRecord(t, pq)
	if !pq.Schema().Equal(arrowRec.Schema()) || !array.RecordEqual(pq, arrowRec) {
		t.Errorf("parquet and arrow differ:\n%v\n%v", pq, arrowRec)
	}

	// Paging: offset and limit, Link to the next page, the total.
	page := fetch(t, h.Harness, path+"?offset=1&limit=2")
	if page.status != 200 || page.header.Get("X-Total-Row-Count") != "4" {
		t.Fatalf("page = %d %v %s", page.status, page.header, page.body)
	}
	var all [][]json.RawMessage
	_ = json.Unmarshal([]byte(resultsRowsJSON), &all)
	if got, want := compactJSON(t, decodeJSONBody(t, page.body)["rows"]), compactJSON(t, all[1:3]); got != want {
		t.Errorf("page rows = %s, want %s", got, want)
	}
	link := page.header.Get("Link")
	if link != `</v1/results/`+resID+`?limit=2&offset=3>; rel="next"` {
		t.Fatalf("Link = %q", link)
	}
	next := fetch(t, h.Harness, strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`))
	if got, want := compactJSON(t, decodeJSONBody(t, next.body)["rows"]), compactJSON(t, all[3:]); next.status != 200 || got != want || next.header.Get("Link") != "" {
		t.Errorf("last page = %d %s (Link %q), want %s", next.status, got, next.header.Get("Link"), want)
	}
	csvPage := fetch(t, h.Harness, path+"?format=csv&offset=2&limit=1")
	lines := strings.SplitAfter(resultsCSV, "\n")
	if string(csvPage.body) != lines[0]+lines[3] || csvPage.header.Get("Link") != `</v1/results/`+resID+`?format=csv&limit=1&offset=3>; rel="next"` {
		t.Errorf("csv page = %q, Link %q", csvPage.body, csvPage.header.Get("Link"))
	}
	arrowPage := fetch(t, h.Harness, path+"?format=arrow&offset=3&limit=10")
	rec := readArrow(t, arrowPage.body)
	defer rec.Release()
	if rec.NumRows() != 1 || rec.Column(0).ValueStr(0) != "4" || arrowPage.header.Get("Link") != "" {
		t.Errorf("arrow page = %v, Link %q", rec, arrowPage.header.Get("Link"))
	}
	past := fetch(t, h.Harness, path+"?offset=10")
	if past.status != 200 || compactJSON(t, decodeJSONBody(t, past.body)["rows"]) != "[]" {
		t.Errorf("past the end = %d %s", past.status, past.body)
	}

	// Bad requests.
	for _, c := range []struct {
		path, accept string
		status       int
		code         string
	}{
		{path + "?format=xml", "", 400, "INVALID_ARGUMENT"},
		{path, "application/xml", 406, "NOT_ACCEPTABLE"},
		{path, "text/html, image/png;q=0.5", 406, "NOT_ACCEPTABLE"},
		{path, "application/json;q=0", 406, "NOT_ACCEPTABLE"},
		{path + "?limit=0", "", 400, "INVALID_ARGUMENT"},
		{path + "?offset=-1", "", 400, "INVALID_ARGUMENT"},
		{path + "?format=parquet&limit=2", "", 400, "INVALID_ARGUMENT"},
		{path + "?page=2", "", 400, "UNKNOWN_PARAMETER"},
		{"/v1/results/res_nope", "", 404, "NOT_FOUND"},
		{"/v1/query-runs/qrun_nope", "", 404, "NOT_FOUND"},
	} {
		var f fetched
		if c.accept != "" {
			f = fetch(t, h.Harness, c.path, "Accept", c.accept)
		} else {
			f = fetch(t, h.Harness, c.path)
		}
		if code, _ := f.errorCode(t, c.status); code != c.code {
			t.Errorf("%s (Accept %q): code %s, want %s", c.path, c.accept, code, c.code)
		}
	}

	// The query run, with every field.
	run := decodeJSONBody(t, fetch(t, h.Harness, "/v1/query-runs/"+runID).body)
	sum := sha256.Sum256([]byte(resultsSQL))
	if run["id"] != runID || run["status"] != "succeeded" || run["sql_text"] != resultsSQL || run["sql_hash"] != hex.EncodeToString(sum[:16]) ||
		run["result_id"] != resID || run["row_count"] != json.Number("4") || run["error_message"] != nil || run["source"] != "rest" {
		t.Errorf("query run = %v", run)
	}
	created, err1 := time.Parse(time.RFC3339, run["created_at"].(string))
	completed, err2 := time.Parse(time.RFC3339, fmt.Sprint(run["completed_at"]))
	ms, err3 := run["execution_time_ms"].(json.Number).Int64()
	if err1 != nil || err2 != nil || err3 != nil || completed.Before(created) || time.Since(created) > time.Minute || ms < 0 || ms > 60000 {
		t.Errorf("query run times = %v %v %v (%v %v %v)", run["created_at"], run["completed_at"], run["execution_time_ms"], err1, err2, err3)
	}
	if sid, _ := run["snapshot_id"].(string); !strings.HasPrefix(sid, "snap_") {
		t.Errorf("query run's snapshot_id = %v, want the snapshot of sales.items", run["snapshot_id"])
	}

	// Lists, paged.
	h.api("POST", "/v1/query", map[string]any{"sql": "SELECT 2 AS two"}, http.StatusOK)
	runs := h.api("GET", "/v1/query-runs?limit=1", nil, http.StatusOK)
	first := runs["query_runs"].([]any)[0].(map[string]any)
	if runs["count"] != 1.0 || runs["has_more"] != true || first["sql_text"] != "SELECT 2 AS two" || first["status"] != "succeeded" {
		t.Errorf("query runs page 1 = %v", runs)
	}
	runs = h.api("GET", "/v1/query-runs?limit=1&cursor="+url.QueryEscape(runs["next_cursor"].(string)), nil, http.StatusOK)
	if second := runs["query_runs"].([]any)[0].(map[string]any); second["id"] != runID {
		t.Errorf("query runs page 2 = %v", runs)
	}
	results := h.api("GET", "/v1/results?offset=1", nil, http.StatusOK)
	list := results["results"].([]any)
	if results["count"] != 1.0 || results["has_more"] != false || results["next_cursor"] != nil || len(list) != 1 {
		t.Fatalf("results offset 1 = %v", results)
	}
	if r := list[0].(map[string]any); r["id"] != resID || r["status"] != "succeeded" || r["query_run_id"] != runID || r["row_count"] != 4.0 ||
		r["size_bytes"].(float64) != float64(len(f.body)) || r["expires_at"] == nil {
		t.Errorf("listed result = %v (file %d bytes)", r, len(f.body))
	}

	// A preview past PreviewRows points at the stored result.
	big := h.api("POST", "/v1/query", map[string]any{"sql": "SELECT i FROM generate_series(1, 1500) i"}, http.StatusOK)
	if w, _ := big["warning"].(string); len(big["rows"].([]any)) != 1000 || big["row_count"] != 1500.0 ||
		!strings.Contains(w, "first 1000 of 1500 rows") || !strings.Contains(w, "GET /v1/results/"+big["result_id"].(string)) {
		t.Errorf("truncated query = %v rows, row_count %v, warning %q", len(big["rows"].([]any)), big["row_count"], w)
	}
	if f := fetch(t, h.Harness, "/v1/results/"+big["result_id"].(string)+"?format=csv&offset=1498"); string(f.body) != "i\n1499\n1500\n" || f.header.Get("X-Total-Row-Count") != "1500" {
		t.Errorf("the stored rest = %q", f.body)
	}
}

// checkTypesRecord checks typesRows as Arrow values.
func checkTypesRecord(t *testing.T, rec arrow.RecordBatch) {
	t.Helper()
	if rec.NumRows() != 4 || rec.NumCols() != 7 {
		t.Fatalf("record = %v", rec)
	}
	want := [][]string{
		{"1", "widget", "19.99", "9007199254740993", "0.5", "2024-03-01T12:30:45.123456Z", "true"},
		{"2", "gadget ünïcode", "-0.01", "-42", "-1e-10", "1999-12-31T18:29:59Z", "false"},
		{"3", array.NullValueStr, array.NullValueStr, array.NullValueStr, array.NullValueStr, array.NullValueStr, array.NullValueStr},
		{"4", "", "1234567890.12", "0", "1e+300", "2024-02-29T00:00:00Z", "true"},
	}
	for r, row := range want {
		for c, w := range row {
			if got := rec.Column(c).ValueStr(r); got != w {
				t.Errorf("row %d column %s (%s) = %q, want %q", r+1, rec.ColumnName(c), rec.Column(c).DataType(), got, w)
			}
		}
	}
	if v := rec.Column(4).(*array.Float64).Value(1); v != -1e-10 {
		t.Errorf("ratio row 2 = %v", v)
	}
	if v := rec.Column(4).(*array.Float64).Value(3); v != 1e300 {
		t.Errorf("ratio row 4 = %v", v)
	}
	if typ := rec.Column(5).DataType().(*arrow.TimestampType); typ.TimeZone == "" {
		t.Errorf("created lost its time zone: %v", typ)
	}
}

// slowViews are upstream views that stream one row per `ms` of the knob,
// so that the first query of each (which syncs it) takes rows × ms.
func slowViews(names ...string) []string {
	stmts := []string{`CREATE TABLE base AS SELECT i AS id FROM generate_series(1, 30) i`, `CREATE TABLE knob (ms float8)`, `INSERT INTO knob VALUES (100)`}
	for _, n := range names {
		stmts = append(stmts, `CREATE VIEW `+n+` AS SELECT b.id FROM base b, LATERAL (SELECT pg_sleep((SELECT ms FROM knob) / 1000) WHERE b.id IS NOT NULL) z`)
	}
	return stmts
}

// pollRun polls a query run until it leaves running.
func pollRun(t *testing.T, h *hdtest.Harness, statusURL string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		run := h.API("GET", statusURL, nil, http.StatusOK)
		if run["status"] != "running" {
			return run
		}
		if time.Now().After(deadline) {
			t.Fatalf("query run still running: %v", run)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestQueryAsync: async: true answers 202 at once and the run can be
// polled to its end; async_after_ms answers 200 when the query ends in
// time and 202 when not; a running result is 202, a failed one 409.
func TestQueryAsync(t *testing.T) {
	h := start(t)
	h.connectUpstream("up", slowViews("slow_a", "slow_b")...)

	began := time.Now()
	acc := h.api("POST", "/v1/query", map[string]any{"sql": "SELECT count(*) AS n, sum(id) AS s FROM up.slow_a", "async": true}, http.StatusAccepted)
	if took := time.Since(began); took > 2*time.Second {
		t.Errorf("async answered after %v: it waited for the query", took)
	}
	runID, resID := acc["query_run_id"].(string), acc["result_id"].(string)
	if acc["status"] != "running" || acc["status_url"] != "/v1/query-runs/"+runID || !strings.HasPrefix(runID, "qrun_") || !strings.HasPrefix(resID, "res_") {
		t.Fatalf("202 = %v", acc)
	}
	run := h.api("GET", "/v1/query-runs/"+runID, nil, http.StatusOK)
	if run["status"] != "running" || run["completed_at"] != nil || run["execution_time_ms"] != nil || run["result_id"] != resID {
		t.Errorf("running run = %v", run)
	}
	pending := fetch(t, h.Harness, "/v1/results/"+resID+"?format=csv")
	if pending.status != http.StatusAccepted || pending.header.Get("Retry-After") == "" || decodeJSONBody(t, pending.body)["status"] != "running" {
		t.Errorf("running result = %d %v %s", pending.status, pending.header, pending.body)
	}
	run = pollRun(t, h.Harness, acc["status_url"].(string))
	if run["status"] != "succeeded" || run["row_count"] != 1.0 || run["completed_at"] == nil || run["execution_time_ms"].(float64) < 2000 {
		t.Errorf("finished run = %v (the sync of 30 rows at 100ms each takes 3s)", run)
	}
	if f := fetch(t, h.Harness, "/v1/results/"+resID+"?format=csv"); f.status != 200 || string(f.body) != "n,s\n30,465\n" {
		t.Errorf("async result = %d %s", f.status, f.body)
	}

	// async_after_ms: in time, the whole answer.
	out := h.api("POST", "/v1/query", map[string]any{"sql": "SELECT count(*) AS n FROM up.slow_a", "async_after_ms": 20000}, http.StatusOK)
	if compactJSON(t, out["rows"]) != "[[30]]" || out["row_count"] != 1.0 || !strings.HasPrefix(out["result_id"].(string), "res_") {
		t.Errorf("async_after_ms in time = %v", out)
	}
	// ... too late, 202, then the run ends on its own.
	began = time.Now()
	acc = h.api("POST", "/v1/query", map[string]any{"sql": "SELECT max(id) AS m FROM up.slow_b", "async_after_ms": 300}, http.StatusAccepted)
	if took := time.Since(began); took < 300*time.Millisecond || took > 2500*time.Millisecond {
		t.Errorf("async_after_ms 300 answered after %v", took)
	}
	if run := pollRun(t, h.Harness, acc["status_url"].(string)); run["status"] != "succeeded" {
		t.Errorf("run after 202 = %v", run)
	}
	if f := fetch(t, h.Harness, "/v1/results/"+acc["result_id"].(string)); compactJSON(t, decodeJSONBody(t, f.body)["rows"]) != "[[30]]" {
		t.Errorf("result after 202 = %s", f.body)
	}
	h.api("POST", "/v1/query", map[string]any{"sql": "SELECT 1", "async_after_ms": 0}, http.StatusAccepted)

	// A failed query: its run says why, its result is 409.
	acc = h.api("POST", "/v1/query", map[string]any{"sql": "SELECT * FROM up.nope", "async": true}, http.StatusAccepted)
	run = pollRun(t, h.Harness, acc["status_url"].(string))
	msg, _ := run["error_message"].(string)
	if run["status"] != "failed" || !strings.Contains(msg, "nope") || run["completed_at"] == nil {
		t.Errorf("failed run = %v", run)
	}
	f := fetch(t, h.Harness, "/v1/results/"+acc["result_id"].(string))
	if code, m := f.errorCode(t, http.StatusConflict); code != "RESULT_FAILED" || !strings.Contains(m, msg) {
		t.Errorf("failed result: %s %q, want the run's error %q", code, m, msg)
	}
	// ... and run synchronously, the same error as a 400.
	if status, body := h.APIRaw("POST", "/v1/query", map[string]any{"sql": "SELECT * FROM up.nope", "async_after_ms": 10000}, testToken, h.wsID); status != 400 ||
		body["error"].(map[string]any)["code"] != "UNDEFINED_TABLE" {
		t.Errorf("async_after_ms failing in time = %d %v", status, body)
	}

	for _, c := range []struct {
		body any
		code string
	}{
		{map[string]any{"sql": "SELECT 1", "async_after_ms": -1}, "INVALID_ARGUMENT"},
		{map[string]any{"sql": "SELECT 1", "async_after_ms": 700000}, "INVALID_ARGUMENT"},
		{map[string]any{"sql": "SELECT 1", "async": "yes"}, "INVALID_JSON"},
		{map[string]any{"sql": "SELECT 1; SELECT 2", "async": true}, "INVALID_ARGUMENT"},
	} {
		status, body := h.APIRaw("POST", "/v1/query", c.body, testToken, h.wsID)
		if e, _ := body["error"].(map[string]any); status != 400 || e["code"] != c.code {
			t.Errorf("%v = %d %v, want 400 %s", c.body, status, body, c.code)
		}
	}
}

// TestQueryConcurrencyLimit: past a workspace's concurrent REST queries,
// a query is refused with 429 and Retry-After; it runs once one ends.
func TestQueryConcurrencyLimit(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.MaxConcurrentQueries = 2 })
	h.ConnectUpstream("up", slowViews("slow_a", "slow_b")...)
	// Open the connection's connector first: two first uses at once
	// race in connectorFor (the second closes the first's pool).
	h.API("POST", "/v1/query", map[string]any{"sql": "SELECT count(*) FROM up.base"}, http.StatusOK)
	var urls []string
	for _, v := range []string{"slow_a", "slow_b"} {
		acc := h.API("POST", "/v1/query", map[string]any{"sql": "SELECT count(*) FROM up." + v, "async": true}, http.StatusAccepted)
		urls = append(urls, acc["status_url"].(string))
	}
	for _, body := range []map[string]any{{"sql": "SELECT 1"}, {"sql": "SELECT 1", "async": true}} {
		data, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", "http://"+h.P.HTTPAddr()+"/v1/query", bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+hdtest.Token)
		req.Header.Set("X-Workspace-Id", h.WSID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		f := fetched{status: resp.StatusCode, header: resp.Header, body: raw}
		if code, msg := f.errorCode(t, http.StatusTooManyRequests); code != "TOO_MANY_QUERIES" || !strings.Contains(msg, "limit") {
			t.Errorf("over the limit: %s %q", code, msg)
		}
		if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 {
			t.Errorf("Retry-After = %q", resp.Header.Get("Retry-After"))
		}
	}
	for _, u := range urls {
		if run := pollRun(t, h, u); run["status"] != "succeeded" {
			t.Errorf("limited run = %v", run)
		}
	}
	out := h.API("POST", "/v1/query", map[string]any{"sql": "SELECT 1 AS one"}, http.StatusOK)
	if compactJSON(t, out["rows"]) != "[[1]]" {
		t.Errorf("after the limit = %v", out)
	}
}

// TestQueryAsyncCanceledOnStop: stopping the server cancels a running
// async query, whose run is then recorded as canceled.
func TestQueryAsyncCanceledOnStop(t *testing.T) {
	dir := t.TempDir()
	startAt := func() *hdtest.Harness {
		cfg := server.Default(server.RoleControl)
		cfg.DataDir, cfg.HTTPAddr, cfg.PGAddr, cfg.BootstrapToken = dir, "127.0.0.1:0", "", hdtest.Token
		cfg.EngineThreads, cfg.EngineMemoryBytes = 2, 1<<30
		hdtest.AllowTestUpstreams(&cfg)
		p, err := server.Start(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		return &hdtest.Harness{T: t, P: p, DataDir: dir, WSID: "default"}
	}
	a := startAt()
	stopped := false
	defer func() {
		if !stopped {
			a.P.Stop(context.Background())
		}
	}()
	a.ConnectUpstream("up", slowViews("slow_a")...)
	acc := a.API("POST", "/v1/query", map[string]any{"sql": "SELECT count(*) FROM up.slow_a", "async": true}, http.StatusAccepted)
	time.Sleep(300 * time.Millisecond)
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.P.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	stopped = true
	if took := time.Since(began); took > 2500*time.Millisecond {
		t.Errorf("stop took %v: the background query was not canceled", took)
	}
	b := startAt()
	defer b.P.Stop(context.Background())
	run := b.API("GET", acc["status_url"].(string), nil, http.StatusOK)
	if run["status"] != "canceled" || run["completed_at"] == nil || !strings.Contains(fmt.Sprint(run["error_message"]), "cancel") {
		t.Errorf("run after stop = %v", run)
	}
	f := fetch(t, b, "/v1/results/"+acc["result_id"].(string))
	if code, _ := f.errorCode(t, http.StatusConflict); code != "RESULT_CANCELED" {
		t.Errorf("canceled result: %s", code)
	}
}

// TestResultsRetention: results past the retention are deleted, file and
// record, by the service's cleanup, which records a result_cleanup job.
func TestResultsRetention(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.ResultRetention = 3 * time.Second })
	out := h.API("POST", "/v1/query", map[string]any{"sql": "SELECT 42 AS answer"}, http.StatusOK)
	resID := out["result_id"].(string)
	file := filepath.Join(h.DataDir, "workspaces", h.WSID, "results", resID+".parquet")
	if f := fetch(t, h, "/v1/results/"+resID+"?format=csv"); f.status != 200 || string(f.body) != "answer\n42\n" {
		t.Fatalf("fresh result = %d %s", f.status, f.body)
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}
	cleanupJobs := func() []map[string]any {
		var out []map[string]any
		for _, j := range h.API("GET", "/v1/jobs", nil, http.StatusOK)["jobs"].([]any) {
			if j := j.(map[string]any); j["type"] == "result_cleanup" {
				out = append(out, j)
			}
		}
		return out
	}
	if jobs := cleanupJobs(); len(jobs) != 0 {
		t.Fatalf("a cleanup job before anything expired: %v", jobs)
	}
	deadline := time.Now().Add(30 * time.Second)
	for fetch(t, h, "/v1/results/"+resID).status != http.StatusNotFound {
		if time.Now().After(deadline) {
			t.Fatal("the result outlived its retention")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("the result's file is still there: %v", err)
	}
	time.Sleep(3 * time.Second) // two more passes, with nothing to delete
	jobs := cleanupJobs()
	if len(jobs) != 1 || jobs[0]["status"] != "succeeded" || jobs[0]["progress"].(map[string]any)["rows"] != 1.0 || jobs[0]["completed_at"] == nil {
		t.Errorf("cleanup jobs = %v", jobs)
	}
	// The run stays in the history, pointing at the deleted result.
	run := h.API("GET", "/v1/query-runs/"+out["query_run_id"].(string), nil, http.StatusOK)
	if run["status"] != "succeeded" || run["result_id"] != resID {
		t.Errorf("run after cleanup = %v", run)
	}
	if list := h.API("GET", "/v1/results", nil, http.StatusOK); list["count"] != 0.0 {
		t.Errorf("results after cleanup = %v", list)
	}
}

// TestResultsBigDownload: a 2-million-row result downloads as CSV and as
// Arrow with the heap flat: it is streamed batch by batch, never held
// whole.
func TestResultsBigDownload(t *testing.T) {
	const rows = 2_000_000
	h := hdtest.Start(t)
	sql := fmt.Sprintf(`SELECT i AS id, 'row number ' || i || ' of the big result padded to be wide enough' AS label, i * 0.5 AS half FROM generate_series(1, %d) i`, rows)
	out := h.API("POST", "/v1/query", map[string]any{"sql": sql}, http.StatusOK)
	if out["row_count"] != float64(rows) || len(out["rows"].([]any)) != 1000 {
		t.Fatalf("query = row_count %v, %d rows inline", out["row_count"], len(out["rows"].([]any)))
	}
	path := "/v1/results/" + out["result_id"].(string)

	// Sample the heap while downloading. The collector runs often
	// (GOGC=10) so that the live heap it marks each cycle (the runtime's
	// /gc/heap/live:bytes) follows what is really held; the heap in use,
	// garbage included, is sampled too. Client and server share this
	// process's heap.
	type heap struct{ base, live, inuse uint64 }
	measure := func(download func()) heap {
		defer debug.SetGCPercent(debug.SetGCPercent(10))
		runtime.GC()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		base := sample[0].Value.Uint64()
		var live, inuse atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			for {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				metrics.Read(sample)
				live.Store(max(live.Load(), sample[0].Value.Uint64()))
				inuse.Store(max(inuse.Load(), ms.HeapInuse))
				select {
				case <-stop:
					return
				case <-tick.C:
				}
			}
		}()
		download()
		close(stop)
		wg.Wait()
		return heap{base: base, live: live.Load(), inuse: inuse.Load()}
	}
	mb := func(n uint64) float64 { return float64(n) / (1 << 20) }
	get := func(path string) *http.Response {
		req, _ := http.NewRequest("GET", "http://"+h.P.HTTPAddr()+path, nil)
		req.Header.Set("Authorization", "Bearer "+hdtest.Token)
		req.Header.Set("X-Workspace-Id", h.WSID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp, err)
		}
		return resp
	}
	// Heap growth allowed while streaming: a few batches and buffers on
	// both ends (measured: the live heap grows by about 2 MB for CSV and
	// 14 MB for Arrow, whose batches the client decodes whole). The CSV
	// is about 150 MB, the Arrow stream about 170 MB: holding either
	// would exceed.
	const liveBound, inuseBound = 32 << 20, 48 << 20

	var size int64
	start := time.Now()
	m := measure(func() {
		resp := get(path + "?format=csv")
		defer resp.Body.Close()
		if resp.Header.Get("X-Total-Row-Count") != strconv.Itoa(rows) {
			t.Errorf("X-Total-Row-Count = %q", resp.Header.Get("X-Total-Row-Count"))
		}
		sc := bufio.NewScanner(resp.Body)
		n := 0
		for sc.Scan() {
			line := sc.Text()
			size += int64(len(line)) + 1
			if n == 0 {
				if line != "id,label,half" {
					t.Fatalf("header = %q", line)
				}
			} else if n%99_991 == 0 || n == rows {
				want := fmt.Sprintf("%d,row number %d of the big result padded to be wide enough,%d.%d", n, n, n/2, n%2*5) // half is numeric(…,1)
				if line != want {
					t.Fatalf("line %d = %q, want %q", n, line, want)
				}
			}
			n++
		}
		if err := sc.Err(); err != nil || n != rows+1 {
			t.Fatalf("csv: %d lines, %v", n, err)
		}
	})
	t.Logf("csv: %d rows, %.1f MB in %v; live heap %.1f MB before, peak %.1f MB; heap in use peak %.1f MB", rows, float64(size)/(1<<20),
		time.Since(start).Round(time.Millisecond), mb(m.base), mb(m.live), mb(m.inuse))
	if size < 100<<20 {
		t.Errorf("csv is %d bytes: smaller than the test assumes", size)
	}
	if m.live > m.base+liveBound || m.inuse > m.base+inuseBound {
		t.Errorf("heap grew to %.1f MB live, %.1f MB in use, from %.1f MB, while streaming %d MB: the result was not streamed", mb(m.live), mb(m.inuse), mb(m.base), size>>20)
	}

	start = time.Now()
	var got int64
	m = measure(func() {
		resp := get(path + "?format=arrow")
		defer resp.Body.Close()
		r, err := ipc.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Release()
		for r.Next() {
			rec := r.RecordBatch()
			if got == 0 && rec.Column(0).ValueStr(0) != "1" {
				t.Errorf("first id = %s", rec.Column(0).ValueStr(0))
			}
			got += rec.NumRows()
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("arrow: %d rows in %v; live heap %.1f MB before, peak %.1f MB; heap in use peak %.1f MB", got, time.Since(start).Round(time.Millisecond),
		mb(m.base), mb(m.live), mb(m.inuse))
	if got != rows {
		t.Errorf("arrow rows = %d", got)
	}
	if m.live > m.base+liveBound || m.inuse > m.base+inuseBound {
		t.Errorf("heap grew to %.1f MB live, %.1f MB in use, from %.1f MB, while streaming Arrow", mb(m.live), mb(m.inuse), mb(m.base))
	}

	// A page deep into the file: whole row groups before it are skipped.
	page := fetch(t, h, path+"?offset=1500000&limit=2")
	want := `[[1500001,"row number 1500001 of the big result padded to be wide enough","750000.5"],[1500002,"row number 1500002 of the big result padded to be wide enough","750001.0"]]`
	if got := compactJSON(t, decodeJSONBody(t, page.body)["rows"]); page.status != 200 || got != want ||
		page.header.Get("Link") != `</v1/results/`+out["result_id"].(string)+`?limit=2&offset=1500002>; rel="next"` {
		t.Errorf("deep page = %d %s, Link %q", page.status, got, page.header.Get("Link"))
	}
}

// TestResultsIntervals: REST results carry intervals (and arrays of them)
// as PostgreSQL's text, in the answer, in every stored format and in a
// dataset made from a query; psql shows the same text.
func TestResultsIntervals(t *testing.T) {
	h := hdtest.Start(t)
	const sql = `SELECT INTERVAL '1 year 2 months 3 days 04:05:06.5' AS iv, CAST(NULL AS INTERVAL) AS nothing,
		ARRAY[INTERVAL '1 day', INTERVAL '-90 minutes', NULL] AS ivs, 7 AS n`
	out := h.API("POST", "/v1/query", map[string]any{"sql": sql}, http.StatusOK)
	if w, ok := out["warning"]; ok {
		t.Fatalf("warning: %v", w)
	}
	want := `[["1 year 2 mons 3 days 04:05:06.5",null,["1 day","-01:30:00",null],7]]`
	if got := compactJSON(t, out["rows"]); got != want {
		t.Fatalf("rows %s, want %s", got, want)
	}
	id := out["result_id"].(string)
	js := fetch(t, h, "/v1/results/"+id)
	var body struct{ Rows json.RawMessage }
	if js.status != http.StatusOK || json.Unmarshal(js.body, &body) != nil || compactJSON(t, body.Rows) != want {
		t.Fatalf("stored JSON: %d %s", js.status, js.body)
	}
	csvAns := fetch(t, h, "/v1/results/"+id+"?format=csv")
	if csvAns.status != http.StatusOK || !strings.Contains(string(csvAns.body), "1 year 2 mons 3 days 04:05:06.5,,") {
		t.Fatalf("stored CSV: %d %s", csvAns.status, csvAns.body)
	}
	// psql's text for the same value.
	_, rows := textRows(t, h.PGURL(hdtest.Token, "default", "disable"), "SELECT INTERVAL '1 year 2 months 3 days 04:05:06.5'")
	if rows[0][0] != "1 year 2 mons 3 days 04:05:06.5" {
		t.Fatalf("pgwire text %q differs from the REST text", rows[0][0])
	}
	// A dataset from the query: the interval as text, parsable back.
	ds := h.API("POST", "/v1/datasets", map[string]any{"label": "iv", "source": map[string]any{"sql_query": sql}}, http.StatusCreated)
	if ds["status"] != "ready" {
		t.Fatalf("dataset: %v", ds)
	}
	back := h.API("POST", "/v1/query", map[string]any{"sql": "SELECT iv::interval = INTERVAL '1 year 2 months 3 days 04:05:06.5' AS same FROM datasets.main.iv"}, http.StatusOK)
	if compactJSON(t, back["rows"]) != `[[true]]` {
		t.Fatalf("dataset interval: %v", back["rows"])
	}

	// Intervals inside records and arrays.
	nested := h.API("POST", "/v1/query", map[string]any{"sql": `SELECT ROW(INTERVAL '1 day', 1) AS r,
		ARRAY[INTERVAL '2 hours', NULL, INTERVAL '3 mons'] AS a`}, http.StatusOK)
	if w, ok := nested["warning"]; ok {
		t.Fatalf("nested: warning %v", w)
	}
	wantNested := `[[["1 day",1],["02:00:00",null,"3 mons"]]]`
	if got := compactJSON(t, nested["rows"]); got != wantNested {
		t.Fatalf("nested rows %s, want %s", got, wantNested)
	}
	stored := fetch(t, h, "/v1/results/"+nested["result_id"].(string))
	if err := json.Unmarshal(stored.body, &body); stored.status != http.StatusOK || err != nil || compactJSON(t, body.Rows) != wantNested {
		t.Fatalf("nested stored: %d %s", stored.status, stored.body)
	}
}
