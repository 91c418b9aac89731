package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
)

// How fresh an answer is: every cached statement knows, for each table it
// read, the snapshot and the moment the snapshot is known to hold every
// upstream change (its sync's time; for a table a change stream keeps
// fresh, the last time the stream had applied everything the source had
// sent). hotdata.report_freshness sends it as a NOTICE, EXPLAIN names it,
// REST answers carry it, and hotdata.max_staleness refuses to answer from
// an older one.

// TableFreshness is how fresh one table's answer is.
type TableFreshness struct {
	Connection, Schema, Table string
	SnapshotID                string
	SnapshotVersion           int64
	// Policy is the table's refresh policy ("dataset" for a dataset).
	Policy string
	// AsOf is when the snapshot last held every change upstream.
	AsOf time.Time
	// Streaming: a change stream keeps the table fresh (LagBytes, -1
	// unknown, is how far the source's log is ahead).
	Streaming bool
	LagBytes  int64
}

// Age is how old the answer is at now.
func (f TableFreshness) Age(now time.Time) time.Duration { return max(now.Sub(f.AsOf), 0) }

// Name is the table's three-part name.
func (f TableFreshness) Name() string { return f.Connection + "." + f.Schema + "." + f.Table }

// freshnessOf tells how fresh a table's snapshot is.
func (s *Service) freshnessOf(catalog string, ts *tableState, snap *metastore.Snapshot) TableFreshness {
	f := TableFreshness{Connection: catalog, SnapshotID: snap.ID, SnapshotVersion: snap.Version, AsOf: snap.CreatedAt, LagBytes: -1}
	if ts.dataset != nil {
		f.Schema, f.Table, f.Policy = "public", ts.dataset.TableName, "dataset"
		return f
	}
	f.Schema, f.Table, f.Policy = ts.table.Schema, ts.table.Name, ts.table.Refresh
	if ts.table.LastSyncAt != nil && ts.table.CurrentSnapshotID == snap.ID && ts.table.LastSyncAt.After(f.AsOf) {
		f.AsOf = *ts.table.LastSyncAt // an incremental sync that found nothing new
	}
	if asOf, lag, ok := s.cdc.freshAsOf(ts.table.ConnectionID, ts.table.ID); ok {
		f.Streaming, f.LagBytes = true, lag
		if asOf.After(f.AsOf) {
			f.AsOf = asOf
		}
	}
	return f
}

// String describes the freshness for a NOTICE or EXPLAIN.
func (f TableFreshness) String() string {
	now := time.Now()
	out := fmt.Sprintf("%s: snapshot v%d (%s), fresh as of %s (%s ago), policy %s", f.Name(), f.SnapshotVersion, f.SnapshotID,
		f.AsOf.UTC().Format("2006-01-02 15:04:05.000Z"), f.Age(now).Round(time.Millisecond), f.Policy)
	if f.Streaming {
		out += ", change stream running"
		if f.LagBytes >= 0 {
			out += fmt.Sprintf(", lag %d bytes", f.LagBytes)
		}
	}
	return out
}

// freshnessOpts are a session's freshness settings.
type freshnessOpts struct {
	report       bool
	maxStaleness time.Duration
}

func (st *settings) freshness() freshnessOpts {
	r, _ := st.get("hotdata.report_freshness")
	v, _ := st.get("hotdata.max_staleness")
	ms, _ := parseMillis(v)
	return freshnessOpts{report: r == "on", maxStaleness: time.Duration(ms) * time.Millisecond}
}

// catchUpWait bounds how long a statement waits for a change stream to
// catch up to hotdata.max_staleness.
const catchUpWait = 5 * time.Second

// ensureFresh makes a table's snapshot fresh enough for max_staleness:
// a table a stream keeps fresh waits (a little) for the stream; another
// is synced now; and when neither helps, the statement fails rather than
// answer from an older snapshot.
func (s *Service) ensureFresh(ctx context.Context, ws metastore.Workspace, catalog string, ts *tableState, snap *metastore.Snapshot, opts freshnessOpts, sink Sink, keep []string) (*metastore.Snapshot, TableFreshness, error) {
	f := s.freshnessOf(catalog, ts, snap)
	if opts.maxStaleness <= 0 || f.Policy == "dataset" || f.Age(time.Now()) <= opts.maxStaleness {
		return snap, f, nil
	}
	if pol, err := cache.ParsePolicy(ts.table.Refresh); err == nil && pol.Kind == cache.PolicyCDC {
		deadline := time.Now().Add(max(min(opts.maxStaleness, catchUpWait), time.Second))
		for time.Now().Before(deadline) {
			select {
			case <-ctx.Done():
				return nil, f, ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
			// The catalog's snapshot may be older than the stream's now.
			cur, err := s.store.GetTableByID(ctx, ts.table.ID)
			if err != nil {
				return nil, f, err
			}
			if cur.CurrentSnapshotID != "" && cur.CurrentSnapshotID != snap.ID {
				next, err := s.store.GetSnapshot(ctx, cur.CurrentSnapshotID)
				if err != nil {
					return nil, f, err
				}
				snap = &next
				ts2 := *ts
				ts2.table, ts2.snapshot = cur, snap
				ts = &ts2
			}
			if f = s.freshnessOf(catalog, ts, snap); f.Age(time.Now()) <= opts.maxStaleness {
				return snap, f, nil
			}
		}
		return nil, f, s.staleError(f, opts, "its change stream has not caught up")
	}
	fresh, err := s.syncForRead(ctx, ws, ts, sink, keep)
	if err != nil {
		return nil, f, s.staleError(f, opts, "syncing it failed: "+pgerr.Text(err))
	}
	ts2 := *ts
	ts2.snapshot = fresh
	now := time.Now()
	ts2.table.LastSyncAt = &now
	return fresh, s.freshnessOf(catalog, &ts2, fresh), nil
}

func (s *Service) staleError(f TableFreshness, opts freshnessOpts, why string) error {
	return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "%s is fresh as of %s ago, more than hotdata.max_staleness (%s) allows, and %s",
		f.Name(), f.Age(time.Now()).Round(time.Millisecond), opts.maxStaleness, s.layout.Scrub(why)).
		WithHint("Read the upstream with SET hotdata.freshness = live, or allow older answers with a larger hotdata.max_staleness.")
}

// reportFreshness sends one NOTICE per table read.
func reportFreshness(sink Sink, fs []TableFreshness) error {
	for _, f := range fs {
		if err := sink.Notice(&pgerr.Error{Code: pgerr.SuccessfulCompletion, Message: "freshness: " + f.String()}); err != nil {
			return err
		}
	}
	return nil
}

// freshnessLine is EXPLAIN's line about freshness.
func freshnessLine(fs []TableFreshness) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.String()
	}
	return "Freshness: " + strings.Join(parts, "; ")
}
