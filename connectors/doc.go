// Package connectors defines what Hotdata needs from an upstream source —
// the Connector interface — and the registry of source types. Each source
// type lives in its own subpackage (postgres, mysql, files) and
// registers itself with a Type value that says how to open it and what
// configuration it takes.
//
// A connector tests the connection, discovers schemas, tables, columns and
// primary keys, and scans a table into Arrow record batches, streaming:
// it never holds a whole table in memory. It knows nothing of snapshots,
// workspaces or the metastore; the cache package drives it.
package connectors
