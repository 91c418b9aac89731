package translate

// Function and operator overload resolution, as PostgreSQL's
// parse_func.c (func_get_detail, func_match_argtypes,
// func_select_candidate) and parse_oper.c (oper_select_candidate) do it,
// and polymorphic type resolution (enforce_generic_type_consistency).

// candidate is one function (or operator) with the argument types a call
// would pass it (variadic arguments expanded, defaults dropped).
type candidate struct {
	proc     *procRow
	oper     *operRow
	args     []Type
	variadic bool // the call spreads its last arguments into a VARIADIC array
	ndef     int  // defaults used
}

// funcCandidates lists the functions called name that take nargs
// arguments (expanding VARIADIC and using defaults).
func funcCandidates(name string, nargs int, explicitVariadic bool) []candidate {
	var out []candidate
	for _, p := range procsByName[name] {
		n := len(p.args)
		switch {
		case p.variadic != 0 && !explicitVariadic:
			// Called without VARIADIC: only the expanded form, the last
			// nargs-(n-1) arguments forming the array, of at least one
			// element (FuncnameGetCandidates: pronargs <= nargs).
			if nargs < n {
				continue
			}
			args := types(p.args[:n-1])
			for i := n - 1; i < nargs; i++ {
				args = append(args, Type{p.variadic, -1})
			}
			out = append(out, candidate{proc: p, args: args, variadic: true})
		case n == nargs:
			out = append(out, candidate{proc: p, args: types(p.args)})
		case n > nargs && n-nargs <= p.ndefaults:
			out = append(out, candidate{proc: p, args: types(p.args[:nargs]), ndef: n - nargs})
		}
	}
	return out
}

func types(oids []uint32) []Type {
	out := make([]Type, len(oids))
	for i, o := range oids {
		out[i] = Type{o, -1}
	}
	return out
}

// argInfo is what resolution knows of one actual argument.
type argInfo struct {
	typ     Type
	unknown bool // an untyped literal, NULL or parameter
}

// matchArgTypes keeps the candidates every argument coerces to implicitly.
func matchArgTypes(args []argInfo, cands []candidate) []candidate {
	var out []candidate
	for _, c := range cands {
		ok := true
		for i, a := range args {
			if !canCoerce(a.typ, c.args[i], a.unknown, ccImplicit) {
				ok = false
				break
			}
		}
		if ok && polymorphicOK(args, c.args) {
			out = append(out, c)
		}
	}
	return out
}

// selectCandidate is func_select_candidate: it narrows several
// candidates by exact matches, preferred types and the categories of
// unknown arguments. It returns nil when the call is ambiguous.
func selectCandidate(args []argInfo, cands []candidate) []candidate {
	n := len(args)
	inputBase := make([]uint32, n)
	nunknowns := 0
	for i, a := range args {
		if a.unknown || a.typ.OID == OIDUnknown {
			inputBase[i] = OIDUnknown
			nunknowns++
		} else {
			inputBase[i] = a.typ.OID
		}
	}
	// Most exact matches.
	best := -1
	var keep []candidate
	for _, c := range cands {
		m := 0
		for i := 0; i < n; i++ {
			if inputBase[i] != OIDUnknown && c.args[i].OID == inputBase[i] {
				m++
			}
		}
		switch {
		case m > best:
			best = m
			keep = []candidate{c}
		case m == best:
			keep = append(keep, c)
		}
	}
	if len(keep) == 1 {
		return keep
	}
	cands = keep
	// Most preferred types where coercion is needed.
	best = -1
	keep = nil
	for _, c := range cands {
		m := 0
		for i := 0; i < n; i++ {
			if inputBase[i] == OIDUnknown {
				continue
			}
			ct := c.args[i]
			if ct.OID == inputBase[i] || (ct.Preferred() && ct.Category() == Type{inputBase[i], -1}.Category()) {
				m++
			}
		}
		switch {
		case m > best:
			best = m
			keep = []candidate{c}
		case m == best:
			keep = append(keep, c)
		}
	}
	if len(keep) == 1 {
		return keep
	}
	cands = keep
	if nunknowns == 0 {
		return nil
	}
	// Unknown inputs: pick a category per position.
	for {
		resolved := false
		slotCat := make([]byte, n)
		slotPref := make([]bool, n)
		for i := 0; i < n; i++ {
			if inputBase[i] != OIDUnknown {
				continue
			}
			haveConflict := false
			var cat byte
			pref := false
			for _, c := range cands {
				ct := c.args[i]
				ccat := ct.Category()
				switch {
				case cat == 0:
					cat, pref = ccat, ct.Preferred()
				case ccat == cat:
					pref = pref || ct.Preferred()
				default:
					if ccat == 'S' {
						cat, pref = ccat, ct.Preferred()
					} else if cat != 'S' {
						haveConflict = true
					}
				}
			}
			if haveConflict && cat != 'S' {
				return nil // STRING resolves a conflict; nothing else does
			}
			slotCat[i], slotPref[i] = cat, pref
			resolved = true
		}
		if !resolved {
			break
		}
		var next []candidate
		for _, c := range cands {
			ok := true
			for i := 0; i < n; i++ {
				if inputBase[i] != OIDUnknown {
					continue
				}
				ct := c.args[i]
				if ct.Category() != slotCat[i] || slotPref[i] && !ct.Preferred() {
					ok = false
					break
				}
			}
			if ok {
				next = append(next, c)
			}
		}
		if len(next) > 0 {
			cands = next
		}
		break
	}
	if len(cands) == 1 {
		return cands
	}
	// Last resort: unknowns of the same type as every known input.
	if nunknowns < n {
		var known uint32
		same := true
		for i := 0; i < n; i++ {
			if inputBase[i] == OIDUnknown {
				continue
			}
			if known == 0 {
				known = inputBase[i]
			} else if known != inputBase[i] {
				same = false
			}
		}
		if same && known != 0 {
			// As can_coerce_type over every argument taken as the known
			// type, polymorphic consistency included ('z' || ARRAY['a']
			// is array_cat: array_prepend(text[], text[]) is not
			// consistent).
			asKnown := make([]argInfo, n)
			for i := range asKnown {
				asKnown[i] = argInfo{typ: Type{known, -1}}
			}
			var next []candidate
			for _, c := range cands {
				ok := true
				for i := 0; i < n; i++ {
					if !canCoerce(Type{known, -1}, c.args[i], false, ccImplicit) {
						ok = false
					}
				}
				if ok && !polymorphicOK(asKnown, c.args) {
					ok = false
				}
				if ok {
					next = append(next, c)
				}
			}
			if len(next) == 1 {
				return next
			}
		}
	}
	return nil
}

// exactCandidate finds a candidate whose argument types equal the known
// input types, unknowns taking the type of the other operand (binary
// operators) as PostgreSQL's binary_oper_exact does.
func exactCandidate(args []argInfo, cands []candidate) *candidate {
	n := len(args)
	typesIn := make([]uint32, n)
	for i, a := range args {
		if a.unknown || a.typ.OID == OIDUnknown {
			typesIn[i] = OIDUnknown
		} else {
			typesIn[i] = a.typ.OID
		}
	}
	if n == 2 {
		if typesIn[0] == OIDUnknown && typesIn[1] != OIDUnknown {
			typesIn[0] = typesIn[1]
		} else if typesIn[1] == OIDUnknown && typesIn[0] != OIDUnknown {
			typesIn[1] = typesIn[0]
		}
	}
	for i := range cands {
		c := &cands[i]
		ok := true
		for j := 0; j < n; j++ {
			if c.args[j].OID != typesIn[j] {
				ok = false
				break
			}
		}
		if ok {
			return c
		}
	}
	return nil
}

// pickCandidate runs the whole selection; ambiguous is true when
// several candidates remain.
func pickCandidate(args []argInfo, cands []candidate, operator bool) (c *candidate, ambiguous bool) {
	if len(cands) == 0 {
		return nil, false
	}
	if operator {
		if e := exactCandidate(args, cands); e != nil {
			return e, false
		}
	} else {
		// func_get_detail: an exact match of every known type first.
		for i := range cands {
			ok := true
			for j, a := range args {
				if a.unknown || a.typ.OID != cands[i].args[j].OID {
					ok = false
					break
				}
			}
			if ok && !cands[i].variadic {
				return &cands[i], false
			}
		}
	}
	m := matchArgTypes(args, cands)
	switch len(m) {
	case 0:
		return nil, false
	case 1:
		return &m[0], false
	}
	s := selectCandidate(args, m)
	if len(s) != 1 {
		return nil, true
	}
	return &s[0], false
}

// polymorphicOK checks that the polymorphic arguments of a candidate
// can agree on one element type (check_generic_type_consistency).
func polymorphicOK(args []argInfo, decl []Type) bool {
	_, err := resolvePolymorphic(args, decl, Type{OIDVoid, -1})
	return err == nil
}

// polyResult is what resolvePolymorphic decided.
type polyResult struct {
	elem   Type // anyelement's type (0: none)
	compat Type // anycompatible's type
	args   []Type
	ret    Type
}

// resolvePolymorphic decides the actual types of polymorphic arguments
// and of the result (enforce_generic_type_consistency).
func resolvePolymorphic(args []argInfo, decl []Type, ret Type) (*polyResult, error) {
	var elem Type
	haveAnyUnknown := false
	var compatTypes []Type
	var compatUnknown []bool
	haveCompat := false
	for i, d := range decl {
		if i >= len(args) {
			break
		}
		a := args[i]
		unknown := a.unknown || a.typ.OID == OIDUnknown
		switch d.OID {
		case OIDAnyElement, OIDAnyNonArray, OIDAnyEnum:
			if unknown {
				haveAnyUnknown = true
				continue
			}
			t := Type{a.typ.OID, -1}
			if elem.OID != 0 && elem.OID != t.OID {
				return nil, errf("42804", "arguments declared \"anyelement\" are not all alike")
			}
			elem = t
		case OIDAnyArray:
			if unknown {
				haveAnyUnknown = true
				continue
			}
			if !a.typ.IsArray() {
				return nil, errf("42804", "argument declared anyarray is not an array but type %s", a.typ.Name())
			}
			t := Type{a.typ.Elem().OID, -1}
			if elem.OID != 0 && elem.OID != t.OID {
				return nil, errf("42804", "argument declared anyarray is not consistent with argument declared anyelement")
			}
			elem = t
		case OIDAnyCompatible, OIDAnyCompatibleNonArray:
			haveCompat = true
			compatTypes = append(compatTypes, a.typ)
			compatUnknown = append(compatUnknown, unknown)
		case OIDAnyCompatibleArray:
			haveCompat = true
			if unknown {
				continue
			}
			if !a.typ.IsArray() {
				return nil, errf("42804", "argument declared anycompatiblearray is not an array but type %s", a.typ.Name())
			}
			compatTypes = append(compatTypes, a.typ.Elem())
			compatUnknown = append(compatUnknown, false)
		case OIDAnyRange, OIDAnyMultirange, OIDAnyCompatibleRange, OIDAnyCompatibleMultirange:
			return nil, errf("0A000", "range types are not supported")
		}
	}
	res := &polyResult{}
	if elem.OID == 0 && (haveAnyUnknown || needsElem(decl, ret)) {
		if haveAnyUnknown || needsElem(decl, ret) {
			return nil, errf("42804", "could not determine polymorphic type because input has type unknown")
		}
	}
	for _, d := range decl {
		if d.OID == OIDAnyNonArray && elem.IsArray() {
			return nil, errf("42804", "type matched to anynonarray is an array type: %s", elem.Name())
		}
		if d.OID == OIDAnyEnum && elem.OID != 0 && !isEnum(elem) {
			return nil, errf("42804", "type matched to anyenum is not an enum type: %s", elem.Name())
		}
	}
	if haveCompat {
		if len(compatTypes) == 0 {
			return nil, errf("42804", "could not determine polymorphic type anycompatible because input has type unknown")
		}
		ct, err := selectCommonType(compatTypes, compatUnknown, "anycompatible")
		if err != nil {
			return nil, err
		}
		for i, t := range compatTypes {
			if !compatUnknown[i] && !canCoerce(t, ct, false, ccImplicit) {
				return nil, errf("42804", "function arguments of type %s and %s cannot be matched", t.Name(), ct.Name())
			}
		}
		res.compat = Type{ct.OID, -1}
	}
	res.elem = elem
	res.args = make([]Type, len(decl))
	for i, d := range decl {
		res.args[i] = substitutePoly(d, res)
	}
	res.ret = substitutePoly(ret, res)
	if ret.IsPolymorphic() && res.ret.OID == 0 {
		return nil, errf("42804", "could not determine polymorphic type because input has type unknown")
	}
	return res, nil
}

func needsElem(decl []Type, ret Type) bool {
	for _, d := range decl {
		switch d.OID {
		case OIDAnyElement, OIDAnyArray, OIDAnyNonArray, OIDAnyEnum:
			return true
		}
	}
	switch ret.OID {
	case OIDAnyElement, OIDAnyArray, OIDAnyNonArray, OIDAnyEnum:
		return true
	}
	return false
}

func substitutePoly(d Type, r *polyResult) Type {
	switch d.OID {
	case OIDAnyElement, OIDAnyNonArray, OIDAnyEnum:
		return r.elem
	case OIDAnyArray:
		if r.elem.OID == 0 {
			return Type{}
		}
		return ArrayOf(r.elem)
	case OIDAnyCompatible, OIDAnyCompatibleNonArray:
		return r.compat
	case OIDAnyCompatibleArray:
		if r.compat.OID == 0 {
			return Type{}
		}
		return ArrayOf(r.compat)
	}
	return d
}
