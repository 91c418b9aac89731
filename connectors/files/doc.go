// Package files is the files connector: each configured CSV, Parquet, JSON
// or NDJSON file under one root folder is a table. Uploads and datasets
// read files through it.
//
// The files are read by DuckDB (its CSV sniffer and its Parquet and JSON
// readers) through the engine package, in an engine opened on the root
// folder: allowed_directories is that folder, external access is off and
// no extension can be loaded, so the SQL this package generates cannot
// reach any other file, and neither can a file's content (an upload is
// untrusted input). Paths are checked before DuckDB sees them as well:
// relative, no "..", no glob characters, and after resolving symlinks
// still inside the root; DuckDB is given the resolved path.
//
// Type mapping: each column is served as a type the rest of Hotdata
// handles, named by its PostgreSQL name in Column.DataType and in the Arrow
// field metadata (connectors.MetaSourceType):
//
//	BOOLEAN                          boolean
//	TINYINT, UTINYINT, SMALLINT      smallint
//	USMALLINT, INTEGER               integer
//	UINTEGER, BIGINT                 bigint
//	UBIGINT                          numeric(20,0)
//	HUGEINT, UHUGEINT                numeric(38,0) (a wider value fails the scan)
//	FLOAT, DOUBLE                    real, double precision
//	DECIMAL(p,s)                     numeric(p,s)
//	VARCHAR, ENUM                    text
//	BLOB                             bytea
//	DATE, TIME                       date, time without time zone
//	TIMESTAMP[_S|_MS|_NS]            timestamp without time zone (µs; _NS truncates, with a warning)
//	TIMESTAMP WITH TIME ZONE         timestamp with time zone (UTC)
//	INTERVAL                         interval (stored as months, days, micros)
//	UUID, JSON                       uuid, json (Arrow extension types)
//	T[] and T[n]                     <type of T>[] (an Arrow list)
//	STRUCT, MAP, UNION, nested lists json, with a warning
//	anything else                    text, with a warning
//
// A CSV file is sniffed first (dialect, header, types, with bad rows
// ignored) and then read with all of that given explicitly, so every read
// agrees on the columns and a row that does not parse fails the read with
// an error naming the file and line (FileError), unless the file sets
// skip_bad_rows: then such rows are skipped and the scan's warnings say
// how many. Test reads text formats to the end, so a bad row is reported
// before the first sync.
//
// The package must not know about snapshots, workspaces or the metastore.
// DuckDB readers: https://duckdb.org/docs/stable/data/csv/overview,
// https://duckdb.org/docs/stable/data/parquet/overview and
// https://duckdb.org/docs/stable/data/json/loading_json.
//
// Building needs the duckdb_arrow tag, like the engine package.
package files
