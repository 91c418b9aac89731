package workspace

import (
	"maps"
	"time"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/planner"
)

// Transaction blocks. Hotdata has no writes to commit or undo, but a
// block still has what clients see of it in PostgreSQL: its status
// (ReadyForQuery's I/T/E), its failed state after an error (25P02 until
// ROLLBACK), its modes (isolation level, READ ONLY/READ WRITE,
// DEFERRABLE: accepted and shown; writes are refused with 25006 in any
// mode), savepoints, the SET and SET LOCAL values it undoes, and the
// cursors it closes.

// gucSnapshot is the settings at one point of a transaction block.
type gucSnapshot struct {
	values, local map[string]string
}

func (ss *Session) snapshotSettings() gucSnapshot {
	return gucSnapshot{values: maps.Clone(ss.settings.values), local: maps.Clone(ss.settings.local)}
}

func (ss *Session) restoreSettings(g gucSnapshot) {
	ss.settings.values = maps.Clone(g.values)
	if ss.settings.values == nil {
		ss.settings.values = map[string]string{}
	}
	ss.settings.local = maps.Clone(g.local)
}

type savepoint struct {
	name string
	gucs gucSnapshot
}

func (ss *Session) transaction(st *planner.Statement, sink Sink) error {
	switch st.Tx.Kind {
	case planner.TxBegin:
		if ss.tx != txIdle {
			if err := sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: "25001", Message: "there is already a transaction in progress"}); err != nil {
				return err
			}
			break
		}
		if err := ss.checkTxModes(st.Tx.Modes); err != nil {
			return err
		}
		ss.beginTx()
		if err := ss.applyTxModes(st.Tx.Modes); err != nil {
			ss.endTx(false)
			return err
		}
	case planner.TxCommit:
		if ss.tx == txIdle {
			if err := sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: "25P01", Message: "there is no transaction in progress"}); err != nil {
				return err
			}
		}
		if ss.tx == txFailed {
			// PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
			ss.endTx(false)
			return sink.Complete("ROLLBACK")
		}
		if ss.implicit {
			// It commits the implicit block; the statements after it
			// run in a new one.
			ss.endImplicit(true)
			ss.beginImplicit()
		}
		ss.endTx(true)
	case planner.TxRollback:
		if ss.tx == txIdle {
			if err := sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: "25P01", Message: "there is no transaction in progress"}); err != nil {
				return err
			}
		}
		if ss.implicit {
			ss.endImplicit(false)
			ss.beginImplicit()
		}
		ss.endTx(false)
	case planner.TxSavepoint:
		if ss.tx == txIdle {
			return pgerr.New("25P01", "SAVEPOINT can only be used in transaction blocks")
		}
		ss.savepoints = append(ss.savepoints, savepoint{name: st.Tx.Savepoint, gucs: ss.snapshotSettings()})
	case planner.TxRelease:
		if ss.tx == txIdle {
			return pgerr.New("25P01", "RELEASE SAVEPOINT can only be used in transaction blocks")
		}
		i, err := ss.findSavepoint(st.Tx.Savepoint)
		if err != nil {
			return err
		}
		ss.savepoints = ss.savepoints[:i]
	case planner.TxRollbackTo:
		if ss.tx == txIdle {
			return pgerr.New("25P01", "ROLLBACK TO SAVEPOINT can only be used in transaction blocks")
		}
		i, err := ss.findSavepoint(st.Tx.Savepoint)
		if err != nil {
			return err
		}
		ss.restoreSettings(ss.savepoints[i].gucs)
		ss.savepoints = ss.savepoints[:i+1]
		ss.tx = txOpen
	}
	return sink.Complete(st.Tag)
}

// findSavepoint finds the newest savepoint of that name.
func (ss *Session) findSavepoint(name string) (int, error) {
	for i := len(ss.savepoints) - 1; i >= 0; i-- {
		if ss.savepoints[i].name == name {
			return i, nil
		}
	}
	return 0, pgerr.New("3B001", "savepoint \"%s\" does not exist", name)
}

// beginTx opens a block: its modes start as the session's defaults. A
// BEGIN after other statements of the same Query turns their implicit
// block into this one: a ROLLBACK undoes their SETs too.
func (ss *Session) beginTx() {
	ss.tx = txOpen
	ss.txStart = ss.snapshotSettings()
	if ss.implicit {
		ss.txStart, ss.implicit = ss.implicitStart, false
	} else {
		ss.txQueried = false
		ss.txTime = time.Now()
	}
	ss.savepoints = nil
	if ss.settings.local == nil {
		ss.settings.local = map[string]string{}
	}
	for name, def := range txScoped {
		if _, ok := ss.settings.local[name]; !ok {
			ss.settings.local[name], _ = ss.settings.get(def)
		}
	}
}

// beginImplicit starts the implicit block of a several-statement Query.
func (ss *Session) beginImplicit() {
	ss.implicit = true
	ss.implicitStart = ss.snapshotSettings()
	ss.txTime = time.Now()
	ss.txQueried = false
}

// endImplicit ends it, as a COMMIT or a ROLLBACK (after an error).
func (ss *Session) endImplicit(commit bool) {
	if !ss.implicit {
		return
	}
	ss.implicit = false
	if !commit {
		ss.restoreSettings(ss.implicitStart)
	}
	ss.settings.local = nil
	ss.closeCursors(false, commit)
	ss.implicitStart = gucSnapshot{}
	ss.txQueried = false
}

// inBlock reports whether statements run in a transaction block,
// explicit or implicit.
func (ss *Session) inBlock() bool { return ss.tx != txIdle || ss.implicit }

// endTx ends the block: COMMIT keeps its SETs, ROLLBACK undoes them;
// either drops its SET LOCALs and closes its cursors but those WITH HOLD
// that a COMMIT keeps.
func (ss *Session) endTx(commit bool) {
	if ss.tx != txIdle && !commit {
		ss.restoreSettings(ss.txStart)
	}
	ss.settings.local = nil
	ss.closeCursors(false, commit)
	ss.tx = txIdle
	ss.txStart = gucSnapshot{}
	ss.savepoints = nil
	ss.txQueried = false
}

// checkTxModes validates modes as values of their settings.
func (ss *Session) checkTxModes(m planner.TxModes) error {
	for name, v := range txModeSettings(m) {
		if _, err := ss.settings.check(name, v); err != nil {
			return err
		}
	}
	return nil
}

// applyTxModes sets the block's modes, with PostgreSQL's checks: the
// isolation level and read-write mode are fixed once a statement has
// read data, and cannot change in a subtransaction.
func (ss *Session) applyTxModes(m planner.TxModes) error {
	if m.Isolation != "" {
		v, err := ss.settings.check("transaction_isolation", m.Isolation)
		if err != nil {
			return err
		}
		if cur, _ := ss.settings.get("transaction_isolation"); v != cur {
			if ss.txQueried {
				return pgerr.New("25001", "SET TRANSACTION ISOLATION LEVEL must be called before any query")
			}
			if len(ss.savepoints) > 0 {
				return pgerr.New("25001", "SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction")
			}
		}
	}
	if m.ReadOnly != "" {
		v, err := ss.settings.check("transaction_read_only", m.ReadOnly)
		if err != nil {
			return err
		}
		if cur, _ := ss.settings.get("transaction_read_only"); v == "off" && cur == "on" {
			if len(ss.savepoints) > 0 {
				return pgerr.New("25001", "cannot set transaction read-write mode inside a read-only transaction")
			}
			if ss.txQueried {
				return pgerr.New("25001", "transaction read-write mode must be set before any query")
			}
		}
	}
	if m.Deferrable != "" {
		if len(ss.savepoints) > 0 {
			return pgerr.New("25001", "SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction")
		}
		if ss.txQueried {
			return pgerr.New("25001", "SET TRANSACTION [NOT] DEFERRABLE must be called before any query")
		}
	}
	for name, v := range txModeSettings(m) {
		if err := ss.settings.setLocal(name, v); err != nil {
			return err
		}
	}
	return nil
}

// setTransactionModes answers SET TRANSACTION: outside a block, as in
// PostgreSQL, a warning and no effect.
func (ss *Session) setTransactionModes(m planner.TxModes, sink Sink) error {
	if err := ss.checkTxModes(m); err != nil {
		return err
	}
	if !ss.inBlock() {
		return sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: "25P01", Message: "SET TRANSACTION can only be used in transaction blocks"})
	}
	return ss.applyTxModes(m)
}

// txModeSettings maps the modes given to the settings they set.
func txModeSettings(m planner.TxModes) map[string]string {
	out := map[string]string{}
	if m.Isolation != "" {
		out["transaction_isolation"] = m.Isolation
	}
	if m.ReadOnly != "" {
		out["transaction_read_only"] = m.ReadOnly
	}
	if m.Deferrable != "" {
		out["transaction_deferrable"] = m.Deferrable
	}
	return out
}

// discard answers DISCARD: ALL resets settings and drops the session's
// prepared statements, cursors and portals.
func (ss *Session) discard(st *planner.Statement, sink Sink) error {
	if st.Tag == "DISCARD ALL" {
		if ss.tx != txIdle {
			return pgerr.New("25001", "DISCARD ALL cannot run inside a transaction block")
		}
		ss.settings.resetAll()
		ss.closeCursors(true, false)
		ss.sqlPrepared = nil
		if ss.discardHook != nil {
			ss.discardHook()
		}
	}
	return sink.Complete(st.Tag)
}
