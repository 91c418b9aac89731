//go:build duckdb_arrow

package pgfunc

import (
	"context"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/engine"
)

// TestTemplateCacheKeysOutliveChunks runs to_date, to_char and zone
// lookups over many distinct templates and zone names in parallel: the
// engine hands functions strings over memory it reuses, so the caches
// keyed by them must keep copies (they once corrupted a sync.Map and
// failed with XX000).
func TestTemplateCacheKeysOutliveChunks(t *testing.T) {
	ctx := context.Background()
	e, err := engine.Open(ctx, t.TempDir(), engine.Limits{Functions: Functions(), Threads: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	queries := []string{
		`SELECT count(*) FROM (SELECT hd_to_date('2024-03-10', 'YYYY-MM-DD' || repeat(' ', CAST(i % 300 AS INTEGER))) AS d FROM range(4000) t(i)) WHERE d = DATE '2024-03-10'`,
		`SELECT count(*) FROM (SELECT hd_to_char_ts(TIMESTAMP '2024-03-10 12:00', 'YYYY' || repeat('-', CAST(i % 300 AS INTEGER))) AS s FROM range(4000) t(i)) WHERE s LIKE '2024%'`,
		`SELECT count(*) FROM (SELECT hd_local_to_tstz(TIMESTAMP '2024-03-10 12:00', 'UTC+' || CAST(i % 15 AS VARCHAR) || repeat(':00', CAST(i % 2 AS INTEGER))) AS s FROM range(4000) t(i)) WHERE s IS NOT NULL`,
	}
	var wg sync.WaitGroup
	for round := 0; round < 3; round++ {
		for _, q := range queries {
			wg.Add(1)
			go func(q string) {
				defer wg.Done()
				err := e.Query(ctx, q, nil, func(rr array.RecordReader) error {
					for rr.Next() {
					}
					return rr.Err()
				})
				if err != nil {
					t.Errorf("%s: %v", q, err)
				}
			}(q)
		}
	}
	wg.Wait()
}
