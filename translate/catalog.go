package translate

// Indexes over the generated catalogs.

type castKey struct{ src, dst uint32 }

var castIndex = func() map[castKey]*castRow {
	m := make(map[castKey]*castRow, len(pgCasts))
	for i := range pgCasts {
		c := &pgCasts[i]
		m[castKey{c.src, c.dst}] = c
	}
	return m
}()

var procsByName = func() map[string][]*procRow {
	m := map[string][]*procRow{}
	for i := range pgProcs {
		p := &pgProcs[i]
		m[p.name] = append(m[p.name], p)
	}
	return m
}()

var procByOID = func() map[uint32]*procRow {
	m := make(map[uint32]*procRow, len(pgProcs))
	for i := range pgProcs {
		m[pgProcs[i].oid] = &pgProcs[i]
	}
	return m
}()

var opersByName = func() map[string][]*operRow {
	m := map[string][]*operRow{}
	for i := range pgOperators {
		o := &pgOperators[i]
		m[o.name] = append(m[o.name], o)
	}
	return m
}()

// procKey names a function by its name and argument types, as the
// allowlist does: "round(numeric,int4)".
func procKey(p *procRow) string {
	b := make([]byte, 0, 48)
	b = append(b, p.name...)
	b = append(b, '(')
	for i, a := range p.args {
		if i > 0 {
			b = append(b, ',')
		}
		if r := typeByOID[a]; r != nil {
			b = append(b, r.name...)
		} else {
			b = append(b, '?')
		}
	}
	return string(append(b, ')'))
}

// signature prints a call's argument types as PostgreSQL's error
// messages do: "integer, text".
func signature(types []Type) string {
	b := make([]byte, 0, 32)
	for i, t := range types {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, Type{t.OID, -1}.Name()...)
	}
	return string(b)
}
