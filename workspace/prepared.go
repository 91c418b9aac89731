package workspace

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/connectors/postgres"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/wire"
)

// preparedStatement is a statement of the extended protocol.
type preparedStatement struct {
	ss    *Session
	st    *planner.Statement // nil: the empty statement
	entry *catalogEntry
	// paramOIDs are what ParameterDescription reports.
	paramOIDs []uint32
	// clientOIDs are the types the client gave (passed to a live upstream).
	clientOIDs []uint32
	// unknown marks parameters nothing typed: they are reported as text
	// and inlined into the statement as literals when bound.
	unknown []bool
	// engineSQL is the statement for the engine, with casts where the
	// client typed a parameter the engine could not infer.
	engineSQL string
	// duckTypes are the engine type names of the parameters ("" unknown).
	duckTypes []string
	fields    []pgproto3.FieldDescription
	live      *postgres.Connector
}

var _ wire.PreparedStatement = (*preparedStatement)(nil)

// Prepare parses and describes one statement for the extended protocol.
func (ss *Session) Prepare(ctx context.Context, sql string, oids []uint32) (wire.PreparedStatement, error) {
	entry, err := ss.svc.catalog(ctx, ss.ws.ID, false)
	if err != nil {
		return nil, err
	}
	opts := planner.Options{Live: ss.live()}
	st, err := cachedPlanOne(entry, sql, opts)
	if code := pgerr.Code(err); err != nil && (code == pgerr.UndefinedTable || code == pgerr.AmbiguousAlias) {
		if entry, err = ss.svc.catalog(ctx, ss.ws.ID, true); err != nil {
			return nil, err
		}
		st, err = cachedPlanOne(entry, sql, opts)
	}
	if err != nil {
		return nil, err
	}
	if err := ss.checkFailedTx(st); err != nil {
		return nil, err
	}
	ps := &preparedStatement{ss: ss, st: st, entry: entry, clientOIDs: oids}
	if st == nil {
		return ps, nil
	}
	nparams := max(st.Params, len(oids))
	ps.paramOIDs = make([]uint32, nparams)
	ps.unknown = make([]bool, nparams)
	for i := range ps.paramOIDs {
		ps.paramOIDs[i] = wire.OIDText
		if i < len(oids) && oids[i] != 0 {
			ps.paramOIDs[i] = oids[i]
		}
	}
	switch st.Kind {
	case planner.Query, planner.Copy, planner.Declare:
		// The route is decided once, here: the description the client
		// gets must match the rows Execute sends. A DECLARE is described
		// as its query for its parameters' types (it returns no rows).
		if ss.routeLive(ctx, st, entry) {
			return ps, ps.describeLive(ctx)
		}
		return ps, ps.describeEngine(ctx)
	case planner.Explain:
		ps.fields = []pgproto3.FieldDescription{textField("QUERY PLAN")}
	case planner.Set:
		if st.SetResult != "" { // SELECT set_config(…)
			ps.fields = []pgproto3.FieldDescription{textField(st.SetResult)}
		}
	case planner.Show:
		ps.fields = []pgproto3.FieldDescription{textField(showColumn(st.Setting.Name))}
		if st.Setting.Name == "all" {
			ps.fields = []pgproto3.FieldDescription{textField("name"), textField("setting"), textField("description")}
		}
	}
	return ps, nil
}

// cachedPlanOne plans one extended-protocol statement, once per text.
func cachedPlanOne(entry *catalogEntry, sql string, opts planner.Options) (*planner.Statement, error) {
	k := planKey{sql: sql, live: opts.Live, one: true}
	if v, hit := entry.plans.get(k); hit {
		return v.(*planner.Statement), nil
	}
	st, err := planner.PlanOne(sql, entry.cat, opts)
	if err == nil {
		entry.plans.put(k, st)
	}
	return st, err
}

func textField(name string) pgproto3.FieldDescription {
	return pgproto3.FieldDescription{Name: []byte(name), DataTypeOID: wire.OIDText, DataTypeSize: -1, TypeModifier: -1}
}

// describeLive asks the upstream for the statement's types.
func (ps *preparedStatement) describeLive(ctx context.Context) error {
	target, err := ps.ss.svc.liveTarget(ctx, ps.st, ps.entry)
	if err != nil {
		return err
	}
	ps.live = target
	desc := target.CachedDescription(ps.st.Upstream(), ps.clientOIDs)
	if desc == nil {
		up, err := target.Acquire(ctx)
		if err != nil {
			return upstreamError(err)
		}
		desc, err = up.Describe(ctx, ps.st.Upstream(), ps.clientOIDs)
		up.Release()
		if err != nil {
			return upstreamError(err)
		}
	}
	ps.paramOIDs = append([]uint32(nil), desc.ParamOIDs...)
	ps.unknown = make([]bool, len(ps.paramOIDs))
	if ps.st.Kind == planner.Query && len(desc.Fields) > 0 {
		ps.fields = liveFields(desc.Fields)
	}
	return nil
}

// describeSink passes on the notices of a statement being described
// (a table synced on first use) and has no results to write.
type describeSink struct {
	wire.ResultWriter
	ctx context.Context
}

func (d describeSink) Notice(n *pgerr.Error) error { return wire.Notify(d.ctx, n) }

// engineDescription is what describeEngine learns, cached per statement
// text and client parameter types for as long as the catalog entry lives.
type engineDescription struct {
	paramOIDs []uint32
	unknown   []bool
	engineSQL string
	duckTypes []string
	fields    []pgproto3.FieldDescription
}

type describeKey struct {
	sql  string
	oids string
}

func oidsKey(oids []uint32) string {
	b := make([]byte, 0, 4*len(oids))
	for _, o := range oids {
		b = append(b, byte(o>>24), byte(o>>16), byte(o>>8), byte(o))
	}
	return string(b)
}

// describeEngine prepares the statement on the engine to learn its
// parameter and result types, adding casts for parameters the client
// typed and the engine could not infer.
func (ps *preparedStatement) describeEngine(ctx context.Context) error {
	base, err := ps.ss.engineSQL(ps.st, ps.entry)
	if err != nil {
		return err
	}
	key := describeKey{sql: base, oids: oidsKey(ps.clientOIDs)}
	if v, ok := ps.entry.described.get(key); ok {
		d := v.(*engineDescription)
		ps.paramOIDs, ps.unknown, ps.engineSQL, ps.duckTypes = d.paramOIDs, d.unknown, d.engineSQL, d.duckTypes
		if ps.st.Kind == planner.Query {
			ps.fields = d.fields
		}
		return nil
	}
	if err := ps.describeEngineUncached(ctx, base); err != nil {
		return err
	}
	if ps.st.Kind != planner.Query {
		// The same query text as a SELECT must still get its fields.
		return nil
	}
	ps.entry.described.put(key, &engineDescription{paramOIDs: ps.paramOIDs, unknown: ps.unknown, engineSQL: ps.engineSQL,
		duckTypes: ps.duckTypes, fields: ps.fields})
	return nil
}

func (ps *preparedStatement) describeEngineUncached(ctx context.Context, base string) error {
	svc, ws := ps.ss.svc, ps.ss.ws
	mounts, _, err := svc.prepareTables(ctx, ws, ps.st.Tables, ps.entry, describeSink{ctx: ctx})
	if err != nil {
		return err
	}
	eng, err := svc.engineFor(ctx, ws)
	if err != nil {
		return err
	}
	if err := eng.EnsureMounted(ctx, mounts); err != nil {
		return err
	}
	if ps.st.Catalog {
		if err := svc.ensurePgCatalog(ctx, eng, ps.entry); err != nil {
			return err
		}
	}
	conn, err := eng.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	stmt, err := conn.Prepare(ctx, base)
	if err != nil {
		return err
	}
	types := stmt.Params
	stmt.Close()
	if len(types) > len(ps.paramOIDs) {
		return pgerr.New(pgerr.ProtocolViolation, "the statement uses %d parameters", len(types))
	}
	ps.engineSQL = base
	ps.duckTypes = make([]string, len(ps.paramOIDs))
	casts := false
	for i := range ps.paramOIDs {
		client := uint32(0)
		if i < len(ps.clientOIDs) {
			client = ps.clientOIDs[i]
		}
		var inferred arrow.DataType
		if i < len(types) {
			inferred = types[i]
		}
		switch {
		case client != 0 && client != wire.OIDUnknown:
			ps.paramOIDs[i] = client
			ps.duckTypes[i] = duckType(client)
			if inferred == nil && ps.duckTypes[i] != "" {
				casts = true
			}
		case inferred != nil:
			ps.paramOIDs[i] = wire.TypeOID(inferred)
			ps.duckTypes[i] = duckType(ps.paramOIDs[i])
		case i < len(ps.st.ParamTypes) && typeNameOID(ps.st.ParamTypes[i]) != 0:
			// Typed from its context by the planner (id + $1): cast it.
			ps.paramOIDs[i] = typeNameOID(ps.st.ParamTypes[i])
			ps.duckTypes[i] = duckType(ps.paramOIDs[i])
			if ps.duckTypes[i] != "" {
				casts = true
			}
		default:
			ps.paramOIDs[i] = wire.OIDText
			ps.unknown[i] = true
		}
	}
	if casts {
		ps.engineSQL = planner.ReplaceParams(base, func(n int) string {
			if n <= len(ps.duckTypes) && (n > len(types) || types[n-1] == nil) && ps.duckTypes[n-1] != "" && !ps.unknown[n-1] {
				return "CAST($" + strconv.Itoa(n) + " AS " + ps.duckTypes[n-1] + ")"
			}
			return ""
		})
	}
	// The result's types, with untyped parameters as text NULLs (an
	// untyped parameter is text, as in PostgreSQL), or as bare NULLs,
	// which take whatever type their context wants, when text does not fit.
	probe := func(null string) string {
		return planner.ReplaceParams(ps.engineSQL, func(n int) string {
			if n <= len(ps.unknown) && ps.unknown[n-1] {
				return null
			}
			return ""
		})
	}
	stmt, err = conn.Prepare(ctx, probe("CAST(NULL AS VARCHAR)"))
	if err != nil && anyTrue(ps.unknown) {
		stmt, err = conn.Prepare(ctx, probe("NULL"))
	}
	if err != nil {
		return err
	}
	schema := stmt.Schema
	stmt.Close()
	if schema == nil {
		return pgerr.New("42P18", "could not determine the data type of a parameter").
			WithHint("Add a cast, e.g. $1::integer, or give the parameter types when preparing.")
	}
	if ps.st.Kind == planner.Query {
		ps.fields = wire.FieldsOf(declaredTypes(schema, ps.st.ResultTypes))
	}
	return nil
}

func anyTrue(b []bool) bool {
	for _, v := range b {
		if v {
			return true
		}
	}
	return false
}

// typeNameOID maps an upstream PostgreSQL type name (format_type's
// spelling) to its OID; 0 when it is not one parameters can take.
func typeNameOID(name string) uint32 {
	base, _, _ := strings.Cut(name, "(")
	switch strings.TrimSpace(base) {
	case "boolean":
		return wire.OIDBool
	case "smallint":
		return wire.OIDInt2
	case "integer":
		return wire.OIDInt4
	case "bigint":
		return wire.OIDInt8
	case "real":
		return wire.OIDFloat4
	case "double precision":
		return wire.OIDFloat8
	case "numeric":
		return wire.OIDNumeric
	case "text":
		return wire.OIDText
	case "oid":
		return wire.OIDOID
	case "name":
		return wire.OIDName
	case "character varying":
		return wire.OIDVarchar
	case "character":
		return wire.OIDBPChar
	case "bytea":
		return wire.OIDBytea
	case "date":
		return wire.OIDDate
	case "time without time zone":
		return wire.OIDTime
	case "timestamp without time zone":
		return wire.OIDTimestamp
	case "timestamp with time zone":
		return wire.OIDTimestamptz
	case "interval":
		return wire.OIDInterval
	case "uuid":
		return wire.OIDUUID
	case "json":
		return wire.OIDJSON
	case "jsonb":
		return wire.OIDJSONB
	}
	return 0
}

// duckType is the engine's name for a PostgreSQL type ("" when there is
// no exact one: the engine then casts the value itself).
func duckType(oid uint32) string {
	switch oid {
	case wire.OIDBool:
		return "BOOLEAN"
	case wire.OIDInt2:
		return "SMALLINT"
	case wire.OIDInt4:
		return "INTEGER"
	case wire.OIDInt8:
		return "BIGINT"
	case wire.OIDFloat4:
		return "REAL"
	case wire.OIDFloat8:
		return "DOUBLE"
	case wire.OIDText, wire.OIDVarchar, wire.OIDBPChar, wire.OIDName, wire.OIDJSON, wire.OIDJSONB:
		return "VARCHAR"
	case wire.OIDBytea:
		return "BLOB"
	case wire.OIDDate:
		return "DATE"
	case wire.OIDTime:
		return "TIME"
	case wire.OIDTimestamp:
		return "TIMESTAMP"
	case wire.OIDTimestamptz:
		return "TIMESTAMPTZ"
	case wire.OIDInterval:
		return "INTERVAL"
	case wire.OIDUUID:
		return "UUID"
	case wire.OIDNumeric:
		return "DECIMAL(38,10)"
	case wire.OIDOID:
		return "UINTEGER"
	}
	return ""
}

func (ps *preparedStatement) ParamOIDs() []uint32 { return ps.paramOIDs }

// Fields describes the rows: a FETCH's are its cursor's as it is when
// asked (psycopg fetches a server cursor in binary so: Parse, Bind with
// binary result formats, Describe, Execute of FETCH); MOVE has none.
func (ps *preparedStatement) Fields() []pgproto3.FieldDescription {
	if ps.st != nil && ps.st.Kind == planner.Fetch && !ps.st.Move {
		fields, _ := ps.ss.DescribeCursor(ps.st.Name)
		return fields
	}
	return ps.fields
}
func (ps *preparedStatement) Close() {}

// Bind decodes the parameters (or keeps them raw for a live upstream)
// and returns a portal that runs the statement at its first Execute.
func (ps *preparedStatement) Bind(ctx context.Context, params [][]byte, paramFormats, resultFormats []int16) (wire.Portal, error) {
	p := &portal{ps: ps, b: &bound{resultFormats: resultFormats}}
	if ps.st == nil {
		return p, nil
	}
	// As PostgreSQL's Bind: in a failed block only its end may run.
	if err := ps.ss.checkFailedTx(ps.st); err != nil {
		return nil, err
	}
	if ps.live != nil {
		p.b.raw, p.b.oids, p.b.formats, p.b.live = params, ps.clientOIDs, paramFormats, true
		return p, nil
	}
	args := make([]any, len(params))
	for i, raw := range params {
		v, err := wire.DecodeParam(ps.paramOIDs[i], paramFormats[i], raw)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	p.b.args = args
	p.b.engineSQL = ps.engineSQL
	if anyTrue(ps.unknown) {
		// Inline every value as a literal: untyped ones as text, which
		// the engine types from their context as PostgreSQL would.
		p.b.engineSQL = planner.ReplaceParams(ps.engineSQL, func(n int) string {
			if n > len(args) {
				return ""
			}
			lit := sqlLiteral(args[n-1])
			if !ps.unknown[n-1] && ps.duckTypes[n-1] != "" && args[n-1] != nil {
				return "CAST(" + lit + " AS " + ps.duckTypes[n-1] + ")"
			}
			return lit
		})
		p.b.args = nil
	}
	return p, nil
}

// sqlLiteral renders a decoded parameter as an engine literal.
func sqlLiteral(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case bool:
		if v {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		switch {
		case math.IsNaN(v):
			return "'NaN'::DOUBLE"
		case math.IsInf(v, 1):
			return "'Infinity'::DOUBLE"
		case math.IsInf(v, -1):
			return "'-Infinity'::DOUBLE"
		}
		return strconv.FormatFloat(v, 'g', -1, 64) + "::DOUBLE"
	case string:
		return planner.QuoteLiteral(v)
	case []byte:
		const digits = "0123456789abcdef"
		out := make([]byte, 0, 2*len(v))
		for _, c := range v {
			out = append(out, digits[c>>4], digits[c&15])
		}
		return "from_hex('" + string(out) + "')"
	}
	return "NULL"
}

// portal runs a bound statement, maxRows at a time. Its cursor lives
// across Execute messages, so it has its own context: each Execute ties
// it to that message's cancellation for as long as it runs.
type portal struct {
	ps     *preparedStatement
	b      *bound
	cur    cursor
	ctx    context.Context
	cancel context.CancelFunc
	done   bool
}

func (p *portal) Execute(ctx context.Context, w wire.ResultWriter, maxRows int) (bool, error) {
	ss := p.ps.ss
	if p.ps.st == nil {
		return false, w.EmptyQuery()
	}
	if err := ss.checkFailedTx(p.ps.st); err != nil {
		return false, err
	}
	if p.done {
		return false, w.Complete(describeTag(p.ps.st.Tag, 0))
	}
	call, cancelCall := ss.withTimeout(ctx)
	defer cancelCall()
	if p.ctx == nil {
		p.ctx, p.cancel = context.WithCancel(context.WithoutCancel(ctx))
	}
	stop := context.AfterFunc(call, p.cancel)
	defer stop()
	if p.cur == nil {
		// The statement runs against the catalog as it is now: a table
		// synced, refreshed or purged since Parse is read as it is now
		// (the plan itself only holds names and types).
		entry, err := ss.svc.catalog(call, ss.ws.ID, false)
		if err != nil {
			ss.failTx()
			return false, err
		}
		cur, err := ss.open(p.ctx, p.ps.st, entry, p.b, w)
		if err != nil {
			ss.failTx()
			return false, timeoutError(call, err)
		}
		p.cur = cur
	}
	// The statement may close this portal while it runs (DISCARD ALL
	// drops every portal): keep the cursor at hand.
	cur := p.cur
	suspended, err := cur.fetch(p.ctx, w, maxRows)
	if err != nil {
		ss.failTx()
		p.Close()
		return false, timeoutError(call, err)
	}
	if !suspended {
		p.done = true
		cur.close()
		p.cur = nil
	}
	return suspended, nil
}

func (p *portal) Close() {
	if p.cur != nil {
		p.cur.close()
		p.cur = nil
	}
	if p.cancel != nil {
		p.cancel()
	}
	p.done = true
}
