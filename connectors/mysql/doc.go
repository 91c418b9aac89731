// Package mysql is the MySQL and MariaDB connector (go-sql-driver/mysql).
// It discovers tables and views from information_schema and scans a table
// in the text protocol, parsing each value from its sql.RawBytes straight
// into an Arrow builder, one bounded record batch at a time. A scan reads
// one consistent snapshot: its own connection, a read-only REPEATABLE
// READ transaction started WITH CONSISTENT SNAPSHOT, session time zone
// +00:00. It never writes to the source.
//
// Type mapping, by information_schema.COLUMNS (DATA_TYPE, COLUMN_TYPE),
// with the PostgreSQL type each is served as (Column.TypeOID):
//
//	tinyint(1), bool, bit(1)      boolean                     bool
//	tinyint / unsigned            int8 / uint8                int2 / int2
//	smallint / unsigned           int16 / uint16              int2 / int4
//	mediumint, int / unsigned     int32 / uint32              int4 / int8
//	bigint / unsigned             int64 / uint64              int8 / numeric
//	year, year(2) (as 19xx/20xx)  int16                       int2
//	bit(n), n > 1                 int64                       int8
//	decimal(p,s), p <= 38         decimal128(p,s)             numeric
//	decimal(p,s), p > 38          string (warning)            numeric
//	float / double                float32 / float64           float4 / float8
//	char / varchar                string                      bpchar / varchar
//	text family, enum, set        string                      text
//	json (MariaDB: longtext with
//	  CHECK (json_valid(col)))    arrow.json extension        json
//	binary, varbinary, blobs      binary                      bytea
//	date                          date32                      date
//	datetime(fsp)                 timestamp[us]               timestamp
//	timestamp(fsp)                timestamp[us, UTC]          timestamptz
//	time(fsp)                     time64[us]                  time
//	spatial types                 string, WKT (warning)       text
//	anything else                 string (warning)            text
//
// Values without an Arrow form become NULL and are counted in the scan's
// warnings: zero dates ('0000-00-00', or a zero month or day), days past
// their month's end (ALLOW_INVALID_DATES) and TIME values outside
// [00:00:00, 24:00:00) (MySQL allows ±838:59:59). A tinyint(1) other
// than 0 or 1 reads as true, and a bit(64) above 2^63-1 as a negative
// int64, both counted too. MariaDB keeps no JSON marker on a view's
// columns, so JSON read through a MariaDB view is text.
//
// A scan stops at once when its context ends or it is released early:
// it closes its socket (found by connection id, see cancel.go) rather
// than let the driver drain the rest of the result, and sends KILL QUERY
// so that the server stops too.
//
// Change data capture (cdc.go, stream.go, binlogvalue.go) reads the
// binary log as a replica with github.com/go-mysql-org/go-mysql and turns
// each row event's values into the text protocol's forms, so that the
// scan's decoders read them (see docs/cache.md for what it needs and
// guarantees).
//
// Protocol: https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html
// (text resultsets: page_protocol_com_query_response_text_resultset.html).
package mysql
