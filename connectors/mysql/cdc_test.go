package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	gomysql "github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// streamTypesTable has a column of every type a stream reads, in the
// forms that differ between the binary log and the text protocol.
const streamTypesTable = `CREATE TABLE kinds (
	id int PRIMARY KEY, ti tinyint, tu tinyint unsigned, b tinyint(1), si smallint, su smallint unsigned,
	mi mediumint, mu mediumint unsigned, i int, iu int unsigned, bi bigint, bu bigint unsigned,
	n decimal(12,4), nw decimal(60,20), f float, d double, bit1 bit(1), bits bit(64), y year,
	dd date, dt datetime, dt6 datetime(6), ts timestamp(3) NULL, tm time(1),
	c char(4), vc varchar(40), tx mediumtext, lat varchar(10) CHARACTER SET latin1, asc_ char(3) CHARACTER SET ascii,
	bin binary(5), vb varbinary(10), bl blob, e enum('x','y''s','z'), s set('a','b','c','d'), j json)`

// streamTypesRows are rows with edge values of each type.
var streamTypesRows = []string{
	`INSERT INTO kinds VALUES (1, -128, 255, 1, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,
		-9223372036854775808, 18446744073709551615, -99999999.9999, -1234567890123456789012345678901234567890.12345678901234567890,
		-3.40282e38, -1.7976931348623157e308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111', 2155,
		'9999-12-31', '1000-01-01 00:00:00', '2026-12-07 10:11:12.123456', '2038-01-19 03:14:07.999', '-838:59:59.9',
		'ab  ', 'ünïcödé ✓ 𝄞', REPEAT('x', 70000), CONVERT(x'e980ff41' USING latin1), 'abc', x'0102', x'00', x'deadbeef', 'y''s', 'a,d', '{"k": [1, 2.5, null], "s": "\\"q\\""}')`,
	`INSERT INTO kinds VALUES (2, 127, 0, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0,
		99999999.9999, 0.00000000000000000001, 1.17549435e-38, 5e-324, b'0', b'0', 1901, '1000-01-01', '9999-12-31 23:59:59',
		'1970-01-01 00:00:00.000001', '1970-01-01 00:00:01', '00:00:00', '', '', '', '', '', '', '', '', 'x', '', '[]')`,
	`INSERT INTO kinds (id) VALUES (3)`,
	`INSERT INTO kinds (id, f, d, y, tm, e, s, dd) VALUES (4, -0.0, 0.1, 0, '23:59:59.9', 'z', 'a,b,c,d', '2020-02-29')`,
}

// TestStreamValuesMatchScan: every value a stream reads from the binary
// log becomes the same cached value a scan of the row reads (compared
// column by column as Arrow prints them), for natively held columns and
// for columns held as text (TIME beyond PostgreSQL's range).
func TestStreamValuesMatchScan(t *testing.T) {
	m := testenv.StartPrivateMariaDB(t)
	testenv.MariaDBExec(t, m.DSN(""), "CREATE DATABASE cdc")
	dsn := m.DSN("cdc")
	execAll(t, dsn, streamTypesTable)
	ctx := context.Background()
	c, err := Open(ctx, configFor(t, dsn), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	for _, asText := range []bool{false, true} {
		t.Run(fmt.Sprintf("text-held=%v", asText), func(t *testing.T) {
			execAll(t, dsn, "DELETE FROM kinds")
			st, err := c.OpenStream(ctx, "hdtest_values")
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			ref := connectors.StreamTable{Schema: "cdc", Table: "kinds", Key: []string{"id"}}
			if _, err := st.Track(ctx, ref); err != nil {
				t.Fatal(err)
			}
			req := connectors.ScanRequest{Schema: "cdc", Table: "kinds"}
			if asText {
				req.AsText = map[string]string{"tm": "", "bits": "", "f": "", "dd": ""}
			}
			sc, pos, err := st.SnapshotScan(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			fields := sc.Schema().Fields()
			for sc.Next() {
			}
			sc.Release()
			ref.Fields = fields
			if err := st.Activate(ref, pos); err != nil {
				t.Fatal(err)
			}
			if asText {
				// Beyond PostgreSQL's time: only a text-held column reads it.
				execAll(t, dsn, streamTypesRows...)
			} else {
				execAll(t, dsn, streamTypesRows[1:]...)
				execAll(t, dsn, `UPDATE kinds SET tm = '12:00:00' WHERE id = 4`)
			}
			got := map[string][]string{}
			deadline := time.Now().Add(30 * time.Second)
			want := scanRows(t, c, req, fields)
			for len(got) < len(want) || !sameKeys(got, want) {
				b, err := st.Read(ctx, 100*time.Millisecond, 10000)
				if err != nil {
					t.Fatal(err)
				}
				for _, tc := range b.Tables {
					if tc.Reshaped {
						t.Fatalf("the table was sent back to be read again")
					}
					if tc.Changes == nil {
						continue
					}
					for r := 0; r < int(tc.Changes.NumRows()); r++ {
						row := make([]string, len(fields))
						for i := range fields {
							row[i] = tc.Changes.Column(i).ValueStr(r)
						}
						got[row[0]] = row
					}
					tc.Changes.Release()
				}
				if time.Now().After(deadline) {
					t.Fatalf("changes of %d rows of %d arrived", len(got), len(want))
				}
			}
			for id, w := range want {
				g := got[id]
				for i := range fields {
					if g[i] != w[i] {
						t.Errorf("row %s column %s (%s): stream %q, scan %q", id, fields[i].Name, fields[i].Type, g[i], w[i])
					}
				}
			}
		})
	}
}

func sameKeys(a, b map[string][]string) bool {
	for k := range b {
		if _, ok := a[k]; !ok {
			return false
		}
	}
	return true
}

// scanRows scans a table and returns its rows as Arrow prints them, by
// their first column, checking the scan's fields are those given.
func scanRows(t *testing.T, c *Connector, req connectors.ScanRequest, fields []arrow.Field) map[string][]string {
	t.Helper()
	sc, err := c.Scan(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Release()
	if !sc.Schema().Equal(arrow.NewSchema(fields, nil)) {
		t.Fatalf("scan fields changed: %v", sc.Schema())
	}
	out := map[string][]string{}
	for sc.Next() {
		rec := sc.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			row := make([]string, len(fields))
			for i := range fields {
				row[i] = rec.Column(i).ValueStr(r)
			}
			out[row[0]] = row
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLatin1MatchesServer: every latin1 byte decodes to the character
// MariaDB's own conversion to utf8mb4 gives.
func TestLatin1MatchesServer(t *testing.T) {
	db, err := sql.Open("mysql", testenv.MySQL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for b := 0; b < 256; b++ {
		var want []byte
		if err := db.QueryRow(fmt.Sprintf("SELECT CONVERT(CONVERT(x'%02x' USING latin1) USING utf8mb4)", b)).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if got := latin1ToUTF8([]byte{byte(b)}); string(got) != string(want) {
			t.Errorf("latin1 byte %#x: %q, the server says %q", b, got, want)
		}
	}
}

func TestBinlogPositions(t *testing.T) {
	a, err := parsePos("binlog.000009:4000/0-1-5")
	if err != nil || a.file != "binlog.000009" || a.pos != 4000 || a.check != "0-1-5" || a.String() != "binlog.000009:4000/0-1-5" {
		t.Fatalf("parse: %+v %v", a, err)
	}
	b, _ := parsePos("binlog.000010:4")
	if a.compare(b) != -1 || b.compare(a) != 1 || a.compare(a) != 0 {
		t.Fatal("compare across files")
	}
	for _, bad := range []string{"", "binlog", "binlog.x:4", "binlog.000001:-1", "binlog.000001:99999999999"} {
		if _, err := parsePos(bad); err == nil {
			t.Errorf("parsePos(%q): no error", bad)
		}
	}
	// Change sequences grow with the position, across files, and rows
	// of one event stay below the next event's.
	prev := int64(-1)
	for _, p := range []binlogPos{{file: "b.000001", pos: 4}, {file: "b.000001", pos: 5}, {file: "b.000001", pos: math.MaxUint32 - 1}, {file: "b.000002", pos: 4}, {file: "b.524287", pos: 4}} {
		s := seqOf(p, p.pos, 0)
		if s <= prev || s < 0 {
			t.Fatalf("seq of %v is %d after %d", p, s, prev)
		}
		// An event of n rows spans at least n bytes: its last row's
		// sequence (2n+1, an update's second half) stays below the next
		// event's first.
		const n = 1000
		prev = seqOf(p, p.pos, 2*n+1)
		if p.pos < math.MaxUint32-n {
			if next := seqOf(p, p.pos+n, 0); prev >= next {
				t.Fatalf("rows of an event at %v reach the next event's sequence", p)
			}
		}
	}
}

func TestTypeLabels(t *testing.T) {
	for in, want := range map[string]string{
		"enum('a','b')":          "a|b",
		"enum('it''s','x,y','')": "it's|x,y|",
		"set('a','b\\\\c')":      `a|b\c`,
		"enum()":                 "",
	} {
		if got := strings.Join(typeLabels(in), "|"); got != want {
			t.Errorf("typeLabels(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValueConvIntegers(t *testing.T) {
	for _, tc := range []struct {
		colType, dataType string
		v                 any
		want              string
	}{
		{"tinyint(3) unsigned", "tinyint", int8(-1), "255"},
		{"smallint(5) unsigned", "smallint", int16(-1), "65535"},
		{"mediumint(8) unsigned", "mediumint", int32(-1), "16777215"},
		{"int(10) unsigned", "int", int32(-2), "4294967294"},
		{"bigint(20) unsigned", "bigint", int64(-1), "18446744073709551615"},
		{"mediumint(9)", "mediumint", int32(-8388608), "-8388608"},
		{"enum('a','b')", "enum", int64(2), "b"},
		{"enum('a','b')", "enum", int64(0), ""},
		{"set('a','b','c')", "set", int64(5), "a,c"},
		{"year(4)", "year", 0, "0"},
	} {
		v := newValueConv(column{colType: tc.colType, dataType: tc.dataType}, false)
		got, err := v.text(tc.v)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s %v: %q %v, want %q", tc.colType, tc.v, got, err, tc.want)
		}
	}
	v := newValueConv(column{colType: "enum('a')", dataType: "enum"}, false)
	if _, err := v.text(int64(2)); err == nil {
		t.Error("an ENUM index past the labels reads")
	}
}

func TestStatements(t *testing.T) {
	s := newStream(nil, "x", serverInfo{mariadb: true})
	s.tables["db.orders"] = &streamTable{ref: connectors.StreamTable{Schema: "db", Table: "orders"}}
	s.tables["db.users"] = &streamTable{ref: connectors.StreamTable{Schema: "db", Table: "users"}}
	s.tables["other.t"] = &streamTable{ref: connectors.StreamTable{Schema: "other", Table: "t"}}
	h := &replication.EventHeader{LogPos: 200, EventSize: 100}
	s.file = "binlog.000001"
	for q, want := range map[string]string{
		"TRUNCATE TABLE `orders`":                       "db.orders:T",
		"truncate db.users":                             "db.users:T",
		"/* c */ ALTER TABLE Orders ADD x int":          "db.orders:S",
		"DROP TABLE IF EXISTS `users` /* generated */":  "db.users:S",
		"RENAME TABLE a TO orders":                      "db.orders:S",
		"DROP DATABASE other":                           "other.t:S",
		"CREATE TABLE unrelated (id int)":               "",
		"INSERT INTO orders VALUES (1)":                 "db.orders:S", // logged as a statement: no rows to apply
		"insert into unrelated values (1)":              "",
		"GRANT SELECT ON db.orders TO x":                "",
		"TRUNCATE TABLE orders WAIT 5":                  "db.orders:T",
		"TRUNCATE TABLE `USERS` /* why */":              "db.users:T",
		"truncate DB . Orders":                          "db.orders:T",
		"DROP DATABASE other /* bye */":                 "other.t:S",
		"DROP SCHEMA IF EXISTS `other`":                 "other.t:S",
		"ALTERNATIVE orders":                            "",
		"create or replace table `db`.`users` (id int)": "db.users:S",
	} {
		s.txn = nil
		s.statement("db", q, h)
		var got []string
		if s.txn != nil {
			for k, chs := range s.txn.changes {
				for _, ch := range chs {
					got = append(got, k+":"+string(ch.op))
				}
			}
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%q: %v, want %q", q, got, want)
		}
	}
}

func TestBinlogTypeFits(t *testing.T) {
	dec := column{dataType: "decimal", precision: 12, scale: 4}
	if !binlogTypeFits(dec, gomysql.MYSQL_TYPE_NEWDECIMAL, 12<<8|4) || binlogTypeFits(dec, gomysql.MYSQL_TYPE_NEWDECIMAL, 14<<8|4) {
		t.Error("decimal precision")
	}
	enum := column{dataType: "enum"}
	if !binlogTypeFits(enum, gomysql.MYSQL_TYPE_STRING, uint16(gomysql.MYSQL_TYPE_ENUM)<<8|1) || binlogTypeFits(column{dataType: "char"}, gomysql.MYSQL_TYPE_STRING, uint16(gomysql.MYSQL_TYPE_ENUM)<<8|1) {
		t.Error("enum in a STRING column")
	}
	if binlogTypeFits(column{dataType: "int"}, gomysql.MYSQL_TYPE_LONGLONG, 0) {
		t.Error("an int column widened to bigint still fits")
	}
}

// follower keeps one table of a stream, as the workspace does: the
// changes it read, and whether it was told to read the table again or
// that it was emptied.
type follower struct {
	t                   *testing.T
	c                   *Connector
	st                  connectors.Stream
	ref                 connectors.StreamTable
	pos                 string
	ops                 []string            // "I 1", "U 1", "D 1": op and key
	rows                map[string][]string // the last change's values, by key
	reshaped, truncated bool
}

func follow(t *testing.T, c *Connector, table string, asText ...string) *follower {
	t.Helper()
	ctx := context.Background()
	st, err := c.OpenStream(ctx, "hdtest_edges")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &follower{t: t, c: c, st: st, ref: connectors.StreamTable{Schema: "cdc", Table: table, Key: []string{"id"}}}
	if _, err := st.Track(ctx, f.ref); err != nil {
		t.Fatal(err)
	}
	req := connectors.ScanRequest{Schema: "cdc", Table: table, AsText: map[string]string{}}
	for _, col := range asText {
		req.AsText[col] = ""
	}
	sc, pos, err := st.SnapshotScan(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	f.ref.Fields, f.pos = sc.Schema().Fields(), pos
	for sc.Next() {
	}
	sc.Release()
	if err := st.Activate(f.ref, pos); err != nil {
		t.Fatal(err)
	}
	return f
}

// catchUp reads until the stream has drained what the server logged.
func (f *follower) catchUp() {
	f.t.Helper()
	for i := 0; i < 20; i++ {
		b, err := f.st.Read(context.Background(), 100*time.Millisecond, 10000)
		if err != nil {
			f.t.Fatal(err)
		}
		for _, tc := range b.Tables {
			f.reshaped = f.reshaped || tc.Reshaped
			f.truncated = f.truncated || tc.Truncated
			if tc.Changes == nil {
				continue
			}
			n := len(f.ref.Fields)
			for r := 0; r < int(tc.Changes.NumRows()); r++ {
				f.ops = append(f.ops, tc.Changes.Column(n).ValueStr(r)+" "+tc.Changes.Column(0).ValueStr(r))
				row := make([]string, n)
				for i := range row {
					row[i] = tc.Changes.Column(i).ValueStr(r)
				}
				if f.rows == nil {
					f.rows = map[string][]string{}
				}
				f.rows[row[0]] = row
			}
			tc.Changes.Release()
		}
		f.pos = b.Position
		if !b.Drained.IsZero() && b.Transactions == 0 {
			return
		}
	}
}

// TestStreamEdgeCases: what the binary log carries in unusual forms is
// applied, or sends the table to be read again, never lost or mangled.
func TestStreamEdgeCases(t *testing.T) {
	m := testenv.StartPrivateMariaDB(t)
	testenv.MariaDBExec(t, m.DSN(""), "CREATE DATABASE cdc")
	dsn := m.DSN("cdc")
	ctx := context.Background()
	c, err := Open(ctx, configFor(t, dsn), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	table := func(name string) {
		execAll(t, dsn, "CREATE TABLE "+name+" (id int PRIMARY KEY, v int, dt datetime(1), x blob)", "INSERT INTO "+name+" (id, v) VALUES (1, 1), (2, 2)")
	}

	t.Run("xa", func(t *testing.T) {
		table("xa")
		f := follow(t, c, "xa")
		before := f.pos
		execAll(t, dsn, "XA START 'a'", "INSERT INTO xa (id) VALUES (3)", "XA END 'a'", "XA PREPARE 'a'")
		execAll(t, dsn, "INSERT INTO xa (id) VALUES (30)")
		f.catchUp() // a prepared transaction holds nothing up
		// ... but the position stays before it: a restart sees it again.
		if c, err := f.st.Compare(f.pos, before); err != nil || c != 0 {
			t.Fatalf("position %s while an XA transaction is prepared, want %s (before it): %v", f.pos, before, err)
		}
		execAll(t, dsn, "XA COMMIT 'a'", "XA START 'b'", "INSERT INTO xa (id) VALUES (4)", "XA END 'b'", "XA PREPARE 'b'", "XA ROLLBACK 'b'",
			"INSERT INTO xa (id) VALUES (5)")
		f.catchUp()
		if got := strings.Join(f.ops, ","); got != "I 30,I 3,I 5" || f.reshaped {
			t.Fatalf("XA: %q (reshaped %v), want the committed one only", got, f.reshaped)
		}
	})
	t.Run("truncate with options", func(t *testing.T) {
		table("tr")
		f := follow(t, c, "tr")
		execAll(t, dsn, "TRUNCATE TABLE tr WAIT 5 /* why */")
		f.catchUp()
		if !f.truncated {
			t.Fatal("TRUNCATE TABLE tr WAIT 5 was not applied")
		}
	})
	for _, tc := range []struct{ name, set string }{
		{"statement format", "SET SESSION binlog_format = 'STATEMENT'"},
		{"minimal row image", "SET SESSION binlog_row_image = 'MINIMAL'"},
		{"noblob row image", "SET SESSION binlog_row_image = 'NOBLOB'"},
		{"invalid date", "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := strings.ReplaceAll(tc.name, " ", "_")
			table(name)
			f := follow(t, c, name)
			stmt := "UPDATE " + name + " SET v = 10 WHERE id = 1"
			if tc.name == "invalid date" {
				stmt = "UPDATE " + name + " SET dt = '2021-02-30 10:00:00.5' WHERE id = 1"
			}
			execAll(t, dsn, tc.set, stmt)
			f.catchUp()
			if !f.reshaped || len(f.ops) != 0 {
				t.Fatalf("%s: changes %v, reshaped %v: want the table read again", tc.name, f.ops, f.reshaped)
			}
		})
	}
	t.Run("invalid date as text", func(t *testing.T) {
		// Held as text, an invalid DATETIME is kept as stored.
		table("dtt")
		execAll(t, dsn, "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'", "UPDATE dtt SET dt = '2021-00-00 10:00:00.5' WHERE id = 2")
		f := follow(t, c, "dtt", "dt")
		execAll(t, dsn, "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'", "UPDATE dtt SET dt = '2021-02-30 10:00:00.5' WHERE id = 1")
		f.catchUp()
		scan := scanRows(t, c, connectors.ScanRequest{Schema: "cdc", Table: "dtt", AsText: map[string]string{"dt": ""}}, f.ref.Fields)
		if f.reshaped || len(f.ops) != 1 || scan["1"][2] != "2021-02-30 10:00:00.5" || f.rows["1"][2] != scan["1"][2] {
			t.Fatalf("changes %v %v, reshaped %v, scan %v", f.ops, f.rows["1"], f.reshaped, scan["1"])
		}
	})
	t.Run("resume after a log reset", func(t *testing.T) {
		table("rs")
		f := follow(t, c, "rs")
		execAll(t, dsn, "INSERT INTO rs (id) VALUES (3)", "INSERT INTO rs (id) VALUES (4)", "INSERT INTO rs (id) VALUES (5)")
		f.catchUp()
		f.st.Close()
		execAll(t, dsn, "RESET MASTER", "INSERT INTO rs (id) VALUES (6)")
		st, err := c.OpenStream(ctx, "hdtest_edges")
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := st.Track(ctx, f.ref); err != nil {
			t.Fatal(err)
		}
		if err := st.Activate(f.ref, f.pos); err == nil || !strings.Contains(err.Error(), "cannot resume") {
			t.Fatalf("resumed at %s after RESET MASTER: %v", f.pos, err)
		}
	})
	t.Run("resume across a reorder", func(t *testing.T) {
		table("ro")
		f := follow(t, c, "ro")
		f.st.Close()
		execAll(t, dsn, "ALTER TABLE ro MODIFY v int AFTER dt")
		st, err := c.OpenStream(ctx, "hdtest_edges")
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := st.Track(ctx, f.ref); err != nil {
			t.Fatal(err)
		}
		if err := st.Activate(f.ref, f.pos); err == nil || !strings.Contains(err.Error(), "cannot resume") {
			t.Fatalf("resumed with columns in another order: %v", err)
		}
	})
	t.Run("cascading foreign key", func(t *testing.T) {
		execAll(t, dsn, "CREATE TABLE parent (id int PRIMARY KEY)", "CREATE TABLE child (id int PRIMARY KEY, p int, FOREIGN KEY (p) REFERENCES parent (id) ON DELETE CASCADE)")
		st, err := c.OpenStream(ctx, "hdtest_edges")
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := st.Track(ctx, connectors.StreamTable{Schema: "cdc", Table: "child", Key: []string{"id"}}); !errors.Is(err, connectors.ErrCDCUnsupported) || !strings.Contains(err.Error(), "cascading") {
			t.Fatalf("a child of ON DELETE CASCADE: %v", err)
		}
	})
	t.Run("retyped during the first read", func(t *testing.T) {
		table("rt")
		st, err := c.OpenStream(ctx, "hdtest_edges")
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		ref := connectors.StreamTable{Schema: "cdc", Table: "rt", Key: []string{"id"}}
		if _, err := st.Track(ctx, ref); err != nil {
			t.Fatal(err)
		}
		sc, pos, err := st.SnapshotScan(ctx, connectors.ScanRequest{Schema: "cdc", Table: "rt"})
		if err != nil {
			t.Fatal(err)
		}
		ref.Fields = sc.Schema().Fields()
		sc.Release()
		execAll(t, dsn, "ALTER TABLE rt MODIFY v bigint")
		if err := st.Activate(ref, pos); err != nil {
			t.Fatalf("a table retyped during its first read fails the stream: %v", err)
		}
		b, err := st.Read(ctx, 100*time.Millisecond, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Tables) != 1 || !b.Tables[0].Reshaped {
			t.Fatalf("the retyped table is not sent to be read again: %+v", b.Tables)
		}
	})
}
