package pgval

import (
	"strconv"
	"strings"
	"time"
)

var monthAbbrev = [...]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var dayAbbrev = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

func appendPad(dst []byte, v int64, width int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// displayYear turns an astronomical year into PostgreSQL's (year, BC).
func displayYear(y int64) (int64, bool) {
	if y <= 0 {
		return 1 - y, true
	}
	return y, false
}

// appendYMD writes a date in DateStyle (without BC).
func appendYMD(dst []byte, y, m, d int64, st Style) []byte {
	switch st.DateStyle {
	case StyleSQL:
		if st.DateOrder == OrderDMY {
			dst = appendPad(dst, d, 2)
			dst = append(dst, '/')
			dst = appendPad(dst, m, 2)
		} else {
			dst = appendPad(dst, m, 2)
			dst = append(dst, '/')
			dst = appendPad(dst, d, 2)
		}
		dst = append(dst, '/')
		return appendPad(dst, y, 4)
	case StyleGerman:
		dst = appendPad(dst, d, 2)
		dst = append(dst, '.')
		dst = appendPad(dst, m, 2)
		dst = append(dst, '.')
		return appendPad(dst, y, 4)
	case StylePostgres:
		if st.DateOrder == OrderDMY {
			dst = appendPad(dst, d, 2)
			dst = append(dst, '-')
			dst = appendPad(dst, m, 2)
		} else {
			dst = appendPad(dst, m, 2)
			dst = append(dst, '-')
			dst = appendPad(dst, d, 2)
		}
		dst = append(dst, '-')
		return appendPad(dst, y, 4)
	}
	dst = appendPad(dst, y, 4)
	dst = append(dst, '-')
	dst = appendPad(dst, m, 2)
	dst = append(dst, '-')
	return appendPad(dst, d, 2)
}

// AppendDate is date_out.
func AppendDate(dst []byte, days int64, st Style) []byte {
	switch days {
	case DateInfinity:
		return append(dst, "infinity"...)
	case DateNegInfinity:
		return append(dst, "-infinity"...)
	}
	y, m, d := CivilFromDays(days)
	y, bc := displayYear(y)
	dst = appendYMD(dst, y, m, d, st)
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendClock writes hh:mm:ss[.ffffff] with trailing zeros of the
// fraction dropped.
func appendClock(dst []byte, tod int64) []byte {
	h := tod / USecsPerHour
	m := tod / USecsPerMin % 60
	s := tod / USecsPerSec % 60
	us := tod % USecsPerSec
	dst = appendPad(dst, h, 2)
	dst = append(dst, ':')
	dst = appendPad(dst, m, 2)
	dst = append(dst, ':')
	dst = appendPad(dst, s, 2)
	return appendFraction(dst, us)
}

func appendFraction(dst []byte, us int64) []byte {
	if us == 0 {
		return dst
	}
	f := strconv.FormatInt(us+USecsPerSec, 10)[1:]
	for len(f) > 0 && f[len(f)-1] == '0' {
		f = f[:len(f)-1]
	}
	dst = append(dst, '.')
	return append(dst, f...)
}

// AppendTime is time_out.
func AppendTime(dst []byte, us int64) []byte { return appendClock(dst, us) }

// AppendTimestamp is timestamp_out.
func AppendTimestamp(dst []byte, us int64, st Style) []byte {
	return appendTS(dst, us, st, false, 0, "")
}

// AppendTimestamptz is timestamptz_out, in the session's zone.
func AppendTimestamptz(dst []byte, us int64, st Style) []byte {
	if us == TSInfinity || us == TSNegInfinity {
		return appendTS(dst, us, st, true, 0, "")
	}
	secs, _ := floorDivMod(us, USecsPerSec)
	t := time.Unix(secs, 0).In(st.Loc)
	abbr, off := t.Zone()
	// The wall clock, as days and time of day: near the end of the range
	// the local time passes what int64 microseconds hold.
	days, tod := SplitTimestamp(us)
	tod += int64(off) * USecsPerSec
	d, r := floorDivMod(tod, USecsPerDay)
	return appendTSParts(dst, days+d, r, st, true, off, abbr)
}

// appendTS writes a local timestamp (us is the wall clock) in DateStyle,
// with the zone for timestamptz.
func appendTS(dst []byte, us int64, st Style, withZone bool, off int, abbr string) []byte {
	switch us {
	case TSInfinity:
		return append(dst, "infinity"...)
	case TSNegInfinity:
		return append(dst, "-infinity"...)
	}
	days, tod := SplitTimestamp(us)
	return appendTSParts(dst, days, tod, st, withZone, off, abbr)
}

// appendTSParts writes a wall clock given as days since 1970 and
// microseconds of the day.
func appendTSParts(dst []byte, days, tod int64, st Style, withZone bool, off int, abbr string) []byte {
	y, m, d := CivilFromDays(days)
	y, bc := displayYear(y)
	switch st.DateStyle {
	case StylePostgres:
		dst = append(dst, dayAbbrev[Weekday(days)]...)
		dst = append(dst, ' ')
		if st.DateOrder == OrderDMY {
			dst = appendPad(dst, d, 2)
			dst = append(dst, ' ')
			dst = append(dst, monthAbbrev[m]...)
		} else {
			dst = append(dst, monthAbbrev[m]...)
			dst = append(dst, ' ')
			dst = appendPad(dst, d, 2)
		}
		dst = append(dst, ' ')
		dst = appendClock(dst, tod)
		dst = append(dst, ' ')
		dst = appendPad(dst, y, 4)
		if withZone {
			dst = append(dst, ' ')
			dst = appendZoneName(dst, off, abbr)
		}
	case StyleSQL, StyleGerman:
		dst = appendYMD(dst, y, m, d, st)
		dst = append(dst, ' ')
		dst = appendClock(dst, tod)
		if withZone {
			dst = append(dst, ' ')
			dst = appendZoneName(dst, off, abbr)
		}
	default:
		dst = appendYMD(dst, y, m, d, st)
		dst = append(dst, ' ')
		dst = appendClock(dst, tod)
		if withZone {
			dst = appendOffset(dst, off)
		}
	}
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendOffset writes an ISO zone offset: +05:30, -08, +00.
func appendOffset(dst []byte, off int) []byte {
	if off < 0 {
		dst = append(dst, '-')
		off = -off
	} else {
		dst = append(dst, '+')
	}
	dst = appendPad(dst, int64(off/3600), 2)
	if m := off / 60 % 60; m != 0 || off%60 != 0 {
		dst = append(dst, ':')
		dst = appendPad(dst, int64(m), 2)
		if s := off % 60; s != 0 {
			dst = append(dst, ':')
			dst = appendPad(dst, int64(s), 2)
		}
	}
	return dst
}

// appendZoneName writes the zone abbreviation the SQL, Postgres and
// German styles print (or the offset when the zone has none).
func appendZoneName(dst []byte, off int, abbr string) []byte {
	if abbr != "" {
		return append(dst, abbr...)
	}
	return appendOffset(dst, off)
}

// ISOTimestamp is the form to_json gives timestamps: ISO 8601 with a T,
// and the offset in the session's zone for timestamptz (loc non-nil).
func ISOTimestamp(us int64, loc *time.Location) string {
	switch us {
	case TSInfinity:
		return "infinity"
	case TSNegInfinity:
		return "-infinity"
	}
	st := DefaultStyle
	var b []byte
	if loc != nil {
		st.Loc = loc
		b = AppendTimestamptz(nil, us, st)
	} else {
		b = AppendTimestamp(nil, us, st)
	}
	s := string(b)
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i] + "T" + s[i+1:]
	}
	// JSON offsets carry minutes: +05 becomes +05:00.
	if loc != nil {
		if j := strings.LastIndexAny(s, "+-"); j > 10 && len(s)-j == 3 {
			s += ":00"
		}
	}
	return s
}
