package translate

import "strconv"

// regCast is a cast to an OID alias type (regclass, regtype, …): the
// caller's catalog resolves names (Env.RegCast); without one it is
// refused.
func (l *level) regCast(e *expr, t Type, loc int32) (*expr, error) {
	if l.a.env.RegCast == nil {
		return nil, l.a.unsupportedAt(loc, "casts to %s are not supported here", t.Name())
	}
	lit := ""
	if e.lit != nil {
		lit = *e.lit
	}
	var src string
	from := e.typ
	switch {
	case e.param > 0 && e.unknown:
		// $1::regclass: the parameter is a regclass, given as the name
		// (or OID) in text, looked up when the statement runs.
		l.a.params[e.param-1] = Type{t.OID, -1}
		src, from = "CAST($"+strconv.Itoa(e.param)+" AS VARCHAR)", TText
	case !e.unknown:
		src = e.sql
	}
	sql, err := l.a.env.RegCast(t, lit, e.lit != nil, src, from)
	if err != nil {
		return nil, l.a.at(asPgErr(err), loc)
	}
	l.a.catalog = true
	return &expr{sql: sql, typ: t, loc: loc, constant: e.constant}, nil
}
