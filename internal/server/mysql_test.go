package server_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// registerMySQL runs stmts in a fresh MariaDB database and registers it
// as connection name; it returns the database name (the schema).
func registerMySQL(t *testing.T, h *hdtest.Harness, name string, stmts ...string) string {
	t.Helper()
	dsn := testenv.MySQL(t)
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%.80s: %v", s, err)
		}
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(cfg.Addr, ":")
	h.API("POST", "/v1/connections", map[string]any{"name": name, "source_type": "mysql",
		"config": map[string]any{"host": host, "port": atoiOr(port, 3306), "user": cfg.User, "database": cfg.DBName, "tls": "disable"}},
		http.StatusCreated)
	return cfg.DBName
}

func atoiOr(s string, def int) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int(c-'0')
	}
	if s == "" {
		return def
	}
	return n
}

// TestMySQLTypeRoundTrip: every MariaDB type reads through Hotdata (from
// the cache) as the value written, printed as PostgreSQL prints the type
// Hotdata serves it as.
func TestMySQLTypeRoundTrip(t *testing.T) {
	h := hdtest.Start(t)
	registerMySQL(t, h, "my",
		`SET SESSION sql_mode = ''`,
		`SET SESSION time_zone = '+02:00'`,
		`CREATE TABLE rt (
			id int PRIMARY KEY, b tinyint(1), ti tinyint, tu tinyint unsigned, si smallint, su smallint unsigned,
			mi mediumint, i int, iu int unsigned, bi bigint, bu bigint unsigned, y year,
			bt1 bit(1), bt bit(12), d decimal(38,10), dz decimal(5,0), f float, db double,
			c char(4), vc varchar(12), tx text, e enum('a','b ✓'), st set('x','y'), j json,
			bin varbinary(8), bl blob, dt date, dtm datetime(6), ts timestamp(3) NULL, tm time(6))`,
		`INSERT INTO rt VALUES
			(1, 1, -128, 255, -32768, 65535, -8388608, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, 1901,
			 b'1', b'101010101010', -1234567890123456789012345678.0123456789, -99999, -1.5, -1.7976931348623157e308,
			 'ab', 'twelve chars', 'ünïcode "quoted" \\ back', 'b ✓', 'x,y', '{"a": [1, {"b": null}], "ü": "✓"}',
			 x'00ff10', x'deadbeef', '1000-01-01', '1000-01-01 00:00:00.000001', '1970-01-01 02:00:01.001', '00:00:00'),
			(2, 0, 127, 0, 32767, 0, 8388607, 2147483647, 0, 9223372036854775807, 0, 2155,
			 b'0', b'0', 1234567890123456789012345678.0123456789, 0, 3.25, 0.1,
			 '', '', '', 'a', '', '[]',
			 x'', x'', '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 05:14:07.999', '23:59:59.999999'),
			(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
			 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`)
	want := [][]string{
		{"1", "t", "-128", "255", "-32768", "65535", "-8388608", "-2147483648", "4294967295", "-9223372036854775808", "18446744073709551615", "1901",
			"t", "2730", "-1234567890123456789012345678.0123456789", "-99999", "-1.5", "-1.7976931348623157e+308",
			"ab", "twelve chars", `ünïcode "quoted" \ back`, "b ✓", "x,y", `{"a": [1, {"b": null}], "ü": "✓"}`,
			`\x00ff10`, `\xdeadbeef`, "1000-01-01", "1000-01-01 00:00:00.000001", "1970-01-01 00:00:01.001+00", "00:00:00"},
		{"2", "f", "127", "0", "32767", "0", "8388607", "2147483647", "0", "9223372036854775807", "0", "2155",
			"f", "0", "1234567890123456789012345678.0123456789", "0", "3.25", "0.1",
			"", "", "", "a", "", "[]",
			`\x`, `\x`, "9999-12-31", "9999-12-31 23:59:59.999999", "2038-01-19 03:14:07.999+00", "23:59:59.999999"},
		{"3", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>",
			"<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>", "<NULL>",
			"<NULL>", "<NULL>", "<NULL>", "<NULL>"},
	}
	cols, got := textRows(t, h.PGURL(testToken, "default", "disable"), "SELECT * FROM my.rt ORDER BY id")
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("row %d column %s: got %q, want %q", i+1, cols[j], got[i][j], want[i][j])
			}
		}
	}
}

// TestMySQLCatalogTypes: the emulated catalog describes MySQL columns as
// the types Hotdata serves them as, matching what queries return.
func TestMySQLCatalogTypes(t *testing.T) {
	h := hdtest.Start(t)
	registerMySQL(t, h, "my", `CREATE TABLE t (b tinyint(1), bu bigint unsigned, iu int unsigned, ts timestamp NULL, dt datetime(3),
		vc varchar(12), c char(4), j json, d decimal(12,2), bl blob)`)
	_, rows := textRows(t, h.PGURL(testToken, "default", "disable"),
		`SELECT a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
		 JOIN pg_catalog.pg_class c ON c.oid = a.attrelid WHERE c.relname = 't' AND a.attnum > 0 ORDER BY a.attnum`)
	var got []string
	for _, r := range rows {
		got = append(got, r[0])
	}
	want := "b boolean|bu numeric(20,0)|iu bigint|ts timestamp with time zone|dt timestamp(3) without time zone|vc character varying(12)|c text|j json|d numeric(12,2)|bl bytea"
	if strings.Join(got, "|") != want {
		t.Fatalf("catalog types:\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
}

// TestMySQLValuesKeptOrRefused: MySQL values at the edges of the types
// Hotdata serves them as read back exactly; a column holding values
// those types cannot (zero dates, TIME past 24:00:00, a tinyint(1) that
// is not 0 or 1, a BIT(64) past 2^63-1) is refused when read, naming
// why, where it used to read them as NULL, true or a negative number.
func TestMySQLValuesKeptOrRefused(t *testing.T) {
	h := hdtest.Start(t)
	registerMySQL(t, h, "my",
		`SET SESSION sql_mode = ''`,
		`CREATE TABLE edges (id int PRIMARY KEY, bu bigint unsigned, dw decimal(65,30), b bit(64), y year, f float, db double,
			tm time(6), d date, dt datetime(6), flag tinyint(1))`,
		// MariaDB prints a negative zero as 0, as Hotdata then does.
		`INSERT INTO edges VALUES
			(1, 18446744073709551615, -99999999999999999999999999999999999.999999999999999999999999999999, b'111', 0, -0.0, -0.0,
			 '24:00:00', '1000-01-01', '9999-12-31 23:59:59.999999', 1),
			(2, 9223372036854775808, 0.000000000000000000000000000001, 0x7FFFFFFFFFFFFFFF, 2155, 3.4028234e38, 5e-324,
			 '00:00:00', '9999-12-31', '1000-01-01 00:00:00', 0)`,
		`CREATE TABLE legacy (id int PRIMARY KEY, d date, dt datetime, tm time, flag tinyint(1), b bit(64), ok int)`,
		`INSERT INTO legacy VALUES (1, '0000-00-00', '2024-02-30 00:00:00', '838:59:59', 2, 0xFFFFFFFFFFFFFFFF, 7),
			(2, '2024-01-01', '2024-01-01 00:00:00', '-00:00:01', 0, 0, 8)`)
	url := cachedURL(h)
	_, got := textRows(t, url, "SELECT * FROM my.edges ORDER BY id")
	want := [][]string{
		{"1", "18446744073709551615", "-99999999999999999999999999999999999.999999999999999999999999999999", "7", "0", "0", "0",
			"24:00:00", "1000-01-01", "9999-12-31 23:59:59.999999", "t"},
		{"2", "9223372036854775808", "0.000000000000000000000000000001", "9223372036854775807", "2155", "3.4028235e+38", "5e-324",
			"00:00:00", "9999-12-31", "1000-01-01 00:00:00", "f"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("edges:\n got %q\nwant %q", got, want)
	}
	for col, reason := range map[string]string{"d": "zero or invalid dates", "dt": "zero or invalid dates", "tm": "TIME values outside 00:00:00 to 24:00:00",
		"flag": "tinyint(1) values other than 0 and 1", "b": "BIT values above 2^63-1"} {
		refused(t, h, "SELECT "+col+" FROM my.legacy", fmt.Sprintf("column %q of legacy is not in the cache", col), reason)
	}
	if _, got := textRows(t, url, "SELECT id, ok FROM my.legacy ORDER BY id"); fmt.Sprint(got) != "[[1 7] [2 8]]" {
		t.Errorf("the other columns of legacy: %q", got)
	}
}
