package translate

// This file decides whether and how one type coerces to another, as
// PostgreSQL's parse_coerce.c does (find_coercion_pathway,
// can_coerce_type, select_common_type).

// coercionContext is PostgreSQL's CoercionContext.
type coercionContext int

const (
	ccImplicit coercionContext = iota
	ccAssignment
	ccExplicit
)

// pathKind is the kind of a coercion pathway.
type pathKind int

const (
	pathNone    pathKind = iota
	pathFunc             // a cast function (pg_cast.castfunc)
	pathRelabel          // binary coercible
	pathArray            // element by element
	pathViaIO            // the source's output function, then the target's input function
)

// findPathway is find_coercion_pathway: how src becomes dst in context cc.
func findPathway(dst, src uint32, cc coercionContext) (pathKind, *castRow) {
	if dst == src {
		return pathRelabel, nil
	}
	// A domain coerces as its base type does (and to it by relabeling).
	dst, src = domainBase(dst), domainBase(src)
	if dst == src {
		return pathRelabel, nil
	}
	if c := castIndex[castKey{src, dst}]; c != nil {
		allowed := false
		switch c.context {
		case 'i':
			allowed = true
		case 'a':
			allowed = cc >= ccAssignment
		case 'e':
			allowed = cc >= ccExplicit
		}
		if !allowed {
			return pathNone, nil
		}
		switch c.method {
		case 'f':
			return pathFunc, c
		case 'b':
			return pathRelabel, c
		case 'i':
			return pathViaIO, c
		}
		return pathNone, nil
	}
	dt, st := Type{dst, -1}, Type{src, -1}
	if dt.IsArray() && st.IsArray() && !isVector(dt.OID) {
		if k, _ := findPathway(dt.Elem().OID, st.Elem().OID, cc); k != pathNone {
			return pathArray, nil
		}
		return pathNone, nil
	}
	if cc >= ccAssignment && dt.Category() == 'S' {
		return pathViaIO, nil
	}
	if cc >= ccExplicit && st.Category() == 'S' {
		return pathViaIO, nil
	}
	return pathNone, nil
}

// canCoerce is can_coerce_type for one value (unknowns coerce to anything).
func canCoerce(src, dst Type, srcUnknown bool, cc coercionContext) bool {
	if src.OID == dst.OID || dst.OID == OIDAny {
		return true
	}
	if dst.IsPolymorphic() {
		return true // checked by resolvePolymorphic
	}
	if srcUnknown || src.OID == OIDUnknown {
		return true
	}
	if dst.OID == OIDRecord && (src.OID == OIDRecord) {
		return true
	}
	if dst.OID == OIDRecordArray && src.IsArray() && src.Elem().OID == OIDRecord {
		return true
	}
	k, _ := findPathway(dst.OID, src.OID, cc)
	return k != pathNone
}

// isBinaryCoercible reports src → dst without a function (for operator
// and function candidate matching of polymorphic/any families).
func isBinaryCoercible(src, dst uint32) bool {
	if src == dst {
		return true
	}
	k, _ := findPathway(dst, src, ccImplicit)
	return k == pathRelabel
}

// selectCommonType is select_common_type: the type that the values of a
// UNION column, a CASE, COALESCE, VALUES column, IN list, … all become.
// what names the construct for the error message.
func selectCommonType(types []Type, unknowns []bool, what string) (Type, error) {
	// Inputs all of one type (a domain included) keep it; otherwise
	// domains count as their base types.
	same := len(types) > 0
	for i, t := range types {
		if unknowns[i] || t.OID == OIDUnknown || t.OID != types[0].OID {
			same = false
		}
	}
	if !same {
		smashed := make([]Type, len(types))
		for i, t := range types {
			smashed[i] = t
			if b := domainBase(t.OID); b != t.OID {
				if info, _ := userInfo(t.OID); info != nil {
					smashed[i] = info.Base
					for depth := 0; depth < 8 && domainBase(smashed[i].OID) != smashed[i].OID; depth++ {
						if bi, _ := userInfo(smashed[i].OID); bi != nil {
							smashed[i] = bi.Base
						}
					}
				}
			}
		}
		types = smashed
	}
	var ptype Type
	pcategory := byte(0)
	ppreferred := false
	first := -1
	allSame := true
	for i, t := range types {
		if unknowns[i] || t.OID == OIDUnknown {
			continue
		}
		if first < 0 {
			first = i
			ptype = t
			pcategory = t.Category()
			ppreferred = t.Preferred()
			continue
		}
		if t.OID == ptype.OID {
			if t.Mod != ptype.Mod {
				allSame = false
			}
			continue
		}
		allSame = false
		ncat := t.Category()
		if ncat != pcategory {
			return Type{}, errf("42804", "%s types %s and %s cannot be matched", what, ptype.Name(), t.Name())
		}
		if !ppreferred && canCoerce(ptype, t, false, ccImplicit) && !canCoerce(t, ptype, false, ccImplicit) {
			ptype = t
			pcategory = ncat
			ppreferred = t.Preferred()
		}
	}
	if first < 0 {
		return TText, nil // all unknown: text
	}
	if !allSame || ptype.Mod < 0 {
		ptype.Mod = -1
	}
	return ptype, nil
}

// commonTypmod keeps a typmod only when every input has it (as
// select_common_typmod does).
func commonTypmod(t Type, types []Type, unknowns []bool) Type {
	mod := int32(-2)
	for i, x := range types {
		if unknowns[i] {
			// An untyped literal or NULL is not of the common type
			// (select_common_typmod compares uncoerced inputs).
			return Type{t.OID, -1}
		}
		if x.OID != t.OID {
			return Type{t.OID, -1}
		}
		if mod == -2 {
			mod = x.Mod
		} else if mod != x.Mod {
			return Type{t.OID, -1}
		}
	}
	if mod == -2 {
		mod = -1
	}
	return Type{t.OID, mod}
}
