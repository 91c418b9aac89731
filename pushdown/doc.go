// Package pushdown decides which live statements may run on a warehouse
// (BigQuery, Snowflake) and reduces them to a connectors.Query, which
// the warehouse's connector renders in its own dialect.
//
// A warehouse is not PostgreSQL: its NULL ordering, float comparisons,
// integer sums, function names and casts differ. So a statement goes
// only when every part of it has one meaning in PostgreSQL and in every
// warehouse dialect: columns, count, sum, min and max, and avg as the
// sum and count it is computed from (Plan.Columns: the caller divides as
// PostgreSQL does), comparisons of columns with
// constants read by PostgreSQL's own input functions (in the session's
// TimeZone), IN, BETWEEN, IS NULL, AND/OR/NOT, GROUP BY, DISTINCT, ORDER
// BY with explicit NULLS FIRST/LAST, LIMIT and OFFSET. Anything else is
// refused with 0A000 naming what could not go, and a hint to read the
// cache. The result's column names and types are the planner's (what
// PostgreSQL would describe); the caller checks the rows fit them.
//
// See docs/architecture.md ("Live queries") for where this sits.
package pushdown
