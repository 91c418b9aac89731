package translate

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Named arguments (make_interval(days => 3)) and argument defaults, as
// PostgreSQL's ParseFuncOrColumn, FuncnameGetCandidates (MatchNamedCall)
// and expand_function_arguments treat them. Names and defaults come from
// pg_proc (pgProcArgs, generated).

// namedCall resolves and renders a call with named arguments: names[i]
// is argument i's name, "" for a positional one.
func (l *level) namedCall(fc *pg.FuncCall, name string, args []*expr, names []string) (*expr, error) {
	if err := l.checkArgNames(fc, names); err != nil {
		return nil, err
	}
	infos := make([]argInfo, len(args))
	for i, a := range args {
		infos[i] = argInfo{a.typ, a.unknown}
	}
	var cands []candidate
	var argnums [][]int
	variadic := false
	for _, p := range procsByName[name] {
		if p.variadic != 0 {
			variadic = true
			continue
		}
		if nums := matchNamedCall(p, len(args), names); nums != nil {
			ts := make([]Type, len(args))
			for i, n := range nums {
				ts[i] = Type{p.args[n], -1}
			}
			cands = append(cands, candidate{proc: p, args: ts})
			argnums = append(argnums, nums)
		}
	}
	c, ambiguous := pickCandidate(infos, cands, false)
	if c == nil {
		if variadic {
			return nil, l.a.unsupportedAt(fc.Location, "named arguments of variadic functions are not supported by Hotdata's cache engine")
		}
		return nil, l.noFunctionNamed(name, args, names, fc.Location, ambiguous)
	}
	var nums []int
	for i := range cands {
		if cands[i].proc == c.proc {
			nums = argnums[i]
		}
	}
	c, args, infos, err := l.withDefaults(c, args, nums, fc.Location)
	if err != nil {
		return nil, err
	}
	return l.funcCallPicked(fc, name, c, args, infos)
}

// checkArgNames gives PostgreSQL's errors for a name used twice and for
// a positional argument after a named one.
func (l *level) checkArgNames(fc *pg.FuncCall, names []string) error {
	seen := map[string]bool{}
	for i, n := range names {
		switch {
		case n == "" && len(seen) > 0:
			return l.a.errAt(nodeLocation(fc.Args[i]), "42601", "positional argument cannot follow named argument")
		case n != "" && seen[n]:
			return l.a.errAt(fc.Args[i].GetNamedArgExpr().Location, "42601", "argument name \"%s\" used more than once", n)
		}
		if n != "" {
			seen[n] = true
		}
	}
	return nil
}

// matchNamedCall is MatchNamedCall: the declared position of each
// argument of a call of p with these names, or nil when p does not
// match (an unknown name, a name given positionally too, or an omitted
// argument without a default).
func matchNamedCall(p *procRow, nargs int, names []string) []int {
	n := len(p.args)
	pa, ok := pgProcArgs[p.oid]
	if nargs > n || !ok || len(pa.names) != n {
		return nil
	}
	nums := make([]int, nargs)
	given := make([]bool, n)
	for i, name := range names {
		if name == "" {
			nums[i], given[i] = i, true
			continue
		}
		pos := -1
		for j, pn := range pa.names {
			if pn == name {
				pos = j
				break
			}
		}
		if pos < 0 || given[pos] {
			return nil
		}
		nums[i], given[pos] = pos, true
	}
	for j := range given {
		if !given[j] && j < n-p.ndefaults {
			return nil
		}
	}
	return nums
}

// withDefaults puts a call's arguments in the function's declared order
// (argnums[i] is argument i's position; nil keeps the order) and adds
// the defaults of the arguments it omits.
func (l *level) withDefaults(c *candidate, args []*expr, argnums []int, loc int32) (*candidate, []*expr, []argInfo, error) {
	p := c.proc
	full := make([]*expr, len(p.args))
	for i, a := range args {
		pos := i
		if argnums != nil {
			pos = argnums[i]
		}
		full[pos] = a
	}
	infos := make([]argInfo, len(full))
	for i := range full {
		if full[i] == nil {
			d, err := l.defaultArg(p, i, loc)
			if err != nil {
				return nil, nil, nil, err
			}
			full[i] = d
		}
		infos[i] = argInfo{full[i].typ, full[i].unknown}
	}
	return &candidate{proc: p, args: types(p.args)}, full, infos, nil
}

// defaultArg analyzes the default of p's argument i.
func (l *level) defaultArg(p *procRow, i int, loc int32) (*expr, error) {
	pa := pgProcArgs[p.oid]
	if i >= len(pa.defaults) || pa.defaults[i] == "" {
		return nil, internal("no default for argument %d of %s", i+1, p.name)
	}
	tree, err := pg.Parse("SELECT " + pa.defaults[i])
	if err != nil {
		return nil, internal("default of %s: %v", p.name, err)
	}
	node := tree.Stmts[0].Stmt.GetSelectStmt().TargetList[0].GetResTarget().Val
	// Its locations are in the default's text, not the statement's.
	clearLocations(node.ProtoReflect())
	e, err := l.expr(node)
	if err != nil {
		return nil, err
	}
	out := *e
	out.loc = loc
	return &out, nil
}

// noFunctionNamed is 42883 naming the arguments as PostgreSQL's
// funcname_signature_string does (days => integer).
func (l *level) noFunctionNamed(name string, args []*expr, names []string, loc int32, ambiguous bool) error {
	ts := make([]string, len(args))
	for i, a := range args {
		ts[i] = typeForError(a)
		if names[i] != "" {
			ts[i] = names[i] + " => " + ts[i]
		}
	}
	if ambiguous {
		return l.a.errAt(loc, "42725", "function %s(%s) is not unique", name, strings.Join(ts, ", ")).
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
	}
	return l.a.errAt(loc, "42883", "function %s(%s) does not exist", name, strings.Join(ts, ", ")).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
}

// clearLocations sets every location in a parse tree to -1 (unknown).
func clearLocations(m protoreflect.Message) {
	if fd := m.Descriptor().Fields().ByName("location"); fd != nil && fd.Kind() == protoreflect.Int32Kind {
		m.Set(fd, protoreflect.ValueOfInt32(-1))
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				clearLocations(l.Get(i).Message())
			}
		case fd.Kind() == protoreflect.MessageKind && !fd.IsMap():
			clearLocations(v.Message())
		}
		return true
	})
}
