package pgval

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// dtFuncCase is one date/time function call with PostgreSQL 15's answer.
type dtFuncCase struct {
	zone, sql, want string
	eval            func(st Style) (string, error)
}

func tsOf(t testing.TB, s string) int64 {
	us, err := ParseTimestamp(s, DefaultStyle, nil)
	if err != nil {
		t.Fatal(err)
	}
	return us
}

func tstzOf(t testing.TB, s string) int64 {
	us, err := ParseTimestamptz(s, DefaultStyle, nil)
	if err != nil {
		t.Fatal(err)
	}
	return us
}

func ivOf(t testing.TB, s string) Interval {
	iv, err := ParseInterval(s, DefaultStyle)
	if err != nil {
		t.Fatal(err)
	}
	return iv
}

func numOut(n Numeric, _ float64, err error) (string, error) {
	if IsNull(err) {
		return "<NULL>", nil
	}
	return n.String(), err
}

func floatOut(_ Numeric, f float64, err error) (string, error) {
	if IsNull(err) {
		return "<NULL>", nil
	}
	return string(AppendFloat(nil, f, 64, 1)), err
}

func dtFuncCases(t testing.TB) []dtFuncCase {
	trunc := func(zone, unit, ts, want string) dtFuncCase {
		return dtFuncCase{zone, fmt.Sprintf("date_trunc('%s', timestamptz '%s')", unit, ts), want, func(st Style) (string, error) {
			us, err := TruncTimestamptz(unit, tstzOf(t, ts), st.Loc)
			return string(AppendTimestamptz(nil, us, st)), err
		}}
	}
	truncTS := func(unit, ts, want string) dtFuncCase {
		return dtFuncCase{"UTC", fmt.Sprintf("date_trunc('%s', timestamp '%s')", unit, ts), want, func(st Style) (string, error) {
			us, err := TruncTimestamp(unit, tsOf(t, ts), "timestamp without time zone")
			return string(AppendTimestamp(nil, us, st)), err
		}}
	}
	extractTS := func(field, ts, want string) dtFuncCase {
		return dtFuncCase{"UTC", fmt.Sprintf("extract('%s' FROM timestamp '%s')", field, ts), want, func(Style) (string, error) {
			return numOut(ExtractTimestamp(field, tsOf(t, ts), nil, "timestamp without time zone", false))
		}}
	}
	makeTSTZ := func(zone, want string) dtFuncCase {
		return dtFuncCase{"UTC", fmt.Sprintf("make_timestamptz(2024, 1, 1, 0, 0, 0, '%s')", zone), want, func(st Style) (string, error) {
			local, err := MakeTimestamp(2024, 1, 1, 0, 0, 0)
			if err != nil {
				return "", err
			}
			name, err := SaneTimeZone(zone)
			if err != nil {
				return "", err
			}
			us, err := LocalToUTCIn(local, name)
			return string(AppendTimestamptz(nil, us, st)), err
		}}
	}
	atZone := func(ts, zone, want string) dtFuncCase {
		return dtFuncCase{"UTC", fmt.Sprintf("timestamp '%s' AT TIME ZONE '%s'", ts, zone), want, func(st Style) (string, error) {
			name, err := AtTimeZone(zone)
			if err != nil {
				return "", err
			}
			us, err := LocalToUTCIn(tsOf(t, ts), name)
			return string(AppendTimestamptz(nil, us, st)), err
		}}
	}
	atZoneTZ := func(ts, zone, want string) dtFuncCase {
		return dtFuncCase{"UTC", fmt.Sprintf("timestamptz '%s' AT TIME ZONE '%s'", ts, zone), want, func(st Style) (string, error) {
			name, err := AtTimeZone(zone)
			if err != nil {
				return "", err
			}
			us, err := UTCToLocalIn(tstzOf(t, ts), name)
			return string(AppendTimestamp(nil, us, st)), err
		}}
	}
	return []dtFuncCase{
		trunc("America/New_York", "hour", "2024-11-03 05:45:00+00", "2024-11-03 01:00:00-04"),
		trunc("America/New_York", "hour", "2024-11-03 06:45:00+00", "2024-11-03 01:00:00-05"),
		trunc("America/New_York", "day", "2024-11-03 06:45:00+00", "2024-11-03 00:00:00-04"),
		trunc("America/New_York", "minute", "2024-11-03 05:59:30+00", "2024-11-03 01:59:00-04"),
		trunc("America/New_York", "week", "2024-03-10 12:00:00+00", "2024-03-04 00:00:00-05"),
		trunc("Australia/Lord_Howe", "hour", "2024-04-07 01:45:00+10:30", "2024-04-07 01:30:00+11"),
		trunc("Australia/Lord_Howe", "hour", "2024-04-07 01:45:00+11", "2024-04-07 01:00:00+11"),
		trunc("UTC", "microsecondsxyz", "2024-01-01 12:34:56.789+00", "2024-01-01 12:34:56.789+00"),
		trunc("UTC", "timezone", "2024-01-01 00:00+00", "ERROR 0A000: unit \"timezone\" not supported for type timestamp with time zone"),
		trunc("UTC", "dow", "2024-01-01 00:00+00", "ERROR 22023: unit \"dow\" not recognized for type timestamp with time zone"),
		truncTS("millennium", "4008-11-16 08:00:00 BC", "ERROR 22008: timestamp out of range"),
		truncTS("century", "4008-11-16 08:00:00 BC", "4100-01-01 00:00:00 BC"),
		extractTS("julian", "1970-01-01", "2440588.0000000000000000000000000000"),
		extractTS("julian", "2024-03-10 12:00", "2460380.50000000000000000000"),
		extractTS("microsecondsxyz", "2024-03-10 12:00:01.5", "1500000"),
		extractTS("infinity", "2024-03-10", "ERROR 0A000: unit \"infinity\" not supported for type timestamp without time zone"),
		extractTS("foo", "2024-03-10", "ERROR 22023: unit \"foo\" not recognized for type timestamp without time zone"),
		extractTS("year", "infinity", "Infinity"),
		extractTS("hour", "-infinity", "<NULL>"),
		extractTS("julian", "-infinity", "-Infinity"),
		{"UTC", "extract('quarter' FROM time '12:00')", "", func(Style) (string, error) {
			return numOut(ExtractTime("quarter", 12*USecsPerHour, false))
		}},
		{"UTC", "extract('infinity' FROM time '12:00')", "", func(Style) (string, error) {
			return numOut(ExtractTime("infinity", 12*USecsPerHour, false))
		}},
		{"UTC", "date_part('foo', date '2024-01-01')", "", func(Style) (string, error) {
			return floatOut(ExtractDate("foo", 19723, true))
		}},
		{"UTC", "extract('hour' FROM date 'infinity')", "", func(Style) (string, error) {
			return numOut(ExtractDate("hour", DateInfinity, false))
		}},
		{"UTC", "extract('month' FROM date 'infinity')", "", func(Style) (string, error) {
			return numOut(ExtractDate("month", DateInfinity, false))
		}},
		{"UTC", "date_part('epoch', interval '103 mons 0 days -133989327463 microseconds')", "", func(Style) (string, error) {
			return floatOut(ExtractInterval("epoch", ivOf(t, "103 mons 0 days -133989327463 microseconds"), true))
		}},
		makeTSTZ("+05", "2023-12-31 19:00:00+00"),
		makeTSTZ("-03:30", "2024-01-01 03:30:00+00"),
		makeTSTZ("5", ""),
		makeTSTZ("+16", ""),
		makeTSTZ("UTC+5", "2024-01-01 05:00:00+00"),
		makeTSTZ("EST", "2024-01-01 05:00:00+00"),
		makeTSTZ("MSK", ""),
		makeTSTZ("Mars/Base", ""),
		atZone("1987-04-03 00:00:00", "msk", ""),
		atZone("2024-07-01 12:00", "MSK", ""),
		atZone("2024-07-01 12:00", "+05", ""),
		atZone("2024-07-01 12:00", "UTC+5", ""),
		atZone("2024-07-01 12:00", "EST5EDT", ""),
		atZone("2024-07-01 12:00", "foo5bar", ""),
		atZone("2024-07-01 12:00", "Mars/Base", ""),
		atZoneTZ("1913-09-05 23:53:29+00", "MSK", ""),
		atZoneTZ("2024-07-01 12:00+00", "lhdt", ""),
		atZoneTZ("2024-07-01 12:00+00", "<+05:45>-05:45", ""),
		{"UTC", "timestamp '294246-12-31 00:00' + interval '1 year'", "", func(st Style) (string, error) {
			us, err := TimestampPlusInterval(tsOf(t, "294246-12-31 00:00"), ivOf(t, "1 year"))
			return string(AppendTimestamp(nil, us, st)), err
		}},
		{"UTC", "timestamp '4713-11-24 00:00 BC' - interval '1 year'", "", func(st Style) (string, error) {
			us, err := TimestampPlusInterval(tsOf(t, "4713-11-24 00:00 BC"), ivOf(t, "-1 year"))
			return string(AppendTimestamp(nil, us, st)), err
		}},
		{"UTC", "timestamp '4714-11-24 00:00 BC' - interval '1 day'", "", func(st Style) (string, error) {
			us, err := TimestampPlusInterval(tsOf(t, "4714-11-24 00:00 BC"), ivOf(t, "-1 day"))
			return string(AppendTimestamp(nil, us, st)), err
		}},
	}
}

// dtFuncWant fills the answers the table leaves empty.
var dtFuncWant = map[string]string{
	"extract('quarter' FROM time '12:00')":                                      "ERROR 0A000: unit \"quarter\" not supported for type time without time zone",
	"extract('infinity' FROM time '12:00')":                                     "ERROR 22023: unit \"infinity\" not recognized for type time without time zone",
	"date_part('foo', date '2024-01-01')":                                       "ERROR 22023: unit \"foo\" not recognized for type timestamp without time zone",
	"extract('hour' FROM date 'infinity')":                                      "ERROR 0A000: unit \"hour\" not supported for type date",
	"extract('month' FROM date 'infinity')":                                     "<NULL>",
	"date_part('epoch', interval '103 mons 0 days -133989327463 microseconds')": "270470810.67253697",
	"make_timestamptz(2024, 1, 1, 0, 0, 0, '5')":                                "ERROR 22023: invalid input syntax for type numeric time zone: \"5\"",
	"make_timestamptz(2024, 1, 1, 0, 0, 0, '+16')":                              "ERROR 22023: numeric time zone \"+16\" out of range",
	"make_timestamptz(2024, 1, 1, 0, 0, 0, 'MSK')":                              "2023-12-31 21:00:00+00",
	"make_timestamptz(2024, 1, 1, 0, 0, 0, 'Mars/Base')":                        "ERROR 22023: time zone \"Mars/Base\" not recognized",
	"timestamp '1987-04-03 00:00:00' AT TIME ZONE 'msk'":                        "1987-04-02 21:00:00+00",
	"timestamp '2024-07-01 12:00' AT TIME ZONE 'MSK'":                           "2024-07-01 09:00:00+00",
	"timestamp '2024-07-01 12:00' AT TIME ZONE '+05'":                           "2024-07-01 17:00:00+00",
	"timestamp '2024-07-01 12:00' AT TIME ZONE 'UTC+5'":                         "2024-07-01 17:00:00+00",
	"timestamp '2024-07-01 12:00' AT TIME ZONE 'EST5EDT'":                       "2024-07-01 16:00:00+00",
	"timestamp '2024-07-01 12:00' AT TIME ZONE 'foo5bar'":                       "2024-07-01 16:00:00+00",
	"timestamp '2024-07-01 12:00' AT TIME ZONE 'Mars/Base'":                     "ERROR 22023: time zone \"Mars/Base\" not recognized",
	"timestamptz '1913-09-05 23:53:29+00' AT TIME ZONE 'MSK'":                   "1913-09-06 02:53:29",
	"timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'lhdt'":                     "2024-07-01 22:30:00",
	"timestamptz '2024-07-01 12:00+00' AT TIME ZONE '<+05:45>-05:45'":           "2024-07-01 17:45:00",
	"timestamp '294246-12-31 00:00' + interval '1 year'":                        "ERROR 0A000: timestamps after 294247-01-10 cannot be held by Hotdata's cache engine",
	"timestamp '4713-11-24 00:00 BC' - interval '1 year'":                       "4714-11-24 00:00:00 BC",
	"timestamp '4714-11-24 00:00 BC' - interval '1 day'":                        "ERROR 22008: timestamp out of range",
}

func (c dtFuncCase) wanted() string {
	if c.want != "" {
		return c.want
	}
	return dtFuncWant[c.sql]
}

func TestDatetimeFuncCases(t *testing.T) {
	for _, c := range dtFuncCases(t) {
		st := dtSettings{c.zone, "ISO, MDY", "postgres"}.style(t)
		if got := outcome(c.eval(st)); got != c.wanted() {
			t.Errorf("[%s] %s\n got: %q\nwant: %q", c.zone, c.sql, got, c.wanted())
		}
	}
}

// TestDatetimeFuncCasesPostgres checks the table on PostgreSQL; a
// refusal of a timestamp past the engine's range passes where
// PostgreSQL answers.
func TestDatetimeFuncCasesPostgres(t *testing.T) {
	pg := openPG(t)
	ctx := context.Background()
	for _, c := range dtFuncCases(t) {
		if _, err := pg.conn.Exec(ctx, "SET TimeZone = "+quoteLit(c.zone)); err != nil {
			t.Fatal(err)
		}
		var res *string
		want := "<NULL>"
		if err := pg.conn.QueryRow(ctx, "SELECT ("+c.sql+")::text").Scan(&res); err != nil {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				t.Fatalf("%s: %v", c.sql, err)
			}
			want = "ERROR " + pe.Code + ": " + pe.Message
		} else if res != nil {
			want = *res
		}
		if !sameAnswer(c.wanted(), want) {
			t.Errorf("[%s] %s: PostgreSQL answers %q, the table %q", c.zone, c.sql, want, c.wanted())
		}
	}
	pg.set = dtSettings{}
}
