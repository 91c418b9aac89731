package pgcatalog

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Setup returns the statements that create the catalog in a workspace's
// engine: the schemas, every relation (empty), the static rows and the
// functions. They run once per engine, before the first Fill.
func Setup(started time.Time) []string {
	sys := EngineCatalog + "." + engineSystem
	stmts := []string{
		"ATTACH IF NOT EXISTS ':memory:' AS " + EngineCatalog,
		"CREATE SCHEMA IF NOT EXISTS " + sys,
		"CREATE SCHEMA IF NOT EXISTS " + EngineCatalog + "." + engineInfoSchema,
		// Lookup tables for the functions. Their columns have names no
		// catalog column has: a macro's arguments are expressions of the
		// calling query, which must not bind to the lookup table.
		"CREATE TABLE " + sys + ".hd_types (hd_t_oid UINTEGER, hd_t_name VARCHAR, hd_t_plain VARCHAR, hd_t_kind VARCHAR, hd_t_head VARCHAR, hd_t_tail VARCHAR)",
		"CREATE TABLE " + sys + ".hd_defs (hd_d_oid UINTEGER, hd_d_def VARCHAR, hd_d_pretty VARCHAR)",
		"CREATE TABLE " + sys + ".hd_names (hd_n_kind VARCHAR, hd_n_oid UINTEGER, hd_n_name VARCHAR)",
		"CREATE TABLE " + sys + ".hd_desc (hd_c_oid UINTEGER, hd_c_sub INTEGER, hd_c_text VARCHAR)",
		"CREATE TABLE " + sys + ".hd_indexcols (hd_i_oid UINTEGER, hd_i_pos INTEGER, hd_i_name VARCHAR)",
		// The pretty form (pg_get_expr(e, r, true)) of an expression the
		// catalog holds where PostgreSQL holds a node tree.
		"CREATE TABLE " + sys + ".hd_exprs (hd_e_plain VARCHAR, hd_e_pretty VARCHAR)",
		"CREATE TABLE " + sys + ".hd_classes (hd_k_oid UINTEGER, hd_k_nsp VARCHAR, hd_k_name VARCHAR)",
		"CREATE TABLE " + sys + ".hd_keywords (hd_w_word VARCHAR, hd_w_catcode VARCHAR, hd_w_barelabel BOOLEAN, hd_w_catdesc VARCHAR, hd_w_baredesc VARCHAR)",
		"CREATE TABLE " + sys + ".hd_procs (hd_p_oid UINTEGER, hd_p_name VARCHAR, hd_p_regproc VARCHAR, hd_p_regprocedure VARCHAR, hd_p_result VARCHAR, hd_p_args VARCHAR, hd_p_identity VARCHAR, hd_p_sqlbody VARCHAR)",
	}
	for _, r := range relations {
		rel, _ := Lookup(r.schema, r.name)
		cols := make([]string, len(r.columns))
		for i, c := range r.columns {
			cols[i] = quoteIdent(c.name) + " " + duckType(c.pgType)
		}
		stmts = append(stmts, "CREATE TABLE "+rel.engineName()+" ("+strings.Join(cols, ", ")+")")
	}
	stmts = append(stmts, staticInserts()...)
	stmts = append(stmts, typeFormats(), keywordRows())
	return append(stmts, functionDefs(started)...)
}

// keyword is one row of pg_get_keywords().
type keyword struct {
	word, catcode     string
	barelabel         bool
	catdesc, baredesc string
}

// reservedWords are the keywords an identifier must be quoted to be:
// all but the unreserved ones.
var reservedWords = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range keywords {
		if k.catcode != "U" {
			m[k.word] = true
		}
	}
	return m
}()

// QuoteIdent is PostgreSQL's quote_ident: s as is when it is a plain
// lower-case name that is no reserved word, else in double quotes.
func QuoteIdent(s string) string {
	plain := s != "" && !reservedWords[s]
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9'
	}
	if plain {
		return s
	}
	return quoteIdent(s)
}

// quoteIdentMacro is quote_ident(s), as QuoteIdent.
func quoteIdentMacro() string {
	words := make([]string, 0, len(reservedWords))
	for w := range reservedWords {
		words = append(words, quoteString(w))
	}
	sort.Strings(words)
	return `(s) AS CASE WHEN regexp_full_match(s, '[a-z_][a-z0-9_]*') AND NOT list_contains([` + strings.Join(words, ", ") +
		`], s) THEN s ELSE '"' || replace(s, '"', '""') || '"' END`
}

// keywordRows fills hd_keywords, which pg_get_keywords() lists.
func keywordRows() string {
	vals := make([]string, len(keywords))
	for i, k := range keywords {
		vals[i] = "(" + quoteString(k.word) + ", " + quoteString(k.catcode) + ", " + strconv.FormatBool(k.barelabel) + ", " +
			quoteString(k.catdesc) + ", " + quoteString(k.baredesc) + ")"
	}
	return "INSERT INTO " + EngineCatalog + "." + engineSystem + ".hd_keywords VALUES " + strings.Join(vals, ", ")
}

// typeFormats fills hd_types, from which format_type prints a type with
// its modifier: head(modifier)tail.
func typeFormats() string {
	oids := make([]uint32, 0, len(builtinTypes))
	for oid := range builtinTypes {
		oids = append(oids, oid)
	}
	sort.Slice(oids, func(i, j int) bool { return oids[i] < oids[j] })
	var vals []string
	for _, oid := range oids {
		t := builtinTypes[oid]
		base, arr := t, ""
		if t.elem != 0 && t.category == "A" && builtinTypes[t.elem] != nil {
			base, arr = builtinTypes[t.elem], "[]"
		}
		kind, head, tail := "", base.display, arr
		switch base.oid {
		case oidVarchar, oidBPChar:
			kind = "char"
		case oidNumeric:
			kind = "numeric"
		case oidBit, oidVarbit:
			kind = "len"
		case oidTimestamp, oidTimestamptz, oidTime, oidTimetz:
			kind = "len"
			h, rest, _ := strings.Cut(base.display, " ")
			head, tail = h, " "+rest+arr
		}
		vals = append(vals, "("+strconv.FormatUint(uint64(oid), 10)+", "+quoteString(t.name)+", "+quoteString(formatType(oid, -1))+", "+
			quoteString(kind)+", "+quoteString(head)+", "+quoteString(tail)+")")
	}
	return "INSERT INTO " + EngineCatalog + "." + engineSystem + ".hd_types VALUES " + strings.Join(vals, ", ")
}

// Functions are the pg_catalog functions the catalog defines (as DuckDB
// macros in the engine's pg schema); the planner sends calls to them
// there, whether the client wrote pg_catalog. or not.
var Functions = map[string]bool{}

// function definitions: name -> overloads "(params) AS body".
var functions = map[string][]string{
	"format_type": {`(t, m) AS CASE WHEN t IS NULL THEN NULL ELSE coalesce((SELECT CASE
		WHEN hd_t_kind = '' OR m IS NULL OR m < 0 THEN hd_t_plain
		WHEN hd_t_kind = 'char' THEN hd_t_head || '(' || CAST(m - 4 AS VARCHAR) || ')' || hd_t_tail
		WHEN hd_t_kind = 'numeric' THEN hd_t_head || '(' || CAST(((m - 4) >> 16) & 65535 AS VARCHAR) || ',' || CAST((m - 4) & 65535 AS VARCHAR) || ')' || hd_t_tail
		ELSE hd_t_head || '(' || CAST(m AS VARCHAR) || ')' || hd_t_tail END
		FROM @.hd_types WHERE hd_t_oid = t), '???') END`},
	"pg_get_userbyid": {`(r) AS coalesce(` + lookupName("role", "r") + `, 'unknown (OID=' || CAST(r AS VARCHAR) || ')')`},
	"obj_description": {
		`(o) AS (SELECT min(hd_c_text) FROM @.hd_desc WHERE hd_c_oid = o AND hd_c_sub = 0)`,
		`(o, c) AS (SELECT min(hd_c_text) FROM @.hd_desc WHERE hd_c_oid = o AND hd_c_sub = 0)`},
	"col_description":   {`(o, n) AS (SELECT min(hd_c_text) FROM @.hd_desc WHERE hd_c_oid = o AND hd_c_sub = n)`},
	"shobj_description": {`(o, c) AS CAST(NULL AS VARCHAR)`},
	"pg_get_expr": {`(e, r) AS CAST(e AS VARCHAR)`, `(e, r, p) AS CASE WHEN p THEN coalesce((SELECT min(hd_e_pretty) FROM @.hd_exprs
		WHERE hd_e_plain = CAST(e AS VARCHAR)), CAST(e AS VARCHAR)) ELSE CAST(e AS VARCHAR) END`},
	"pg_get_constraintdef": {`(o) AS ` + lookupDef, `(o, p) AS CASE WHEN p THEN ` + lookupPretty + ` ELSE ` + lookupDef + ` END`},
	"pg_get_indexdef": {`(o) AS ` + lookupDef,
		`(o, c, p) AS CASE WHEN c <> 0 THEN (SELECT min(hd_i_name) FROM @.hd_indexcols WHERE hd_i_oid = o AND hd_i_pos = c)
			WHEN p THEN ` + lookupPretty + ` ELSE ` + lookupDef + ` END`},
	"pg_get_viewdef":                     {`(o) AS CAST(NULL AS VARCHAR)`, `(o, p) AS CAST(NULL AS VARCHAR)`},
	"pg_get_triggerdef":                  {`(o) AS CAST(NULL AS VARCHAR)`, `(o, p) AS CAST(NULL AS VARCHAR)`},
	"pg_get_ruledef":                     {`(o) AS CAST(NULL AS VARCHAR)`, `(o, p) AS CAST(NULL AS VARCHAR)`},
	"pg_get_function_result":             {`(o) AS (SELECT min(hd_p_result) FROM @.hd_procs WHERE hd_p_oid = o)`},
	"pg_get_function_arguments":          {`(o) AS (SELECT min(hd_p_args) FROM @.hd_procs WHERE hd_p_oid = o)`},
	"pg_get_function_sqlbody":            {`(o) AS (SELECT min(hd_p_sqlbody) FROM @.hd_procs WHERE hd_p_oid = o)`},
	"pg_get_function_identity_arguments": {`(o) AS (SELECT min(hd_p_identity) FROM @.hd_procs WHERE hd_p_oid = o)`},
	"pg_get_partkeydef":                  {`(o) AS CAST(NULL AS VARCHAR)`},
	// No table is a partition: a relation's ancestors are itself.
	"pg_partition_ancestors":             {`(o) AS CAST(o AS UINTEGER)`},
	"pg_partition_root":                  {`(o) AS CAST(o AS UINTEGER)`},
	"pg_get_partition_constraintdef":     {`(o) AS CAST(NULL AS VARCHAR)`},
	"pg_get_statisticsobjdef_columns":    {`(o) AS CAST(NULL AS VARCHAR)`},
	"pg_get_serial_sequence":             {`(t, c) AS CAST(NULL AS VARCHAR)`},
	"acldefault":                         {aclDefault},
	"hd_acldefault":                      {hdAclDefault},
	"pg_encoding_to_char":                {`(e) AS CASE e WHEN 6 THEN 'UTF8' WHEN 0 THEN 'SQL_ASCII' ELSE '' END`},
	"pg_char_to_encoding":                {`(s) AS CASE upper(s) WHEN 'UTF8' THEN 6 WHEN 'SQL_ASCII' THEN 0 ELSE -1 END`},
	"has_table_privilege":                privilege(2, 3),
	"has_schema_privilege":               privilege(2, 3),
	"has_database_privilege":             privilege(2, 3),
	"has_any_column_privilege":           privilege(2, 3),
	"has_column_privilege":               privilege(3, 4),
	"has_function_privilege":             privilege(2, 3),
	"has_sequence_privilege":             privilege(2, 3),
	"has_type_privilege":                 privilege(2, 3),
	"has_language_privilege":             privilege(2, 3),
	"has_server_privilege":               privilege(2, 3),
	"has_tablespace_privilege":           privilege(2, 3),
	"has_foreign_data_wrapper_privilege": privilege(2, 3),
	"has_parameter_privilege":            privilege(2, 3),
	"pg_has_role":                        privilege(2, 3),
	"pg_table_is_visible":                {`(o) AS true`},
	"pg_type_is_visible":                 {`(o) AS true`},
	"pg_function_is_visible":             {`(o) AS true`},
	"pg_operator_is_visible":             {`(o) AS true`},
	"pg_opclass_is_visible":              {`(o) AS true`},
	"pg_opfamily_is_visible":             {`(o) AS true`},
	"pg_collation_is_visible":            {`(o) AS true`},
	"pg_conversion_is_visible":           {`(o) AS true`},
	"pg_statistics_obj_is_visible":       {`(o) AS true`},
	"pg_ts_config_is_visible":            {`(o) AS true`},
	"pg_ts_dict_is_visible":              {`(o) AS true`},
	"pg_ts_parser_is_visible":            {`(o) AS true`},
	"pg_ts_template_is_visible":          {`(o) AS true`},
	"pg_is_other_temp_schema":            {`(o) AS false`},
	"pg_my_temp_schema":                  {`() AS CAST(0 AS UINTEGER)`},
	"clock_timestamp":                    {`() AS now()`}, // the engine's now() is the statement's start
	"statement_timestamp":                {`() AS now()`},
	"transaction_timestamp":              {`() AS now()`},
	"pg_is_in_recovery":                  {`() AS false`},
	"pg_relation_is_publishable":         {`(o) AS false`},
	"pg_relation_size":                   {`(o) AS CAST(0 AS BIGINT)`, `(o, f) AS CAST(0 AS BIGINT)`},
	"pg_total_relation_size":             {`(o) AS CAST(0 AS BIGINT)`},
	"pg_table_size":                      {`(o) AS CAST(0 AS BIGINT)`},
	"pg_indexes_size":                    {`(o) AS CAST(0 AS BIGINT)`},
	"pg_database_size":                   {`(o) AS CAST(0 AS BIGINT)`},
	"pg_tablespace_location":             {`(o) AS ''`},
	"pg_tablespace_size":                 {`(o) AS CAST(0 AS BIGINT)`},
	"inet_server_addr":                   {`() AS CAST(NULL AS VARCHAR)`},
	"inet_server_port":                   {`() AS CAST(NULL AS INTEGER)`},
	"inet_client_addr":                   {`() AS CAST(NULL AS VARCHAR)`},
	"inet_client_port":                   {`() AS CAST(NULL AS INTEGER)`},
	"pg_size_pretty":                     {sizePretty},
	"quote_ident":                        {quoteIdentMacro()},
	// array_remove(a, e): a without the elements equal to e (NULL
	// removes the NULLs), as PostgreSQL's.
	"array_remove":        {`(a, e) AS list_filter(a, lambda x: x IS DISTINCT FROM e)`},
	"array_upper":         {`(arr, dim) AS CASE WHEN dim = 1 AND len(arr) > 0 THEN len(arr) END`},
	"array_lower":         {`(arr, dim) AS CASE WHEN dim = 1 AND len(arr) > 0 THEN 1 END`},
	"version":             {`() AS 'PostgreSQL ` + ServerVersion + ` (Hotdata) on x86_64-pc-linux-gnu, a PostgreSQL-compatible data workspace, 64-bit'`},
	"to_regclass":         {`(s) AS ` + toRegclass},
	"to_regtype":          {`(s) AS (SELECT min(hd_t_oid) FROM @.hd_types WHERE hd_t_name = @.hd_unqualify(s) OR hd_t_plain = lower(s))`},
	"to_regnamespace":     {`(s) AS (SELECT min(hd_n_oid) FROM @.hd_names WHERE hd_n_kind = 'namespace' AND hd_n_name = trim(s, '"'))`},
	"to_regrole":          {`(s) AS (SELECT min(hd_n_oid) FROM @.hd_names WHERE hd_n_kind = 'role' AND hd_n_name = trim(s, '"'))`},
	"hd_unqualify":        {`(s) AS trim(CASE WHEN s LIKE '%.%' THEN string_split(s, '.')[-1] ELSE s END, '"')`},
	"hd_regclass_in":      {regIn("to_regclass", "relation")},
	"hd_regtype_in":       {regIn("to_regtype", "type")},
	"hd_regnamespace_in":  {regIn("to_regnamespace", "schema")},
	"hd_regrole_in":       {regIn("to_regrole", "role")},
	"hd_regclass_out":     {`(o) AS coalesce(` + lookupName("class", "o") + `, CAST(o AS VARCHAR))`},
	"hd_regtype_out":      {`(o) AS CASE WHEN o = 0 THEN '-' ELSE @.format_type(o, NULL) END`},
	"hd_regnamespace_out": {`(o) AS coalesce(` + lookupName("namespace", "o") + `, CAST(o AS VARCHAR))`},
	"hd_regrole_out":      {`(o) AS coalesce(` + lookupName("role", "o") + `, CAST(o AS VARCHAR))`},
	// A regproc prints as the function's name ("-" for none), a
	// regprocedure with its argument types; an unknown OID as a number.
	"hd_regproc_out":      {`(o) AS CASE WHEN o = 0 THEN '-' ELSE coalesce((SELECT min(hd_p_regproc) FROM @.hd_procs WHERE hd_p_oid = o), CAST(o AS VARCHAR)) END`},
	"hd_regprocedure_out": {`(o) AS CASE WHEN o = 0 THEN '-' ELSE coalesce((SELECT min(hd_p_regprocedure) FROM @.hd_procs WHERE hd_p_oid = o), CAST(o AS VARCHAR)) END`},
	// int2vector and oidvector print as numbers separated by spaces.
	"hd_vector_out": {`(v) AS array_to_string(v, ' ')`},
	// hd_regproc_in is 'name'::regproc for a name known when the
	// statement runs: the one function of that name, else PostgreSQL's
	// error.
	"hd_regproc_in": {`(s) AS CASE WHEN s IS NULL THEN NULL ELSE (SELECT CASE count(*) WHEN 1 THEN min(hd_p_oid)
		WHEN 0 THEN error('function "' || s || '" does not exist') ELSE error('more than one function named "' || s || '"') END
		FROM @.hd_procs WHERE hd_p_name = @.hd_unqualify(s)) END`},
	"current_database": {`() AS ''`}, // replaced by Fill
	"current_catalog":  {`() AS ''`}, // replaced by Fill
	// Hotdata keeps no access statistics: no index was ever scanned.
	"pg_stat_get_numscans": {`(o) AS CAST(0 AS BIGINT)`},
	// parse_ident splits a qualified name as PostgreSQL does: quoted
	// parts as written (doubled quotes undone), the others folded to
	// lower case. (It does not reject malformed names, as PostgreSQL's
	// strict mode does.)
	"parse_ident":    {`(s) AS ` + parseIdent, `(s, strict) AS ` + parseIdent},
	"quote_literal":  {`(s) AS ` + quoteLiteral},
	"quote_nullable": {`(s) AS coalesce(` + quoteLiteral + `, 'NULL')`},
	// hd_format_ident is format()'s %I.
	"hd_format_ident": {`(s) AS CASE WHEN s IS NULL THEN error('null values cannot be formatted as an SQL identifier') ELSE @.quote_ident(CAST(s AS VARCHAR)) END`},
	// hd_any_eq is x = ANY(array): NULL when x or the array is, or when
	// x is not found but the array has a NULL.
	"hd_any_eq": {`(x, arr) AS CASE WHEN x IS NULL OR arr IS NULL THEN NULL WHEN list_contains(arr, x) THEN true
		WHEN list_count(arr) < len(arr) THEN NULL ELSE false END`},
	// hd_read_privilege answers has_*_privilege's list of privileges:
	// what is read is granted, what writes is not.
	"hd_read_privilege": {`(p) AS list_bool_or(list_transform(string_split(upper(p), ','),
		lambda x: trim(regexp_replace(x, '\s+WITH\s+(GRANT|ADMIN)\s+OPTION\s*$', '')) IN ('SELECT', 'USAGE', 'CONNECT', 'EXECUTE', 'MEMBER')))`},
}

// aclDefault is acldefault(type, owner): the privileges an object of a
// type has before any GRANT, as aclitem texts (PostgreSQL's acldefault
// in src/backend/utils/adt/acl.c).
const aclDefault = `(t, o) AS @.hd_acldefault(t, CASE WHEN regexp_full_match(@.pg_get_userbyid(o), '[A-Za-z0-9_]+') THEN @.pg_get_userbyid(o)
	ELSE '"' || replace(@.pg_get_userbyid(o), '"', '""') || '"' END)`

// hdAclDefault is acldefault for the owner's name u, quoted as aclitem
// prints it.
const hdAclDefault = `(t, u) AS CASE t
	WHEN 'c' THEN CAST([] AS VARCHAR[]) WHEN 'r' THEN [u || '=arwdDxt/' || u] WHEN 's' THEN [u || '=rwU/' || u]
	WHEN 'd' THEN ['=Tc/' || u, u || '=CTc/' || u] WHEN 'f' THEN ['=X/' || u, u || '=X/' || u] WHEN 'l' THEN ['=U/' || u, u || '=U/' || u]
	WHEN 'L' THEN [u || '=rw/' || u] WHEN 'n' THEN [u || '=UC/' || u] WHEN 't' THEN [u || '=C/' || u] WHEN 'F' THEN [u || '=U/' || u]
	WHEN 'S' THEN [u || '=U/' || u] WHEN 'T' THEN ['=U/' || u, u || '=U/' || u] WHEN 'p' THEN [u || '=sA/' || u]
	ELSE error('unrecognized object type abbreviation: ' || t) END`

// toRegclass is to_regclass(s): a qualified name in its schema (which
// may be written connection.schema.table, as the planner reads names),
// an unqualified one where it is the only relation of that name.
const toRegclass = `(SELECT CASE WHEN count(*) = 1 THEN min(hd_k_oid) END FROM @.hd_classes
	WHERE hd_k_name = @.parse_ident(s)[-1] AND (len(@.parse_ident(s)) = 1 OR hd_k_nsp = @.parse_ident(s)[-2]
		OR len(@.parse_ident(s)) = 3 AND hd_k_nsp = @.parse_ident(s)[1] || '.' || @.parse_ident(s)[2]))`

// parseIdent is parse_ident(s): the quoted or unquoted names between
// dots.
const parseIdent = `list_transform(regexp_extract_all(s, '"(?:[^"]|"")*"|[^."\s]+'),
	lambda p: CASE WHEN p[1] = '"' THEN replace(p[2:-2], '""', '"') ELSE lower(p) END)`

// quoteLiteral is quote_literal(s): a string literal, in the escape
// string form (E'…') when it holds a backslash.
const quoteLiteral = `CASE WHEN s IS NULL THEN NULL
	WHEN contains(CAST(s AS VARCHAR), '\') THEN 'E''' || replace(replace(CAST(s AS VARCHAR), '\', '\\'), '''', '''''') || ''''
	ELSE '''' || replace(CAST(s AS VARCHAR), '''', '''''') || '''' END`

// lookupDef is the definition of constraint or index o; lookupPretty
// its pretty form (pg_get_indexdef(o, 0, true): fewer parentheses).
const (
	lookupDef    = `(SELECT min(hd_d_def) FROM @.hd_defs WHERE hd_d_oid = o)`
	lookupPretty = `(SELECT min(coalesce(hd_d_pretty, hd_d_def)) FROM @.hd_defs WHERE hd_d_oid = o)`
)

// lookupName is the name of the object of a kind (class, namespace,
// role) whose OID is the expression oid.
func lookupName(kind, oid string) string {
	return `(SELECT min(hd_n_name) FROM @.hd_names WHERE hd_n_kind = '` + kind + `' AND hd_n_oid = ` + oid + `)`
}

const sizePretty = `(b) AS CASE
	WHEN abs(b) < 10240 THEN CAST(b AS VARCHAR) || ' bytes'
	WHEN abs(b) < 10240 * 1024 THEN CAST(round(b / 1024) AS BIGINT) || ' kB'
	WHEN abs(b) < 10240 * 1024 * 1024 THEN CAST(round(b / 1024 / 1024) AS BIGINT) || ' MB'
	WHEN abs(b) < 10240 * 1024 * 1024 * 1024 THEN CAST(round(b / 1024 / 1024 / 1024) AS BIGINT) || ' GB'
	ELSE CAST(round(b / 1024 / 1024 / 1024 / 1024) AS BIGINT) || ' TB' END`

// privilege answers has_*_privilege: every object in a workspace is
// readable by everyone who can connect to it, and nothing is writable.
// The privileges asked about are the last argument.
func privilege(arities ...int) []string {
	var out []string
	for _, n := range arities {
		params := make([]string, n)
		for i := range params {
			params[i] = "a" + strconv.Itoa(i)
		}
		out = append(out, "("+strings.Join(params, ", ")+") AS @.hd_read_privilege("+params[n-1]+")")
	}
	return out
}

// regIn is 'name'::regclass and friends for a name known only when the
// statement runs (a parameter, a text expression): the OID, or an error
// naming what is missing, as PostgreSQL's input functions do; NULL for
// NULL.
func regIn(lookup, what string) string {
	return `(s) AS CASE WHEN s IS NULL THEN NULL ELSE coalesce(@.` + lookup + `(s), error('` + what + ` "' || s || '" does not exist')) END`
}

// TableFunctions are the pg_catalog functions that return a set of rows
// (DuckDB table macros in the engine's pg schema); the planner sends
// calls to them there, whether the client wrote pg_catalog. or not.
var TableFunctions = map[string]bool{}

// tableFunctions: name -> "(params) AS TABLE query".
var tableFunctions = map[string]string{
	// pg_options_to_table splits name=value options (reloptions,
	// attfdwoptions, …).
	"pg_options_to_table": `(hd_opts) AS TABLE SELECT split_part(hd_o, '=', 1) AS option_name,
		CASE WHEN contains(hd_o, '=') THEN substr(hd_o, strpos(hd_o, '=') + 1) END AS option_value
		FROM (SELECT unnest(hd_opts) AS hd_o)`,
	// No table is a partition: a relation's ancestors are itself (as a
	// set here, a value in a select list: see functions). The engine
	// numbers no rows of a macro WITH ORDINALITY, which psql's \d asks
	// for: the number is a column of its own.
	"pg_partition_ancestors": `(o) AS TABLE SELECT CAST(o AS UINTEGER) AS relid, CAST(1 AS BIGINT) AS ordinality`,
	"pg_get_keywords": `() AS TABLE SELECT hd_w_word AS word, hd_w_catcode AS catcode, hd_w_barelabel AS barelabel, hd_w_catdesc AS catdesc,
		hd_w_baredesc AS baredesc FROM @.hd_keywords ORDER BY hd_w_word`,
}

// InfoSchemaFunctions are the information_schema functions the catalog
// defines (as DuckDB macros in the engine's info schema); the planner
// sends calls of information_schema.name there.
var InfoSchemaFunctions = map[string]bool{}

// infoSchemaFunctions: name -> overloads "(params) AS body".
var infoSchemaFunctions = map[string][]string{
	// _pg_expandarray(a) is a set of (x, n): each element with its
	// position from 1, as rows of a struct.
	"_pg_expandarray": {`(a) AS unnest(list_transform(generate_series(1, len(a)), lambda s: {'x': a[s], 'n': CAST(s AS INTEGER)}))`},
}

// regArrayOut prints an array of OIDs as an array of the names the
// function out prints (x::regtype[] of an oid[] column).
func regArrayOut(out string) []string {
	return []string{`(a) AS CASE WHEN a IS NULL THEN NULL WHEN len(a) = 0 THEN CAST([] AS VARCHAR[])
		ELSE (SELECT list(@.` + out + `(hd_u.hd_x) ORDER BY hd_u.hd_i) FROM (SELECT unnest(a) AS hd_x, generate_subscripts(a, 1) AS hd_i) hd_u) END`}
}

func init() {
	for _, t := range []string{"regclass", "regtype", "regproc", "regprocedure", "regnamespace", "regrole"} {
		functions["hd_"+t+"_array_out"] = regArrayOut("hd_" + t + "_out")
	}
	for name := range functions {
		Functions[name] = true
	}
	for name := range infoSchemaFunctions {
		InfoSchemaFunctions[name] = true
	}
	for name := range tableFunctions {
		TableFunctions[name] = true
	}
	Functions["pg_postmaster_start_time"] = true
	Functions["pg_conf_load_time"] = true
}

// functionDefs renders every function as CREATE MACRO.
func functionDefs(started time.Time) []string {
	sys := EngineCatalog + "." + engineSystem
	names := make([]string, 0, len(functions))
	for name := range functions {
		names = append(names, name)
	}
	// Macros must exist before the macros that call them.
	first := map[string]int{"acldefault": 4, "hd_acldefault": 1, "hd_unqualify": 1, "parse_ident": 1, "quote_ident": 1, "hd_read_privilege": 2, "to_regclass": 2, "to_regtype": 2, "to_regnamespace": 2, "to_regrole": 2, "format_type": 2}
	for name := range functions {
		if strings.HasSuffix(name, "_array_out") {
			first[name] = 4 // after the hd_*_out they call
		}
	}
	sort.Slice(names, func(i, j int) bool {
		fi, fj := first[names[i]], first[names[j]]
		if fi == 0 {
			fi = 3
		}
		if fj == 0 {
			fj = 3
		}
		if fi != fj {
			return fi < fj
		}
		return names[i] < names[j]
	})
	var out []string
	for _, name := range names {
		defs := make([]string, len(functions[name]))
		for i, d := range functions[name] {
			defs[i] = strings.ReplaceAll(d, "@.", sys+".")
		}
		out = append(out, "CREATE OR REPLACE MACRO "+sys+"."+name+strings.Join(defs, ", "))
	}
	tableNames := make([]string, 0, len(tableFunctions))
	for name := range tableFunctions {
		tableNames = append(tableNames, name)
	}
	sort.Strings(tableNames)
	for _, name := range tableNames {
		out = append(out, "CREATE OR REPLACE MACRO "+sys+"."+name+strings.ReplaceAll(tableFunctions[name], "@.", sys+"."))
	}
	info := EngineCatalog + "." + engineInfoSchema
	infoNames := make([]string, 0, len(infoSchemaFunctions))
	for name := range infoSchemaFunctions {
		infoNames = append(infoNames, name)
	}
	sort.Strings(infoNames)
	for _, name := range infoNames {
		defs := make([]string, len(infoSchemaFunctions[name]))
		for i, d := range infoSchemaFunctions[name] {
			defs[i] = strings.ReplaceAll(d, "@.", sys+".")
		}
		out = append(out, "CREATE OR REPLACE MACRO "+info+"."+name+strings.Join(defs, ", "))
	}
	ts := "TIMESTAMPTZ " + quoteString(started.UTC().Format("2006-01-02 15:04:05.999999Z07:00"))
	out = append(out,
		"CREATE OR REPLACE MACRO "+sys+".pg_postmaster_start_time() AS "+ts,
		"CREATE OR REPLACE MACRO "+sys+".pg_conf_load_time() AS "+ts)
	return out
}
