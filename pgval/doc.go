// Package pgval reads and prints PostgreSQL values exactly as
// PostgreSQL's input and output functions do, and computes PostgreSQL's
// numeric arithmetic: the text forms of dates, times, timestamps (in a
// session's TimeZone and DateStyle), intervals (in IntervalStyle),
// floats (with extra_float_digits), bytea (hex and escape), uuid, json,
// jsonb and numeric (with each value's display scale).
//
// The planner reads literals with it, the engine's functions convert
// values with it, and the wire front end prints results with it, so that
// a value reads and prints the same way everywhere. It must not depend
// on anything but the standard library and internal/pgerr.
//
// Reference: PostgreSQL 15's src/backend/utils/adt (datetime.c,
// timestamp.c, date.c, numeric.c, float.c, varlena.c, jsonb.c) and the
// documentation chapter "Data Types".
package pgval
