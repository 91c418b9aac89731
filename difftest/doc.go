// Package difftest is the differential test of Hotdata against
// PostgreSQL: the same statements run against an upstream PostgreSQL
// database and through Hotdata over the same data, and every difference
// in what a client sees is a finding. PostgreSQL is the oracle (see
// /work/shared/DESIGN.md, "Freshness and routing"): on every route a
// statement must return exactly what PostgreSQL returns, or a clear
// error (SQLSTATE 0A000).
//
// # What runs
//
// TestDifferential creates a fresh PostgreSQL database (internal/testenv),
// loads testdata/fixture.sql into it, starts Hotdata in-process
// (internal/hdtest) with that database registered as connection "src",
// and reads each table once through the cached route so that it is
// synced before any statement runs. Then every corpus statement runs on
// three connections at once, one goroutine each:
//
//   - PostgreSQL directly (the expected answer);
//   - Hotdata with SET hotdata.freshness = 'cached' (DuckDB over the snapshots);
//   - Hotdata with SET hotdata.freshness = 'live' (pushed down to the upstream).
//
// Statements name tables without qualification (orders, not
// src.public.orders): Hotdata resolves a name that matches one table, so
// the same text runs everywhere. Each statement runs twice per
// connection: with the simple query protocol (text values), then with the
// extended protocol asking for every result column in binary.
//
// # What is compared
//
// The RowDescription (column count, names, type OIDs, typmods; not table
// OIDs), every value byte for byte (NULL is not the empty string), the CommandComplete
// tag, and for errors the SQLSTATE (not the message). Rows compare in
// order when the statement has a top-level ORDER BY (found by parsing it
// with pg_query), otherwise as multisets. The corpus keeps every ORDER BY
// total, so that PostgreSQL's order is the only right one; "-- unordered"
// marks a statement whose ORDER BY leaves ties.
//
// Each statement is classified per route (Class):
//
//   - identical: same answer in both formats, or both fail with the same
//     SQLSTATE (counted as "both fail");
//   - clear_error: Hotdata fails with 0A000 (feature_not_supported) where
//     PostgreSQL answers, or where PostgreSQL fails with another SQLSTATE.
//     A refusal that says "not supported" is what the promise allows,
//     whatever PostgreSQL said (a decision: the other case, two different
//     SQLSTATEs, is a mismatch);
//   - mismatch ("silent mismatch"): anything else — another value, type,
//     typmod, tag or row count, Hotdata answering where PostgreSQL fails,
//     another SQLSTATE, or an error whose SQLSTATE does not say "not
//     supported" (XX000, 42883, 22P02… where PostgreSQL answers).
//
// Before judging Hotdata, the test checks PostgreSQL's answers against
// the corpus's intent: a statement may fail on PostgreSQL only when it is
// marked "-- error: <SQLSTATE>" with the code PostgreSQL gives. The
// PostgreSQL sessions are read-only (default_transaction_read_only), so
// no statement can change the fixture; writes are in the corpus to check
// that both sides refuse them with 25006.
//
// # When Hotdata breaks
//
// A statement that runs longer than StatementTimeout is a mismatch, and
// the next one gets a new connection. A fatal DuckDB error invalidates
// the workspace's engine: every later statement would fail with the same
// message, so the runner that sees it reopens the engine (suspend and
// resume through the REST API, see Restarter) and runs the statement
// again; the report lists the statements whose own error was the fatal
// one (IsEngineKiller).
// A panic inside Hotdata ends the test binary (it runs in-process); its
// stack names the culprit. Fixture values known to crash Hotdata are
// left out of the fixture, with a comment saying so.
//
// # Corpus format
//
// testdata/corpus/<area>.sql, one file per area of SQL. A file is a
// sequence of statements, each ending with ';' at the end of a line
// (statements may span lines; a ';' inside a line does not end one).
// Lines whose first non-blank characters are "--" never belong to a
// statement; some of them are directives for the next statement or
// block:
//
//	-- name: trunc_week_kolkata     names the next statement (unique in the file;
//	                                 default "L<line>")
//	-- error: 22012                 PostgreSQL must fail with this SQLSTATE
//	-- error: 42601 until 16        … before PostgreSQL 16; from 16 on it must answer
//	-- unordered                    compare as a multiset despite ORDER BY
//	-- setup: SET TimeZone = 'Asia/Kolkata'
//	                                 consecutive setup lines start a new block;
//	                                 "-- setup: reset" starts one with no setup
//
// Every connection starts each block from the Baseline session (TimeZone
// UTC, DateStyle ISO, MDY, IntervalStyle postgres, extra_float_digits 1,
// bytea_output hex), then runs the block's setup statements. A setup
// that Hotdata refuses is recorded with each statement of its block.
// Other comments ("-- plain text", or "-- key: value" with another key)
// are ignored.
//
// Statements must be deterministic on PostgreSQL: an ORDER BY that
// decides the order, no now() or random() in the output, float sums over
// values that add exactly in any order. HOTDATA_DIFFTEST_SELFCHECK=1
// checks that: it runs the corpus against the fixture and against a copy
// with every table's rows in reverse physical order, planned without
// hash aggregates and hash joins, and fails on every difference (Hotdata
// does not run).
//
// # Running it
//
//	go test -tags duckdb_arrow ./difftest                       # everything, fails on each silent mismatch
//	go test -tags duckdb_arrow ./difftest -run 'TestDifferential/^strings$'  # one area
//	HOTDATA_DIFFTEST_AREA=strings,json go test -tags duckdb_arrow ./difftest  # the same by name
//	HOTDATA_DIFFTEST_VERBOSE=1 …                                # each mismatch with both answers in full
//	go test -tags duckdb_arrow ./difftest -run TestDifferential -update      # rewrite the reports
//
// -update writes testdata/results.json (every statement's class per
// route, with the first difference) and docs/compatibility.md (rates per
// area and route, mismatch kinds, every clear error). With -update the
// mismatches are logged instead of failing the test. Run for some areas
// only, -update keeps the other areas' results from results.json.
//
// Without -update the test fails listing every silent mismatch, and when
// a route's identical rate is below MinIdenticalRate. It needs PostgreSQL
// as internal/testenv finds it, and fails rather than skips without one
// when HOTDATA_TEST_REQUIRE_SERVICES=1.
//
// The package must not hold expectations of its own: PostgreSQL's answer
// is the expectation, recorded fresh on every run.
package difftest
