package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// walk calls fn for every message in the tree rooted at m, depth first,
// parents before children, siblings in field order. fn returns false to
// skip a message's children.
func walk(m proto.Message, fn func(protoreflect.Message) bool) {
	walkMessage(m.ProtoReflect(), fn)
}

func walkMessage(m protoreflect.Message, fn func(protoreflect.Message) bool) {
	if !m.IsValid() || !fn(m) {
		return
	}
	// Not m.Range: its order varies with the binary (protobuf-go swaps
	// fields on purpose), and so would the order of the tables found.
	fds := m.Descriptor().Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if fd.Message() == nil || fd.IsMap() || !m.Has(fd) {
			continue // scalars; the parse tree has no maps
		}
		v := m.Get(fd)
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walkMessage(l.Get(i).Message(), fn)
			}
			continue
		}
		walkMessage(v.Message(), fn)
	}
}

// cteScope is the WITH query names visible at a node, innermost last.
type cteScope []string

func (s cteScope) has(name string) bool {
	for _, n := range s {
		if n == name {
			return true
		}
	}
	return false
}

func (s cteScope) with(names ...string) cteScope {
	return append(append(cteScope(nil), s...), names...)
}

// walkScoped is walk with the WITH query names visible at each message,
// as PostgreSQL scopes them: a WITH clause's names are visible in its
// query (set operation arms included) and its subqueries; a
// non-recursive WITH query sees only the ones before it, a WITH
// RECURSIVE query all of its clause's names.
func walkScoped(m proto.Message, fn func(protoreflect.Message, cteScope) bool) {
	walkScopedMessage(m.ProtoReflect(), nil, fn)
}

func walkScopedMessage(m protoreflect.Message, scope cteScope, fn func(protoreflect.Message, cteScope) bool) {
	if !m.IsValid() || !fn(m, scope) {
		return
	}
	var skip protoreflect.FieldDescriptor
	if sel, ok := m.Interface().(*pg.SelectStmt); ok && sel.WithClause != nil {
		skip = m.Descriptor().Fields().ByName("with_clause")
		wc := sel.WithClause
		var names []string
		for _, n := range wc.Ctes {
			if c := n.GetCommonTableExpr(); c != nil {
				names = append(names, c.Ctename)
			}
		}
		fn(wc.ProtoReflect(), scope)
		for i, n := range wc.Ctes {
			c := n.GetCommonTableExpr()
			if c == nil {
				continue
			}
			visible := names[:i]
			if wc.Recursive {
				visible = names
			}
			walkScopedMessage(n.ProtoReflect(), scope.with(visible...), fn)
		}
		scope = scope.with(names...)
	}
	fds := m.Descriptor().Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if fd == skip || fd.Message() == nil || fd.IsMap() || !m.Has(fd) {
			continue
		}
		v := m.Get(fd)
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walkScopedMessage(l.Get(i).Message(), scope, fn)
			}
			continue
		}
		walkScopedMessage(v.Message(), scope, fn)
	}
}
