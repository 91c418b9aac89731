package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/planner"
)

// Sink receives one statement's results. wire.ResultWriter satisfies it.
type Sink interface {
	// Describe announces the result's columns.
	Describe(schema *arrow.Schema) error
	// Write receives one batch; its values are only valid during the call.
	Write(rec arrow.RecordBatch) error
	// Complete ends the statement with its command tag.
	Complete(tag string) error
	// EmptyQuery reports that there was no statement.
	EmptyQuery() error
	// Notice passes a notice (progress, warnings) to the client.
	Notice(n *pgerr.Error) error
	// ParameterStatus reports a changed run-time parameter.
	ParameterStatus(name, value string) error
}

// Sources of a session, recorded with its query runs.
const (
	SourcePgwire = "pgwire"
	SourceREST   = "rest"
)

type txState int

const (
	txIdle txState = iota
	txOpen
	txFailed
)

// Session is one client's conversation with a workspace: its settings and
// transaction state. A session is used by one goroutine at a time.
type Session struct {
	svc       *Service
	ws        metastore.Workspace
	principal metastore.Principal
	user      string
	source    string
	settings  *settings
	tx        txState
	// recordRuns queues each statement as a query run (pgwire).
	recordRuns bool
}

// NewSession opens a session on a workspace for p. params are start-up
// parameters (application_name, options, …).
func (s *Service) NewSession(ctx context.Context, p metastore.Principal, ws metastore.Workspace, user, source string, params map[string]string) (*Session, error) {
	if err := requireRole(p, metastore.RoleViewer, "querying"); err != nil {
		return nil, err
	}
	st, err := newSettings(params)
	if err != nil {
		return nil, err
	}
	return &Session{svc: s, ws: ws, principal: p, user: user, source: source, settings: st, recordRuns: source == SourcePgwire}, nil
}

// Workspace returns the session's workspace.
func (ss *Session) Workspace() metastore.Workspace { return ss.ws }

// Execute runs every statement in sql, in order, stopping at the first
// error, which it returns (a *pgerr.Error for anything the client did).
func (ss *Session) Execute(ctx context.Context, sql string, sink Sink) error {
	if timeout := ss.settings.statementTimeout(); timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, timeout, errStatementTimeout)
		defer cancel()
	}
	stmts, entry, err := ss.plan(ctx, sql)
	if err != nil {
		ss.failTx()
		return err
	}
	if len(stmts) == 0 {
		return sink.EmptyQuery()
	}
	for _, st := range stmts {
		if ss.tx == txFailed && !(st.Kind == planner.Transaction && (st.Tx.Kind == planner.TxRollback || st.Tx.Kind == planner.TxRollbackTo || st.Tx.Kind == planner.TxCommit)) {
			return pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
		}
		if err := ss.executeOne(ctx, st, entry, sink); err != nil {
			ss.failTx()
			if errors.Is(context.Cause(ctx), errStatementTimeout) {
				return pgerr.Wrap(err, pgerr.QueryCanceled, "canceling statement due to statement timeout")
			}
			return err
		}
	}
	return nil
}

var errStatementTimeout = errors.New("statement timeout")

func (ss *Session) failTx() {
	if ss.tx == txOpen {
		ss.tx = txFailed
	}
}

// plan parses and resolves sql; when a name does not resolve against a
// cached catalog, the catalog is reloaded once (another process may have
// discovered the table since).
func (ss *Session) plan(ctx context.Context, sql string) ([]*planner.Statement, *catalogEntry, error) {
	entry, err := ss.svc.catalog(ctx, ss.ws.ID, false)
	if err != nil {
		return nil, nil, err
	}
	stmts, err := planner.Plan(sql, entry.cat)
	if code := pgerr.Code(err); err != nil && (code == pgerr.UndefinedTable || code == pgerr.AmbiguousAlias) && time.Since(entry.loadedAt) > 50*time.Millisecond {
		if entry, err = ss.svc.catalog(ctx, ss.ws.ID, true); err != nil {
			return nil, nil, err
		}
		stmts, err = planner.Plan(sql, entry.cat)
	}
	return stmts, entry, err
}

func (ss *Session) executeOne(ctx context.Context, st *planner.Statement, entry *catalogEntry, sink Sink) error {
	switch st.Kind {
	case planner.Query, planner.Explain:
		return ss.query(ctx, st, entry, sink)
	case planner.Set:
		return ss.set(st, sink)
	case planner.Show:
		return ss.show(st, sink)
	case planner.Transaction:
		return ss.transaction(st, sink)
	}
	return pgerr.New(pgerr.FeatureNotSupported, "statement not supported")
}

// query runs a planned query on the workspace's engine over the current
// snapshot of every table it reads, syncing tables never synced.
func (ss *Session) query(ctx context.Context, st *planner.Statement, entry *catalogEntry, sink Sink) error {
	start := time.Now()
	run := metastore.QueryRun{WorkspaceID: ss.ws.ID, MemberID: ss.principal.Member.ID, UserName: ss.user, Source: ss.source,
		SQLText: st.Text, SQLHash: sqlHash(st.Text), CreatedAt: start.UTC()}
	rows, snapIDs, err := ss.runQuery(ctx, st, entry, sink)
	if ss.recordRuns {
		done := time.Now().UTC()
		run.CompletedAt = &done
		run.ExecutionTimeMs = time.Since(start).Milliseconds()
		run.RowCount, run.SnapshotIDs = rows, snapIDs
		run.Status = metastore.StatusSucceeded
		if err != nil {
			run.Status, run.ErrorMessage = metastore.StatusFailed, errorText(err)
		}
		ss.svc.runs.record(run)
	}
	return err
}

func (ss *Session) runQuery(ctx context.Context, st *planner.Statement, entry *catalogEntry, sink Sink) (int64, []string, error) {
	mounts, snapIDs, err := ss.svc.prepareTables(ctx, ss.ws, st.Tables, entry, sink)
	if err != nil {
		return 0, nil, err
	}
	unpin := ss.svc.pins.Pin(snapIDs...)
	defer unpin()
	eng, err := ss.svc.engineFor(ctx, ss.ws)
	if err != nil {
		return 0, snapIDs, err
	}
	if err := eng.EnsureMounted(ctx, mounts); err != nil {
		return 0, snapIDs, err
	}
	if st.Kind == planner.Explain {
		return 0, snapIDs, ss.explain(ctx, st, eng, mounts, snapIDs, sink)
	}
	var rows int64
	err = eng.Query(ctx, st.Engine, nil, func(rr array.RecordReader) error {
		if err := sink.Describe(rr.Schema()); err != nil {
			return err
		}
		for rr.Next() {
			rec := rr.RecordBatch()
			if err := sink.Write(rec); err != nil {
				return err
			}
			rows += rec.NumRows()
		}
		return nil
	})
	if err != nil {
		return rows, snapIDs, err
	}
	return rows, snapIDs, sink.Complete(fmt.Sprintf("SELECT %d", rows))
}

func sqlHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}

func errorText(err error) string {
	if e := pgerr.As(err); e != nil {
		return e.Message
	}
	return err.Error()
}

func (ss *Session) transaction(st *planner.Statement, sink Sink) error {
	switch st.Tx.Kind {
	case planner.TxBegin:
		if ss.tx != txIdle {
			if err := sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: "25001", Message: "there is already a transaction in progress"}); err != nil {
				return err
			}
		} else {
			ss.tx = txOpen
		}
	case planner.TxCommit:
		if ss.tx == txIdle {
			if err := sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: "25P01", Message: "there is no transaction in progress"}); err != nil {
				return err
			}
		}
		if ss.tx == txFailed {
			// PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
			ss.tx = txIdle
			return sink.Complete("ROLLBACK")
		}
		ss.tx = txIdle
	case planner.TxRollback:
		if ss.tx == txIdle {
			if err := sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: "25P01", Message: "there is no transaction in progress"}); err != nil {
				return err
			}
		}
		ss.tx = txIdle
	case planner.TxSavepoint, planner.TxRelease:
		if ss.tx == txIdle {
			return pgerr.New("25P01", "%s can only be used in transaction blocks", st.Tag)
		}
	case planner.TxRollbackTo:
		if ss.tx == txIdle {
			return pgerr.New("25P01", "ROLLBACK TO SAVEPOINT can only be used in transaction blocks")
		}
		ss.tx = txOpen
	}
	return sink.Complete(st.Tag)
}

// TxStatus is the ReadyForQuery status byte.
func (ss *Session) TxStatus() byte {
	switch ss.tx {
	case txOpen:
		return 'T'
	case txFailed:
		return 'E'
	}
	return 'I'
}

// Close ends the session.
func (ss *Session) Close() error { return nil }
