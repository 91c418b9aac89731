package attack

import (
	"fmt"
	"strings"
	"testing"
)

const valCols = `id int primary key,
	e1 enum('a\\b','c,d','it''s','ünï','"q"','x y','') NULL,
	s1 set('a\\b','ünï','it''s','z') NULL,
	b1 bit(1), b2 bit(2), b7 bit(7), b8 bit(8), b9 bit(9), b63 bit(63), b64 bit(64),
	d1 decimal(1,0), d2 decimal(5,2), d3 decimal(38,0), d4 decimal(38,38), d5 decimal(65,30), d6 decimal(10,10), d7 decimal(20,5) unsigned,
	t0 time, t1 time(1), t3 time(3), t6 time(6),
	dt0 datetime, dt1 datetime(1), dt3 datetime(3), dt6 datetime(6),
	ts0 timestamp NULL, ts2 timestamp(2) NULL, ts6 timestamp(6) NULL,
	da date, y year,
	c1 char(6), cl char(6) CHARACTER SET latin1, c3 char(6) CHARACTER SET utf8mb3, ca varchar(6) CHARACTER SET ascii,
	bn binary(4), vbn varbinary(6), tl tinytext CHARACTER SET latin1,
	j json, f float, fd double, bo tinyint(1), tu tinyint unsigned, mu mediumint unsigned, m mediumint`

var valRows = []string{
	// native-safe values
	`(1, 'a\\b', 'a\\b,ünï', b'1', b'10', b'1111111', b'11111111', b'111111111', b'111111111111111111111111111111111111111111111111111111111111111', b'0111111111111111111111111111111111111111111111111111111111111111',
	  -9, -999.99, 99999999999999999999999999999999999999, 0.99999999999999999999999999999999999999, -12345678901234567890123456789012345.123456789012345678901234567890, -0.0000000001, 123456789012345.12345,
	  '00:00:00', '23:59:59.0', '12:00:00.100', '00:00:00.000000',
	  '2020-01-01 00:00:00', '2020-01-01 00:00:00.0', '2020-01-01 00:00:00.120', '2020-01-01 00:00:00.000001',
	  '2020-06-01 12:00:00', '2020-06-01 12:00:00.10', '2038-01-19 03:14:07.000000',
	  '0001-01-01', 0,
	  'ab   ', CONVERT(x'80819fa0ff20' USING latin1), 'ü  ', 'x  ', x'61000000', x'000000', CONVERT(x'e9e8' USING latin1),
	  '{"a":1}', 1e20, 1e-300, 1, 0, 0, -1)`,
	`(2, 'c,d', '', b'0', b'01', b'0', b'10000000', b'100000000', b'0', b'0', 0, 0, 0, 0, 0, 0, 0,
	  '24:00:00', '00:00:00.5', '01:02:03.004', '23:59:59.999999',
	  '9999-12-31 23:59:59', '2020-01-01 00:00:00.9', '1000-01-01 00:00:00.001', '1000-01-01 00:00:00',
	  '1970-01-01 00:00:01', '1970-01-01 00:00:01.01', '1970-01-01 00:00:01.000001',
	  '2024-02-29', 1901,
	  '', '', '', '', x'00000000', '', '',
	  '"s"', 3.40282e38, 2.2250738585072014e-308, 0, 255, 16777215, -8388608)`,
	`(3, 'it''s', 'it''s', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, '[1, 2]', 0.1, 0.1, NULL, NULL, NULL, NULL)`,
	`(4, 'ünï', 'ünï,z', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  'a', NULL, NULL, NULL, NULL, NULL, NULL, NULL, -0.0, -0.0, NULL, NULL, NULL, NULL)`,
	`(5, '"q"', 'z', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1.17549435e-38, 4.9e-324, NULL, NULL, NULL, NULL)`,
	`(6, 'x y', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 16777217, 123456789.123456789, NULL, NULL, NULL, NULL)`,
	`(7, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1e-45, 1e308, NULL, NULL, NULL, NULL)`,
}

// values only a text-held column reads
var textRows = []string{
	`(101, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, b'1111111111111111111111111111111111111111111111111111111111111111', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  '-00:00:00.5', '-838:59:59.0', '-01:00:00.001', '-00:00:01.000001',
	  '0000-00-00 00:00:00', '0000-00-00 00:00:00.0', '2021-02-30 10:00:00.120', '2021-00-00 00:00:00.000000',
	  '0000-00-00 00:00:00', '0000-00-00 00:00:00.00', NULL,
	  '0000-00-00', NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 2, NULL, NULL, NULL)`,
	`(102, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  '838:59:59', '100:00:00.1', '-00:00:00.000', '-00:00:00.100000',
	  '2021-02-30 00:00:00', '2021-04-31 00:00:00.5', '2021-02-29 10:00:00.000', NULL,
	  NULL, NULL, NULL,
	  '2021-02-30', NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, -3, NULL, NULL, NULL)`,
}

var valColNames = []string{"e1", "s1", "b1", "b2", "b7", "b8", "b9", "b63", "b64", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "t0", "t1", "t3", "t6",
	"dt0", "dt1", "dt3", "dt6", "ts0", "ts2", "ts6", "da", "y", "c1", "cl", "c3", "ca", "bn", "vbn", "tl", "j", "f", "fd", "bo", "tu", "mu", "m"}

func TestValues(t *testing.T) {
	h := newHarness(t)
	h.exec("CREATE TABLE vn ("+valCols+")", "CREATE TABLE vt ("+valCols+")")
	all := map[string]string{}
	for _, c := range valColNames {
		all[c] = ""
	}
	f := h.newFollower("hd")
	vn := f.join(tbl{"cdc", "vn", []string{"id"}, nil})
	vt := f.join(tbl{"cdc", "vt", []string{"id"}, all})
	f.catchUp()
	for _, r := range valRows {
		if err := h.tryExec("INSERT INTO vn VALUES " + r); err != nil {
			t.Errorf("vn: %v", err)
		}
	}
	for _, r := range append(append([]string{}, valRows...), textRows...) {
		if err := h.tryExec("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'", "INSERT INTO vt VALUES "+r); err != nil {
			t.Errorf("vt: %v", err)
		}
	}
	f.catchUp()
	for _, v := range []*view{vn, vt} {
		t.Logf("%s: reshaped %d, rows %d", v.t.table, v.reshaped, len(v.rows))
		if d := f.check(v); d != "" {
			for _, line := range strings.Split(d, "\n") {
				t.Errorf("%s: %s", v.t.table, explain(v, line))
			}
		}
	}
	// Updates of those rows (the U path), then deletes.
	h.exec("UPDATE vn SET id = id + 1000", "UPDATE vt SET id = id + 1000")
	f.catchUp()
	for _, v := range []*view{vn, vt} {
		if d := f.check(v); d != "" {
			t.Errorf("%s after update:\n%.3000s", v.t.table, d)
		}
	}
}

// explain narrows a "row" diff to the differing columns.
func explain(v *view, line string) string {
	if !strings.HasPrefix(line, "row ") {
		return line
	}
	i := strings.Index(line, "stream [")
	j := strings.Index(line, "], scan [")
	if i < 0 || j < 0 {
		return line
	}
	return line[:i] + fmt.Sprint("(raw) ") + line[i:]
}
