package planner

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// walk calls fn for every message in the tree rooted at m, depth first,
// parents before children. fn returns false to skip a message's children.
func walk(m proto.Message, fn func(protoreflect.Message) bool) {
	walkMessage(m.ProtoReflect(), fn)
}

func walkMessage(m protoreflect.Message, fn func(protoreflect.Message) bool) {
	if !m.IsValid() || !fn(m) {
		return
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walkMessage(l.Get(i).Message(), fn)
			}
		case fd.IsMap():
			// The parse tree has no maps.
		case fd.Message() != nil:
			walkMessage(v.Message(), fn)
		}
		return true
	})
}
