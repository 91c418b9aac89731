package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/connectors"
)

// stream is a running pgoutput stream (cdc.go).
type stream struct {
	c      *Connector
	name   string
	conn   *pgconn.PgConn // the replication connection; Read's goroutine only
	binary bool           // values come in their types' binary form

	mu         sync.Mutex
	tables     map[string]*streamTable // by schema + "." + table
	relations  map[uint32]*pglogrepl.RelationMessage
	txn        *txnState // the transaction being received
	received   pglogrepl.LSN
	confirmed  pglogrepl.LSN
	serverEnd  pglogrepl.LSN
	lastCommit time.Time
	lastStatus time.Time
	created    bool // OpenStream created the slot
	// ready are the tables with changes released since the last Read.
	ready map[string]bool
}

// streamTable is one table of a stream.
type streamTable struct {
	ref    connectors.StreamTable
	fields []arrow.Field
	byName map[string]int // field index by column name
	key    []int          // field indexes of the key columns
	cols   []column       // upstream columns, by field index
	active bool
	after  pglogrepl.LSN // active: transactions committed before it are in the snapshot
	held   []heldTxn     // tracked, not yet active
	// reshaped: the upstream columns no longer match fields; changes are
	// held until the table is activated again.
	reshaped     bool
	reportShape  bool
	truncated    bool
	rb           *array.RecordBuilder
	decoders     []decodeFunc
	asText       []bool // the column's decoder reads the type's text output
	rows         int
	unchangedCol int // index of the unchanged-columns mask in rb
}

// rawChange is a change as received (its tuples copied).
type rawChange struct {
	op     byte // 'I', 'U', 'D', 'T' (truncate)
	seq    int64
	rel    *pglogrepl.RelationMessage
	newTup *pglogrepl.TupleData
	oldTup *pglogrepl.TupleData // the old key of an update that changed it, or a delete's key
}

type heldTxn struct {
	commit  pglogrepl.LSN
	changes []rawChange
}

type txnState struct {
	changes map[string][]rawChange // by table
}

// UnchangedColumn names the change batches' mask of the columns an
// update left as they were (TOASTed values PostgreSQL does not resend):
// "1" at a column's position (its 1-based field index) means unchanged;
// NULL when every column is set.
const UnchangedColumn = connectors.ChangeUnchangedColumn

func newStream(c *Connector, name string, conn *pgconn.PgConn) *stream {
	return &stream{c: c, name: name, conn: conn, tables: map[string]*streamTable{},
		relations: map[uint32]*pglogrepl.RelationMessage{}, ready: map[string]bool{}}
}

// start begins replication from the slot's confirmed position.
func (s *stream) start(ctx context.Context) error {
	var confirmed string
	if err := s.c.pool.QueryRow(ctx, `SELECT COALESCE(confirmed_flush_lsn::text, '0/0') FROM pg_replication_slots WHERE slot_name = $1`, s.name).Scan(&confirmed); err != nil {
		return fmt.Errorf("cdc: slot %s: %w", s.name, err)
	}
	pos, err := pglogrepl.ParseLSN(confirmed)
	if err != nil {
		return fmt.Errorf("cdc: slot %s position %q: %w", s.name, confirmed, err)
	}
	s.confirmed, s.received = pos, pos
	version, _ := strconv.Atoi(s.conn.ParameterStatus("server_version_num"))
	if version == 0 {
		version, _ = strconv.Atoi(strings.Fields(s.conn.ParameterStatus("server_version") + " 0")[0])
		version *= 10000
	}
	args := []string{"proto_version '1'", "publication_names " + quoteLiteral(s.name)}
	if version >= 140000 {
		s.binary = true
		args = append(args, "binary 'true'")
	}
	if err := pglogrepl.StartReplication(ctx, s.conn, s.name, pos, pglogrepl.StartReplicationOptions{PluginArgs: args}); err != nil {
		return fmt.Errorf("cdc: start replication on slot %s: %w", s.name, err)
	}
	s.lastStatus = time.Now()
	return nil
}

func tableKey(schema, table string) string { return schema + "." + table }

// Captured lists the publication's tables.
func (s *stream) Captured(ctx context.Context) ([][2]string, error) {
	return s.c.published(ctx, s.name)
}

// Retain removes from the publication every table but those kept.
func (s *stream) Retain(ctx context.Context, keep [][2]string) error {
	in, err := s.c.published(ctx, s.name)
	if err != nil {
		return err
	}
	want := map[[2]string]bool{}
	for _, k := range keep {
		want[k] = true
	}
	for _, t := range in {
		if !want[t] {
			if err := s.Untrack(ctx, t[0], t[1]); err != nil {
				return err
			}
		}
	}
	return nil
}

// Track adds the table to the publication and holds its changes. The
// table was captured without a break when it was in the publication
// already: it leaves it only through Untrack or Retain.
func (s *stream) Track(ctx context.Context, t connectors.StreamTable) (bool, error) {
	if len(t.Key) == 0 {
		return false, fmt.Errorf("%w: %s.%s has no primary key: changes cannot be applied by key", connectors.ErrCDCUnsupported, t.Schema, t.Table)
	}
	if err := s.c.checkStreamable(ctx, t); err != nil {
		return false, err
	}
	was, err := s.c.publish(ctx, s.name, t.Schema, t.Table, true)
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := tableKey(t.Schema, t.Table)
	if st := s.tables[k]; st != nil {
		// Tracked again (its columns changed): hold from now on.
		st.active, st.reshaped, st.held = false, false, nil
		return false, nil
	}
	s.tables[k] = &streamTable{ref: t}
	return was, nil
}

// Untrack removes the table from the publication and the stream.
func (s *stream) Untrack(ctx context.Context, schema, table string) error {
	s.mu.Lock()
	if st := s.tables[tableKey(schema, table)]; st != nil {
		st.release()
		delete(s.tables, tableKey(schema, table))
	}
	s.mu.Unlock()
	_, err := s.c.publish(ctx, s.name, schema, table, false)
	return err
}

// SnapshotScan scans the table in a snapshot exported by a temporary slot.
func (s *stream) SnapshotScan(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, string, error) {
	sc, pos, err := s.c.snapshotScan(ctx, req)
	if err != nil {
		return nil, "", err
	}
	return sc, pos.String(), nil
}

// Activate releases the table's changes committed at or after position.
func (s *stream) Activate(t connectors.StreamTable, position string) error {
	pos, err := pglogrepl.ParseLSN(position)
	if err != nil {
		return fmt.Errorf("cdc: position %q: %w", position, err)
	}
	cols, err := readColumns(context.Background(), s.c.pool, t.Schema, t.Table)
	if err != nil {
		return fmt.Errorf("cdc: columns of %s.%s: %w", t.Schema, t.Table, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := tableKey(t.Schema, t.Table)
	st := s.tables[k]
	if st == nil {
		return fmt.Errorf("cdc: %s.%s is not tracked", t.Schema, t.Table)
	}
	if err := st.setup(t, cols); err != nil {
		return err
	}
	st.active, st.after, st.reshaped = true, pos, false
	held := st.held
	st.held = nil
	// The table's columns may have changed since its first read: a
	// relation seen meanwhile (in a held change, or the latest one)
	// that no longer matches sends it back to be read again.
	changed := false
	if rel := s.relationOf(t.Schema, t.Table); rel != nil && !st.sameShape(rel) {
		changed = true
	}
	for _, h := range held {
		for _, ch := range h.changes {
			if h.commit >= pos && ch.rel != nil && !st.sameShape(ch.rel) {
				changed = true
			}
		}
	}
	if changed {
		st.active, st.reshaped, st.reportShape = false, true, true
		return nil
	}
	for _, h := range held {
		if h.commit < pos {
			continue
		}
		if err := s.applyLocked(k, st, h.changes); err != nil {
			return err
		}
	}
	return nil
}

// relationOf is the latest relation message of a table; s.mu is held.
func (s *stream) relationOf(schema, table string) *pglogrepl.RelationMessage {
	for _, r := range s.relations {
		if r.Namespace == schema && r.RelationName == table {
			return r
		}
	}
	return nil
}

// setup builds the table's change batch builder for fields, matching
// them with the upstream's columns.
func (st *streamTable) setup(t connectors.StreamTable, upstream []column) error {
	st.release()
	st.ref, st.fields = t, t.Fields
	st.byName = map[string]int{}
	for i, f := range t.Fields {
		st.byName[f.Name] = i
	}
	byUp := map[string]column{}
	for _, c := range upstream {
		byUp[c.name] = c
	}
	st.cols = make([]column, len(t.Fields))
	plans := make([]plan, len(t.Fields))
	for i, f := range t.Fields {
		c, ok := byUp[f.Name]
		if !ok {
			return fmt.Errorf("cdc: column %s of %s.%s no longer exists upstream", f.Name, t.Schema, t.Table)
		}
		st.cols[i] = c
		if f.HasMetadata() && f.Metadata.FindKey(connectors.MetaTextHeld) >= 0 {
			plans[i] = textPlan(c, "")
		} else {
			plans[i] = planColumn(c)
		}
		if !arrow.TypeEqual(plans[i].field.Type, f.Type) {
			return fmt.Errorf("cdc: column %s of %s.%s is %s upstream now, cached as %s", f.Name, t.Schema, t.Table, plans[i].field.Type, f.Type)
		}
	}
	st.key = st.key[:0]
	for _, k := range t.Key {
		i, ok := st.byName[k]
		if !ok {
			return fmt.Errorf("cdc: key column %s of %s.%s is not cached", k, t.Schema, t.Table)
		}
		st.key = append(st.key, i)
	}
	st.rb = array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(connectors.ChangeFields(t.Fields), nil))
	st.decoders = make([]decodeFunc, len(t.Fields))
	st.asText = make([]bool, len(t.Fields))
	for i := range plans {
		st.decoders[i] = plans[i].decoder(st.rb.Field(i))
		st.asText[i] = plans[i].text
	}
	st.unchangedCol = len(t.Fields) + 2
	st.rows = 0
	return nil
}

func (st *streamTable) release() {
	if st.rb != nil {
		st.rb.Release()
		st.rb = nil
	}
}

// Read receives transactions: see connectors.Stream.
func (s *stream) Read(ctx context.Context, maxWait time.Duration, maxRows int) (*connectors.ChangeBatch, error) {
	pace := connectors.NewReadPacer(maxWait, maxRows)
	var drained time.Time
	for {
		wait, done, empty := pace.Next(s.txn != nil)
		if done {
			if empty {
				drained = time.Now()
			}
			break
		}
		if err := s.statusIfDue(ctx, false); err != nil {
			return nil, err
		}
		rctx, cancel := context.WithTimeout(ctx, wait)
		msg, err := s.conn.ReceiveMessage(rctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if pgconn.Timeout(err) {
				if pace.TimedOut(s.txn != nil) {
					drained = time.Now()
					break
				}
				continue
			}
			return nil, fmt.Errorf("cdc: receive on slot %s: %w", s.name, err)
		}
		switch m := msg.(type) {
		case *pgproto3.CopyData:
			n, committed, err := s.handle(ctx, m.Data)
			if err != nil {
				return nil, err
			}
			pace.Rows += n
			if committed {
				pace.Txns++
			}
		case *pgproto3.ErrorResponse:
			return nil, fmt.Errorf("cdc: slot %s: %w", s.name, pgconn.ErrorResponseToPgError(m))
		case *pgproto3.CopyDone:
			return nil, fmt.Errorf("cdc: slot %s: the server ended the stream", s.name)
		}
	}
	b := s.batch(pace.Txns)
	b.Drained = drained
	return b, nil
}

// handle processes one CopyData message; it returns the changes it added
// and whether a transaction committed.
func (s *stream) handle(ctx context.Context, data []byte) (int, bool, error) {
	if len(data) == 0 {
		return 0, false, nil
	}
	switch data[0] {
	case pglogrepl.PrimaryKeepaliveMessageByteID:
		ka, err := pglogrepl.ParsePrimaryKeepaliveMessage(data[1:])
		if err != nil {
			return 0, false, fmt.Errorf("cdc: keepalive: %w", err)
		}
		s.mu.Lock()
		s.serverEnd = max(s.serverEnd, ka.ServerWALEnd)
		if s.txn == nil && ka.ServerWALEnd > s.received && len(s.heldLocked()) == 0 {
			// Nothing to send us up to there.
			s.received = max(s.received, ka.ServerWALEnd)
		}
		s.mu.Unlock()
		if ka.ReplyRequested {
			return 0, false, s.statusIfDue(ctx, true)
		}
		return 0, false, nil
	case pglogrepl.XLogDataByteID:
		xld, err := pglogrepl.ParseXLogData(data[1:])
		if err != nil {
			return 0, false, fmt.Errorf("cdc: xlog data: %w", err)
		}
		return s.decode(xld)
	}
	return 0, false, nil
}

// heldLocked lists the positions of held transactions; s.mu is held.
func (s *stream) heldLocked() []pglogrepl.LSN {
	var out []pglogrepl.LSN
	for _, st := range s.tables {
		for _, h := range st.held {
			out = append(out, h.commit)
		}
	}
	return out
}

func (s *stream) decode(xld pglogrepl.XLogData) (int, bool, error) {
	msg, err := pglogrepl.Parse(xld.WALData)
	if err != nil {
		return 0, false, fmt.Errorf("cdc: decode: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	seq := int64(xld.WALStart)
	switch m := msg.(type) {
	case *pglogrepl.RelationMessage:
		s.relations[m.RelationID] = m
		if st := s.tables[tableKey(m.Namespace, m.RelationName)]; st != nil && st.active && !st.sameShape(m) {
			st.active, st.reshaped, st.reportShape = false, true, true
		}
	case *pglogrepl.BeginMessage:
		s.txn = &txnState{changes: map[string][]rawChange{}}
	case *pglogrepl.InsertMessage:
		s.add(m.RelationID, rawChange{op: 'I', seq: seq, newTup: copyTuple(m.Tuple)})
	case *pglogrepl.UpdateMessage:
		ch := rawChange{op: 'U', seq: seq, newTup: copyTuple(m.NewTuple)}
		if m.OldTupleType == pglogrepl.UpdateMessageTupleTypeKey || m.OldTupleType == pglogrepl.UpdateMessageTupleTypeOld {
			ch.oldTup = copyTuple(m.OldTuple)
		}
		s.add(m.RelationID, ch)
	case *pglogrepl.DeleteMessage:
		s.add(m.RelationID, rawChange{op: 'D', seq: seq, oldTup: copyTuple(m.OldTuple)})
	case *pglogrepl.TruncateMessage:
		for _, id := range m.RelationIDs {
			s.add(id, rawChange{op: 'T', seq: seq})
		}
	case *pglogrepl.CommitMessage:
		txn := s.txn
		s.txn = nil
		if txn == nil {
			return 0, false, nil
		}
		n := 0
		for k, changes := range txn.changes {
			st := s.tables[k]
			if st == nil {
				continue
			}
			switch {
			case st.active && m.CommitLSN >= st.after:
				if err := s.applyLocked(k, st, changes); err != nil {
					return n, true, err
				}
				n += len(changes)
			case !st.active:
				st.held = append(st.held, heldTxn{commit: m.CommitLSN, changes: changes})
			}
		}
		s.received = max(s.received, m.TransactionEndLSN)
		s.lastCommit = m.CommitTime
		return n, true, nil
	}
	return 0, false, nil
}

// add records a change of the transaction being received.
func (s *stream) add(relID uint32, ch rawChange) {
	rel := s.relations[relID]
	if rel == nil || s.txn == nil {
		return
	}
	k := tableKey(rel.Namespace, rel.RelationName)
	if s.tables[k] == nil {
		return
	}
	ch.rel = rel
	s.txn.changes[k] = append(s.txn.changes[k], ch)
}

// sameShape reports whether a relation still has the columns the table
// was activated with (names and types; order may differ).
func (st *streamTable) sameShape(rel *pglogrepl.RelationMessage) bool {
	if len(rel.Columns) != len(st.fields) {
		return false
	}
	for _, c := range rel.Columns {
		i, ok := st.byName[c.Name]
		if !ok {
			return false
		}
		if c.DataType != st.cols[i].typeOID {
			return false
		}
	}
	return true
}

// applyLocked decodes a committed transaction's changes of one table into
// its builder; s.mu is held.
func (s *stream) applyLocked(k string, st *streamTable, changes []rawChange) error {
	for _, ch := range changes {
		if ch.op == 'T' {
			// Everything before is gone: drop what the builder holds.
			st.release()
			if err := st.setup(st.ref, st.cols); err != nil {
				return err
			}
			st.truncated = true
			s.ready[k] = true
			continue
		}
		if ch.op == 'U' && ch.oldTup != nil && st.keyChanged(ch.rel, ch.oldTup, ch.newTup) {
			if hasUnchanged(ch.newTup) {
				// The new key's row lacks the TOASTed values the update
				// left alone, and no earlier row of that key holds them.
				return s.reread(k, st)
			}
			// The old key goes first (the sequence orders them).
			if err := st.appendRow(s, ch.rel, ch.oldTup, 'D', ch.seq); err != nil {
				return s.rereadAfter(k, st, err)
			}
			if err := st.appendRow(s, ch.rel, ch.newTup, 'I', ch.seq+1); err != nil {
				return s.rereadAfter(k, st, err)
			}
			continue
		}
		tup := ch.newTup
		if ch.op == 'D' {
			tup = ch.oldTup
		}
		if err := st.appendRow(s, ch.rel, tup, ch.op, ch.seq); err != nil {
			return s.rereadAfter(k, st, err)
		}
	}
	s.ready[k] = true
	return nil
}

// hasUnchanged reports whether a tuple leaves a TOASTed value out.
func hasUnchanged(t *pglogrepl.TupleData) bool {
	for _, c := range t.Columns {
		if c.DataType == pglogrepl.TupleDataTypeToast {
			return true
		}
	}
	return false
}

// reread sends a table back to be read again (as when its columns
// change): what its builder holds of the transaction is dropped, and the
// read, made after this transaction committed, holds it; s.mu is held.
func (s *stream) reread(k string, st *streamTable) error {
	st.release()
	if err := st.setup(st.ref, st.cols); err != nil {
		return err
	}
	st.active, st.reshaped, st.reportShape = false, true, true
	delete(s.ready, k)
	return nil
}

// rereadAfter is reread for a value the cached form of its column cannot
// hold (a NaN in a numeric(p,s), …): the new read takes the column as
// text. Other errors stop the stream.
func (s *stream) rereadAfter(k string, st *streamTable, err error) error {
	var u *unheldError
	if errors.Is(err, errNumericSpecial) || errors.As(err, &u) {
		return s.reread(k, st)
	}
	return err
}

// keyChanged reports whether an update's old key differs from its new.
func (st *streamTable) keyChanged(rel *pglogrepl.RelationMessage, old, new *pglogrepl.TupleData) bool {
	for ci, c := range rel.Columns {
		i, ok := st.byName[c.Name]
		if !ok || !st.isKey(i) || ci >= len(old.Columns) || ci >= len(new.Columns) {
			continue
		}
		o, n := old.Columns[ci], new.Columns[ci]
		if o.DataType != n.DataType || string(o.Data) != string(n.Data) {
			return true
		}
	}
	return false
}

func (st *streamTable) isKey(i int) bool {
	for _, k := range st.key {
		if k == i {
			return true
		}
	}
	return false
}

// appendRow appends one change; columns a delete's key tuple lacks are
// NULL, columns an update left unchanged are NULL and marked.
func (st *streamTable) appendRow(s *stream, rel *pglogrepl.RelationMessage, tup *pglogrepl.TupleData, op byte, seq int64) error {
	if tup == nil {
		return fmt.Errorf("cdc: %s.%s: a %c change without a row (is REPLICA IDENTITY NOTHING set?)", st.ref.Schema, st.ref.Table, op)
	}
	set := make([]bool, len(st.fields))
	var unchanged []byte
	for ci, c := range rel.Columns {
		i, ok := st.byName[c.Name]
		if !ok || ci >= len(tup.Columns) {
			continue
		}
		col := tup.Columns[ci]
		b := st.rb.Field(i)
		switch col.DataType {
		case pglogrepl.TupleDataTypeNull:
			b.AppendNull()
		case pglogrepl.TupleDataTypeToast:
			b.AppendNull()
			if unchanged == nil {
				unchanged = []byte(strings.Repeat("0", len(st.fields)))
			}
			unchanged[i] = '1'
		case pglogrepl.TupleDataTypeBinary, pglogrepl.TupleDataTypeText:
			v, err := s.value(st, i, col)
			if err != nil {
				return fmt.Errorf("cdc: %s.%s column %s: %w", st.ref.Schema, st.ref.Table, c.Name, err)
			}
			if err := st.decoders[i](v); err != nil {
				return fmt.Errorf("cdc: %s.%s column %s: %w", st.ref.Schema, st.ref.Table, c.Name, err)
			}
		default:
			return fmt.Errorf("cdc: %s.%s column %s: unknown tuple data kind %q", st.ref.Schema, st.ref.Table, c.Name, col.DataType)
		}
		set[i] = true
	}
	for i, ok := range set {
		if !ok {
			if op != 'D' && st.isKey(i) {
				return fmt.Errorf("cdc: %s.%s: a change without its key column %s", st.ref.Schema, st.ref.Table, st.fields[i].Name)
			}
			st.rb.Field(i).AppendNull()
		}
	}
	n := len(st.fields)
	st.rb.Field(n).(*array.StringBuilder).Append(string(op))
	st.rb.Field(n + 1).(*array.Int64Builder).Append(seq)
	if unchanged == nil {
		st.rb.Field(n + 2).AppendNull()
	} else {
		st.rb.Field(n + 2).(*array.StringBuilder).Append(string(unchanged))
	}
	st.rows++
	return nil
}

// value is a column value in the form the table's decoder reads: the
// binary form for columns cached natively, the type's text output for
// columns held as text.
func (s *stream) value(st *streamTable, i int, col *pglogrepl.TupleDataColumn) ([]byte, error) {
	if !st.asText[i] {
		if col.DataType == pglogrepl.TupleDataTypeText {
			return s.convert(st.cols[i], col.Data, pgx.TextFormatCode, pgx.BinaryFormatCode)
		}
		return col.Data, nil
	}
	if col.DataType == pglogrepl.TupleDataTypeText {
		return col.Data, nil
	}
	if st.cols[i].baseOID == oidNumeric && st.cols[i].elemOID == 0 {
		return numericText(col.Data)
	}
	return s.convert(st.cols[i], col.Data, pgx.BinaryFormatCode, pgx.TextFormatCode)
}

// convert turns a value from one format of its type to the other, by
// the upstream's own input and output functions.
func (s *stream) convert(c column, v []byte, from, to int16) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := s.c.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	res := conn.Conn().PgConn().ExecParams(ctx, "SELECT $1::"+c.typeName, [][]byte{v}, []uint32{c.baseOID}, []int16{from}, []int16{to}).Read()
	if res.Err != nil {
		return nil, res.Err
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		return nil, errors.New("converting a value returned no value")
	}
	return res.Rows[0][0], nil
}

// batch hands out the changes released since the last Read.
func (s *stream) batch(txns int) *connectors.ChangeBatch {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := &connectors.ChangeBatch{Position: s.received.String(), CommitTime: s.lastCommit, Transactions: txns}
	for k, st := range s.tables {
		if st.reportShape {
			b.Tables = append(b.Tables, connectors.TableChanges{Schema: st.ref.Schema, Table: st.ref.Table, Reshaped: true, Truncated: st.truncated, Changes: st.take()})
			st.reportShape, st.truncated = false, false
			delete(s.ready, k)
			continue
		}
		if !s.ready[k] {
			continue
		}
		b.Tables = append(b.Tables, connectors.TableChanges{Schema: st.ref.Schema, Table: st.ref.Table, Truncated: st.truncated, Changes: st.take()})
		st.truncated = false
		delete(s.ready, k)
	}
	return b
}

// take returns the builder's rows (nil when none) and starts anew.
func (st *streamTable) take() arrow.RecordBatch {
	if st.rb == nil || st.rows == 0 {
		return nil
	}
	st.rows = 0
	return st.rb.NewRecordBatch()
}

// Confirm reports position as flushed to the server, held back before
// any transaction still held in memory.
func (s *stream) Confirm(ctx context.Context, position string) error {
	pos, err := pglogrepl.ParseLSN(position)
	if err != nil {
		return fmt.Errorf("cdc: position %q: %w", position, err)
	}
	s.mu.Lock()
	for _, h := range s.heldLocked() {
		if h <= pos {
			pos = h - 1
		}
	}
	if pos > s.confirmed {
		s.confirmed = pos
	}
	s.mu.Unlock()
	return nil
}

// statusIfDue sends a standby status update every 10 s (or now).
func (s *stream) statusIfDue(ctx context.Context, now bool) error {
	if !now && time.Since(s.lastStatus) < 10*time.Second {
		return nil
	}
	s.mu.Lock()
	pos := s.confirmed
	s.mu.Unlock()
	if err := pglogrepl.SendStandbyStatusUpdate(ctx, s.conn, pglogrepl.StandbyStatusUpdate{WALWritePosition: pos, WALFlushPosition: pos, WALApplyPosition: pos}); err != nil {
		return fmt.Errorf("cdc: status update on slot %s: %w", s.name, err)
	}
	s.lastStatus = time.Now()
	return nil
}

// Compare orders two LSNs.
func (s *stream) Compare(a, b string) (int, error) {
	x, err := pglogrepl.ParseLSN(a)
	if err != nil {
		return 0, err
	}
	y, err := pglogrepl.ParseLSN(b)
	if err != nil {
		return 0, err
	}
	return cmp.Compare(x, y), nil
}

// Status reports the stream's progress.
func (s *stream) Status() connectors.StreamStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	lag := int64(-1)
	if s.serverEnd > 0 {
		lag = max(int64(s.serverEnd)-int64(s.received), 0)
	}
	return connectors.StreamStatus{Received: s.received.String(), Confirmed: s.confirmed.String(), LagBytes: lag, LastCommit: s.lastCommit, Created: s.created}
}

// Close ends the stream, telling the server the confirmed position first.
func (s *stream) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.statusIfDue(ctx, true)
	s.mu.Lock()
	for _, st := range s.tables {
		st.release()
	}
	s.mu.Unlock()
	return s.conn.Close(ctx)
}

// copyTuple copies a tuple out of the message buffer the next receive
// reuses.
func copyTuple(t *pglogrepl.TupleData) *pglogrepl.TupleData {
	if t == nil {
		return nil
	}
	out := &pglogrepl.TupleData{ColumnNum: t.ColumnNum, Columns: make([]*pglogrepl.TupleDataColumn, len(t.Columns))}
	for i, c := range t.Columns {
		out.Columns[i] = &pglogrepl.TupleDataColumn{DataType: c.DataType, Length: c.Length, Data: append([]byte(nil), c.Data...)}
	}
	return out
}
