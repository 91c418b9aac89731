package bigquery

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
)

// fakeREST serves BigQuery's REST API from handler on loopback and
// returns a config for it (Storage Read API off).
func fakeREST(t *testing.T, handler http.HandlerFunc) Config {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	off := false
	return Config{ProjectID: "p", Datasets: []string{"d"}, Endpoint: srv.URL, StorageAPI: &off}
}

// TestRangeColumn: a RANGE column (the emulator cannot make one) is
// cached as BigQuery's text of its values, with a warning.
func TestRangeColumn(t *testing.T) {
	cfg := fakeREST(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/tables/t"):
			_, _ = w.Write([]byte(`{"tableReference": {"projectId": "p", "datasetId": "d", "tableId": "t"}, "type": "TABLE", "numRows": "2",
				"schema": {"fields": [{"name": "id", "type": "INTEGER"}, {"name": "rg", "type": "RANGE", "rangeElementType": {"type": "DATE"}}]}}`))
		case strings.HasSuffix(r.URL.Path, "/tables/t/data"):
			_, _ = w.Write([]byte(`{"totalRows": "2", "rows": [{"f": [{"v": "1"}, {"v": "[2024-01-01, 2024-02-01)"}]}, {"f": [{"v": "2"}, {"v": "[UNBOUNDED, 2024-03-01)"}]}]}`))
		default:
			http.NotFound(w, r)
		}
	})
	c := openConnector(t, cfg)
	defer c.Close()
	scan, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: "d", Table: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer scan.Release()
	var got []string
	for scan.Next() {
		rec := scan.RecordBatch()
		for i := range int(rec.NumRows()) {
			got = append(got, cellText(rec.Column(1), i))
		}
	}
	if err := scan.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "[2024-01-01, 2024-02-01)|[UNBOUNDED, 2024-03-01)" || len(scan.Warnings()) != 1 || !strings.Contains(scan.Warnings()[0], "RANGE<DATE>") {
		t.Fatalf("values %q, warnings %q", got, scan.Warnings())
	}
}

// TestStalledRead: an endpoint that keeps failing with 503 (which the
// client library retries) stops a read after stallTimeout, saying so.
func TestStalledRead(t *testing.T) {
	defer func(d time.Duration) { stallTimeout = d }(stallTimeout)
	stallTimeout = 2 * time.Second
	cfg := fakeREST(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error": {"code": 503, "message": "backend error", "errors": [{"reason": "backendError"}]}}`))
	})
	c := openConnector(t, cfg)
	defer c.Close()
	start := time.Now()
	_, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: "d", Table: "t"})
	if !errors.Is(err, errStalled) || time.Since(start) > time.Minute {
		t.Fatalf("after %s: %v", time.Since(start), err)
	}
}

// TestUnreachableMessages: a closed port, a server of another protocol
// and one that never answers all read as an unreachable upstream (so
// that messages cannot scan ports), each with its reason in the detail.
func TestUnreachableMessages(t *testing.T) {
	closed := closedPort(t)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer other.Close()
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	for _, c := range []struct{ name, endpoint, detail string }{
		{"refused", "http://127.0.0.1:" + itoa(closed), "refused the connection"},
		{"other protocol", other.URL, "not as BigQuery does"},
		{"silent", "http://" + silent.Addr().String(), "timed out"},
	} {
		t.Run(c.name, func(t *testing.T) {
			off := false
			conn := openConnector(t, Config{ProjectID: "p", Endpoint: c.endpoint, StorageAPI: &off})
			defer conn.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			err := conn.Test(ctx)
			var ce *connectors.ConnectError
			if !errors.As(err, &ce) || !strings.HasSuffix(err.Error(), connectors.Unreachable) || !strings.Contains(connectors.Detail(err), c.detail) {
				t.Fatalf("%v (detail %q), want an unreachable ConnectError whose detail says %q", err, connectors.Detail(err), c.detail)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
