package planner

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/translate"
)

// Kind says what a statement does.
type Kind int

// Statement kinds.
const (
	// Query reads data: SELECT, VALUES, TABLE, WITH … SELECT.
	Query Kind = iota + 1
	// Explain is EXPLAIN of a query.
	Explain
	// Set is SET or RESET of a session setting.
	Set
	// Show is SHOW of a session setting.
	Show
	// Transaction is BEGIN, COMMIT, ROLLBACK, SAVEPOINT and friends.
	Transaction
	// Copy is COPY (query) TO STDOUT, or COPY table TO STDOUT.
	Copy
	// Discard is DISCARD ALL (and its no-op siblings).
	Discard
	// Deallocate is DEALLOCATE [PREPARE] name | ALL.
	Deallocate
	// Prepare is SQL-level PREPARE name [(types)] AS query.
	Prepare
	// Execute is SQL-level EXECUTE name [(args)].
	Execute
	// Declare is DECLARE name CURSOR [WITH HOLD] FOR query.
	Declare
	// Fetch is FETCH or MOVE on a cursor.
	Fetch
	// ClosePortal is CLOSE name | ALL.
	ClosePortal
	// Lock is LOCK TABLE in a mode that does not write: a no-op inside
	// a transaction.
	Lock
)

// Statement is one planned statement.
type Statement struct {
	Kind Kind
	// Text is the statement as the client wrote it.
	Text string
	// Tag is the CommandComplete tag's command word(s), e.g. "SELECT", "SET".
	Tag string
	// Engine is the rewritten SQL for the engine (Query and Explain).
	Engine string
	// Tables are the catalog objects the statement reads, each once.
	Tables []*Object
	// Setting is the SET/RESET/SHOW details.
	Setting *Setting
	// SetResult is the result column of SELECT set_config(…), a Set that
	// answers the setting's new value ("" for SET and RESET).
	SetResult string
	// Tx is the transaction command.
	Tx *TxCommand
	// CopyOptions are a COPY's options.
	CopyOptions *CopyOptions
	// Name is the statement or cursor name of DEALLOCATE ("" for ALL),
	// PREPARE, EXECUTE, DECLARE, FETCH and CLOSE ("" for ALL).
	Name string
	// Inner is the query of PREPARE.
	Inner *Statement
	// QuerySQL is PREPARE's query as SQL text (EXECUTE plans it with its
	// arguments in place of the parameters); on the query an EXECUTE
	// runs, that text with the arguments in place.
	QuerySQL string
	// ArgTypes are PREPARE's declared parameter types.
	ArgTypes []translate.Type
	// Args are EXECUTE's arguments as SQL expressions.
	Args []string
	// Hold is DECLARE … WITH HOLD.
	Hold bool
	// Scroll is DECLARE … SCROLL CURSOR.
	Scroll bool
	// Direction and Count are FETCH's or MOVE's as PostgreSQL's grammar
	// gives them (FETCH PRIOR is backward 1, LAST absolute -1, a bare
	// number forward n, which may be negative). Move
	// marks MOVE.
	Direction FetchDirection
	// Count is FetchAll for ALL.
	Count int64
	Move  bool
	// Params is the number of parameters ($1 … $n) the statement takes.
	Params int
	// ParamTypes are the parameters' types, declared by the client or
	// decided by the statement, by parameter number-1.
	ParamTypes []translate.Type
	// Columns are the result's columns as PostgreSQL describes them.
	Columns []translate.ResultColumn
	// Catalog is true when the statement reads the emulated pg_catalog or
	// information_schema or calls its functions (which live in the
	// engine only).
	Catalog bool
	// Volatile is true when the result depends on when the statement runs
	// (now(), random(), current_timestamp): its results are not cached.
	Volatile bool
	// uncacheable: the plan froze a value of its constants or of the
	// moment ('now') and must not serve another statement.
	uncacheable bool

	// liveErr is why the statement cannot go to the upstream (set when
	// Options.Live is); engineErr why the cache engine cannot run it,
	// for a statement planned for the live route only.
	liveErr, engineErr error

	// upstream is the statement with names as the upstream knows them
	// (schema.table), for live pushdown; set when Options.Live is.
	upstream string
	// constParams is true when the statement's parameters could stand for
	// its constants on the upstream (none is an ORDER BY, GROUP BY or
	// DISTINCT ON item, where a parameter would be a constant rather than
	// a column position).
	constParams bool
	// constSensitive when the plan depends on the value of a constant
	// that Normalize made a parameter (see ConstSensitive).
	constSensitive bool
	// A plan from Normalize's key with its constants, for the upstream
	// as a prepared statement (see UpstreamTemplate).
	upstreamTemplate string
	templateArgs     [][]byte
	templateOIDs     []uint32
}

// UpstreamTemplate returns the statement as a parameterized upstream
// query with its constants as parameter values, so that the upstream can
// reuse its plan; ok is false when the statement does not allow it.
func (s *Statement) UpstreamTemplate() (sql string, args [][]byte, oids []uint32, ok bool) {
	return s.upstreamTemplate, s.templateArgs, s.templateOIDs, s.upstreamTemplate != ""
}

// Upstream returns the statement rewritten for the upstream that holds
// every table it reads (names without the connection), or "" when it
// was not planned for live use.
func (s *Statement) Upstream() string { return s.upstream }

// CopyOptions are the options of COPY … TO STDOUT.
type CopyOptions struct {
	Format string // text, csv or binary
	Header bool
}

// FetchDirection is a FETCH or MOVE direction (FetchDirection in
// parsenodes.h).
type FetchDirection int

// FetchAll is FETCH's count for ALL (FETCH_ALL, LONG_MAX).
const FetchAll = math.MaxInt64

// Fetch directions.
const (
	FetchForward FetchDirection = iota
	FetchBackward
	FetchAbsolute
	FetchRelative
)

// Options change how statements are planned.
type Options struct {
	// Live also produces each query's upstream form (Statement.Upstream).
	Live bool
	// Settings are the session's settings that change how constants
	// read (TimeZone, DateStyle, IntervalStyle).
	Settings translate.Settings
	// ParamTypes are the parameter types the client declared (OID 0:
	// none), for the extended protocol.
	ParamTypes []translate.Type
	// literals marks the parameters of a Normalize template that stand
	// for the statement's constants.
	literals []translate.LiteralKind
}

// Setting is a SET, RESET or SHOW.
type Setting struct {
	Name  string // lower case; "all" for RESET ALL and SHOW ALL
	Value string // SET value, list values joined with ", "
	Reset bool   // RESET, or SET … TO DEFAULT
	Local bool   // SET LOCAL
}

// TxKind names a transaction command.
type TxKind int

// Transaction commands.
const (
	TxBegin TxKind = iota + 1
	TxCommit
	TxRollback
	TxSavepoint
	TxRelease
	TxRollbackTo
)

// TxCommand is a transaction control statement, or the modes of SET
// TRANSACTION and SET SESSION CHARACTERISTICS AS TRANSACTION (Kind 0).
type TxCommand struct {
	Kind      TxKind
	Savepoint string
	Modes     TxModes
}

// TxModes are the transaction modes a statement gives, as the values of
// the settings they set ("" where not given): transaction_isolation
// ("serializable", "repeatable read", "read committed", "read
// uncommitted"), transaction_read_only and transaction_deferrable ("on"
// or "off"). READ WRITE is accepted as PostgreSQL accepts it: Hotdata
// still refuses every write (25006) whatever the mode says.
type TxModes struct {
	Isolation, ReadOnly, Deferrable string
}

// txModes reads the DefElems of BEGIN/START TRANSACTION/SET TRANSACTION.
func txModes(opts []*pg.Node) TxModes {
	var m TxModes
	onOff := func(n *pg.Node) string {
		if v, _ := constText(n); v == "0" || v == "false" || v == "off" {
			return "off"
		}
		return "on"
	}
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		switch d.Defname {
		case "transaction_isolation":
			m.Isolation, _ = constText(d.Arg)
		case "transaction_read_only":
			m.ReadOnly = onOff(d.Arg)
		case "transaction_deferrable":
			m.Deferrable = onOff(d.Arg)
		}
	}
	return m
}

// Plan parses sql (one or more statements) and plans each against cat.
// An empty string or only comments gives no statements.
func Plan(sql string, cat *Catalog, opts Options) ([]*Statement, error) {
	tree, err := pg.Parse(sql)
	if err != nil {
		return nil, syntaxError(sql, err)
	}
	out := make([]*Statement, 0, len(tree.Stmts))
	for _, raw := range tree.Stmts {
		st, err := planOne(sql, tree.Version, raw, cat, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func syntaxError(sql string, err error) error {
	e := &pgerr.Error{Code: pgerr.SyntaxError, Message: err.Error(), Err: err}
	if pe, ok := err.(*parser.Error); ok {
		e.Message = pe.Message
		if pe.Cursorpos > 0 {
			e.Position = pe.Cursorpos
		}
	}
	// The scanner's errors that are not syntax errors in PostgreSQL.
	switch {
	case strings.HasPrefix(e.Message, "invalid byte sequence for encoding"):
		e.Code = "22021" // character_not_in_repertoire
	case strings.HasPrefix(e.Message, "frame start cannot be"), strings.HasPrefix(e.Message, "frame end cannot be"),
		strings.HasPrefix(e.Message, "frame starting from"):
		e.Code = "42P20" // windowing_error, raised by the grammar
	}
	return e
}

// statementText returns the source text of one raw statement.
func statementText(sql string, raw *pg.RawStmt) string {
	start := int(raw.StmtLocation)
	end := len(sql)
	if raw.StmtLen > 0 {
		end = start + int(raw.StmtLen)
	}
	if start < 0 || start > len(sql) || end > len(sql) || end < start {
		return sql
	}
	return strings.TrimSpace(sql[start:end])
}

// charPosition turns a 0-based byte offset into PostgreSQL's 1-based
// character position.
func charPosition(sql string, offset int32) int {
	if offset < 0 || int(offset) > len(sql) {
		return 0
	}
	return utf8.RuneCountInString(sql[:offset]) + 1
}

// PlanOne plans a statement for the extended protocol: it must hold at
// most one statement (none gives nil).
func PlanOne(sql string, cat *Catalog, opts Options) (*Statement, error) {
	stmts, err := Plan(sql, cat, opts)
	if err != nil {
		return nil, err
	}
	switch len(stmts) {
	case 0:
		return nil, nil
	case 1:
		return stmts[0], nil
	}
	return nil, pgerr.New(pgerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
}

func planOne(sql string, version int32, raw *pg.RawStmt, cat *Catalog, opts Options) (*Statement, error) {
	st := &Statement{Text: statementText(sql, raw)}
	node := raw.Stmt
	switch n := node.Node.(type) {
	case *pg.Node_SelectStmt:
		if err := checkReadOnly(sql, node); err != nil {
			return nil, err
		}
		if s, col := setConfigCall(n.SelectStmt); s != nil {
			st.Kind, st.Tag, st.Setting, st.SetResult = Set, "SELECT", s, col
			break
		}
		if len(opts.literals) > 0 && setConfigTemplate(n.SelectStmt) {
			st.constSensitive = true
		}
		st.Kind, st.Tag = Query, "SELECT"
		if err := rewriteQuery(sql, version, raw, st, cat, opts); err != nil {
			return nil, err
		}
	case *pg.Node_ExplainStmt:
		if n.ExplainStmt.Query.GetSelectStmt() == nil {
			return nil, readOnlyOrUnsupported(sql, n.ExplainStmt.Query, raw.StmtLocation)
		}
		if err := checkReadOnly(sql, n.ExplainStmt.Query); err != nil {
			return nil, err
		}
		for _, opt := range n.ExplainStmt.Options {
			if d := opt.GetDefElem(); d != nil && d.Defname == "analyze" {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "EXPLAIN ANALYZE is not supported").
					WithHint("Use EXPLAIN without ANALYZE to see the route and plan.")
			}
		}
		st.Kind, st.Tag = Explain, "EXPLAIN"
		inner := &pg.RawStmt{Stmt: n.ExplainStmt.Query}
		if err := rewriteQuery(sql, version, inner, st, cat, opts); err != nil {
			return nil, err
		}
	case *pg.Node_VariableSetStmt:
		s, err := planSet(n.VariableSetStmt)
		if err != nil {
			return nil, err
		}
		st.Kind, st.Tag, st.Setting = Set, "SET", s
		if n.VariableSetStmt.Kind == pg.VariableSetKind_VAR_SET_MULTI {
			st.Tx = &TxCommand{Modes: txModes(n.VariableSetStmt.Args)}
		}
		if s.Reset && n.VariableSetStmt.Kind != pg.VariableSetKind_VAR_SET_DEFAULT {
			st.Tag = "RESET"
		}
	case *pg.Node_VariableShowStmt:
		st.Kind, st.Tag, st.Setting = Show, "SHOW", &Setting{Name: strings.ToLower(n.VariableShowStmt.Name)}
	case *pg.Node_TransactionStmt:
		tx, tag, err := planTx(n.TransactionStmt)
		if err != nil {
			return nil, err
		}
		st.Kind, st.Tag, st.Tx = Transaction, tag, tx
	case *pg.Node_CopyStmt:
		query, copts, err := planCopy(n.CopyStmt)
		if err != nil {
			return nil, err
		}
		if err := checkReadOnly(sql, query); err != nil {
			return nil, err
		}
		st.Kind, st.Tag, st.CopyOptions = Copy, "COPY", copts
		if err := rewriteQuery(sql, version, &pg.RawStmt{Stmt: query}, st, cat, opts); err != nil {
			return nil, err
		}
	case *pg.Node_DiscardStmt:
		st.Kind = Discard
		switch n.DiscardStmt.Target {
		case pg.DiscardMode_DISCARD_ALL:
			st.Tag = "DISCARD ALL"
		case pg.DiscardMode_DISCARD_PLANS:
			st.Tag = "DISCARD PLANS"
		case pg.DiscardMode_DISCARD_SEQUENCES:
			st.Tag = "DISCARD SEQUENCES"
		default:
			st.Tag = "DISCARD TEMP"
		}
	case *pg.Node_PrepareStmt:
		ps := n.PrepareStmt
		if ps.Query.GetSelectStmt() == nil {
			return nil, readOnlyOrUnsupported(sql, ps.Query, raw.StmtLocation)
		}
		if err := checkReadOnly(sql, ps.Query); err != nil {
			return nil, err
		}
		for _, a := range ps.Argtypes {
			t, err := translate.TypeOf(sql, a.GetTypeName())
			if err != nil {
				return nil, err
			}
			st.ArgTypes = append(st.ArgTypes, t)
		}
		inner := &Statement{Kind: Query, Tag: "SELECT", Text: st.Text}
		iopts := opts
		iopts.ParamTypes = st.ArgTypes
		if err := rewriteQuery(sql, version, &pg.RawStmt{Stmt: ps.Query}, inner, cat, iopts); err != nil {
			return nil, err
		}
		q, err := pg.Deparse(&pg.ParseResult{Version: version, Stmts: []*pg.RawStmt{{Stmt: ps.Query}}})
		if err != nil {
			return nil, pgerr.Wrap(err, pgerr.InternalError, "could not render the prepared query")
		}
		st.Kind, st.Tag, st.Name, st.Inner, st.QuerySQL = Prepare, "PREPARE", ps.Name, inner, q
	case *pg.Node_ExecuteStmt:
		st.Kind, st.Tag, st.Name = Execute, "EXECUTE", n.ExecuteStmt.Name
		for _, p := range n.ExecuteStmt.Params {
			text, err := deparseExpr(version, p)
			if err != nil {
				return nil, err
			}
			st.Args = append(st.Args, text)
		}
	case *pg.Node_DeclareCursorStmt:
		dc := n.DeclareCursorStmt
		if dc.Query.GetSelectStmt() == nil {
			return nil, readOnlyOrUnsupported(sql, dc.Query, raw.StmtLocation)
		}
		if err := checkReadOnly(sql, dc.Query); err != nil {
			return nil, err
		}
		const cursorOptBinary, cursorOptScroll, cursorOptHold = 0x0001, 0x0002, 0x0020 // CURSOR_OPT_* in parsenodes.h
		if dc.Options&cursorOptBinary != 0 {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "BINARY cursors are not supported").
				WithHint("Declare the cursor without BINARY and FETCH it with binary result formats (extended protocol).")
		}
		st.Kind, st.Tag, st.Name, st.Hold = Declare, "DECLARE CURSOR", dc.Portalname, dc.Options&cursorOptHold != 0
		// A SCROLL cursor keeps the rows it has read, so that it can
		// go back; NO SCROLL and plain cursors only go forward.
		st.Scroll = dc.Options&cursorOptScroll != 0
		if err := rewriteQuery(sql, version, &pg.RawStmt{Stmt: dc.Query}, st, cat, opts); err != nil {
			return nil, err
		}
	case *pg.Node_FetchStmt:
		fs := n.FetchStmt
		st.Kind, st.Name, st.Move, st.Count = Fetch, fs.Portalname, fs.Ismove, fs.HowMany
		st.Tag = "FETCH"
		if fs.Ismove {
			st.Tag = "MOVE"
		}
		switch fs.Direction {
		case pg.FetchDirection_FETCH_FORWARD:
			st.Direction = FetchForward
		case pg.FetchDirection_FETCH_BACKWARD:
			st.Direction = FetchBackward
		case pg.FetchDirection_FETCH_ABSOLUTE:
			st.Direction = FetchAbsolute
		case pg.FetchDirection_FETCH_RELATIVE:
			st.Direction = FetchRelative
		}

	case *pg.Node_ClosePortalStmt:
		st.Kind, st.Tag, st.Name = ClosePortal, "CLOSE CURSOR", n.ClosePortalStmt.Portalname
		if st.Name == "" {
			st.Tag = "CLOSE CURSOR ALL"
		}
	case *pg.Node_UnlistenStmt:
		// Nothing can LISTEN here, so UNLISTEN has nothing to do; pools
		// send it to reset connections (asyncpg: UNLISTEN *).
		st.Kind, st.Tag = Discard, "UNLISTEN"
	case *pg.Node_DeallocateStmt:
		st.Kind, st.Tag, st.Name = Deallocate, "DEALLOCATE", n.DeallocateStmt.Name
		if n.DeallocateStmt.Isall {
			st.Tag, st.Name = "DEALLOCATE ALL", ""
		}
	case *pg.Node_LockStmt:
		if err := planLock(sql, n.LockStmt, cat, st); err != nil {
			return nil, err
		}
	default:
		return nil, readOnlyOrUnsupported(sql, node, raw.StmtLocation)
	}
	return st, nil
}

// writeNodes are the statements that change data or schema; Hotdata is
// read-only, so they get SQLSTATE 25006 like a read-only transaction.
var writeNodes = map[string]string{
	"insert_stmt": "INSERT", "update_stmt": "UPDATE", "delete_stmt": "DELETE", "merge_stmt": "MERGE",
	"create_stmt": "CREATE TABLE", "create_table_as_stmt": "CREATE TABLE AS", "view_stmt": "CREATE VIEW",
	"drop_stmt": "DROP", "alter_table_stmt": "ALTER TABLE", "truncate_stmt": "TRUNCATE", "index_stmt": "CREATE INDEX",
	"create_schema_stmt": "CREATE SCHEMA", "createdb_stmt": "CREATE DATABASE", "dropdb_stmt": "DROP DATABASE",
	"rename_stmt": "ALTER … RENAME", "create_seq_stmt": "CREATE SEQUENCE", "alter_seq_stmt": "ALTER SEQUENCE",
	"create_function_stmt": "CREATE FUNCTION", "grant_stmt": "GRANT", "grant_role_stmt": "GRANT", "create_role_stmt": "CREATE ROLE",
	"alter_role_stmt": "ALTER ROLE", "drop_role_stmt": "DROP ROLE", "comment_stmt": "COMMENT", "create_extension_stmt": "CREATE EXTENSION",
	"refresh_mat_view_stmt": "REFRESH MATERIALIZED VIEW", "vacuum_stmt": "VACUUM", "cluster_stmt": "CLUSTER", "reindex_stmt": "REINDEX",
	"lock_stmt": "LOCK", "create_trig_stmt": "CREATE TRIGGER", "composite_type_stmt": "CREATE TYPE", "create_enum_stmt": "CREATE TYPE",
	"create_domain_stmt": "CREATE DOMAIN", "alter_domain_stmt": "ALTER DOMAIN", "do_stmt": "DO", "call_stmt": "CALL",
	"import_foreign_schema_stmt": "IMPORT FOREIGN SCHEMA", "alter_owner_stmt": "ALTER OWNER", "alter_object_schema_stmt": "ALTER SET SCHEMA",
}

const readOnlyHint = "Hotdata serves read-only SQL. Write to the upstream database directly."

// unsupportedHint lists what Hotdata runs.
const unsupportedHint = "Hotdata runs SELECT, WITH, VALUES, TABLE, EXPLAIN, COPY … TO STDOUT, SET, SHOW, RESET, DISCARD, " +
	"PREPARE/EXECUTE/DEALLOCATE, DECLARE/FETCH/MOVE/CLOSE and transaction statements."

func nodeName(n *pg.Node) string {
	m := n.ProtoReflect()
	if fd := m.WhichOneof(m.Descriptor().Oneofs().ByName("node")); fd != nil {
		return string(fd.Name())
	}
	return ""
}

func readOnlyOrUnsupported(sql string, n *pg.Node, loc int32) error {
	name := nodeName(n)
	if what, ok := writeNodes[name]; ok {
		e := pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute %s: Hotdata is read-only", what).WithHint(readOnlyHint)
		return e
	}
	what := strings.ToUpper(strings.ReplaceAll(strings.TrimSuffix(name, "_stmt"), "_", " "))
	if c := n.GetCopyStmt(); c != nil {
		if c.IsFrom {
			return pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute COPY FROM: Hotdata is read-only").WithHint(readOnlyHint)
		}
		what = "COPY"
	}
	return pgerr.New(pgerr.FeatureNotSupported, "%s is not supported by Hotdata", what).WithHint(unsupportedHint)
}

// checkReadOnly rejects data-modifying CTEs, SELECT INTO and row locks.
func checkReadOnly(sql string, n *pg.Node) error {
	var err error
	walk(n, func(m protoreflect.Message) bool {
		if err != nil {
			return false
		}
		switch v := m.Interface().(type) {
		case *pg.InsertStmt, *pg.UpdateStmt, *pg.DeleteStmt, *pg.MergeStmt:
			what := strings.ToUpper(strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%T", v), "*pg_query."), "Stmt"))
			err = pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute %s: Hotdata is read-only", what).WithHint(readOnlyHint)
		case *pg.SelectStmt:
			if v.IntoClause != nil {
				err = pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute SELECT INTO: Hotdata is read-only").WithHint(readOnlyHint)
			}
			if len(v.LockingClause) > 0 {
				err = pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot lock rows (SELECT … FOR UPDATE/SHARE): Hotdata is read-only").WithHint(readOnlyHint)
			}
		}
		return true
	})
	return err
}

// rewriteQuery analyzes the query of raw (package translate) into the
// engine SQL, result columns and parameter types of st, and, for the
// live route, renders the client's statement with the upstream's table
// names and nothing else changed.
func rewriteQuery(sql string, version int32, raw *pg.RawStmt, st *Statement, cat *Catalog, opts Options) error {
	var upTables []*Object
	if opts.Live {
		up, tables, readsSystem, err := upstreamSQL(sql, version, raw, cat)
		if err != nil {
			return err
		}
		st.upstream, upTables = up, tables
		st.constParams = !paramsAsPositions(raw.Stmt)
		st.liveErr = liveCheck(raw.Stmt, readsSystem, opts.ParamTypes, cat, tables)
	}
	var system []*Object
	res, err := translate.Analyze(sql, raw.Stmt, cat.env(sql, opts, &system))
	if err != nil {
		// What the cache engine cannot run may still run live: the
		// upstream computes it (and is the judge of what is an error:
		// a column the cache holds in another form reads as the
		// upstream's type there). The engine's refusal is kept for a
		// run that reads the cache.
		if opts.Live && st.liveErr == nil && len(upTables) > 0 {
			st.engineErr, st.Tables, st.Params = err, upTables, maxParam(raw.Stmt)
			return nil
		}
		if code := pgerr.Code(err); st.liveErr != nil && len(upTables) > 0 && (code == pgerr.FeatureNotSupported || code == pgerr.UndefinedFunction) {
			// An upstream's own function is unknown here; say why it
			// cannot run live rather than that it does not exist.
			return st.liveErr
		}
		return err
	}
	st.Engine = res.SQL
	st.Columns = res.Columns
	st.ParamTypes = res.Params
	st.Params = len(res.Params)
	st.Volatile = res.Volatile
	st.uncacheable = res.Uncacheable
	st.Catalog = res.Catalog || len(system) > 0
	for _, t := range res.Tables {
		if o, ok := t.(*Object); ok && o.Kind != KindSystem {
			st.Tables = append(st.Tables, o)
		}
	}
	return nil
}

// upstreamSQL is the statement as the upstream runs it: table names
// without the connection, nothing else rewritten.
// It returns the tables it reads and whether it reads the emulated
// catalog.
func upstreamSQL(sql string, version int32, raw *pg.RawStmt, cat *Catalog) (up string, tables []*Object, readsSystem bool, err error) {
	tree := &pg.ParseResult{Version: version, Stmts: []*pg.RawStmt{{Stmt: proto.Clone(raw.Stmt).(*pg.Node)}}}
	seen := map[*Object]bool{}
	walkScoped(tree.Stmts[0].Stmt, func(m protoreflect.Message, ctes cteScope) bool {
		if sel, ok := m.Interface().(*pg.SelectStmt); ok && err == nil {
			err = nullTiesCount(sql, sel)
		}
		if tn, ok := m.Interface().(*pg.TypeName); ok && err == nil {
			// An upstream enum is named as the upstream names it (the
			// live connection's search_path holds only pg_catalog).
			if schema, name, ok := cat.upstreamEnum(typeNameParts(tn)); ok {
				tn.Names = []*pg.Node{pg.MakeStrNode(schema), pg.MakeStrNode(name)}
			}
			return true
		}
		rv, ok := m.Interface().(*pg.RangeVar)
		if !ok || err != nil {
			return err == nil
		}
		// A WITH query's name in its scope; any other name is a table
		// of the workspace (never the upstream's own).
		if rv.Catalogname == "" && rv.Schemaname == "" && ctes.has(rv.Relname) {
			return true
		}
		if _, isSys, serr := resolveSystem(sql, rv); isSys {
			err, readsSystem = serr, true
			return true
		}
		obj, rerr := resolveRangeVar(sql, rv, cat)
		if rerr != nil {
			err = rerr
			return true
		}
		if !seen[obj] {
			seen[obj] = true
			tables = append(tables, obj)
		}
		rv.Catalogname, rv.Schemaname, rv.Relname = "", obj.Schema, obj.Name
		return true
	})
	if err != nil {
		return "", nil, false, err
	}
	out, derr := pg.Deparse(tree)
	if derr != nil {
		return "", nil, false, pgerr.Wrap(derr, pgerr.InternalError, "could not render the statement for the upstream")
	}
	return out, tables, readsSystem, nil
}

// nullTiesCount is the error PostgreSQL's parser gives for FETCH FIRST
// NULL ROWS WITH TIES (transformLimitClause), which the deparser cannot
// write back (it prints an untyped NULL count as LIMIT ALL).
func nullTiesCount(sql string, sel *pg.SelectStmt) error {
	if sel.LimitOption != pg.LimitOption_LIMIT_OPTION_WITH_TIES {
		return nil
	}
	if c := sel.LimitCount.GetAConst(); c != nil && c.Isnull {
		e := pgerr.New("2201W", "row count cannot be null in FETCH FIRST ... WITH TIES clause")
		e.Position = charPosition(sql, c.Location)
		return e
	}
	return nil
}

func resolveRangeVar(sql string, rv *pg.RangeVar, cat *Catalog) (*Object, error) {
	matches := cat.resolve(rv.Catalogname, rv.Schemaname, rv.Relname)
	written := displayName(rv)
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		e := pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", written)
		e.Position = charPosition(sql, rv.Location)
		e.Hint = "Name tables as <connection>.<schema>.<table> or datasets.<table>; GET /v1/information_schema lists them."
		if near := nearNames(rv, cat); len(near) > 0 {
			e.Hint = "Perhaps you meant " + strings.Join(near, " or ") + ". " + e.Hint
		}
		return nil, e
	default:
		names := make([]string, len(matches))
		for i, m := range matches {
			names[i] = m.QualifiedName()
		}
		e := pgerr.New(pgerr.AmbiguousAlias, "table name %q is ambiguous", written)
		e.Position = charPosition(sql, rv.Location)
		e.Hint = "Qualify it as one of: " + strings.Join(names, ", ")
		return nil, e
	}
}

func displayName(rv *pg.RangeVar) string {
	parts := []string{}
	for _, p := range []string{rv.Catalogname, rv.Schemaname, rv.Relname} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ".")
}

func planSet(s *pg.VariableSetStmt) (*Setting, error) {
	set := &Setting{Name: strings.ToLower(s.Name), Local: s.IsLocal}
	switch s.Kind {
	case pg.VariableSetKind_VAR_SET_VALUE:
		vals := make([]string, 0, len(s.Args))
		for _, a := range s.Args {
			v, ok := constText(a)
			if tc := a.GetTypeCast(); ok && tc != nil && set.Name == "timezone" && isIntervalType(tc.TypeName) {
				// SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE is the
				// offset in hours, as SET TIME ZONE 5.5 gives it.
				if v, ok = intervalHours(v); !ok {
					return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid interval value for time zone: %q", v).
						WithHint("Use [+-]hh[:mm], or a time zone name.")
				}
			}
			if !ok {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "SET %s: value must be a constant", s.Name)
			}
			if listQuoted[set.Name] && a.GetAConst().GetSval() != nil {
				v = pgcatalog.QuoteIdent(v) // as PostgreSQL keeps a GUC_LIST_QUOTE list
			}
			vals = append(vals, v)
		}
		set.Value = strings.Join(vals, ", ")
	case pg.VariableSetKind_VAR_SET_DEFAULT, pg.VariableSetKind_VAR_RESET:
		set.Reset = true
	case pg.VariableSetKind_VAR_RESET_ALL:
		set.Name, set.Reset = "all", true
	case pg.VariableSetKind_VAR_SET_MULTI:
		// SET TRANSACTION … ("transaction") or SET SESSION
		// CHARACTERISTICS AS TRANSACTION … ("session characteristics"):
		// the modes go in Statement.Tx.
		set.Name = strings.ToLower(s.Name)
	default:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "SET %s FROM CURRENT is not supported", s.Name)
	}
	return set, nil
}

func isIntervalType(tn *pg.TypeName) bool {
	if tn == nil || len(tn.Names) == 0 {
		return false
	}
	last := tn.Names[len(tn.Names)-1].GetString_()
	return last != nil && last.Sval == "interval"
}

// intervalHours turns "[+-]hh[:mm[:ss]]" into hours ("5.5").
func intervalHours(v string) (string, bool) {
	s := strings.TrimSpace(v)
	sign := 1.0
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		s, sign = rest, -1
	} else {
		s = strings.TrimPrefix(s, "+")
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 || s == "" {
		return v, false
	}
	hours, scale := 0.0, 1.0
	for _, p := range parts {
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			return v, false
		}
		hours += float64(n) / scale
		scale *= 60
	}
	return strconv.FormatFloat(sign*hours, 'f', -1, 64), true
}

// listQuoted are the settings whose value is a list of names, each
// quoted as an identifier when it needs quotes (GUC_LIST_QUOTE):
// SET search_path = "sales.public", public shows "sales.public", public.
var listQuoted = map[string]bool{"search_path": true, "temp_tablespaces": true}

// constText renders a SET argument: strings unquoted, numbers as written.
func constText(n *pg.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	if tc := n.GetTypeCast(); tc != nil {
		return constText(tc.Arg)
	}
	c := n.GetAConst()
	if c == nil {
		return "", false
	}
	switch v := c.Val.(type) {
	case *pg.A_Const_Sval:
		return v.Sval.Sval, true
	case *pg.A_Const_Ival:
		return fmt.Sprint(v.Ival.Ival), true
	case *pg.A_Const_Fval:
		return v.Fval.Fval, true
	case *pg.A_Const_Boolval:
		if v.Boolval.Boolval {
			return "on", true
		}
		return "off", true
	}
	return "", false
}

func planTx(t *pg.TransactionStmt) (*TxCommand, string, error) {
	tx := &TxCommand{Savepoint: t.SavepointName}
	switch t.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_BEGIN, pg.TransactionStmtKind_TRANS_STMT_START:
		tx.Kind, tx.Modes = TxBegin, txModes(t.Options)
		if t.Kind == pg.TransactionStmtKind_TRANS_STMT_START {
			return tx, "START TRANSACTION", nil
		}
		return tx, "BEGIN", nil
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT:
		tx.Kind = TxCommit
		return tx, "COMMIT", nil
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		tx.Kind = TxRollback
		return tx, "ROLLBACK", nil
	case pg.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		tx.Kind = TxSavepoint
		return tx, "SAVEPOINT", nil
	case pg.TransactionStmtKind_TRANS_STMT_RELEASE:
		tx.Kind = TxRelease
		return tx, "RELEASE", nil
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		tx.Kind = TxRollbackTo
		return tx, "ROLLBACK", nil
	}
	return nil, "", pgerr.New(pgerr.FeatureNotSupported, "two-phase commit is not supported")
}

// typeNameText renders a TypeName as SQL ("int4", "varchar(10)", "text[]").
func typeNameText(tn *pg.TypeName) string {
	if tn == nil {
		return ""
	}
	var names []string
	for _, n := range tn.Names {
		if s := n.GetString_(); s != nil && s.Sval != "pg_catalog" {
			names = append(names, s.Sval)
		}
	}
	out := strings.Join(names, ".")
	var mods []string
	for _, m := range tn.Typmods {
		if c := m.GetAConst(); c != nil {
			if v, ok := constText(m); ok {
				mods = append(mods, v)
			}
		}
	}
	if len(mods) > 0 {
		out += "(" + strings.Join(mods, ",") + ")"
	}
	if len(tn.ArrayBounds) > 0 {
		out += "[]"
	}
	return out
}

// deparseExpr renders one expression as SQL, through a one-column SELECT.
func deparseExpr(version int32, e *pg.Node) (string, error) {
	sel := &pg.SelectStmt{TargetList: []*pg.Node{pg.MakeResTargetNodeWithVal(e, 0)}}
	out, err := pg.Deparse(&pg.ParseResult{Version: version, Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}}}})
	if err != nil {
		return "", pgerr.Wrap(err, pgerr.InternalError, "could not render an EXECUTE argument")
	}
	return strings.TrimPrefix(out, "SELECT "), nil
}

// planCopy turns COPY … TO STDOUT into its query and options.
func planCopy(c *pg.CopyStmt) (*pg.Node, *CopyOptions, error) {
	if c.IsFrom {
		return nil, nil, pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute COPY FROM: Hotdata is read-only").WithHint(readOnlyHint)
	}
	if c.IsProgram || c.Filename != "" {
		return nil, nil, pgerr.New(pgerr.InsufficientPrivilege, "COPY to a file or program is not allowed").
			WithHint("Use COPY … TO STDOUT; psql's \\copy writes the file on the client.")
	}
	opts := &CopyOptions{Format: "text"}
	for _, o := range c.Options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		v, _ := constText(d.Arg)
		if d.Arg == nil {
			v = "true"
		}
		if s := d.Arg.GetString_(); s != nil {
			v = s.Sval
		}
		if b := d.Arg.GetBoolean(); b != nil {
			v = strconv.FormatBool(b.Boolval)
		}
		switch d.Defname {
		case "format":
			switch strings.ToLower(v) {
			case "text", "csv", "binary":
				opts.Format = strings.ToLower(v)
			default:
				return nil, nil, pgerr.New(pgerr.InvalidParameterValue, "COPY format %q not recognized", v)
			}
		case "header":
			switch strings.ToLower(v) {
			case "true", "on", "1":
				opts.Header = true
			case "false", "off", "0":
			default:
				return nil, nil, pgerr.New(pgerr.InvalidParameterValue, "header requires a Boolean value")
			}
		default:
			return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY option %q is not supported", d.Defname).
				WithHint("Hotdata's COPY TO STDOUT takes FORMAT text|csv|binary and HEADER.")
		}
	}
	if opts.Header && opts.Format == "binary" {
		return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "cannot specify HEADER in BINARY mode")
	}
	if c.Query != nil {
		return c.Query, opts, nil
	}
	// COPY table [(columns)] TO STDOUT reads SELECT columns FROM table.
	targets := []*pg.Node{}
	for _, a := range c.Attlist {
		if s := a.GetString_(); s != nil {
			targets = append(targets, pg.MakeResTargetNodeWithVal(pg.MakeColumnRefNode([]*pg.Node{pg.MakeStrNode(s.Sval)}, 0), 0))
		}
	}
	if len(targets) == 0 {
		targets = append(targets, pg.MakeResTargetNodeWithVal(pg.MakeColumnRefNode([]*pg.Node{pg.MakeAStarNode()}, 0), 0))
	}
	sel := &pg.SelectStmt{Op: pg.SetOperation_SETOP_NONE, LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT, TargetList: targets, FromClause: []*pg.Node{{Node: &pg.Node_RangeVar{RangeVar: c.Relation}}}}
	if c.WhereClause != nil {
		sel.WhereClause = c.WhereClause
	}
	return &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}, opts, nil
}
