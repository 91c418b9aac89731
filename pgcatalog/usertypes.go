package pgcatalog

import (
	"strconv"
	"strings"
)

// UserType is one of an upstream's own types the workspace's columns
// have: an enum, a domain or a composite type, listed in pg_type (with
// its array type) under the OID clients see it by, and an enum's labels
// in pg_enum.
type UserType struct {
	OID, ArrayOID uint32
	// Schema is the emulated schema ("connection.schema"); Name typname.
	Schema, Name string
	// Kind is typtype: "e", "d" or "c".
	Kind   string
	Typlen int16
	// Labels are an enum's labels in their sort order.
	Labels []string
	// BaseOID and BaseTypmod are a domain's base type (BaseOID a user
	// type's client OID when the base is one); NotNull and Checks its
	// constraints.
	BaseOID    uint32
	BaseTypmod int32
	NotNull    bool
	Checks     []string
}

// userTypeKeys are the OID keys of the user types' own objects (enum
// labels).
func userTypeKeys(ws Workspace) []string {
	var keys []string
	for _, u := range ws.Types {
		for _, l := range u.Labels {
			keys = append(keys, "enum\x00"+strconv.FormatUint(uint64(u.OID), 10)+"\x00"+l)
		}
	}
	return keys
}

// staticType is the built-in pg_type row of oid, by column (nil if none).
func staticType(oid uint32) map[string]string {
	rel, _ := Lookup("pg_catalog", "pg_type")
	want := strconv.FormatUint(uint64(oid), 10)
	for _, row := range staticRows["pg_type"] {
		if row[0] != nil && *row[0] == want {
			m := map[string]string{}
			for i, c := range rel.Columns {
				if row[i] != nil {
					m[c] = *row[i]
				}
			}
			return m
		}
	}
	return nil
}

func num(s string) uint32 {
	n, _ := strconv.ParseUint(s, 10, 32)
	return uint32(n)
}

// addUserTypes lists the workspace's user types in pg_type, pg_enum and
// hd_types (format_type, to_regtype), and their namespaces.
func (b *builder) addUserTypes() {
	byOID := map[uint32]*UserType{}
	for i := range b.ws.Types {
		byOID[b.ws.Types[i].OID] = &b.ws.Types[i]
	}
	for _, u := range b.ws.Types {
		ns := b.nsOID[u.Schema]
		row := map[string]any{"oid": u.OID, "typname": u.Name, "typnamespace": ns, "typowner": uint32(OIDOwner),
			"typlen": u.Typlen, "typisdefined": true, "typdelim": ",", "typarray": u.ArrayOID, "typtypmod": int32(-1),
			"typalign": "i", "typstorage": "p"}
		switch u.Kind {
		case "e":
			row["typbyval"], row["typtype"], row["typcategory"] = true, "e", "E"
			row["typinput"], row["typoutput"], row["typreceive"], row["typsend"] = uint32(3506), uint32(3507), uint32(3532), uint32(3533)
			for i, l := range u.Labels {
				b.t("pg_catalog.pg_enum").add(map[string]any{"oid": b.oids.get("enum\x00" + strconv.FormatUint(uint64(u.OID), 10) + "\x00" + l),
					"enumtypid": u.OID, "enumsortorder": float64(i + 1), "enumlabel": l})
			}
		case "c":
			row["typtype"], row["typcategory"], row["typalign"], row["typstorage"] = "c", "C", "d", "x"
			row["typinput"], row["typoutput"], row["typreceive"], row["typsend"] = uint32(2290), uint32(2291), uint32(2402), uint32(2403)
		case "d":
			row["typtype"], row["typbasetype"], row["typtypmod"], row["typnotnull"] = "d", u.BaseOID, u.BaseTypmod, u.NotNull
			row["typinput"], row["typreceive"] = uint32(2597), uint32(2598)
			base := u.BaseOID
			for depth := 0; depth < 8 && byOID[base] != nil && byOID[base].Kind == "d"; depth++ {
				base = byOID[base].BaseOID
			}
			if bu := byOID[base]; bu != nil {
				row["typcategory"] = map[string]string{"e": "E", "c": "C"}[bu.Kind]
				row["typbyval"] = bu.Kind == "e"
				if bu.Kind == "e" {
					row["typoutput"], row["typsend"] = uint32(3507), uint32(3533)
				}
			} else if st := staticType(base); st != nil {
				row["typcategory"], row["typbyval"], row["typalign"], row["typstorage"] = st["typcategory"], st["typbyval"] == "t", st["typalign"], st["typstorage"]
				row["typoutput"], row["typsend"], row["typcollation"] = num(st["typoutput"]), num(st["typsend"]), num(st["typcollation"])
			}
		}
		b.t("pg_catalog.pg_type").add(row)
		b.typeFormat(u.OID, u.Name, quoteTypeName(u.Name))
		if u.ArrayOID != 0 {
			b.t("pg_catalog.pg_type").add(map[string]any{"oid": u.ArrayOID, "typname": "_" + u.Name, "typnamespace": ns,
				"typowner": uint32(OIDOwner), "typlen": int16(-1), "typbyval": false, "typtype": "b", "typcategory": "A",
				"typisdefined": true, "typdelim": ",", "typsubscript": uint32(6179), "typelem": u.OID, "typinput": uint32(750),
				"typoutput": uint32(751), "typreceive": uint32(2400), "typsend": uint32(2401), "typanalyze": uint32(3816),
				"typalign": map[bool]string{true: "d", false: "i"}[u.Kind == "c"], "typstorage": "x", "typtypmod": int32(-1)})
			b.typeFormat(u.ArrayOID, "_"+u.Name, quoteTypeName(u.Name)+"[]")
		}
	}
}

// typeFormat adds a type to hd_types, from which format_type prints it.
func (b *builder) typeFormat(oid uint32, name, plain string) {
	b.types.add(oid, name, plain, "", plain, "")
}

// quoteTypeName is a type name as format_type prints it: quoted when it
// is not a plain lower-case identifier or is a keyword.
func quoteTypeName(s string) string {
	q := QuoteIdent(s)
	if q == s && typeNameSet[s] {
		// A built-in type's name: PostgreSQL would qualify it; keep it.
		return s
	}
	return q
}

// userColumnType is a column's type when it is a user type (or an
// array of one): its OID, and its pg_type facts.
func (b *builder) userType(oid uint32) (u *UserType, array bool) {
	for i := range b.ws.Types {
		t := &b.ws.Types[i]
		if t.OID == oid {
			return t, false
		}
		if t.ArrayOID == oid && oid != 0 {
			return t, true
		}
	}
	return nil, false
}

// userColumnInfo fills information_schema.columns' type columns of a
// column of a user type.
func (b *builder) userColumnInfo(row map[string]any, u *UserType, array bool) {
	for _, k := range []string{"character_maximum_length", "character_octet_length", "numeric_precision", "numeric_precision_radix",
		"numeric_scale", "datetime_precision", "collation_catalog", "collation_schema", "collation_name"} {
		delete(row, k)
	}
	schema, _, _ := strings.Cut(u.Schema, "\x00")
	switch {
	case array:
		row["data_type"], row["udt_schema"], row["udt_name"] = "ARRAY", schema, "_"+u.Name
	case u.Kind == "d":
		row["domain_catalog"], row["domain_schema"], row["domain_name"] = b.ws.Database, schema, u.Name
		if bu, _ := b.userType(u.BaseOID); bu != nil {
			row["data_type"], row["udt_schema"], row["udt_name"] = "USER-DEFINED", bu.Schema, bu.Name
			return
		}
		if bt := builtinTypes[u.BaseOID]; bt != nil {
			base := b.columnInfo(Table{}, Column{}, 0, u.BaseOID, u.BaseTypmod)
			for _, k := range []string{"data_type", "udt_schema", "udt_name", "character_maximum_length", "character_octet_length", "numeric_precision",
				"numeric_precision_radix", "numeric_scale", "datetime_precision", "collation_catalog", "collation_schema", "collation_name"} {
				if v, ok := base[k]; ok {
					row[k] = v
				}
			}
		}
	default:
		row["data_type"], row["udt_schema"], row["udt_name"] = "USER-DEFINED", schema, u.Name
	}
}

// columnType is the type of a column: a user type's (by the OID the
// workspace gave it), else columnType's.
func (b *builder) columnType(dataType string, oid uint32) (uint32, int32) {
	if oid >= firstNormalOID {
		if u, _ := b.userType(oid); u != nil {
			return oid, -1
		}
	}
	return columnType(dataType, oid)
}

// insertStmts are the rows' INSERTs alone.
func (l *lookupTable) insertStmts() []string {
	return l.stmts()[1:]
}
