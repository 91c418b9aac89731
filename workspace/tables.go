package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/planner"
)

// prepareTables makes sure every object a statement reads has a snapshot
// (syncing the ones never synced, with progress notices) and returns the
// engine mounts and the snapshot ids.
func (s *Service) prepareTables(ctx context.Context, ws metastore.Workspace, objs []*planner.Object, entry *catalogEntry, sink Sink, opts freshnessOpts) ([]engine.Mount, []string, []TableFreshness, error) {
	mounts := make([]engine.Mount, 0, len(objs))
	ids := make([]string, 0, len(objs))
	fresh := make([]TableFreshness, 0, len(objs))
	tableIDs := make([]string, 0, len(objs))
	for _, obj := range objs {
		tableIDs = append(tableIDs, obj.ID)
	}
	for _, obj := range objs {
		ts := entry.tables[obj.ID]
		if ts == nil {
			return nil, nil, nil, pgerr.New(pgerr.UndefinedTable, "relation %q no longer exists", obj.QualifiedName()).
				WithHint("The table was removed upstream or its connection deleted; prepare the statement again.")
		}
		snap := ts.snapshot
		outcome := metrics.CacheHit
		if ts.dataset != nil {
			// A dataset is its snapshot: nothing to sync.
		} else if snap == nil {
			var err error
			outcome = metrics.CacheMiss
			if snap, err = s.syncForRead(ctx, ws, ts, sink, tableIDs); err != nil {
				return nil, nil, nil, err
			}
		} else if pol, err := cache.ParsePolicy(ts.table.Refresh); err == nil && pol.Stale(ts.table.LastSyncAt, time.Now()) {
			outcome = metrics.CacheMiss
			if snap = s.refreshStale(ctx, ws, ts, pol, sink, tableIDs); snap == ts.snapshot {
				outcome = metrics.CacheStale
			}
		}
		metrics.CacheRead(outcome)
		snap, f, err := s.ensureFresh(ctx, ws, obj.Catalog, ts, snap, opts, sink, tableIDs)
		if err != nil {
			return nil, nil, nil, err
		}
		if ts.dataset == nil && !plannedWith(obj, snap) {
			// Synced just now into a snapshot that holds a column in
			// another form (as text, or refused) than the statement
			// was planned to read it in.
			return nil, nil, nil, errFormsChanged
		}
		mounts = append(mounts, s.snapshotMount(ws.ID, obj.Catalog, obj.Schema, obj.Name, snap, tableKey(ts)))
		ids = append(ids, snap.ID)
		fresh = append(fresh, f)
	}
	s.noteRead(tableIDs)
	if opts.report {
		if err := reportFreshness(sink, fresh); err != nil {
			return nil, nil, nil, err
		}
	}
	return mounts, ids, fresh, nil
}

// tableKey is the key a table's snapshot folders are merged by when they
// hold delta files (its primary key; a dataset has none).
func tableKey(ts *tableState) []string {
	if ts.dataset != nil {
		return nil
	}
	return ts.table.PrimaryKey
}

// errFormsChanged: a table a statement reads was synced while it ran,
// and its new snapshot holds a column in another form than the plan
// read it in: the statement must be planned again.
var errFormsChanged = errors.New("a table the statement reads was synced while it ran and changed how the cache holds a column")

// formsChangedError is errFormsChanged for the client, when planning the
// statement again did not help (the table changed again meanwhile).
func formsChangedError() error {
	return pgerr.Wrap(errFormsChanged, pgerr.SerializationFailure, "%v", errFormsChanged).WithHint("Run the statement again.")
}

// refreshStale syncs a table whose snapshot is older than its ttl policy
// allows before the statement reads it. When the upstream fails, the
// statement reads the previous snapshot, with a warning saying so.
func (s *Service) refreshStale(ctx context.Context, ws metastore.Workspace, ts *tableState, pol cache.Policy, sink Sink, keep []string) *metastore.Snapshot {
	name := ts.table.ConnectionName + "." + ts.table.Schema + "." + ts.table.Name
	fresh, err := s.syncForRead(ctx, ws, ts, sink, keep)
	if err == nil {
		return fresh
	}
	age := time.Since(*ts.table.LastSyncAt).Round(time.Second)
	_ = sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: pgerr.Warning,
		Message: fmt.Sprintf("%s is older than its refresh policy (%s) allows, and syncing it failed: reading the snapshot of %s ago", name, pol, age),
		Detail:  s.layout.Scrub(pgerr.Text(err))})
	return ts.snapshot
}

// progressNoticeEvery spaces the progress notices of a sync on first use.
const progressNoticeEvery = 2 * time.Second

// syncForRead syncs a table a statement needs now, telling the client.
func (s *Service) syncForRead(ctx context.Context, ws metastore.Workspace, ts *tableState, sink Sink, keep []string) (*metastore.Snapshot, error) {
	name := ts.table.ConnectionName + "." + ts.table.Schema + "." + ts.table.Name
	if pol, err := cache.ParsePolicy(ts.table.Refresh); err == nil && pol.Kind == cache.PolicyCDC {
		// Its change stream reads it first: wait for that.
		if err := sink.Notice(&pgerr.Error{Code: pgerr.SuccessfulCompletion, Message: name + " is not cached yet: waiting for its change stream's first read"}); err != nil {
			return nil, err
		}
		res, err := s.cdcSnapshot(ctx, ts.table)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, s.syncError(name, err)
		}
		return &res.Snapshot, nil
	}
	about := ""
	if ts.table.RowEstimate > 0 {
		about = fmt.Sprintf(" (about %d rows)", ts.table.RowEstimate)
	}
	msg := fmt.Sprintf("%s is not cached yet: syncing it from the upstream%s", name, about)
	if ts.snapshot != nil {
		msg = fmt.Sprintf("%s is older than its refresh policy (%s) allows: syncing it from the upstream", name, ts.table.Refresh)
	}
	if err := sink.Notice(&pgerr.Error{Code: pgerr.SuccessfulCompletion, Message: msg}); err != nil {
		return nil, err
	}
	conn, err := s.connectorFor(ctx, ts.conn)
	if err != nil {
		return nil, s.syncError(name, err)
	}
	start := time.Now()
	last := start
	res, err := s.syncer.SyncTable(ctx, cache.SyncRequest{Table: ts.table, Connector: conn, Previous: ts.snapshot, Progress: func(p cache.Progress) {
		if time.Since(last) < progressNoticeEvery {
			return
		}
		last = time.Now()
		msg := fmt.Sprintf("syncing %s: %d rows so far", name, p.Rows)
		if p.Fraction != nil {
			msg += fmt.Sprintf(" (%.0f%%)", *p.Fraction*100)
		}
		_ = sink.Notice(&pgerr.Error{Code: pgerr.SuccessfulCompletion, Message: msg})
	}})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, s.syncError(name, err)
	}
	s.invalidateCatalog(ws.ID)
	s.enforceQuota(ctx, ws.ID, keep...)
	for _, w := range res.Warnings {
		if err := sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: pgerr.Warning, Message: name + ": " + w}); err != nil {
			return nil, err
		}
	}
	snap := res.Snapshot
	if err := sink.Notice(&pgerr.Error{Code: pgerr.SuccessfulCompletion,
		Message: fmt.Sprintf("synced %s: %d rows in %s (snapshot version %d)", name, snap.RowCount, time.Since(start).Round(time.Millisecond), snap.Version)}); err != nil {
		return nil, err
	}
	return &snap, nil
}

// syncError reports a failed sync as a foreign-data error (class HV:
// the upstream source failed), with the upstream's own message.
func (s *Service) syncError(name string, err error) error {
	if errors.Is(err, metastore.ErrUnavailable) {
		return pgerr.Wrap(err, pgerr.CannotConnectNow, "could not sync %s: %s", name, pgerr.As(err).Message)
	}
	return pgerr.Wrap(err, pgerr.FDWError, "could not sync %s: %s", name, s.layout.Scrub(pgerr.Text(err))).
		WithHint("Check that the upstream is reachable and the connection's credentials are valid; the table is served again once a sync succeeds.")
}

// viewSelect is the select list that turns a snapshot's stored columns
// back into their SQL types: intervals, and the elements of interval
// arrays, are stored as their three parts (see
// connectors/postgres.IntervalType).
func viewSelect(cols []metastore.Column) string {
	var replace []string
	for _, c := range cols {
		if !strings.HasPrefix(c.DataType, "interval") || c.Text {
			continue
		}
		q := engine.QuoteIdent(c.Name)
		if strings.HasSuffix(c.DataType, "[]") {
			replace = append(replace, fmt.Sprintf("list_transform(%[1]s, hd_element -> to_months(hd_element.months) + to_days(hd_element.days) + to_microseconds(hd_element.micros)) AS %[1]s", q))
		} else {
			replace = append(replace, fmt.Sprintf("to_months(%[1]s.months) + to_days(%[1]s.days) + to_microseconds(%[1]s.micros) AS %[1]s", q))
		}
	}
	if len(replace) == 0 {
		return "*"
	}
	return "* REPLACE (" + strings.Join(replace, ", ") + ")"
}
