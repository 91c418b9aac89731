// Package translate is the semantic half of the planner: it analyzes a
// query as PostgreSQL's parse analysis does (name scoping, type
// resolution over pg_proc, pg_operator and pg_cast, implicit coercions,
// typmods, grouping and aggregate rules, result column names) and writes
// engine (DuckDB) SQL that computes the same result, or returns the error
// PostgreSQL would give, or 0A000 for what the engine cannot compute
// exactly.
//
// The PostgreSQL catalog rows it resolves against are generated from
// PostgreSQL 15 (gen.go → pgdata_gen.go). Each built-in function or
// operator the engine can compute has an Impl (impl_*.go) keyed by its
// pg_proc signature; a call that resolves to a function without one is
// refused. Impls emit engine SQL, often calling package pgfunc's hd_*
// functions (values read and printed by package pgval, regular
// expressions by package pgregex).
//
// It also decides what a live statement may call on the upstream
// (live.go): LiveFunction, LiveType and LiveParamType.
package translate
