package planner

import (
	"sort"
	"strings"

	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/translate"
)

// registerUserTypes gives the analyzer the upstreams' own types the
// objects' columns have, and indexes them by the names a statement may
// call them: "name" (when one type has it), "schema.name" and
// "connection.schema.name".
func (c *Catalog) registerUserTypes() {
	c.userTypes = map[string]translate.Type{}
	c.typeHandles = map[string]map[uint32]translate.Type{}
	c.domains = map[string]map[uint32]*UserType{}
	c.upstreamEnums = map[uint32][2]string{}
	byConn := map[string]map[uint32]*UserType{}
	var conns []string
	for i := range c.objects {
		o := &c.objects[i]
		for j := range o.UserTypes {
			u := &o.UserTypes[j]
			m := byConn[o.Catalog]
			if m == nil {
				m = map[uint32]*UserType{}
				byConn[o.Catalog] = m
				conns = append(conns, o.Catalog)
			}
			if _, ok := m[u.UpstreamOID]; !ok {
				m[u.UpstreamOID] = u
			}
		}
	}
	sort.Strings(conns)
	names := map[string][]translate.Type{}
	for _, conn := range conns {
		types := byConn[conn]
		handles := map[uint32]translate.Type{}
		c.typeHandles[conn] = handles
		c.domains[conn] = map[uint32]*UserType{}
		var register func(oid uint32, depth int) (translate.Type, bool)
		register = func(oid uint32, depth int) (translate.Type, bool) {
			if h, ok := handles[oid]; ok {
				return h, true
			}
			u := types[oid]
			if u == nil || depth > 8 {
				return translate.Type{}, false
			}
			tu := translate.UserType{OID: u.OID, ArrayOID: u.ArrayOID, Schema: pgcatalog.SchemaName(conn, u.Schema), Name: u.Name,
				Typlen: u.Typlen, Labels: u.Labels, NotNull: u.NotNull, HasChecks: u.HasChecks}
			switch u.Kind {
			case "e":
				tu.Kind = 'e'
			case "c":
				tu.Kind = 'c'
			case "d":
				tu.Kind = 'd'
				base, ok := baseType(u, func(oid uint32) (translate.Type, bool) { return register(oid, depth+1) })
				if !ok {
					return translate.Type{}, false
				}
				tu.Base = base
				c.domains[conn][oid] = u
			default:
				return translate.Type{}, false
			}
			h := translate.RegisterUserType(tu)
			handles[oid] = h
			if tu.Kind == 'e' {
				c.upstreamEnums[h.OID] = [2]string{u.Schema, u.Name}
			}
			if u.UpstreamArrayOID != 0 {
				handles[u.UpstreamArrayOID] = translate.ArrayOf(h)
			}
			for _, n := range []string{u.Name, u.Schema + "." + u.Name, pgcatalog.SchemaName(conn, u.Schema) + "." + u.Name} {
				names[n] = append(names[n], h)
			}
			return h, true
		}
		oids := make([]uint32, 0, len(types))
		for oid := range types {
			oids = append(oids, oid)
		}
		sort.Slice(oids, func(i, j int) bool { return oids[i] < oids[j] })
		for _, oid := range oids {
			register(oid, 0)
		}
	}
	for n, hs := range names {
		h := hs[0]
		for _, x := range hs[1:] {
			if x != h {
				h = translate.Type{OID: translate.OpaqueOID, Mod: -1} // ambiguous: refused
			}
		}
		c.userTypes[n] = h
	}
}

// baseType is a domain's base type as the analyzer holds its values:
// a built-in type the cache keeps natively, or another user type.
func baseType(u *UserType, user func(uint32) (translate.Type, bool)) (translate.Type, bool) {
	if u.BaseOID >= 16384 {
		return user(u.BaseOID)
	}
	o, mod := pgcatalog.ColumnType(u.BaseType, u.BaseOID)
	t := translate.Type{OID: o, Mod: mod}
	if !t.Known() || !cacheHolds(t) {
		return translate.Type{}, false
	}
	return t, true
}

// userColumnType is the type of a column of the upstream's own type
// (upstream OID oid) of connection conn: an enum, an array of one, a
// composite type (held as text), or a domain's base type with the
// domain. ok is false for types the analyzer does not know.
func (c *Catalog) userColumnType(conn string, oid uint32) (t, domain translate.Type, ok bool) {
	h, ok := c.typeHandles[conn][oid]
	if !ok {
		return translate.Type{}, translate.Type{}, false
	}
	u, array := translate.UserTypeOf(h)
	switch {
	case u == nil:
		return translate.Type{}, translate.Type{}, false
	case array:
		if u.Kind != 'e' {
			return translate.Type{}, translate.Type{}, false // the cache holds these as one text
		}
		return h, translate.Type{}, true
	case u.Kind == 'd':
		base := u.Base
		if bu, barray := translate.UserTypeOf(base); bu != nil {
			if barray || bu.Kind != 'e' {
				return translate.Type{}, translate.Type{}, false
			}
			// A domain over an enum is a type of its own to the analyzer.
			return h, translate.Type{}, true
		}
		return base, h, true
	}
	return h, translate.Type{}, true
}

// TypeByClientOID finds an upstream's own type (or its array type) by the
// OID clients know it by.
func (c *Catalog) TypeByClientOID(oid uint32) (translate.Type, bool) {
	if oid < 16384 {
		return translate.Type{}, false
	}
	for _, hs := range c.typeHandles {
		for _, h := range hs {
			u, array := translate.UserTypeOf(h)
			if u == nil || u.Kind == 'd' {
				continue
			}
			if !array && u.OID == oid || array && u.ArrayOID == oid {
				return h, true
			}
		}
	}
	return translate.Type{}, false
}

// userTypeOID reads a type name as regtype's input does and finds an
// upstream's own type (or its array type) by it: the OID clients know it
// by.
func (c *Catalog) userTypeOID(lit string) (uint32, bool) {
	if c == nil {
		return 0, false
	}
	s := strings.TrimSpace(lit)
	array := false
	if strings.HasSuffix(s, "[]") {
		array, s = true, strings.TrimSpace(strings.TrimSuffix(s, "[]"))
	}
	var parts []string
	for s != "" {
		var part string
		if s[0] == '"' {
			end := 1
			var b strings.Builder
			for end < len(s) {
				if s[end] == '"' {
					if end+1 < len(s) && s[end+1] == '"' {
						b.WriteByte('"')
						end += 2
						continue
					}
					break
				}
				b.WriteByte(s[end])
				end++
			}
			if end >= len(s) {
				return 0, false
			}
			part, s = b.String(), s[end+1:]
		} else {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				i = len(s)
			}
			part, s = strings.ToLower(strings.TrimSpace(s[:i])), s[i:]
		}
		parts = append(parts, part)
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, ".") {
			s = strings.TrimSpace(s[1:])
		} else if s != "" {
			return 0, false
		}
	}
	t, ok := c.userTypes[strings.Join(parts, ".")]
	if !ok || t.OID == translate.OpaqueOID {
		return 0, false
	}
	u, _ := translate.UserTypeOf(t)
	if u == nil {
		return 0, false
	}
	if array {
		return u.ArrayOID, u.ArrayOID != 0
	}
	return u.OID, true
}

// upstreamEnum is the upstream's schema and name of the enum a
// statement names with names (a type name as the parser gives it),
// ok false when it names none (or an array of one: elem then).
func (c *Catalog) upstreamEnum(names []string) (schema, name string, ok bool) {
	if c == nil {
		return "", "", false
	}
	t, found := c.userTypes[strings.ToLower(strings.Join(names, "."))]
	if !found {
		return "", "", false
	}
	un, found := c.upstreamEnums[t.OID]
	return un[0], un[1], found
}
