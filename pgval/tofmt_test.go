package pgval

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/internal/testenv"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// fmtCase is one call of to_char, to_date, to_timestamp or to_number
// with PostgreSQL 15's answer: the result text, "<NULL>", or
// "ERROR <SQLSTATE>: <message>".
type fmtCase struct {
	fn     string // see fmtCase.sql
	tz     string // session TimeZone ("" is UTC)
	in     string
	format string
	want   string
}

// Constructors keep the tables short.
func tsCase(in, format, want string) fmtCase { return fmtCase{"ts", "", in, format, want} }
func tstzCase(tz, in, format, want string) fmtCase {
	return fmtCase{"tstz", tz, in, format, want}
}
func ivCase(in, format, want string) fmtCase { return fmtCase{"iv", "", in, format, want} }

// numCase is to_char of numeric, int4, int8, float4 or float8.
func numCase(typ, in, format, want string) fmtCase { return fmtCase{typ, "", in, format, want} }
func toDateCase(in, format, want string) fmtCase   { return fmtCase{"to_date", "", in, format, want} }
func toTSCase(tz, in, format, want string) fmtCase {
	return fmtCase{"to_timestamp", tz, in, format, want}
}
func toNumCase(in, format, want string) fmtCase { return fmtCase{"to_number", "", in, format, want} }

// sql is the query computing a case from text parameters $1 and $2.
func (c fmtCase) sql() string {
	switch c.fn {
	case "ts":
		return "SELECT to_char($1::text::timestamp, $2)"
	case "tstz":
		return "SELECT to_char($1::text::timestamptz, $2)"
	case "iv":
		return "SELECT to_char($1::text::interval, $2)"
	case "numeric", "int4", "int8", "float4", "float8":
		return "SELECT to_char($1::text::" + c.fn + ", $2)"
	case "to_date":
		return "SELECT to_date($1, $2)::text"
	case "to_timestamp":
		return "SELECT (extract(epoch FROM to_timestamp($1, $2)) * 1000000)::numeric(30, 0)::text"
	case "to_number":
		return "SELECT to_number($1, $2)::text"
	}
	panic("unknown case kind " + c.fn)
}

func (c fmtCase) zone() string {
	if c.tz == "" {
		return "UTC"
	}
	return c.tz
}

func (c fmtCase) String() string {
	return fmt.Sprintf("%s(%q, %q) tz=%s", c.fn, c.in, c.format, c.zone())
}

// eval computes a case with this package.
func (c fmtCase) eval() (string, error) {
	loc, err := LoadZone(c.zone())
	if err != nil {
		return "", err
	}
	null := func(s string, isNull bool, err error) (string, error) {
		if isNull && err == nil {
			return "<NULL>", nil
		}
		return s, err
	}
	switch c.fn {
	case "ts":
		us, err := ParseTimestamp(c.in, DefaultStyle, nil)
		if err != nil {
			return "", err
		}
		return null(FormatTimestamp(us, c.format, "", 0, false))
	case "tstz":
		us, err := ParseTimestamptz(c.in, DefaultStyle, nil)
		if err != nil {
			return "", err
		}
		secs, _ := floorDivMod(us, USecsPerSec)
		abbr, off := time.Unix(secs, 0).In(loc).Zone()
		return null(FormatTimestamp(UTCToLocal(us, loc), c.format, abbr, off, true))
	case "iv":
		iv, err := ParseInterval(c.in, DefaultStyle)
		if err != nil {
			return "", err
		}
		return null(FormatInterval(iv, c.format))
	case "numeric":
		n, err := ParseNumeric(c.in)
		if err != nil {
			return "", err
		}
		return FormatNumeric(n, c.format)
	case "int4", "int8":
		bits := 32
		if c.fn == "int8" {
			bits = 64
		}
		v, err := ParseInt(c.in, bits)
		if err != nil {
			return "", err
		}
		return FormatInt(v, bits, c.format)
	case "float4", "float8":
		bits := 32
		if c.fn == "float8" {
			bits = 64
		}
		f, err := ParseFloat(c.in, bits)
		if err != nil {
			return "", err
		}
		return FormatFloat(f, bits, c.format)
	case "to_date":
		d, err := ToDate(c.in, c.format)
		if err != nil {
			return "", err
		}
		return string(AppendDate(nil, d, DefaultStyle)), nil
	case "to_timestamp":
		us, err := ToTimestampFormat(c.in, c.format, loc)
		if err != nil {
			return "", err
		}
		return strconv.FormatInt(us, 10), nil
	case "to_number":
		n, isNull, err := ToNumber(c.in, c.format)
		if err != nil || isNull {
			return null("", isNull, err)
		}
		return n.String(), nil
	}
	return "", fmt.Errorf("unknown case kind %s", c.fn)
}

// outcome renders a result or error the way the tables hold it.
func outcome(s string, err error) string {
	if err == nil {
		return s
	}
	if e := pgerr.As(err); e != nil {
		return "ERROR " + e.Code + ": " + e.Message
	}
	return "ERROR: " + err.Error()
}

// errorDetail is the detail and hint of an error, for the comparison
// with a live server.
func errorDetail(err error) string {
	if e := pgerr.As(err); e != nil {
		return e.Detail + "|" + e.Hint
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Detail + "|" + pe.Hint
	}
	return ""
}

func allFmtCases() []fmtCase {
	var all []fmtCase
	all = append(all, toCharTimestampCases...)
	all = append(all, toCharIntervalCases...)
	all = append(all, toCharNumberCases...)
	all = append(all, toDateCases...)
	all = append(all, toTimestampCases...)
	all = append(all, toNumberCases...)
	return all
}

// TestFormattingCases checks every case against the answer recorded
// from PostgreSQL 15.
func TestFormattingCases(t *testing.T) {
	for _, c := range allFmtCases() {
		if got := outcome(c.eval()); got != c.want {
			t.Errorf("%v\n got: %q\nwant: %q", c, got, c.want)
		}
	}
}

// TestFormattingPostgres runs the cases on a PostgreSQL server (see
// internal/testenv: HOTDATA_TEST_POSTGRES_URL or 127.0.0.1:5432; with
// HOTDATA_TEST_REQUIRE_SERVICES=1 a missing server fails the test) and
// compares results, messages, details and hints. The recorded answers are
// those of PostgreSQL 15; other versions are only compared with them when
// their answer differs from ours. HOTDATA_TOFMT_DUMP=file writes the
// server's answers as table rows, to refresh the tables.
func TestFormattingPostgres(t *testing.T) {
	url := testenv.PostgresServer(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	var version int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		t.Fatal(err)
	}
	for _, set := range []string{"SET DateStyle = 'ISO, MDY'", "SET lc_time = 'C'", "SET lc_numeric = 'C'", "SET lc_monetary = 'C'", "SET extra_float_digits = 1"} {
		if _, err := conn.Exec(ctx, set); err != nil {
			t.Fatalf("%s: %v", set, err)
		}
	}
	var dump strings.Builder
	zone := ""
	for _, c := range allFmtCases() {
		if c.zone() != zone {
			zone = c.zone()
			set := "SET TimeZone = '" + zone + "'"
			if secs, ok := strings.CutPrefix(zone, "hdfixed:"); ok {
				set = "SET TIME ZONE INTERVAL '" + secs + " seconds'"
			}
			if _, err := conn.Exec(ctx, set); err != nil {
				t.Fatalf("set time zone %s: %v", zone, err)
			}
		}
		var res *string
		pgErr := conn.QueryRow(ctx, c.sql(), c.in, c.format).Scan(&res)
		pgOut := "<NULL>"
		if pgErr != nil {
			var pe *pgconn.PgError
			if !errors.As(pgErr, &pe) {
				t.Fatalf("%v: %v", c, pgErr)
			}
			pgOut = "ERROR " + pe.Code + ": " + pe.Message
		} else if res != nil {
			pgOut = *res
		}
		fmt.Fprintf(&dump, "%s\n", c.goLiteral(pgOut))
		got, goErr := c.eval()
		if o := outcome(got, goErr); o != pgOut {
			t.Errorf("%v\n  go: %q\n  pg: %q", c, o, pgOut)
		} else if pgErr != nil && errorDetail(goErr) != errorDetail(pgErr) {
			t.Errorf("%v detail|hint\n  go: %q\n  pg: %q", c, errorDetail(goErr), errorDetail(pgErr))
		}
		if version/10000 == 15 && pgOut != c.want {
			t.Errorf("%v: PostgreSQL 15 answers %q, the table %q", c, pgOut, c.want)
		}
	}
	if path := os.Getenv("HOTDATA_TOFMT_DUMP"); path != "" {
		if err := os.WriteFile(path, []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// goLiteral writes a case as a table row with the given answer.
func (c fmtCase) goLiteral(want string) string {
	q := strconv.Quote
	switch c.fn {
	case "ts":
		return fmt.Sprintf("tsCase(%s, %s, %s),", q(c.in), q(c.format), q(want))
	case "tstz":
		return fmt.Sprintf("tstzCase(%s, %s, %s, %s),", q(c.tz), q(c.in), q(c.format), q(want))
	case "iv":
		return fmt.Sprintf("ivCase(%s, %s, %s),", q(c.in), q(c.format), q(want))
	case "to_date":
		return fmt.Sprintf("toDateCase(%s, %s, %s),", q(c.in), q(c.format), q(want))
	case "to_timestamp":
		return fmt.Sprintf("toTSCase(%s, %s, %s, %s),", q(c.tz), q(c.in), q(c.format), q(want))
	case "to_number":
		return fmt.Sprintf("toNumCase(%s, %s, %s),", q(c.in), q(c.format), q(want))
	}
	return fmt.Sprintf("numCase(%s, %s, %s, %s),", q(c.fn), q(c.in), q(c.format), q(want))
}

var toDateCases = []fmtCase{
	toDateCase("05 Dec 2000", "DD Mon YYYY", "2000-12-05"),
	toDateCase("2000-12-05", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("20001205", "YYYYMMDD", "2000-12-05"),
	toDateCase("2000/12/05", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000 12 05", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000--12--05", "YYYY-MM-DD", "ERROR 22008: date/time field value out of range: \"2000--12--05\""),
	toDateCase("  2000-12-05", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000-12-05   ", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000-12-5", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000-1-5", "YYYY-MM-DD", "2000-01-05"),
	toDateCase("2000-December-05", "YYYY-Month-DD", "2000-12-05"),
	toDateCase("december 5, 2000", "Month DD, YYYY", "2000-12-05"),
	toDateCase("DECEMBER 05 2000", "MONTH DD YYYY", "2000-12-05"),
	toDateCase("Tue 05 Dec 2000", "Dy DD Mon YYYY", "2000-12-05"),
	toDateCase("Tuesday 05 Dec 2000", "Day DD Mon YYYY", "2000-12-05"),
	toDateCase("Mon 05 Dec 2000", "Dy DD Mon YYYY", "2000-12-05"),
	toDateCase("2000 XII 05", "YYYY RM DD", "2000-12-05"),
	toDateCase("2000 xii 05", "YYYY rm DD", "2000-12-05"),
	toDateCase("2000 IV 05", "YYYY RM DD", "2000-04-05"),
	toDateCase("2000 VIII 05", "YYYY RM DD", "2000-08-05"),
	toDateCase("2000 V 05", "YYYY RM DD", "2000-05-05"),
	toDateCase("2000 IX 05", "YYYY RM DD", "2000-09-05"),
	toDateCase("2000 XIII 05", "YYYY RM DD", "ERROR 22007: invalid value \"I \" for \"DD\""),
	toDateCase("2000-12-05", "FXYYYY-MM-DD", "2000-12-05"),
	toDateCase("2000 12 05", "FXYYYY-MM-DD", "2000-12-05"),
	toDateCase("2000  12-05", "FXYYYY MM-DD", "2000-12-05"),
	toDateCase("2000-1-05", "FXYYYY-MM-DD", "2000-01-05"),
	toDateCase("2000-12-5", "FXYYYY-MM-DD", "2000-12-05"),
	toDateCase(" 2000-12-05", "FXYYYY-MM-DD", "2000-12-05"),
	toDateCase("2000-12-05", "YYYY-FXMM-DD", "2000-12-05"),
	toDateCase("2000 - 12 - 05", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000---12", "YYYY-MM", "ERROR 22007: invalid value \"--\" for \"MM\""),
	toDateCase("2000-12", "YYYY MM", "2000-12-01"),
	toDateCase("2000  12", "YYYY MM", "2000-12-01"),
	toDateCase("2000x12", "YYYYxMM", "2000-12-01"),
	toDateCase("2000x12", "YYYY MM", "ERROR 22007: invalid value \"x1\" for \"MM\""),
	toDateCase("2000 12", "YYYYxMM", "2000-12-01"),
	toDateCase("2011 12 18", "YYYY  MM  DD", "2011-12-18"),
	toDateCase("  2011 12 18", "YYYY MM DD", "2011-12-18"),
	toDateCase("2011 12 18", "  YYYY MM DD", "2011-12-18"),
	toDateCase("2011 12  18", "YYYY MM DD", "2011-12-18"),
	toDateCase("2011-12-18", "YYYY-MM-DD  ", "2011-12-18"),
	toDateCase("2011*12*18", "YYYY-MM-DD", "2011-12-18"),
	toDateCase("2011 *12* 18", "YYYY MM DD", "2011-12-18"),
	toDateCase("2011abc12", "YYYY\"abc\"MM", "2011-12-01"),
	toDateCase("2011 abc 12", "YYYY \"abc\" MM", "2011-12-01"),
	toDateCase("2011  12", "YYYY\"  \"MM", "2011-12-01"),
	toDateCase("2011x12", "YYYY\"  \"MM", "2011-02-01"),
	toDateCase("Year 2000", "\"Year\" YYYY", "2000-01-01"),
	toDateCase("Year: 2000", "\"Year:\" YYYY", "2000-01-01"),
	toDateCase("2000AD", "YYYYBC", "2000-01-01"),
	toDateCase("1997 AD 11 16", "YYYY BC MM DD", "1997-11-16"),
	toDateCase("1997 BC 11 16", "YYYY BC MM DD", "1997-11-16 BC"),
	toDateCase("1997 A.D. 11 16", "YYYY B.C. MM DD", "1997-11-16"),
	toDateCase("1997 B.C. 11 16", "YYYY B.C. MM DD", "1997-11-16 BC"),
	toDateCase("1997 bc 11 16", "YYYY bc MM DD", "1997-11-16 BC"),
	toDateCase("1997 b.c. 11 16", "YYYY a.d. MM DD", "1997-11-16 BC"),
	toDateCase("1997 XX 11 16", "YYYY BC MM DD", "ERROR 22007: invalid value \"XX\" for \"BC\""),
	toDateCase("9-1116", "Y-MMDD", "2009-11-16"),
	toDateCase("95-1116", "YY-MMDD", "1995-11-16"),
	toDateCase("995-1116", "YYY-MMDD", "1995-11-16"),
	toDateCase("0-1116", "Y-MMDD", "2000-11-16"),
	toDateCase("69-1116", "YY-MMDD", "2069-11-16"),
	toDateCase("70-1116", "YY-MMDD", "1970-11-16"),
	toDateCase("519-1116", "YYY-MMDD", "2519-11-16"),
	toDateCase("520-1116", "YYY-MMDD", "1520-11-16"),
	toDateCase("1995-1116", "YY-MMDD", "1995-11-16"),
	toDateCase("12345-1116", "YYYY-MMDD", "12345-11-16"),
	toDateCase("200401", "IYYYIW", "2003-12-29"),
	toDateCase("2005527", "YYYYIWID", "ERROR 22007: invalid combination of date conventions"),
	toDateCase("2005527", "IYYYIWID", "2006-01-01"),
	toDateCase("2005364", "IYYYIDDD", "2006-01-01"),
	toDateCase("2005 52", "IYYY IW", "2005-12-26"),
	toDateCase("2009 1 1", "IYYY IW ID", "2008-12-29"),
	toDateCase("2009 1 7", "IYYY IW ID", "2009-01-04"),
	toDateCase("2009 53 7", "IYYY IW ID", "2010-01-03"),
	toDateCase("2009 001", "IYYY IDDD", "2008-12-29"),
	toDateCase("2009 371", "IYYY IDDD", "2010-01-03"),
	toDateCase("09 10 3", "IY IW ID", "2009-03-04"),
	toDateCase("9 10 3", "I IW ID", "2009-03-04"),
	toDateCase("009 10 3", "IYY IW ID", "2009-03-04"),
	toDateCase("2009 10 Wed", "IYYY IW Dy", "2009-03-04"),
	toDateCase("2009 10", "IYYY IW", "2009-03-02"),
	toDateCase("2009 10 3", "IYYY IW D", "ERROR 22007: invalid combination of date conventions"),
	toDateCase("2000 01 05", "IYYY MM DD", "ERROR 22007: invalid combination of date conventions"),
	toDateCase("2000 01 05", "YYYY IW DD", "ERROR 22007: invalid combination of date conventions"),
	toDateCase("0000-01-01", "YYYY-MM-DD", "0001-01-01 BC"),
	toDateCase("0000 BC", "YYYY BC", "0001-01-01 BC"),
	toDateCase("0001 BC", "YYYY BC", "0001-01-01 BC"),
	toDateCase("44-03-15 BC", "YYYY-MM-DD BC", "0044-03-15 BC"),
	toDateCase("-44-01-01", "YYYY-MM-DD", "0044-01-01 BC"),
	toDateCase("-1-01-01", "YYYY-MM-DD", "0001-01-01 BC"),
	toDateCase("1-01-01 BC", "YYYY-MM-DD BC", "0001-01-01 BC"),
	toDateCase("21 05", "CC YY", "2005-01-01"),
	toDateCase("21 00", "CC YY", "2100-01-01"),
	toDateCase("20", "CC", "1901-01-01"),
	toDateCase("21", "CC", "2001-01-01"),
	toDateCase("1", "CC", "0001-01-01"),
	toDateCase("-5", "CC", "0500-01-01 BC"),
	toDateCase("5 BC", "CC BC", "0500-01-01 BC"),
	toDateCase("5 05 BC", "CC YY BC", "0405-01-01 BC"),
	toDateCase("5 00 BC", "CC YY BC", "0500-01-01 BC"),
	toDateCase("21 2005", "CC YYYY", "2005-01-01"),
	toDateCase("21 5", "CC Y", "2005-01-01"),
	toDateCase("21 105", "CC YYY", "2105-01-01"),
	toDateCase("2451545", "J", "2000-01-01"),
	toDateCase("0", "J", "0001-01-01 BC"),
	toDateCase("1", "J", "4714-11-25 BC"),
	toDateCase("-5", "J", "ERROR 22008: date out of range: \"-5\""),
	toDateCase("5373484", "J", "9999-12-31"),
	toDateCase("2147483647", "J", "ERROR 22008: date out of range: \"2147483647\""),
	toDateCase("2451545 2001", "J YYYY", "2000-01-01"),
	toDateCase("2000 60", "YYYY DDD", "2000-02-29"),
	toDateCase("2001 60", "YYYY DDD", "2001-03-01"),
	toDateCase("2001 366", "YYYY DDD", "ERROR 22008: date/time field value out of range: \"2001 366\""),
	toDateCase("2000 366", "YYYY DDD", "2000-12-31"),
	toDateCase("2000 367", "YYYY DDD", "ERROR 22008: date/time field value out of range: \"2000 367\""),
	toDateCase("60", "DDD", "ERROR 22007: cannot calculate day of year without year information"),
	toDateCase("2000 0", "YYYY DDD", "2000-01-01"),
	toDateCase("2000 -5", "YYYY DDD", "2000-01-05"),
	toDateCase("2000 60 05", "YYYY DDD MM", "2000-05-29"),
	toDateCase("2000 60 05", "YYYY DDD DD", "2000-02-05"),
	toDateCase("2000 03 60", "YYYY MM DDD", "2000-03-29"),
	toDateCase("2000 02 10 60", "YYYY MM DD DDD", "2000-02-10"),
	toDateCase("BC 60 0001", "BC DDD YYYY", "0001-02-29 BC"),
	toDateCase("1 BC 60", "YYYY BC DDD", "0001-02-29 BC"),
	toDateCase("2000 10", "YYYY WW", "2000-03-04"),
	toDateCase("2000 12 3", "YYYY MM W", "2000-12-15"),
	toDateCase("2000 53", "YYYY WW", "2000-12-30"),
	toDateCase("2000 1", "YYYY WW", "2000-01-01"),
	toDateCase("2000 12 5", "YYYY MM W", "2000-12-29"),
	toDateCase("2000 10 3", "YYYY WW D", "2000-03-04"),
	toDateCase("2000-12-05 Nov", "YYYY-MM-DD Mon", "ERROR 22007: conflicting values for \"Mon\" field in formatting string"),
	toDateCase("2000 2001", "YYYY YYYY", "ERROR 22007: conflicting values for \"YYYY\" field in formatting string"),
	toDateCase("2000 2000", "YYYY YYYY", "2000-01-01"),
	toDateCase("05 06", "DD DD", "ERROR 22007: conflicting values for \"DD\" field in formatting string"),
	toDateCase("12 Dec", "MM Mon", "0001-12-01 BC"),
	toDateCase("12 XII", "MM RM", "0001-12-01 BC"),
	toDateCase("Tue Wed", "Dy Dy", "0001-01-01 BC"),
	toDateCase("AM PM 10", "AM PM HH", "0001-01-01 BC"),
	toDateCase("2000 Foo 05", "YYYY Mon DD", "ERROR 22007: invalid value \"Foo\" for \"Mon\""),
	toDateCase("2000 Foo bar", "YYYY Month", "ERROR 22007: invalid value \"Foo\" for \"Month\""),
	toDateCase("2000 Fo", "YYYY Mon", "ERROR 22007: invalid value \"Fo\" for \"Mon\""),
	toDateCase("2000 13 05", "YYYY MM DD", "ERROR 22008: date/time field value out of range: \"2000 13 05\""),
	toDateCase("2000-02-30", "YYYY-MM-DD", "ERROR 22008: date/time field value out of range: \"2000-02-30\""),
	toDateCase("2001-02-29", "YYYY-MM-DD", "ERROR 22008: date/time field value out of range: \"2001-02-29\""),
	toDateCase("2000-02-29", "YYYY-MM-DD", "2000-02-29"),
	toDateCase("2000-00-10", "YYYY-MM-DD", "2000-01-10"),
	toDateCase("2000-12-32", "YYYY-MM-DD", "ERROR 22008: date/time field value out of range: \"2000-12-32\""),
	toDateCase("2000-12-00", "YYYY-MM-DD", "2000-12-01"),
	toDateCase("02-30", "MM-DD", "0001-03-01 BC"),
	toDateCase("2000 31", "YYYY DD", "2000-01-31"),
	toDateCase("2000 04 31", "YYYY MM DD", "ERROR 22008: date/time field value out of range: \"2000 04 31\""),
	toDateCase("xx", "YYYY", "ERROR 22007: invalid value \"xx\" for \"YYYY\""),
	toDateCase("20x0", "YYYY", "0020-01-01"),
	toDateCase("2", "YYYY", "0002-01-01"),
	toDateCase("123", "YYYYMM", "ERROR 22007: source string too short for \"YYYY\" formatting field"),
	toDateCase("99999999999", "YYYY", "ERROR 22008: value for \"YYYY\" in source string is out of range"),
	toDateCase("2147483648", "FMYYYY", "ERROR 22008: value for \"YYYY\" in source string is out of range"),
	toDateCase("2147483647", "FMYYYY", "ERROR 22008: date out of range: \"2147483647\""),
	toDateCase("-2147483648", "FMYYYY", "ERROR 22008: date out of range: \"-2147483648\""),
	toDateCase("  ", "YYYY", "ERROR 22007: invalid value \"\" for \"YYYY\""),
	toDateCase("", "YYYY", "0001-01-01 BC"),
	toDateCase("2000", "", "0001-01-01 BC"),
	toDateCase("abc", "abc", "0001-01-01 BC"),
	toDateCase("2000 3", "YYYY Q", "2000-01-01"),
	toDateCase("2000 5", "YYYY Q", "2000-01-01"),
	toDateCase("200012", "YYYYMMDD", "2000-12-01"),
	toDateCase("2000121", "YYYYMMDD", "2000-12-01"),
	toDateCase("20001", "YYYYMM", "2000-01-01"),
	toDateCase("2000 1", "YYYY MM", "2000-01-01"),
	toDateCase("2000 1st", "YYYY DDth", "2000-01-01"),
	toDateCase("1st 2000", "DDth YYYY", "2000-01-01"),
	toDateCase("5TH Dec 2000", "DDTH Mon YYYY", "2000-12-05"),
	toDateCase("2nd Dec 2000", "DDth Mon YYYY", "2000-12-02"),
	toDateCase("2000th", "YYYYth", "2000-01-01"),
	toDateCase("2000 12th", "YYYY MMth", "2000-12-01"),
	toDateCase("1,999", "Y,YYY", "1999-01-01"),
	toDateCase("2,000-01-02", "Y,YYY-MM-DD", "2000-01-02"),
	toDateCase("x", "Y,YYY", "ERROR 22007: invalid input string for \"Y,YYY\""),
	toDateCase("1,9", "Y,YYY", "1009-01-01"),
	toDateCase("1 ,999", "Y,YYY", "ERROR 22007: invalid input string for \"Y,YYY\""),
	toDateCase("1, 999", "Y,YYY", "1999-01-01"),
	toDateCase("-1,999", "Y,YYY", "0001-01-01 BC"),
	toDateCase("1,9999", "Y,YYY", "1999-01-01"),
	toDateCase("1,999 BC", "Y,YYY BC", "1999-01-01 BC"),
	toDateCase("1999", "Y,YYY", "ERROR 22007: invalid input string for \"Y,YYY\""),
	toDateCase("5874897-12-31", "YYYY-MM-DD", "5874897-12-31"),
	toDateCase("5874898-01-01", "YYYY-MM-DD", "ERROR 22008: date out of range: \"5874898-01-01\""),
	toDateCase("4714-11-23 BC", "YYYY-MM-DD BC", "ERROR 22008: date out of range: \"4714-11-23 BC\""),
	toDateCase("4714-11-24 BC", "YYYY-MM-DD BC", "4714-11-24 BC"),
	toDateCase("4713-01-01 BC", "YYYY-MM-DD BC", "4713-01-01 BC"),
	toDateCase("4715-01-01 BC", "YYYY-MM-DD BC", "ERROR 22008: date out of range: \"4715-01-01 BC\""),
	toDateCase("2000 UTC", "YYYY TZ", "ERROR 0A000: formatting field \"TZ\" is only supported in to_char"),
	toDateCase("2000 +05", "YYYY OF", "ERROR 0A000: formatting field \"OF\" is only supported in to_char"),
	toDateCase("2000 +05", "YYYY TZH", "2000-01-01"),
	toDateCase("2000", "YYYY TZ", "2000-01-01"),
	toDateCase("2000 05", "YYYY tz", "ERROR 0A000: formatting field \"tz\" is only supported in to_char"),
	toDateCase("2000 12 05 13", "YYYY MM DD HH24", "2000-12-05"),
	toDateCase("2000 Dec", "YYYY MON", "2000-12-01"),
	toDateCase("2000 dec", "YYYY Mon", "2000-12-01"),
	toDateCase("2000 DECEMBER", "YYYY mon", "2000-12-01"),
	toDateCase("2000 Decem", "YYYY Month", "ERROR 22007: invalid value \"Decem\" for \"Month\""),
	toDateCase("2000 May", "YYYY Month", "2000-05-01"),
	toDateCase("2000 Mayo", "YYYY Month", "2000-05-01"),
	toDateCase("2000 Sept", "YYYY Mon", "2000-09-01"),
	toDateCase("2000 é", "YYYY Mon", "ERROR 22007: invalid value \"é\" for \"Mon\""),
	toDateCase("é2000", "YYYY", "ERROR 22007: invalid value \"é20\" for \"YYYY\""),
	toDateCase("2000é12", "YYYYxMM", "2000-12-01"),
	toDateCase("2000é12", "YYYY MM", "ERROR 22007: invalid value \"é\" for \"MM\""),
	toDateCase("2000é12", "FXYYYYxMM", "2000-12-01"),
	toDateCase("2000é12", "FXYYYY-MM", "2000-12-01"),
	toDateCase("2000 12 05", "FXYYYY MM DD", "2000-12-05"),
	toDateCase("2000  12 05", "FXYYYY MM DD", "2000-12-05"),
	toDateCase("2000-12-05", "FX YYYY-MM-DD", "0001-12-05 BC"),
	toDateCase("2000", "fxYYYY", "2000-01-01"),
	toDateCase("2000-12-05", "yyyy-mm-dd", "2000-12-05"),
	toDateCase("2000-12-05", "YYYY-MM-DDFX", "2000-12-05"),
	toDateCase("12-2000", "MM-FXYYYY", "2000-12-01"),
	toDateCase("1 12 2000", "D MM YYYY", "2000-12-01"),
	toDateCase("8 12 2000", "D MM YYYY", "2000-12-01"),
	toDateCase("7 12 2000", "ID MM YYYY", "ERROR 22007: invalid combination of date conventions"),
	toDateCase("2000 Dec 5th", "YYYY Mon DDth", "2000-12-05"),
	toDateCase("2000 Dec 5", "YYYY Mon FMDD", "2000-12-05"),
	toDateCase("2000 Dec 5", "YYYY Mon DD", "2000-12-05"),
	toDateCase("2000Dec05", "YYYYMonDD", "2000-12-05"),
	toDateCase("Dec052000", "MonDDYYYY", "2000-12-05"),
	toDateCase("5Dec2000", "DDMonYYYY", "2000-12-05"),
	toDateCase("05Dec2000", "DDMonYYYY", "2000-12-05"),
	toDateCase("2000 10 31 Tue", "YYYY MM DD Day", "ERROR 22007: invalid value \"Tue\" for \"Day\""),
	toDateCase("2000-12-05", "YYYY MM DD", "2000-12-05"),
	toDateCase("2000.12.05", "YYYY/MM/DD", "2000-12-05"),
	toDateCase("2000:12:05", "YYYY MM DD", "2000-12-05"),
	toDateCase("2000_12_05", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000,12,05", "YYYY,MM,DD", "2000-12-05"),
	toDateCase("+2000-12-05", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000-+12-05", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000 -12 05", "YYYY MM DD", "2000-12-05"),
	toDateCase("2000-12--5", "YYYY-MM-DD", "ERROR 22008: date/time field value out of range: \"2000-12--5\""),
	toDateCase("2000-12-05", "YYYY-MM", "2000-12-01"),
	toDateCase("2000-12-05 extra", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000", "YYYY-MM-DD", "2000-01-01"),
	toDateCase("12/05/2000", "MM/DD/YYYY", "2000-12-05"),
	toDateCase("05.12.2000", "DD.MM.YYYY", "2000-12-05"),
	toDateCase("2000 12 05 12:00", "YYYY MM DD HH:MI", "2000-12-05"),
	toDateCase("2000 12 05 13:00", "YYYY MM DD HH:MI", "ERROR 22007: hour \"13\" is invalid for the 12-hour clock"),
	toDateCase("2000 12 05 00:00", "YYYY MM DD HH12:MI", "ERROR 22007: hour \"0\" is invalid for the 12-hour clock"),
	toDateCase("99999", "YYYY", "99999-01-01"),
	toDateCase("9999", "FMYYYY", "9999-01-01"),
	toDateCase("   ", "", "0001-01-01 BC"),
	toDateCase("2000 1 2 3", "YYYY MM DD W", "2000-01-15"),
	toDateCase("2000 1 2", "YYYY MM W", "2000-01-08"),
	toDateCase("2000 1 2", "YYYY WW W", "2000-01-08"),
	toDateCase("2000 0", "YYYY MM", "2000-01-01"),
	toDateCase("2000 -1", "YYYY MM", "2000-01-01"),
	toDateCase("2000 1 -1", "YYYY MM DD", "2000-01-01"),
	toDateCase("2000-12-05T", "YYYY-MM-DD", "2000-12-05"),
	toDateCase("2000 Sept 05", "YYYY Month DD", "ERROR 22007: invalid value \"Sept\" for \"Month\""),
	toDateCase("2000 September 05", "YYYY Mon DD", "ERROR 22007: invalid value \"te\" for \"DD\""),
	toDateCase("2000-12-05 25:00", "YYYY-MM-DD HH24:MI", "ERROR 22008: date/time field value out of range: \"2000-12-05 25:00\""),
	toDateCase("2000125", "YYYYMMDD", "2000-12-05"),
	toDateCase("2000-12-05", "YYYY-MM-DD HH24", "2000-12-05"),
	toDateCase("2000 xii", "YYYY RM", "2000-12-01"),
	toDateCase("2000 A.M.", "YYYY AM", "ERROR 22007: invalid value \"A.M.\" for \"AM\""),
	toDateCase("2000 am", "YYYY A.M.", "ERROR 22007: invalid value \"am\" for \"A.M.\""),
	toDateCase("2000 54", "IYYY IW", "2001-01-08"),
	toDateCase("2000 0 1", "IYYY IW ID", "2000-01-01"),
	toDateCase("-2451545", "J", "ERROR 22008: date out of range: \"-2451545\""),
	toDateCase("2000 12 0", "YYYY MM W", "2000-12-01"),
	toDateCase("05th Dec 2000", "FMDDth Mon YYYY", "2000-12-05"),
	toDateCase("05 th", "DD th", "0001-01-05 BC"),
	toDateCase("2000 12 5 th", "YYYY MM DDth", "2000-12-05"),
	toDateCase("20001205", "FMYYYYMMDD", "ERROR 22008: date out of range: \"20001205\""),
	toDateCase("2000 1205", "YYYY FMMMDD", "ERROR 22008: date/time field value out of range: \"2000 1205\""),
	toDateCase("12/5/00", "MM/DD/YY", "2000-12-05"),
	toDateCase("12/5/70", "MM/DD/YY", "1970-12-05"),
	toDateCase("Jan 1 99", "Mon DD YY", "1999-01-01"),
	toDateCase("1 2 3 4 5 6 7", "YYYY MM DD HH24 MI SS MS", "0001-02-03"),
	toDateCase("2000-12-05", "Y,YYY-MM-DD", "ERROR 22007: invalid input string for \"Y,YYY\""),
	toDateCase("2,000 1", "Y,YYY MM", "2000-01-01"),
	toDateCase("Tue Dec 05 2000", "DY MON DD YYYY", "2000-12-05"),
	toDateCase("tue dec 05 2000", "DY MON DD YYYY", "2000-12-05"),
	toDateCase("TUESDAY", "DAY", "0001-01-01 BC"),
	toDateCase("2000 366 1", "YYYY DDD ID", "ERROR 22007: invalid combination of date conventions"),
	toDateCase("2000 12 05 12 AM", "YYYY MM DD HH12 AM", "2000-12-05"),
	toDateCase("2000 12 05 AM 12", "YYYY MM DD AM HH12", "2000-12-05"),
	toDateCase("X2000", "XYYYY", "2000-01-01"),
	toDateCase("2000", "XYYYY", "0001-01-01 BC"),
	toDateCase("  2000", " YYYY", "2000-01-01"),
	toDateCase("2000/12", "YYYY/MM", "2000-12-01"),
	toDateCase("2000//12", "YYYY/MM", "ERROR 22007: invalid value \"/1\" for \"MM\""),
	toDateCase("2000 / 12", "YYYY/MM", "2000-12-01"),
	toDateCase("2000/ 12", "YYYY / MM", "2000-12-01"),
	toDateCase("2000 12", "YYYY/MM", "2000-12-01"),
	toDateCase("200012", "YYYY/MM", "200012-01-01"),
	toDateCase("2000a12", "YYYY/MM", "ERROR 22007: invalid value \"a1\" for \"MM\""),
}

var toTimestampCases = []fmtCase{
	toTSCase("", "2000-12-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "976023906000000"),
	toTSCase("", "2000-12-05 01:45:06 PM", "YYYY-MM-DD HH:MI:SS PM", "976023906000000"),
	toTSCase("", "2000-12-05 01:45:06 am", "YYYY-MM-DD HH12:MI:SS AM", "975980706000000"),
	toTSCase("", "2000-12-05 12:30 AM", "YYYY-MM-DD HH12:MI AM", "975976200000000"),
	toTSCase("", "2000-12-05 12:30 PM", "YYYY-MM-DD HH12:MI AM", "976019400000000"),
	toTSCase("", "2000-12-05 12:30 p.m.", "YYYY-MM-DD HH12:MI A.M.", "976019400000000"),
	toTSCase("", "2000-12-05 1:30 a.m.", "YYYY-MM-DD HH:MI P.M.", "975979800000000"),
	toTSCase("", "2000-12-05 13:00 PM", "YYYY-MM-DD HH:MI PM", "ERROR 22007: hour \"13\" is invalid for the 12-hour clock"),
	toTSCase("", "2000-12-05 00:30 AM", "YYYY-MM-DD HH12:MI AM", "ERROR 22007: hour \"0\" is invalid for the 12-hour clock"),
	toTSCase("", "2000-12-05 00:30", "YYYY-MM-DD HH12:MI", "ERROR 22007: hour \"0\" is invalid for the 12-hour clock"),
	toTSCase("", "2000-12-05 12:30", "YYYY-MM-DD HH:MI", "975976200000000"),
	toTSCase("", "2000-12-05 PM", "YYYY-MM-DD PM", "ERROR 22007: hour \"0\" is invalid for the 12-hour clock"),
	toTSCase("", "2000-12-05 12:30 XM", "YYYY-MM-DD HH12:MI AM", "ERROR 22007: invalid value \"XM\" for \"AM\""),
	toTSCase("", "2000-12-05 13:45 +05:30", "YYYY-MM-DD HH24:MI TZH:TZM", "976004100000000"),
	toTSCase("", "2000-12-05 13:45 -08", "YYYY-MM-DD HH24:MI TZH", "976052700000000"),
	toTSCase("", "2000-12-05 13:45-05", "YYYY-MM-DD HH24:MITZH", "976041900000000"),
	toTSCase("", "2000-12-05 13:45 -05", "YYYY-MM-DD HH24:MI TZH", "976041900000000"),
	toTSCase("", "2000-12-05 13:45 +16", "YYYY-MM-DD HH24:MI TZH", "ERROR 22009: time zone displacement out of range: \"2000-12-05 13:45 +16\""),
	toTSCase("", "2000-12-05 13:45 +15", "YYYY-MM-DD HH24:MI TZH", "975969900000000"),
	toTSCase("", "2000-12-05 13:45 +05:60", "YYYY-MM-DD HH24:MI TZH:TZM", "ERROR 22009: time zone displacement out of range: \"2000-12-05 13:45 +05:60\""),
	toTSCase("", "2000-12-05 13:45 30", "YYYY-MM-DD HH24:MI TZM", "976022100000000"),
	toTSCase("", "2000-12-05 13:45 05", "YYYY-MM-DD HH24:MI TZH", "976005900000000"),
	toTSCase("", "2000-12-05 13:45  05", "YYYY-MM-DD HH24:MI TZH", "976005900000000"),
	toTSCase("", "2000-12-05 13:45 - 05", "YYYY-MM-DD HH24:MI TZH", "976005900000000"),
	toTSCase("", "2000-12-05 13:45 -0530", "YYYY-MM-DD HH24:MI TZHTZM", "976043700000000"),
	toTSCase("", "2000-12-05 13:45 -05:30", "YYYY-MM-DD HH24:MI TZH:TZM", "976043700000000"),
	toTSCase("", "2000-12-05 13:45 -00:30", "YYYY-MM-DD HH24:MI TZH:TZM", "976025700000000"),
	toTSCase("", "2000-12-05 13:45 +05 30", "YYYY-MM-DD HH24:MI TZH TZM", "976004100000000"),
	toTSCase("", "2000-12-05 13:45 +xx", "YYYY-MM-DD HH24:MI TZH", "ERROR 22007: invalid value \"xx\" for \"TZH\""),
	toTSCase("", "13:45:06.123", "HH24:MI:SS.MS", "-62167169693877000"),
	toTSCase("", "13:45:06.1", "HH24:MI:SS.MS", "-62167169693900000"),
	toTSCase("", "13:45:06.12", "HH24:MI:SS.MS", "-62167169693880000"),
	toTSCase("", "13:45:06.1", "HH24:MI:SS.US", "-62167169693900000"),
	toTSCase("", "13:45:06.123456", "HH24:MI:SS.US", "-62167169693876544"),
	toTSCase("", "13:45:06.123456789", "HH24:MI:SS.US", "ERROR 22008: date/time field value out of range: \"13:45:06.123456789\""),
	toTSCase("", "13:45:06.1234567", "HH24:MI:SS.US", "ERROR 22008: date/time field value out of range: \"13:45:06.1234567\""),
	toTSCase("", "13:45:06.1234", "HH24:MI:SS.MS", "ERROR 22008: date/time field value out of range: \"13:45:06.1234\""),
	toTSCase("", "13:45:06.5 123", "HH24:MI:SS.MS US", "-62167169693377000"),
	toTSCase("", "12:00:00.15", "HH24:MI:SS.FF1", "-62167175999900000"),
	toTSCase("", "12:00:00.15", "HH24:MI:SS.FF2", "-62167175999850000"),
	toTSCase("", "12:00:00.12345", "HH24:MI:SS.FF3", "-62167175999877000"),
	toTSCase("", "12:00:00.1", "HH24:MI:SS.FF3", "-62167175999900000"),
	toTSCase("", "12:00:00.123456", "HH24:MI:SS.FF4", "-62167175999876500"),
	toTSCase("", "12:00:00.999999", "HH24:MI:SS.FF5", "-62167175999000000"),
	toTSCase("", "12:00:00.123456", "HH24:MI:SS.FF6", "-62167175999876544"),
	toTSCase("", "12:00:00.25", "HH24:MI:SS.FF1", "-62167175999800000"),
	toTSCase("", "1999-12-31 23:59:59.95", "YYYY-MM-DD HH24:MI:SS.FF1", "946684799900000"),
	toTSCase("", "1969-12-31 23:59:59.95", "YYYY-MM-DD HH24:MI:SS.FF1", "-100000"),
	toTSCase("", "1999-12-31 23:59:59.85", "YYYY-MM-DD HH24:MI:SS.FF1", "946684799800000"),
	toTSCase("", "1980-01-01 00:00:00.05", "YYYY-MM-DD HH24:MI:SS.FF1", "315532800000000"),
	toTSCase("", "1980-01-01 00:00:00.15", "YYYY-MM-DD HH24:MI:SS.FF1", "315532800100000"),
	toTSCase("", "3661", "SSSS", "-62167215539000000"),
	toTSCase("", "86399", "SSSSS", "-62167132801000000"),
	toTSCase("", "86400", "SSSS", "ERROR 22008: date/time field value out of range: \"86400\""),
	toTSCase("", "3661 05", "SSSS SS", "-62167215535000000"),
	toTSCase("", "2000-12-05 24:00:00", "YYYY-MM-DD HH24:MI:SS", "ERROR 22008: date/time field value out of range: \"2000-12-05 24:00:00\""),
	toTSCase("", "2000-12-05 23:60:00", "YYYY-MM-DD HH24:MI:SS", "ERROR 22008: date/time field value out of range: \"2000-12-05 23:60:00\""),
	toTSCase("", "2000-12-05 23:59:60", "YYYY-MM-DD HH24:MI:SS", "ERROR 22008: date/time field value out of range: \"2000-12-05 23:59:60\""),
	toTSCase("", "2000-12-05 -1:00", "YYYY-MM-DD HH24:MI", "975978000000000"),
	toTSCase("", "2000-12-05 13:45:06", "YYYY-MM-DD", "975974400000000"),
	toTSCase("", "13:45", "HH24:MI", "-62167169700000000"),
	toTSCase("", "1997 BC 11 16", "YYYY BC MM DD", "-125127244800000000"),
	toTSCase("", "4714-11-24 BC 00:00", "YYYY-MM-DD BC HH24:MI", "-210866803200000000"),
	toTSCase("", "4714-11-23 BC 23:59", "YYYY-MM-DD BC HH24:MI", "ERROR 22008: timestamp out of range"),
	toTSCase("", "294277-01-01 00:00:00", "YYYY-MM-DD HH24:MI:SS", "ERROR 22008: timestamp out of range"),
	toTSCase("", "5874897-12-31", "YYYY-MM-DD", "ERROR 22008: timestamp out of range"),
	toTSCase("", "2451545 12:00", "J HH24:MI", "946728000000000"),
	toTSCase("", "2000 12 05 01", "YYYY MM DD HH", "975978000000000"),
	toTSCase("", "2000 12 05 1", "YYYY MM DD HH24", "975978000000000"),
	toTSCase("", "20001205134506", "YYYYMMDDHH24MISS", "976023906000000"),
	toTSCase("", "2000120513450", "YYYYMMDDHH24MISS", "976023900000000"),
	toTSCase("", "2000-12-05T13:45:06", "YYYY-MM-DD\"T\"HH24:MI:SS", "976023906000000"),
	toTSCase("", "2000-12-05T13:45:06", "YYYY-MM-DDTHH24:MI:SS", "975974706000000"),
	toTSCase("", "2000-12-05 13:45:06Z", "YYYY-MM-DD HH24:MI:SS\"Z\"", "976023906000000"),
	toTSCase("", "05-Dec-2000 1:45:06.5 PM", "DD-Mon-YYYY HH:MI:SS.MS AM", "976023906500000"),
	toTSCase("", "2000-12-05 13:45:06 +0", "YYYY-MM-DD HH24:MI:SS TZH", "976023906000000"),
	toTSCase("", "2000-12-05 13:45 +5:30", "YYYY-MM-DD HH24:MI TZH:TZM", "976004100000000"),
	toTSCase("", "2000-12-05 1345", "YYYY-MM-DD HH24MI", "976023900000000"),
	toTSCase("", "2000-12-05 13:45 12", "YYYY-MM-DD HH24:MI HH12", "ERROR 22007: conflicting values for \"HH12\" field in formatting string"),
	toTSCase("", "2000-12-05 12:45 12", "YYYY-MM-DD HH24:MI HH12", "975977100000000"),
	toTSCase("", "2000-12-05 01:45:06.5", "YYYY-MM-DD HH:MI:SS.MS", "975980706500000"),
	toTSCase("", "2000-12-05 13:45:06", "YYYY-MM-DD HH24:MI:SS.US", "976023906000000"),
	toTSCase("", "2000-12-05 13:45:06.", "YYYY-MM-DD HH24:MI:SS.US", "976023906000000"),
	toTSCase("", "2000-12-05 13:45:06.x", "YYYY-MM-DD HH24:MI:SS.US", "ERROR 22007: invalid value \"x\" for \"US\""),
	toTSCase("", "2000-12-05 13:45:06 5", "YYYY-MM-DD HH24:MI:SS US", "976023906500000"),
	toTSCase("", "", "HH24", "-62167219200000000"),
	toTSCase("", "2000-12-05 13:45:06", "", "-62167219200000000"),
	toTSCase("", "2011-12-18 11:38 PM", "YYYY-MM-DD HH12:MI PM", "1324251480000000"),
	toTSCase("", "2011-12-18 11:38 +05", "YYYY-MM-DD HH12:MI TZH", "1324190280000000"),
	toTSCase("", "2011-12-18 11:38 -05", "YYYY-MM-DD HH12:MI TZH", "1324226280000000"),
	toTSCase("", "2011-12-18 11:38 +05:20", "YYYY-MM-DD HH12:MI TZH:TZM", "1324189080000000"),
	toTSCase("", "2011-12-18 11:38 -05:20", "YYYY-MM-DD HH12:MI TZH:TZM", "1324227480000000"),
	toTSCase("", "2011-12-18 11:38 20", "YYYY-MM-DD HH12:MI TZM", "1324207080000000"),
	toTSCase("", "2011-12-18 11:38 PST", "YYYY-MM-DD HH12:MI TZ", "ERROR 0A000: formatting field \"TZ\" is only supported in to_char"),
	toTSCase("", "2018-11-02 12:34:56.025", "YYYY-MM-DD HH24:MI:SS.MS", "1541162096025000"),
	toTSCase("", "44-02-01 11:12:13 BC", "YYYY-MM-DD HH24:MI:SS BC", "-63521412467000000"),
	toTSCase("", "-44-02-01 11:12:13", "YYYY-MM-DD HH24:MI:SS", "-63521412467000000"),
	toTSCase("", "-44-02-01 11:12:13 BC", "YYYY-MM-DD HH24:MI:SS BC", "-60775966067000000"),
	toTSCase("Asia/Kolkata", "2000-12-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "976004106000000"),
	toTSCase("Asia/Kolkata", "2000-06-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "960192906000000"),
	toTSCase("Asia/Kolkata", "2021-03-14 02:30", "YYYY-MM-DD HH24:MI", "1615669200000000"),
	toTSCase("Asia/Kolkata", "2021-11-07 01:30", "YYYY-MM-DD HH24:MI", "1636228800000000"),
	toTSCase("Asia/Kolkata", "2021-03-28 01:30", "YYYY-MM-DD HH24:MI", "1616875200000000"),
	toTSCase("Asia/Kolkata", "2021-10-31 01:30", "YYYY-MM-DD HH24:MI", "1635624000000000"),
	toTSCase("Asia/Kolkata", "2021-04-04 01:45", "YYYY-MM-DD HH24:MI", "1617480900000000"),
	toTSCase("Asia/Kolkata", "2021-10-03 02:15", "YYYY-MM-DD HH24:MI", "1633207500000000"),
	toTSCase("Asia/Kolkata", "2000-12-05 13:45 +05:30", "YYYY-MM-DD HH24:MI TZH:TZM", "976004100000000"),
	toTSCase("Asia/Kolkata", "1850-01-01 00:00", "YYYY-MM-DD HH24:MI", "-3786846808000000"),
	toTSCase("Asia/Kolkata", "2100-07-01 00:00", "YYYY-MM-DD HH24:MI", "4118063400000000"),
	toTSCase("Asia/Kolkata", "13:45", "HH24:MI", "-62167190908000000"),
	toTSCase("Asia/Kolkata", "2000-12-05 13:45:06.5", "YYYY-MM-DD HH24:MI:SS.FF1", "976004106500000"),
	toTSCase("America/New_York", "2000-12-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "976041906000000"),
	toTSCase("America/New_York", "2000-06-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "960227106000000"),
	toTSCase("America/New_York", "2021-03-14 02:30", "YYYY-MM-DD HH24:MI", "1615707000000000"),
	toTSCase("America/New_York", "2021-11-07 01:30", "YYYY-MM-DD HH24:MI", "1636266600000000"),
	toTSCase("America/New_York", "2021-03-28 01:30", "YYYY-MM-DD HH24:MI", "1616909400000000"),
	toTSCase("America/New_York", "2021-10-31 01:30", "YYYY-MM-DD HH24:MI", "1635658200000000"),
	toTSCase("America/New_York", "2021-04-04 01:45", "YYYY-MM-DD HH24:MI", "1617515100000000"),
	toTSCase("America/New_York", "2021-10-03 02:15", "YYYY-MM-DD HH24:MI", "1633241700000000"),
	toTSCase("America/New_York", "2000-12-05 13:45 +05:30", "YYYY-MM-DD HH24:MI TZH:TZM", "976004100000000"),
	toTSCase("America/New_York", "1850-01-01 00:00", "YYYY-MM-DD HH24:MI", "-3786807838000000"),
	toTSCase("America/New_York", "2100-07-01 00:00", "YYYY-MM-DD HH24:MI", "4118097600000000"),
	toTSCase("America/New_York", "13:45", "HH24:MI", "-62167151938000000"),
	toTSCase("America/New_York", "2000-12-05 13:45:06.5", "YYYY-MM-DD HH24:MI:SS.FF1", "976041906500000"),
	toTSCase("Australia/Lord_Howe", "2000-12-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "975984306000000"),
	toTSCase("Australia/Lord_Howe", "2000-06-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "960174906000000"),
	toTSCase("Australia/Lord_Howe", "2021-03-14 02:30", "YYYY-MM-DD HH24:MI", "1615649400000000"),
	toTSCase("Australia/Lord_Howe", "2021-11-07 01:30", "YYYY-MM-DD HH24:MI", "1636209000000000"),
	toTSCase("Australia/Lord_Howe", "2021-03-28 01:30", "YYYY-MM-DD HH24:MI", "1616855400000000"),
	toTSCase("Australia/Lord_Howe", "2021-10-31 01:30", "YYYY-MM-DD HH24:MI", "1635604200000000"),
	toTSCase("Australia/Lord_Howe", "2021-04-04 01:45", "YYYY-MM-DD HH24:MI", "1617462900000000"),
	toTSCase("Australia/Lord_Howe", "2021-10-03 02:15", "YYYY-MM-DD HH24:MI", "1633189500000000"),
	toTSCase("Australia/Lord_Howe", "2000-12-05 13:45 +05:30", "YYYY-MM-DD HH24:MI TZH:TZM", "976004100000000"),
	toTSCase("Australia/Lord_Howe", "1850-01-01 00:00", "YYYY-MM-DD HH24:MI", "-3786863780000000"),
	toTSCase("Australia/Lord_Howe", "2100-07-01 00:00", "YYYY-MM-DD HH24:MI", "4118045400000000"),
	toTSCase("Australia/Lord_Howe", "13:45", "HH24:MI", "-62167207880000000"),
	toTSCase("Australia/Lord_Howe", "2000-12-05 13:45:06.5", "YYYY-MM-DD HH24:MI:SS.FF1", "975984306500000"),
	toTSCase("hdfixed:-12600", "2000-12-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "976036506000000"),
	toTSCase("hdfixed:-12600", "2000-06-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "960225306000000"),
	toTSCase("hdfixed:-12600", "2021-03-14 02:30", "YYYY-MM-DD HH24:MI", "1615701600000000"),
	toTSCase("hdfixed:-12600", "2021-11-07 01:30", "YYYY-MM-DD HH24:MI", "1636261200000000"),
	toTSCase("hdfixed:-12600", "2021-03-28 01:30", "YYYY-MM-DD HH24:MI", "1616907600000000"),
	toTSCase("hdfixed:-12600", "2021-10-31 01:30", "YYYY-MM-DD HH24:MI", "1635656400000000"),
	toTSCase("hdfixed:-12600", "2021-04-04 01:45", "YYYY-MM-DD HH24:MI", "1617513300000000"),
	toTSCase("hdfixed:-12600", "2021-10-03 02:15", "YYYY-MM-DD HH24:MI", "1633239900000000"),
	toTSCase("hdfixed:-12600", "2000-12-05 13:45 +05:30", "YYYY-MM-DD HH24:MI TZH:TZM", "976004100000000"),
	toTSCase("hdfixed:-12600", "1850-01-01 00:00", "YYYY-MM-DD HH24:MI", "-3786813000000000"),
	toTSCase("hdfixed:-12600", "2100-07-01 00:00", "YYYY-MM-DD HH24:MI", "4118095800000000"),
	toTSCase("hdfixed:-12600", "13:45", "HH24:MI", "-62167157100000000"),
	toTSCase("hdfixed:-12600", "2000-12-05 13:45:06.5", "YYYY-MM-DD HH24:MI:SS.FF1", "976036506500000"),
	toTSCase("Europe/London", "2000-12-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "976023906000000"),
	toTSCase("Europe/London", "2000-06-05 13:45:06", "YYYY-MM-DD HH24:MI:SS", "960209106000000"),
	toTSCase("Europe/London", "2021-03-14 02:30", "YYYY-MM-DD HH24:MI", "1615689000000000"),
	toTSCase("Europe/London", "2021-11-07 01:30", "YYYY-MM-DD HH24:MI", "1636248600000000"),
	toTSCase("Europe/London", "2021-03-28 01:30", "YYYY-MM-DD HH24:MI", "1616895000000000"),
	toTSCase("Europe/London", "2021-10-31 01:30", "YYYY-MM-DD HH24:MI", "1635643800000000"),
	toTSCase("Europe/London", "2021-04-04 01:45", "YYYY-MM-DD HH24:MI", "1617497100000000"),
	toTSCase("Europe/London", "2021-10-03 02:15", "YYYY-MM-DD HH24:MI", "1633223700000000"),
	toTSCase("Europe/London", "2000-12-05 13:45 +05:30", "YYYY-MM-DD HH24:MI TZH:TZM", "976004100000000"),
	toTSCase("Europe/London", "1850-01-01 00:00", "YYYY-MM-DD HH24:MI", "-3786825600000000"),
	toTSCase("Europe/London", "2100-07-01 00:00", "YYYY-MM-DD HH24:MI", "4118079600000000"),
	toTSCase("Europe/London", "13:45", "HH24:MI", "-62167169625000000"),
	toTSCase("Europe/London", "2000-12-05 13:45:06.5", "YYYY-MM-DD HH24:MI:SS.FF1", "976023906500000"),
}

var toNumberCases = []fmtCase{
	toNumCase("12,454.8-", "99G999D9S", "-12454.8"),
	toNumCase("-34,338,492", "99G999G999", "-34338492"),
	toNumCase("-34,338,492.654,878", "99G999G999D999G999", "-34338492.654878"),
	toNumCase("<564646.654564>", "999999.999999PR", "-564646.654564"),
	toNumCase("0.00001-", "9.999999S", "-0.00001"),
	toNumCase("5.01-", "FM9.999999S", "-5.01"),
	toNumCase("5.01-", "FM9.999999MI", "-5.01"),
	toNumCase("5 4 4 4 4 8 . 7 8", "9 9 9 9 9 9 . 9 9", "544448.78"),
	toNumCase(".01", "FM9.99", "0.01"),
	toNumCase(".0", "99999999.99999999", "0.0"),
	toNumCase("0", "99.99", "0"),
	toNumCase(".-01", "S99.99", "-0.01"),
	toNumCase(".01-", "99.99S", "-0.01"),
	toNumCase(" . 0 1-", " 9 9 . 9 9 S", "-0.01"),
	toNumCase("34,50", "999,99", "3450"),
	toNumCase("123,000", "999G", "123"),
	toNumCase("123456", "999G999", "123456"),
	toNumCase("$1234.56", "L9,999.99", "1234.56"),
	toNumCase("$1234.56", "L99,999.99", "1234.56"),
	toNumCase("$1,234.56", "L99,999.99", "1234.56"),
	toNumCase("1234.56", "L99,999.99", "1234.56"),
	toNumCase("1,234.56", "L99,999.99", "1234.56"),
	toNumCase("42nd", "99th", "42"),
	toNumCase("123456", "99999V99", "1234.5600000000000000"),
	toNumCase("1234", "9999", "1234"),
	toNumCase("12345", "9999", "1234"),
	toNumCase("1e5", "9999", "15"),
	toNumCase("+1234", "S9999", "1234"),
	toNumCase("1234+", "9999S", "1234"),
	toNumCase("1234-", "9999MI", "-1234"),
	toNumCase("-1234", "MI9999", "-1234"),
	toNumCase("(1234)", "9999PR", "123"),
	toNumCase("<1234>", "9999PR", "-1234"),
	toNumCase("1234", "RN", "ERROR 0A000: \"RN\" not supported for input"),
	toNumCase("XIV", "rn", "ERROR 0A000: \"RN\" not supported for input"),
	toNumCase("1.2e3", "9.9EEEE", "ERROR 0A000: \"EEEE\" not supported for input"),
	toNumCase("12345", "99.99", "ERROR 22003: numeric field overflow"),
	toNumCase("abc", "999", "ERROR 22P02: invalid input syntax for type numeric: \" \""),
	toNumCase("", "999", "ERROR 22P02: invalid input syntax for type numeric: \" \""),
	toNumCase("12", "", "<NULL>"),
	toNumCase("-", "S9", "ERROR 22P02: invalid input syntax for type numeric: \"-\""),
	toNumCase("1,2,3", "9,9,9", "123"),
	toNumCase("1.2.3", "9.9.9", "ERROR 42601: multiple decimal points"),
	toNumCase("123", "999.99", "123"),
	toNumCase("123.456", "999.99", "123.45"),
	toNumCase("123.4", "999.99", "123.4"),
	toNumCase("-123.456", "999.999", "-123.456"),
	toNumCase("1 2 3", "999", "123"),
	toNumCase("1 2 3", "9 9 9", "123"),
	toNumCase("12 34", "99 99", "1234"),
	toNumCase("1234", "99 99", "124"),
	toNumCase("  123", "999", "12"),
	toNumCase("  123", "99999", "123"),
	toNumCase("123  ", "99999", "123"),
	toNumCase("- 123", "999", "-12"),
	toNumCase("-  123", "9999", "-123"),
	toNumCase("1.5", "9V9", "0.1000000000000000"),
	toNumCase("15", "9V9", "1.5000000000000000"),
	toNumCase("15", "99V9", "1.5000000000000000"),
	toNumCase("123", "9V99", "1.2300000000000000"),
	toNumCase("1", "9V99999999999999999", "0.0000000000000000"),
	toNumCase("12", "99V99999999999999999999", "0.0000000000000000"),
	toNumCase("1234.5", "FM9999.99", "1234.5"),
	toNumCase("1234.5", "FM9,999.99", "1234.5"),
	toNumCase("1,234.5", "FM9,999.99", "1234.5"),
	toNumCase("1,234.5", "FM9G999.99", "1234.5"),
	toNumCase("1,234.5", "9G999.99", "1234.5"),
	toNumCase("1234.5", "9G999.99", "1234.5"),
	toNumCase("1234.567", "9999D99", "1234.56"),
	toNumCase("1234.5", "9999D", "1234"),
	toNumCase("1234,5", "9999D9", "ERROR 22003: numeric field overflow"),
	toNumCase("12.34", "99.99EEEE", "ERROR 0A000: \"EEEE\" not supported for input"),
	toNumCase("12", "S99", "12"),
	toNumCase("-12", "S99", "-12"),
	toNumCase("12-", "S99", "-12"),
	toNumCase("12-", "99S", "-12"),
	toNumCase("12+", "99S", "12"),
	toNumCase("+12", "99S", "12"),
	toNumCase("12", "99PL", "12"),
	toNumCase("12+", "99PL", "12"),
	toNumCase("12-", "99PL", "12"),
	toNumCase("12+", "99MI", "12"),
	toNumCase("12-", "99SG", "-12"),
	toNumCase("-12", "SG99", "-12"),
	toNumCase("+12", "SG99", "12"),
	toNumCase("12 -", "99 MI", "-12"),
	toNumCase("12 -", "99MI", "12"),
	toNumCase("<12>", "99PR", "-12"),
	toNumCase("<12", "99PR", "-12"),
	toNumCase("12>", "99PR", "12"),
	toNumCase("-<12>", "99PR", "-1"),
	toNumCase("12th", "99TH", "12"),
	toNumCase("12.5th", "99.9th", "12.5"),
	toNumCase("1st", "9th", "1"),
	toNumCase("12abc", "99abc", "12"),
	toNumCase("12abc3", "99abc9", "12"),
	toNumCase("abc12", "\"abc\"99", "12"),
	toNumCase("xyz12", "L99", "ERROR 22P02: invalid input syntax for type numeric: \" \""),
	toNumCase("€12", "L99", "12"),
	toNumCase("€12", "99", "ERROR 22P02: invalid input syntax for type numeric: \" \""),
	toNumCase("12€", "99L", "12"),
	toNumCase("USD12", "LLL99", "12"),
	toNumCase("0012", "9999", "12"),
	toNumCase("0012", "0000", "12"),
	toNumCase("12", "0000", "12"),
	toNumCase("1.0", "9.9", "1.0"),
	toNumCase("1.", "9.9", "1"),
	toNumCase(".5", "9.9", "0.5"),
	toNumCase(".5", ".9", "0.5"),
	toNumCase("5.", "9.", "5"),
	toNumCase("5", "9.", "5"),
	toNumCase("-.5", "S.9", "ERROR 22P02: invalid input syntax for type numeric: \" \""),
	toNumCase(".", "9.9", "ERROR 22P02: invalid input syntax for type numeric: \" \""),
	toNumCase("-.", "S9.9", "ERROR 22P02: invalid input syntax for type numeric: \"-\""),
	toNumCase("1-2", "9MI9", "-12"),
	toNumCase("12345678901234567890", "99999999999999999999", "12345678901234567890"),
	toNumCase("123456789012345678901234567890.123", "FM999999999999999999999999999999.999", "123456789012345678901234567890.123"),
	toNumCase("0.000000000000000000001", "9.999999999999999999999", "0.000000000000000000001"),
	toNumCase("1-", "FM9S", "-1"),
	toNumCase("1+", "FM9S", "1"),
	toNumCase("1-", "9MI", "-1"),
	toNumCase("12", "B99", "12"),
	toNumCase("12", "C99", "12"),
	toNumCase("12", "SP99", "12"),
	toNumCase("12", "FM99", "12"),
	toNumCase("12", "fm99", "12"),
	toNumCase("12", "g99", "12"),
	toNumCase("1,2", "9g9", "12"),
	toNumCase("1.2", "9d9", "1.2"),
	toNumCase("- 12", "S99", "-1"),
	toNumCase(" -12", "S99", "-12"),
	toNumCase("1 2", "FM9 9", "12"),
	toNumCase("12", "9 9", "1"),
	toNumCase("NaN", "999", "ERROR 22P02: invalid input syntax for type numeric: \" \""),
	toNumCase("Infinity", "999", "ERROR 22P02: invalid input syntax for type numeric: \" \""),
	toNumCase("12", "EEEE", "ERROR 0A000: \"EEEE\" not supported for input"),
	toNumCase("12", "99EEEE", "ERROR 0A000: \"EEEE\" not supported for input"),
	toNumCase("12", "RN99", "ERROR 0A000: \"RN\" not supported for input"),
	toNumCase("1", "99.99.99", "ERROR 42601: multiple decimal points"),
	toNumCase("1", "9V9.9", "ERROR 42601: cannot use \"V\" and decimal point together"),
	toNumCase("1", "S9S", "ERROR 42601: cannot use \"S\" twice"),
	toNumCase("1", "S9PR", "ERROR 42601: cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together"),
	toNumCase("1", "9PR9", "ERROR 42601: \"9\" must be ahead of \"PR\""),
	toNumCase("1", "MI9S", "ERROR 42601: cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together"),
	toNumCase("1.2345", "9.99", "1.23"),
	toNumCase(".5", "99.99", "0.5"),
	toNumCase("1 234", "9G999", "1234"),
	toNumCase("1.234", "9G999", "123"),
	toNumCase("12 -", "999S", "12"),
	toNumCase("12 - ", "99SG", "12"),
	toNumCase("é12", "999", "1"),
	toNumCase("1é2", "9é9", "12"),
	toNumCase("-0.5", "0.00", "-0.5"),
	toNumCase("12.3", "FM99.999", "12.3"),
	toNumCase("12", "FM99.999", "12"),
	toNumCase("1,234,567", "9,999,999", "1234567"),
	toNumCase("1,234,567", "9G999G999", "1234567"),
	toNumCase("1234567", "9,999,999", "1234567"),
	toNumCase("12,34,567", "9,999,999", "12345"),
	toNumCase("12.34", "9999.9999", "12.34"),
	toNumCase("1.5", "9D9", "1.5"),
	toNumCase("1.5", "FM9D9", "1.5"),
	toNumCase("12PR", "99PR", "12"),
	toNumCase("12.50", "99.99MI", "12.50"),
	toNumCase("12.50-", "99.99MI", "-12.50"),
	toNumCase("+.5", "S.9", "ERROR 22P02: invalid input syntax for type numeric: \" \""),
	toNumCase("5-", "S9", "-5"),
	toNumCase("-5", "9S", "-5"),
}

// TestToTimestampEngineLimit: PostgreSQL's timestamps reach 294276 AD,
// microseconds since 1970 in an int64 only 294247-01-10; past that
// to_timestamp refuses rather than wrap.
func TestToTimestampEngineLimit(t *testing.T) {
	us, err := ToTimestampFormat("294247-01-10 04:00:54", "YYYY-MM-DD HH24:MI:SS", time.UTC)
	if err != nil || us != 9223372036854000000 {
		t.Errorf("last representable second: %d, %v", us, err)
	}
	for _, in := range []string{"294247-01-10 04:00:55", "294276-12-31 23:59:59"} {
		_, err := ToTimestampFormat(in, "YYYY-MM-DD HH24:MI:SS", time.UTC)
		if got := outcome("", err); !strings.HasPrefix(got, "ERROR 0A000: ") {
			t.Errorf("%s: %s", in, got)
		}
	}
}

// TestFormattingCompat covers the older entry points, which report
// errors and NULL as a flag.
func TestFormattingCompat(t *testing.T) {
	if s, ok := ToCharNumber(Numeric{Int: big.NewInt(12345), Scale: 2}, "FM999.9"); !ok || s != "123.5" {
		t.Errorf("ToCharNumber: %q %v", s, ok)
	}
	if _, ok := ToCharNumber(NumericFromInt(1), "9.9.9"); ok {
		t.Error("ToCharNumber accepted multiple decimal points")
	}
	if _, ok := ToCharTimestamp(0, "", "", 0, false); ok {
		t.Error("ToCharTimestamp: an empty template is NULL")
	}
	if s, ok := ToCharTimestamp(0, "YYYY-MM-DD HH24 TZH", "", 0, false); !ok || s != "1970-01-01 00 +00" {
		t.Errorf("ToCharTimestamp: %q %v", s, ok)
	}
	if s := ToCharInterval(Interval{Months: 14}, "YY MM"); s != "01 02" {
		t.Errorf("ToCharInterval: %q", s)
	}
}
