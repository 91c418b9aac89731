package pgval

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	// s may alias memory the engine reuses: keep a copy.
	s = strings.Clone(s)
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

var (
	zoneCache      sync.Map // name -> *time.Location
	zoneCacheCount atomic.Int64
)

// LoadZone resolves a zone name as pg_tzset does: a zone of the tz
// database (its name in any case), or a POSIX time zone specification
// ("EST5EDT", "UTC+5", "<+05:45>-05:45", "+5"), where a positive offset
// is west of Greenwich. "hdfixed:<seconds east>" is Hotdata's name of a
// fixed offset (see OffsetZoneName).
func LoadZone(name string) (*time.Location, error) {
	if v, ok := zoneCache.Load(name); ok {
		return v.(*time.Location), nil
	}
	// The name may alias memory the engine reuses: the cache keeps a copy.
	name = strings.Clone(name)
	loc, err := loadZone(name)
	if err != nil {
		return nil, err
	}
	// Names come from queries: the cache stays bounded.
	if zoneCacheCount.Load() < 4096 {
		if _, loaded := zoneCache.LoadOrStore(name, loc); !loaded {
			zoneCacheCount.Add(1)
		}
	}
	return loc, nil
}

func loadZone(name string) (*time.Location, error) {
	if _, zone, ok := dynAbbrev(name); ok {
		// A dynamic abbreviation reads as its zone where only a zone is
		// wanted (date_trunc); AT TIME ZONE resolves it (LocalToUTCIn).
		return LoadZone(zone)
	}
	if v, ok := strings.CutPrefix(name, "hdfixed:"); ok {
		secs, err := strconv.Atoi(v)
		if err != nil {
			return nil, errf("22023", "invalid value for parameter \"TimeZone\": \"%s\"", name)
		}
		return time.FixedZone(fixedZoneAbbrev(secs), secs), nil
	}
	if loc, ok := pgTZSet(name); ok {
		return loc, nil
	}
	return nil, errf("22023", "invalid value for parameter \"TimeZone\": \"%s\"", name)
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

// AtTimeZone resolves the zone of AT TIME ZONE and of date_trunc's
// zone argument as timestamptz_zone does: an abbreviation of the Default
// set (EST, UTC, …), else a zone name or POSIX specification ("+05" and
// "UTC+5" mean five hours west of Greenwich). It returns a name LoadZone
// reads. A dynamic abbreviation (MSK) is read as its zone.
func AtTimeZone(name string) (string, error) {
	low := strings.ToLower(name)
	if len(low) > 63 {
		low = low[:63]
	}
	if tok, ok := zoneAbbrev(low); ok {
		if tok.typ == tkDynTZ {
			return dynAbbrevPrefix + low + ":" + dynamicAbbrevZones[tok.val], nil
		}
		return OffsetZoneName(tok.val), nil
	}
	if _, err := LoadZone(name); err != nil {
		return "", errf("22023", "time zone \"%s\" not recognized", name)
	}
	return name, nil
}

// dynAbbrevPrefix names a dynamic abbreviation and its zone for AT TIME
// ZONE: "hdabbrev:msk:Europe/Moscow".
const dynAbbrevPrefix = "hdabbrev:"

func dynAbbrev(name string) (abbr, zone string, ok bool) {
	rest, ok := strings.CutPrefix(name, dynAbbrevPrefix)
	if !ok {
		return "", "", false
	}
	abbr, zone, ok = strings.Cut(rest, ":")
	return abbr, zone, ok
}

// LocalToUTCIn is timestamp AT TIME ZONE name, for a name AtTimeZone
// returned: a dynamic abbreviation takes its meaning at that wall clock
// (DetermineTimeZoneAbbrevOffset), a zone its offset there.
func LocalToUTCIn(local int64, name string) (int64, error) {
	loc, err := LoadZone(name)
	if err != nil {
		return 0, err
	}
	if local == TSInfinity || local == TSNegInfinity {
		return local, nil
	}
	abbr, _, ok := dynAbbrev(name)
	if !ok {
		return LocalToUTC(local, loc), nil
	}
	t := toTM(local)
	tm := dtTM{year: t.year, mon: t.mon, mday: t.mday, hour: t.hour, min: t.min, sec: t.sec}
	west := determineTimeZoneAbbrevOffset(&tm, abbr, loc)
	return local + int64(west)*USecsPerSec, nil
}

// UTCToLocalIn is timestamptz AT TIME ZONE name (see LocalToUTCIn): a
// dynamic abbreviation's meaning at the instant
// (DetermineTimeZoneAbbrevOffsetTS).
func UTCToLocalIn(us int64, name string) (int64, error) {
	loc, err := LoadZone(name)
	if err != nil {
		return 0, err
	}
	if us == TSInfinity || us == TSNegInfinity {
		return us, nil
	}
	abbr, _, ok := dynAbbrev(name)
	if !ok {
		return UTCToLocal(us, loc), nil
	}
	secs, _ := floorDivMod(us, USecsPerSec)
	if east, ok := abbrevOffsetAt(secs, abbr, loc); ok {
		return us + int64(east)*USecsPerSec, nil
	}
	t := toTM(UTCToLocal(us, loc))
	tm := dtTM{year: t.year, mon: t.mon, mday: t.mday, hour: t.hour, min: t.min, sec: t.sec}
	west := determineTimeZoneOffset(&tm, loc)
	return us - int64(west)*USecsPerSec, nil
}

// SaneTimeZone resolves the zone argument of make_timestamptz as
// parse_sane_timezone does: a numeric zone is ISO-signed ("+05" is five
// hours east), then abbreviations, then zone names. It returns a name
// LoadZone reads.
func SaneTimeZone(name string) (string, error) {
	if name != "" && cIsDigit(name[0]) {
		return "", errf("22023", "invalid input syntax for type %s: \"%s\"", "numeric time zone", name).
			WithHint("Numeric time zones must have \"-\" or \"+\" as first character.")
	}
	west, dterr := decodeTimezone(name)
	switch dterr {
	case 0:
		return OffsetZoneName(-west), nil
	case dterrTZDispOverflow:
		return "", errf("22023", "numeric time zone \"%s\" out of range", name)
	case dterrBadFormat:
	default:
		return "", errf("22023", "time zone \"%s\" not recognized", name)
	}
	return AtTimeZone(name)
}

// OffsetZoneName names a fixed offset (seconds east of UTC) for LoadZone.
func OffsetZoneName(secsEast int) string { return "hdfixed:" + strconv.Itoa(secsEast) }

// fixedZoneAbbrev is how PostgreSQL names a fixed offset in output:
// "+05", "-03:30".
func fixedZoneAbbrev(secsEast int) string {
	return string(appendOffset(nil, secsEast))
}
