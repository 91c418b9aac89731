package workspace

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Change data capture: the control process keeps the tables whose policy
// is "cdc" fresh from their connection's change stream (connectors.CDC).
//
// cdcRunner owns one goroutine per connection with such tables
// (cdcStream.run). A stream's tables join it consistently (Track, a
// first read as of a stream position, Activate with that position), and
// each batch of changes becomes new snapshots of the tables it touches,
// published together, before the stream is told the changes are kept
// (Confirm). The position each snapshot is as of is its watermark: after
// a restart each table resumes exactly after it. A stream that fails is
// logged as an error, shown in its state and tried again with a growing
// pause; the tables keep serving their last snapshot meanwhile.

// cdcRead bounds a batch of changes: the first transaction is waited for
// up to cdcWait; then what has arrived, up to cdcMaxRows changes.
const (
	cdcWait    = 100 * time.Millisecond
	cdcMaxRows = 50_000
)

// cdcFirstReads bounds the first reads a stream runs at once.
const cdcFirstReads = 2

// cdcRunner runs the change streams.
type cdcRunner struct {
	svc   *Service
	nudge chan struct{}

	mu      sync.Mutex
	streams map[string]*cdcStream // by connection id
}

// CDCTableState is one table of a change stream.
type CDCTableState struct {
	Schema, Table, State, Error string
}

// CDCState is a change stream's state, as REST and SHOW report it.
type CDCState struct {
	ConnectionID string
	Stream       string // the slot and publication name upstream
	// State is starting, running or failed.
	State string
	Error string
	// Connection is the connection's name.
	Connection string
	// Tables are the tables the stream keeps fresh, with their own
	// state: snapshotting (the first read), streaming or failed.
	Tables []CDCTableState
	// Received and Confirmed are the source's positions; LagBytes how far
	// the source is ahead (-1 unknown); LastCommit the commit time of the
	// last transaction received, LastApplied when changes were last
	// published.
	Received, Confirmed string
	LagBytes            int64
	LastCommit          *time.Time
	LastApplied         *time.Time
}

func newCDCRunner(s *Service) *cdcRunner {
	return &cdcRunner{svc: s, nudge: make(chan struct{}, 1), streams: map[string]*cdcStream{}}
}

// poke makes the runner look at the policies now.
func (r *cdcRunner) poke() {
	select {
	case r.nudge <- struct{}{}:
	default:
	}
}

// loop reconciles the running streams with the tables' policies until ctx
// ends, then stops them (their slots stay: a restart resumes).
func (r *cdcRunner) loop(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		r.reconcile(ctx)
		select {
		case <-ctx.Done():
			r.mu.Lock()
			streams := slices.Collect(maps.Values(r.streams))
			r.mu.Unlock()
			for _, st := range streams {
				st.stop()
			}
			return
		case <-t.C:
		case <-r.nudge:
		}
	}
}

// reconcile starts a stream for each connection with cdc tables, tells
// running ones their tables, and stops (dropping the slot of) those left
// without any.
func (r *cdcRunner) reconcile(ctx context.Context) {
	tables, err := r.svc.store.ListScheduledTables(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.svc.log.Warn("cdc: list tables", "err", err)
		}
		return
	}
	byConn := map[string][]metastore.Table{}
	for _, t := range tables {
		if pol, err := cache.ParsePolicy(t.Refresh); err == nil && pol.Kind == cache.PolicyCDC {
			byConn[t.ConnectionID] = append(byConn[t.ConnectionID], t)
		}
	}
	r.mu.Lock()
	var gone []*cdcStream
	for id, st := range r.streams {
		if _, ok := byConn[id]; !ok {
			gone = append(gone, st)
			delete(r.streams, id)
		}
	}
	for id, ts := range byConn {
		st := r.streams[id]
		if st == nil {
			st = &cdcStream{r: r, connID: id, wsID: ts[0].WorkspaceID, name: streamNameFor(id),
				want: make(chan struct{}, 1), rereads: make(chan metastore.Table, 16), done: make(chan struct{}), tables: map[string]*cdcTable{}, state: "starting"}
			sctx, cancel := context.WithCancel(ctx)
			st.cancel = cancel
			r.streams[id] = st
			if !r.svc.goBackground(func(context.Context) { st.run(sctx) }) {
				cancel()
				delete(r.streams, id)
				continue
			}
		}
		st.setWanted(ts)
	}
	r.mu.Unlock()
	for _, st := range gone {
		st.stop()
		st.dropUpstream(ctx)
	}
	r.report()
}

// report updates the change stream metrics.
func (r *cdcRunner) report() {
	byState := map[string]int{}
	var maxLag int64
	r.mu.Lock()
	for _, st := range r.streams {
		s := st.status()
		byState[s.State]++
		if s.State == "running" {
			maxLag = max(maxLag, s.LagBytes)
		}
	}
	r.mu.Unlock()
	metrics.CDCStreams(byState, maxLag)
}

// reread has a table's stream read it again (its cache was purged).
func (r *cdcRunner) reread(t metastore.Table) {
	r.mu.Lock()
	st := r.streams[t.ConnectionID]
	r.mu.Unlock()
	if st == nil {
		return
	}
	select {
	case st.rereads <- t:
	default: // full: the next batch's check reads it again
	}
}

// streamNameFor names a connection's slot and publication upstream.
func streamNameFor(connID string) string {
	var sb strings.Builder
	sb.WriteString("hotdata_")
	for _, c := range strings.ToLower(connID) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' {
			sb.WriteRune(c)
		}
	}
	name := sb.String()
	if len(name) > 63 {
		name = name[:63]
	}
	return name
}

// states lists the streams of a workspace.
func (r *cdcRunner) states(wsID string) []CDCState {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []CDCState
	for _, st := range r.streams {
		if st.wsID == wsID {
			out = append(out, st.status())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ConnectionID < out[j].ConnectionID })
	return out
}

// CDCStreams lists the change streams of a workspace that this process
// runs (viewer).
func (s *Service) CDCStreams(ctx context.Context, p metastore.Principal, ws metastore.Workspace) ([]CDCState, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing change streams"); err != nil {
		return nil, err
	}
	out := s.cdc.states(ws.ID)
	for i := range out {
		if out[i].Connection == "" {
			if c, err := s.store.GetConnection(ctx, ws.ID, out[i].ConnectionID); err == nil {
				out[i].Connection = c.Name
			}
		}
	}
	return out, nil
}

// cdcRows describes a workspace's change streams for SHOW hotdata.cdc:
// one line per table.
func (s *Service) cdcRows(wsID string) [][]string {
	var rows [][]string
	for _, st := range s.cdc.states(wsID) {
		stream := "stream " + st.State
		if st.Error != "" {
			stream += " (" + st.Error + ")"
		}
		lag := "lag unknown"
		if st.LagBytes >= 0 {
			lag = fmt.Sprintf("lag %d bytes", st.LagBytes)
		}
		when := ""
		if st.LastCommit != nil {
			when += ", last commit " + st.LastCommit.UTC().Format(time.RFC3339Nano)
		}
		if st.LastApplied != nil {
			when += ", applied " + st.LastApplied.UTC().Format(time.RFC3339Nano)
		}
		for _, t := range st.Tables {
			state := t.State
			if t.Error != "" {
				state += " (" + t.Error + ")"
			}
			rows = append(rows, []string{fmt.Sprintf("%s.%s.%s: %s; %s, %s%s", st.Connection, t.Schema, t.Table, state, stream, lag, when)})
		}
	}
	return rows
}

// forget stops a connection's stream and drops its slot and publication
// (the connection is being deleted).
func (r *cdcRunner) forget(ctx context.Context, c metastore.Connection) {
	r.mu.Lock()
	st := r.streams[c.ID]
	delete(r.streams, c.ID)
	r.mu.Unlock()
	if st != nil {
		st.stop()
	}
	if st == nil {
		// Not running here: its slot may still exist upstream.
		st = &cdcStream{r: r, connID: c.ID, wsID: c.WorkspaceID, name: streamNameFor(c.ID)}
	}
	st.dropUpstreamWith(ctx, c)
}

// waitActive waits until a table streams (its first read done), or
// ctx ends, or its stream fails.
func (r *cdcRunner) waitActive(ctx context.Context, t metastore.Table) error {
	r.poke()
	for {
		r.mu.Lock()
		st := r.streams[t.ConnectionID]
		r.mu.Unlock()
		if st != nil {
			if done, err := st.tableReady(t.ID); done || err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// cdcStream is one connection's change stream.
type cdcStream struct {
	r      *cdcRunner
	connID string
	wsID   string
	name   string
	cancel context.CancelFunc
	done   chan struct{}
	// want signals a new wanted list (wanted, under mu); rereads are
	// tables to read again (their cache was purged).
	want    chan struct{}
	rereads chan metastore.Table

	mu          sync.Mutex
	wanted      []metastore.Table    // the tables the stream should carry
	tables      map[string]*cdcTable // by table id
	state       string
	err         error
	progress    connectors.StreamStatus // the stream's last reported status
	lastApplied time.Time
	// caughtUp is when the stream last had applied everything the source
	// had sent: its streaming tables are fresh as of then.
	caughtUp time.Time
	// why says, by table id, why a table's next first read is made (its
	// job's warning).
	why map[string]string
	// advanced is when the positions of idle tables last moved on.
	advanced time.Time
	// recheckAt: a table left the stream because it was gone upstream;
	// the connection is discovered again then (rechecks times so far),
	// so that one made again at once comes back.
	recheckAt time.Time
	rechecks  int
}

// cdcRechecks bounds the discoveries after a table went.
const cdcRechecks = 5

// recheck discovers the connection again when a table went upstream a
// moment ago, and has the runner look at the policies: a table made
// again rejoins. The session's goroutine calls it.
func (st *cdcStream) recheck(ctx context.Context) {
	if st.recheckAt.IsZero() || time.Now().Before(st.recheckAt) {
		return
	}
	st.rechecks++
	if st.rechecks < cdcRechecks {
		st.recheckAt = time.Now().Add(time.Duration(1<<st.rechecks) * time.Second)
	} else {
		st.recheckAt = time.Time{}
	}
	s := st.r.svc
	c, err := s.store.GetConnection(ctx, st.wsID, st.connID)
	if err == nil {
		_, err = s.rediscover(ctx, c)
	}
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("cdc: discover the connection again after a table went", "connection", st.connID, "err", err)
		}
		return
	}
	st.r.poke()
}

// Every Config.CDCAdvanceEvery the snapshots of streaming tables that no
// change touched are marked as of the stream's position: after a restart
// they resume there, not where they last changed (a long replay of the
// log, or a full read once the source purged it).

// cdcTable is one table of a stream.
type cdcTable struct {
	t      metastore.Table
	snap   *metastore.Snapshot
	fields []arrow.Field
	// compacting: a compaction of its delta files runs; compactAfter
	// delays the next one after a failure.
	compacting   bool
	compactAfter time.Time
	// retryAt: a table whose first read failed is read again then.
	retryAt time.Time
	// state: snapshotting (first read running), streaming.
	state string
	err   error
}

// failTable shows a table the stream cannot carry as failed, with why;
// the stream's other tables go on.
func (st *cdcStream) failTable(t metastore.Table, err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.tables[t.ID] = &cdcTable{t: t, state: "failed", err: err}
}

// noteWhy records why a table's next first read is made.
func (st *cdcStream) noteWhy(id, why string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.why == nil {
		st.why = map[string]string{}
	}
	st.why[id] = why
}

func (st *cdcStream) setWanted(ts []metastore.Table) {
	st.mu.Lock()
	st.wanted = ts
	st.mu.Unlock()
	select {
	case st.want <- struct{}{}:
	default:
	}
}

func (st *cdcStream) wantedTables() []metastore.Table {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.wanted
}

func (st *cdcStream) stop() {
	if st.cancel != nil {
		st.cancel()
		<-st.done
	}
}

func (st *cdcStream) tableReady(id string) (bool, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if t := st.tables[id]; t != nil {
		if t.err != nil {
			return false, t.err
		}
		return t.state == "streaming", nil
	}
	if st.state == "failed" && st.err != nil {
		return false, st.err
	}
	return false, nil
}

func (st *cdcStream) status() CDCState {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := CDCState{ConnectionID: st.connID, Stream: st.name, State: st.state,
		Received: st.progress.Received, Confirmed: st.progress.Confirmed, LagBytes: st.progress.LagBytes}
	if st.err != nil {
		out.Error = st.err.Error()
	}
	if !st.progress.LastCommit.IsZero() {
		c := st.progress.LastCommit
		out.LastCommit = &c
	}
	if !st.lastApplied.IsZero() {
		a := st.lastApplied
		out.LastApplied = &a
	}
	for _, t := range st.tables {
		ts := CDCTableState{Schema: t.t.Schema, Table: t.t.Name, State: t.state}
		if t.err != nil {
			ts.Error = t.err.Error()
		}
		out.Tables = append(out.Tables, ts)
		out.Connection = t.t.ConnectionName
	}
	sort.Slice(out.Tables, func(i, j int) bool {
		return out.Tables[i].Schema+"."+out.Tables[i].Table < out.Tables[j].Schema+"."+out.Tables[j].Table
	})
	return out
}

func (st *cdcStream) setState(state string, err error) {
	st.mu.Lock()
	st.state, st.err = state, err
	st.mu.Unlock()
}

// run keeps the stream going until ctx ends: on failure it logs, shows
// the error and starts again after a pause that grows to a minute.
func (st *cdcStream) run(ctx context.Context) {
	defer close(st.done)
	pause := time.Second
	for ctx.Err() == nil {
		start := time.Now()
		err := st.session(ctx)
		if ctx.Err() != nil {
			return
		}
		metrics.CDCFailure()
		st.setState("failed", err)
		st.r.svc.log.Error("cdc: the change stream stopped; the tables keep serving their last snapshot until it is back",
			"connection", st.connID, "stream", st.name, "err", connectors.Detail(err))
		if time.Since(start) > time.Minute {
			pause = time.Second
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, time.Minute)
	}
}

// session opens the stream and applies its changes until an error.
func (st *cdcStream) session(ctx context.Context) error {
	s := st.r.svc
	c, err := s.store.GetConnection(ctx, st.wsID, st.connID)
	if err != nil {
		return err
	}
	conn, err := s.connectorFor(ctx, c)
	if err != nil {
		return err
	}
	src, ok := conn.(connectors.CDC)
	if !ok {
		return fmt.Errorf("%w: %s connections have no change stream", connectors.ErrCDCUnsupported, c.SourceType)
	}
	stream, err := src.OpenStream(ctx, st.name)
	if err != nil {
		return err
	}
	defer stream.Close()
	s.log.Info("cdc: change stream open", "connection", st.connID, "stream", st.name)
	st.mu.Lock()
	st.tables = map[string]*cdcTable{}
	st.state, st.err = "running", nil
	st.mu.Unlock()

	type snapshotDone struct {
		id       string
		ct       *cdcTable // the join it is for: a table that left and came back has another
		snap     metastore.Snapshot
		position string
		err      error
	}
	doneCh := make(chan snapshotDone)
	firstReads := make(chan struct{}, cdcFirstReads)
	// The first reads and compactions this session started end with it.
	var wg sync.WaitGroup
	sctx, cancelSnapshots := context.WithCancel(ctx)
	defer func() {
		cancelSnapshots()
		wg.Wait()
	}()
	type compactDone struct {
		ct  *cdcTable
		c   *cache.Compaction
		err error
	}
	compactCh := make(chan compactDone)
	// compact merges a table's delta files into a new base file in the
	// background; the loop installs it (compacted below).
	compact := func(ct *cdcTable) {
		if ct.compacting || time.Now().Before(ct.compactAfter) || ct.snap == nil || !s.syncer.NeedsCompaction(*ct.snap) {
			return
		}
		ct.compacting = true
		snap, fields, t := *ct.snap, ct.fields, ct.t
		wg.Add(1)
		go func() {
			defer wg.Done()
			limits := engine.Limits{MemoryBytes: min(s.cfg.EngineMemoryBytes, 512<<20), Threads: 1}
			c, err := s.syncer.Compact(sctx, t, snap, fields, limits)
			select {
			case compactCh <- compactDone{ct: ct, c: c, err: err}:
			case <-sctx.Done():
				if c != nil {
					c.Discard()
				}
			}
		}()
	}
	// join adds a table. When the stream captured it without a break
	// (resume), it goes on from its snapshot's position; else it is read
	// again, as of a position of the stream.
	join := func(t metastore.Table, resume bool) error {
		ct := &cdcTable{t: t, state: "snapshotting"}
		st.mu.Lock()
		st.tables[t.ID] = ct
		st.mu.Unlock()
		ref := connectors.StreamTable{Schema: t.Schema, Table: t.Name, Key: t.PrimaryKey}
		captured, err := stream.Track(ctx, ref)
		if err != nil {
			return err
		}
		if resume && captured {
			// The current snapshot (the wanted list's copy may be older).
			if cur, err := s.store.GetTableByID(ctx, t.ID); err == nil {
				t = cur
				st.mu.Lock()
				ct.t = cur
				st.mu.Unlock()
			}
		}
		if resume && captured && t.CurrentSnapshotID != "" {
			snap, err := s.store.GetSnapshot(ctx, t.CurrentSnapshotID)
			var fields []arrow.Field
			if err == nil && snap.Watermark != "" {
				fields, err = s.syncer.SnapshotFields(snap)
			}
			if err == nil && fields != nil {
				ref.Fields = fields
				err := stream.Activate(ref, snap.Watermark)
				if err == nil {
					st.mu.Lock()
					ct.snap, ct.fields, ct.state = &snap, ref.Fields, "streaming"
					st.mu.Unlock()
					return nil
				}
				s.log.Warn("cdc: the table cannot resume at its snapshot's position; reading it again", "table", t.ConnectionName+"."+t.Schema+"."+t.Name, "err", connectors.Detail(err))
				st.noteWhy(t.ID, "read again: it cannot resume at its snapshot's position in the change stream ("+s.layout.Scrub(pgerr.Text(err))+")")
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each first read holds a replication connection (its
			// temporary slot): a few at a time.
			select {
			case firstReads <- struct{}{}:
				defer func() { <-firstReads }()
			case <-sctx.Done():
				return
			}
			st.mu.Lock()
			why := st.why[t.ID]
			delete(st.why, t.ID)
			st.mu.Unlock()
			res, err := s.syncer.SyncTable(sctx, cache.SyncRequest{Table: t, Connector: conn, Full: true, Snapshot: stream.SnapshotScan, SnapshotParts: snapshotParts(stream), Why: why})
			select {
			case doneCh <- snapshotDone{id: t.ID, ct: ct, snap: res.Snapshot, position: res.Snapshot.Watermark, err: err}:
			case <-sctx.Done():
			}
		}()
		return nil
	}
	// Before the first read, the stream carries exactly the tables
	// wanted, each resumed where it can be: no change of a table the
	// stream captures may go by unapplied.
	for len(st.wantedTables()) == 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-st.want:
		}
	}
	first := st.wantedTables()
	keep := make([][2]string, 0, len(first))
	for _, t := range first {
		keep = append(keep, [2]string{t.Schema, t.Name})
	}
	if err := stream.Retain(ctx, keep); err != nil {
		return err
	}
	// A slot created just now (dropped underneath, or a first start)
	// holds no earlier position: every table is read again.
	resume := !stream.Status().Created
	if !resume {
		s.log.Info("cdc: new replication slot: the stream's tables are read again", "connection", st.connID, "stream", st.name)
	}
	if err := st.setTables(ctx, stream, first, func(t metastore.Table) error { return join(t, resume) }); err != nil {
		return err
	}
	for {
		select {
		case <-st.want:
			if err := st.setTables(ctx, stream, st.wantedTables(), func(t metastore.Table) error { return join(t, false) }); err != nil {
				return err
			}
			if err := st.checkCaptured(ctx, stream, func(t metastore.Table) error { return join(t, false) }); err != nil {
				return err
			}
			continue
		case d := <-doneCh:
			if err := st.activated(ctx, stream, d.ct, d.snap, d.position, d.err); err != nil {
				return err
			}
			continue
		case t := <-st.rereads:
			if err := st.readAgain(ctx, stream, []metastore.Table{t}, "read again: its cache was purged", func(t metastore.Table) error { return join(t, false) }); err != nil {
				return err
			}
			continue
		case d := <-compactCh:
			if err := st.compacted(ctx, d.ct, d.c, d.err); err != nil {
				return err
			}
			continue
		default:
		}
		st.recheck(ctx)
		batch, err := stream.Read(ctx, cdcWait, cdcMaxRows)
		if err != nil {
			return err
		}
		if err := st.apply(ctx, stream, batch, func(t metastore.Table) error { return join(t, false) }); err != nil {
			return err
		}
		st.mu.Lock()
		tables := slices.Collect(maps.Values(st.tables))
		st.mu.Unlock()
		for _, ct := range tables {
			compact(ct)
		}
	}
}

// setTables makes the stream carry exactly ts.
func (st *cdcStream) setTables(ctx context.Context, stream connectors.Stream, ts []metastore.Table, join func(metastore.Table) error) error {
	want := map[string]metastore.Table{}
	for _, t := range ts {
		want[t.ID] = t
	}
	st.mu.Lock()
	var leave []*cdcTable
	for id, ct := range st.tables {
		if _, ok := want[id]; !ok {
			leave = append(leave, ct)
			delete(st.tables, id)
		}
	}
	var add []metastore.Table
	for id, t := range want {
		ct := st.tables[id]
		if ct != nil && ct.state == "failed" && !ct.retryAt.IsZero() && time.Now().After(ct.retryAt) {
			delete(st.tables, id) // its first read failed a while ago: again
			ct = nil
		}
		if ct == nil {
			add = append(add, t)
		}
	}
	st.mu.Unlock()
	for _, ct := range leave {
		if err := stream.Untrack(ctx, ct.t.Schema, ct.t.Name); err != nil {
			return err
		}
		// Its changes are no longer captured: its snapshot's position
		// must never be resumed from.
		if err := st.r.svc.store.ClearCurrentWatermark(ctx, ct.t.ID); err != nil {
			return err
		}
	}
	for _, t := range add {
		if len(t.PrimaryKey) == 0 {
			st.mu.Lock()
			st.tables[t.ID] = &cdcTable{t: t, state: "failed", err: fmt.Errorf("%w: %s.%s has no primary key: changes cannot be applied by key; give it a primary key or another refresh policy",
				connectors.ErrCDCUnsupported, t.Schema, t.Name)}
			st.mu.Unlock()
			continue
		}
		if err := join(t); err != nil {
			if errors.Is(err, connectors.ErrCDCUnsupported) {
				st.failTable(t, err)
				continue
			}
			return err
		}
	}
	return nil
}

// checkCaptured reads again the streaming tables the source no longer
// captures (dropped and made again upstream: a new table, out of the
// publication), so that none looks fresh while no change reaches it.
func (st *cdcStream) checkCaptured(ctx context.Context, stream connectors.Stream, join func(metastore.Table) error) error {
	captured, err := stream.Captured(ctx)
	if err != nil {
		return err
	}
	in := map[[2]string]bool{}
	for _, c := range captured {
		in[c] = true
	}
	st.mu.Lock()
	var lost []metastore.Table
	for id, ct := range st.tables {
		if ct.state == "streaming" && !in[[2]string{ct.t.Schema, ct.t.Name}] {
			lost = append(lost, ct.t)
			delete(st.tables, id)
		}
	}
	st.mu.Unlock()
	s := st.r.svc
	for _, t := range lost {
		s.log.Warn("cdc: a table left the change stream upstream (dropped and made again?): reading it again", "table", t.ConnectionName+"."+t.Schema+"."+t.Name)
		if err := s.store.ClearCurrentWatermark(ctx, t.ID); err != nil {
			return err
		}
		c, err := s.store.GetConnection(ctx, st.wsID, st.connID)
		if err != nil {
			return err
		}
		if _, err := s.rediscover(ctx, c); err != nil {
			return err
		}
		fresh, err := s.store.GetTableByID(ctx, t.ID)
		if err != nil {
			return err
		}
		if fresh.Status != metastore.TablePresent {
			// Gone upstream: it leaves the wanted list, unless made again
			// in a moment (discovered again then).
			st.recheckAt, st.rechecks = time.Now().Add(time.Second), 0
			continue
		}
		if err := join(fresh); err != nil {
			if !errors.Is(err, connectors.ErrCDCUnsupported) {
				return err
			}
			st.failTable(fresh, err)
		}
	}
	return nil
}

// activated finishes a table's first read: the stream releases its
// changes after the read's position.
func (st *cdcStream) activated(ctx context.Context, stream connectors.Stream, ct *cdcTable, snap metastore.Snapshot, position string, err error) error {
	st.mu.Lock()
	current := st.tables[ct.t.ID] == ct
	st.mu.Unlock()
	if !current {
		return nil // left meanwhile (and maybe came back: another read runs)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// This table fails alone: the stream's other tables go on, and
		// it is read again after a pause (setTables).
		st.r.svc.log.Error("cdc: a table's first read failed; it is tried again in a minute", "table", ct.t.ConnectionName+"."+ct.t.Schema+"."+ct.t.Name, "err", connectors.Detail(err))
		st.mu.Lock()
		ct.state, ct.err, ct.retryAt = "failed", fmt.Errorf("first read: %s", st.r.svc.layout.Scrub(pgerr.Text(err))), time.Now().Add(time.Minute)
		st.mu.Unlock()
		// Nothing is held for it meanwhile (memory, and the slot's WAL).
		return stream.Untrack(ctx, ct.t.Schema, ct.t.Name)
	}
	fields, err := st.r.svc.syncer.SnapshotFields(snap)
	if err != nil {
		return err
	}
	if err := stream.Activate(connectors.StreamTable{Schema: ct.t.Schema, Table: ct.t.Name, Key: ct.t.PrimaryKey, Fields: fields}, position); err != nil {
		return err
	}
	st.mu.Lock()
	ct.snap, ct.fields, ct.state = &snap, fields, "streaming"
	st.mu.Unlock()
	st.r.svc.invalidateCatalog(st.wsID)
	return nil
}

// compacted installs a table's compaction: its new snapshot holds the
// merged base file and the delta files written since.
func (st *cdcStream) compacted(ctx context.Context, ct *cdcTable, c *cache.Compaction, cerr error) error {
	s := st.r.svc
	ct.compacting = false
	st.mu.Lock()
	current := st.tables[ct.t.ID] == ct && ct.snap != nil
	st.mu.Unlock()
	if cerr == nil && !current {
		c.Discard()
		return nil
	}
	var w *cache.ChangeWrite
	if cerr == nil {
		w, cerr = s.syncer.InstallCompaction(ct.t, *ct.snap, c)
	}
	if errors.Is(cerr, cache.ErrCompactionStale) {
		return nil // the next batch starts another
	}
	if cerr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ct.compactAfter = time.Now().Add(time.Minute)
		s.log.Warn("cdc: compacting a table's changes failed; it is read merged meanwhile (slower) and tried again in a minute",
			"table", ct.t.ConnectionName+"."+ct.t.Schema+"."+ct.t.Name, "err", cerr)
		return nil
	}
	published, err := s.syncer.PublishChanges(ctx, []*cache.ChangeWrite{w})
	if err != nil {
		return err
	}
	st.mu.Lock()
	snap := published[0]
	ct.snap = &snap
	st.mu.Unlock()
	s.invalidateCatalog(st.wsID)
	return nil
}

// readAgain reads tables again through the stream: their columns changed
// upstream, a value needs another form, or their cache was purged. The
// catalog learns their columns first; the old snapshot serves until the
// new one is published.
func (st *cdcStream) readAgain(ctx context.Context, stream connectors.Stream, tables []metastore.Table, why string, join func(metastore.Table) error) error {
	s := st.r.svc
	for _, t := range tables {
		s.log.Info("cdc: reading the table again", "table", t.ConnectionName+"."+t.Schema+"."+t.Name)
		// The catalog learns its new columns first.
		if c, err := s.store.GetConnection(ctx, st.wsID, st.connID); err != nil {
			return err
		} else if _, err := s.rediscover(ctx, c); err != nil {
			return fmt.Errorf("cdc: discover the new columns of %s.%s: %w", t.Schema, t.Name, err)
		}
		fresh, err := s.store.GetTableByID(ctx, t.ID)
		if err != nil {
			return err
		}
		st.mu.Lock()
		delete(st.tables, t.ID)
		st.mu.Unlock()
		if fresh.Status != metastore.TablePresent {
			// Gone upstream (dropped, renamed away): it leaves the
			// wanted list; untracked so that nothing is held for it.
			// It may be made again at once (DROP then CREATE): the
			// connection is discovered again in a moment, a few times.
			if err := stream.Untrack(ctx, t.Schema, t.Name); err != nil {
				return err
			}
			st.recheckAt, st.rechecks = time.Now().Add(time.Second), 0
			continue
		}
		st.noteWhy(t.ID, why)
		// The changes held for it are dropped: until the new read is
		// published, no restart may resume from the old snapshot.
		if err := s.store.ClearCurrentWatermark(ctx, t.ID); err != nil {
			return err
		}
		fresh.CurrentSnapshotID = "" // read again, not resumed
		if err := join(fresh); err != nil {
			if !errors.Is(err, connectors.ErrCDCUnsupported) {
				return err
			}
			// Its new shape cannot be streamed (a VIRTUAL column, …): it
			// fails alone, saying why, and keeps its last snapshot.
			st.failTable(fresh, err)
			if uerr := stream.Untrack(ctx, t.Schema, t.Name); uerr != nil {
				return uerr
			}
		}
	}
	return nil
}

// apply turns a batch of changes into published snapshots, then
// confirms the batch's position.
func (st *cdcStream) apply(ctx context.Context, stream connectors.Stream, b *connectors.ChangeBatch, join func(metastore.Table) error) error {
	s := st.r.svc
	var writes []*cache.ChangeWrite
	var tables []*cdcTable
	var reshaped, replaced []metastore.Table
	changes := 0
	for _, tc := range b.Tables {
		ct := st.byName(tc.Schema, tc.Table)
		if ct == nil || ct.snap == nil {
			if tc.Changes != nil {
				tc.Changes.Release()
			}
			continue
		}
		if tc.Changes != nil || tc.Truncated {
			// Its snapshot replaced meanwhile by something else (a purge
			// of its cache): writing on top would undo that. It is read
			// again instead (the read holds these changes).
			if cur, err := s.store.GetTableByID(ctx, ct.t.ID); err != nil {
				return err
			} else if cur.CurrentSnapshotID != ct.snap.ID {
				if tc.Changes != nil {
					tc.Changes.Release()
				}
				if !tc.Reshaped {
					replaced = append(replaced, ct.t)
				}
				continue
			}
			w, err := s.syncer.WriteChanges(ctx, ct.t, *ct.snap, ct.fields, tc, b.Position)
			if tc.Changes != nil {
				changes += int(tc.Changes.NumRows())
				tc.Changes.Release()
			}
			if err != nil {
				for _, w := range writes {
					w.Discard()
				}
				return err
			}
			writes = append(writes, w)
			tables = append(tables, ct)
		}
		if tc.Reshaped {
			reshaped = append(reshaped, ct.t)
		}
	}
	if len(writes) > 0 {
		published, err := s.syncer.PublishChanges(ctx, writes)
		if err != nil {
			return err
		}
		st.mu.Lock()
		for i, ct := range tables {
			snap := published[i]
			ct.snap = &snap
		}
		st.lastApplied = time.Now()
		st.mu.Unlock()
		s.invalidateCatalog(st.wsID)
		metrics.CDCApplied(changes, b.CommitTime)
	}
	if err := stream.Confirm(ctx, b.Position); err != nil {
		return err
	}
	if err := st.readAgain(ctx, stream, reshaped, "read again: the change stream says its columns changed upstream, or a value needs another form (a column then held as text)", join); err != nil {
		return err
	}
	if err := st.readAgain(ctx, stream, replaced, "read again: its cached snapshot was replaced (purged) while changes arrived", join); err != nil {
		return err
	}
	// Only now: a table sent to be read again (a change it could not
	// take) has left the streaming ones, and must not look resumable
	// past that change.
	if err := st.advanceIdle(ctx, stream, b.Position, tables); err != nil {
		return err
	}
	st.mu.Lock()
	st.progress = stream.Status()
	if !b.Drained.IsZero() {
		st.caughtUp = b.Drained
	}
	st.mu.Unlock()
	return nil
}

// advanceIdle moves the snapshots of the streaming tables that a batch
// did not change to the batch's position, every cdcAdvanceEvery: every
// change of theirs up to there is applied.
func (st *cdcStream) advanceIdle(ctx context.Context, stream connectors.Stream, position string, changed []*cdcTable) error {
	if position == "" || time.Since(st.advanced) < st.r.svc.cfg.CDCAdvanceEvery {
		return nil
	}
	st.advanced = time.Now()
	st.mu.Lock()
	var idle []*cdcTable
	for _, ct := range st.tables {
		if ct.state == "streaming" && ct.snap != nil && ct.snap.Watermark != "" && ct.snap.Watermark != position && !slices.Contains(changed, ct) {
			idle = append(idle, ct)
		}
	}
	st.mu.Unlock()
	for _, ct := range idle {
		// Never back: a first read as of a position the stream has not
		// reached yet stays as of it.
		if c, err := stream.Compare(ct.snap.Watermark, position); err != nil || c >= 0 {
			continue
		}
		moved, err := st.r.svc.store.AdvanceWatermark(ctx, ct.t.ID, ct.snap.ID, position)
		if err != nil {
			return err
		}
		if moved {
			st.mu.Lock()
			snap := *ct.snap
			snap.Watermark = position
			ct.snap = &snap
			st.mu.Unlock()
		}
	}
	return nil
}

// freshAsOf reports, for a table of a running stream that streams, when
// it was last known to hold every change committed upstream, with the
// stream's lag; ok is false when this process does not stream it.
func (r *cdcRunner) freshAsOf(connID, tableID string) (asOf time.Time, lag int64, ok bool) {
	r.mu.Lock()
	st := r.streams[connID]
	r.mu.Unlock()
	if st == nil {
		return time.Time{}, 0, false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	ct := st.tables[tableID]
	if ct == nil || ct.state != "streaming" || st.state != "running" || st.caughtUp.IsZero() {
		return time.Time{}, 0, false
	}
	return st.caughtUp, st.progress.LagBytes, true
}

func (st *cdcStream) byName(schema, table string) *cdcTable {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, ct := range st.tables {
		if ct.t.Schema == schema && ct.t.Name == table {
			return ct
		}
	}
	return nil
}

// dropUpstream drops the stream's slot and publication, opening the
// connection as it is now.
func (st *cdcStream) dropUpstream(ctx context.Context) {
	c, err := st.r.svc.store.GetConnection(ctx, st.wsID, st.connID)
	if err != nil {
		st.r.svc.log.Error("cdc: could not drop the stream upstream: its slot keeps WAL on the upstream until it is dropped",
			"connection", st.connID, "stream", st.name, "err", err, "fix", "SELECT pg_drop_replication_slot('"+st.name+"'); DROP PUBLICATION "+st.name)
		return
	}
	st.dropUpstreamWith(ctx, c)
}

func (st *cdcStream) dropUpstreamWith(ctx context.Context, c metastore.Connection) {
	s := st.r.svc
	conn, err := s.connectorFor(ctx, c)
	if err == nil {
		if src, ok := conn.(connectors.CDC); ok {
			dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			err = src.DropStream(dctx, st.name)
			cancel()
		} else {
			return
		}
	}
	if err != nil {
		s.log.Error("cdc: could not drop the stream upstream: its slot keeps WAL on the upstream until it is dropped",
			"connection", st.connID, "stream", st.name, "err", connectors.Detail(err), "fix", "SELECT pg_drop_replication_slot('"+st.name+"'); DROP PUBLICATION "+st.name)
		return
	}
	s.log.Info("cdc: dropped the change stream upstream", "connection", st.connID, "stream", st.name)
}

// snapshotParts is the stream's first read in parts, nil when it has none.
func snapshotParts(stream connectors.Stream) func(ctx context.Context, req connectors.ScanRequest) (connectors.Parts, string, error) {
	if ps, ok := stream.(connectors.PartSnapshotter); ok {
		return ps.SnapshotParts
	}
	return nil
}
