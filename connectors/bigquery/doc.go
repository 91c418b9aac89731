// Package bigquery is the Google BigQuery source: discovery from the
// datasets' table metadata, whole-table reads over the Storage Read API
// (Arrow over gRPC) with tabledata.list as the fallback, filtered reads
// (incremental syncs) as parameterised query jobs whose billed bytes it
// reports, and a max_bytes_per_sync guard checked by a dry run.
//
// Every BigQuery type is cached exactly: INT64, FLOAT64, BOOL, BYTES,
// DATE, DATETIME, TIME and TIMESTAMP natively, NUMERIC as a decimal,
// BIGNUMERIC as its exact text (served as numeric), JSON and STRUCT as
// json, ARRAY as a PostgreSQL array of its element type. See
// docs/bigquery.md for users, docs/architecture.md for where sources sit.
package bigquery
