// Package planner decides what a statement is and where it runs. It parses
// SQL with pg_query (PostgreSQL's own parser), classifies each statement,
// resolves table names against the workspace's catalog as DESIGN.md
// ("Names in SQL") says, and rewrites queries for the engine with every
// table fully qualified.
//
// It never executes anything and holds no connections: its input is SQL
// text and a Catalog value, its output is a list of Statements. Errors it
// returns are *pgerr.Error with the SQLSTATE PostgreSQL would use.
//
// Parse tree reference: https://github.com/pganalyze/libpg_query (the
// protobuf form of PostgreSQL's parse nodes, src/include/nodes/parsenodes.h).
package planner
