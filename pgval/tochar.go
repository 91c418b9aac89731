package pgval

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
)

// to_char for dates, times and intervals (formatting.c's DCH_to_char).

var dchKeywords = []string{
	"A.D.", "A.M.", "AD", "AM", "B.C.", "BC", "CC", "DAY", "DDD", "DD", "DY", "Day", "Dy", "D",
	"FF1", "FF2", "FF3", "FF4", "FF5", "FF6", "FX", "HH24", "HH12", "HH", "IDDD", "ID", "IW", "IYYY", "IYY", "IY", "I",
	"J", "MI", "MM", "MONTH", "MON", "MS", "Month", "Mon", "OF", "P.M.", "PM", "Q", "RM", "SSSSS", "SSSS", "SS",
	"TZH", "TZM", "TZ", "US", "WW", "W", "Y,YYY", "YYYY", "YYY", "YY", "Y",
	"a.d.", "a.m.", "ad", "am", "b.c.", "bc", "cc", "day", "ddd", "dd", "dy", "d",
	"ff1", "ff2", "ff3", "ff4", "ff5", "ff6", "fx", "hh24", "hh12", "hh", "iddd", "id", "iw", "iyyy", "iyy", "iy", "i",
	"j", "mi", "mm", "month", "mon", "ms", "of", "p.m.", "pm", "q", "rm", "sssss", "ssss", "ss",
	"tzh", "tzm", "tz", "us", "ww", "w", "y,yyy", "yyyy", "yyy", "yy", "y",
}

var monthNamesFull = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var dayNamesFull = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
var romanMonths = [...]string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

// dtFields is what a datetime to_char reads.
type dtFields struct {
	year, mon, mday, hour, min, sec, fsec int64
	days                                  int64 // days since 1970-01-01
	interval                              bool
	zoneAbbr                              string
	zoneOff                               int
	hasZone                               bool
}

func ordinal(n int64, upper bool) string {
	a := n
	if a < 0 {
		a = -a
	}
	suffix := "th"
	if a%100 < 11 || a%100 > 13 {
		switch a % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	if upper {
		return strings.ToUpper(suffix)
	}
	return suffix
}

// ToCharTimestamp formats a wall clock (zone for TZ patterns).
func ToCharTimestamp(us int64, format string, zoneAbbr string, zoneOff int, hasZone bool) (string, bool) {
	if us == TSInfinity || us == TSNegInfinity {
		return "", false // NULL
	}
	t := toTM(us)
	days, _ := SplitTimestamp(us)
	return dchFormat(format, dtFields{year: t.year, mon: t.mon, mday: t.mday, hour: t.hour, min: t.min, sec: t.sec, fsec: t.fsec,
		days: days, zoneAbbr: zoneAbbr, zoneOff: zoneOff, hasZone: hasZone}), true
}

// ToCharInterval formats an interval.
func ToCharInterval(iv Interval, format string) string {
	t := iv.Micros
	hour := t / USecsPerHour
	t -= hour * USecsPerHour
	min := t / USecsPerMin
	t -= min * USecsPerMin
	sec := t / USecsPerSec
	return dchFormat(format, dtFields{year: int64(iv.Months / 12), mon: int64(iv.Months % 12), mday: int64(iv.Days), hour: hour, min: min, sec: sec,
		fsec: t - sec*USecsPerSec, interval: true})
}

func dchFormat(format string, f dtFields) string {
	var b strings.Builder
	i := 0
	for i < len(format) {
		// Quoted text and escapes.
		if format[i] == '"' {
			j := i + 1
			for j < len(format) && format[j] != '"' {
				if format[j] == '\\' && j+1 < len(format) {
					j++
				}
				b.WriteByte(format[j])
				j++
			}
			i = j + 1
			continue
		}
		if format[i] == '\\' && i+1 < len(format) && format[i+1] == '"' {
			b.WriteByte('"')
			i += 2
			continue
		}
		fm := false
		for {
			switch {
			case strings.HasPrefix(format[i:], "FM") || strings.HasPrefix(format[i:], "fm"):
				fm = true
				i += 2
				continue
			case strings.HasPrefix(format[i:], "TM") || strings.HasPrefix(format[i:], "tm"):
				i += 2
				continue
			}
			break
		}
		kw := ""
		for _, k := range dchKeywords {
			if strings.HasPrefix(format[i:], k) {
				kw = k
				break
			}
		}
		if kw == "" {
			if i < len(format) {
				b.WriteByte(format[i])
				i++
			}
			continue
		}
		i += len(kw)
		th, thUpper := false, false
		switch {
		case strings.HasPrefix(format[i:], "TH"):
			th, thUpper = true, true
			i += 2
		case strings.HasPrefix(format[i:], "th"):
			th = true
			i += 2
		}
		num := func(v int64, width int) {
			s := strconv.FormatInt(abs64(v), 10)
			if !fm {
				for len(s) < width {
					s = "0" + s
				}
			}
			if v < 0 {
				s = "-" + s
			}
			b.WriteString(s)
			if th {
				b.WriteString(ordinal(v, thUpper))
			}
		}
		year, bc := f.year, false
		if !f.interval {
			year, bc = displayYear(f.year)
		}
		hour12 := f.hour % 12
		if hour12 == 0 {
			hour12 = 12
		}
		wday := Weekday(f.days)
		switch strings.ToUpper(kw) {
		case "A.D.", "B.C.":
			s := "A.D."
			if bc {
				s = "B.C."
			}
			b.WriteString(caseLike(s, kw))
		case "AD", "BC":
			s := "AD"
			if bc {
				s = "BC"
			}
			b.WriteString(caseLike(s, kw))
		case "A.M.", "P.M.":
			s := "A.M."
			if f.hour%24 >= 12 {
				s = "P.M."
			}
			b.WriteString(caseLike(s, kw))
		case "AM", "PM":
			s := "AM"
			if f.hour%24 >= 12 {
				s = "PM"
			}
			b.WriteString(caseLike(s, kw))
		case "HH", "HH12":
			num(hour12, 2)
		case "HH24":
			num(f.hour, 2)
		case "MI":
			num(f.min, 2)
		case "SS":
			num(f.sec, 2)
		case "MS":
			num(f.fsec/1000, 3)
		case "US":
			num(f.fsec, 6)
		case "FF1", "FF2", "FF3", "FF4", "FF5", "FF6":
			n := int(kw[2] - '0')
			num(f.fsec/int64(math.Pow10(6-n)), n)
		case "SSSS", "SSSSS":
			num(f.hour*3600+f.min*60+f.sec, 0)
		case "TZ":
			if f.hasZone {
				if kw == "tz" {
					b.WriteString(strings.ToLower(f.zoneAbbr))
				} else {
					b.WriteString(f.zoneAbbr)
				}
			}
		case "TZH":
			if f.hasZone {
				h := f.zoneOff / 3600
				sign := "+"
				if f.zoneOff < 0 {
					sign = "-"
					h = -h
				}
				b.WriteString(sign)
				s := strconv.Itoa(h)
				if !fm && len(s) < 2 {
					s = "0" + s
				}
				b.WriteString(s)
			}
		case "TZM":
			if f.hasZone {
				m := f.zoneOff / 60 % 60
				if m < 0 {
					m = -m
				}
				s := strconv.Itoa(m)
				if !fm && len(s) < 2 {
					s = "0" + s
				}
				b.WriteString(s)
			}
		case "OF":
			if f.hasZone {
				off := f.zoneOff
				sign := "+"
				if off < 0 {
					sign, off = "-", -off
				}
				s := sign + twoDigits(off/3600, fm)
				if off%3600 != 0 {
					s += ":" + twoDigits(off/60%60, false)
				}
				b.WriteString(s)
			}
		case "Y,YYY":
			y := year
			s := strconv.FormatInt(y/1000, 10) + "," + padTo(y%1000, 3)
			b.WriteString(s)
			if th {
				b.WriteString(ordinal(y, thUpper))
			}
		case "YYYY":
			num(year, 4)
		case "YYY":
			num(year%1000, 3)
		case "YY":
			num(year%100, 2)
		case "Y":
			num(year%10, 1)
		case "IYYY", "IYY", "IY", "I":
			iy := isoYear(f.year, f.mon, f.mday)
			iy, _ = displayYear(iy)
			switch len(kw) {
			case 4:
				num(iy, 4)
			case 3:
				num(iy%1000, 3)
			case 2:
				num(iy%100, 2)
			default:
				num(iy%10, 1)
			}
		case "MONTH":
			if f.mon < 1 {
				break
			}
			b.WriteString(padText(caseLike(monthNamesFull[f.mon], kw), 9, fm))
		case "MON":
			if f.mon < 1 {
				break
			}
			b.WriteString(caseLike(monthNamesFull[f.mon][:3], kw))
		case "MM":
			num(f.mon, 2)
		case "RM":
			if f.mon < 1 {
				break
			}
			r := romanMonths[f.mon]
			if kw == "rm" {
				r = strings.ToLower(r)
			}
			b.WriteString(padText(r, 4, fm))
		case "DAY":
			b.WriteString(padText(caseLike(dayNamesFull[wday], kw), 9, fm))
		case "DY":
			b.WriteString(caseLike(dayNamesFull[wday][:3], kw))
		case "DDD":
			num(f.days-DaysFromCivil(f.year, 1, 1)+1, 3)
		case "IDDD":
			iy := isoYear(f.year, f.mon, f.mday)
			num(f.days-isoWeekStart(iy)+1, 3)
		case "DD":
			num(f.mday, 2)
		case "D":
			num(wday+1, 1)
		case "ID":
			d := wday
			if d == 0 {
				d = 7
			}
			num(d, 1)
		case "W":
			num((f.mday-1)/7+1, 1)
		case "WW":
			num((f.days-DaysFromCivil(f.year, 1, 1))/7+1, 2)
		case "IW":
			num(isoWeek(f.year, f.mon, f.mday), 2)
		case "CC":
			var cc int64
			if f.interval {
				cc = year / 100
			} else if f.year > 0 {
				cc = (f.year + 99) / 100
			} else {
				cc = -((99 - (f.year - 1)) / 100)
			}
			num(cc, 2)
		case "J":
			num(f.days+2440588, 0)
		case "Q":
			num((f.mon-1)/3+1, 1)
		case "FX":
		}
	}
	return b.String()
}

func twoDigits(v int, fm bool) string {
	s := strconv.Itoa(v)
	if !fm && len(s) < 2 {
		s = "0" + s
	}
	return s
}

func padTo(v int64, width int) string {
	s := strconv.FormatInt(v, 10)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// caseLike writes s in the case pattern of a keyword: MONTH, Month, month.
func caseLike(s, kw string) string {
	switch {
	case kw == strings.ToUpper(kw):
		return strings.ToUpper(s)
	case kw == strings.ToLower(kw):
		return strings.ToLower(s)
	}
	r := []rune(strings.ToLower(s))
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func padText(s string, width int, fm bool) string {
	if fm {
		return s
	}
	for len(s) < width {
		s += " "
	}
	return s
}

// ToCharNumber formats a number (formatting.c's NUM_processor) for the
// common patterns: 9, 0, . and D, , and G, S, MI, PL, SG, PR, FM, TH and
// EEEE. ok is false for a pattern it does not handle.
func ToCharNumber(n Numeric, format string) (string, bool) {
	type spec struct {
		intDigits, fracDigits int
		zeroFrom              int // first 0 position in the integer part (-1: none)
		fm, hasPoint          bool
		sign                  string // "", "S", "MI", "PL", "SG", "PR"
		signLead              bool
		eeee                  bool
		th, thUpper           bool
	}
	var sp spec
	sp.zeroFrom = -1
	// First pass: count positions.
	seenPoint := false
	for i := 0; i < len(format); i++ {
		rest := format[i:]
		up := strings.ToUpper(rest)
		switch {
		case strings.HasPrefix(up, "FM"):
			sp.fm = true
			i++
		case strings.HasPrefix(up, "EEEE"):
			sp.eeee = true
			i += 3
		case strings.HasPrefix(up, "TH"):
			sp.th, sp.thUpper = true, rest[:2] == "TH"
			i++
		case strings.HasPrefix(up, "PR"):
			sp.sign = "PR"
			i++
		case strings.HasPrefix(up, "MI"), strings.HasPrefix(up, "PL"), strings.HasPrefix(up, "SG"):
			sp.sign = up[:2]
			sp.signLead = sp.intDigits == 0 && !seenPoint
			i++
		case up[0] == 'S':
			sp.sign = "S"
			sp.signLead = sp.intDigits == 0 && !seenPoint
		case up[0] == '9' || up[0] == '0':
			if seenPoint {
				sp.fracDigits++
			} else {
				if up[0] == '0' && sp.zeroFrom < 0 {
					sp.zeroFrom = sp.intDigits
				}
				sp.intDigits++
			}
		case up[0] == '.' || up[0] == 'D':
			if seenPoint {
				return "", false
			}
			seenPoint, sp.hasPoint = true, true
		case up[0] == ',' || up[0] == 'G':
		case strings.HasPrefix(up, "RN"), up[0] == 'L', up[0] == 'V', up[0] == 'B':
			return "", false
		}
	}
	if sp.eeee {
		return "", false
	}
	neg := false
	var digits string // integer digits, then fraction
	var intStr, fracStr string
	if n.Special != 0 {
		// NaN and infinities fill every digit position with #.
		intStr = strings.Repeat("#", sp.intDigits)
		fracStr = strings.Repeat("#", sp.fracDigits)
	} else {
		r := n.Round(sp.fracDigits)
		neg = r.Int.Sign() < 0
		abs := new(big.Int).Abs(r.Int).String()
		for len(abs) <= r.Scale {
			abs = "0" + abs
		}
		intStr = abs[:len(abs)-r.Scale]
		fracStr = abs[len(abs)-r.Scale:]
		if intStr == "0" {
			intStr = ""
		}
		if len(intStr) > sp.intDigits {
			intStr = strings.Repeat("#", sp.intDigits)
			fracStr = strings.Repeat("#", sp.fracDigits)
		}
	}
	_ = digits
	// Second pass: render.
	var out strings.Builder
	intPos := 0
	fracPos := 0
	started := false // a significant digit has been written
	seenPoint = false
	pad := sp.intDigits - len(intStr)
	signText := func(lead bool) string {
		switch sp.sign {
		case "":
			if neg {
				return "-"
			}
			return " "
		case "S":
			if neg {
				return "-"
			}
			return "+"
		case "MI":
			if neg {
				return "-"
			}
			return " "
		case "PL":
			if neg {
				return " "
			}
			return "+"
		case "SG":
			if neg {
				return "-"
			}
			return "+"
		}
		return ""
	}
	if sp.sign == "" || sp.sign == "PR" {
		// The default sign goes just before the first digit.
	}
	if sp.sign == "PR" && neg {
		out.WriteByte('<')
	}
	wroteDefaultSign := false
	writeDefaultSign := func() {
		if wroteDefaultSign || sp.sign != "" {
			return
		}
		wroteDefaultSign = true
		s := signText(true)
		if s == " " && sp.fm {
			return
		}
		out.WriteString(s)
	}
	for i := 0; i < len(format); i++ {
		rest := format[i:]
		up := strings.ToUpper(rest)
		switch {
		case strings.HasPrefix(up, "FM"):
			i++
		case strings.HasPrefix(up, "TH"):
			i++
		case strings.HasPrefix(up, "PR"):
			i++
		case strings.HasPrefix(up, "MI"), strings.HasPrefix(up, "PL"), strings.HasPrefix(up, "SG"):
			s := signText(false)
			if !(s == " " && sp.fm) {
				out.WriteString(s)
			}
			i++
		case up[0] == 'S':
			out.WriteString(signText(false))
		case (up[0] == '9' || up[0] == '0') && !seenPoint:
			if intPos < pad {
				zero := up[0] == '0' || sp.zeroFrom >= 0 && intPos >= sp.zeroFrom
				if zero {
					if !started {
						writeDefaultSign()
					}
					out.WriteByte('0')
					started = true
				} else if !sp.fm {
					out.WriteByte(' ')
				}
			} else {
				if !started {
					writeDefaultSign()
				}
				out.WriteByte(intStr[intPos-pad])
				started = true
			}
			intPos++
		case up[0] == '9' || up[0] == '0':
			if fracPos < len(fracStr) {
				out.WriteByte(fracStr[fracPos])
			}
			fracPos++
		case up[0] == '.' || up[0] == 'D':
			seenPoint = true
			if !started {
				writeDefaultSign()
				if sp.intDigits > 0 && sp.zeroFrom < 0 && !sp.fm {
					// "9.99" of 0.5 prints " .50"; "0.99" prints "0.50".
				}
				started = true
			}
			out.WriteByte('.')
		case up[0] == ',' || up[0] == 'G':
			if started {
				out.WriteByte(',')
			} else if !sp.fm {
				out.WriteByte(' ')
			}
		default:
			out.WriteByte(format[i])
		}
	}
	if !started {
		writeDefaultSign()
	}
	s := out.String()
	if sp.fm && sp.hasPoint {
		// FM drops trailing zeros of 9 positions after the point.
		s = trimFractionZeros(s, format)
	}
	if sp.sign == "PR" {
		if neg {
			s += ">"
		} else if !sp.fm {
			s = " " + s + " "
		}
	}
	if sp.th && n.Special == 0 {
		v, _ := n.Round(0).Int64(64, "bigint")
		s += ordinal(v, sp.thUpper)
	}
	return s, true
}

// trimFractionZeros removes trailing zeros that FM leaves to 9 digits.
func trimFractionZeros(s, format string) string {
	// Count the trailing 9 positions after the point in the format.
	up := strings.ToUpper(format)
	p := strings.LastIndexAny(up, ".D")
	if p < 0 {
		return s
	}
	nines := 0
	for i := len(up) - 1; i > p; i-- {
		switch up[i] {
		case '9':
			nines++
		case '0':
			i = p
		}
		if up[i] == '0' {
			break
		}
	}
	dot := strings.LastIndexByte(s, '.')
	if dot < 0 {
		return s
	}
	end := len(s)
	for k := 0; k < nines && end > dot+1 && s[end-1] == '0'; k++ {
		end--
	}
	if end == dot+1 {
		// PostgreSQL keeps the point.
	}
	return s[:end] + s[len(s):]
}
