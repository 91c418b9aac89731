//go:build !duckdb_arrow

package engine

// Hotdata uses duckdb-go's Arrow interface, which is behind a build tag.
// Build and test with: go build -tags duckdb_arrow ./...  (scripts/test.sh does).
var _ = build_with_tags_duckdb_arrow
