// Package cache turns upstream tables into immutable, versioned Parquet
// snapshots and keeps them: it runs syncs (a connector scan written to
// Parquet under tmp/, published by one directory rename plus one metastore
// commit), records each sync as a job with progress, pins the snapshots a
// running query reads, and deletes retired snapshots only after a grace
// period with no reader. On start-up it removes what a crash left behind.
//
// A snapshot holds every value exactly or says it does not: when a scan
// meets a value its column's form cannot hold (connectors.NeedsTextError)
// the sync reads the table again with that column as the source's text,
// and the snapshot's columns record it (metastore.Column Text and
// Unavailable) for the planner.
//
// On-disk layout, relative to a workspace folder (see DESIGN.md):
//
//	tables/<connection id>/<schema>/<table>/<snapshot id>/part-00000.parquet
//	tmp/<snapshot id>/…   in-progress writes
//
// Schema and table names are escaped for the file system (escapeName).
// The package knows nothing of DuckDB or the wire protocol.
package cache
