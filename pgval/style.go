package pgval

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// Date styles (DateStyle's output format).
const (
	StyleISO = iota
	StyleSQL
	StylePostgres
	StyleGerman
)

// Date orders (DateStyle's field order for input and SQL/Postgres output).
const (
	OrderMDY = iota
	OrderDMY
	OrderYMD
)

// Interval styles.
const (
	IntervalPostgres = iota
	IntervalPostgresVerbose
	IntervalSQLStandard
	IntervalISO8601
)

// Style holds the session settings that change how values are read and
// printed.
type Style struct {
	// Loc is TimeZone; ZoneName its name as SHOW prints it.
	Loc           *time.Location
	ZoneName      string
	DateStyle     int
	DateOrder     int
	IntervalStyle int
	// ExtraFloatDigits is extra_float_digits (-15..3; >0: shortest exact).
	ExtraFloatDigits int
	// ByteaEscape: bytea_output = escape.
	ByteaEscape bool
}

// DefaultStyle is PostgreSQL's defaults with TimeZone UTC.
var DefaultStyle = Style{Loc: time.UTC, ZoneName: "UTC", DateStyle: StyleISO, DateOrder: OrderMDY, ExtraFloatDigits: 1}

// ParseDateStyle reads a DateStyle value ("ISO, MDY", "SQL, DMY",
// "German", "Postgres, YMD").
func ParseDateStyle(v string) (style, order int, ok bool) {
	style, order = StyleISO, OrderMDY
	haveStyle, haveOrder := false, false
	for _, p := range strings.Split(v, ",") {
		switch strings.ToLower(strings.TrimSpace(p)) {
		case "iso":
			style, haveStyle = StyleISO, true
		case "sql":
			style, haveStyle = StyleSQL, true
		case "postgres":
			style, haveStyle = StylePostgres, true
		case "german":
			style, haveStyle = StyleGerman, true
			if !haveOrder {
				order = OrderDMY
			}
		case "mdy", "us", "noneuropean", "non-european":
			order, haveOrder = OrderMDY, true
		case "dmy", "euro", "european":
			order, haveOrder = OrderDMY, true
		case "ymd":
			order, haveOrder = OrderYMD, true
		case "default":
		default:
			return 0, 0, false
		}
	}
	_ = haveStyle
	return style, order, true
}

// FormatDateStyle prints a DateStyle as SHOW does ("ISO, MDY").
func FormatDateStyle(style, order int) string {
	s := [...]string{"ISO", "SQL", "Postgres", "German"}[style]
	o := [...]string{"MDY", "DMY", "YMD"}[order]
	return s + ", " + o
}

// ParseIntervalStyle reads an IntervalStyle value.
func ParseIntervalStyle(v string) (int, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "postgres":
		return IntervalPostgres, true
	case "postgres_verbose":
		return IntervalPostgresVerbose, true
	case "sql_standard":
		return IntervalSQLStandard, true
	case "iso_8601":
		return IntervalISO8601, true
	}
	return 0, false
}

// EncodeStyle packs the settings into the one string the engine's
// functions take: "timezone|datestyle|intervalstyle|efd|bytea".
func EncodeStyle(tz, dateStyle, intervalStyle, efd, byteaOutput string) string {
	return tz + "|" + dateStyle + "|" + intervalStyle + "|" + efd + "|" + byteaOutput
}

var styleCache sync.Map // string -> Style

// DecodeStyle reads EncodeStyle's string (cached: the engine calls it
// once per batch).
func DecodeStyle(s string) Style {
	if v, ok := styleCache.Load(s); ok {
		return v.(Style)
	}
	st := DefaultStyle
	parts := strings.Split(s, "|")
	if len(parts) > 0 && parts[0] != "" {
		if loc, err := LoadZone(parts[0]); err == nil {
			st.Loc, st.ZoneName = loc, parts[0]
		}
	}
	if len(parts) > 1 {
		if ds, do, ok := ParseDateStyle(parts[1]); ok {
			st.DateStyle, st.DateOrder = ds, do
		}
	}
	if len(parts) > 2 {
		if is, ok := ParseIntervalStyle(parts[2]); ok {
			st.IntervalStyle = is
		}
	}
	if len(parts) > 3 {
		if n, err := strconv.Atoi(strings.TrimSpace(parts[3])); err == nil {
			st.ExtraFloatDigits = n
		}
	}
	if len(parts) > 4 {
		st.ByteaEscape = strings.EqualFold(strings.TrimSpace(parts[4]), "escape")
	}
	styleCache.Store(s, st)
	return st
}

var zoneCache sync.Map // name -> *time.Location

// LoadZone resolves a TimeZone value: an IANA name, UTC/GMT/Z, or a
// POSIX-style offset ("UTC+5", "+05:30", "-8").
func LoadZone(name string) (*time.Location, error) {
	if v, ok := zoneCache.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := loadZone(name)
	if err != nil {
		return nil, err
	}
	zoneCache.Store(name, loc)
	return loc, nil
}

func loadZone(name string) (*time.Location, error) {
	n := strings.TrimSpace(name)
	if v, ok := strings.CutPrefix(n, "hdfixed:"); ok {
		secs, err := strconv.Atoi(v)
		if err != nil {
			return nil, errf("22023", "invalid value for parameter \"TimeZone\": %q", name)
		}
		return time.FixedZone(fixedZoneAbbrev(secs), secs), nil
	}
	switch strings.ToLower(n) {
	case "utc", "gmt", "z", "zulu", "etc/utc", "etc/gmt", "uct", "universal":
		return time.UTC, nil
	}
	if loc, err := time.LoadLocation(n); err == nil {
		return loc, nil
	}
	// Case-insensitive IANA names ("asia/kolkata").
	if fixed := caseFoldZone(n); fixed != "" {
		if loc, err := time.LoadLocation(fixed); err == nil {
			return loc, nil
		}
	}
	// A numeric offset: PostgreSQL reads "+5" and "UTC+5" POSIX-style
	// (+ is west of Greenwich) in TimeZone and AT TIME ZONE, though
	// ISO-style in date/time values.
	posix := n
	for _, p := range []string{"UTC", "GMT", "utc", "gmt"} {
		posix = strings.TrimPrefix(posix, p)
	}
	if secs, ok := parseOffset(posix); ok {
		return time.FixedZone(fixedZoneAbbrev(-secs), -secs), nil
	}
	if isAllDigitsStr(posix) {
		if h, err := strconv.Atoi(posix); err == nil && h <= 15 {
			return time.FixedZone(fixedZoneAbbrev(-h*3600), -h*3600), nil
		}
	}
	return nil, errf("22023", "invalid value for parameter \"TimeZone\": %q", name)
}

// caseFoldZone finds the IANA name that matches name ignoring case.
func caseFoldZone(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		sub := strings.Split(p, "_")
		for j, s := range sub {
			if len(s) > 0 {
				sub[j] = strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
			}
		}
		parts[i] = strings.Join(sub, "_")
	}
	return strings.Join(parts, "/")
}

// parseOffset reads "+05:30", "-08", "+0530" as seconds east of UTC.
func parseOffset(s string) (int, bool) {
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	body := s[1:]
	var h, m, sec int
	var err error
	switch {
	case strings.Contains(body, ":"):
		p := strings.Split(body, ":")
		if len(p) > 3 {
			return 0, false
		}
		if h, err = strconv.Atoi(p[0]); err != nil {
			return 0, false
		}
		if len(p) > 1 {
			if m, err = strconv.Atoi(p[1]); err != nil {
				return 0, false
			}
		}
		if len(p) > 2 {
			if sec, err = strconv.Atoi(p[2]); err != nil {
				return 0, false
			}
		}
	case len(body) <= 2:
		if h, err = strconv.Atoi(body); err != nil {
			return 0, false
		}
	case len(body) == 4:
		if h, err = strconv.Atoi(body[:2]); err != nil {
			return 0, false
		}
		if m, err = strconv.Atoi(body[2:]); err != nil {
			return 0, false
		}
	case len(body) == 6:
		if h, err = strconv.Atoi(body[:2]); err != nil {
			return 0, false
		}
		if m, err = strconv.Atoi(body[2:4]); err != nil {
			return 0, false
		}
		if sec, err = strconv.Atoi(body[4:]); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if h > 15 || m > 59 || sec > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60 + sec), true
}

// AtTimeZone resolves the zone of AT TIME ZONE: an abbreviation of
// PostgreSQL's default set (EST, UTC, …), a zone name, or a POSIX-style
// offset ("+05" and "UTC+5" mean five hours west of Greenwich). It
// returns a name LoadZone reads.
func AtTimeZone(name string) (string, error) {
	if secs, ok := zoneAbbrevs[strings.ToLower(strings.TrimSpace(name))]; ok {
		return OffsetZoneName(secs), nil
	}
	if _, err := LoadZone(name); err != nil {
		return "", errf("22023", "time zone %q not recognized", name)
	}
	return name, nil
}

// OffsetZoneName names a fixed offset (seconds east of UTC) for LoadZone.
func OffsetZoneName(secsEast int) string { return "hdfixed:" + strconv.Itoa(secsEast) }

// fixedZoneAbbrev is how PostgreSQL names a fixed offset in output:
// "+05", "-03:30".
func fixedZoneAbbrev(secsEast int) string {
	return string(appendOffset(nil, secsEast))
}
