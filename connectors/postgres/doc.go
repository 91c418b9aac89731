// Package postgres is the PostgreSQL connector: it discovers tables from
// pg_catalog and scans them with pgx in the binary protocol, decoding each
// value straight from its wire form into Arrow builders (no intermediate Go
// values), one record batch at a time.
//
// Type mapping (by the column's base type, so domains map like their base):
// bool, int2/4/8, float4/8, numeric(p,s) with p <= 38 (Arrow decimal128),
// text-like types, bytea, date, time, timestamp, timestamptz (UTC), uuid
// (text), json/jsonb (text), enums (text). Anything else is read as its
// text form and named in the scan's warnings. Binary formats are those of
// PostgreSQL's send/recv functions (src/backend/utils/adt/*.c).
package postgres
