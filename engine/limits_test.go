//go:build duckdb_arrow

package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// TestOutOfMemory: a statement past the engine's memory limit fails
// with 53200 and a hint saying what to do; the engine still answers.
func TestOutOfMemory(t *testing.T) {
	e, err := Open(context.Background(), t.TempDir(), Limits{MemoryBytes: 64 << 20, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	// A list of 50M integers (400 MB) cannot spill.
	_, err = collect(t, e, "SELECT len(list(i)) FROM range(50000000) t(i)")
	var pe *pgerr.Error
	if !errors.As(err, &pe) || pe.Code != pgerr.OutOfMemory {
		t.Fatalf("err = %v, want 53200", err)
	}
	if pe.Hint != OutOfMemoryHint {
		t.Fatalf("hint = %q", pe.Hint)
	}
	if rows, err := collect(t, e, "SELECT 1"); err != nil || len(rows) != 1 {
		t.Fatalf("after: %v %v", rows, err)
	}
}

// TestInUse: an engine is in use while a result stream is held.
func TestInUse(t *testing.T) {
	e, err := Open(context.Background(), t.TempDir(), Limits{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.InUse() {
		t.Fatal("in use before any statement")
	}
	err = e.Query(context.Background(), "SELECT 1", nil, func(array.RecordReader) error {
		if !e.InUse() {
			t.Error("not in use during a statement")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if e.InUse() {
		t.Fatal("in use after the statement")
	}
}

// orChain is a statement DuckDB takes seconds to plan.
func orChain() string {
	var b strings.Builder
	b.WriteString("SELECT count(*) FROM range(10) t(i) WHERE i = 0")
	for i := 1; b.Len() < 100<<10; i++ {
		fmt.Fprintf(&b, " OR i = %d", i)
	}
	return b.String()
}

// TestPrepareHonoursContext: planning a statement stops waiting when its
// context ends (57014), and the engine goes on answering.
func TestPrepareHonoursContext(t *testing.T) {
	e, err := Open(context.Background(), t.TempDir(), Limits{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = e.Query(ctx, orChain(), nil, func(array.RecordReader) error { return nil })
	if pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("err = %v, want 57014", err)
	}
	// It returned while DuckDB still plans: the planning holds its
	// connection until it ends.
	if !e.InUse() {
		t.Fatal("returned after the planning finished")
	}
	for deadline := time.Now().Add(time.Minute); e.InUse(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the abandoned planning never released its connection")
		}
	}
	// With one plan slot, this one waits for the abandoned planning.
	if rows, err := collect(t, e, "SELECT 42"); err != nil || len(rows) != 1 || rows[0][0] != "42" {
		t.Fatalf("after: %v %v", rows, err)
	}
}
