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
	"unicode/utf8"

	"github.com/hotdata-dev/hotdata/internal/testenv"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// dtSettings are the session settings an input case runs under.
type dtSettings struct {
	tz, dateStyle, intervalStyle string
}

var dtDefault = dtSettings{"UTC", "ISO, MDY", "postgres"}

func (s dtSettings) style(t testing.TB) Style {
	st := DefaultStyle
	loc, err := LoadZone(s.tz)
	if err != nil {
		t.Fatalf("zone %q: %v", s.tz, err)
	}
	st.Loc, st.ZoneName = loc, s.tz
	ds, do, ok := ParseDateStyle(s.dateStyle)
	if !ok {
		t.Fatalf("DateStyle %q", s.dateStyle)
	}
	st.DateStyle, st.DateOrder = ds, do
	is, ok := ParseIntervalStyle(s.intervalStyle)
	if !ok {
		t.Fatalf("IntervalStyle %q", s.intervalStyle)
	}
	st.IntervalStyle = is
	return st
}

// dtInput reads s as typ's input function does and prints the value as
// its output function (the text a ::text cast gives), or the error as
// "ERROR <SQLSTATE>: <message>".
func dtInput(t testing.TB, typ, s string, set dtSettings) string {
	st := set.style(t)
	var out []byte
	var err error
	switch typ {
	case "date":
		var d int64
		if d, err = ParseDate(s, st, nil); err == nil {
			out = AppendDate(nil, d, st)
		}
	case "time":
		var us int64
		if us, err = ParseTimeIn(s, st, nil); err == nil {
			out = AppendTime(nil, us)
		}
	case "timestamp":
		var us int64
		if us, err = ParseTimestamp(s, st, nil); err == nil {
			out = AppendTimestamp(nil, us, st)
		}
	case "timestamptz":
		var us int64
		if us, err = ParseTimestamptz(s, st, nil); err == nil {
			out = AppendTimestamptz(nil, us, st)
		}
	case "interval":
		var iv Interval
		if iv, err = ParseInterval(s, st); err == nil {
			out = AppendInterval(nil, iv, st)
		}
	default:
		t.Fatalf("type %q", typ)
	}
	return outcome(string(out), err)
}

// dtCase is one input with PostgreSQL 15's answer.
type dtCase struct {
	typ  string
	set  dtSettings
	in   string
	want string
}

func (c dtCase) String() string {
	return fmt.Sprintf("%q::%s [%s|%s|%s]", c.in, c.typ, c.set.tz, c.set.dateStyle, c.set.intervalStyle)
}

func (c dtCase) goLiteral(want string) string {
	q := strconv.Quote
	if c.set == dtDefault {
		return fmt.Sprintf("{%s, dtDefault, %s, %s},", q(c.typ), q(c.in), q(want))
	}
	return fmt.Sprintf("{%s, dtSettings{%s, %s, %s}, %s, %s},", q(c.typ), q(c.set.tz), q(c.set.dateStyle), q(c.set.intervalStyle), q(c.in), q(want))
}

func TestDatetimeInputCases(t *testing.T) {
	for _, c := range dtInputCases {
		if got := dtInput(t, c.typ, c.in, c.set); !sameAnswer(got, c.want) {
			t.Errorf("%v\n got: %q\nwant: %q", c, got, c.want)
		}
	}
}

// pgSession is a connection with the settings of the last case.
type pgSession struct {
	conn    *pgx.Conn
	set     dtSettings
	version int
}

func openPG(t testing.TB) *pgSession {
	url := testenv.PostgresServer(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	s := &pgSession{conn: conn}
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&s.version); err != nil {
		t.Fatal(err)
	}
	return s
}

// pgInput asks PostgreSQL for the text of s::typ under set.
func (p *pgSession) pgInput(t testing.TB, typ, s string, set dtSettings) string {
	ctx := context.Background()
	if set != p.set {
		for _, q := range []string{
			"SET TimeZone = " + quoteLit(set.tz),
			"SET DateStyle = " + quoteLit(set.dateStyle),
			"SET IntervalStyle = " + quoteLit(set.intervalStyle),
		} {
			if _, err := p.conn.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		p.set = set
	}
	var res string
	err := p.conn.QueryRow(ctx, "SELECT $1::text::"+typ+"::text", s).Scan(&res)
	if err != nil {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			t.Fatalf("%q::%s: %v", s, typ, err)
		}
		return "ERROR " + pe.Code + ": " + pe.Message
	}
	return res
}

// sameAnswer compares our answer with PostgreSQL's: the same text, or
// Hotdata's refusal of a timestamp past the engine's range where
// PostgreSQL answers.
func sameAnswer(got, want string) bool {
	return got == want || got == "ERROR 0A000: "+errEngineTimestamp.Message && !strings.HasPrefix(want, "ERROR")
}

func quoteLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// TestDatetimeInputPostgres checks the table against a PostgreSQL server
// (internal/testenv; with HOTDATA_TEST_REQUIRE_SERVICES=1 a missing
// server fails the test). HOTDATA_DTINPUT_DUMP=file writes the server's
// answers as table rows, to refresh the table.
func TestDatetimeInputPostgres(t *testing.T) {
	pg := openPG(t)
	var dump strings.Builder
	for _, c := range dtInputCases {
		want := pg.pgInput(t, c.typ, c.in, c.set)
		fmt.Fprintf(&dump, "\t%s\n", c.goLiteral(want))
		if got := dtInput(t, c.typ, c.in, c.set); !sameAnswer(got, want) {
			t.Errorf("%v\n  go: %q\n  pg: %q", c, got, want)
		}
		if pg.version/10000 == 15 && want != c.want {
			t.Errorf("%v: PostgreSQL 15 answers %q, the table %q", c, want, c.want)
		}
	}
	if path := os.Getenv("HOTDATA_DTINPUT_DUMP"); path != "" {
		if err := os.WriteFile(path, []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Settings the randomized test runs under.
var dtRandomSettings = []dtSettings{
	dtDefault,
	{"America/New_York", "SQL, DMY", "sql_standard"},
	{"Asia/Kolkata", "Postgres, YMD", "postgres_verbose"},
	{"Australia/Lord_Howe", "German", "iso_8601"},
	{"Europe/Moscow", "ISO, DMY", "postgres"},
	{"<+05:45>-05:45", "Postgres, MDY", "sql_standard"},
}

// Pieces the generator composes inputs from.
var (
	dtPieces = []string{
		"2024-03-10", "03/10/2024", "10.03.2024", "2024.069", "20240310", "240310", "24-03-10", "1-2-3",
		"2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0001-01-01", "0000-01-01", "4713-01-01",
		"4714-11-24", "4714-11-23", "5874897-12-31", "5874898-01-01", "294276-12-31", "294277-01-01", "294247-01-10",
		"99999-1-1", "Mar 10 2024", "10 March 2024", "March 10, 2024", "10-mar-2024", "mar-10-2024", "2024-mar-10",
		"2024/March/10", "Sun", "Wednesday", "J2460380", "J2460380.5", "j0", "jd 2451545", "y2024m3d10",
		"y2024 m3 d10 h12 mm30 s15.5", "2024 069", "2024-069", "069", "1 2 3", "12", "123", "12345",
		"1234567", "123456789", "00:00", "12:30", "12:30:45.123456", "1:2:3", "24:00", "24:00:01", "12:60",
		"23:59:60", "23:59:60.5", "12:30:45.1234567", "123045", "1230", "123045.5", "T", "t", "T12:30",
		"T123045", "12:30 PM", "12:30 am", "13:00 PM", "12 pm", "AM", "allballs", "+05", "-0530", "+05:30",
		"-05:30:15", "+1", "+16", "-15:59", "+0", "Z", "z", "UTC", "GMT", "EST", "PDT", "MSK", "LHDT",
		"CEST", "dst", "MET DST", "America/New_York", "Asia/Kolkata", "europe/berlin", "UTC+5", "utc-3",
		"EST5EDT", "Etc/GMT+3", "Mars/Base", "foo", "epoch", "infinity", "-infinity", "+infinity", "BC",
		"AD", "bc", "on", "at", "040506-08", "20240310T123045", "20240310 123045", "2024-03-10T12:30:45Z",
		"2024-03-10T12:30:45.5+05:30", "2024-03-10 12:30:45-08", ".5", "1.5", "-", "+", ",", "@", "Feb 29",
		"29 Feb", "Jan 1 0001 BC", "2000-01-01 00:00:00+14", "1997.038", "1997.366", "97.038", "2024-W10",
	}
	dtSeps = []string{" ", " ", " ", "T", ",", "-", "/", "", "  ", ".", ":"}

	ivPieces = []string{
		"1", "2", "-1", "+3", "1.5", "-0.25", ".5", "10", "100", "2147483647", "2147483648", "-2147483648",
		"9223372036854775807", "178000000", "1 day", "2 days", "1 d", "1d", "1h30m", "day", "hour", "hours",
		"h", "hr", "hrs", "minute", "mins", "m", "min", "second", "secs", "s", "sec", "ms", "msec",
		"millisecond", "milliseconds", "us", "usec", "microseconds", "week", "weeks", "w", "month", "mons",
		"mon", "year", "years", "y", "yr", "decade", "decades", "century", "c", "millennium", "mil",
		"quarter", "qtr", "ago", "@", "1:02", "1:02:03", "-1:02:03.5", "+02:00", "25:00", "1:60", "00:00:01.5",
		"12:34.5", "1-2", "-1-2", "1-12", "0-11", "P1Y", "P1Y2M3DT4H5M6S", "PT36H", "P1W", "P0.5Y", "P1Y-2M",
		"P0001-02-03T04:05:06", "P00010203T040506", "P1-2", "PT1:2", "PT1.5S", "P", "PT", "P1", "P1D2",
		"1 year 2 months 3 days 4 hours 5 minutes 6 seconds", "1 mon -1 day", "-1 day +02:00", "1 2", "1 day 2",
		"5 t", "infinity", "1e3", "0.1 ms", "1.5 us", "0.5 months", "0.3 decades", "-1.5 weeks", "1,5",
	}
	ivSeps = []string{" ", " ", " ", "", "  ", ","}
)

// dtAlphabet is what character soup is made of.
const dtAlphabet = "0123456789 :-./+,_TtZzJjyYmMdDhHsSaApPbBcCeEnNxXiIfFuUwWoO@<>()'\t"

// randomInput composes an input from pieces, sometimes mutated, or
// (one time in six) from random characters, or (one in twenty) many
// pieces (the input functions' work buffers bound the length).
func randomInput(r *rand.Rand, pieces, seps []string) string {
	switch r.Intn(20) {
	case 0, 1, 2:
		b := make([]byte, 1+r.Intn(14))
		for i := range b {
			b[i] = dtAlphabet[r.Intn(len(dtAlphabet))]
		}
		return string(b)
	case 3:
		var b strings.Builder
		for i, n := 0, 10+r.Intn(40); i < n; i++ {
			b.WriteString(pieces[r.Intn(len(pieces))])
			b.WriteString(seps[r.Intn(len(seps))])
		}
		return b.String()
	}
	n := 1 + r.Intn(4)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(seps[r.Intn(len(seps))])
		}
		b.WriteString(pieces[r.Intn(len(pieces))])
	}
	s := b.String()
	switch r.Intn(8) {
	case 0: // replace a byte by a digit or separator
		if s != "" {
			k := r.Intn(len(s))
			s = s[:k] + string("0123456789-:./ T+"[r.Intn(17)]) + s[k+1:]
		}
	case 1: // drop a byte
		if s != "" {
			k := r.Intn(len(s))
			s = s[:k] + s[k+1:]
		}
	case 2: // a random number somewhere
		s += " " + strconv.Itoa(r.Intn(100000000)>>uint(r.Intn(27)))
	}
	return s
}

// TestDatetimeInputRandomPostgres reads randomly composed date, time,
// timestamp, timestamptz and interval inputs here and on PostgreSQL
// under several DateStyle, TimeZone and IntervalStyle settings, and
// compares the printed values and errors. HOTDATA_DTINPUT_N sets the
// number of inputs per type (default 1500), HOTDATA_DTINPUT_SEED the
// seed; HOTDATA_DTINPUT_FAILS=file writes the differences as table rows.
func TestDatetimeInputRandomPostgres(t *testing.T) {
	pg := openPG(t)
	n := 1500
	if v, err := strconv.Atoi(os.Getenv("HOTDATA_DTINPUT_N")); err == nil {
		n = v
	}
	seed := int64(15)
	if v, err := strconv.ParseInt(os.Getenv("HOTDATA_DTINPUT_SEED"), 10, 64); err == nil {
		seed = v
	}
	r := rand.New(rand.NewSource(seed))
	var fails strings.Builder
	nfail := 0
	for _, typ := range []string{"date", "time", "timestamp", "timestamptz", "interval"} {
		pieces, seps := dtPieces, dtSeps
		if typ == "interval" {
			pieces, seps = ivPieces, ivSeps
		}
		for i := 0; i < n; i++ {
			in := randomInput(r, pieces, seps)
			set := dtRandomSettings[r.Intn(len(dtRandomSettings))]
			want := pg.pgInput(t, typ, in, set)
			got := dtInput(t, typ, in, set)
			if !sameAnswer(got, want) {
				nfail++
				c := dtCase{typ, set, in, want}
				fmt.Fprintf(&fails, "\t%s // go: %q\n", c.goLiteral(want), got)
				if nfail <= 50 {
					t.Errorf("%v\n  go: %q\n  pg: %q", c, got, want)
				}
			}
		}
	}
	if nfail > 0 {
		t.Errorf("%d differences", nfail)
	}
	if path := os.Getenv("HOTDATA_DTINPUT_FAILS"); path != "" {
		if err := os.WriteFile(path, []byte(fails.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzDatetimeInputPostgres compares an input's reading here and on
// PostgreSQL for every type, in the default settings:
//
//	go test ./pgval -run '^$' -fuzz FuzzDatetimeInputPostgres
func FuzzDatetimeInputPostgres(f *testing.F) {
	for _, c := range dtInputCases {
		f.Add(c.in)
	}
	pg := openPG(f)
	f.Fuzz(func(t *testing.T, in string) {
		low := strings.ToLower(in)
		if !utf8.ValidString(in) || strings.IndexByte(in, 0) >= 0 || strings.Contains(low, "now") || strings.Contains(low, "today") ||
			strings.Contains(low, "tomorrow") || strings.Contains(low, "yesterday") {
			return // not comparable: invalid text, or a value of the moment
		}
		for _, typ := range []string{"date", "time", "timestamp", "timestamptz", "interval"} {
			want := pg.pgInput(t, typ, in, dtDefault)
			if got := dtInput(t, typ, in, dtDefault); !sameAnswer(got, want) {
				t.Errorf("%q::%s\n  go: %q\n  pg: %q", in, typ, got, want)
			}
		}
	})
}
