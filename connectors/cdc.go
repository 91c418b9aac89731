package connectors

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// Change data capture.
//
// A source that can stream its row changes (PostgreSQL's logical
// replication, MySQL's binlog) implements CDC. One stream per connection
// carries the changes of every table the connection keeps fresh that way.
// A table joins a running stream in three steps that lose and repeat
// nothing: Track (its changes are held from then on), a scan of the
// table consistent with a stream position (SnapshotScan), then Activate
// with that position (held changes at or before it are dropped, the rest
// come out of Read). Positions are the source's own, as text; a stream
// compares them, its callers only store them.

// Change columns: every batch of changes holds the table's columns, then
// these three.
const (
	// ChangeOpColumn is the operation: "I" insert, "U" update (the row's
	// new values), "D" delete (only the key columns are set).
	ChangeOpColumn = "_hd_op"
	// ChangeSeqColumn orders a table's changes: a later change has a
	// greater value, across batches and restarts.
	ChangeSeqColumn = "_hd_seq"
	// ChangeUnchangedColumn follows them: a mask of the columns a change
	// left as they were ("1" at a column's 1-based field index); NULL
	// when every column is set.
	ChangeUnchangedColumn = "_hd_unchanged"
)

// ErrCDCUnsupported: the source or the table cannot stream changes.
var ErrCDCUnsupported = errors.New("change data capture is not available")

// CDC is implemented by connectors that stream row changes.
type CDC interface {
	// OpenStream opens the connection's change stream, named name (the
	// source's replication slot, publication, … are named after it and
	// created when missing). It resumes after the last position
	// confirmed.
	OpenStream(ctx context.Context, name string) (Stream, error)
	// DropStream removes what OpenStream created upstream (a stream that
	// does not exist is no error).
	DropStream(ctx context.Context, name string) error
}

// StreamTable names a table of a stream, with the columns its changes
// are read as (the columns of the table's cached snapshot: Field
// metadata MetaTextHeld marks columns read as text).
type StreamTable struct {
	Schema, Table string
	Key           []string
	Fields        []arrow.Field
}

// Stream is a running change stream. Read is called by one goroutine;
// the other methods may be called concurrently with it.
type Stream interface {
	// Retain stops capturing every table but those named (schema,
	// table): a table left out of a stream must not look resumable.
	Retain(ctx context.Context, keep [][2]string) error
	// Track makes the stream capture a table's changes from now on,
	// holding them until Activate. It reports whether the stream already
	// captured the table without a break, so that a snapshot as of an
	// earlier position of this stream may resume (Activate with that
	// position) instead of reading the table again.
	Track(ctx context.Context, t StreamTable) (bool, error)
	// SnapshotScan scans a tracked table as of a position of the stream,
	// returned with the scan: changes at or before it are in the scan.
	SnapshotScan(ctx context.Context, req ScanRequest) (Scan, string, error)
	// Activate releases a tracked table's changes after position (those
	// at or before it are dropped), with the fields its snapshot holds.
	Activate(t StreamTable, position string) error
	// Captured lists the tables (schema, table) the source captures for
	// the stream now: a tracked table missing from it (dropped and made
	// again upstream) no longer receives changes.
	Captured(ctx context.Context) ([][2]string, error)
	// Untrack stops capturing a table.
	Untrack(ctx context.Context, schema, table string) error
	// Read returns the changes of the transactions committed next: it
	// waits for the first one up to maxWait, then gathers those already
	// received, up to about maxRows changes, ending at a transaction's
	// end. An empty batch (no transaction in maxWait) still reports the
	// stream's progress.
	Read(ctx context.Context, maxWait time.Duration, maxRows int) (*ChangeBatch, error)
	// Confirm tells the source that every change up to position is kept
	// for good: it may forget them (a restart resumes after it).
	Confirm(ctx context.Context, position string) error
	// Status reports the stream's progress.
	Status() StreamStatus
	// Compare orders two positions of the stream (-1, 0, 1).
	Compare(a, b string) (int, error)
	Close() error
}

// ChangeBatch is the changes of whole transactions.
type ChangeBatch struct {
	// Position is the end of the last transaction in the batch (or the
	// stream's position when it holds none).
	Position string
	// CommitTime is the last transaction's commit time (zero when none).
	CommitTime time.Time
	// Tables holds each changed table's changes, in order, as one batch
	// of its fields plus ChangeOpColumn and ChangeSeqColumn.
	Tables []TableChanges
	// Transactions is how many transactions the batch holds.
	Transactions int
	// Drained is when Read found nothing more to take (zero when it
	// stopped at maxRows): every transaction the source had sent by then
	// is in the batch, so once it is applied the stream's tables are
	// fresh as of that moment.
	Drained time.Time
}

// TableChanges is one table's part of a ChangeBatch.
type TableChanges struct {
	Schema, Table string
	// Truncated: the table was emptied before Changes (which may be nil).
	Truncated bool
	// Reshaped: the table's columns changed upstream; Changes stops
	// before the change, and the table must be read again (SnapshotScan)
	// and activated with its new columns.
	Reshaped bool
	Changes  arrow.RecordBatch
}

// StreamStatus is a stream's progress.
type StreamStatus struct {
	// Received is the position of the last change received; Confirmed
	// the last one confirmed.
	Received, Confirmed string
	// LagBytes is how far the source's current position is ahead of
	// Received, in the source's unit (PostgreSQL: WAL bytes); -1 unknown.
	LagBytes int64
	// LastCommit is the commit time of the last transaction received.
	LastCommit time.Time
	// Created: OpenStream had to create the stream (its slot was gone):
	// no earlier position of it holds, every table is read again.
	Created bool
}

// ChangeFields are the fields of a table's change batches: its cached
// fields, each nullable (a delete sets only the key, an update may leave
// a column out), then ChangeOpColumn, ChangeSeqColumn and
// ChangeUnchangedColumn.
func ChangeFields(fields []arrow.Field) []arrow.Field {
	out := make([]arrow.Field, 0, len(fields)+3)
	for _, f := range fields {
		f.Nullable = true
		out = append(out, f)
	}
	return append(out,
		arrow.Field{Name: ChangeOpColumn, Type: arrow.BinaryTypes.String},
		arrow.Field{Name: ChangeSeqColumn, Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: ChangeUnchangedColumn, Type: arrow.BinaryTypes.String, Nullable: true})
}

// streamName is what a stream's name may be (it names the source's slot,
// publication or replica id).
var streamName = regexp.MustCompile(`^[a-z0-9_]{1,63}$`)

// CheckStreamName says why name cannot name a stream.
func CheckStreamName(name string) error {
	if !streamName.MatchString(name) {
		return fmt.Errorf("stream name %q: want 1 to 63 of a-z, 0-9, _", name)
	}
	return nil
}

// ReadPacer paces a Stream's Read: it waits for the first transaction up
// to maxWait, then takes what has already arrived (2 ms at a time), up to
// about maxRows changes, always finishing a transaction it is inside.
type ReadPacer struct {
	deadline time.Time
	maxRows  int
	// Txns and Rows count what the batch holds so far.
	Txns, Rows int
}

// NewReadPacer starts pacing one Read.
func NewReadPacer(maxWait time.Duration, maxRows int) *ReadPacer {
	return &ReadPacer{deadline: time.Now().Add(maxWait), maxRows: maxRows}
}

// Next says how long to wait for the next message; done ends the batch,
// drained when nothing more had arrived.
func (p *ReadPacer) Next(inTxn bool) (wait time.Duration, done, drained bool) {
	wait = time.Until(p.deadline)
	if p.Txns > 0 && !inTxn {
		wait = min(wait, 2*time.Millisecond)
	}
	if inTxn {
		return max(wait, time.Second), false, false // finish the transaction
	}
	if wait <= 0 {
		return 0, true, true
	}
	if p.Txns > 0 && p.Rows >= p.maxRows {
		return 0, true, false
	}
	return wait, false, false
}

// TimedOut reports whether a receive that timed out ends the batch.
func (p *ReadPacer) TimedOut(inTxn bool) bool {
	return !inTxn && (p.Txns > 0 || time.Now().After(p.deadline))
}
