package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/dgraph-io/ristretto/v2"
)

// ResultCache keeps the results of recent statements in memory, bounded
// in bytes (ristretto: admission by frequency, eviction by cost). A key
// names the statement as the engine runs it, its parameter values and the
// snapshot of every table it reads (ResultKey), so a new snapshot of any
// of them is a new key: stale results are never served, only left to
// age out.
type ResultCache struct {
	c        *ristretto.Cache[string, *Result]
	maxEntry int64
	hits     atomic.Int64
	misses   atomic.Int64
}

// Result is a cached statement result: its schema and batches, held in Go
// memory and shared read-only by every reader.
type Result struct {
	Schema  *arrow.Schema
	Batches []arrow.RecordBatch
	Rows    int64
	Bytes   int64
}

// NewResultCache returns a cache of at most maxBytes; a result larger
// than an eighth of it is not kept.
func NewResultCache(maxBytes int64) (*ResultCache, error) {
	c, err := ristretto.NewCache(&ristretto.Config[string, *Result]{
		NumCounters: max(maxBytes/1024, 10_000), // ~10 per expected entry of ~10 kB
		MaxCost:     maxBytes,
		BufferItems: 64,
		// Costs are the results' bytes; ristretto's own bookkeeping is
		// not charged to them.
		IgnoreInternalCost: true,
		Metrics:            true,
	})
	if err != nil {
		return nil, fmt.Errorf("result cache: %w", err)
	}
	return &ResultCache{c: c, maxEntry: maxBytes / 8}, nil
}

// ResultKey names a result: the workspace, the engine SQL, the
// parameter values and the snapshots (or catalog version) it reads.
func ResultKey(workspaceID, sql string, args []any, versions []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", workspaceID, sql)
	for _, a := range args {
		fmt.Fprintf(h, "%T:%v\x00", a, a)
	}
	h.Write([]byte{1})
	for _, v := range versions {
		fmt.Fprintf(h, "%s\x00", v)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Get returns a cached result and counts the hit or miss.
func (rc *ResultCache) Get(key string) (*Result, bool) {
	r, ok := rc.c.Get(key)
	if ok {
		rc.hits.Add(1)
	} else {
		rc.misses.Add(1)
	}
	return r, ok
}

// MaxEntryBytes is the size past which a result is not cached.
func (rc *ResultCache) MaxEntryBytes() int64 { return rc.maxEntry }

// Put offers a complete result to the cache (which may decline it).
func (rc *ResultCache) Put(key string, r *Result) {
	if r.Bytes > rc.maxEntry {
		return
	}
	rc.c.Set(key, r, max(r.Bytes, 1))
}

// ResultCacheStats are the cache's counters.
type ResultCacheStats struct {
	Hits, Misses int64
	Entries      int64
	Bytes        int64
	MaxBytes     int64
}

// Stats returns the counters (entries and bytes as ristretto last saw).
func (rc *ResultCache) Stats() ResultCacheStats {
	st := ResultCacheStats{Hits: rc.hits.Load(), Misses: rc.misses.Load(), MaxBytes: rc.c.MaxCost(),
		Bytes: rc.c.MaxCost() - rc.c.RemainingCost()}
	if m := rc.c.Metrics; m != nil {
		st.Entries = int64(m.KeysAdded() - m.KeysEvicted())
	}
	return st
}

// Wait blocks until the writes offered so far are applied (tests).
func (rc *ResultCache) Wait() { rc.c.Wait() }

// Close stops the cache's goroutines.
func (rc *ResultCache) Close() { rc.c.Close() }

// Collector copies the batches of a result being streamed to a client,
// for the cache, until it grows past a limit.
type Collector struct {
	limit   int64
	res     *Result
	aborted bool
}

// NewCollector collects up to limit bytes.
func NewCollector(schema *arrow.Schema, limit int64) *Collector {
	return &Collector{limit: limit, res: &Result{Schema: schema}}
}

// Add copies rec (which may alias memory its producer reuses).
func (c *Collector) Add(rec arrow.RecordBatch) {
	if c.aborted {
		return
	}
	if c.res.Bytes += recordBytes(rec); c.res.Bytes > c.limit {
		c.aborted = true
		c.res = nil
		return
	}
	cols := make([]arrow.Array, rec.NumCols())
	for i, col := range rec.Columns() {
		cp, err := array.Concatenate([]arrow.Array{col}, memory.DefaultAllocator)
		if err != nil {
			c.aborted, c.res = true, nil
			return
		}
		cols[i] = cp
	}
	c.res.Batches = append(c.res.Batches, array.NewRecordBatch(rec.Schema(), cols, rec.NumRows()))
	c.res.Rows += rec.NumRows()
}

// Result returns what was collected, nil when it outgrew the limit.
func (c *Collector) Result() *Result {
	if c.aborted {
		return nil
	}
	return c.res
}
