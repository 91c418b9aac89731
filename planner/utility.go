package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// setConfigCall recognizes SELECT [pg_catalog.]set_config('name',
// 'value', is_local) with constant arguments and nothing else (pg_dump
// starts with SELECT pg_catalog.set_config('search_path', ”, false)):
// it is a SET whose result (a column named col) is the setting's new
// value. nil for any other statement.
func setConfigCall(sel *pg.SelectStmt) (s *Setting, col string) {
	if sel.Op != pg.SetOperation_SETOP_NONE || len(sel.TargetList) != 1 || len(sel.FromClause) > 0 || sel.WhereClause != nil ||
		sel.GroupClause != nil || sel.HavingClause != nil || sel.ValuesLists != nil || sel.WithClause != nil ||
		sel.DistinctClause != nil || sel.SortClause != nil || sel.LimitCount != nil || sel.LimitOffset != nil {
		return nil, ""
	}
	rt := sel.TargetList[0].GetResTarget()
	fc := rt.GetVal().GetFuncCall()
	if fc == nil || len(fc.Args) != 3 || fc.AggStar || fc.Over != nil || fc.AggFilter != nil {
		return nil, ""
	}
	if !isSetConfig(fc) {
		return nil, ""
	}
	name, ok := stringConst(fc.Args[0])
	if !ok {
		return nil, ""
	}
	local, ok := boolConst(fc.Args[2])
	if !ok {
		return nil, ""
	}
	s = &Setting{Name: strings.ToLower(name), Local: local}
	col = rt.Name
	if col == "" {
		col = "set_config"
	}
	if c := fc.Args[1].GetAConst(); c != nil && c.Isnull {
		s.Reset = true // a NULL value resets the setting, as in PostgreSQL
		return s, col
	}
	if s.Value, ok = stringConst(fc.Args[1]); !ok {
		return nil, ""
	}
	return s, col
}

// planLock plans LOCK TABLE: in a mode a read-only transaction may take
// (ACCESS SHARE, ROW SHARE, ROW EXCLUSIVE) it names tables that exist
// and does nothing else, since statements read snapshots (pg_dump locks
// every table it dumps); a stronger mode is a write.
func planLock(sql string, l *pg.LockStmt, cat *Catalog, st *Statement) error {
	const rowExclusiveLock = 3 // src/include/storage/lockdefs.h
	if l.Mode > rowExclusiveLock {
		return pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute LOCK TABLE in a read-only transaction").WithHint(readOnlyHint)
	}
	for _, r := range l.Relations {
		rv := r.GetRangeVar()
		if rv == nil {
			continue
		}
		if _, ok, err := resolveSystem(sql, rv); ok {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := resolveRangeVar(sql, rv, cat); err != nil {
			return err
		}
	}
	st.Kind, st.Tag = Lock, "LOCK TABLE"
	return nil
}

// stringConst is the value of a string constant.
func stringConst(n *pg.Node) (string, bool) {
	if c := n.GetAConst(); c != nil {
		if s, ok := c.Val.(*pg.A_Const_Sval); ok {
			return s.Sval.Sval, true
		}
	}
	return "", false
}

// boolConst is the value of a boolean constant (true, or 't'::boolean).
func boolConst(n *pg.Node) (bool, bool) {
	if c := n.GetAConst(); c != nil {
		if b, ok := c.Val.(*pg.A_Const_Boolval); ok {
			return b.Boolval.Boolval, true
		}
	}
	if tc := n.GetTypeCast(); tc != nil {
		if s, ok := stringConst(tc.Arg); ok {
			switch strings.ToLower(s) {
			case "t", "true", "on", "1", "yes":
				return true, true
			case "f", "false", "off", "0", "no":
				return false, true
			}
		}
	}
	return false, false
}

// isSetConfig: a call of [pg_catalog.]set_config.
func isSetConfig(fc *pg.FuncCall) bool {
	parts := strs(fc.Funcname)
	return len(parts) == len(fc.Funcname) && parts[len(parts)-1] == "set_config" && (len(parts) == 1 || len(parts) == 2 && parts[0] == "pg_catalog")
}

// setConfigTemplate recognizes SELECT set_config($1, $2, b) of a
// normalized template: a SET once its constants are back, so the text
// must be planned as it is.
func setConfigTemplate(sel *pg.SelectStmt) bool {
	if len(sel.TargetList) != 1 || len(sel.FromClause) > 0 || sel.Op != pg.SetOperation_SETOP_NONE {
		return false
	}
	fc := sel.TargetList[0].GetResTarget().GetVal().GetFuncCall()
	return fc != nil && isSetConfig(fc)
}
