package pgval

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Random templates for to_char, to_date, to_timestamp and to_number,
// compared with PostgreSQL.

var (
	dchPatterns = []string{"YYYY", "YYY", "YY", "Y", "Y,YYY", "IYYY", "IYY", "IY", "I", "MM", "Mon", "MON", "mon", "Month",
		"MONTH", "month", "DD", "DDD", "D", "ID", "Day", "DAY", "day", "Dy", "DY", "dy", "HH", "HH12", "HH24", "MI",
		"SS", "MS", "US", "FF1", "FF3", "FF6", "SSSS", "SSSSS", "AM", "am", "PM", "A.M.", "p.m.", "BC", "b.c.", "AD",
		"Q", "WW", "W", "IW", "J", "CC", "RM", "rm", "TZ", "tz", "TZH", "TZM", "OF", "FM", "FX", "TH", "th", "SP",
		"\"text\"", "\\\"", " ", "-", "/", ":", ".", ",", "x", "  ", "\"", "\\"}
	numPatterns = []string{"9", "99", "999", "0", "00", ".", "D", ",", "G", "S", "MI", "PL", "SG", "PR", "L", "FM",
		"EEEE", "V", "RN", "rn", "TH", "th", "B", "\"x\"", " ", "$", "9.99", "990.00", "9,999", "FM9.9"}
	numValues = []string{"0", "1", "-1", "12.5", "-12.5", "0.001", "123456789.987", "-0.5", "1e20", "5.5", "99.99",
		"1999", "3999", "4000", "NaN", "0.0049", "-0.0049", "12345678901234567890"}
	toTextInputs = []string{"2024-03-10", "2024-03-10 14:30:15", "10 Mar 2024", "2024 069", "20240310", "March 10 2024",
		"2024-03-10 02:30:00 PM", "10/03/24", "2024-W10-1", "2460380", "Sunday 10 March 2024", "  2024  3 10",
		"2024-3-10 1:2:3.456789", "44 BC", "13:00", "X", "", "12,345.6-", "$1,234.56", "  -0012.50", "1e3"}
)

func randomTemplate(r *rand.Rand, pats []string) string {
	var b strings.Builder
	for i, n := 0, 1+r.Intn(5); i < n; i++ {
		b.WriteString(pats[r.Intn(len(pats))])
	}
	return b.String()
}

// TestFormattingRandomPostgres compares random to_char calls (timestamps,
// timestamptz in zones, intervals, numerics, floats and integers) and
// random to_date, to_timestamp and to_number calls with PostgreSQL.
// HOTDATA_TOCHAR_N sets the number of calls (default 3000).
func TestFormattingRandomPostgres(t *testing.T) {
	pg := openPG(t)
	ctx := context.Background()
	n := 3000
	if v, err := strconv.Atoi(os.Getenv("HOTDATA_TOCHAR_N")); err == nil {
		n = v
	}
	seed := int64(15)
	if v, err := strconv.ParseInt(os.Getenv("HOTDATA_DTINPUT_SEED"), 10, 64); err == nil {
		seed = v
	}
	for _, q := range []string{"SET lc_time = 'C'", "SET lc_numeric = 'C'", "SET lc_monetary = 'C'", "SET extra_float_digits = 1", "SET DateStyle = 'ISO, MDY'"} {
		if _, err := pg.conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewSource(seed))
	nfail := 0
	curZone := ""
	for i := 0; i < n; i++ {
		zone := funcZones[r.Intn(len(funcZones))]
		if zone != curZone {
			if _, err := pg.conn.Exec(ctx, "SET TimeZone = "+quoteLit(zone)); err != nil {
				t.Fatal(err)
			}
			curZone = zone
		}
		loc, err := LoadZone(zone)
		if err != nil {
			t.Fatal(err)
		}
		var sql string
		var eval func() (string, error)
		null := func(s string, isNull bool, err error) (string, error) {
			if isNull {
				return "<NULL>", err
			}
			return s, err
		}
		switch r.Intn(7) {
		case 0:
			ts := randomTimestamp(r)
			f := randomTemplate(r, dchPatterns)
			sql = fmt.Sprintf("to_char(timestamp '%s', %s)", tsLiteral(ts), quoteLit(f))
			eval = func() (string, error) { return null(FormatTimestamp(ts, f, "", 0, false)) }
		case 1:
			ts := randomTimestamp(r)
			f := randomTemplate(r, dchPatterns)
			sql = fmt.Sprintf("to_char(timestamptz '%s+00', %s)", tsLiteral(ts), quoteLit(f))
			eval = func() (string, error) {
				secs, _ := floorDivMod(ts, USecsPerSec)
				abbr, off := time.Unix(secs, 0).In(loc).Zone()
				return null(FormatTimestamp(UTCToLocal(ts, loc), f, abbr, off, true))
			}
		case 2:
			iv := randomInterval(r)
			f := randomTemplate(r, dchPatterns)
			sql = fmt.Sprintf("to_char(interval '%s', %s)", ivLiteral(iv), quoteLit(f))
			eval = func() (string, error) { return null(FormatInterval(iv, f)) }
		case 3:
			v := numValues[r.Intn(len(numValues))]
			f := randomTemplate(r, numPatterns)
			switch r.Intn(3) {
			case 0:
				sql = fmt.Sprintf("to_char(%s::numeric, %s)", quoteLit(v), quoteLit(f))
				eval = func() (string, error) {
					nv, err := ParseNumeric(v)
					if err != nil {
						return "", err
					}
					return FormatNumeric(nv, f)
				}
			case 1:
				sql = fmt.Sprintf("to_char(%s::float8, %s)", quoteLit(v), quoteLit(f))
				eval = func() (string, error) {
					fv, err := ParseFloat(v, 64)
					if err != nil {
						return "", err
					}
					return FormatFloat(fv, 64, f)
				}
			default:
				iv := int64(r.Intn(2000000) - 1000000)
				sql = fmt.Sprintf("to_char(%d::int8, %s)", iv, quoteLit(f))
				eval = func() (string, error) { return FormatInt(iv, 64, f) }
			}
		case 4:
			in := toTextInputs[r.Intn(len(toTextInputs))]
			f := randomTemplate(r, dchPatterns)
			sql = fmt.Sprintf("to_date(%s, %s)", quoteLit(in), quoteLit(f))
			eval = func() (string, error) {
				d, err := ToDate(in, f)
				if err != nil {
					return "", err
				}
				return string(AppendDate(nil, d, DefaultStyle)), nil
			}
		case 5:
			in := toTextInputs[r.Intn(len(toTextInputs))]
			f := randomTemplate(r, dchPatterns)
			sql = fmt.Sprintf("to_timestamp(%s, %s)", quoteLit(in), quoteLit(f))
			eval = func() (string, error) {
				us, err := ToTimestampFormat(in, f, loc)
				if err != nil {
					return "", err
				}
				st := DefaultStyle
				st.Loc = loc
				return string(AppendTimestamptz(nil, us, st)), nil
			}
		default:
			in := toTextInputs[r.Intn(len(toTextInputs))]
			f := randomTemplate(r, numPatterns)
			sql = fmt.Sprintf("to_number(%s, %s)", quoteLit(in), quoteLit(f))
			eval = func() (string, error) {
				nv, isNull, err := ToNumber(in, f)
				if err != nil || isNull {
					return null("", isNull, err)
				}
				return nv.String(), nil
			}
		}
		var res *string
		want := ""
		if err := pg.conn.QueryRow(ctx, "SELECT ("+sql+")::text").Scan(&res); err != nil {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				t.Fatalf("%s: %v", sql, err)
			}
			want = "ERROR " + pe.Code + ": " + pe.Message
		} else if res == nil {
			want = "<NULL>"
		} else {
			want = *res
		}
		got := outcome(eval())
		if os.Getenv("HOTDATA_TOCHAR_SHOW") != "" && i < 25 {
			t.Logf("%s => %q / %q", sql, got, want)
		}
		if !sameAnswer(got, want) {
			nfail++
			if nfail <= 60 {
				t.Errorf("[%s] SELECT %s\n  go: %q\n  pg: %q", zone, sql, got, want)
			}
		}
	}
	if nfail > 0 {
		t.Errorf("%d differences in %d calls", nfail, n)
	}
}
