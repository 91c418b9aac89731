package pgval

import (
	"math/big"
	"strings"
	"time"
)

// time with time zone as PostgreSQL 15's date.c has it: microseconds
// since midnight (0 to 24:00:00) and the zone in seconds west of
// Greenwich (PostgreSQL's sign: '+05:30' is -19800).

// Timetz is one timetz value.
type Timetz struct {
	Time int64 // microseconds
	Zone int   // seconds west
}

// tzDispLimit is TZDISP_LIMIT.
const tzDispLimit = 16 * 3600

// ParseTimetz is timetz_in: a time without a zone takes the session
// zone's offset on the date given, or on today's date (now).
func ParseTimetz(s string, st Style, now Clock) (Timetz, error) {
	if t, ok := parseTimetzFast(s); ok {
		return t, nil
	}
	loc := st.Loc
	if loc == nil {
		loc = time.UTC
	}
	ctx := &dtContext{order: st.DateOrder, loc: loc, now: now}
	_, tm, err := decodeInput(s, bufDate, st, now, true, "time with time zone")
	if err != nil {
		return Timetz{}, err
	}
	tz := tm.tz
	dateTM := func() (dtTM, bool) {
		if tm.fullDate {
			return dtTM{year: tm.year, mon: tm.mon, mday: tm.mday, hour: tm.hour, min: tm.min, sec: tm.sec}, true
		}
		cur, _, ok := ctx.currentTM("now")
		if !ok {
			return dtTM{}, false
		}
		return dtTM{year: cur.year, mon: cur.mon, mday: cur.mday, hour: tm.hour, min: tm.min, sec: tm.sec}, true
	}
	switch {
	case tm.namedZone != nil:
	case tm.abbrevZone != nil:
		d, ok := dateTM()
		if !ok {
			return Timetz{}, noClock(s)
		}
		tz = determineTimeZoneAbbrevOffset(&d, tm.abbrev, tm.abbrevZone)
	case !tm.tzGiven:
		d, ok := dateTM()
		if !ok {
			return Timetz{}, noClock(s)
		}
		tz = determineTimeZoneOffset(&d, loc)
	}
	return Timetz{Time: ((tm.hour*60+tm.min)*60+tm.sec)*USecsPerSec + tm.fsec, Zone: tz}, nil
}

// parseTimetzFast reads timetz_out's own form: HH:MM:SS[.ffffff]±HH[:MM[:SS]].
func parseTimetzFast(s string) (Timetz, bool) {
	if len(s) < 11 || s[2] != ':' || s[5] != ':' {
		return Timetz{}, false
	}
	num := func(p string) (int64, bool) {
		if len(p) != 2 || !cIsDigit(p[0]) || !cIsDigit(p[1]) {
			return 0, false
		}
		return int64(p[0]-'0')*10 + int64(p[1]-'0'), true
	}
	h, ok1 := num(s[0:2])
	m, ok2 := num(s[3:5])
	sec, ok3 := num(s[6:8])
	if !ok1 || !ok2 || !ok3 || m > 59 || sec > 59 {
		return Timetz{}, false
	}
	rest := s[8:]
	var frac int64
	if rest != "" && rest[0] == '.' {
		k := 1
		for k < len(rest) && cIsDigit(rest[k]) {
			k++
		}
		digits := rest[1:k]
		if len(digits) == 0 || len(digits) > 6 {
			return Timetz{}, false
		}
		for _, c := range digits {
			frac = frac*10 + int64(c-'0')
		}
		for n := len(digits); n < 6; n++ {
			frac *= 10
		}
		rest = rest[k:]
	}
	us := ((h*60+m)*60+sec)*USecsPerSec + frac
	if us > USecsPerDay {
		return Timetz{}, false
	}
	if rest == "" || rest[0] != '+' && rest[0] != '-' {
		return Timetz{}, false
	}
	parts := strings.Split(rest[1:], ":")
	if len(parts) > 3 {
		return Timetz{}, false
	}
	var off int64
	mult := []int64{3600, 60, 1}
	for k, p := range parts {
		v, ok := num(p)
		if !ok || k > 0 && v > 59 {
			return Timetz{}, false
		}
		off += v * mult[k]
	}
	if off >= tzDispLimit {
		return Timetz{}, false
	}
	if rest[0] == '+' {
		off = -off
	}
	return Timetz{Time: us, Zone: int(off)}, true
}

// String is timetz_out.
func (t Timetz) String() string {
	return string(appendOffset(AppendTime(nil, t.Time), -t.Zone))
}

// AppendBinary is timetz_send.
func (t Timetz) AppendBinary(dst []byte) []byte {
	u := uint64(t.Time)
	dst = append(dst, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
	z := uint32(int32(t.Zone))
	return append(dst, byte(z>>24), byte(z>>16), byte(z>>8), byte(z))
}

// SortKey orders as timetz_cmp_internal: by the UTC time, then by zone;
// equal only for equal values.
func (t Timetz) SortKey() int64 {
	utc := t.Time + int64(t.Zone)*USecsPerSec
	return utc<<17 | int64(t.Zone+tzDispLimit)
}

// Compare is timetz_cmp_internal.
func (t Timetz) Compare(o Timetz) int {
	a, b := t.SortKey(), o.SortKey()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// PlusInterval is timetz_pl_interval (sign 1) or timetz_mi_interval
// (sign -1): only the interval's time part counts, modulo a day.
func (t Timetz) PlusInterval(iv Interval, sign int64) Timetz {
	r := t.Time + sign*iv.Micros
	r -= r / USecsPerDay * USecsPerDay
	if r < 0 {
		r += USecsPerDay
	}
	return Timetz{Time: r, Zone: t.Zone}
}

// AtZone is timetz_zone / timetz_izone: the same instant in a zone tz
// (seconds west).
func (t Timetz) AtZone(tz int) Timetz {
	r := t.Time + int64(t.Zone-tz)*USecsPerSec
	for r < 0 {
		r += USecsPerDay
	}
	if r >= USecsPerDay {
		r %= USecsPerDay
	}
	return Timetz{Time: r, Zone: tz}
}

// TimetzZoneOffset is the zone timetz AT TIME ZONE name takes (seconds
// west): a fixed abbreviation's offset, a dynamic one's or a zone's at
// the instant now (timetz_zone). name is as AtTimeZone returns it.
func TimetzZoneOffset(name string, now time.Time) (int, error) {
	loc, err := LoadZone(name)
	if err != nil {
		return 0, err
	}
	secs := now.Unix()
	if abbr, _, ok := dynAbbrev(name); ok {
		if east, ok := abbrevOffsetAt(secs, abbr, loc); ok {
			return -east, nil
		}
	}
	_, east := now.In(loc).Zone()
	return -east, nil
}

// TimetzFromTimestamptz is timestamptz_timetz: the local time and
// offset of the instant in loc.
func TimetzFromTimestamptz(us int64, loc *time.Location) Timetz {
	local := UTCToLocal(us, loc)
	_, tod := floorDivMod(local, USecsPerDay)
	return Timetz{Time: tod, Zone: int((us - local) / USecsPerSec)}
}

// TimetzFromTime is time_timetz: the session zone's offset on today's
// date at that time.
func TimetzFromTime(us int64, loc *time.Location, now time.Time) Timetz {
	n := now.In(loc)
	tm := dtTM{year: int64(n.Year()), mon: int64(n.Month()), mday: int64(n.Day()),
		hour: us / USecsPerHour, min: us / USecsPerMin % 60, sec: us / USecsPerSec % 60}
	return Timetz{Time: us, Zone: determineTimeZoneOffset(&tm, loc)}
}

// ExtractTimetz is extract(field FROM timetz) and date_part
// (timetz_part_common).
func ExtractTimetz(field string, t Timetz, float bool) (Numeric, float64, error) {
	const typeName = "time with time zone"
	low, kind, val := decodeExtractUnit(field)
	us := t.Time
	hour, min := us/USecsPerHour, us/USecsPerMin%60
	sec, fsec := us/USecsPerSec%60, us%USecsPerSec
	iv := func(v int64) (Numeric, float64, error) { return NumericFromInt(v), float64(v), nil }
	switch {
	case kind == unitReserv && val == dtkEpoch:
		return Numeric{Int: big.NewInt(us + int64(t.Zone)*USecsPerSec), Scale: 6}, float64(us)/1000000.0 + float64(t.Zone), nil
	case kind != unitUnits:
		return Numeric{}, 0, unitNotRecognized(low, typeName)
	}
	switch val {
	case dtkTZ:
		return iv(int64(-t.Zone))
	case dtkTZMinute:
		return iv(int64(-t.Zone / 60 % 60))
	case dtkTZHour:
		return iv(int64(-t.Zone / 3600))
	case dtkMicrosec:
		return NumericFromInt(sec*USecsPerSec + fsec), float64(sec)*1000000.0 + float64(fsec), nil
	case dtkMillisec:
		return Numeric{Int: big.NewInt(sec*USecsPerSec + fsec), Scale: 3}, float64(sec)*1000.0 + float64(fsec)/1000.0, nil
	case dtkSecond:
		return Numeric{Int: big.NewInt(sec*USecsPerSec + fsec), Scale: 6}, float64(sec) + float64(fsec)/1000000.0, nil
	case dtkMinute:
		return iv(min)
	case dtkHour:
		return iv(hour)
	}
	return Numeric{}, 0, unitNotSupported(low, typeName)
}

// DateTimetz is date + timetz (datetimetz_timestamptz), days and the
// result counted from 1970.
func DateTimetz(days int64, t Timetz) (int64, error) {
	switch days {
	case DateInfinity:
		return TSInfinity, nil
	case DateNegInfinity:
		return TSNegInfinity, nil
	}
	pgDays := days - (postgresEpochJDate - unixEpochJDate)
	if pgDays >= timestampEndJulian-postgresEpochJDate {
		return 0, errf("22008", "date out of range for timestamp")
	}
	r := pgDays*USecsPerDay + t.Time + int64(t.Zone)*USecsPerSec
	if r < pgMinTimestamp || r >= pgEndTimestamp {
		return 0, errf("22008", "date out of range for timestamp")
	}
	return fromPGEpoch(r)
}
