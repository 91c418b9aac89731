package pgcatalog

import (
	"sort"
	"strconv"
	"strings"
)

// staticRows are the rows of the catalogs that hold only built-in
// objects (staticData), as PostgreSQL prints each value (nil: NULL).
var staticRows = func() map[string][][]*string {
	out := make(map[string][][]*string, len(staticData))
	for name, data := range staticData {
		out[name] = parseCopy(data)
	}
	return out
}()

// parseCopy reads rows in COPY's text format: a line a row, values
// separated by tabs, \N for NULL, backslash escapes.
func parseCopy(data string) [][]*string {
	var rows [][]*string
	for _, line := range strings.Split(strings.TrimSuffix(data, "\n"), "\n") {
		if line == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		row := make([]*string, len(fields))
		for i, f := range fields {
			if f == `\N` {
				continue
			}
			v := copyUnescape(f)
			row[i] = &v
		}
		rows = append(rows, row)
	}
	return rows
}

func copyUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// procInfo is what the catalog functions print of one built-in
// function: regproc and regprocedure output, pg_get_function_result,
// pg_get_function_arguments, pg_get_function_identity_arguments.
type procInfo struct {
	oid                                  uint32
	name                                 string
	regproc, regprocedure                string
	result, arguments, identityArguments string
	sqlBody                              *string // pg_get_function_sqlbody; nil: none
}

// procs are the built-in functions by OID, in OID order. Most of what
// PostgreSQL prints follows from pg_proc (an overloaded name is
// qualified; arguments are their types); the rest is in
// staticData["hd_procs"], generated from PostgreSQL's own output.
var procs, procByOID = func() ([]procInfo, map[uint32]int) {
	rel, _ := Lookup("pg_catalog", "pg_proc")
	idx := map[string]int{}
	for i, c := range rel.Columns {
		idx[c] = i
	}
	rows := staticRows["pg_proc"]
	count := map[string]int{}
	for _, r := range rows {
		count[*r[idx["proname"]]]++
	}
	out := make([]procInfo, 0, len(rows))
	byOID := make(map[uint32]int, len(rows))
	for _, r := range rows {
		oid, _ := strconv.ParseUint(*r[idx["oid"]], 10, 32)
		name := *r[idx["proname"]]
		var args []string
		for _, t := range strings.Fields(*r[idx["proargtypes"]]) {
			n, _ := strconv.ParseUint(t, 10, 32)
			args = append(args, typeNames[uint32(n)])
		}
		ret, _ := strconv.ParseUint(*r[idx["prorettype"]], 10, 32)
		p := procInfo{oid: uint32(oid), name: name, regproc: QuoteIdent(name), regprocedure: QuoteIdent(name) + "(" + strings.Join(args, ",") + ")",
			result: typeNames[uint32(ret)], arguments: strings.Join(args, ", ")}
		if count[name] > 1 {
			p.regproc = "pg_catalog." + p.regproc
		}
		if *r[idx["proretset"]] == "t" {
			p.result = "SETOF " + p.result
		}
		p.identityArguments = p.arguments
		byOID[p.oid] = len(out)
		out = append(out, p)
	}
	for _, r := range staticRows["hd_procs"] {
		oid, _ := strconv.ParseUint(*r[0], 10, 32)
		i, ok := byOID[uint32(oid)]
		if !ok {
			continue
		}
		for j, f := range []*string{&out[i].regproc, &out[i].regprocedure, &out[i].result, &out[i].arguments, &out[i].identityArguments} {
			if r[j+1] != nil {
				*f = *r[j+1]
			}
		}
		out[i].sqlBody = r[6]
	}
	return out, byOID
}()

// ProcOIDs returns the OIDs of the built-in functions a regproc or
// regprocedure name means: "name", "pg_catalog.name", or with argument
// types, "name(integer, text)".
func ProcOIDs(name string) []uint32 {
	base, args, hasArgs := strings.Cut(name, "(")
	base = strings.TrimSpace(base)
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		if schema := strings.Trim(strings.TrimSpace(base[:i]), `"`); schema != "pg_catalog" {
			return nil
		}
		base = strings.TrimSpace(base[i+1:])
	}
	if len(base) >= 2 && base[0] == '"' && base[len(base)-1] == '"' {
		base = strings.ReplaceAll(base[1:len(base)-1], `""`, `"`)
	} else {
		base = strings.ToLower(base)
	}
	var want []uint32
	if hasArgs {
		args = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(args), ")"))
		if args != "" {
			for _, a := range strings.Split(args, ",") {
				oid, ok := TypeOID(a)
				if !ok {
					return nil
				}
				want = append(want, oid)
			}
		}
	}
	rel, _ := Lookup("pg_catalog", "pg_proc")
	nameCol, argsCol := 0, 0
	for i, c := range rel.Columns {
		switch c {
		case "proname":
			nameCol = i
		case "proargtypes":
			argsCol = i
		}
	}
	var out []uint32
	for i, r := range staticRows["pg_proc"] {
		if *r[nameCol] != base {
			continue
		}
		if hasArgs {
			have := strings.Fields(*r[argsCol])
			if len(have) != len(want) {
				continue
			}
			same := true
			for j, t := range have {
				if t != strconv.FormatUint(uint64(want[j]), 10) {
					same = false
				}
			}
			if !same {
				continue
			}
		}
		out = append(out, procs[i].oid)
	}
	return out
}

// Control characters that never occur in catalog values separate them
// in bulkInsert's literal.
const (
	sepRow   = "\x1e"
	sepField = "\x1f"
	sepElem  = "\x1d"
	markNull = "\x1c"
	markNone = "\x1b" // an empty array
)

// bulkInsert renders rows (values as PostgreSQL prints them) as one
// INSERT that splits a single string literal, which the engine reads
// much faster than as many literals as there are values.
func bulkInsert(target string, pgTypes []string, rows [][]*string) string {
	if len(rows) == 0 {
		return ""
	}
	var data strings.Builder
	for i, row := range rows {
		if i > 0 {
			data.WriteString(sepRow)
		}
		for j, v := range row {
			if j > 0 {
				data.WriteString(sepField)
			}
			switch {
			case v == nil:
				data.WriteString(markNull)
			case isArrayType(pgTypes[j]):
				elems := arrayElems(*v, pgTypes[j])
				if len(elems) == 0 {
					data.WriteString(markNone)
				} else {
					data.WriteString(strings.Join(elems, sepElem))
				}
			default:
				data.WriteString(*v)
			}
		}
	}
	exprs := make([]string, len(pgTypes))
	for j, t := range pgTypes {
		f := "f[" + strconv.Itoa(j+1) + "]"
		switch {
		case isArrayType(t):
			dt := duckType(t)
			exprs[j] = "CASE " + f + " WHEN chr(28) THEN NULL WHEN chr(27) THEN CAST([] AS " + dt + ") ELSE CAST(string_split(" + f + ", chr(29)) AS " + dt + ") END"
		case t == "boolean":
			exprs[j] = "CASE " + f + " WHEN 't' THEN true WHEN 'f' THEN false END"
		default:
			exprs[j] = "CAST(nullif(" + f + ", chr(28)) AS " + duckType(t) + ")"
		}
	}
	return "INSERT INTO " + target + " SELECT " + strings.Join(exprs, ", ") +
		" FROM (SELECT string_split(hd_l, chr(31)) AS f FROM unnest(string_split(" + quoteString(data.String()) + ", chr(30))) AS hd_u(hd_l))"
}

func isArrayType(pgType string) bool {
	return strings.HasSuffix(pgType, "[]") || pgType == "int2vector" || pgType == "oidvector"
}

// arrayElems splits an array's text: {a,"b c"}, or "1 2" for the vector
// types.
func arrayElems(s, pgType string) []string {
	if !strings.HasPrefix(s, "{") {
		return strings.Fields(s)
	}
	return splitArray(strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"))
}

// staticInserts fills the static catalogs and the functions' lookup of
// built-in functions.
func staticInserts() []string {
	names := make([]string, 0, len(staticRows))
	for name := range staticRows {
		if _, ok := Lookup("pg_catalog", name); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []string
	for _, name := range names {
		rel, _ := Lookup("pg_catalog", name)
		types := make([]string, len(rel.Columns))
		for i, c := range rel.Columns {
			types[i] = rel.Types[c]
		}
		out = append(out, bulkInsert(rel.engineName(), types, staticRows[name]))
	}
	rows := make([][]*string, len(procs))
	for i, p := range procs {
		oid := strconv.FormatUint(uint64(p.oid), 10)
		rows[i] = []*string{&oid, &procs[i].name, &procs[i].regproc, &procs[i].regprocedure, &procs[i].result, &procs[i].arguments,
			&procs[i].identityArguments, procs[i].sqlBody}
	}
	out = append(out, bulkInsert(EngineCatalog+"."+engineSystem+".hd_procs",
		[]string{"oid", "text", "text", "text", "text", "text", "text", "text"}, rows))
	return out
}
