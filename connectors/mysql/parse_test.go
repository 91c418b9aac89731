package mysql

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestParseInt(t *testing.T) {
	for _, c := range []struct {
		in   string
		bits uint
		want int64
	}{
		{"0", 8, 0}, {"127", 8, 127}, {"-128", 8, -128}, {"007", 8, 7},
		{"32767", 16, 32767}, {"-32768", 16, -32768},
		{"2147483647", 32, math.MaxInt32}, {"-2147483648", 32, math.MinInt32},
		{"9223372036854775807", 64, math.MaxInt64}, {"-9223372036854775808", 64, math.MinInt64}, {"-0", 64, 0},
	} {
		if got, err := parseInt([]byte(c.in), c.bits); err != nil || got != c.want {
			t.Errorf("parseInt(%q, %d) = %d, %v; want %d", c.in, c.bits, got, err, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		bits uint
	}{
		{"128", 8}, {"-129", 8}, {"32768", 16}, {"9223372036854775808", 64}, {"-9223372036854775809", 64},
		{"99999999999999999999", 64}, {"", 8}, {"-", 8}, {"1.5", 32}, {"+1", 32}, {" 1", 32}, {"1e3", 32},
	} {
		if got, err := parseInt([]byte(c.in), c.bits); !errors.Is(err, errSyntax) {
			t.Errorf("parseInt(%q, %d) = %d, %v; want a syntax error", c.in, c.bits, got, err)
		}
	}
}

func TestParseUint(t *testing.T) {
	for _, c := range []struct {
		in   string
		bits uint
		want uint64
	}{
		{"255", 8, 255}, {"65535", 16, 65535}, {"4294967295", 32, math.MaxUint32}, {"18446744073709551615", 64, math.MaxUint64}, {"0", 64, 0},
	} {
		if got, err := parseUint([]byte(c.in), c.bits); err != nil || got != c.want {
			t.Errorf("parseUint(%q, %d) = %d, %v; want %d", c.in, c.bits, got, err, c.want)
		}
	}
	for _, in := range []string{"256", "-1", "18446744073709551616", "", "x"} {
		bits := uint(8)
		if len(in) > 10 {
			bits = 64
		}
		if got, err := parseUint([]byte(in), bits); err == nil {
			t.Errorf("parseUint(%q, %d) = %d; want an error", in, bits, got)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	nines38 := strings.Repeat("9", 38)
	for _, c := range []struct {
		in    string
		scale int32
		want  string
	}{
		{"0.00", 2, "0.00"}, {"-0.01", 2, "-0.01"}, {"12", 2, "12.00"}, {"1.5", 3, "1.500"},
		{"1234567890.12", 2, "1234567890.12"}, {nines38, 0, nines38}, {"-" + nines38, 0, "-" + nines38},
		{"0." + nines38, 38, "0." + nines38}, {"-0.00000000000000000000000000000000000001", 38, "-0.00000000000000000000000000000000000001"},
		{"123456789012345678.12345678901234567890", 20, "123456789012345678.12345678901234567890"},
		{"00000000000000000000000000000000000000000001", 0, "1"},
	} {
		n, err := parseDecimal([]byte(c.in), c.scale)
		if err != nil {
			t.Errorf("parseDecimal(%q, %d): %v", c.in, c.scale, err)
			continue
		}
		if got := n.ToString(c.scale); got != c.want {
			t.Errorf("parseDecimal(%q, %d) = %s, want %s", c.in, c.scale, got, c.want)
		}
	}
	for _, c := range []struct {
		in    string
		scale int32
	}{
		{"", 2}, {"-", 2}, {".", 2}, {"1.2.3", 2}, {"1e5", 2}, {"12.345", 2}, {"abc", 0},
		{"1" + nines38, 0}, {"1." + nines38, 38}, {"9" + nines38[:37] + ".5", 1},
	} {
		if n, err := parseDecimal([]byte(c.in), c.scale); err == nil {
			t.Errorf("parseDecimal(%q, %d) = %s; want an error", c.in, c.scale, n.ToString(c.scale))
		}
	}
}

func TestParseDates(t *testing.T) {
	// Every 97th day from year 1 to 9999 against the time package.
	for d := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 10000; d = d.AddDate(0, 0, 97) {
		text := d.Format("2006-01-02")
		days, ok, err := parseDate([]byte(text))
		if err != nil || !ok || days != d.Unix()/86400 {
			t.Fatalf("parseDate(%s) = %d, %v, %v; want %d", text, days, ok, err, d.Unix()/86400)
		}
	}
	for _, zero := range []string{"0000-00-00", "2024-00-15", "2024-01-00", "2023-02-29", "2024-04-31"} {
		if _, ok, err := parseDate([]byte(zero)); ok || err != nil {
			t.Errorf("parseDate(%s) = %v, %v; want no day and no error", zero, ok, err)
		}
	}
	if _, ok, err := parseDate([]byte("2024-02-29")); !ok || err != nil {
		t.Errorf("parseDate(2024-02-29) = %v, %v", ok, err)
	}
	for _, bad := range []string{"", "2024-1-01", "2024/01/01", "2024-13-01", "2024-01-32", "20240101xx", "2024-01-01 "} {
		if _, _, err := parseDate([]byte(bad)); err == nil {
			t.Errorf("parseDate(%q) accepted", bad)
		}
	}

	for _, c := range []struct{ in, want string }{
		{"2024-02-29 12:34:56.123456", "2024-02-29T12:34:56.123456Z"},
		{"1969-12-31 23:59:59.5", "1969-12-31T23:59:59.5Z"},
		{"1000-01-01 00:00:00", "1000-01-01T00:00:00Z"},
		{"9999-12-31 23:59:59.999999", "9999-12-31T23:59:59.999999Z"},
	} {
		us, ok, err := parseDatetime([]byte(c.in))
		want, _ := time.Parse(time.RFC3339Nano, c.want)
		if err != nil || !ok || us != want.UnixMicro() {
			t.Errorf("parseDatetime(%s) = %d, %v, %v; want %d", c.in, us, ok, err, want.UnixMicro())
		}
	}
	if _, ok, err := parseDatetime([]byte("0000-00-00 00:00:00")); ok || err != nil {
		t.Errorf("zero datetime: %v, %v", ok, err)
	}
	for _, bad := range []string{"2024-02-29T12:34:56", "2024-02-29 24:00:00", "2024-02-29 12:60:00", "2024-02-29 12:00", "2024-02-29 12:00:00.", "2024-02-29 12:00:00.1234567"} {
		if _, _, err := parseDatetime([]byte(bad)); err == nil {
			t.Errorf("parseDatetime(%q) accepted", bad)
		}
	}

	h := int64(time.Hour / time.Microsecond)
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"00:00:00", 0}, {"23:59:59.999999", 24*h - 1}, {"12:00:00.5", 12*h + 500000}, {"838:59:59", 839*h - 1_000_000},
		{"-838:59:59.000000", -(839*h - 1_000_000)}, {"-00:00:01", -1_000_000}, {"24:00:00", 24 * h}, {"100:00:00.01", 100*h + 10000},
	} {
		if got, err := parseTime([]byte(c.in)); err != nil || got != c.want {
			t.Errorf("parseTime(%s) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "-", "1:2:3", "12:00", "12:60:00", "12:00:60", "12:00:00.1234567", "12:00:00x", "-:00:00"} {
		if _, err := parseTime([]byte(bad)); err == nil {
			t.Errorf("parseTime(%q) accepted", bad)
		}
	}
}

func TestBitsValue(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want uint64
	}{
		{[]byte{}, 0}, {[]byte{1}, 1}, {[]byte{3, 0xff}, 1023}, {[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, math.MaxUint64},
	} {
		if got, err := bitsValue(c.in); err != nil || got != c.want {
			t.Errorf("bitsValue(%x) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	if _, err := bitsValue(make([]byte, 9)); err == nil {
		t.Error("a 9-byte BIT value was accepted")
	}
}

// FuzzParseDecimal checks every decimal parseDecimal accepts against
// math/big.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"0", "-0.01", "12.5", "99999999999999999999999999999999999999", "0.00000000000000000000000000000000000001", "1.2.3", "-", "007.50"} {
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, scale uint8) {
		sc := int32(scale % 39)
		n, err := parseDecimal([]byte(s), sc)
		if err != nil {
			return
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("parseDecimal accepted %q, which math/big rejects", s)
		}
		if got, want := n.ToString(sc), r.FloatString(int(sc)); got != want {
			t.Fatalf("parseDecimal(%q, %d) = %s, want %s", s, sc, got, want)
		}
	})
}

// FuzzParseDatetime checks every datetime parseDatetime reads as a day
// against the time package.
func FuzzParseDatetime(f *testing.F) {
	for _, s := range []string{"2024-02-29 12:34:56.123456", "0000-00-00 00:00:00", "1000-01-01 00:00:00", "2023-02-29 00:00:00", "9999-12-31 23:59:59.9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		us, ok, err := parseDatetime([]byte(s))
		if err != nil || !ok {
			return
		}
		want, perr := time.Parse("2006-01-02 15:04:05.999999", s)
		if perr != nil {
			t.Fatalf("parseDatetime accepted %q: %v", s, perr)
		}
		if us != want.UnixMicro() {
			t.Fatalf("parseDatetime(%q) = %d, want %d", s, us, want.UnixMicro())
		}
	})
}
