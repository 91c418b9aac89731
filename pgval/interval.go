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

// ParseInterval is interval_in (without a typmod's field restriction).
func ParseInterval(s string, st Style) (Interval, error) {
	return ParseIntervalField(s, st, -1)
}

// ParseIntervalField is interval_in: rangeMask is the typmod's field
// mask (-1: none), which decides what a bare number means. (The typmod's
// rounding is IntervalTypmod's.)
func ParseIntervalField(s string, st Style, rangeMask int) (Interval, error) {
	if rangeMask < 0 {
		rangeMask = intervalFullRange
	}
	var itm itmIn
	fields, ftypes, dterr := parseDateTime(s, bufInterval)
	if dterr == 0 {
		dterr = decodeInterval(fields, ftypes, rangeMask, st.IntervalStyle, &itm)
	}
	if dterr == dterrBadFormat {
		itm = itmIn{}
		dterr = decodeISO8601Interval(s, &itm)
	}
	if dterr != 0 {
		if dterr == dterrFieldOverflow {
			dterr = dterrIntervalOverflow
		}
		return Interval{}, dateTimeParseError(dterr, s, "interval", nil)
	}
	months := int64(itm.year)*12 + int64(itm.mon)
	if months > math.MaxInt32 || months < math.MinInt32 {
		return Interval{}, errIntervalRange
	}
	return Interval{Months: int32(months), Days: itm.mday, Micros: itm.usec}, nil
}

// itmIn is struct pg_itm_in: an interval being read.
type itmIn struct {
	usec int64
	mday int32
	mon  int32
	year int32
}

func addInt32(a *int32, b int64) bool {
	s := int64(*a) + b
	if s > math.MaxInt32 || s < math.MinInt32 {
		return false
	}
	*a = int32(s)
	return true
}

// adjustFractMicroseconds is AdjustFractMicroseconds.
func (itm *itmIn) adjustFractMicroseconds(frac float64, scale int64) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	usec := int64(frac)
	frac -= float64(usec)
	if frac > 0.5 {
		usec++
	} else if frac < -0.5 {
		usec--
	}
	r, over := addOverflow(itm.usec, usec)
	itm.usec = r
	return !over
}

// adjustFractDays is AdjustFractDays.
func (itm *itmIn) adjustFractDays(frac float64, scale int) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	extra := int32(frac)
	if !addInt32(&itm.mday, int64(extra)) {
		return false
	}
	frac -= float64(extra)
	return itm.adjustFractMicroseconds(frac, USecsPerDay)
}

// adjustFractYears is AdjustFractYears.
func (itm *itmIn) adjustFractYears(frac float64, scale int) bool {
	extra := int32(math.RoundToEven(frac * float64(scale) * 12))
	return addInt32(&itm.mon, int64(extra))
}

// adjustMicroseconds is AdjustMicroseconds.
func (itm *itmIn) adjustMicroseconds(val int64, fval float64, scale int64) bool {
	over, r := mulAdd(val, scale, itm.usec)
	if over {
		return false
	}
	itm.usec = r
	return itm.adjustFractMicroseconds(fval, scale)
}

// adjustDays is AdjustDays.
func (itm *itmIn) adjustDays(val int64, scale int) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	d := val * int64(scale)
	if d < math.MinInt32 || d > math.MaxInt32 {
		return false
	}
	return addInt32(&itm.mday, d)
}

// adjustMonths is AdjustMonths.
func (itm *itmIn) adjustMonths(val int64) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	return addInt32(&itm.mon, val)
}

// adjustYears is AdjustYears.
func (itm *itmIn) adjustYears(val int64, scale int) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	y := val * int64(scale)
	if y < math.MinInt32 || y > math.MaxInt32 {
		return false
	}
	return addInt32(&itm.year, y)
}

// decodeTimeForInterval is DecodeTimeForInterval.
func (itm *itmIn) decodeTime(str string, rangeMask int, tmask *int) int {
	*tmask = dtkTimeM
	h, m, sec, us, err := decodeTimeCommon(str, rangeMask)
	if err != 0 {
		return err
	}
	itm.usec = us
	for _, p := range [][2]int64{{h, USecsPerHour}, {m, USecsPerMin}, {sec, USecsPerSec}} {
		over, r := mulAdd(p[0], p[1], itm.usec)
		if over {
			return dterrFieldOverflow
		}
		itm.usec = r
	}
	return 0
}

// Range masks of the interval typmod (INTERVAL_MASK).
const (
	imYear   = 1 << tkYear
	imMonth  = 1 << tkMonth
	imDay    = 1 << tkDay
	imHour   = 1 << tkHour
	imMinute = 1 << tkMinute
	imSecond = 1 << tkSecond
)

// decodeInterval is DecodeInterval as PostgreSQL 15 has it: fields read
// right to left, so that units come before their values; a bare number
// takes its unit from the typmod's fields.
func decodeInterval(fields []string, ftypes []int, rangeMask, intervalStyle int, itm *itmIn) int {
	forceNegative := false
	isBefore := false
	fmask := 0
	var tmask int
	typ := -1 // IGNORE_DTF: no unit yet
	nf := len(fields)
	// SQL standard style: a leading '-' applies to every field unless
	// another field carries its own sign.
	if intervalStyle == IntervalSQLStandard && nf > 0 && fields[0][0] == '-' {
		forceNegative = true
		for i := 1; i < nf; i++ {
			if fields[i][0] == '-' || fields[i][0] == '+' {
				forceNegative = false
				break
			}
		}
	}
	for i := nf - 1; i >= 0; i-- {
		field := fields[i]
		switch ftypes[i] {
		case ftTime:
			if err := itm.decodeTime(field, rangeMask, &tmask); err != 0 {
				return err
			}
			if forceNegative && itm.usec > 0 {
				itm.usec = -itm.usec
			}
			typ = dtkDay
		case ftTZ, ftDate, ftNumber:
			if ftypes[i] == ftTZ && strings.IndexByte(field[1:], ':') >= 0 {
				// A signed hh:mm[:ss].
				save := *itm
				if itm.decodeTime(field[1:], rangeMask, &tmask) == 0 {
					if field[0] == '-' {
						if itm.usec == math.MinInt64 {
							return dterrFieldOverflow
						}
						itm.usec = -itm.usec
					}
					if forceNegative && itm.usec > 0 {
						itm.usec = -itm.usec
					}
					typ = dtkDay
					break
				}
				*itm = save
			}
			if typ == -1 {
				switch rangeMask {
				case imYear:
					typ = dtkYear
				case imMonth, imYear | imMonth:
					typ = dtkMonth
				case imDay:
					typ = dtkDay
				case imHour, imDay | imHour:
					typ = dtkHour
				case imMinute, imHour | imMinute, imDay | imHour | imMinute:
					typ = dtkMinute
				default:
					typ = dtkSecond
				}
			}
			val, cp, erange := cStrtol(field, 64)
			if erange {
				return dterrFieldOverflow
			}
			var fval float64
			switch {
			case cp != "" && cp[0] == '-':
				// SQL "years-months".
				val2, rest, erange2 := cStrtol(cp[1:], 32)
				if erange2 || val2 < 0 || val2 >= 12 {
					return dterrFieldOverflow
				}
				if rest != "" {
					return dterrBadFormat
				}
				typ = dtkMonth
				if field[0] == '-' {
					val2 = -val2
				}
				over, r := mulAdd(val, 12, val2)
				if over {
					return dterrFieldOverflow
				}
				val = r
				fval = 0
			case cp != "" && cp[0] == '.':
				f, err := parseFraction(cp)
				if err != 0 {
					return err
				}
				fval = f
				if field[0] == '-' {
					fval = -fval
				}
			case cp == "":
				fval = 0
			default:
				return dterrBadFormat
			}
			tmask = 0
			if forceNegative {
				if val > 0 {
					val = -val
				}
				if fval > 0 {
					fval = -fval
				}
			}
			ok := true
			switch typ {
			case dtkMicrosec:
				ok = itm.adjustMicroseconds(val, fval, 1)
				tmask = dtkM(tkMicrosecond)
			case dtkMillisec:
				ok = itm.adjustMicroseconds(val, fval, 1000)
				tmask = dtkM(tkMillisecond)
			case dtkSecond:
				ok = itm.adjustMicroseconds(val, fval, USecsPerSec)
				if fval == 0 {
					tmask = dtkM(tkSecond)
				} else {
					tmask = dtkAllSecsM
				}
			case dtkMinute:
				ok = itm.adjustMicroseconds(val, fval, USecsPerMin)
				tmask = dtkM(tkMinute)
			case dtkHour:
				ok = itm.adjustMicroseconds(val, fval, USecsPerHour)
				tmask = dtkM(tkHour)
				typ = dtkDay // for the next field
			case dtkDay:
				ok = itm.adjustDays(val, 1) && itm.adjustFractMicroseconds(fval, USecsPerDay)
				tmask = dtkM(tkDay)
			case dtkWeek:
				ok = itm.adjustDays(val, 7) && itm.adjustFractDays(fval, 7)
				tmask = dtkM(tkWeek)
			case dtkMonth:
				ok = itm.adjustMonths(val) && itm.adjustFractDays(fval, 30)
				tmask = dtkM(tkMonth)
			case dtkYear:
				ok = itm.adjustYears(val, 1) && itm.adjustFractYears(fval, 1)
				tmask = dtkM(tkYear)
			case dtkDecade:
				ok = itm.adjustYears(val, 10) && itm.adjustFractYears(fval, 10)
				tmask = dtkM(tkDecade)
			case dtkCentury:
				ok = itm.adjustYears(val, 100) && itm.adjustFractYears(fval, 100)
				tmask = dtkM(tkCentury)
			case dtkMillennium:
				ok = itm.adjustYears(val, 1000) && itm.adjustFractYears(fval, 1000)
				tmask = dtkM(tkMillennium)
			default:
				return dterrBadFormat
			}
			if !ok {
				return dterrFieldOverflow
			}
		case ftString, ftSpecial:
			tok, ok := lookupTok(deltatktbl, field)
			if !ok {
				return dterrBadFormat
			}
			if tok.typ == tkIgnore {
				continue
			}
			tmask = 0
			switch tok.typ {
			case tkUnits:
				typ = tok.val
			case tkAgo:
				isBefore = true
				typ = dtkNone
			default:
				return dterrBadFormat
			}
		default:
			return dterrBadFormat
		}
		if tmask&fmask != 0 {
			return dterrBadFormat
		}
		fmask |= tmask
	}
	if fmask == 0 {
		return dterrBadFormat
	}
	if isBefore {
		if itm.usec == math.MinInt64 || itm.mday == math.MinInt32 || itm.mon == math.MinInt32 || itm.year == math.MinInt32 {
			return dterrFieldOverflow
		}
		itm.usec, itm.mday, itm.mon, itm.year = -itm.usec, -itm.mday, -itm.mon, -itm.year
	}
	return 0
}

// parseISO8601Number is ParseISO8601Number: a decimal (strtod, so an
// exponent too) split into its integer and fractional parts.
func parseISO8601Number(s string) (ipart int64, fpart float64, rest string, dterr int) {
	if s == "" || !(cIsDigit(s[0]) || s[0] == '-' || s[0] == '.') {
		return 0, 0, s, dterrBadFormat
	}
	v, rest, erange := cStrtod(s)
	if rest == s || erange {
		return 0, 0, s, dterrBadFormat
	}
	if math.IsNaN(v) || v < -1.0e15 || v > 1.0e15 {
		return 0, 0, rest, dterrFieldOverflow
	}
	if v >= 0 {
		ipart = int64(math.Floor(v))
	} else {
		ipart = -int64(math.Floor(-v))
	}
	return ipart, v - float64(ipart), rest, 0
}

// iso8601IntegerWidth is ISO8601IntegerWidth.
func iso8601IntegerWidth(s string) int {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	n := 0
	for n < len(s) && cIsDigit(s[n]) {
		n++
	}
	return n
}

// decodeISO8601Interval is DecodeISO8601Interval: P1Y2M3DT4H5M6S, with
// weeks, fractions in any field, and the alternative formats
// P0001-02-03T04:05:06 and P00010203T040506.
func decodeISO8601Interval(str string, itm *itmIn) int {
	datepart, havefield := true, false
	if len(str) < 2 || str[0] != 'P' {
		return dterrBadFormat
	}
	str = str[1:]
	for str != "" {
		if str[0] == 'T' {
			datepart, havefield = false, false
			str = str[1:]
			continue
		}
		fieldstart := str
		val, fval, rest, err := parseISO8601Number(str)
		if err != 0 {
			return err
		}
		str = rest
		var unit byte
		if str != "" {
			unit = str[0]
			str = str[1:]
		}
		if datepart {
			switch unit {
			case 'Y':
				if !itm.adjustYears(val, 1) || !itm.adjustFractYears(fval, 1) {
					return dterrFieldOverflow
				}
			case 'M':
				if !itm.adjustMonths(val) || !itm.adjustFractDays(fval, 30) {
					return dterrFieldOverflow
				}
			case 'W':
				if !itm.adjustDays(val, 7) || !itm.adjustFractDays(fval, 7) {
					return dterrFieldOverflow
				}
			case 'D':
				if !itm.adjustDays(val, 1) || !itm.adjustFractMicroseconds(fval, USecsPerDay) {
					return dterrFieldOverflow
				}
			case 'T', 0, '-':
				if unit != '-' && iso8601IntegerWidth(fieldstart) == 8 && !havefield {
					// Basic alternative format: yyyymmdd.
					if !itm.adjustYears(val/10000, 1) || !itm.adjustMonths((val/100)%100) ||
						!itm.adjustDays(val%100, 1) || !itm.adjustFractMicroseconds(fval, USecsPerDay) {
						return dterrFieldOverflow
					}
					if unit == 0 {
						return 0
					}
					datepart, havefield = false, false
					continue
				}
				// Extended alternative format: yyyy-mm-dd.
				if havefield {
					return dterrBadFormat
				}
				if !itm.adjustYears(val, 1) || !itm.adjustFractYears(fval, 1) {
					return dterrFieldOverflow
				}
				if unit == 0 {
					return 0
				}
				if unit == 'T' {
					datepart, havefield = false, false
					continue
				}
				val, fval, str, err = parseISO8601Number(str)
				if err != 0 {
					return err
				}
				if !itm.adjustMonths(val) || !itm.adjustFractDays(fval, 30) {
					return dterrFieldOverflow
				}
				if str == "" {
					return 0
				}
				if str[0] == 'T' {
					datepart, havefield = false, false
					continue
				}
				if str[0] != '-' {
					return dterrBadFormat
				}
				str = str[1:]
				val, fval, str, err = parseISO8601Number(str)
				if err != 0 {
					return err
				}
				if !itm.adjustDays(val, 1) || !itm.adjustFractMicroseconds(fval, USecsPerDay) {
					return dterrFieldOverflow
				}
				if str == "" {
					return 0
				}
				if str[0] == 'T' {
					datepart, havefield = false, false
					continue
				}
				return dterrBadFormat
			default:
				return dterrBadFormat
			}
		} else {
			switch unit {
			case 'H':
				if !itm.adjustMicroseconds(val, fval, USecsPerHour) {
					return dterrFieldOverflow
				}
			case 'M':
				if !itm.adjustMicroseconds(val, fval, USecsPerMin) {
					return dterrFieldOverflow
				}
			case 'S':
				if !itm.adjustMicroseconds(val, fval, USecsPerSec) {
					return dterrFieldOverflow
				}
			case 0, ':':
				if unit == 0 && iso8601IntegerWidth(fieldstart) == 6 && !havefield {
					// Basic alternative format: hhmmss.
					if !itm.adjustMicroseconds(val/10000, 0, USecsPerHour) ||
						!itm.adjustMicroseconds((val/100)%100, 0, USecsPerMin) ||
						!itm.adjustMicroseconds(val%100, 0, USecsPerSec) ||
						!itm.adjustFractMicroseconds(fval, 1) {
						return dterrFieldOverflow
					}
					return 0
				}
				if havefield {
					return dterrBadFormat
				}
				if !itm.adjustMicroseconds(val, fval, USecsPerHour) {
					return dterrFieldOverflow
				}
				if unit == 0 {
					return 0
				}
				val, fval, str, err = parseISO8601Number(str)
				if err != 0 {
					return err
				}
				if !itm.adjustMicroseconds(val, fval, USecsPerMin) {
					return dterrFieldOverflow
				}
				if str == "" {
					return 0
				}
				if str[0] != ':' {
					return dterrBadFormat
				}
				str = str[1:]
				val, fval, str, err = parseISO8601Number(str)
				if err != 0 {
					return err
				}
				if !itm.adjustMicroseconds(val, fval, USecsPerSec) {
					return dterrFieldOverflow
				}
				if str == "" {
					return 0
				}
				return dterrBadFormat
			default:
				return dterrBadFormat
			}
		}
		havefield = true
	}
	return 0
}
