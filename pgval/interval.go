package pgval

import (
	"math"
	"strconv"
	"strings"
)

// Interval is PostgreSQL's (and the engine's) interval: months, days and
// microseconds, each with its own sign.
type Interval struct {
	Months int32
	Days   int32
	Micros int64
}

// AppendInterval is interval_out in IntervalStyle.
func AppendInterval(dst []byte, iv Interval, st Style) []byte {
	year := int64(iv.Months / 12)
	mon := int64(iv.Months % 12)
	mday := int64(iv.Days)
	t := iv.Micros
	hour := t / USecsPerHour
	t -= hour * USecsPerHour
	min := t / USecsPerMin
	t -= min * USecsPerMin
	sec := t / USecsPerSec
	fsec := t - sec*USecsPerSec
	switch st.IntervalStyle {
	case IntervalISO8601:
		if year == 0 && mon == 0 && mday == 0 && hour == 0 && min == 0 && sec == 0 && fsec == 0 {
			return append(dst, "PT0S"...)
		}
		dst = append(dst, 'P')
		dst = isoPart(dst, year, 'Y')
		dst = isoPart(dst, mon, 'M')
		dst = isoPart(dst, mday, 'D')
		if hour != 0 || min != 0 || sec != 0 || fsec != 0 {
			dst = append(dst, 'T')
		}
		dst = isoPart(dst, hour, 'H')
		dst = isoPart(dst, min, 'M')
		if sec != 0 || fsec != 0 {
			if sec < 0 || fsec < 0 {
				dst = append(dst, '-')
			}
			dst = appendSeconds(dst, sec, fsec, false)
			dst = append(dst, 'S')
		}
		return dst
	case IntervalSQLStandard:
		hasNeg := year < 0 || mon < 0 || mday < 0 || hour < 0 || min < 0 || sec < 0 || fsec < 0
		hasPos := year > 0 || mon > 0 || mday > 0 || hour > 0 || min > 0 || sec > 0 || fsec > 0
		hasYM := year != 0 || mon != 0
		hasDT := mday != 0 || hour != 0 || min != 0 || sec != 0 || fsec != 0
		std := !(hasNeg && hasPos) && !(hasYM && hasDT)
		if hasNeg && std {
			dst = append(dst, '-')
			year, mon, mday, hour, min, sec, fsec = -year, -mon, -mday, -hour, -min, -sec, -fsec
		}
		switch {
		case !hasNeg && !hasPos:
			return append(dst, '0')
		case !std:
			ys, ds, ss := byte('+'), byte('+'), byte('+')
			if year < 0 || mon < 0 {
				ys = '-'
			}
			if mday < 0 {
				ds = '-'
			}
			if hour < 0 || min < 0 || sec < 0 || fsec < 0 {
				ss = '-'
			}
			dst = append(dst, ys)
			dst = strconv.AppendInt(dst, abs64(year), 10)
			dst = append(dst, '-')
			dst = strconv.AppendInt(dst, abs64(mon), 10)
			dst = append(dst, ' ', ds)
			dst = strconv.AppendInt(dst, abs64(mday), 10)
			dst = append(dst, ' ', ss)
			dst = strconv.AppendInt(dst, abs64(hour), 10)
			dst = append(dst, ':')
			dst = appendPad(dst, abs64(min), 2)
			dst = append(dst, ':')
			return appendSeconds(dst, sec, fsec, true)
		case hasYM:
			dst = strconv.AppendInt(dst, year, 10)
			dst = append(dst, '-')
			return strconv.AppendInt(dst, mon, 10)
		case mday != 0:
			dst = strconv.AppendInt(dst, mday, 10)
			dst = append(dst, ' ')
			dst = strconv.AppendInt(dst, hour, 10)
			dst = append(dst, ':')
			dst = appendPad(dst, min, 2)
			dst = append(dst, ':')
			return appendSeconds(dst, sec, fsec, true)
		default:
			dst = strconv.AppendInt(dst, hour, 10)
			dst = append(dst, ':')
			dst = appendPad(dst, min, 2)
			dst = append(dst, ':')
			return appendSeconds(dst, sec, fsec, true)
		}
	case IntervalPostgresVerbose:
		dst = append(dst, '@')
		isZero, isBefore := true, false
		dst = verbosePart(dst, year, "year", &isZero, &isBefore)
		dst = verbosePart(dst, mon, "mon", &isZero, &isBefore)
		dst = verbosePart(dst, mday, "day", &isZero, &isBefore)
		dst = verbosePart(dst, hour, "hour", &isZero, &isBefore)
		dst = verbosePart(dst, min, "min", &isZero, &isBefore)
		if sec != 0 || fsec != 0 {
			dst = append(dst, ' ')
			if sec < 0 || sec == 0 && fsec < 0 {
				if isZero {
					isBefore = true
				} else if !isBefore {
					dst = append(dst, '-')
				}
			} else if isBefore {
				dst = append(dst, '-')
			}
			dst = appendSeconds(dst, sec, fsec, false)
			if abs64(sec) != 1 || fsec != 0 {
				dst = append(dst, " secs"...)
			} else {
				dst = append(dst, " sec"...)
			}
			isZero = false
		}
		if isZero {
			dst = append(dst, " 0"...)
		}
		if isBefore {
			dst = append(dst, " ago"...)
		}
		return dst
	}
	isZero, isBefore := true, false
	dst = postgresPart(dst, year, "year", &isZero, &isBefore)
	dst = postgresPart(dst, mon, "mon", &isZero, &isBefore)
	dst = postgresPart(dst, mday, "day", &isZero, &isBefore)
	if isZero || hour != 0 || min != 0 || sec != 0 || fsec != 0 {
		minus := hour < 0 || min < 0 || sec < 0 || fsec < 0
		if !isZero {
			dst = append(dst, ' ')
		}
		if minus {
			dst = append(dst, '-')
		} else if isBefore {
			dst = append(dst, '+')
		}
		dst = appendPad(dst, abs64(hour), 2)
		dst = append(dst, ':')
		dst = appendPad(dst, abs64(min), 2)
		dst = append(dst, ':')
		dst = appendSeconds(dst, sec, fsec, true)
	}
	return dst
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func isoPart(dst []byte, v int64, unit byte) []byte {
	if v == 0 {
		return dst
	}
	dst = strconv.AppendInt(dst, v, 10)
	return append(dst, unit)
}

func postgresPart(dst []byte, v int64, unit string, isZero, isBefore *bool) []byte {
	if v == 0 {
		return dst
	}
	if !*isZero {
		dst = append(dst, ' ')
	}
	if *isBefore && v > 0 {
		dst = append(dst, '+')
	}
	dst = strconv.AppendInt(dst, v, 10)
	dst = append(dst, ' ')
	dst = append(dst, unit...)
	if v != 1 {
		dst = append(dst, 's')
	}
	*isBefore = v < 0
	*isZero = false
	return dst
}

func verbosePart(dst []byte, v int64, unit string, isZero, isBefore *bool) []byte {
	if v == 0 {
		return dst
	}
	if *isZero {
		*isBefore = v < 0
		v = abs64(v)
	} else if *isBefore {
		v = -v
	}
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, v, 10)
	dst = append(dst, ' ')
	dst = append(dst, unit...)
	if v != 1 {
		dst = append(dst, 's')
	}
	*isZero = false
	return dst
}

// appendSeconds writes |sec| (two digits when fill) and the fraction
// without trailing zeros (AppendSeconds).
func appendSeconds(dst []byte, sec, fsec int64, fill bool) []byte {
	if fill {
		dst = appendPad(dst, abs64(sec), 2)
	} else {
		dst = strconv.AppendInt(dst, abs64(sec), 10)
	}
	return appendFraction(dst, abs64(fsec))
}

// Interval units (DecodeUnits).
var intervalUnits = map[string]string{
	"microsecond": "us", "microseconds": "us", "microsecon": "us", "us": "us", "usec": "us", "usecs": "us", "useconds": "us", "usecond": "us",
	"millisecond": "ms", "milliseconds": "ms", "millisecon": "ms", "ms": "ms", "msec": "ms", "msecs": "ms", "mseconds": "ms", "msecond": "ms",
	"second": "s", "seconds": "s", "sec": "s", "secs": "s", "s": "s",
	"minute": "min", "minutes": "min", "min": "min", "mins": "min", "m": "min",
	"hour": "h", "hours": "h", "hr": "h", "hrs": "h", "h": "h",
	"day": "d", "days": "d", "d": "d",
	"week": "w", "weeks": "w", "w": "w",
	"month": "mon", "months": "mon", "mon": "mon", "mons": "mon",
	"year": "y", "years": "y", "yr": "y", "yrs": "y", "y": "y",
	"decade": "dec", "decades": "dec", "dec": "dec", "decs": "dec",
	"century": "c", "centuries": "c", "cent": "c", "c": "c",
	"millennium": "mil", "millennia": "mil", "mil": "mil", "mils": "mil",
}

// ParseInterval is interval_in (without a typmod's field restriction).
func ParseInterval(s string, st Style) (Interval, error) {
	return ParseIntervalField(s, st, -1)
}

// ParseIntervalField reads interval input; rangeMask is the typmod's
// field mask (-1: none), deciding what a bare number means.
func ParseIntervalField(s string, st Style, rangeMask int) (Interval, error) {
	bad := func() (Interval, error) {
		return Interval{}, errf("22007", "invalid input syntax for type interval: %q", s)
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return bad()
	}
	if t[0] == 'P' || t[0] == 'p' {
		iv, ok := parseISOInterval(t[1:])
		if !ok {
			return bad()
		}
		return iv, nil
	}
	var months, days int64
	var micros float64
	var acc struct{ months, days int64 }
	_ = acc
	fields := strings.Fields(strings.ReplaceAll(t, ",", " "))
	if len(fields) > 0 && fields[0] == "@" {
		fields = fields[1:]
	} else if len(fields) > 0 && strings.HasPrefix(fields[0], "@") {
		fields[0] = fields[0][1:]
	}
	// Split glued forms: "1day", "2hours".
	var toks []string
	for _, f := range fields {
		toks = append(toks, splitNumUnit(f)...)
	}
	ago := false
	// SQL standard: a leading sign applies to every field.
	leadingNeg := false
	if st.IntervalStyle == IntervalSQLStandard && len(toks) > 0 && strings.HasPrefix(toks[0], "-") {
		leadingNeg = true
	}
	var sawYM bool
	var pendingNum string
	addFloat := func(v float64, unit string) bool {
		switch unit {
		case "us":
			micros += v
		case "ms":
			micros += v * 1000
		case "s":
			micros += v * 1e6
		case "min":
			micros += v * 6e7
		case "h":
			micros += v * 3.6e9
		case "d":
			whole := math.Trunc(v)
			days += int64(whole)
			micros += (v - whole) * float64(USecsPerDay)
		case "w":
			d := v * 7
			whole := math.Trunc(d)
			days += int64(whole)
			micros += (d - whole) * float64(USecsPerDay)
		case "mon":
			whole := math.Trunc(v)
			months += int64(whole)
			fd := (v - whole) * 30
			wd := math.Trunc(fd)
			days += int64(wd)
			micros += (fd - wd) * float64(USecsPerDay)
		case "y":
			months += int64(v) * 12
			months += int64(math.RoundToEven((v - math.Trunc(v)) * 12))
		case "dec":
			months += int64(v*10) * 12
			months += int64(math.RoundToEven((v*10 - math.Trunc(v*10)) * 12))
		case "c":
			months += int64(v*100) * 12
		case "mil":
			months += int64(v*1000) * 12
		default:
			return false
		}
		return true
	}
	for i := 0; i < len(toks); i++ {
		tk := strings.ToLower(toks[i])
		switch {
		case tk == "ago":
			if i != len(toks)-1 {
				return bad()
			}
			ago = true
		case strings.Contains(tk, ":"):
			// [-]hh:mm[:ss[.fff]]
			neg := strings.HasPrefix(tk, "-")
			body := strings.TrimLeft(tk, "+-")
			parts := strings.Split(body, ":")
			if len(parts) < 2 || len(parts) > 3 {
				return bad()
			}
			h, err1 := strconv.ParseInt(parts[0], 10, 64)
			m, err2 := strconv.ParseFloat(parts[1], 64)
			if err1 != nil || err2 != nil {
				return bad()
			}
			var secUS float64
			if len(parts) == 3 {
				sv, err := strconv.ParseFloat(parts[2], 64)
				if err != nil {
					return bad()
				}
				secUS = sv * 1e6
			}
			v := float64(h)*3.6e9 + m*6e7 + secUS
			if neg || leadingNeg && !neg && i == 0 {
				v = -v
			}
			if leadingNeg && i > 0 {
				v = -v
			}
			if pendingNum != "" {
				// "3 04:05:06": days then time.
				d, err := strconv.ParseInt(pendingNum, 10, 64)
				if err != nil {
					return bad()
				}
				if leadingNeg && d > 0 {
					d = -d
				}
				days += d
				pendingNum = ""
			}
			micros += v
		case isYearMonth(tk) && !sawYM:
			neg := strings.HasPrefix(tk, "-")
			body := strings.TrimLeft(tk, "+-")
			y, m, _ := strings.Cut(body, "-")
			yv, err1 := strconv.ParseInt(y, 10, 64)
			mv, err2 := strconv.ParseInt(m, 10, 64)
			if err1 != nil || err2 != nil || mv > 11 {
				return bad()
			}
			v := yv*12 + mv
			if neg {
				v = -v
			}
			months += v
			sawYM = true
		default:
			num, err := strconv.ParseFloat(tk, 64)
			if err != nil || strings.ContainsAny(tk, "eE") || tk == "nan" || strings.HasPrefix(tk, "inf") || strings.HasPrefix(tk, "+inf") || strings.HasPrefix(tk, "-inf") {
				return bad()
			}
			if leadingNeg && i > 0 && num > 0 {
				num = -num
			}
			if i+1 < len(toks) {
				if unit, ok := intervalUnits[strings.ToLower(toks[i+1])]; ok {
					if !addFloat(num, unit) {
						return bad()
					}
					i++
					continue
				}
			}
			if i+1 < len(toks) && strings.Contains(toks[i+1], ":") {
				pendingNum = tk
				continue
			}
			if i != len(toks)-1 {
				return bad()
			}
			// A bare number: its unit comes from the typmod's fields
			// (seconds when there are none).
			unit := "s"
			switch {
			case rangeMask < 0 || rangeMask == 0x7fff:
			case rangeMask&(1<<12) != 0:
				unit = "s"
			case rangeMask&(1<<11) != 0:
				unit = "min"
			case rangeMask&(1<<10) != 0:
				unit = "h"
			case rangeMask&(1<<3) != 0:
				unit = "d"
			case rangeMask&(1<<1) != 0:
				unit = "mon"
			case rangeMask&(1<<2) != 0:
				unit = "y"
			}
			addFloat(num, unit)
		}
	}
	if pendingNum != "" {
		return bad()
	}
	us := int64(math.RoundToEven(micros))
	iv := Interval{Months: int32(months), Days: int32(days), Micros: us}
	if int64(iv.Months) != months || int64(iv.Days) != days {
		return Interval{}, errf("22015", "interval field value out of range: %q", s)
	}
	if ago {
		iv = Interval{-iv.Months, -iv.Days, -iv.Micros}
	}
	return iv, nil
}

func isYearMonth(s string) bool {
	body := strings.TrimLeft(s, "+-")
	y, m, ok := strings.Cut(body, "-")
	return ok && isAllDigitsStr(y) && isAllDigitsStr(m)
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

// splitNumUnit splits "10days" into "10" and "days".
func splitNumUnit(f string) []string {
	if strings.Contains(f, ":") || isYearMonth(f) {
		return []string{f}
	}
	i := 0
	if i < len(f) && (f[i] == '+' || f[i] == '-') {
		i++
	}
	j := i
	for j < len(f) && (isDigit(f[j]) || f[j] == '.') {
		j++
	}
	if j > i && j < len(f) && isAlpha(f[j]) {
		return []string{f[:j], f[j:]}
	}
	return []string{f}
}

// parseISOInterval reads the part after P of an ISO 8601 duration.
func parseISOInterval(s string) (Interval, bool) {
	var months, days int64
	var micros float64
	inTime := false
	i := 0
	for i < len(s) {
		if s[i] == 'T' || s[i] == 't' {
			inTime = true
			i++
			continue
		}
		j := i
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
			j++
		}
		if j == i || j >= len(s) {
			return Interval{}, false
		}
		v, err := strconv.ParseFloat(s[i:j], 64)
		if err != nil {
			return Interval{}, false
		}
		switch s[j] {
		case 'Y', 'y':
			if inTime {
				return Interval{}, false
			}
			months += int64(v * 12)
		case 'M', 'm':
			if inTime {
				micros += v * 6e7
			} else {
				whole := math.Trunc(v)
				months += int64(whole)
				fd := (v - whole) * 30
				days += int64(math.Trunc(fd))
				micros += (fd - math.Trunc(fd)) * float64(USecsPerDay)
			}
		case 'W', 'w':
			d := v * 7
			days += int64(math.Trunc(d))
			micros += (d - math.Trunc(d)) * float64(USecsPerDay)
		case 'D', 'd':
			days += int64(math.Trunc(v))
			micros += (v - math.Trunc(v)) * float64(USecsPerDay)
		case 'H', 'h':
			micros += v * 3.6e9
		case 'S', 's':
			micros += v * 1e6
		default:
			return Interval{}, false
		}
		i = j + 1
	}
	return Interval{Months: int32(months), Days: int32(days), Micros: int64(math.RoundToEven(micros))}, true
}
