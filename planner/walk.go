package planner

import (
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
