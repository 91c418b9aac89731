package mysql

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"crypto/tls"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	gomysql "github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"

	"github.com/hotdata-dev/hotdata/connectors"
)

// stream is a running binlog stream (cdc.go). Read's goroutine owns the
// syncer; mu guards the rest.
type stream struct {
	c    *Connector
	name string
	info serverInfo

	syncer   *replication.BinlogSyncer
	streamer *replication.BinlogStreamer

	mu     sync.Mutex
	tables map[string]*streamTable // by schema + "." + table
	file   string                  // the binlog file being read
	gtids  map[uint32]string       // MariaDB: the GTID position read so far, by domain
	txn    *txnState               // the event group being received
	// inPayload is the header of the compressed transaction whose events
	// are being handled; payloadRows counts their rows.
	inPayload   *replication.EventHeader
	payloadRows int64
	// prepared are the changes of prepared XA transactions, by xid.
	prepared map[string]*txnState
	// received is the end of the last event group read; confirmed the
	// last position confirmed; serverEnd the server's own, as of lagAt.
	received, confirmed, serverEnd binlogPos
	lagBytes                       int64
	lagAt                          time.Time
	lastCommit                     time.Time
	ready                          map[string]bool
}

// streamTable is one table of a stream.
type streamTable struct {
	ref       connectors.StreamTable
	trackedAt binlogPos          // the server's position when tracked: held from there
	scanned   map[binlogPos]bool // the positions of the table's SnapshotScans
	active    bool
	after     binlogPos // active: groups ending at or before it are in the snapshot
	held      []heldTxn // tracked, not yet active

	// As of Activate: the upstream columns in order, how each is read,
	// and the change batch being built.
	cols    []column
	convs   []valueConv // by upstream column
	fieldOf []int       // upstream column → field index, -1 when not cached
	key     []int       // upstream columns of the key
	fields  []arrow.Field
	plans   []plan // by field
	rb      *array.RecordBuilder
	dec     []decodeFunc // by field
	rows    int

	// reshaped: the table changed upstream (DDL, columns that no longer
	// match); it waits to be read again. reportShape: tell Read's caller.
	reshaped, reportShape, truncated bool
}

// rawChange is one row change (or a table-level event) as received.
type rawChange struct {
	op  byte // 'I', 'U', 'D'; 'T' truncate; 'S' the table's definition changed
	seq int64
	tm  *replication.TableMapEvent
	row []any // the new row (I, U) or the old (D)
	old []any // U: the old row
}

type heldTxn struct {
	commit  binlogPos
	changes []rawChange
}

type txnState struct {
	changes map[string][]rawChange // by table
	start   binlogPos              // where its group began: the previous group's end
}

func newStream(c *Connector, name string, info serverInfo) *stream {
	return &stream{c: c, name: name, info: info, tables: map[string]*streamTable{}, ready: map[string]bool{}, gtids: map[uint32]string{}, lagBytes: -1}
}

func tableKeyOf(schema, table string) string { return schema + "." + table }

// Captured lists the tracked tables: the binary log carries every
// table's changes, and a table dropped and made again is noticed from
// its DDL in the log.
func (s *stream) Captured(context.Context) ([][2]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][2]string, 0, len(s.tables))
	for _, st := range s.tables {
		out = append(out, [2]string{st.ref.Schema, st.ref.Table})
	}
	return out, nil
}

// Retain stops tracking every table but those kept.
func (s *stream) Retain(ctx context.Context, keep [][2]string) error {
	want := map[string]bool{}
	for _, k := range keep {
		want[tableKeyOf(k[0], k[1])] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, st := range s.tables {
		if !want[k] {
			st.release()
			delete(s.tables, k)
		}
	}
	return nil
}

// Track holds the table's changes from the server's current position.
// It reports true: the log carries every table, so a snapshot's
// position resumes as long as the server still has the log there
// (Activate checks).
func (s *stream) Track(ctx context.Context, t connectors.StreamTable) (bool, error) {
	if len(t.Key) == 0 {
		return false, fmt.Errorf("%w: %s.%s has no primary key: changes cannot be applied by key", connectors.ErrCDCUnsupported, t.Schema, t.Table)
	}
	if _, err := s.c.streamColumns(ctx, t.Schema, t.Table); err != nil {
		return false, err
	}
	pos, err := s.c.masterStatus(ctx, s.c.db)
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := tableKeyOf(t.Schema, t.Table)
	if st := s.tables[k]; st != nil {
		// Tracked again (read again): hold from now on.
		st.release()
		st.active, st.reshaped, st.reportShape, st.truncated, st.held = false, false, false, false, nil
		st.ref, st.trackedAt = t, pos
		return false, nil
	}
	s.tables[k] = &streamTable{ref: t, trackedAt: pos}
	return true, nil
}

// Untrack stops holding the table's changes.
func (s *stream) Untrack(ctx context.Context, schema, table string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.tables[tableKeyOf(schema, table)]; st != nil {
		st.release()
		delete(s.tables, tableKeyOf(schema, table))
		delete(s.ready, tableKeyOf(schema, table))
	}
	return nil
}

// SnapshotScan scans the table in a transaction consistent with a
// binlog position.
func (s *stream) SnapshotScan(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, string, error) {
	if req.Schema == "" {
		req.Schema = s.c.cfg.Database
	}
	s.mu.Lock()
	var tracked binlogPos
	if st := s.tables[tableKeyOf(req.Schema, req.Table)]; st != nil {
		tracked = st.trackedAt
	}
	s.mu.Unlock()
	for attempt := 0; ; attempt++ {
		var pos binlogPos
		sc, err := s.c.startScan(ctx, req, &snapshotAt{mariadb: s.info.mariadb, pos: &pos})
		if err != nil {
			return nil, "", fmt.Errorf("scan %s.%s: %w", req.Schema, req.Table, err)
		}
		if tracked.file != "" && pos.compare(tracked) < 0 {
			// A transaction already in the log when the table was tracked
			// had not committed in the engine when the snapshot began: it
			// is in neither the snapshot nor the changes held. Again, once
			// it has.
			sc.Release()
			if attempt >= 100 {
				return nil, "", fmt.Errorf("scan %s.%s: the snapshot's binlog position %s stays behind %s", req.Schema, req.Table, pos, tracked)
			}
			select {
			case <-ctx.Done():
				return nil, "", ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
			continue
		}
		if pos, err = s.c.withCheck(ctx, s.info, pos); err != nil {
			sc.Release()
			return nil, "", err
		}
		s.mu.Lock()
		if st := s.tables[tableKeyOf(req.Schema, req.Table)]; st != nil {
			if st.scanned == nil {
				st.scanned = map[binlogPos]bool{}
			}
			st.scanned[pos] = true
		}
		s.mu.Unlock()
		return sc, pos.String(), nil
	}
}

// Activate releases the table's changes in event groups that end after
// position. A position the server can no longer stream from (purged,
// reset, another server) is an error: the caller reads the table again.
func (s *stream) Activate(t connectors.StreamTable, position string) error {
	pos, err := parsePos(position)
	if err != nil {
		return fmt.Errorf("cdc: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cols, err := s.c.streamColumns(ctx, t.Schema, t.Table)
	if err != nil {
		return err
	}
	s.mu.Lock()
	st := s.tables[tableKeyOf(t.Schema, t.Table)]
	started := s.syncer != nil
	from := s.received
	s.mu.Unlock()
	if st == nil {
		return fmt.Errorf("cdc: %s.%s is not tracked", t.Schema, t.Table)
	}
	if started && pos.compare(from) < 0 && pos.compare(st.trackedAt) < 0 {
		return fmt.Errorf("cdc: %s.%s: position %s is behind the stream (%s)", t.Schema, t.Table, pos, from)
	}
	s.mu.Lock()
	scanned := st.scanned[pos]
	s.mu.Unlock()
	if !scanned {
		// A resume from an earlier snapshot: the server must still have
		// the log from there, it must be the same log (not reset, not
		// another server's), and the table must still have the columns,
		// in the order and of the types, the snapshot was read with (the
		// log's rows name no columns: they are read by position).
		if err := s.c.stillThere(ctx, s.info, pos); err != nil {
			return fmt.Errorf("cdc: %s.%s cannot resume: %w", t.Schema, t.Table, err)
		}
		if err := sameLayout(t.Fields, cols); err != nil {
			return fmt.Errorf("cdc: %s.%s cannot resume: %w", t.Schema, t.Table, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tables[tableKeyOf(t.Schema, t.Table)] != st {
		return fmt.Errorf("cdc: %s.%s is not tracked", t.Schema, t.Table)
	}
	if err := st.setup(t, cols); err != nil {
		// The table changed upstream since it was read (a column
		// retyped, dropped): it is read again.
		st.release()
		st.active, st.reshaped, st.reportShape, st.held = false, true, true, nil
		return nil
	}
	st.active, st.after, st.reshaped = true, pos, false
	held := st.held
	st.held = nil
	for _, h := range held {
		if h.commit.compare(pos) <= 0 {
			continue
		}
		if err := s.applyLocked(tableKeyOf(t.Schema, t.Table), st, h.changes); err != nil {
			return err
		}
		if !st.active {
			break // reshaped: read again
		}
	}
	return nil
}

// startAt is where reading starts: the earliest position a table needs.
func (s *stream) startAt() binlogPos {
	var from binlogPos
	for _, st := range s.tables {
		p := st.trackedAt
		if st.active && st.after.compare(p) < 0 {
			p = st.after
		}
		if from.file == "" || p.compare(from) < 0 {
			from = p
		}
	}
	return from
}

// start connects as a replica and starts reading at the earliest
// position the tables need (the server's current one when none).
func (s *stream) start(ctx context.Context) error {
	s.mu.Lock()
	from := s.startAt()
	s.mu.Unlock()
	if from.file == "" {
		p, err := s.c.masterStatus(ctx, s.c.db)
		if err != nil {
			return err
		}
		from = p
	}
	from.check = ""
	if s.info.mariadb {
		g, err := s.c.gtidCheck(ctx, s.c.db, from)
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.gtids = map[uint32]string{}
		for _, part := range strings.Split(g, ",") {
			if d, _, ok := strings.Cut(part, "-"); ok {
				if n, err := strconv.ParseUint(d, 10, 32); err == nil {
					s.gtids[uint32(n)] = part
				}
			}
		}
		s.mu.Unlock()
	}
	cfg, err := s.c.syncerConfig(s.name, s.info)
	if err != nil {
		return err
	}
	syncer := replication.NewBinlogSyncer(cfg)
	streamer, err := syncer.StartSync(gomysql.Position{Name: from.file, Pos: from.pos})
	if err != nil {
		syncer.Close()
		return fmt.Errorf("cdc: read the binary log from %s: %w", from, err)
	}
	s.mu.Lock()
	s.syncer, s.streamer, s.file = syncer, streamer, from.file
	s.received = s.checked(from)
	if s.confirmed.file == "" {
		s.confirmed = s.received
	}
	s.mu.Unlock()
	return nil
}

// checked fills a position's check from what was read; s.mu is held.
func (s *stream) checked(p binlogPos) binlogPos {
	if !s.info.mariadb {
		p.check = s.info.uuid
		return p
	}
	parts := make([]string, 0, len(s.gtids))
	for _, g := range s.gtids {
		parts = append(parts, g)
	}
	p.check = normalGTIDs(strings.Join(parts, ","))
	if p.check == "" {
		p.check = "-"
	}
	return p
}

// syncerConfig is the replica connection's config: the connector's
// address, user, TLS and dialer (its egress rules and public key guard).
func (c *Connector) syncerConfig(name string, info serverInfo) (replication.BinlogSyncerConfig, error) {
	flavor := gomysql.MySQLFlavor
	if info.mariadb {
		flavor = gomysql.MariaDBFlavor
	}
	cfg := replication.BinlogSyncerConfig{
		ServerID:                replicaID(name),
		Flavor:                  flavor,
		Host:                    c.cfg.Host,
		Port:                    uint16(c.cfg.Port),
		User:                    c.cfg.User,
		Password:                c.password,
		Localhost:               "hotdata",
		Charset:                 "utf8mb4",
		TimestampStringLocation: time.UTC,
		HeartbeatPeriod:         time.Second,
		ReadTimeout:             30 * time.Second,
		DisableRetrySync:        true, // a failed stream is reopened by its owner, from kept positions
		RowsEventDecodeFunc:     decodeRows,
		Logger:                  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return c.conns.dial(ctx, network, addr)
		},
	}
	switch c.cfg.TLS {
	case "required":
		cfg.TLSConfig = &tls.Config{ServerName: c.cfg.Host, MinVersion: tls.VersionTLS12}
	case "skip-verify", "preferred":
		// preferred: the replica connection cannot fall back to plain
		// text on its own; it tries TLS, unverified, as the pool's
		// connections do when the server offers it (see replicaTLS).
		cfg.TLSConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the user's setting
	}
	if c.cfg.TLS == "preferred" && !c.offersTLS() {
		cfg.TLSConfig = nil
	}
	return cfg, nil
}

// offersTLS reports whether the pool's connections use TLS (tls
// preferred: the server offered it).
func (c *Connector) offersTLS() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var name, cipher string
	if err := c.db.QueryRowContext(ctx, "SHOW SESSION STATUS LIKE 'Ssl_cipher'").Scan(&name, &cipher); err != nil {
		return false
	}
	return cipher != ""
}

// Read receives event groups: see connectors.Stream.
func (s *stream) Read(ctx context.Context, maxWait time.Duration, maxRows int) (*connectors.ChangeBatch, error) {
	if s.syncer == nil {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	s.lagIfDue(ctx)
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
		rctx, cancel := context.WithTimeout(ctx, wait)
		ev, err := s.streamer.GetEvent(rctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, context.DeadlineExceeded) {
				if pace.TimedOut(s.txn != nil) {
					drained = time.Now()
					break
				}
				continue
			}
			return nil, fmt.Errorf("cdc: binary log: %w", s.c.explainStreamErr(err))
		}
		n, committed, err := s.handle(ev)
		if err != nil {
			return nil, err
		}
		pace.Rows += n
		if committed {
			pace.Txns++
		}
	}
	b := s.batch(pace.Txns)
	b.Drained = drained
	return b, nil
}

// explainStreamErr names what a replica connection's errors mean.
func (c *Connector) explainStreamErr(err error) error {
	var me *gomysql.MyError
	if errors.As(err, &me) {
		switch me.Code {
		case 1236: // ER_MASTER_FATAL_ERROR_READING_BINLOG
			return fmt.Errorf("the server cannot send its binary log from the position needed (purged?): %s", me.Message)
		case 1227, 1045, 1044:
			return fmt.Errorf("%w: user %q may not read the binary log as a replica (grant REPLICATION SLAVE): %s", connectors.ErrCDCUnsupported, c.cfg.User, me.Message)
		}
	}
	return err
}

// handle processes one event; it returns the changes it released and
// whether an event group ended.
func (s *stream) handle(ev *replication.BinlogEvent) (int, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := ev.Event.(*replication.TransactionPayloadEvent); ok {
		// MySQL's compressed transaction (binlog_transaction_compression):
		// its events, at the payload's place in the log.
		s.inPayload, s.payloadRows = ev.Header, 0
		defer func() { s.inPayload = nil }()
		n, committed := 0, false
		for _, inner := range p.Events {
			k, c, err := s.handleLocked(inner)
			n += k
			committed = committed || c
			if err != nil {
				return n, committed, err
			}
		}
		return n, committed, nil
	}
	return s.handleLocked(ev)
}

// handleLocked processes one event; s.mu is held.
func (s *stream) handleLocked(ev *replication.BinlogEvent) (int, bool, error) {
	h := ev.Header
	if s.inPayload != nil {
		h = s.inPayload
	}
	switch e := ev.Event.(type) {
	case *replication.RotateEvent:
		s.file = string(e.NextLogName)
		if h.LogPos != 0 && s.txn == nil {
			// A real rotation (not the one a dump starts with): nothing
			// more is in the old file, the stream is at the new one's
			// start — a position idle tables may resume at once the old
			// file is purged.
			s.received = s.checked(binlogPos{file: s.file, pos: uint32(e.Position)})
		}
		return 0, false, nil
	case *replication.MariadbGTIDEvent:
		s.gtids[e.GTID.DomainID] = fmt.Sprintf("%d-%d-%d", e.GTID.DomainID, e.GTID.ServerID, e.GTID.SequenceNumber)
		if !e.IsStandalone() {
			s.txn = &txnState{changes: map[string][]rawChange{}, start: s.received}
		}
		return 0, false, nil
	case *replication.GenericEvent:
		if h.EventType == replication.XA_PREPARE_LOG_EVENT || ev.Header.EventType == replication.XA_PREPARE_LOG_EVENT {
			s.prepareXA(e.Data)
		}
		return 0, false, nil
	case *replication.QueryEvent:
		q := strings.TrimSpace(string(e.Query))
		if m := xaEnd.FindStringSubmatch(q); m != nil {
			return s.endXA(m, h)
		}
		switch strings.ToUpper(q) {
		case "BEGIN", "START TRANSACTION":
			if s.txn == nil {
				s.txn = &txnState{changes: map[string][]rawChange{}, start: s.received}
			}
			return 0, false, nil
		case "COMMIT", "ROLLBACK":
			// A ROLLBACK in the log ends a group whose non-transactional
			// changes stayed.
			return s.commit(h)
		}
		s.statement(string(e.Schema), q, h)
		if s.txn == nil {
			return 0, false, nil
		}
		// A DDL statement is its own group (MariaDB marks it standalone;
		// MySQL logs it without BEGIN).
		if isDDL(q) {
			return s.commit(h)
		}
		return 0, false, nil
	case *replication.XIDEvent:
		return s.commit(h)
	case *replication.RowsEvent:
		s.rows(h, ev.Header.EventType, e)
	}
	return 0, false, nil
}

// commit ends the event group at h: its changes go to their tables.
func (s *stream) commit(h *replication.EventHeader) (int, bool, error) {
	txn := s.txn
	s.txn = nil
	end := s.checked(binlogPos{file: s.file, pos: h.LogPos})
	s.received = end
	s.lastCommit = time.Unix(int64(h.Timestamp), 0)
	if txn == nil {
		return 0, true, nil
	}
	n := 0
	for k, changes := range txn.changes {
		st := s.tables[k]
		if st == nil {
			continue
		}
		switch {
		case st.active && end.compare(st.after) > 0:
			if err := s.applyLocked(k, st, changes); err != nil {
				return n, true, err
			}
			n += len(changes)
		case !st.active && !st.reshaped && end.compare(st.trackedAt) > 0:
			st.held = append(st.held, heldTxn{commit: end, changes: changes})
		}
	}
	return n, true, nil
}

// XA transactions. A prepared XA transaction's group ends with an
// XA_PREPARE event; its changes wait, by xid, for the XA COMMIT (applied
// then, at its place in the log) or XA ROLLBACK (dropped) logged later
// as a group of its own. An XA COMMIT whose prepare the stream did not
// see (it resumed past it) sends every table back to be read again.

// xaEnd matches the statement that ends a prepared XA transaction, as the
// server logs it: XA COMMIT X'gtrid',X'bqual',formatID.
var xaEnd = regexp.MustCompile(`(?is)^XA\s+(COMMIT|ROLLBACK)\s+(.*?)\s*;?\s*$`)

// xaKey names an XA transaction: its gtrid, bqual and format id.
func xaKey(gtrid, bqual []byte, format int64) string {
	return fmt.Sprintf("%x,%x,%d", gtrid, bqual, format)
}

// xaIDText reads an xid as the server logs it: X'hex',X'hex',n (the
// last two optional), or quoted strings.
func xaIDText(s string) (string, bool) {
	var parts [][]byte
	format := int64(1)
	for i, raw := range strings.Split(s, ",") {
		raw = strings.TrimSpace(raw)
		if i == 2 {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return "", false
			}
			format = n
			continue
		}
		switch {
		case len(raw) >= 3 && (raw[0] == 'X' || raw[0] == 'x') && raw[1] == '\'' && raw[len(raw)-1] == '\'':
			b, err := hex.DecodeString(raw[2 : len(raw)-1])
			if err != nil {
				return "", false
			}
			parts = append(parts, b)
		case len(raw) >= 2 && raw[0] == '\'' && raw[len(raw)-1] == '\'':
			parts = append(parts, []byte(strings.ReplaceAll(raw[1:len(raw)-1], "''", "'")))
		default:
			return "", false
		}
	}
	if len(parts) == 0 || len(parts) > 2 {
		return "", false
	}
	if len(parts) == 1 {
		parts = append(parts, nil)
	}
	return xaKey(parts[0], parts[1], format), true
}

// prepareXA ends a prepared XA transaction's group: its changes wait.
func (s *stream) prepareXA(data []byte) {
	txn := s.txn
	s.txn = nil
	if len(data) < 13 {
		return
	}
	format := int64(int32(binary.LittleEndian.Uint32(data[1:5])))
	gl, bl := int(binary.LittleEndian.Uint32(data[5:9])), int(binary.LittleEndian.Uint32(data[9:13]))
	if gl < 0 || bl < 0 || 13+gl+bl > len(data) {
		return
	}
	if txn == nil {
		txn = &txnState{changes: map[string][]rawChange{}, start: s.received}
	}
	if s.prepared == nil {
		s.prepared = map[string]*txnState{}
	}
	s.prepared[xaKey(data[13:13+gl], data[13+gl:13+gl+bl], format)] = txn
}

// endXA applies (COMMIT) or drops (ROLLBACK) a prepared XA transaction.
func (s *stream) endXA(m []string, h *replication.EventHeader) (int, bool, error) {
	key, ok := xaIDText(m[2])
	txn := s.prepared[key]
	delete(s.prepared, key)
	if strings.EqualFold(m[1], "ROLLBACK") {
		if ok {
			return s.commit(h) // nothing of it stays
		}
	} else if ok && txn != nil {
		s.txn = txn
		return s.commit(h)
	}
	// Committed, but its changes were not seen (prepared before the
	// position the stream resumed at), or its xid unreadable: every
	// table is read again rather than left without them.
	seq := seqOf(binlogPos{file: s.file, pos: h.LogPos - h.EventSize}, h.LogPos-h.EventSize, 0)
	for k := range s.tables {
		s.add(k, rawChange{op: 'S', seq: seq})
	}
	return s.commit(h)
}

// add records a change of the group being received; s.mu is held.
func (s *stream) add(k string, ch rawChange) {
	if s.txn == nil {
		// A change outside a group (a DDL statement MySQL logs alone):
		// a group of its own, committed by the caller.
		s.txn = &txnState{changes: map[string][]rawChange{}, start: s.received}
	}
	s.txn.changes[k] = append(s.txn.changes[k], ch)
}

// rows records a rows event of a tracked table.
func (s *stream) rows(h *replication.EventHeader, typ replication.EventType, e *replication.RowsEvent) {
	if e.Table == nil {
		return
	}
	k := tableKeyOf(string(e.Table.Schema), string(e.Table.Table))
	if s.tables[k] == nil {
		return
	}
	start := binlogPos{file: s.file, pos: h.LogPos - h.EventSize}
	base := seqOf(start, start.pos, 0)
	for _, skipped := range e.SkippedColumns {
		if len(skipped) > 0 {
			// A partial row image (a session's binlog_row_image MINIMAL or
			// NOBLOB): the row cannot be applied whole; read it again.
			s.add(k, rawChange{op: 'S', seq: base})
			return
		}
	}
	if s.inPayload != nil {
		// Events of one payload share its place: their rows count on.
		base += s.payloadRows
		s.payloadRows += int64(2 * len(e.Rows))
	}
	switch typ {
	case replication.WRITE_ROWS_EVENTv0, replication.WRITE_ROWS_EVENTv1, replication.WRITE_ROWS_EVENTv2, replication.MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1:
		for i, r := range e.Rows {
			s.add(k, rawChange{op: 'I', seq: base + int64(2*i), tm: e.Table, row: r})
		}
	case replication.DELETE_ROWS_EVENTv0, replication.DELETE_ROWS_EVENTv1, replication.DELETE_ROWS_EVENTv2, replication.MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1:
		for i, r := range e.Rows {
			s.add(k, rawChange{op: 'D', seq: base + int64(2*i), tm: e.Table, row: r})
		}
	case replication.UPDATE_ROWS_EVENTv0, replication.UPDATE_ROWS_EVENTv1, replication.UPDATE_ROWS_EVENTv2, replication.MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1, replication.PARTIAL_UPDATE_ROWS_EVENT:
		for i := 0; i+1 < len(e.Rows); i += 2 {
			s.add(k, rawChange{op: 'U', seq: base + int64(i), tm: e.Table, old: e.Rows[i], row: e.Rows[i+1]})
		}
	}
}

// truncateStmt and dropDatabase find the statements that empty a table
// or drop a database (the name follows the match).
var (
	truncateStmt = regexp.MustCompile("(?is)^truncate\\s+(?:table\\s+)?")
	dropDatabase = regexp.MustCompile("(?is)^drop\\s+(?:database|schema)\\s+(?:if\\s+exists\\s+)?")
	identToken   = regexp.MustCompile("`(?:[^`]|``)*`|[\\p{L}\\p{N}_$]+")
)

// ddlWords start the statements that change a table's definition;
// dmlWords those that change rows (logged as statements when a session
// sets binlog_format = STATEMENT, or MIXED finds them safe).
var (
	ddlWords = []string{"alter", "drop", "rename", "create", "truncate"}
	dmlWords = []string{"insert", "update", "delete", "replace", "load"}
)

// startsWith reports whether a statement starts with one of words.
func startsWith(q string, words []string) bool {
	q = strings.ToLower(stripComments(q))
	for _, w := range words {
		if strings.HasPrefix(q, w) && (len(q) == len(w) || !isIdentByte(q[len(w)])) {
			return true
		}
	}
	return false
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// isDDL reports whether a statement is one that changes definitions.
func isDDL(q string) bool { return startsWith(q, ddlWords) }

// stripComments drops leading comments and space.
func stripComments(q string) string {
	for {
		q = strings.TrimSpace(q)
		switch {
		case strings.HasPrefix(q, "/*") && !strings.HasPrefix(q, "/*!"):
			if i := strings.Index(q, "*/"); i >= 0 {
				q = q[i+2:]
				continue
			}
		case strings.HasPrefix(q, "#") || strings.HasPrefix(q, "-- "):
			if i := strings.IndexByte(q, '\n'); i >= 0 {
				q = q[i+1:]
				continue
			}
		}
		return q
	}
}

// statement records what a logged statement does to tracked tables:
// TRUNCATE empties one; another DDL statement that names a tracked
// table (or drops its database), or a row change logged as a statement
// (its rows are not in the log), sends it to be read again. Naming is
// matched loosely (any identifier equal to the table's name, in any
// case): a false match costs a read, a missed one a wrong answer.
func (s *stream) statement(schema, q string, h *replication.EventHeader) {
	ddl := isDDL(q)
	if !ddl && !startsWith(q, dmlWords) {
		return
	}
	body := stripComments(q)
	seq := seqOf(binlogPos{file: s.file, pos: h.LogPos - h.EventSize}, h.LogPos-h.EventSize, 0)
	if m := truncateStmt.FindStringIndex(body); m != nil {
		db, table := leadingName(body[m[1]:], schema)
		for k, st := range s.tables {
			if strings.EqualFold(st.ref.Schema, db) && strings.EqualFold(st.ref.Table, table) {
				s.add(k, rawChange{op: 'T', seq: seq})
			}
		}
		return
	}
	if m := dropDatabase.FindStringIndex(body); m != nil {
		_, db := leadingName(body[m[1]:], "")
		for k, st := range s.tables {
			if strings.EqualFold(st.ref.Schema, db) {
				s.add(k, rawChange{op: 'S', seq: seq})
			}
		}
		return
	}
	names := map[string]bool{}
	for _, tok := range identToken.FindAllString(body, -1) {
		names[strings.ToLower(unquote(tok))] = true
	}
	for k, st := range s.tables {
		if names[strings.ToLower(st.ref.Table)] {
			s.add(k, rawChange{op: 'S', seq: seq})
		}
	}
}

// leadingName reads the name a statement's rest starts with: "db.table",
// "`db`.`table`" or "table" (in schema); with schema "", the first name.
func leadingName(rest, schema string) (string, string) {
	first := identToken.FindStringIndex(rest)
	if first == nil || first[0] != 0 {
		return schema, ""
	}
	a := unquote(rest[:first[1]])
	after := strings.TrimLeft(rest[first[1]:], " \t\r\n")
	if schema == "" || !strings.HasPrefix(after, ".") {
		return schema, a
	}
	after = strings.TrimLeft(after[1:], " \t\r\n")
	second := identToken.FindStringIndex(after)
	if second == nil || second[0] != 0 {
		return schema, a
	}
	return a, unquote(after[:second[1]])
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		return strings.ReplaceAll(s[1:len(s)-1], "``", "`")
	}
	return s
}

// applyLocked decodes a group's changes of one table into its batch;
// s.mu is held.
func (s *stream) applyLocked(k string, st *streamTable, changes []rawChange) error {
	for _, ch := range changes {
		switch ch.op {
		case 'T':
			st.resetBatch()
			st.truncated = true
			s.ready[k] = true
			continue
		case 'S':
			s.reread(k, st)
			return nil
		}
		if !st.fits(ch.tm) {
			s.reread(k, st)
			return nil
		}
		var err error
		switch ch.op {
		case 'I':
			err = st.appendRow(ch.row, 'I', ch.seq)
		case 'D':
			err = st.appendKey(ch.row, ch.seq)
		case 'U':
			if st.keyChanged(ch.old, ch.row) {
				if err = st.appendKey(ch.old, ch.seq); err == nil {
					err = st.appendRow(ch.row, 'I', ch.seq+1)
				}
			} else {
				err = st.appendRow(ch.row, 'U', ch.seq+1)
			}
		}
		if err != nil {
			var u *unheldError
			if errors.As(err, &u) {
				// A value its cached form cannot hold: read again (the
				// read takes the column as text).
				s.reread(k, st)
				return nil
			}
			return err
		}
	}
	s.ready[k] = true
	return nil
}

// reread sends a table back to be read again: what its batch holds is
// dropped, and it holds nothing until tracked again; s.mu is held.
func (s *stream) reread(k string, st *streamTable) {
	st.resetBatch()
	st.active, st.reshaped, st.reportShape, st.truncated, st.held = false, true, true, false, nil
	delete(s.ready, k)
}

// batch hands out the changes released since the last Read.
func (s *stream) batch(txns int) *connectors.ChangeBatch {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Not past a prepared XA transaction: a restart must see its
	// prepare again to apply it at its commit (what is replayed before
	// is applied again, by key, to the same rows).
	pos := s.received
	for _, txn := range s.prepared {
		if txn.start.file != "" && txn.start.compare(pos) < 0 {
			pos = txn.start
		}
	}
	b := &connectors.ChangeBatch{Position: pos.String(), CommitTime: s.lastCommit, Transactions: txns}
	for k, st := range s.tables {
		if st.reportShape {
			b.Tables = append(b.Tables, connectors.TableChanges{Schema: st.ref.Schema, Table: st.ref.Table, Reshaped: true})
			st.reportShape = false
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

// Confirm records that every change up to position is kept. Nothing is
// sent upstream: the server keeps its log for its own retention time.
func (s *stream) Confirm(ctx context.Context, position string) error {
	pos, err := parsePos(position)
	if err != nil {
		return fmt.Errorf("cdc: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.confirmed.file == "" || pos.compare(s.confirmed) > 0 {
		s.confirmed = pos
	}
	return nil
}

// lagIfDue measures, every few seconds, how many bytes of log the
// server has written past what was read.
func (s *stream) lagIfDue(ctx context.Context) {
	s.mu.Lock()
	due := time.Since(s.lagAt) >= 2*time.Second
	received := s.received
	s.mu.Unlock()
	if !due {
		return
	}
	lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	lag, end, err := s.c.bytesBehind(lctx, received)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lagAt = time.Now()
	if err != nil {
		s.lagBytes = -1
		return
	}
	s.lagBytes, s.serverEnd = lag, end
}

// Compare orders two binlog positions.
func (s *stream) Compare(a, b string) (int, error) {
	x, err := parsePos(a)
	if err != nil {
		return 0, err
	}
	y, err := parsePos(b)
	if err != nil {
		return 0, err
	}
	return x.compare(y), nil
}

// Status reports the stream's progress.
func (s *stream) Status() connectors.StreamStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return connectors.StreamStatus{Received: s.received.String(), Confirmed: s.confirmed.String(), LagBytes: s.lagBytes, LastCommit: s.lastCommit}
}

// Close ends the stream.
func (s *stream) Close() error {
	if s.syncer != nil {
		s.syncer.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.tables {
		st.release()
	}
	return nil
}

// sameLayout says why upstream columns are not the ones, in order and
// of the source types, that a snapshot's fields were read from.
func sameLayout(fields []arrow.Field, upstream []column) error {
	if len(fields) != len(upstream) {
		return fmt.Errorf("it has %d columns upstream, %d when it was read", len(upstream), len(fields))
	}
	for i, f := range fields {
		src, _ := f.Metadata.GetValue(connectors.MetaSourceType)
		if f.Name != upstream[i].name || !strings.EqualFold(src, upstream[i].colType) {
			return fmt.Errorf("column %d is %s %s upstream, %s %s when it was read", i+1, upstream[i].name, upstream[i].colType, f.Name, src)
		}
	}
	return nil
}

// setup prepares a table's change batch for fields, matching them with
// the upstream's columns; s.mu is held.
func (st *streamTable) setup(t connectors.StreamTable, upstream []column) error {
	st.release()
	st.ref, st.fields, st.cols = t, t.Fields, upstream
	byName := map[string]int{}
	for i, f := range t.Fields {
		byName[f.Name] = i
	}
	st.fieldOf = make([]int, len(upstream))
	st.convs = make([]valueConv, len(upstream))
	plans := make([]plan, len(t.Fields))
	found := make([]bool, len(t.Fields))
	for ci, c := range upstream {
		fi, ok := byName[c.name]
		if !ok {
			st.fieldOf[ci] = -1
			continue
		}
		st.fieldOf[ci] = fi
		found[fi] = true
		f := t.Fields[fi]
		held := f.HasMetadata() && f.Metadata.FindKey(connectors.MetaTextHeld) >= 0
		if held {
			plans[fi] = textPlan(c, "")
		} else {
			plans[fi] = planColumn(c)
		}
		if !arrow.TypeEqual(plans[fi].field.Type, f.Type) {
			return fmt.Errorf("cdc: column %s of %s.%s is %s upstream now, cached as %s", f.Name, t.Schema, t.Table, plans[fi].field.Type, f.Type)
		}
		st.convs[ci] = newValueConv(c, held)
	}
	for fi, ok := range found {
		if !ok {
			return fmt.Errorf("cdc: column %s of %s.%s no longer exists upstream", t.Fields[fi].Name, t.Schema, t.Table)
		}
	}
	st.key = st.key[:0]
	for _, k := range t.Key {
		ci := -1
		for i, c := range upstream {
			if c.name == k {
				ci = i
			}
		}
		if ci < 0 || st.fieldOf[ci] < 0 {
			return fmt.Errorf("cdc: key column %s of %s.%s is not cached", k, t.Schema, t.Table)
		}
		st.key = append(st.key, ci)
	}
	st.plans = plans
	st.newBatch(arrow.NewSchema(connectors.ChangeFields(t.Fields), nil))
	return nil
}

// newBatch starts an empty change batch of schema.
func (st *streamTable) newBatch(schema *arrow.Schema) {
	st.rb = array.NewRecordBuilder(memory.DefaultAllocator, schema)
	st.dec = make([]decodeFunc, len(st.plans))
	for i := range st.plans {
		st.dec[i] = newDecoder(st.plans[i], st.rb.Field(i))
	}
	st.rows = 0
}

// resetBatch drops what the table's batch holds (a row left half
// appended by a failed value too).
func (st *streamTable) resetBatch() {
	if st.rb == nil {
		return
	}
	schema := st.rb.Schema()
	st.rb.Release()
	st.newBatch(schema)
}

func (st *streamTable) release() {
	if st.rb != nil {
		st.rb.Release()
		st.rb = nil
	}
}

// take returns the batch's rows (nil when none) and starts anew.
func (st *streamTable) take() arrow.RecordBatch {
	if st.rb == nil || st.rows == 0 {
		return nil
	}
	st.rows = 0
	return st.rb.NewRecordBatch()
}

// fits reports whether a table map still describes the columns the
// table was activated with: their number, their binlog types and, when
// the server logs them (binlog_row_metadata = FULL), their names.
func (st *streamTable) fits(tm *replication.TableMapEvent) bool {
	if tm == nil || int(tm.ColumnCount) != len(st.cols) || len(tm.ColumnType) != len(st.cols) {
		return false
	}
	for i, c := range st.cols {
		if !binlogTypeFits(c, tm.ColumnType[i], tm.ColumnMeta[i]) {
			return false
		}
		if len(tm.ColumnName) == len(st.cols) && string(tm.ColumnName[i]) != c.name {
			return false
		}
	}
	return true
}

// keyChanged reports whether an update changed the row's key.
func (st *streamTable) keyChanged(old, new []any) bool {
	for _, ci := range st.key {
		if ci >= len(old) || ci >= len(new) {
			return true
		}
		if fmt.Sprint(old[ci]) != fmt.Sprint(new[ci]) {
			return true
		}
	}
	return false
}

// appendRow appends a row's every cached column.
func (st *streamTable) appendRow(row []any, op byte, seq int64) error {
	if len(row) != len(st.cols) {
		return fmt.Errorf("cdc: %s.%s: a row of %d columns, want %d", st.ref.Schema, st.ref.Table, len(row), len(st.cols))
	}
	for ci, v := range row {
		fi := st.fieldOf[ci]
		if fi < 0 {
			continue
		}
		if err := st.appendValue(ci, fi, v); err != nil {
			return err
		}
	}
	st.finish(op, seq)
	return nil
}

// appendKey appends a delete: the key columns, the others NULL.
func (st *streamTable) appendKey(row []any, seq int64) error {
	set := make([]bool, len(st.fields))
	for _, ci := range st.key {
		if ci >= len(row) || row[ci] == nil {
			return fmt.Errorf("cdc: %s.%s: a delete without its key column %s", st.ref.Schema, st.ref.Table, st.cols[ci].name)
		}
	}
	// Builders take values in field order: fill every field.
	vals := make([]any, len(st.fields))
	cis := make([]int, len(st.fields))
	for _, ci := range st.key {
		fi := st.fieldOf[ci]
		vals[fi], cis[fi], set[fi] = row[ci], ci, true
	}
	for fi := range st.fields {
		if !set[fi] {
			st.rb.Field(fi).AppendNull()
			continue
		}
		if err := st.appendValue(cis[fi], fi, vals[fi]); err != nil {
			return err
		}
	}
	st.finish('D', seq)
	return nil
}

func (st *streamTable) appendValue(ci, fi int, v any) error {
	if v == nil {
		st.rb.Field(fi).AppendNull()
		return nil
	}
	text, err := st.convs[ci].text(v)
	if err == nil {
		err = st.dec[fi](text)
	}
	if err != nil {
		return fmt.Errorf("cdc: %s.%s column %s: %w", st.ref.Schema, st.ref.Table, st.cols[ci].name, err)
	}
	return nil
}

func (st *streamTable) finish(op byte, seq int64) {
	n := len(st.fields)
	st.rb.Field(n).(*array.StringBuilder).Append(string(op))
	st.rb.Field(n + 1).(*array.Int64Builder).Append(seq)
	st.rb.Field(n + 2).AppendNull()
	st.rows++
}
