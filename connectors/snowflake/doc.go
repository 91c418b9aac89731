// Package snowflake is the Snowflake connector (github.com/snowflakedb/gosnowflake).
// It discovers tables and views from the database's INFORMATION_SCHEMA
// (primary keys from SHOW PRIMARY KEYS, when the server knows it) and
// reads a table with one SELECT per scan, in bounded record batches. It
// never writes to the source.
//
// Every request of the driver (logins, queries, the result chunks it
// downloads from the account's stage) goes through one http.Transport
// that dials with env.Dial: no proxy from the environment, no OCSP
// checks (they would reach certificate authorities around the egress
// policy; TLS certificates are still verified), no telemetry, and the
// driver's probing of cloud metadata endpoints turned off
// (SNOWFLAKE_DISABLE_PLATFORM_DETECTION, set once per process). The
// driver's global logger is silenced: its errors come back as errors.
//
// Results come in one of two forms, which the connector learns from the
// server once (see dialect):
//
//   - Arrow (Snowflake): read with gosnowflake's Arrow batches, chunk by
//     chunk, converted exactly from Snowflake's own Arrow forms
//     (arrowdecode.go).
//   - JSON rows of text (the emulator; Snowflake sessions ask for Arrow
//     at login, GO_QUERY_RESULT_FORMAT, whatever the account's default):
//     every value is selected as text in a form its decoder parses
//     exactly (decode.go), tagged so that NULL and the empty string
//     differ (the emulator sends NULL as "").
//
// Type mapping, by INFORMATION_SCHEMA.COLUMNS.DATA_TYPE, with the
// PostgreSQL type each is served as (Column.TypeOID):
//
//	NUMBER(p,0), p <= 18            int64                int8
//	NUMBER(p,s), p <= 38            decimal128(p,s)      numeric
//	FLOAT (double)                  float64              float8
//	VARCHAR(n) / VARCHAR            string               varchar / text
//	BOOLEAN                         boolean              bool
//	DATE                            date32               date
//	TIME                            time64[us]           time
//	TIMESTAMP_NTZ                   timestamp[us]        timestamp
//	TIMESTAMP_TZ, TIMESTAMP_LTZ     timestamp[us, UTC]   timestamptz
//	BINARY                          binary               bytea
//	VARIANT, OBJECT, ARRAY          arrow.json (text)    json
//	GEOGRAPHY, GEOMETRY             string, WKT (warn)   text
//	anything else                   string (warning)     text
//
// The emulator (DuckDB underneath) reports DuckDB's names, mapped alike:
// INTEGER, BIGINT… as int64, DECIMAL(p,s) as NUMBER(p,s), DOUBLE and
// FLOAT as float64, TIMESTAMP as TIMESTAMP_NTZ, TIMESTAMP WITH TIME ZONE
// as TIMESTAMP_TZ, BLOB as BINARY, JSON as VARIANT.
//
// Times and timestamps with digits finer than microseconds (Snowflake
// keeps nanoseconds) fail the scan with a connectors.NeedsTextError, so
// that the column is read again as text rather than rounded.
//
// The emulator's DuckDB speaks another SQL: a backslash in a string
// literal is not an escape, hex() encodes binaries, and its statement
// translator mangles quotes in literals it rewrites, so string literals
// are dollar-quoted there (quoteString).
//
// Snowflake: https://docs.snowflake.com/en/sql-reference/info-schema,
// https://docs.snowflake.com/en/sql-reference/data-types; the driver's
// Arrow batches: https://pkg.go.dev/github.com/snowflakedb/gosnowflake#hdr-Arrow_batches.
// Users: docs/snowflake.md.
package snowflake
