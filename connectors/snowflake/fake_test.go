package snowflake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

// fakeSnowflake is a scripted Snowflake server: the login and query
// endpoints of the REST protocol gosnowflake speaks, answering each
// statement from a table of canned results. It stands in for Snowflake
// where the emulator cannot: Arrow results in Snowflake's own forms,
// result chunks downloaded from another host, login refusals, SHOW
// PRIMARY KEYS, INFORMATION_SCHEMA's ROW_COUNT and BYTES, query history.
type fakeSnowflake struct {
	srv *httptest.Server

	mu sync.Mutex
	// logins are the login requests' bodies, queries the statements.
	logins  []map[string]any
	queries []string
	// results answers a statement: the first whose key the statement
	// starts with (after trimming).
	results []fakeResult
	// chunks are Arrow IPC streams served at /chunks/<i>.
	chunks [][]byte
	// refuse: the login answers Snowflake's 390100.
	refuse bool
}

type fakeResult struct {
	prefix string
	// data is the response's data object; nil answers a SQL error.
	data map[string]any
}

func newFakeSnowflake(t *testing.T) *fakeSnowflake {
	f := &fakeSnowflake{}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSnowflake) on(prefix string, data map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.results = append(f.results, fakeResult{prefix, data})
}

func (f *fakeSnowflake) statements() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.queries...)
}

func (f *fakeSnowflake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	reply := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case r.URL.Path == "/session/v1/login-request":
		var req struct {
			Data map[string]any `json:"data"`
		}
		_ = json.Unmarshal(body, &req)
		f.mu.Lock()
		f.logins = append(f.logins, req.Data)
		refuse := f.refuse
		f.mu.Unlock()
		if refuse {
			reply(map[string]any{"success": false, "code": "390100", "message": "Incorrect username or password was specified.", "data": nil})
			return
		}
		reply(map[string]any{"success": true, "data": map[string]any{
			"token": "session-token", "masterToken": "master-token", "validityInSeconds": 3600, "masterValidityInSeconds": 14400,
			"sessionId": 42, "parameters": []any{}, "sessionInfo": map[string]any{"databaseName": "DB", "schemaName": "PUBLIC"},
		}})
	case r.URL.Path == "/queries/v1/query-request":
		var req struct {
			SQLText string `json:"sqlText"`
		}
		_ = json.Unmarshal(body, &req)
		sqlText := strings.TrimSpace(req.SQLText)
		f.mu.Lock()
		f.queries = append(f.queries, sqlText)
		var found *fakeResult
		for i := range f.results {
			if strings.HasPrefix(sqlText, f.results[i].prefix) {
				found = &f.results[i]
				break
			}
		}
		f.mu.Unlock()
		if found == nil || found.data == nil {
			reply(map[string]any{"success": false, "code": "002003", "message": "SQL compilation error: not in the fake's script", "data": map[string]any{"sqlState": "02000", "queryId": "q-error"}})
			return
		}
		reply(map[string]any{"success": true, "data": found.data})
	case r.URL.Path == "/session":
		reply(map[string]any{"success": true})
	case strings.HasPrefix(r.URL.Path, "/chunks/"):
		var i int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/chunks/"), "%d", &i)
		f.mu.Lock()
		defer f.mu.Unlock()
		if i < 0 || i >= len(f.chunks) {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(f.chunks[i])
	default:
		http.NotFound(w, r)
	}
}

// jsonResult is a JSON result of text columns.
func jsonResult(cols []string, rows [][]any) map[string]any {
	var rowType []map[string]any
	for _, c := range cols {
		rowType = append(rowType, map[string]any{"name": c, "type": "text", "nullable": true, "length": 16777216})
	}
	if rows == nil {
		rows = [][]any{}
	}
	return map[string]any{"queryId": "q-json", "rowtype": rowType, "rowset": rows, "total": len(rows), "returned": len(rows),
		"queryResultFormat": "json", "statementTypeId": 4096}
}

// arrowResult is an Arrow result: its first chunk inline, the others
// to download from chunkURLs.
func arrowResult(t *testing.T, queryID string, rowType []map[string]any, first arrow.RecordBatch, chunkURLs []string, chunkRows []int) map[string]any {
	var chunks []map[string]any
	total := int(first.NumRows())
	for i, u := range chunkURLs {
		chunks = append(chunks, map[string]any{"url": u, "rowCount": chunkRows[i], "uncompressedSize": 1, "compressedSize": 1})
		total += chunkRows[i]
	}
	return map[string]any{"queryId": queryID, "rowtype": rowType, "rowsetbase64": base64.StdEncoding.EncodeToString(ipcStream(t, first)),
		"chunks": chunks, "qrmk": "key", "total": total, "returned": total, "queryResultFormat": "arrow", "statementTypeId": 4096}
}

// ipcStream is a record batch as an Arrow IPC stream.
func ipcStream(t *testing.T, rec arrow.RecordBatch) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
