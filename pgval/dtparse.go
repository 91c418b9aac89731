package pgval

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// This file is a port of PostgreSQL 15's date/time input machinery
// (src/backend/utils/adt/datetime.c): ParseDateTime breaks the input into
// fields, DecodeDateTime and DecodeTimeOnly interpret them with the same
// field masks, keyword tables and heuristics, so that every input
// PostgreSQL accepts reads the same here, and every input it rejects is
// rejected with the same SQLSTATE.

// Field types ParseDateTime assigns (DTK_NUMBER …).
const (
	ftNumber  = iota // digits and maybe a decimal point
	ftString         // text
	ftDate           // digits and two delimiters, or digits and text
	ftTime           // digits, colons, maybe a decimal point
	ftTZ             // leading sign, then digits (and : . -)
	ftSpecial        // leading sign, then text
)

// Token types of the keyword tables (RESERV, MONTH …); also the bit
// numbers of the field masks.
const (
	tkReserv      = 0
	tkMonth       = 1
	tkYear        = 2
	tkDay         = 3
	tkJulian      = 4
	tkTZ          = 5
	tkDTZ         = 6
	tkDynTZ       = 7
	tkIgnore      = 8
	tkAMPM        = 9
	tkHour        = 10
	tkMinute      = 11
	tkSecond      = 12
	tkMillisecond = 13
	tkMicrosecond = 14
	tkDOY         = 15
	tkDOW         = 16
	tkUnits       = 17
	tkADBC        = 18
	tkAgo         = 19
	tkISOTime     = 23
	tkWeek        = 24
	tkDecade      = 25
	tkCentury     = 26
	tkMillennium  = 27
	tkDTZMod      = 28
	tkUnknown     = 31
)

// Token values (DTK_*): reserved words and units.
const (
	dtkNone = iota
	dtkEarly
	dtkLate
	dtkEpoch
	dtkNow
	dtkYesterday
	dtkToday
	dtkTomorrow
	dtkZulu
	dtkDate
	dtkTime
	dtkTZ
	dtkSecond
	dtkMinute
	dtkHour
	dtkDay
	dtkWeek
	dtkMonth
	dtkQuarter
	dtkYear
	dtkDecade
	dtkCentury
	dtkMillennium
	dtkMillisec
	dtkMicrosec
	dtkJulian
	dtkDOW
	dtkDOY
	dtkTZHour
	dtkTZMinute
	dtkISOYear
	dtkISODOW
	dtkDelta
)

func dtkM(t int) int { return 1 << t }

const (
	dtkDateM    = 1<<tkYear | 1<<tkMonth | 1<<tkDay
	dtkAllSecsM = 1<<tkSecond | 1<<tkMillisecond | 1<<tkMicrosecond
	dtkTimeM    = 1<<tkHour | 1<<tkMinute | dtkAllSecsM
)

// Decoding errors (DTERR_*).
const (
	dterrBadFormat        = -1
	dterrFieldOverflow    = -2
	dterrMDFieldOverflow  = -3
	dterrIntervalOverflow = -4
	dterrTZDispOverflow   = -5
	dterrBadTimezone      = -6 // a zone name pg_tzset does not know (22023)
)

// AM/PM and AD/BC values.
const (
	merAM = 0
	merPM = 1
	hr24  = 2
	valAD = 0
	valBC = 1
)

type datetkn struct {
	typ, val int
}

// tokMaxLen is TOKMAXLEN: keywords match on their first ten characters.
const tokMaxLen = 10

// lookupTok is datebsearch: key matches a table token when their first
// TOKMAXLEN characters agree.
func lookupTok(tbl map[string]datetkn, key string) (datetkn, bool) {
	if len(key) > tokMaxLen {
		key = key[:tokMaxLen]
	}
	t, ok := tbl[key]
	return t, ok
}

// datetktbl holds the date/time keywords of PostgreSQL 15.
var datetktbl = map[string]datetkn{
	"-infinity": {tkReserv, dtkEarly}, "ad": {tkADBC, valAD}, "allballs": {tkReserv, dtkZulu},
	"am": {tkAMPM, merAM}, "apr": {tkMonth, 4}, "april": {tkMonth, 4}, "at": {tkIgnore, 0},
	"aug": {tkMonth, 8}, "august": {tkMonth, 8}, "bc": {tkADBC, valBC}, "d": {tkUnits, dtkDay},
	"dec": {tkMonth, 12}, "december": {tkMonth, 12}, "dow": {tkUnits, dtkDOW}, "doy": {tkUnits, dtkDOY},
	"dst": {tkDTZMod, 3600}, "epoch": {tkReserv, dtkEpoch}, "feb": {tkMonth, 2}, "february": {tkMonth, 2},
	"fri": {tkDOW, 5}, "friday": {tkDOW, 5}, "h": {tkUnits, dtkHour}, "infinity": {tkReserv, dtkLate},
	"isodow": {tkUnits, dtkISODOW}, "isoyear": {tkUnits, dtkISOYear}, "j": {tkUnits, dtkJulian},
	"jan": {tkMonth, 1}, "january": {tkMonth, 1}, "jd": {tkUnits, dtkJulian}, "jul": {tkMonth, 7},
	"julian": {tkUnits, dtkJulian}, "july": {tkMonth, 7}, "jun": {tkMonth, 6}, "june": {tkMonth, 6},
	"m": {tkUnits, dtkMonth}, "mar": {tkMonth, 3}, "march": {tkMonth, 3}, "may": {tkMonth, 5},
	"mm": {tkUnits, dtkMinute}, "mon": {tkDOW, 1}, "monday": {tkDOW, 1}, "nov": {tkMonth, 11},
	"november": {tkMonth, 11}, "now": {tkReserv, dtkNow}, "oct": {tkMonth, 10}, "october": {tkMonth, 10},
	"on": {tkIgnore, 0}, "pm": {tkAMPM, merPM}, "s": {tkUnits, dtkSecond}, "sat": {tkDOW, 6},
	"saturday": {tkDOW, 6}, "sep": {tkMonth, 9}, "sept": {tkMonth, 9}, "september": {tkMonth, 9},
	"sun": {tkDOW, 0}, "sunday": {tkDOW, 0}, "t": {tkISOTime, dtkTime}, "thu": {tkDOW, 4},
	"thur": {tkDOW, 4}, "thurs": {tkDOW, 4}, "thursday": {tkDOW, 4}, "today": {tkReserv, dtkToday},
	"tomorrow": {tkReserv, dtkTomorrow}, "tue": {tkDOW, 2}, "tues": {tkDOW, 2}, "tuesday": {tkDOW, 2},
	"wed": {tkDOW, 3}, "wednesday": {tkDOW, 3}, "weds": {tkDOW, 3}, "y": {tkUnits, dtkYear},
	"yesterday": {tkReserv, dtkYesterday},
}

// deltatktbl holds the interval unit keywords.
var deltatktbl = map[string]datetkn{
	"@": {tkIgnore, 0}, "ago": {tkAgo, 0}, "c": {tkUnits, dtkCentury}, "cent": {tkUnits, dtkCentury},
	"centuries": {tkUnits, dtkCentury}, "century": {tkUnits, dtkCentury}, "d": {tkUnits, dtkDay},
	"day": {tkUnits, dtkDay}, "days": {tkUnits, dtkDay}, "dec": {tkUnits, dtkDecade},
	"decade": {tkUnits, dtkDecade}, "decades": {tkUnits, dtkDecade}, "decs": {tkUnits, dtkDecade},
	"h": {tkUnits, dtkHour}, "hour": {tkUnits, dtkHour}, "hours": {tkUnits, dtkHour}, "hr": {tkUnits, dtkHour},
	"hrs": {tkUnits, dtkHour}, "m": {tkUnits, dtkMinute}, "microsecon": {tkUnits, dtkMicrosec},
	"mil": {tkUnits, dtkMillennium}, "millennia": {tkUnits, dtkMillennium}, "millennium": {tkUnits, dtkMillennium},
	"millisecon": {tkUnits, dtkMillisec}, "mils": {tkUnits, dtkMillennium}, "min": {tkUnits, dtkMinute},
	"mins": {tkUnits, dtkMinute}, "minute": {tkUnits, dtkMinute}, "minutes": {tkUnits, dtkMinute},
	"mon": {tkUnits, dtkMonth}, "mons": {tkUnits, dtkMonth}, "month": {tkUnits, dtkMonth},
	"months": {tkUnits, dtkMonth}, "ms": {tkUnits, dtkMillisec}, "msec": {tkUnits, dtkMillisec},
	"msecond": {tkUnits, dtkMillisec}, "mseconds": {tkUnits, dtkMillisec}, "msecs": {tkUnits, dtkMillisec},
	"qtr": {tkUnits, dtkQuarter}, "quarter": {tkUnits, dtkQuarter}, "s": {tkUnits, dtkSecond},
	"sec": {tkUnits, dtkSecond}, "second": {tkUnits, dtkSecond}, "seconds": {tkUnits, dtkSecond},
	"secs": {tkUnits, dtkSecond}, "timezone": {tkUnits, dtkTZ}, "timezone_h": {tkUnits, dtkTZHour},
	"timezone_m": {tkUnits, dtkTZMinute}, "us": {tkUnits, dtkMicrosec}, "usec": {tkUnits, dtkMicrosec},
	"usecond": {tkUnits, dtkMicrosec}, "useconds": {tkUnits, dtkMicrosec}, "usecs": {tkUnits, dtkMicrosec},
	"w": {tkUnits, dtkWeek}, "week": {tkUnits, dtkWeek}, "weeks": {tkUnits, dtkWeek}, "y": {tkUnits, dtkYear},
	"year": {tkUnits, dtkYear}, "years": {tkUnits, dtkYear}, "yr": {tkUnits, dtkYear}, "yrs": {tkUnits, dtkYear},
}

// C character classes in the C locale (PostgreSQL's datetime code uses
// isdigit/isalpha/isspace/ispunct on unsigned chars; in a UTF-8 locale
// bytes above 127 are none of them).
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }

func cIsDigit(c byte) bool { return c >= '0' && c <= '9' }
func cIsAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func cIsAlnum(c byte) bool { return cIsDigit(c) || cIsAlpha(c) }
func cIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
func cIsPunct(c byte) bool { return c > ' ' && c < 0x7f && !cIsAlnum(c) }
func cLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Work buffer sizes of the input functions (they bound the input).
const (
	maxDateLen    = 128
	maxDateFields = 25
	bufDate       = maxDateLen + 1             // date_in, time_in
	bufTimestamp  = maxDateLen + maxDateFields // timestamp_in, timestamptz_in
	bufInterval   = 256                        // interval_in
)

// parseDateTime is ParseDateTime: it breaks s into fields, lowercasing
// text. buflen is the caller's work buffer size.
func parseDateTime(s string, buflen int) (fields []string, ftypes []int, dterr int) {
	used := 0
	var cur []byte
	appendc := func(c byte) bool {
		if used+1 >= buflen {
			return false
		}
		used++
		cur = append(cur, c)
		return true
	}
	i := 0
	at := func(k int) byte {
		if k < len(s) {
			return s[k]
		}
		return 0
	}
	for i < len(s) {
		c := s[i]
		if c == 0 {
			break
		}
		if cIsSpace(c) {
			i++
			continue
		}
		if len(fields) >= maxDateFields {
			return nil, nil, dterrBadFormat
		}
		cur = cur[:0]
		var ft int
		switch {
		case cIsDigit(c):
			if !appendc(c) {
				return nil, nil, dterrBadFormat
			}
			i++
			for cIsDigit(at(i)) {
				if !appendc(s[i]) {
					return nil, nil, dterrBadFormat
				}
				i++
			}
			switch at(i) {
			case ':':
				ft = ftTime
				if !appendc(s[i]) {
					return nil, nil, dterrBadFormat
				}
				i++
				for cIsDigit(at(i)) || at(i) == ':' || at(i) == '.' {
					if !appendc(s[i]) {
						return nil, nil, dterrBadFormat
					}
					i++
				}
			case '-', '/', '.':
				delim := s[i]
				if !appendc(delim) {
					return nil, nil, dterrBadFormat
				}
				i++
				if cIsDigit(at(i)) {
					ft = ftDate
					if delim == '.' {
						ft = ftNumber
					}
					for cIsDigit(at(i)) {
						if !appendc(s[i]) {
							return nil, nil, dterrBadFormat
						}
						i++
					}
					if at(i) == delim {
						ft = ftDate
						if !appendc(delim) {
							return nil, nil, dterrBadFormat
						}
						i++
						for cIsDigit(at(i)) || at(i) == delim {
							if !appendc(s[i]) {
								return nil, nil, dterrBadFormat
							}
							i++
						}
					}
				} else {
					ft = ftDate
					for cIsAlnum(at(i)) || at(i) == delim {
						if !appendc(cLower(s[i])) {
							return nil, nil, dterrBadFormat
						}
						i++
					}
				}
			default:
				ft = ftNumber
			}
		case c == '.':
			if !appendc(c) {
				return nil, nil, dterrBadFormat
			}
			i++
			for cIsDigit(at(i)) {
				if !appendc(s[i]) {
					return nil, nil, dterrBadFormat
				}
				i++
			}
			ft = ftNumber
		case cIsAlpha(c):
			ft = ftString
			if !appendc(cLower(c)) {
				return nil, nil, dterrBadFormat
			}
			i++
			for cIsAlpha(at(i)) {
				if !appendc(cLower(s[i])) {
					return nil, nil, dterrBadFormat
				}
				i++
			}
			isDate := false
			switch n := at(i); {
			case n == '-' || n == '/' || n == '.':
				isDate = true
			case n == '+' || cIsDigit(n):
				if _, ok := lookupTok(datetktbl, string(cur)); !ok {
					isDate = true
				}
			}
			if isDate {
				ft = ftDate
				for {
					if !appendc(cLower(s[i])) {
						return nil, nil, dterrBadFormat
					}
					i++
					n := at(i)
					if !(n == '+' || n == '-' || n == '/' || n == '_' || n == '.' || n == ':' || cIsAlnum(n)) {
						break
					}
				}
			}
		case c == '+' || c == '-':
			if !appendc(c) {
				return nil, nil, dterrBadFormat
			}
			i++
			for cIsSpace(at(i)) {
				i++
			}
			switch n := at(i); {
			case cIsDigit(n):
				ft = ftTZ
				if !appendc(n) {
					return nil, nil, dterrBadFormat
				}
				i++
				for cIsDigit(at(i)) || at(i) == ':' || at(i) == '.' || at(i) == '-' {
					if !appendc(s[i]) {
						return nil, nil, dterrBadFormat
					}
					i++
				}
			case cIsAlpha(n):
				ft = ftSpecial
				if !appendc(cLower(n)) {
					return nil, nil, dterrBadFormat
				}
				i++
				for cIsAlpha(at(i)) {
					if !appendc(cLower(s[i])) {
						return nil, nil, dterrBadFormat
					}
					i++
				}
			default:
				return nil, nil, dterrBadFormat
			}
		case cIsPunct(c):
			i++
			continue
		default:
			return nil, nil, dterrBadFormat
		}
		// The field's terminating NUL.
		used++
		fields = append(fields, string(cur))
		ftypes = append(ftypes, ft)
	}
	return fields, ftypes, 0
}

// cStrtol is C's strtol in base 10 on a field: leading white space, a
// sign, digits. It returns the value, the rest of the string after the
// digits (all of s when there are none) and whether the value overflowed
// bits (32 for strtoint, 64 for strtoi64).
func cStrtol(s string, bits int) (v int64, rest string, erange bool) {
	i := 0
	for i < len(s) && cIsSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var u uint64
	over := false
	for i < len(s) && cIsDigit(s[i]) {
		d := uint64(s[i] - '0')
		if u > (math.MaxUint64-d)/10 {
			over = true
		} else {
			u = u*10 + d
		}
		i++
	}
	if i == start {
		return 0, s, false
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if over || u > limit {
		over = true
		u = limit
	}
	if neg {
		v = -int64(u-1) - 1
	} else {
		v = int64(u)
	}
	if bits == 32 && (v > math.MaxInt32 || v < math.MinInt32) {
		over = true
	}
	return v, s[i:], over
}

// cStrtod is glibc's strtod: leading white space, a sign, then a
// decimal number with an exponent, a hexadecimal one (0x1.8p3), inf,
// infinity or nan. It returns the value, the rest of the string (all of
// s when nothing converts) and ERANGE.
func cStrtod(s string) (float64, string, bool) {
	i := 0
	for i < len(s) && cIsSpace(s[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	rest := s[i:]
	lower := strings.ToLower(rest)
	sign := 1.0
	if neg {
		sign = -1
	}
	switch {
	case strings.HasPrefix(lower, "infinity"):
		return sign * math.Inf(1), rest[8:], false
	case strings.HasPrefix(lower, "inf"):
		return sign * math.Inf(1), rest[3:], false
	case strings.HasPrefix(lower, "nan"):
		r := rest[3:]
		if strings.HasPrefix(r, "(") {
			if k := strings.IndexByte(r, ')'); k >= 0 {
				ok := true
				for _, c := range []byte(r[1:k]) {
					if !cIsAlnum(c) && c != '_' {
						ok = false
					}
				}
				if ok {
					r = r[k+1:]
				}
			}
		}
		return math.NaN(), r, false
	}
	isHex := func(c byte) bool { return cIsDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
	if len(rest) >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X') {
		j := 2
		digits := 0
		for j < len(rest) && isHex(rest[j]) {
			j++
			digits++
		}
		if j < len(rest) && rest[j] == '.' {
			j++
			for j < len(rest) && isHex(rest[j]) {
				j++
				digits++
			}
		}
		if digits > 0 {
			mant := rest[:j]
			exp := "p0"
			if j < len(rest) && (rest[j] == 'p' || rest[j] == 'P') {
				k := j + 1
				if k < len(rest) && (rest[k] == '+' || rest[k] == '-') {
					k++
				}
				if k < len(rest) && cIsDigit(rest[k]) {
					for k < len(rest) && cIsDigit(rest[k]) {
						k++
					}
					exp = rest[j:k]
					j = k
				}
			}
			f, err := strconv.ParseFloat(mant+exp, 64)
			return sign * f, rest[j:], err != nil
		}
		// "0x" without digits: the 0 alone.
		return sign * 0, rest[1:], false
	}
	j := 0
	digits := 0
	for j < len(rest) && cIsDigit(rest[j]) {
		j++
		digits++
	}
	if j < len(rest) && rest[j] == '.' {
		j++
		for j < len(rest) && cIsDigit(rest[j]) {
			j++
			digits++
		}
	}
	if digits == 0 {
		return 0, s, false
	}
	if j < len(rest) && (rest[j] == 'e' || rest[j] == 'E') {
		k := j + 1
		if k < len(rest) && (rest[k] == '+' || rest[k] == '-') {
			k++
		}
		if k < len(rest) && cIsDigit(rest[k]) {
			for k < len(rest) && cIsDigit(rest[k]) {
				k++
			}
			j = k
		}
	}
	f, err := strconv.ParseFloat(s[start:i]+rest[:j], 64)
	erange := err != nil
	if !erange && f == 0 {
		// Underflow to zero of a nonzero mantissa is ERANGE too.
		for _, c := range []byte(rest[:j]) {
			if c >= '1' && c <= '9' {
				erange = true
				break
			}
			if c == 'e' || c == 'E' {
				break
			}
		}
	}
	return f, rest[j:], erange
}

// parseFraction is ParseFraction (PostgreSQL 15): ".ddd" to its value.
func parseFraction(s string) (float64, int) {
	if len(s) == 1 {
		return 0, 0
	}
	f, rest, erange := cStrtod(s)
	if rest != "" || erange {
		return 0, dterrBadFormat
	}
	return f, 0
}

// parseFractionalSecond is ParseFractionalSecond: ".ddd" to microseconds.
func parseFractionalSecond(s string) (int64, int) {
	f, err := parseFraction(s)
	if err != 0 {
		return 0, err
	}
	return int64(math.RoundToEven(f * 1e6)), 0
}

// dtTM is struct pg_tm with the fields decoding fills (astronomical
// years after ValidateDate).
type dtTM struct {
	year, mon, mday  int64
	hour, min, sec   int64
	yday, wday       int64
	isdst            int
	fsec             int64
	haveTZ           bool
	tz               int // seconds west of UTC, as PostgreSQL's tzp
	namedZone        *time.Location
	abbrevZone       *time.Location
	abbrev           string
	badZone          string
	overflowedHour   bool
	dateDTK, hasDate bool
	// tzGiven and fullDate are decodeTimeOnly's fmask facts: a zone of
	// any kind, and a whole date (timetz_in needs them).
	tzGiven, fullDate bool
}

// dtContext is what decoding needs from the session.
type dtContext struct {
	order int            // DateStyle field order
	loc   *time.Location // session TimeZone
	now   Clock          // nil: 'now', 'today' … are refused
	// noNow records that a special word needed the clock and had none.
	noNow string
}

// currentTM is GetCurrentDateTime / GetCurrentTimeUsec in the session zone.
func (c *dtContext) currentTM(word string) (tm dtTM, tz int, ok bool) {
	if c.now == nil {
		c.noNow = word
		return dtTM{}, 0, false
	}
	t := c.now().In(c.loc)
	_, off := t.Zone()
	tm.year, tm.mon, tm.mday = int64(t.Year()), int64(t.Month()), int64(t.Day())
	tm.hour, tm.min, tm.sec = int64(t.Hour()), int64(t.Minute()), int64(t.Second())
	tm.fsec = int64(t.Nanosecond() / 1000)
	return tm, -off, true
}

// decodeDateTime is DecodeDateTime. withTZ says the caller accepts a
// time zone (tzp != NULL, always so for date and timestamp input). It
// returns the dtype (dtkDate, dtkEpoch, dtkLate, dtkEarly), or a DTERR
// code (or 1: only a time).
func decodeDateTime(fields []string, ftypes []int, ctx *dtContext, tm *dtTM) (dtype int, dterr int) {
	fmask := 0
	var tmask int
	ptype := 0
	mer := hr24
	haveTextMonth, isjulian, is2digits, bc := false, false, false, false
	dtype = dtkDate
	nf := len(fields)
	for i := 0; i < nf; i++ {
		field := fields[i]
		switch ftypes[i] {
		case ftDate:
			switch {
			case ptype == dtkJulian:
				// An integral Julian day with an attached time zone.
				v, rest, erange := cStrtol(field, 32)
				if erange || v < 0 {
					return 0, dterrFieldOverflow
				}
				tm.year, tm.mon, tm.mday = jsplit(v)
				isjulian = true
				tz, err := decodeTimezone(rest)
				if err != 0 {
					return 0, err
				}
				tm.tz, tm.haveTZ = tz, true
				tmask = dtkDateM | dtkTimeM | dtkM(tkTZ)
				ptype = 0
			case ptype != 0 || fmask&(dtkM(tkMonth)|dtkM(tkDay)) == dtkM(tkMonth)|dtkM(tkDay):
				// A zone name, or a run-together time with a zone.
				if cIsDigit(field[0]) || ptype != 0 {
					if ptype != 0 {
						if ptype != dtkTime {
							return 0, dterrBadFormat
						}
						ptype = 0
					}
					if fmask&dtkTimeM == dtkTimeM {
						return 0, dterrBadFormat
					}
					k := strings.IndexByte(field, '-')
					if k < 0 {
						return 0, dterrBadFormat
					}
					tz, err := decodeTimezone(field[k:])
					if err != 0 {
						return 0, err
					}
					tm.tz, tm.haveTZ = tz, true
					r, err := decodeNumberField(field[:k], fmask, &tmask, tm, &is2digits)
					if err < 0 {
						return 0, err
					}
					_ = r
					tmask |= dtkM(tkTZ)
				} else {
					loc, err := LoadZone(field)
					if err != nil {
						tm.badZone = field
						return 0, dterrBadTimezone
					}
					tm.namedZone = loc
					tmask = dtkM(tkTZ)
				}
			default:
				if err := decodeDate(field, fmask, &tmask, &is2digits, tm, ctx.order); err != 0 {
					return 0, err
				}
			}
		case ftTime:
			if ptype != 0 {
				if ptype != dtkTime {
					return 0, dterrBadFormat
				}
				ptype = 0
			}
			if err := decodeTime(field, fmask, intervalFullRange, &tmask, tm); err != 0 {
				return 0, err
			}
			if timeOverflows(tm.hour, tm.min, tm.sec, tm.fsec) {
				return 0, dterrFieldOverflow
			}
		case ftTZ:
			tz, err := decodeTimezone(field)
			if err != 0 {
				return 0, err
			}
			tm.tz, tm.haveTZ = tz, true
			tmask = dtkM(tkTZ)
		case ftNumber:
			if ptype != 0 {
				// A field labelled by the previous one (y2001m02d04, J2451187).
				v, rest, erange := cStrtol(field, 32)
				if erange {
					return 0, dterrFieldOverflow
				}
				if rest != "" && rest[0] == '.' {
					switch ptype {
					case dtkJulian, dtkTime, dtkSecond:
					default:
						return 0, dterrBadFormat
					}
				} else if rest != "" {
					return 0, dterrBadFormat
				}
				switch ptype {
				case dtkYear:
					tm.year = v
					tmask = dtkM(tkYear)
				case dtkMonth:
					// Already a month and an hour: then minutes.
					if fmask&dtkM(tkMonth) != 0 && fmask&dtkM(tkHour) != 0 {
						tm.min = v
						tmask = dtkM(tkMinute)
					} else {
						tm.mon = v
						tmask = dtkM(tkMonth)
					}
				case dtkDay:
					tm.mday = v
					tmask = dtkM(tkDay)
				case dtkHour:
					tm.hour = v
					tmask = dtkM(tkHour)
				case dtkMinute:
					tm.min = v
					tmask = dtkM(tkMinute)
				case dtkSecond:
					tm.sec = v
					tmask = dtkM(tkSecond)
					if rest != "" {
						fs, err := parseFractionalSecond(rest)
						if err != 0 {
							return 0, err
						}
						tm.fsec = fs
						tmask = dtkAllSecsM
					}
				case dtkTZ:
					tmask = dtkM(tkTZ)
					tz, err := decodeTimezone(field)
					if err != 0 {
						return 0, err
					}
					tm.tz, tm.haveTZ = tz, true
				case dtkJulian:
					if v < 0 {
						return 0, dterrFieldOverflow
					}
					tmask = dtkDateM
					tm.year, tm.mon, tm.mday = jsplit(v)
					isjulian = true
					if rest != "" {
						f, err := parseFraction(rest)
						if err != 0 {
							return 0, err
						}
						dt2time(int64(f*float64(USecsPerDay)), tm)
						tmask |= dtkTimeM
					}
				case dtkTime:
					r, err := decodeNumberField(field, fmask|dtkDateM, &tmask, tm, &is2digits)
					if err < 0 {
						return 0, err
					}
					_ = r
					if tmask != dtkTimeM {
						return 0, dterrBadFormat
					}
				default:
					return 0, dterrBadFormat
				}
				ptype = 0
				dtype = dtkDate
			} else {
				flen := len(field)
				dot := strings.IndexByte(field, '.')
				switch {
				case dot >= 0 && fmask&dtkDateM == 0:
					// An embedded decimal and no date yet: yyyy.ddd, dd.mm.yyyy.
					if err := decodeDate(field, fmask, &tmask, &is2digits, tm, ctx.order); err != 0 {
						return 0, err
					}
				case dot >= 0 && dot > 2:
					// Several digits before the point: a run-together date or time.
					if _, err := decodeNumberField(field, fmask, &tmask, tm, &is2digits); err < 0 {
						return 0, err
					}
				case flen >= 6 && (fmask&dtkDateM == 0 || fmask&dtkTimeM == 0):
					// YMD or HMS run together.
					if _, err := decodeNumberField(field, fmask, &tmask, tm, &is2digits); err < 0 {
						return 0, err
					}
				default:
					if err := decodeNumber(field, haveTextMonth, fmask, &tmask, tm, &is2digits, ctx.order); err != 0 {
						return 0, err
					}
				}
			}
		case ftString, ftSpecial:
			// Zone abbreviations take precedence over the keywords.
			tok, ok := zoneAbbrev(field)
			if !ok {
				tok, ok = lookupTok(datetktbl, field)
				if !ok {
					tok = datetkn{tkUnknown, 0}
				}
			}
			if tok.typ == tkIgnore {
				continue
			}
			tmask = dtkM(tok.typ)
			switch tok.typ {
			case tkReserv:
				switch tok.val {
				case dtkNow:
					tmask = dtkDateM | dtkTimeM | dtkM(tkTZ)
					dtype = dtkDate
					cur, tz, ok := ctx.currentTM("now")
					if !ok {
						return 0, dterrBadFormat
					}
					tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, tm.fsec = cur.year, cur.mon, cur.mday, cur.hour, cur.min, cur.sec, cur.fsec
					tm.tz, tm.haveTZ = tz, true
				case dtkYesterday, dtkToday, dtkTomorrow:
					tmask = dtkDateM
					dtype = dtkDate
					cur, _, ok := ctx.currentTM(field)
					if !ok {
						return 0, dterrBadFormat
					}
					d := jdate(cur.year, cur.mon, cur.mday)
					switch tok.val {
					case dtkYesterday:
						d--
					case dtkTomorrow:
						d++
					}
					tm.year, tm.mon, tm.mday = jsplit(d)
				case dtkZulu:
					tmask = dtkTimeM | dtkM(tkTZ)
					dtype = dtkDate
					tm.hour, tm.min, tm.sec = 0, 0, 0
					tm.tz, tm.haveTZ = 0, true
				default:
					dtype = tok.val
				}
			case tkMonth:
				// Already a numeric month: perhaps it was the day.
				if fmask&dtkM(tkMonth) != 0 && !haveTextMonth && fmask&dtkM(tkDay) == 0 && tm.mon >= 1 && tm.mon <= 31 {
					tm.mday = tm.mon
					tmask = dtkM(tkDay)
				}
				haveTextMonth = true
				tm.mon = int64(tok.val)
			case tkDTZMod:
				// "MET DST"
				tmask |= dtkM(tkDTZ)
				tm.isdst = 1
				tm.tz -= tok.val
			case tkDTZ:
				tmask |= dtkM(tkTZ)
				tm.isdst = 1
				tm.tz, tm.haveTZ = -tok.val, true
			case tkTZ:
				tm.isdst = 0
				tm.tz, tm.haveTZ = -tok.val, true
			case tkDynTZ:
				tmask |= dtkM(tkTZ)
				z, err := LoadZone(dynamicAbbrevZones[tok.val])
				if err != nil {
					return 0, dterrBadFormat
				}
				tm.abbrevZone, tm.abbrev = z, field
			case tkAMPM:
				mer = tok.val
			case tkADBC:
				bc = tok.val == valBC
			case tkDOW:
				tm.wday = int64(tok.val)
			case tkUnits:
				tmask = 0
				ptype = tok.val
			case tkISOTime:
				// "t": the next field is a time; make sure that makes sense.
				tmask = 0
				if fmask&dtkDateM != dtkDateM {
					return 0, dterrBadFormat
				}
				if i >= nf-1 || ftypes[i+1] != ftNumber && ftypes[i+1] != ftTime && ftypes[i+1] != ftDate {
					return 0, dterrBadFormat
				}
				ptype = tok.val
			case tkUnknown:
				// Perhaps an all-alphabetic zone name.
				loc, err := LoadZone(field)
				if err != nil {
					return 0, dterrBadFormat
				}
				tm.namedZone = loc
				tmask = dtkM(tkTZ)
			default:
				return 0, dterrBadFormat
			}
		default:
			return 0, dterrBadFormat
		}
		if tmask&fmask != 0 {
			return 0, dterrBadFormat
		}
		fmask |= tmask
	}
	if err := dtValidateDate(fmask, isjulian, is2digits, bc, tm); err != 0 {
		return 0, err
	}
	if mer != hr24 && tm.hour > 12 {
		return 0, dterrFieldOverflow
	}
	if mer == merAM && tm.hour == 12 {
		tm.hour = 0
	} else if mer == merPM && tm.hour != 12 {
		tm.hour += 12
	}
	if dtype == dtkDate {
		if fmask&dtkDateM != dtkDateM {
			if fmask&dtkTimeM == dtkTimeM {
				return 0, 1
			}
			return 0, dterrBadFormat
		}
		if tm.namedZone != nil {
			if fmask&dtkM(tkDTZMod) != 0 {
				return 0, dterrBadFormat
			}
			tm.tz, tm.haveTZ = determineTimeZoneOffset(tm, tm.namedZone), true
		}
		if tm.abbrevZone != nil {
			if fmask&dtkM(tkDTZMod) != 0 {
				return 0, dterrBadFormat
			}
			tm.tz, tm.haveTZ = determineTimeZoneAbbrevOffset(tm, tm.abbrev, tm.abbrevZone), true
		}
		if fmask&dtkM(tkTZ) == 0 {
			if fmask&dtkM(tkDTZMod) != 0 {
				return 0, dterrBadFormat
			}
			tm.tz = determineTimeZoneOffset(tm, ctx.loc)
			tm.haveTZ = false
		}
	}
	return dtype, 0
}

// decodeTimeOnly is DecodeTimeOnly (time input, with a zone allowed).
func decodeTimeOnly(fields []string, ftypes []int, ctx *dtContext, tm *dtTM) (dtype int, dterr int) {
	fmask := 0
	var tmask int
	ptype := 0
	isjulian, is2digits, bc := false, false, false
	mer := hr24
	dtype = dtkTime
	nf := len(fields)
	for i := 0; i < nf; i++ {
		field := fields[i]
		switch ftypes[i] {
		case ftDate:
			if i == 0 && nf >= 2 && (ftypes[nf-1] == ftDate || ftypes[1] == ftTime) {
				// Under limited circumstances, a date.
				if err := decodeDate(field, fmask, &tmask, &is2digits, tm, ctx.order); err != 0 {
					return 0, err
				}
			} else if cIsDigit(field[0]) {
				if fmask&dtkTimeM == dtkTimeM {
					return 0, dterrBadFormat
				}
				k := strings.IndexByte(field, '-')
				if k < 0 {
					return 0, dterrBadFormat
				}
				tz, err := decodeTimezone(field[k:])
				if err != 0 {
					return 0, err
				}
				tm.tz, tm.haveTZ = tz, true
				r, err := decodeNumberField(field[:k], fmask|dtkDateM, &tmask, tm, &is2digits)
				if err < 0 {
					return 0, err
				}
				ftypes[i] = r
				tmask |= dtkM(tkTZ)
			} else {
				loc, err := LoadZone(field)
				if err != nil {
					tm.badZone = field
					return 0, dterrBadTimezone
				}
				tm.namedZone = loc
				ftypes[i] = ftTZ
				tmask = dtkM(tkTZ)
			}
		case ftTime:
			if err := decodeTime(field, fmask|dtkDateM, intervalFullRange, &tmask, tm); err != 0 {
				return 0, err
			}
		case ftTZ:
			tz, err := decodeTimezone(field)
			if err != 0 {
				return 0, err
			}
			tm.tz, tm.haveTZ = tz, true
			tmask = dtkM(tkTZ)
		case ftNumber:
			if ptype != 0 {
				v, rest, erange := cStrtol(field, 32)
				if erange {
					return 0, dterrFieldOverflow
				}
				if rest != "" && rest[0] == '.' {
					switch ptype {
					case dtkJulian, dtkTime, dtkSecond:
					default:
						return 0, dterrBadFormat
					}
				} else if rest != "" {
					return 0, dterrBadFormat
				}
				switch ptype {
				case dtkYear:
					tm.year = v
					tmask = dtkM(tkYear)
				case dtkMonth:
					if fmask&dtkM(tkMonth) != 0 && fmask&dtkM(tkHour) != 0 {
						tm.min = v
						tmask = dtkM(tkMinute)
					} else {
						tm.mon = v
						tmask = dtkM(tkMonth)
					}
				case dtkDay:
					tm.mday = v
					tmask = dtkM(tkDay)
				case dtkHour:
					tm.hour = v
					tmask = dtkM(tkHour)
				case dtkMinute:
					tm.min = v
					tmask = dtkM(tkMinute)
				case dtkSecond:
					tm.sec = v
					tmask = dtkM(tkSecond)
					if rest != "" {
						fs, err := parseFractionalSecond(rest)
						if err != 0 {
							return 0, err
						}
						tm.fsec = fs
						tmask = dtkAllSecsM
					}
				case dtkTZ:
					tmask = dtkM(tkTZ)
					tz, err := decodeTimezone(field)
					if err != 0 {
						return 0, err
					}
					tm.tz, tm.haveTZ = tz, true
				case dtkJulian:
					if v < 0 {
						return 0, dterrFieldOverflow
					}
					tmask = dtkDateM
					tm.year, tm.mon, tm.mday = jsplit(v)
					isjulian = true
					if rest != "" {
						f, err := parseFraction(rest)
						if err != 0 {
							return 0, err
						}
						dt2time(int64(f*float64(USecsPerDay)), tm)
						tmask |= dtkTimeM
					}
				case dtkTime:
					r, err := decodeNumberField(field, fmask|dtkDateM, &tmask, tm, &is2digits)
					if err < 0 {
						return 0, err
					}
					ftypes[i] = r
					if tmask != dtkTimeM {
						return 0, dterrBadFormat
					}
				default:
					return 0, dterrBadFormat
				}
				ptype = 0
				dtype = dtkDate
			} else {
				flen := len(field)
				dot := strings.IndexByte(field, '.')
				switch {
				case dot >= 0:
					switch {
					case i == 0 && nf >= 2 && ftypes[nf-1] == ftDate:
						if err := decodeDate(field, fmask, &tmask, &is2digits, tm, ctx.order); err != 0 {
							return 0, err
						}
					case dot > 2:
						r, err := decodeNumberField(field, fmask|dtkDateM, &tmask, tm, &is2digits)
						if err < 0 {
							return 0, err
						}
						ftypes[i] = r
					default:
						return 0, dterrBadFormat
					}
				case flen > 4:
					r, err := decodeNumberField(field, fmask|dtkDateM, &tmask, tm, &is2digits)
					if err < 0 {
						return 0, err
					}
					ftypes[i] = r
				default:
					if err := decodeNumber(field, false, fmask|dtkDateM, &tmask, tm, &is2digits, ctx.order); err != 0 {
						return 0, err
					}
				}
			}
		case ftString, ftSpecial:
			tok, ok := zoneAbbrev(field)
			if !ok {
				tok, ok = lookupTok(datetktbl, field)
				if !ok {
					tok = datetkn{tkUnknown, 0}
				}
			}
			if tok.typ == tkIgnore {
				continue
			}
			tmask = dtkM(tok.typ)
			switch tok.typ {
			case tkReserv:
				switch tok.val {
				case dtkNow:
					tmask = dtkTimeM
					dtype = dtkTime
					cur, _, ok := ctx.currentTM("now")
					if !ok {
						return 0, dterrBadFormat
					}
					tm.hour, tm.min, tm.sec, tm.fsec = cur.hour, cur.min, cur.sec, cur.fsec
				case dtkZulu:
					tmask = dtkTimeM | dtkM(tkTZ)
					dtype = dtkTime
					tm.hour, tm.min, tm.sec = 0, 0, 0
					tm.isdst = 0
				default:
					return 0, dterrBadFormat
				}
			case tkDTZMod:
				tmask |= dtkM(tkDTZ)
				tm.isdst = 1
				tm.tz -= tok.val
			case tkDTZ:
				tmask |= dtkM(tkTZ)
				tm.isdst = 1
				tm.tz, tm.haveTZ = -tok.val, true
				ftypes[i] = ftTZ
			case tkTZ:
				tm.isdst = 0
				tm.tz, tm.haveTZ = -tok.val, true
				ftypes[i] = ftTZ
			case tkDynTZ:
				tmask |= dtkM(tkTZ)
				z, err := LoadZone(dynamicAbbrevZones[tok.val])
				if err != nil {
					return 0, dterrBadFormat
				}
				tm.abbrevZone, tm.abbrev = z, field
				ftypes[i] = ftTZ
			case tkAMPM:
				mer = tok.val
			case tkADBC:
				bc = tok.val == valBC
			case tkUnits:
				tmask = 0
				ptype = tok.val
			case tkISOTime:
				tmask = 0
				// "t" must be followed by a time.
				if i >= nf-1 || ftypes[i+1] != ftNumber && ftypes[i+1] != ftTime && ftypes[i+1] != ftDate {
					return 0, dterrBadFormat
				}
				ptype = tok.val
			case tkUnknown:
				loc, err := LoadZone(field)
				if err != nil {
					return 0, dterrBadFormat
				}
				tm.namedZone = loc
				tmask = dtkM(tkTZ)
			default:
				return 0, dterrBadFormat
			}
		default:
			return 0, dterrBadFormat
		}
		if tmask&fmask != 0 {
			return 0, dterrBadFormat
		}
		fmask |= tmask
	}
	if err := dtValidateDate(fmask, isjulian, is2digits, bc, tm); err != 0 {
		return 0, err
	}
	if mer != hr24 && tm.hour > 12 {
		return 0, dterrFieldOverflow
	}
	if mer == merAM && tm.hour == 12 {
		tm.hour = 0
	} else if mer == merPM && tm.hour != 12 {
		tm.hour += 12
	}
	if timeOverflows(tm.hour, tm.min, tm.sec, tm.fsec) {
		return 0, dterrFieldOverflow
	}
	if fmask&dtkTimeM != dtkTimeM {
		return 0, dterrBadFormat
	}
	tm.tzGiven = fmask&dtkM(tkTZ) != 0
	tm.fullDate = fmask&dtkDateM == dtkDateM
	// A zone name needs a date unless its offset never changes.
	if tm.namedZone != nil {
		if fmask&dtkM(tkDTZMod) != 0 {
			return 0, dterrBadFormat
		}
		if off, fixed := fixedOffset(tm.namedZone); fixed {
			tm.tz = -off
		} else {
			if fmask&dtkDateM != dtkDateM {
				return 0, dterrBadFormat
			}
			tm.tz = determineTimeZoneOffset(tm, tm.namedZone)
		}
	}
	if tm.abbrevZone != nil || fmask&dtkM(tkTZ) == 0 {
		if fmask&dtkM(tkDTZMod) != 0 {
			return 0, dterrBadFormat
		}
		if fmask&dtkDateM != 0 && fmask&dtkDateM != dtkDateM {
			return 0, dterrBadFormat
		}
	}
	return dtype, 0
}

// decodeDate is DecodeDate: a field with delimiters (2024-01-02,
// jan-02-2024, 2024.069).
func decodeDate(str string, fmask int, tmask *int, is2digits *bool, tm *dtTM, order int) int {
	*tmask = 0
	var fields []string
	i := 0
	for i < len(str) && len(fields) < maxDateFields {
		for i < len(str) && !cIsAlnum(str[i]) {
			i++
		}
		if i >= len(str) {
			return dterrBadFormat
		}
		start := i
		if cIsDigit(str[i]) {
			for i < len(str) && cIsDigit(str[i]) {
				i++
			}
		} else if cIsAlpha(str[i]) {
			for i < len(str) && cIsAlpha(str[i]) {
				i++
			}
		}
		fields = append(fields, str[start:i])
		if i < len(str) {
			i++ // the delimiter (any one character) is dropped
		}
	}
	haveTextMonth := false
	done := make([]bool, len(fields))
	for k, f := range fields {
		if f != "" && cIsAlpha(f[0]) {
			tok, ok := lookupTok(datetktbl, f)
			if !ok {
				return dterrBadFormat
			}
			if tok.typ == tkIgnore {
				continue
			}
			dmask := dtkM(tok.typ)
			if tok.typ != tkMonth {
				return dterrBadFormat
			}
			tm.mon = int64(tok.val)
			haveTextMonth = true
			if fmask&dmask != 0 {
				return dterrBadFormat
			}
			fmask |= dmask
			*tmask |= dmask
			done[k] = true
		}
	}
	for k, f := range fields {
		if done[k] {
			continue
		}
		if f == "" || cIsAlpha(f[0]) {
			// An ignored word (at, on) stays and is not a number.
			if f == "" {
				return dterrBadFormat
			}
		}
		var dmask int
		if err := decodeNumber(f, haveTextMonth, fmask, &dmask, tm, is2digits, order); err != 0 {
			return err
		}
		if fmask&dmask != 0 {
			return dterrBadFormat
		}
		fmask |= dmask
		*tmask |= dmask
	}
	if fmask&^(dtkM(tkDOY)|dtkM(tkTZ)) != dtkDateM {
		return dterrBadFormat
	}
	return 0
}

// validateDate is ValidateDate: years (BC, two digits), day of year, and
// the month and day ranges.
func dtValidateDate(fmask int, isjulian, is2digits, bc bool, tm *dtTM) int {
	if fmask&dtkM(tkYear) != 0 {
		switch {
		case isjulian:
		case bc:
			if tm.year <= 0 {
				return dterrFieldOverflow
			}
			tm.year = -(tm.year - 1)
		case is2digits:
			if tm.year < 0 {
				return dterrFieldOverflow
			}
			if tm.year < 70 {
				tm.year += 2000
			} else if tm.year < 100 {
				tm.year += 1900
			}
		default:
			if tm.year <= 0 {
				return dterrFieldOverflow
			}
		}
	}
	if fmask&dtkM(tkDOY) != 0 {
		tm.year, tm.mon, tm.mday = jsplit(jdate(tm.year, 1, 1) + tm.yday - 1)
	}
	if fmask&dtkM(tkMonth) != 0 {
		if tm.mon < 1 || tm.mon > 12 {
			return dterrMDFieldOverflow
		}
	}
	if fmask&dtkM(tkDay) != 0 {
		if tm.mday < 1 || tm.mday > 31 {
			return dterrMDFieldOverflow
		}
	}
	if fmask&dtkDateM == dtkDateM {
		if tm.mday > DaysInMonth(tm.year, tm.mon) {
			return dterrFieldOverflow
		}
	}
	return 0
}

// intervalFullRange is INTERVAL_FULL_RANGE; intervalMinuteToSecond the
// range mask of MINUTE TO SECOND.
const (
	intervalFullRange      = 0x7fff
	intervalMinuteToSecond = 1<<tkMinute | 1<<tkSecond
)

// decodeTimeCommon is DecodeTimeCommon: hh:mm[:ss[.fff]], or mm:ss.fff.
func decodeTimeCommon(str string, rangeMask int) (hour int64, min, sec int64, usec int64, dterr int) {
	h, rest, erange := cStrtol(str, 64)
	if erange {
		return 0, 0, 0, 0, dterrFieldOverflow
	}
	if rest == "" || rest[0] != ':' {
		return 0, 0, 0, 0, dterrBadFormat
	}
	m, rest, erange := cStrtol(rest[1:], 32)
	if erange {
		return 0, 0, 0, 0, dterrFieldOverflow
	}
	var fsec int64
	var s int64
	switch {
	case rest == "":
		if rangeMask == intervalMinuteToSecond {
			if h > math.MaxInt32 || h < math.MinInt32 {
				return 0, 0, 0, 0, dterrFieldOverflow
			}
			s, m, h = m, h, 0
		}
	case rest[0] == '.':
		// mm:ss.sss is always MINUTE TO SECOND.
		var err int
		fsec, err = parseFractionalSecond(rest)
		if err != 0 {
			return 0, 0, 0, 0, err
		}
		if h > math.MaxInt32 || h < math.MinInt32 {
			return 0, 0, 0, 0, dterrFieldOverflow
		}
		s, m, h = m, h, 0
	case rest[0] == ':':
		s, rest, erange = cStrtol(rest[1:], 32)
		if erange {
			return 0, 0, 0, 0, dterrFieldOverflow
		}
		switch {
		case rest == "":
		case rest[0] == '.':
			var err int
			fsec, err = parseFractionalSecond(rest)
			if err != 0 {
				return 0, 0, 0, 0, err
			}
		default:
			return 0, 0, 0, 0, dterrBadFormat
		}
	default:
		return 0, 0, 0, 0, dterrBadFormat
	}
	if h < 0 || m < 0 || m > 59 || s < 0 || s > 60 || fsec < 0 || fsec > USecsPerSec {
		return 0, 0, 0, 0, dterrFieldOverflow
	}
	return h, m, s, fsec, 0
}

// decodeTime is DecodeTime (for date/time input).
func decodeTime(str string, fmask, rangeMask int, tmask *int, tm *dtTM) int {
	*tmask = dtkTimeM
	h, m, s, us, err := decodeTimeCommon(str, rangeMask)
	if err != 0 {
		return err
	}
	if h > math.MaxInt32 {
		return dterrFieldOverflow
	}
	tm.hour, tm.min, tm.sec, tm.fsec = h, m, s, us
	return 0
}

// timeOverflows is time_overflows.
func timeOverflows(hour, min, sec, fsec int64) bool {
	if hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || fsec < 0 || fsec > USecsPerSec {
		return true
	}
	return ((hour*60+min)*60+sec)*USecsPerSec+fsec > USecsPerDay
}

// decodeNumber is DecodeNumber: a plain number in the context of the
// fields so far.
func decodeNumber(str string, haveTextMonth bool, fmask int, tmask *int, tm *dtTM, is2digits *bool, order int) int {
	*tmask = 0
	flen := len(str)
	v, rest, erange := cStrtol(str, 32)
	if erange {
		return dterrFieldOverflow
	}
	if rest == str {
		return dterrBadFormat
	}
	if rest != "" && rest[0] == '.' {
		// More than two digits before the point: a date or a run-together time.
		if len(str)-len(rest) > 2 {
			if _, err := decodeNumberField(str, fmask|dtkDateM, tmask, tm, is2digits); err < 0 {
				return err
			}
			return 0
		}
		fs, err := parseFractionalSecond(rest)
		if err != 0 {
			return err
		}
		tm.fsec = fs
	} else if rest != "" {
		return dterrBadFormat
	}
	// Day of year.
	if flen == 3 && fmask&dtkDateM == dtkM(tkYear) && v >= 1 && v <= 366 {
		*tmask = dtkM(tkDOY) | dtkM(tkMonth) | dtkM(tkDay)
		tm.yday = v
		return 0
	}
	switch fmask & dtkDateM {
	case 0:
		switch {
		case flen >= 3 || order == OrderYMD:
			*tmask = dtkM(tkYear)
			tm.year = v
		case order == OrderDMY:
			*tmask = dtkM(tkDay)
			tm.mday = v
		default:
			*tmask = dtkM(tkMonth)
			tm.mon = v
		}
	case dtkM(tkYear):
		*tmask = dtkM(tkMonth)
		tm.mon = v
	case dtkM(tkMonth):
		if haveTextMonth {
			if flen >= 3 || order == OrderYMD {
				*tmask = dtkM(tkYear)
				tm.year = v
			} else {
				*tmask = dtkM(tkDay)
				tm.mday = v
			}
		} else {
			*tmask = dtkM(tkDay)
			tm.mday = v
		}
	case dtkM(tkYear) | dtkM(tkMonth):
		if haveTextMonth {
			if flen >= 3 && *is2digits {
				// The first number was the day after all.
				*tmask = dtkM(tkDay)
				tm.mday = tm.year
				tm.year = v
				*is2digits = false
			} else {
				*tmask = dtkM(tkDay)
				tm.mday = v
			}
		} else {
			*tmask = dtkM(tkDay)
			tm.mday = v
		}
	case dtkM(tkDay):
		*tmask = dtkM(tkMonth)
		tm.mon = v
	case dtkM(tkMonth) | dtkM(tkDay):
		*tmask = dtkM(tkYear)
		tm.year = v
	case dtkDateM:
		if _, err := decodeNumberField(str, fmask, tmask, tm, is2digits); err < 0 {
			return err
		}
		return 0
	default:
		return dterrBadFormat
	}
	if *tmask == dtkM(tkYear) {
		*is2digits = flen <= 2
	}
	return 0
}

// decodeNumberField is DecodeNumberField: a run-together date
// (yyyymmdd, yymmdd) or time (hhmmss, hhmm), maybe with a fraction. It
// returns the field type it found (ftDate, ftTime) or a DTERR code.
func decodeNumberField(str string, fmask int, tmask *int, tm *dtTM, is2digits *bool) (int, int) {
	if k := strings.IndexByte(str, '.'); k >= 0 {
		frac := str[k:]
		if len(frac) == 1 {
			tm.fsec = 0
		} else {
			f, _, erange := cStrtod(frac)
			if erange {
				return 0, dterrBadFormat
			}
			tm.fsec = int64(math.RoundToEven(f * 1e6))
		}
		str = str[:k]
	} else if fmask&dtkDateM != dtkDateM {
		if len(str) >= 6 {
			*tmask = dtkDateM
			n := len(str)
			tm.mday = cAtoi(str[n-2:])
			tm.mon = cAtoi(str[n-4 : n-2])
			tm.year = cAtoi(str[:n-4])
			if n-4 == 2 {
				*is2digits = true
			}
			return ftDate, 0
		}
	}
	if fmask&dtkTimeM != dtkTimeM {
		switch len(str) {
		case 6:
			*tmask = dtkTimeM
			tm.sec = cAtoi(str[4:])
			tm.min = cAtoi(str[2:4])
			tm.hour = cAtoi(str[:2])
			return ftTime, 0
		case 4:
			*tmask = dtkTimeM
			tm.sec = 0
			tm.min = cAtoi(str[2:])
			tm.hour = cAtoi(str[:2])
			return ftTime, 0
		}
	}
	return 0, dterrBadFormat
}

// cAtoi is atoi: strtol without error checks, truncated to int.
func cAtoi(s string) int64 {
	v, _, _ := cStrtol(s, 64)
	return int64(int32(v))
}

// decodeTimezone is DecodeTimezone: +hh[:mm[:ss]], +hhmm; the result is
// in seconds west of UTC, as PostgreSQL's.
func decodeTimezone(str string) (int, int) {
	if str == "" || str[0] != '+' && str[0] != '-' {
		return 0, dterrBadFormat
	}
	hr, cp, erange := cStrtol(str[1:], 32)
	if erange {
		return 0, dterrTZDispOverflow
	}
	var min, sec int64
	switch {
	case cp != "" && cp[0] == ':':
		min, cp, erange = cStrtol(cp[1:], 32)
		if erange {
			return 0, dterrTZDispOverflow
		}
		if cp != "" && cp[0] == ':' {
			sec, cp, erange = cStrtol(cp[1:], 32)
			if erange {
				return 0, dterrTZDispOverflow
			}
		}
	case cp == "" && len(str) > 3:
		min = hr % 100
		hr = hr / 100
	default:
		min = 0
	}
	if hr < 0 || hr > 15 || min < 0 || min >= 60 || sec < 0 || sec >= 60 {
		return 0, dterrTZDispOverflow
	}
	tz := int((hr*60+min)*60 + sec)
	if str[0] == '-' {
		tz = -tz
	}
	if cp != "" {
		return 0, dterrBadFormat
	}
	return -tz, 0
}

// dt2time splits microseconds of a day (dt2time).
func dt2time(jd int64, tm *dtTM) {
	tm.hour = jd / USecsPerHour
	jd -= tm.hour * USecsPerHour
	tm.min = jd / USecsPerMin
	jd -= tm.min * USecsPerMin
	tm.sec = jd / USecsPerSec
	tm.fsec = jd - tm.sec*USecsPerSec
}

// jdate is date2j on 64-bit fields (wrapping to 32 bits as PostgreSQL).
func jdate(y, m, d int64) int64 { return int64(date2j(int32(y), int32(m), int32(d))) }

// jsplit is j2date.
func jsplit(jd int64) (y, m, d int64) {
	a, b, c := j2date(int32(jd))
	return int64(a), int64(b), int64(c)
}

// Julian-day limits (datatype/timestamp.h).
const (
	julianMinYear        = -4713
	julianMinMonth       = 11
	julianMaxYear        = 5874898
	julianMaxMonth       = 6
	timestampEndJulian   = 109203528
	pgMinTimestamp       = int64(-211813488000000000)
	pgEndTimestamp       = int64(9223371331200000000)
	pgEpochUnixMicros    = int64(946684800000000)
	engineMaxTimestampUS = math.MaxInt64 - 1
)

func isValidJulian(y, m, d int64) bool {
	return (y > julianMinYear || y == julianMinYear && m >= julianMinMonth) &&
		(y < julianMaxYear || y == julianMaxYear && m < julianMaxMonth)
}

// errEngineTimestamp refuses a timestamp PostgreSQL accepts but the
// engine cannot hold (it counts microseconds from 1970 in 64 bits).
var errEngineTimestamp = errf("0A000", "timestamps after 294247-01-10 cannot be held by Hotdata's cache engine")

// tm2timestamp is tm2timestamp: local fields (less tz, seconds west)
// to microseconds since 1970, in PostgreSQL's range. ok false is
// "timestamp out of range"; a value past the engine's range is refused.
func tm2timestamp(tm *dtTM, tz *int) (int64, bool, error) {
	if !isValidJulian(tm.year, tm.mon, tm.mday) {
		return 0, false, nil
	}
	date := jdate(tm.year, tm.mon, tm.mday) - postgresEpochJDate
	t := ((tm.hour*60+tm.min)*60+tm.sec)*USecsPerSec + tm.fsec
	hi, lo := mulAdd(date, USecsPerDay, t)
	if hi {
		return 0, false, nil
	}
	result := lo
	if result < 0 && date > 0 || result > 0 && date < -1 {
		return 0, false, nil
	}
	if tz != nil {
		r, over := addOverflow(result, int64(*tz)*USecsPerSec)
		if over {
			return 0, false, nil
		}
		result = r
	}
	if result < pgMinTimestamp || result >= pgEndTimestamp {
		return 0, false, nil
	}
	us, err := fromPGEpoch(result)
	if err != nil {
		return 0, true, err
	}
	return us, true, nil
}

// fromPGEpoch converts a valid PostgreSQL timestamp (from 2000) to the
// engine's (from 1970), refusing what the engine cannot hold.
func fromPGEpoch(pg int64) (int64, error) {
	if pg > engineMaxTimestampUS-pgEpochUnixMicros {
		return 0, errEngineTimestamp
	}
	return pg + pgEpochUnixMicros, nil
}

// mulAdd computes a*b+c and reports int64 overflow.
func mulAdd(a, b, c int64) (overflow bool, r int64) {
	if a != 0 {
		p := a * b
		if p/b != a {
			return true, 0
		}
		s, over := addOverflow(p, c)
		return over, s
	}
	return false, c
}

func addOverflow(a, b int64) (int64, bool) {
	s := a + b
	if (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0) {
		return s, true
	}
	return s, false
}

// determineTimeZoneOffset is DetermineTimeZoneOffset: the offset (seconds
// west) of local fields in loc; a time a transition skips takes the
// offset before it, one it repeats the offset after it.
func determineTimeZoneOffset(tm *dtTM, loc *time.Location) int {
	off, _ := determineTimeZoneOffsetInternal(tm, loc)
	return off
}

func determineTimeZoneOffsetInternal(tm *dtTM, loc *time.Location) (int, int64) {
	if !isValidJulian(tm.year, tm.mon, tm.mday) {
		tm.isdst = 0
		return 0, 0
	}
	day := (jdate(tm.year, tm.mon, tm.mday) - unixEpochJDate) * 86400
	mytime := day + tm.sec + (tm.min+tm.hour*60)*60
	off, t := localSecsOffset(mytime, loc)
	return -off, t
}

// localSecsOffset resolves local seconds since 1970 in loc: the offset
// east and the instant (the rules of DetermineTimeZoneOffsetInternal).
func localSecsOffset(mytime int64, loc *time.Location) (int, int64) {
	if loc == time.UTC {
		return 0, mytime
	}
	prevtime := mytime - 86400
	t := time.Unix(prevtime, 0).In(loc)
	_, beforeOff := t.Zone()
	_, end := t.ZoneBounds()
	if end.IsZero() {
		return beforeOff, mytime - int64(beforeOff)
	}
	boundary := end.Unix()
	_, afterOff := end.In(loc).Zone()
	beforetime := mytime - int64(beforeOff)
	aftertime := mytime - int64(afterOff)
	switch {
	case beforetime < boundary && aftertime < boundary:
		return beforeOff, beforetime
	case beforetime > boundary && aftertime >= boundary:
		return afterOff, aftertime
	case beforetime > aftertime:
		return beforeOff, beforetime
	}
	return afterOff, aftertime
}

// determineTimeZoneAbbrevOffset is DetermineTimeZoneAbbrevOffset: a
// dynamic abbreviation's meaning at the local time (seconds west).
func determineTimeZoneAbbrevOffset(tm *dtTM, abbr string, loc *time.Location) int {
	zoneOff, t := determineTimeZoneOffsetInternal(tm, loc)
	if off, ok := abbrevOffsetAt(t, abbr, loc); ok {
		return -off
	}
	return zoneOff
}

// abbrevOffsetAt is pg_interpret_timezone_abbrev: the offset (east) the
// abbreviation has in loc at t, or failing that its nearest meaning
// before t, then after it.
func abbrevOffsetAt(t int64, abbr string, loc *time.Location) (int, bool) {
	up := strings.ToUpper(abbr)
	cur := time.Unix(t, 0).In(loc)
	for n := 0; n < 4000; n++ {
		name, off := cur.Zone()
		if name == up {
			return off, true
		}
		start, _ := cur.ZoneBounds()
		if start.IsZero() {
			break
		}
		cur = start.Add(-time.Second).In(loc)
	}
	cur = time.Unix(t, 0).In(loc)
	for n := 0; n < 4000; n++ {
		_, end := cur.ZoneBounds()
		if end.IsZero() {
			break
		}
		cur = end.In(loc)
		name, off := cur.Zone()
		if name == up {
			return off, true
		}
	}
	return 0, false
}

// fixedOffset reports whether loc never changes its offset (a non-DST
// zone) and that offset (east).
func fixedOffset(loc *time.Location) (int, bool) {
	t := time.Unix(0, 0).In(loc)
	start, end := t.ZoneBounds()
	if start.IsZero() && end.IsZero() {
		_, off := t.Zone()
		return off, true
	}
	return 0, false
}

// dateTimeParseError is DateTimeParseError.
func dateTimeParseError(dterr int, s, typeName string, tm *dtTM) error {
	switch dterr {
	case dterrFieldOverflow:
		return errf("22008", "date/time field value out of range: \"%s\"", s)
	case dterrMDFieldOverflow:
		return errf("22008", "date/time field value out of range: \"%s\"", s).WithHint("Perhaps you need a different \"datestyle\" setting.")
	case dterrIntervalOverflow:
		return errf("22015", "interval field value out of range: \"%s\"", s)
	case dterrTZDispOverflow:
		return errf("22009", "time zone displacement out of range: \"%s\"", s)
	case dterrBadTimezone:
		name := ""
		if tm != nil {
			name = tm.badZone
		}
		return errf("22023", "time zone \"%s\" not recognized", name)
	}
	return errf("22007", "invalid input syntax for type %s: \"%s\"", typeName, s)
}

func isAllDigitsStr(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
