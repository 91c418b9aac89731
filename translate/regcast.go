package translate

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
	if !e.unknown {
		src = e.sql
	}
	sql, err := l.a.env.RegCast(t, lit, e.lit != nil, src, e.typ)
	if err != nil {
		return nil, l.a.at(asPgErr(err), loc)
	}
	l.a.catalog = true
	return &expr{sql: sql, typ: t, loc: loc, constant: e.constant}, nil
}
