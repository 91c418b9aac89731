//go:build duckdb_arrow

package engine

import (
	"context"
	"errors"
	"testing"

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
