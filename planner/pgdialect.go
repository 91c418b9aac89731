package planner

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgcatalog"
)

// This file rewrites what PostgreSQL clients send and DuckDB would read
// differently or reject: references to the emulated catalog, pg_catalog
// and information_schema functions, reg* casts, OPERATOR(pg_catalog.x),
// COLLATE pg_catalog.default, regular expression operators, format(),
// scalar functions in FROM, and the functions whose value belongs to the
// session (current_user, current_setting).

// systemObjects are the emulated relations as catalog objects, for
// result and parameter types; filled once by init, read-only after.
var systemObjects = map[*pgcatalog.Relation]*Object{}

func systemObject(rel *pgcatalog.Relation) *Object { return systemObjects[rel] }

func newSystemObject(rel *pgcatalog.Relation) *Object {
	cat, schema, name := rel.EngineName()
	o := &Object{Kind: KindSystem, Catalog: cat, Schema: schema, Name: name, Columns: map[string]string{}, ColumnOrder: rel.Columns}
	for _, c := range rel.Columns {
		o.Columns[c] = pgcatalog.ClientType(rel.Types[c])
	}
	return o
}

func init() {
	for _, schema := range []string{"pg_catalog", "information_schema"} {
		for _, name := range pgcatalog.RelationNames(schema) {
			rel, _ := pgcatalog.Lookup(schema, name)
			systemObjects[rel] = newSystemObject(rel)
		}
	}
}

// resolveSystem resolves a name that means an emulated catalog relation:
// pg_catalog.x, information_schema.x, or an unqualified pg_catalog name
// (PostgreSQL searches pg_catalog first). ok is false for other names.
func resolveSystem(sql string, rv *pg.RangeVar) (obj *Object, ok bool, err error) {
	if rv.Catalogname != "" {
		return nil, false, nil
	}
	if rv.Schemaname == "" {
		rel, found := pgcatalog.Lookup("", rv.Relname)
		if !found {
			return nil, false, nil
		}
		return systemObject(rel), true, nil
	}
	if !pgcatalog.IsSystemSchema(rv.Schemaname) {
		return nil, false, nil
	}
	rel, found := pgcatalog.Lookup(rv.Schemaname, rv.Relname)
	if !found {
		e := pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", rv.Schemaname+"."+rv.Relname)
		e.Position = charPosition(sql, rv.Location)
		e.Hint = "Hotdata emulates PostgreSQL's pg_catalog and information_schema relations; this one is not among them."
		return nil, true, e
	}
	return systemObject(rel), true, nil
}

// markerQuote brackets a session value marker in the engine SQL:
// '\x02hd:user\x02' is replaced by the value when the statement runs.
const markerQuote = "\x02"

func marker(key string) *pg.Node {
	return pg.MakeAConstStrNode(markerQuote+"hd:"+key+markerQuote, -1)
}

// regTypes are the OID alias types (src/include/catalog/pg_type.dat).
var regTypes = wordSet(`regclass regtype regproc regprocedure regnamespace regrole regoper regoperator regconfig
	regdictionary regcollation oid xid cid`)

// engineTypeNames maps PostgreSQL-only type names to what the engine
// calls the type holding the same values.
var engineTypeNames = map[string]string{
	"name": "varchar", "bpchar": "varchar", "jsonb": "json", "aclitem": "varchar", "pg_node_tree": "varchar",
	"int2vector": "smallint[]", "oidvector": "uinteger[]", "xid": "uinteger", "cid": "uinteger", "oid": "uinteger",
	"regproc": "varchar", "regprocedure": "varchar", "pg_lsn": "varchar", "anyarray": "varchar",
}

// deparsedTypes are the pg_catalog types the deparser prints by their
// SQL standard names, which the engine knows.
var deparsedTypes = wordSet(`bpchar varchar numeric bool int2 int4 int8 float4 float8 time timetz timestamp timestamptz
	interval bit varbit`)

// rewriteDialect rewrites n in place for the engine. It runs after the
// result columns got their PostgreSQL names.
func rewriteDialect(sql string, n *pg.Node, st *Statement, cat *Catalog) error {
	var err error
	walk(n, func(m protoreflect.Message) bool {
		if err != nil {
			return false
		}
		node, ok := m.Interface().(*pg.Node)
		if !ok {
			switch v := m.Interface().(type) {
			case *pg.TypeName:
				engineTypeName(v)
			case *pg.RangeFunction:
				nameScalarFunctionColumn(v)
			}
			return true
		}
		switch v := node.Node.(type) {
		case *pg.Node_RangeFunction:
			scalarFunctionInFrom(node, v.RangeFunction)
		case *pg.Node_ColumnRef:
			schemaQualifiedColumn(v.ColumnRef, cat)
		case *pg.Node_FuncCall:
			err = rewriteFunc(node, v.FuncCall, st)
		case *pg.Node_SqlvalueFunction:
			rewriteValueFunc(node, v.SqlvalueFunction, st)
		case *pg.Node_TypeCast:
			arrayLiteral(v.TypeCast, st)
			intervalQualifier(v.TypeCast)
			err = rewriteRegCast(sql, node, v.TypeCast, st, cat)
		case *pg.Node_AExpr:
			regComparison(v.AExpr)
			rewriteOperator(node, v.AExpr, st)
		case *pg.Node_CollateClause:
			if isDefaultCollation(v.CollateClause.Collname) && v.CollateClause.Arg != nil {
				node.Node = v.CollateClause.Arg.Node
			}
		}
		return true
	})
	return err
}

func strs(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}

func isDefaultCollation(names []*pg.Node) bool {
	parts := strs(names)
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		parts = parts[1:]
	}
	if len(parts) != 1 {
		return false
	}
	switch parts[0] {
	case "default", "C", "POSIX", "ucs_basic":
		return true
	}
	return false
}

func qualifiedFunc(name string) []*pg.Node {
	return []*pg.Node{pg.MakeStrNode(pgcatalog.EngineCatalog), pg.MakeStrNode("pg"), pg.MakeStrNode(name)}
}

func callNode(name string, args ...*pg.Node) *pg.Node {
	return &pg.Node{Node: &pg.Node_FuncCall{FuncCall: &pg.FuncCall{Funcname: qualifiedFunc(name), Args: args, Funcformat: pg.CoercionForm_COERCE_EXPLICIT_CALL}}}
}

// volatileFunctions return something else each time they run.
var volatileFunctions = wordSet(`now random setseed clock_timestamp statement_timestamp transaction_timestamp timeofday
	gen_random_uuid uuid uuidv4 uuidv7 txid_current nextval currval pg_sleep current_query pg_postmaster_start_time`)

// engineFunctionNames are PostgreSQL functions the engine has under
// another name, with the same arguments and meaning.
var engineFunctionNames = map[string]string{
	"json_build_object": "json_object", "jsonb_build_object": "json_object",
	"json_build_array": "json_array", "jsonb_build_array": "json_array",
	"btrim": "trim", // TRIM([BOTH] …) in PostgreSQL's parse tree
}

func rewriteFunc(node *pg.Node, fc *pg.FuncCall, st *Statement) error {
	parts := strs(fc.Funcname)
	if len(parts) > 0 && volatileFunctions[parts[len(parts)-1]] {
		st.Volatile = true
	}
	if len(parts) == 2 && parts[0] == "information_schema" && pgcatalog.InfoSchemaFunctions[parts[1]] {
		fc.Funcname = []*pg.Node{pg.MakeStrNode(pgcatalog.EngineCatalog), pg.MakeStrNode("info"), pg.MakeStrNode(parts[1])}
		st.Catalog = true
		return nil
	}
	if len(parts) != len(fc.Funcname) || len(parts) == 0 || len(parts) > 2 || len(parts) == 2 && parts[0] != "pg_catalog" {
		return nil
	}
	name := parts[len(parts)-1]
	if e, ok := engineFunctionNames[name]; ok {
		fc.Funcname = []*pg.Node{pg.MakeStrNode(e)}
		fc.Funcformat = pg.CoercionForm_COERCE_EXPLICIT_CALL
		return nil
	}
	switch name {
	case "format":
		if len(fc.Args) > 0 && !fc.AggStar && fc.Over == nil {
			return rewriteFormat(node, fc, st)
		}
	case "current_schema":
		if len(fc.Args) == 0 {
			node.Node = marker("schema").Node
			st.session = true
			return nil
		}
	case "current_schemas":
		if len(fc.Args) == 1 {
			implicit, ok := boolConst(fc.Args[0])
			if !ok {
				return pgerr.New(pgerr.FeatureNotSupported, "current_schemas() takes a constant true or false here")
			}
			node.Node = marker("schemas:" + strconv.FormatBool(implicit)).Node
			st.session = true
			return nil
		}
	case "current_setting":
		if len(fc.Args) == 1 || len(fc.Args) == 2 {
			key := "setting:"
			if len(fc.Args) == 2 {
				missingOK, ok := boolConst(fc.Args[1])
				if !ok {
					return pgerr.New(pgerr.FeatureNotSupported, "current_setting()'s missing_ok takes a constant true or false here")
				}
				if missingOK {
					key = "setting?:"
				}
			}
			if fc.Args[0].GetParamRef() != nil {
				// A Normalize template: the plan is made again with the name.
				st.constSensitive = true
				node.Node = marker("setting-param").Node
			} else if s, ok := stringConst(fc.Args[0]); ok {
				node.Node = marker(key + strings.ToLower(s)).Node
			} else {
				return pgerr.New(pgerr.FeatureNotSupported, "current_setting() takes a constant setting name here").
					WithHint("Use SHOW name, or current_setting('name').")
			}
			st.session = true
			return nil
		}
	case "pg_backend_pid":
		if len(fc.Args) == 0 {
			node.Node = marker("pid").Node
			st.session = true
			return nil
		}
	case "set_config":
		// SELECT set_config('name', 'value', b) alone is a SET (see
		// setConfigCall); elsewhere it fails if it runs, so that a
		// query where no row calls it still answers (pg_dump's
		// set_config(name, …) FROM pg_settings WHERE name = '…').
		st.Volatile = true
		for _, a := range fc.Args {
			if a.GetParamRef() != nil {
				st.constSensitive = true // a Normalize template: planned again with the constants
			}
		}
		node.Node = pg.MakeFuncCallNode([]*pg.Node{pg.MakeStrNode("error")},
			[]*pg.Node{pg.MakeAConstStrNode("set_config() takes constant arguments alone in a SELECT here; use SET name = value", -1)}, fc.Location).Node
		return nil
	}
	if pgcatalog.Functions[name] || pgcatalog.TableFunctions[name] {
		fc.Funcname = qualifiedFunc(name)
		st.Catalog = true
		return nil
	}
	if len(parts) == 2 {
		// A built-in function the engine has under the same name.
		fc.Funcname = fc.Funcname[1:]
	}
	return nil
}

// rewriteFormat turns format(fmt, args…) with a constant fmt into the
// concatenation PostgreSQL's format would produce: %s is the value as
// text (nothing for NULL), %I a quoted identifier, %L a quoted literal
// (NULL unquoted); %n$ picks the argument; %% is a percent sign.
func rewriteFormat(node *pg.Node, fc *pg.FuncCall, st *Statement) error {
	const notConstant = "format() takes a constant format string here"
	if fc.Args[0].GetParamRef() != nil {
		// A Normalize template: the plan is made again with the format;
		// a parameter of the client's own is an error when it runs.
		st.constSensitive = true
		node.Node = &pg.Node_FuncCall{FuncCall: &pg.FuncCall{Funcname: []*pg.Node{pg.MakeStrNode("error")},
			Args: []*pg.Node{pg.MakeAConstStrNode(notConstant, -1)}, Funcformat: pg.CoercionForm_COERCE_EXPLICIT_CALL}}
		return nil
	}
	f, ok := stringConst(fc.Args[0])
	if !ok {
		return pgerr.New(pgerr.FeatureNotSupported, notConstant)
	}
	args := fc.Args[1:]
	var parts []*pg.Node
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, pg.MakeAConstStrNode(lit.String(), -1))
			lit.Reset()
		}
	}
	next := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			lit.WriteByte('%')
			continue
		}
		arg := next
		j := i
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
		}
		if j > i && j < len(f) && f[j] == '$' {
			n, _ := strconv.Atoi(f[i:j])
			if n == 0 {
				return pgerr.New(pgerr.InvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
			}
			arg, i = n-1, j+1
		}
		if i >= len(f) {
			return pgerr.New(pgerr.InvalidParameterValue, "unterminated format() type specifier").
				WithHint(`For a single "%%" use "%%%%".`)
		}
		if arg >= len(args) {
			return pgerr.New(pgerr.InvalidParameterValue, "too few arguments for format()")
		}
		next = arg + 1
		flush()
		value := proto.Clone(args[arg]).(*pg.Node)
		switch f[i] {
		case 's':
			parts = append(parts, castNode(value, "text"))
		case 'I':
			parts = append(parts, callNode("hd_format_ident", value))
		case 'L':
			parts = append(parts, callNode("quote_nullable", value))
		default:
			return pgerr.New(pgerr.FeatureNotSupported, "format() conversion %q is not supported", "%"+f[i:i+1]).
				WithHint("Hotdata's format() takes %%s, %%I, %%L and %%n$ positions, without flags or widths.")
		}
	}
	flush()
	if len(parts) == 0 {
		parts = append(parts, pg.MakeAConstStrNode("", -1))
	}
	node.Node = &pg.Node_FuncCall{FuncCall: &pg.FuncCall{Funcname: []*pg.Node{pg.MakeStrNode("concat")}, Args: parts,
		Funcformat: pg.CoercionForm_COERCE_EXPLICIT_CALL, Location: fc.Location}}
	return nil
}

func rewriteValueFunc(node *pg.Node, f *pg.SQLValueFunction, st *Statement) {
	switch f.Op {
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N,
		pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N,
		pg.SQLValueFunctionOp_SVFOP_LOCALTIME, pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N,
		pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		st.Volatile = true
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER, pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE,
		pg.SQLValueFunctionOp_SVFOP_SESSION_USER, pg.SQLValueFunctionOp_SVFOP_USER:
		node.Node = marker("user").Node
		st.session = true
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		node.Node = marker("schema").Node
		st.session = true
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		node.Node = callNode("current_database").Node
		st.Catalog = true
	}
}

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

func stringConst(n *pg.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	if c := n.GetAConst(); c != nil {
		if s, ok := c.Val.(*pg.A_Const_Sval); ok {
			return s.Sval.Sval, true
		}
	}
	return "", false
}

// engineTypeName drops the pg_catalog qualifier of a type name and
// renames PostgreSQL-only types.
func engineTypeName(tn *pg.TypeName) {
	parts := strs(tn.Names)
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		if deparsedTypes[parts[1]] {
			return // printed as the SQL standard name (int, boolean, …)
		}
		tn.Names = tn.Names[1:]
		parts = parts[1:]
	}
	if len(parts) != 1 {
		return
	}
	if e, ok := engineTypeNames[parts[0]]; ok {
		name, arr := strings.CutSuffix(e, "[]")
		tn.Names = []*pg.Node{pg.MakeStrNode(name)}
		if arr && len(tn.ArrayBounds) == 0 {
			tn.ArrayBounds = []*pg.Node{pg.MakeIntNode(-1)}
		}
	}
}

// rewriteRegCast turns casts to OID alias types into what they mean:
// 'name'::regclass looks the name up now (an OID constant, or the error
// PostgreSQL gives); a parameter is looked up when the statement runs;
// an OID expression cast to a reg type prints as the object's name.
func rewriteRegCast(sql string, node *pg.Node, tc *pg.TypeCast, st *Statement, cat *Catalog) error {
	if tc.TypeName == nil {
		return nil
	}
	if len(tc.TypeName.ArrayBounds) > 0 {
		regArrayCast(node, tc, st)
		return nil
	}
	parts := strs(tc.TypeName.Names)
	if len(parts) == 0 || len(parts) > 2 || len(parts) == 2 && parts[0] != "pg_catalog" || !regTypes[parts[len(parts)-1]] {
		return nil
	}
	typ := parts[len(parts)-1]
	st.Catalog = true // the lookups and names come from the catalog
	uint := func(arg *pg.Node) *pg.Node { return castNode(arg, "uinteger") }
	switch typ {
	case "oid", "xid", "cid":
		// x::regclass::oid is the OID x stands for: the OID itself when
		// x is one (not its name, as x::regclass alone prints).
		if inner := tc.Arg.GetTypeCast(); inner != nil && isRegCast(inner) && !isTextExpr(inner.Arg) && inner.Arg.GetParamRef() == nil {
			node.Node = uint(inner.Arg).Node
			return nil
		}
		node.Node = uint(tc.Arg).Node
		return nil
	case "regoper", "regoperator", "regconfig", "regdictionary", "regcollation":
		return pgerr.New(pgerr.FeatureNotSupported, "type %s is not supported by Hotdata", typ)
	}
	s, isString := stringConst(tc.Arg)
	if tc.Arg.GetParamRef() != nil {
		st.constSensitive = true
		switch typ {
		case "regproc", "regprocedure":
			node.Node = callNode("hd_regproc_in", tc.Arg).Node
		default:
			node.Node = callNode("hd_"+typ+"_in", tc.Arg).Node
		}
		return nil
	}
	if !isString {
		switch {
		case (typ == "regproc" || typ == "regprocedure") && isTextExpr(tc.Arg):
			node.Node = callNode("hd_regproc_in", tc.Arg).Node
		case typ == "regproc" || typ == "regprocedure":
			node.Node = callNode("hd_"+typ+"_out", tc.Arg).Node
		case isTextExpr(tc.Arg):
			// A name computed when the statement runs
			// (quote_ident(s) || '.' || quote_ident(t)): looked up then.
			node.Node = callNode("hd_"+typ+"_in", tc.Arg).Node
		default:
			node.Node = callNode("hd_"+typ+"_out", tc.Arg).Node
		}
		return nil
	}
	pos := charPosition(sql, tc.Location)
	switch typ {
	case "regclass":
		oid, err := regclassOID(s, cat)
		if err != nil {
			if e, ok := err.(*pgerr.Error); ok && e.Position == 0 {
				e.Position = pos
			}
			return err
		}
		node.Node = uint(pg.MakeAConstIntNode(int64(oid), -1)).Node
	case "regtype":
		oid, ok := pgcatalog.TypeOID(s)
		if n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32); err == nil {
			oid, ok = uint32(n), true
		}
		if !ok {
			e := pgerr.New(pgerr.UndefinedObject, "type %q does not exist", s)
			e.Position = pos
			return e
		}
		node.Node = uint(pg.MakeAConstIntNode(int64(oid), -1)).Node
	case "regproc", "regprocedure":
		oid, err := regprocOID(typ, s)
		if err != nil {
			err.Position = pos
			return err
		}
		node.Node = uint(pg.MakeAConstIntNode(int64(oid), -1)).Node
	default: // regnamespace, regrole
		node.Node = callNode("hd_"+typ+"_in", tc.Arg).Node
	}
	return nil
}

// isRegCast reports a cast to one of the OID alias types that name
// objects (regclass, regtype, regnamespace, regrole).
func isRegCast(tc *pg.TypeCast) bool {
	if tc.TypeName == nil || len(tc.TypeName.ArrayBounds) > 0 {
		return false
	}
	parts := strs(tc.TypeName.Names)
	if len(parts) == 0 || len(parts) > 2 || len(parts) == 2 && parts[0] != "pg_catalog" {
		return false
	}
	switch parts[len(parts)-1] {
	case "regclass", "regtype", "regnamespace", "regrole":
		return true
	}
	return false
}

// textFunctions are the functions whose value is text, which cast to a
// reg type is a name to look up.
var textFunctions = wordSet(`format concat concat_ws quote_ident lower upper replace substring substr btrim ltrim rtrim
	trim lpad rpad pg_get_serial_sequence current_schema current_database current_user session_user`)

// isTextExpr reports an expression whose value is text, as far as its
// form tells: a string, a concatenation, a cast to a string type, a
// function that returns text.
func isTextExpr(n *pg.Node) bool {
	if n == nil {
		return false
	}
	if _, ok := stringConst(n); ok {
		return true
	}
	switch v := n.Node.(type) {
	case *pg.Node_AExpr:
		op := strs(v.AExpr.Name)
		return v.AExpr.Kind == pg.A_Expr_Kind_AEXPR_OP && len(op) > 0 && op[len(op)-1] == "||"
	case *pg.Node_TypeCast:
		if v.TypeCast.TypeName == nil || len(v.TypeCast.TypeName.ArrayBounds) > 0 {
			return false
		}
		parts := strs(v.TypeCast.TypeName.Names)
		switch parts[len(parts)-1] {
		case "text", "varchar", "bpchar", "name":
			return true
		}
	case *pg.Node_FuncCall:
		parts := strs(v.FuncCall.Funcname)
		return len(parts) > 0 && textFunctions[parts[len(parts)-1]]
	case *pg.Node_CoalesceExpr:
		return len(v.CoalesceExpr.Args) > 0 && isTextExpr(v.CoalesceExpr.Args[0])
	}
	return false
}

// regclassOID looks up 'name'::regclass as PostgreSQL does: the text is
// a possibly qualified, possibly quoted relation name.
func regclassOID(s string, cat *Catalog) (uint32, error) {
	if n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32); err == nil {
		return uint32(n), nil // an OID stands for itself, as in regclassin
	}
	tree, err := pg.Parse("SELECT FROM " + s)
	var rv *pg.RangeVar
	if err == nil && len(tree.Stmts) == 1 {
		if sel := tree.Stmts[0].Stmt.GetSelectStmt(); sel != nil && len(sel.FromClause) == 1 {
			rv = sel.FromClause[0].GetRangeVar()
		}
	}
	if rv == nil || rv.Alias != nil || !rv.Inh {
		return 0, pgerr.New(pgerr.InvalidName, "invalid name syntax: %q", s)
	}
	if obj, ok, err := resolveSystem(s, rv); ok {
		if err != nil {
			return 0, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", s)
		}
		if oid, ok := pgcatalog.RelationOID(obj.Name); ok {
			return oid, nil
		}
		return 0, pgerr.New(pgerr.FeatureNotSupported, "relation %q has no OID in Hotdata's catalog", s)
	}
	matches := cat.resolve(rv.Catalogname, rv.Schemaname, rv.Relname)
	if len(matches) != 1 || matches[0].OID == 0 {
		return 0, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", s)
	}
	return matches[0].OID, nil
}

// rewriteOperator drops pg_catalog from OPERATOR(pg_catalog.op) and turns
// PostgreSQL's regular expression operators (a partial match) into the
// engine's function: the engine's ~ means a full match.
func rewriteOperator(node *pg.Node, e *pg.A_Expr, st *Statement) {
	if len(e.Name) == 2 {
		if parts := strs(e.Name); len(parts) == 2 && parts[0] == "pg_catalog" {
			e.Name = e.Name[1:]
		}
	}
	// x = ANY(array) and x <> ALL(array) in a catalog query: the
	// engine's own makes a subquery of the array, which it cannot join
	// on in an outer join (SQLAlchemy's index query does).
	if (e.Kind == pg.A_Expr_Kind_AEXPR_OP_ANY || e.Kind == pg.A_Expr_Kind_AEXPR_OP_ALL) && st.Catalog && e.Lexpr != nil && e.Rexpr != nil {
		op := strs(e.Name)
		any := e.Kind == pg.A_Expr_Kind_AEXPR_OP_ANY
		if len(op) == 1 && (any && op[0] == "=" || !any && op[0] == "<>") {
			call := callNode("hd_any_eq", e.Lexpr, e.Rexpr)
			if !any {
				call = pg.MakeBoolExprNode(pg.BoolExprType_NOT_EXPR, []*pg.Node{call}, -1)
			}
			node.Node = call.Node
		}
		return
	}
	if e.Kind != pg.A_Expr_Kind_AEXPR_OP || len(e.Name) != 1 || e.Lexpr == nil || e.Rexpr == nil {
		return
	}
	op := strs(e.Name)
	if len(op) != 1 {
		return
	}
	var negate bool
	args := []*pg.Node{e.Lexpr, e.Rexpr}
	switch op[0] {
	case "~":
	case "~*":
		args = append(args, pg.MakeAConstStrNode("i", -1))
	case "!~":
		negate = true
	case "!~*":
		negate = true
		args = append(args, pg.MakeAConstStrNode("i", -1))
	default:
		return
	}
	call := &pg.Node{Node: &pg.Node_FuncCall{FuncCall: &pg.FuncCall{Funcname: []*pg.Node{pg.MakeStrNode("regexp_matches")}, Args: args,
		Funcformat: pg.CoercionForm_COERCE_EXPLICIT_CALL}}}
	if negate {
		call = pg.MakeBoolExprNode(pg.BoolExprType_NOT_EXPR, []*pg.Node{call}, -1)
	}
	node.Node = call.Node
}

// schemaQualifiedColumn turns schema.table.column (and
// connection.schema.table.column) into table.column: the table is
// named in the engine otherwise than written ("sales.public".orders
// is sales.public.orders), and the upstream reads table.column too.
// SQLAlchemy qualifies every column so.
func schemaQualifiedColumn(cr *pg.ColumnRef, cat *Catalog) {
	if len(cr.Fields) < 3 || len(cr.Fields) > 4 {
		return
	}
	q := strs(cr.Fields[:len(cr.Fields)-1])
	if len(q) != len(cr.Fields)-1 {
		return
	}
	rv := &pg.RangeVar{Relname: q[len(q)-1], Schemaname: q[len(q)-2], Inh: true}
	if len(q) == 3 {
		rv.Catalogname = q[0]
	}
	name := ""
	if _, ok, err := resolveSystem("", rv); ok {
		if err != nil {
			return
		}
		name = rv.Relname
	} else if m := cat.resolve(rv.Catalogname, rv.Schemaname, rv.Relname); len(m) == 1 {
		name = m[0].Name
	} else {
		return
	}
	cr.Fields = []*pg.Node{pg.MakeStrNode(name), cr.Fields[len(cr.Fields)-1]}
}

// arrayLiteral turns '{a,b}'::type[] into ARRAY['a', 'b']::type[]: the
// engine does not read PostgreSQL's array literals. A literal it cannot
// read (several dimensions) is left as written.
func arrayLiteral(tc *pg.TypeCast, st *Statement) {
	if tc.TypeName == nil || len(tc.TypeName.ArrayBounds) != 1 {
		return
	}
	if tc.Arg.GetParamRef() != nil {
		st.constSensitive = true // a Normalize template: planned again with the literal
		return
	}
	s, ok := stringConst(tc.Arg)
	if !ok {
		return
	}
	elems, ok := parseArrayLiteral(s)
	if !ok {
		return
	}
	nodes := make([]*pg.Node, len(elems))
	for i, e := range elems {
		if e == nil {
			nodes[i] = &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Isnull: true, Location: -1}}}
		} else {
			nodes[i] = pg.MakeAConstStrNode(*e, -1)
		}
	}
	tc.Arg = &pg.Node{Node: &pg.Node_AArrayExpr{AArrayExpr: &pg.A_ArrayExpr{Elements: nodes, Location: -1}}}
}

// parseArrayLiteral reads a one-dimensional array literal as
// PostgreSQL's array_in does: {a, "b c", NULL, "NULL"}; a nil element
// is NULL. ok is false for anything else.
func parseArrayLiteral(s string) (elems []*string, ok bool) {
	const space = " \t\n\r\v\f"
	s = strings.Trim(s, space)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	body := s[1 : len(s)-1]
	elems = []*string{}
	if strings.Trim(body, space) == "" {
		return elems, true
	}
	for i := 0; ; {
		for i < len(body) && strings.IndexByte(space, body[i]) >= 0 {
			i++
		}
		var b strings.Builder
		quoted := i < len(body) && body[i] == '"'
		if quoted {
			for i++; i < len(body) && body[i] != '"'; i++ {
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				b.WriteByte(body[i])
			}
			if i >= len(body) {
				return nil, false
			}
			for i++; i < len(body) && strings.IndexByte(space, body[i]) >= 0; i++ {
			}
		} else {
			for ; i < len(body) && body[i] != ','; i++ {
				switch body[i] {
				case '{', '}', '"':
					return nil, false
				case '\\':
					if i+1 < len(body) {
						i++
					}
				}
				b.WriteByte(body[i])
			}
		}
		v := b.String()
		if !quoted {
			v = strings.TrimRight(v, space)
			if v == "" {
				return nil, false
			}
		}
		if !quoted && strings.EqualFold(v, "NULL") {
			elems = append(elems, nil)
		} else {
			elems = append(elems, &v)
		}
		if i >= len(body) {
			return elems, true
		}
		if body[i] != ',' {
			return nil, false
		}
		i++
	}
}

func castNode(arg *pg.Node, typ string) *pg.Node {
	return &pg.Node{Node: &pg.Node_TypeCast{TypeCast: &pg.TypeCast{Arg: arg,
		TypeName: &pg.TypeName{Names: []*pg.Node{pg.MakeStrNode(typ)}, Typemod: -1, Location: -1}, Location: -1}}}
}

// SessionValues are what the session functions return for one session.
type SessionValues struct {
	User string
	// SearchPath lists the schemas of search_path that exist, in order.
	SearchPath []string
	PID        int32
	// Setting returns a run-time parameter's value as SHOW prints it.
	Setting func(name string) (string, bool)
}

// ConstSensitive reports a plan that depends on the value of a constant
// Normalize turned into a parameter ('name'::regclass, current_setting):
// such a template cannot serve other constants; plan the text as is.
func (s *Statement) ConstSensitive() bool { return s.constSensitive }

// EngineSQL returns the engine SQL with the session's values in place
// of current_user, current_schema(s), current_setting and pg_backend_pid.
func (s *Statement) EngineSQL(v SessionValues) (string, error) {
	if !s.session {
		return s.Engine, nil
	}
	const open = "'" + markerQuote + "hd:"
	var b strings.Builder
	rest := s.Engine
	for {
		i := strings.Index(rest, open)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i+len(open):], markerQuote+"'")
		if j < 0 {
			break
		}
		key := rest[i+len(open) : i+len(open)+j]
		b.WriteString(rest[:i])
		val, err := sessionValue(key, v)
		if err != nil {
			return "", err
		}
		b.WriteString(val)
		rest = rest[i+len(open)+j+2:]
	}
	b.WriteString(rest)
	return b.String(), nil
}

func sessionValue(key string, v SessionValues) (string, error) {
	switch {
	case key == "user":
		return sqlString(v.User), nil
	case key == "pid":
		return strconv.Itoa(int(v.PID)), nil
	case key == "schema":
		if len(v.SearchPath) == 0 {
			return "CAST(NULL AS VARCHAR)", nil
		}
		return sqlString(v.SearchPath[0]), nil
	case strings.HasPrefix(key, "schemas:"):
		schemas := v.SearchPath
		if key == "schemas:true" && !contains(schemas, "pg_catalog") {
			schemas = append([]string{"pg_catalog"}, schemas...)
		}
		quoted := make([]string, len(schemas))
		for i, s := range schemas {
			quoted[i] = sqlString(s)
		}
		return "(CAST([" + strings.Join(quoted, ", ") + "] AS VARCHAR[]))", nil
	case strings.HasPrefix(key, "setting:"), strings.HasPrefix(key, "setting?:"):
		kind, name, _ := strings.Cut(key, ":")
		if val, ok := v.Setting(name); ok {
			return sqlString(val), nil
		}
		if kind == "setting?" {
			return "CAST(NULL AS VARCHAR)", nil
		}
		return "", pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	return "", pgerr.New(pgerr.FeatureNotSupported, "current_setting() takes a constant setting name here").
		WithHint("Use SHOW name, or current_setting('name').")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// scalarFunctionsInFrom are functions that return one value, which
// PostgreSQL lets a query call in FROM (a one-row relation) and the
// engine only as an expression: the catalog's functions, and those of
// the engine that tools call there.
var scalarFunctionsInFrom = wordSet(`string_to_array regexp_split_to_array array_append array_prepend array_cat
	array_remove array_replace array_fill current_schemas current_schema current_setting current_database`)

// scalarFunctionInFrom turns "FROM f(…) [AS] s" of a scalar function f
// into "FROM LATERAL (SELECT f(…) AS s) s", the one row PostgreSQL
// makes of it: its column is named after the alias (or the function),
// and it may refer to the FROM items before it.
func scalarFunctionInFrom(node *pg.Node, rf *pg.RangeFunction) {
	if len(rf.Functions) != 1 || rf.Ordinality || rf.IsRowsfrom {
		return
	}
	items := rf.Functions[0].GetList()
	if items == nil || len(items.Items) == 0 || len(items.Items) > 1 && items.Items[1] != nil && items.Items[1].Node != nil {
		return // a column definition list: a record-returning function
	}
	fc := items.Items[0].GetFuncCall()
	if fc == nil {
		return
	}
	parts := strs(fc.Funcname)
	if len(parts) != len(fc.Funcname) || len(parts) == 0 || len(parts) > 2 || len(parts) == 2 && parts[0] != "pg_catalog" {
		return
	}
	name := parts[len(parts)-1]
	if !scalarFunctionsInFrom[name] && !pgcatalog.Functions[name] {
		return
	}
	alias := rf.Alias
	if alias == nil {
		alias = &pg.Alias{Aliasname: name}
	}
	column := alias.Aliasname
	if len(alias.Colnames) > 0 {
		if s := alias.Colnames[0].GetString_(); s != nil {
			column = s.Sval
		}
	}
	sel := &pg.SelectStmt{TargetList: []*pg.Node{pg.MakeResTargetNodeWithNameAndVal(column, items.Items[0], -1)}}
	node.Node = &pg.Node_RangeSubselect{RangeSubselect: &pg.RangeSubselect{Lateral: true,
		Subquery: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}, Alias: alias}}
}

// scalarSetFunctions return one column: in PostgreSQL, "FROM f(…) s"
// names that column s, so that s is the value; the engine would read s
// as the whole row.
var scalarSetFunctions = wordSet(`generate_series unnest generate_subscripts`)

func nameScalarFunctionColumn(rf *pg.RangeFunction) {
	if rf.Alias == nil || len(rf.Alias.Colnames) > 0 || len(rf.Functions) != 1 || rf.Ordinality || rf.IsRowsfrom {
		return
	}
	items := rf.Functions[0].GetList()
	if items == nil || len(items.Items) == 0 {
		return
	}
	fc := items.Items[0].GetFuncCall()
	if fc == nil || len(fc.Args) != 1 && strs(fc.Funcname)[len(fc.Funcname)-1] == "unnest" {
		return
	}
	if parts := strs(fc.Funcname); len(parts) > 0 && scalarSetFunctions[parts[len(parts)-1]] {
		rf.Alias.Colnames = []*pg.Node{pg.MakeStrNode(rf.Alias.Aliasname)}
	}
}

// intervalFields are PostgreSQL's interval field qualifiers as typmod
// masks (INTERVAL_MASK in src/include/utils/datetime.h) with the unit a
// bare number then means.
var intervalFields = map[int64]string{2: "month", 4: "year", 8: "day", 1024: "hour", 2048: "minute", 4096: "second"}

// intervalQualifier turns interval '1' year into interval '1 year': the
// engine would ignore the qualifier and read a bare number as seconds.
func intervalQualifier(tc *pg.TypeCast) {
	if tc.TypeName == nil || len(tc.TypeName.Typmods) == 0 {
		return
	}
	parts := strs(tc.TypeName.Names)
	if len(parts) == 0 || parts[len(parts)-1] != "interval" {
		return
	}
	c := tc.TypeName.Typmods[0].GetAConst()
	if c == nil {
		return
	}
	iv, ok := c.Val.(*pg.A_Const_Ival)
	if !ok {
		return
	}
	s, isString := stringConst(tc.Arg)
	unit := intervalFields[int64(iv.Ival.Ival)]
	switch {
	case isString && unit != "":
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			tc.Arg = pg.MakeAConstStrNode(strings.TrimSpace(s)+" "+unit, -1)
		}
	case tc.Arg.GetParamRef() != nil && unit != "":
		// A parameter (or a constant Normalize made one): the unit is
		// appended when the statement runs.
		tc.Arg = pg.MakeAExprNode(pg.A_Expr_Kind_AEXPR_OP, []*pg.Node{pg.MakeStrNode("||")},
			castNode(tc.Arg, "text"), pg.MakeAConstStrNode(" "+unit, -1), -1)
	}
	// The qualifier (and a precision) has no meaning to the engine.
	tc.TypeName.Typmods = nil
}
