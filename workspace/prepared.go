package workspace

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/connectors/postgres"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/translate"
	"github.com/hotdata-dev/hotdata/wire"
)

// preparedStatement is a statement of the extended protocol.
type preparedStatement struct {
	ss    *Session
	st    *planner.Statement // nil: the empty statement
	entry *catalogEntry
	// paramOIDs are what ParameterDescription reports; paramTypes the
	// types the parameters are read as (engine route).
	paramOIDs  []uint32
	paramTypes []translate.Type
	// clientOIDs are the types the client gave (passed to a live upstream).
	clientOIDs []uint32
	fields     []pgproto3.FieldDescription
	live       *postgres.Connector
	// pushdown: the statement runs live on a warehouse (openPushdown).
	pushdown bool
}

var _ wire.PreparedStatement = (*preparedStatement)(nil)

// Prepare parses and describes one statement for the extended protocol.
func (ss *Session) Prepare(ctx context.Context, sql string, oids []uint32) (wire.PreparedStatement, error) {
	if err := ss.checkPrincipal(ctx); err != nil {
		return nil, err
	}
	if err := ss.svc.checkStatementSize(sql); err != nil {
		return nil, err
	}
	entry, err := ss.svc.catalog(ctx, ss.ws.ID, false)
	if err != nil {
		return nil, err
	}
	opts := ss.planOptions()
	if opts.ParamTypes, err = clientParamTypes(entry, oids); err != nil {
		return nil, err
	}
	upstream := ss.upstreamOnly()
	// Parse runs under statement_timeout too.
	tctx, cancel := ss.withTimeout(ctx)
	defer cancel()
	planWith := func(entry *catalogEntry) (*planner.Statement, error) {
		var out *planner.Statement
		var perr error
		if berr := ss.bounded(tctx, func() { out, perr = cachedPlanOne(entry, sql, opts, upstream) }); berr != nil {
			return nil, timeoutError(tctx, berr)
		}
		return out, perr
	}
	st, err := planWith(entry)
	if code := pgerr.Code(err); err != nil && (code == pgerr.UndefinedTable || code == pgerr.AmbiguousAlias) {
		if entry, err = ss.svc.catalog(ctx, ss.ws.ID, true); err != nil {
			return nil, err
		}
		st, err = planWith(entry)
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
	ps.paramTypes = make([]translate.Type, max(len(st.ParamTypes), len(oids)))
	ps.paramOIDs = make([]uint32, len(ps.paramTypes))
	for i := range ps.paramTypes {
		t := translate.TText
		switch {
		case i < len(st.ParamTypes) && st.ParamTypes[i].OID != 0:
			t = st.ParamTypes[i]
		case i < len(oids) && oids[i] != 0 && oids[i] != wire.OIDUnknown:
			t = translate.Type{OID: oids[i], Mod: -1}
			if ut, ok := entry.cat.TypeByClientOID(oids[i]); ok {
				t = ut
			}
		}
		ps.paramTypes[i], ps.paramOIDs[i] = t, clientOID(t)
	}
	switch st.Kind {
	case planner.Query, planner.Copy, planner.Declare:
		// The route is decided once, here: the description the client
		// gets must match the rows Execute sends. A DECLARE is described
		// as its query for its parameters' types (it returns no rows).
		if ss.routeLive(ctx, st, entry) {
			if _, _, _, ok, err := ss.svc.pushdownTarget(ctx, st, entry); ok {
				// A warehouse: described as the planner describes it,
				// its parameters decoded as for the cache.
				if err != nil {
					return nil, err
				}
				if st, err = ss.pushdownPlan(st, entry); err != nil {
					return nil, err
				}
				ps.st, ps.pushdown = st, true
				if st.Kind == planner.Query {
					ps.fields = fieldsOf(st.Columns)
				}
				return ps, nil
			}
			return ps, ps.describeLive(ctx)
		}
		if err := st.EngineErr(); err != nil {
			return nil, err
		}
		if st.Kind == planner.Query {
			ps.fields = fieldsOf(st.Columns)
		}
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

// clientParamTypes are the parameter types a client declared, for the
// planner: 0 and unknown let the statement decide.
func clientParamTypes(entry *catalogEntry, oids []uint32) ([]translate.Type, error) {
	out := make([]translate.Type, len(oids))
	for i, oid := range oids {
		if oid == 0 || oid == wire.OIDUnknown {
			continue
		}
		if ut, ok := entry.cat.TypeByClientOID(oid); ok {
			out[i] = ut // an upstream's own type
			continue
		}
		t := translate.Type{OID: oid, Mod: -1}
		if !t.Known() {
			return nil, pgerr.New(pgerr.UndefinedObject, "type with OID %d does not exist", oid)
		}
		out[i] = t
	}
	return out, nil
}

// clientOID is the OID a client is told for a type: the upstream's own
// types (enums, domains), which it cannot look up, are text.
func clientOID(t translate.Type) uint32 {
	if !t.Known() {
		return wire.OIDText
	}
	oid, _, _, _, _ := translate.WireType(t)
	return oid
}

// fieldsOf describes a query's result columns.
func fieldsOf(cols []translate.ResultColumn) []pgproto3.FieldDescription {
	out := make([]pgproto3.FieldDescription, len(cols))
	for i, c := range cols {
		oid, mod, typlen, _, _ := translate.WireType(c.Type)
		if !c.Type.Known() {
			oid, mod, typlen = wire.OIDText, -1, -1
		}
		out[i] = wire.Field(c.Name, oid, mod)
		if u, _ := translate.UserTypeOf(c.Type); u != nil {
			out[i].DataTypeSize = typlen
		}
	}
	return out
}

// cachedPlanOne plans one extended-protocol statement, once per text,
// settings and declared parameter types.
func cachedPlanOne(entry *catalogEntry, sql string, opts planner.Options, upstream bool) (*planner.Statement, error) {
	oids := make([]uint32, len(opts.ParamTypes))
	for i, t := range opts.ParamTypes {
		oids[i] = t.OID
	}
	k := planKey{sql: sql, live: opts.Live, one: true, settings: opts.Settings, params: oidsKey(oids), upstream: upstream}
	if v, hit := entry.plans.get(k); hit {
		return v.(*planner.Statement), nil
	}
	st, err := planner.PlanOne(sql, entry.planCatalog(upstream), opts)
	if err == nil && (st == nil || !st.ConstSensitive()) {
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
	if ps.st.Kind == planner.Query && len(desc.Fields) > 0 {
		ps.fields = liveFields(desc.Fields)
	}
	return nil
}

func oidsKey(oids []uint32) string {
	b := make([]byte, 0, 4*len(oids))
	for _, o := range oids {
		b = append(b, byte(o>>24), byte(o>>16), byte(o>>8), byte(o))
	}
	return string(b)
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

// Bind decodes the parameters as PostgreSQL's input and receive
// functions read them (or keeps them raw for a live upstream) and
// returns a portal that runs the statement at its first Execute.
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
	settings := ps.ss.settings.translateSettings()
	style := ps.ss.settings.style()
	now := time.Now()
	args := make([]any, len(params))
	for i, raw := range params {
		v, err := decodeParam(i+1, ps.paramTypes[i], paramFormats[i], raw, settings, style, now)
		if err != nil {
			return nil, err
		}
		if v.inline != "" {
			if p.b.inline == nil {
				p.b.inline = map[int]string{}
			}
			p.b.inline[i+1] = v.inline
			continue
		}
		args[i] = v.v
	}
	p.b.args = args
	p.b.live = ps.pushdown
	return p, nil
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
	if err := ss.checkPrincipal(ctx); err != nil {
		return false, err
	}
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
