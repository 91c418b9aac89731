package cache

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func batch(t *testing.T, vals ...int64) arrow.RecordBatch {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues(vals, nil)
	return b.NewRecordBatch()
}

func TestResultCache(t *testing.T) {
	rc, err := NewResultCache(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	k1 := ResultKey("ws", "SELECT x FROM t", []any{int64(1)}, []string{"snap_a"})
	if k1 == ResultKey("ws", "SELECT x FROM t", []any{int64(1)}, []string{"snap_b"}) ||
		k1 == ResultKey("ws", "SELECT x FROM t", []any{"1"}, []string{"snap_a"}) ||
		k1 == ResultKey("ws2", "SELECT x FROM t", []any{int64(1)}, []string{"snap_a"}) {
		t.Fatal("keys must differ by snapshot, parameter type and workspace")
	}
	src := batch(t, 1, 2, 3)
	col := NewCollector(src.Schema(), rc.MaxEntryBytes())
	col.Add(src)
	src.Release() // the collector holds a copy
	rc.Put(k1, col.Result())
	rc.Wait()
	got, ok := rc.Get(k1)
	if !ok || got.Rows != 3 || got.Batches[0].Column(0).(*array.Int64).Value(2) != 3 {
		t.Fatalf("get = %+v, %v", got, ok)
	}
	if _, ok := rc.Get("other"); ok {
		t.Fatal("hit on a missing key")
	}
	if st := rc.Stats(); st.Hits != 1 || st.Misses != 1 || st.Entries != 1 || st.Bytes <= 0 {
		t.Fatalf("stats = %+v", st)
	}
	// A result larger than an eighth of the cache is not collected.
	small := NewCollector(src.Schema(), 10)
	small.Add(batch(t, 1, 2, 3))
	if small.Result() != nil {
		t.Fatal("collector kept a result over its limit")
	}
}
