package server_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// Protocol fidelity: the same scripts of protocol messages go to the
// upstream PostgreSQL and to Hotdata, and every message that comes back
// must be the same (kind, command tags, columns, rows, SQLSTATEs and
// messages, ParameterStatus, transaction status, CopyData bytes).
// PostgreSQL's answer is the expectation: nothing here is hand-written.

const fidelityTable = `CREATE TABLE nums AS SELECT g AS id, 'n' || g AS label FROM generate_series(1, 20) g`

// A script line is one frontend message:
//
//	Q sql                   Query
//	P name|sql              Parse
//	B portal|stmt|rfmt|p1…  Bind (rfmt: "" text, "1" binary for all)
//	D S name / D P name     Describe
//	E portal maxrows        Execute
//	C S name / C P name     Close
//	S                       Sync (then read up to ReadyForQuery)
//
// A Q or S line sends what came before it and reads the answers; a line
// starting with "!" is run but its answers are not recorded.
func runScript(t *testing.T, url, script string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	// Where the two servers' defaults differ by design (the upstream
	// server's TimeZone, Hotdata's read-only transactions), both start
	// with the same values; as start-up values they are also what RESET
	// and DISCARD ALL go back to.
	cfg.RuntimeParams["TimeZone"] = "UTC"
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	pc, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hj, err := pc.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	defer hj.Conn.Close()
	fe := hj.Frontend
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(script), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		quiet := strings.HasPrefix(line, "!")
		line = strings.TrimPrefix(line, "!")
		cmd, rest, _ := strings.Cut(line, " ")
		switch cmd {
		case "Q":
			fe.Send(&pgproto3.Query{String: rest})
		case "P":
			name, sql, _ := strings.Cut(rest, "|")
			fe.Send(&pgproto3.Parse{Name: name, Query: sql})
		case "B":
			parts := strings.Split(rest, "|")
			var params [][]byte
			for _, p := range parts[3:] {
				params = append(params, []byte(p))
			}
			var rf []int16
			if parts[2] != "" {
				f, _ := strconv.Atoi(parts[2])
				rf = []int16{int16(f)}
			}
			fe.Send(&pgproto3.Bind{DestinationPortal: parts[0], PreparedStatement: parts[1], Parameters: params, ResultFormatCodes: rf})
		case "D", "C":
			kind, name, _ := strings.Cut(rest, " ")
			if cmd == "D" {
				fe.Send(&pgproto3.Describe{ObjectType: kind[0], Name: name})
			} else {
				fe.Send(&pgproto3.Close{ObjectType: kind[0], Name: name})
			}
		case "E":
			name, n, _ := strings.Cut(rest, " ")
			m, _ := strconv.Atoi(n)
			fe.Send(&pgproto3.Execute{Portal: name, MaxRows: uint32(m)})
		case "S":
			fe.Send(&pgproto3.Sync{})
		default:
			t.Fatalf("bad script line %q", line)
		}
		if cmd != "Q" && cmd != "S" {
			continue
		}
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
		start := len(out)
		out = append(out, ">> "+line)
		for {
			_ = hj.Conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			msg, err := fe.Receive()
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			if s := describeMessage(msg); s != "" {
				out = append(out, s)
			}
			if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
				break
			}
		}
		if quiet {
			out = out[:start]
		}
	}
	fe.Send(&pgproto3.Terminate{})
	_ = fe.Flush()
	return out
}

// describeMessage renders a backend message for comparison ("" to
// leave it out: Hotdata's NOTICEs about syncing a table on first use).
func describeMessage(msg pgproto3.BackendMessage) string {
	switch m := msg.(type) {
	case *pgproto3.RowDescription:
		var fs []string
		for _, f := range m.Fields {
			// Table OIDs and column numbers name each server's catalog.
			fs = append(fs, fmt.Sprintf("%s:%d/%d/%d/f%d", f.Name, f.DataTypeOID, f.DataTypeSize, f.TypeModifier, f.Format))
		}
		return "RowDescription [" + strings.Join(fs, " ") + "]"
	case *pgproto3.DataRow:
		var vs []string
		for _, v := range m.Values {
			if v == nil {
				vs = append(vs, "NULL")
			} else {
				vs = append(vs, strconv.Quote(string(v)))
			}
		}
		return "DataRow " + strings.Join(vs, " ")
	case *pgproto3.CommandComplete:
		return "CommandComplete " + string(m.CommandTag)
	case *pgproto3.ErrorResponse:
		return fmt.Sprintf("ErrorResponse %s %s %q detail=%q", m.Severity, m.Code, m.Message, m.Detail)
	case *pgproto3.NoticeResponse:
		if strings.Contains(m.Message, "sync") || strings.Contains(m.Message, "cached") {
			return ""
		}
		return fmt.Sprintf("Notice %s %s %q", m.Severity, m.Code, m.Message)
	case *pgproto3.ParameterStatus:
		return "ParameterStatus " + m.Name + "=" + m.Value
	case *pgproto3.ReadyForQuery:
		return "ReadyForQuery " + string(m.TxStatus)
	case *pgproto3.CopyData:
		return "CopyData " + hex.EncodeToString(m.Data)
	case *pgproto3.CopyOutResponse:
		return fmt.Sprintf("CopyOutResponse %d %v", m.OverallFormat, m.ColumnFormatCodes)
	case *pgproto3.ParameterDescription:
		return fmt.Sprintf("ParameterDescription %v", m.ParameterOIDs)
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", msg), "*pgproto3.")
}

// checkLikePostgres runs the scripts on both servers and reports every
// message that differs.
func checkLikePostgres(t *testing.T, h *hdtest.Harness, scripts map[string]string) {
	t.Helper()
	for name, script := range scripts {
		t.Run(name, func(t *testing.T) {
			want := runScript(t, h.Upstream, script)
			got := runScript(t, h.PGURL(testToken, "default", "disable"), script)
			for i := 0; i < max(len(want), len(got)); i++ {
				var w, g string
				if i < len(want) {
					w = want[i]
				}
				if i < len(got) {
					g = got[i]
				}
				if w != g {
					t.Errorf("message %d differs:\n  PostgreSQL: %s\n  Hotdata:    %s\nPostgreSQL's whole answer:\n%s\nHotdata's:\n%s",
						i, w, g, strings.Join(want, "\n"), strings.Join(got, "\n"))
					return
				}
			}
		})
	}
}

// fidelityServer starts Hotdata with the fixture, read once so that no
// first-sync NOTICEs remain.
func fidelityServer(t *testing.T) *hdtest.Harness {
	h := hdtest.Start(t)
	h.ConnectUpstream("src", fidelityTable)
	runScript(t, h.PGURL(testToken, "default", "disable"), "Q SELECT count(*) FROM nums")
	return h
}

// TestSettingsLikePostgres: SET, SHOW and RESET of the settings clients
// and BI tools send, values checked, normalized and shown as PostgreSQL
// does, ParameterStatus when (and only when) a reported value changes.
func TestSettingsLikePostgres(t *testing.T) {
	h := fidelityServer(t)
	checkLikePostgres(t, h, map[string]string{
		"styles": `Q SET datestyle = german
Q SHOW datestyle
Q SET datestyle = 'sql'; SHOW datestyle; SET datestyle = 'YMD'; SHOW datestyle
Q SET datestyle = postgres, dmy; SHOW DateStyle
Q SET datestyle = 'iso, us'; SET datestyle = 'euro'; SHOW datestyle
Q SET datestyle = 'iso, sql'
Q SET datestyle = 'foo'
Q SET datestyle = default
Q SET datestyle = 'ISO'
Q SET intervalstyle = iso_8601; SHOW intervalstyle
Q SET IntervalStyle = 'SQL_STANDARD'; SHOW IntervalStyle
Q SET intervalstyle = postgres_verbose
Q SET intervalstyle = foo
Q SET bytea_output = escape; SHOW bytea_output
Q SET bytea_output = foo
Q SET extra_float_digits = -15; SHOW extra_float_digits
Q SET extra_float_digits = 4
Q SET extra_float_digits = 'abc'
Q SET extra_float_digits = 2.5; SHOW extra_float_digits
Q SET extra_float_digits = '1e1'
Q RESET datestyle; RESET intervalstyle
Q SHOW DateStyle
`,
		"encoding_and_zones": `Q SET client_encoding = 'utf-8'; SHOW client_encoding
Q SET client_encoding = 'unicode'; SET client_encoding = 'UTF_8'; SET NAMES 'utf8'
Q SET client_encoding = 'foo'
Q SET timezone = 'utc'
Q SET timezone = 'gmt'; SHOW timezone
Q SET timezone = 'europe/paris'; SHOW timezone
Q SET TIME ZONE -7; SHOW timezone
Q SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE; SHOW timezone
Q SET TIME ZONE 5.5
Q SET timezone = 'Foo/Bar'
Q SET timezone = 'EST5EDT'; SHOW timezone
Q SET timezone = '+3'; SHOW timezone
Q SET timezone = 'UTC+3'; SHOW timezone
Q SET SESSION timezone TO 'UTC'; SHOW TIME ZONE
`,
		"others": `Q SET client_min_messages TO 'warning'; SHOW client_min_messages
Q SET client_min_messages = 'debug'; SHOW client_min_messages
Q SET client_min_messages TO 'foo'
Q SET client_min_messages = error; ROLLBACK; SET client_min_messages = notice; ROLLBACK
Q SET client_min_messages = warning; ROLLBACK
Q SET client_min_messages = error
Q ROLLBACK
Q RESET client_min_messages
Q ROLLBACK
Q SET standard_conforming_strings = on; SET standard_conforming_strings = 'yes'
Q SET statement_timeout = 5000; SHOW statement_timeout
Q SET statement_timeout = '90s'; SHOW statement_timeout
Q SET statement_timeout = '1.5s'; SHOW statement_timeout
Q SET statement_timeout = '1min'; SHOW statement_timeout
Q SET statement_timeout = -1
Q SET statement_timeout = '10 x'
Q SET statement_timeout = 0; SHOW statement_timeout
Q SET lock_timeout = '2h'; SHOW lock_timeout
Q SET application_name = 'x y'; SHOW application_name
Q SET application_name = 'x y'
Q SET search_path TO "$user", public; SHOW search_path
Q SET escape_string_warning = off; SHOW escape_string_warning
Q SET xmloption = content; SET row_security = on; SET jit = off
Q SET no_such_setting = 1
Q SET my.setting = 'a b'; SHOW my.setting
Q SHOW my.other
Q SHOW server_encoding; SHOW integer_datetimes
Q SET server_version = '1'
Q RESET ALL; SHOW application_name
`,
	})
}

// TestTransactionsLikePostgres: transaction modes (lib/pq's BEGIN READ
// WRITE, isolation levels, SET TRANSACTION, SET SESSION
// CHARACTERISTICS), savepoints, settings undone by ROLLBACK, and the
// failed state after an error anywhere in the block, simple or extended
// protocol.
func TestTransactionsLikePostgres(t *testing.T) {
	h := fidelityServer(t)
	checkLikePostgres(t, h, map[string]string{
		"modes": `Q BEGIN READ WRITE; SHOW transaction_read_only; COMMIT
Q BEGIN; SHOW transaction_read_only; SET TRANSACTION READ WRITE; SHOW transaction_read_only; COMMIT
Q BEGIN; SELECT 1; SET TRANSACTION READ WRITE
Q ROLLBACK
Q BEGIN; SELECT 1; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE
Q ROLLBACK
Q BEGIN; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; SHOW transaction_isolation; COMMIT
Q SET TRANSACTION READ WRITE
Q SET TRANSACTION ISOLATION LEVEL REPEATABLE READ
Q SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; SHOW default_transaction_read_only
Q SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE
Q SHOW default_transaction_isolation; SHOW default_transaction_read_only; SHOW default_transaction_deferrable
Q START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ WRITE; SHOW transaction_isolation; SHOW transaction_read_only; SHOW transaction_deferrable; COMMIT
Q BEGIN; SET transaction_read_only = off; SHOW transaction_read_only; SET transaction_isolation = 'repeatable read'; SHOW transaction_isolation; COMMIT
Q SET transaction_isolation = 'serializable'; SHOW transaction_isolation
Q SET default_transaction_isolation = 'foo'
Q BEGIN ISOLATION LEVEL READ UNCOMMITTED; SHOW transaction_isolation; ROLLBACK
Q SET default_transaction_read_only = off; BEGIN; SELECT 1; SET transaction_read_only = on; SET transaction_read_only = off
Q ROLLBACK
Q SET default_transaction_read_only = on
`,
		"settings_and_savepoints": `Q BEGIN; SET application_name = 'inside'; ROLLBACK; SHOW application_name
Q BEGIN; SET application_name = 'kept'; COMMIT; SHOW application_name
Q BEGIN; SET LOCAL timezone = 'Europe/Paris'; SHOW timezone; COMMIT; SHOW timezone
Q SET LOCAL timezone = 'Europe/Paris'; SHOW timezone
Q BEGIN; SET timezone = 'Europe/Paris'
Q SELECT id FROM no_such_table
Q ROLLBACK; SHOW timezone
Q BEGIN; SAVEPOINT a; SET application_name = 'sp'; ROLLBACK TO a; SHOW application_name; COMMIT
Q BEGIN; SAVEPOINT a; SAVEPOINT a; RELEASE a; ROLLBACK TO a; RELEASE a; ROLLBACK TO a
Q ROLLBACK
Q RELEASE SAVEPOINT foo
Q SAVEPOINT foo
Q BEGIN; SELECT 1
Q SELECT id FROM no_such_table; SELECT 1
Q SELECT 1
Q SAVEPOINT x
Q COMMIT
Q BEGIN; SAVEPOINT s
Q SELECT id FROM no_such_table
Q ROLLBACK TO s; SELECT count(*) FROM nums; COMMIT
Q BEGIN; BEGIN; COMMIT; COMMIT; ROLLBACK
Q SET application_name = 'a'; COMMIT; SET application_name = 'b'; SET statement_timeout = 'x'
Q SHOW application_name
Q SET application_name = 'c'; ROLLBACK; SHOW application_name
Q DECLARE c CURSOR FOR SELECT 1; FETCH 1 FROM c
Q FETCH 1 FROM c
Q SET LOCAL application_name = 'l'; SHOW application_name; BEGIN; SHOW application_name; COMMIT; SHOW application_name
Q SET application_name = 'd'; BEGIN; SET statement_timeout = 'x'
Q ROLLBACK; SHOW application_name
Q SET TRANSACTION READ WRITE; SELECT 1
Q SAVEPOINT x; SELECT 1
`,
		"extended_errors": `Q BEGIN
P a|SELECT id FROM no_such_table WHERE id = $1
S
P b|SELECT id FROM nums WHERE id = $1
S
Q ROLLBACK
Q BEGIN
P c|SELECT id FROM nums WHERE id = $1
B p|c||1|2
S
P d|SELECT 1
S
Q ROLLBACK
Q BEGIN
B p|nonexistent|
S
P e|SELECT id FROM nums
D S e
S
P f|ROLLBACK
B |f|
E  0
S
Q SELECT 1
Q BEGIN
P g|SELECT id FROM nums WHERE id = $1
B |g||1
E no_such_portal 0
S
Q COMMIT
`,
	})
}

// TestExtendedUtilityLikePostgres: what Describe answers for each kind
// of statement (RowDescription for rows, NoData for the rest), and
// utility statements run through Parse/Bind/Execute.
func TestExtendedUtilityLikePostgres(t *testing.T) {
	h := fidelityServer(t)
	var steps []string
	for i, sql := range []string{
		"SET datestyle = 'ISO'", "SET application_name = 'ext'", "SHOW datestyle", "SHOW ALL", "BEGIN", "SAVEPOINT a",
		"RELEASE a", "DECLARE c SCROLL CURSOR FOR SELECT id, label FROM nums ORDER BY id", "FETCH 2 FROM c",
		"MOVE 3 IN c", "FETCH PRIOR FROM c", "CLOSE c", "COMMIT", "DISCARD ALL", "DEALLOCATE ALL",
		"RESET application_name", "SELECT id FROM nums WHERE id < 3 ORDER BY id", "UNLISTEN *",
	} {
		if sql == "SHOW ALL" {
			// Only the description: the lists of settings differ.
			steps = append(steps, fmt.Sprintf("P s%d|%s\nD S s%d\nS", i, sql, i))
			continue
		}
		steps = append(steps, fmt.Sprintf("P s%d|%s\nD S s%d\nB p%d|s%d|\nD P p%d\nE p%d 0\nS", i, sql, i, i, i, i, i))
	}
	checkLikePostgres(t, h, map[string]string{"describe": strings.Join(steps, "\n")})
}

// TestCursorsLikePostgres: DECLARE with parameters, SCROLL cursors in
// every direction, NO SCROLL's errors, WITH HOLD across COMMIT and
// ROLLBACK, FETCH and MOVE of a protocol portal, as PostgreSQL answers.
func TestCursorsLikePostgres(t *testing.T) {
	h := fidelityServer(t)
	var scroll []string
	for _, q := range []string{
		"FETCH 3 FROM c", "FETCH PRIOR FROM c", "FETCH FIRST FROM c", "FETCH LAST FROM c", "FETCH NEXT FROM c",
		"FETCH ABSOLUTE -3 FROM c", "FETCH RELATIVE -2 FROM c", "FETCH BACKWARD 3 FROM c", "FETCH RELATIVE 0 FROM c",
		"FETCH 0 FROM c", "MOVE 0 IN c", "FETCH FORWARD 2 FROM c", "MOVE BACKWARD ALL IN c", "FETCH NEXT FROM c",
		"MOVE ABSOLUTE 200 IN c", "FETCH BACKWARD 1 FROM c", "MOVE LAST IN c", "FETCH -2 FROM c", "FETCH BACKWARD ALL FROM c",
		"FETCH ALL FROM c", "FETCH ABSOLUTE 0 FROM c", "FETCH ABSOLUTE 7 FROM c", "FETCH ABSOLUTE 5 FROM c",
		"MOVE RELATIVE 30 IN c", "FETCH RELATIVE -1 FROM c", "MOVE ABSOLUTE -30 IN c", "FETCH NEXT FROM c",
	} {
		scroll = append(scroll, "Q "+q)
	}
	checkLikePostgres(t, h, map[string]string{
		"scroll": "Q BEGIN; DECLARE c SCROLL CURSOR FOR SELECT id, label FROM nums ORDER BY id\n" +
			strings.Join(scroll, "\n") + "\nQ COMMIT",
		"no_scroll": `Q BEGIN; DECLARE c NO SCROLL CURSOR FOR SELECT id FROM nums ORDER BY id; FETCH 2 FROM c; FETCH ABSOLUTE 5 FROM c
Q FETCH PRIOR FROM c
Q ROLLBACK
Q BEGIN; DECLARE c NO SCROLL CURSOR FOR SELECT id FROM nums ORDER BY id; FETCH 2 FROM c
Q FETCH ABSOLUTE 1 FROM c
Q ROLLBACK
Q BEGIN; DECLARE c NO SCROLL CURSOR FOR SELECT id FROM nums ORDER BY id; FETCH 0 FROM c; MOVE FORWARD ALL IN c; FETCH 1 FROM c
Q ROLLBACK
Q BEGIN; DECLARE c CURSOR FOR SELECT id FROM nums ORDER BY id; FETCH 25 FROM c; FETCH 1 FROM c; CLOSE c; FETCH 1 FROM c
Q ROLLBACK
`,
		"hold": `Q DECLARE c CURSOR FOR SELECT 1
Q DECLARE h CURSOR WITH HOLD FOR SELECT id FROM nums ORDER BY id
Q FETCH 2 FROM h
Q BEGIN; DECLARE h2 CURSOR WITH HOLD FOR SELECT id FROM nums WHERE id > 18 ORDER BY id; FETCH 1 FROM h; COMMIT
Q FETCH ALL FROM h2; FETCH 1 FROM h
Q BEGIN; DECLARE h3 CURSOR WITH HOLD FOR SELECT 1; ROLLBACK
Q FETCH 1 FROM h3
Q BEGIN; FETCH 1 FROM h; ROLLBACK
Q FETCH 1 FROM h
Q CLOSE ALL
Q FETCH 1 FROM h
`,
		"parameters": `Q BEGIN
P d|DECLARE pc CURSOR FOR SELECT id, label FROM nums WHERE id > $1 AND label <> $2 ORDER BY id
D S d
B |d||15|x
D P
E  0
S
D P pc
S
P f|FETCH 2 FROM pc
D S f
B |f|1
D P
E  0
S
P m|MOVE 1 IN pc
B |m|
D P
E  0
S
Q FETCH ALL FROM pc
Q COMMIT
`,
		"protocol_portal": `Q BEGIN
P s|SELECT id FROM nums WHERE id <= $1 ORDER BY id
B pp|s||10
E pp 2
S
Q MOVE FORWARD 3 pp
Q FETCH 2 FROM pp
Q FETCH BACKWARD 1 FROM pp
Q ROLLBACK
`,
	})
}

// TestCopyBinaryLikePostgres compares binary COPY byte for byte: the
// signature travels in the first row's CopyData (or with the trailer
// when there are no rows), as psycopg's parser expects.
func TestCopyBinaryLikePostgres(t *testing.T) {
	h := fidelityServer(t)
	checkLikePostgres(t, h, map[string]string{
		"copy": `Q COPY (SELECT id, label FROM nums WHERE id <= 3 ORDER BY id) TO STDOUT (FORMAT binary)
Q COPY (SELECT id FROM nums WHERE false) TO STDOUT (FORMAT binary)
Q COPY (SELECT id, NULL::text AS n FROM nums WHERE id = 1) TO STDOUT WITH BINARY
Q COPY (SELECT id, label FROM nums WHERE id <= 2 ORDER BY id) TO STDOUT
Q COPY (SELECT id, label FROM nums WHERE id <= 2 ORDER BY id) TO STDOUT (FORMAT csv, HEADER)
`,
	})
}

// TestStartupEncodingSpellings: asyncpg sends client_encoding='utf-8'
// (quoted, lower case) at start-up; every spelling PostgreSQL takes for
// UTF8 is taken and reported as UTF8.
func TestStartupEncodingSpellings(t *testing.T) {
	h := hdtest.Start(t)
	for _, enc := range []string{"'utf-8'", "utf8", "UTF-8", "unicode", "UTF_8", `"utf8"`} {
		cfg, err := pgconn.ParseConfig(h.PGURL(testToken, "default", "disable"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.RuntimeParams["client_encoding"] = enc
		pc, err := pgconn.ConnectConfig(context.Background(), cfg)
		if err != nil {
			t.Errorf("client_encoding=%s: %v", enc, err)
			continue
		}
		if got := pc.ParameterStatus("client_encoding"); got != "UTF8" {
			t.Errorf("client_encoding=%s: reported %q, want UTF8", enc, got)
		}
		pc.Close(context.Background())
	}
	cfg, _ := pgconn.ParseConfig(h.PGURL(testToken, "default", "disable"))
	cfg.RuntimeParams["client_encoding"] = "LATIN1"
	if _, err := pgconn.ConnectConfig(context.Background(), cfg); sqlstate(err) != "22023" {
		t.Errorf("client_encoding=LATIN1: %v, want 22023 (Hotdata speaks UTF8 only)", err)
	}
}
