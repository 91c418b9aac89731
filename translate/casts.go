package translate

import "strconv"

// castImpl renders one pg_cast function: the SQL and, for numeric
// targets, the engine form of the result.
type castImpl func(l *level, e *expr, t Type) (string, numForm, error)

func castTo(engine string) castImpl {
	return func(l *level, e *expr, t Type) (string, numForm, error) {
		return "CAST(" + e.sql + " AS " + engine + ")", numForm{}, nil
	}
}

func same(l *level, e *expr, t Type) (string, numForm, error) { return e.sql, numForm{}, nil }

// intMacro is the engine macro that converts to an integer type,
// failing with PostgreSQL's 22003 "<type> out of range".
func intMacro(engine string) string {
	switch engine {
	case "SMALLINT":
		return "hd_to_int2"
	case "INTEGER":
		return "hd_to_int4"
	}
	return "hd_to_int8"
}

// intCast converts between integer types; an overflow fails with
// PostgreSQL's message.
func intCast(engine, name string) castImpl {
	return func(l *level, e *expr, t Type) (string, numForm, error) {
		return intMacro(engine) + "(" + e.sql + ")", numForm{}, nil
	}
}

// floatToInt rounds half to even (rint) and checks the range.
func floatToInt(engine, name string) castImpl {
	return func(l *level, e *expr, t Type) (string, numForm, error) {
		return intMacro(engine) + "(round_even(" + e.sql + ", 0))", numForm{}, nil
	}
}

// numToInt rounds half away from zero and checks the range.
func numToInt(engine, name string) castImpl {
	return func(l *level, e *expr, t Type) (string, numForm, error) {
		if e.num.fixed {
			return intMacro(engine) + "(round(" + e.sql + ", 0))", numForm{}, nil
		}
		return "CAST(hd_num_to_int(" + e.sql + ", " + sqlString(name) + ") AS " + engine + ")", numForm{}, nil
	}
}

func intToNumeric(p int) castImpl {
	return func(l *level, e *expr, t Type) (string, numForm, error) {
		return "CAST(" + e.sql + " AS DECIMAL(" + strconv.Itoa(p) + ",0))", fixedNum(p, 0), nil
	}
}

func numToFloat(engine string) castImpl {
	return func(l *level, e *expr, t Type) (string, numForm, error) {
		if e.num.fixed && e.num.p <= 15 && engine == "DOUBLE" {
			// At most 15 digits: exactly the correctly rounded double.
			return "CAST(" + e.sql + " AS " + engine + ")", numForm{}, nil
		}
		bits := "64"
		if engine == "FLOAT" {
			bits = "32"
		}
		return "CAST(hd_num_to_float(" + textNum(e) + ", " + bits + ") AS " + engine + ")", numForm{}, nil
	}
}

func floatToNum(bits int) castImpl {
	return func(l *level, e *expr, t Type) (string, numForm, error) {
		return "hd_float_to_numeric(CAST(" + e.sql + " AS DOUBLE), " + strconv.Itoa(bits) + ")", numText, nil
	}
}

func boolToText(l *level, e *expr, t Type) (string, numForm, error) {
	return "CASE WHEN " + e.sql + " THEN 'true' WHEN NOT " + e.sql + " THEN 'false' END", numForm{}, nil
}

func tzCast(tmpl string) castImpl {
	return func(l *level, e *expr, t Type) (string, numForm, error) {
		return expand(tmpl, []string{e.sql}), numForm{}, nil
	}
}

// castImpls are the casts the engine computes as PostgreSQL does, by
// "source->target" (typnames).
var castImpls = map[string]castImpl{
	"int2->int4": castTo("INTEGER"), "int2->int8": castTo("BIGINT"),
	"int4->int2": intCast("SMALLINT", "smallint"), "int4->int8": castTo("BIGINT"),
	"int8->int2": intCast("SMALLINT", "smallint"), "int8->int4": intCast("INTEGER", "integer"),
	"int2->float4": castTo("FLOAT"), "int2->float8": castTo("DOUBLE"),
	"int4->float4": castTo("FLOAT"), "int4->float8": castTo("DOUBLE"),
	"int8->float4": castTo("FLOAT"), "int8->float8": castTo("DOUBLE"),
	"float4->float8": castTo("DOUBLE"),
	"float8->float4": tzCast("hd_float8_to_float4($1)"),
	"float4->int2":   floatToInt("SMALLINT", "smallint"), "float4->int4": floatToInt("INTEGER", "integer"), "float4->int8": floatToInt("BIGINT", "bigint"),
	"float8->int2": floatToInt("SMALLINT", "smallint"), "float8->int4": floatToInt("INTEGER", "integer"), "float8->int8": floatToInt("BIGINT", "bigint"),
	"int2->numeric": intToNumeric(5), "int4->numeric": intToNumeric(10), "int8->numeric": intToNumeric(19),
	"numeric->int2": numToInt("SMALLINT", "smallint"), "numeric->int4": numToInt("INTEGER", "integer"), "numeric->int8": numToInt("BIGINT", "bigint"),
	"numeric->float4": numToFloat("FLOAT"), "numeric->float8": numToFloat("DOUBLE"),
	"float4->numeric": floatToNum(32), "float8->numeric": floatToNum(64),
	"int4->bool": tzCast("($1 <> 0)"), "bool->int4": castTo("INTEGER"),
	"bool->text": boolToText, "bool->varchar": boolToText, "bool->bpchar": boolToText,
	"bpchar->text": same, "bpchar->varchar": same, "bpchar->name": tzCast("hd_name($1)"),
	"char->text": same, "char->varchar": same, "char->bpchar": same,
	"name->text": same, "name->varchar": same, "name->bpchar": same,
	"text->name": tzCast("hd_name($1)"), "varchar->name": tzCast("hd_name($1)"),
	"text->char": tzCast("left($1, 1)"), "varchar->char": tzCast("left($1, 1)"), "bpchar->char": tzCast("left($1, 1)"),
	// int4 <-> "char": a character code of -128…127 (the value's one
	// byte, signed). The engine holds "char" as text, so the codes of
	// bytes past ASCII (negative) are refused rather than changed.
	"int4->char": tzCast(`(CASE WHEN $1 < -128 OR $1 > 127 THEN ` + raise("22003", `"char" out of range`) +
		` WHEN $1 < 0 THEN ` + raise("0A000", `casting a negative integer to "char" (a byte past ASCII) is not supported by Hotdata's cache engine`) +
		` WHEN $1 = 0 THEN '' ELSE chr($1) END)`),
	"char->int4":             tzCast("(CASE WHEN $1 = '' THEN 0 ELSE CAST(ascii($1) AS INTEGER) END)"),
	"date->timestamp":        castTo("TIMESTAMP"),
	"date->timestamptz":      tzCast("hd_local_to_tstz(CAST($1 AS TIMESTAMP), $tz)"),
	"timestamp->date":        castTo("DATE"),
	"timestamp->time":        tzCast("hd_ts_time($1)"),
	"timestamp->timestamptz": tzCast("hd_local_to_tstz($1, $tz)"),
	"timestamptz->timestamp": tzCast("hd_tstz_to_local($1, $tz)"),
	"timestamptz->date":      tzCast("CAST(hd_tstz_to_local($1, $tz) AS DATE)"),
	"timestamptz->time":      tzCast("hd_ts_time(hd_tstz_to_local($1, $tz))"),
	"time->interval":         tzCast("to_microseconds(CAST(epoch_us($1) AS BIGINT))"),
	"int8->oid":              castTo("UINTEGER"), "int2->oid": castTo("UINTEGER"),
	"oid->int8":   castTo("BIGINT"),
	"jsonb->json": same,
}
