package pgval

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// to_char for timestamps, intervals and numbers, after PostgreSQL 15's
// formatting.c. Both directions share the template parser below; the
// reverse conversions (to_date, to_timestamp, to_number) are in tofmt.go.
//
// Locale-dependent patterns behave as in the C locale, which is what a
// Hotdata session reports for lc_monetary, lc_numeric and lc_time: the
// TM prefix gives English names, D is ".", G is ",", L is a blank and the
// S, MI, PL and SG signs are "+" and "-".

// fmtNodeType is the kind of a parsed template item.
type fmtNodeType uint8

const (
	nodeAction    fmtNodeType = iota + 1 // a template pattern
	nodeChar                             // literal text
	nodeSeparator                        // a non-alphanumeric ASCII character (datetime templates)
	nodeSpace                            // white space
)

// dateMode tells Gregorian patterns from ISO week-date ones.
type dateMode uint8

const (
	modeNone dateMode = iota
	modeGregorian
	modeISOWeek
)

// letterCase is how a name pattern prints: MONTH, Month or month.
type letterCase uint8

const (
	caseUpper letterCase = iota
	caseInit
	caseLower
)

// fmtKeyword is one template pattern.
type fmtKeyword struct {
	name    string
	id      int
	isDigit bool // reads digits in to_date (is_next_separator)
	mode    dateMode
	lc      letterCase
}

// fmtNode is one item of a parsed template.
type fmtNode struct {
	typ    fmtNodeType
	key    *fmtKeyword
	suffix uint8
	char   string // the character of a non-pattern item
}

// Datetime pattern modifiers (node suffixes).
const (
	sufFM uint8 = 1 << iota
	sufTH       // upper-case ordinal
	sufth       // lower-case ordinal
	sufSP
	sufTM
)

func (n *fmtNode) fm() bool { return n.suffix&sufFM != 0 }
func (n *fmtNode) th() bool { return n.suffix&(sufTH|sufth) != 0 }
func (n *fmtNode) tm() bool { return n.suffix&sufTM != 0 }

// Datetime pattern ids. Patterns that only differ in letter case share
// an id (the keyword's letterCase tells them apart).
const (
	dchADDots = iota // A.D. B.C.
	dchAD            // AD BC
	dchAMDots        // A.M. P.M.
	dchAM            // AM PM
	dchCC
	dchDAY
	dchDDD
	dchDD
	dchDY
	dchD
	dchFF1 // FF1..FF6 must be consecutive
	dchFF2
	dchFF3
	dchFF4
	dchFF5
	dchFF6
	dchFX
	dchHH24
	dchHH12
	dchHH
	dchIDDD
	dchID
	dchIW
	dchIYYY
	dchIYY
	dchIY
	dchI
	dchJ
	dchMI
	dchMM
	dchMONTH
	dchMON
	dchMS
	dchOF
	dchQ
	dchRM
	dchSSSS
	dchSS
	dchTZH
	dchTZM
	dchTZ
	dchUS
	dchWW
	dchW
	dchYCommaYYY
	dchYYYY
	dchYYY
	dchYY
	dchY
)

func dk(name string, id int, digit bool, mode dateMode, lc letterCase) fmtKeyword {
	return fmtKeyword{name: name, id: id, isDigit: digit, mode: mode, lc: lc}
}

// dchKeywords is formatting.c's DCH_keywords: patterns sharing a first
// letter are ordered longest first, and the first match wins.
var dchKeywords = []fmtKeyword{
	dk("A.D.", dchADDots, false, modeNone, caseUpper),
	dk("A.M.", dchAMDots, false, modeNone, caseUpper),
	dk("AD", dchAD, false, modeNone, caseUpper),
	dk("AM", dchAM, false, modeNone, caseUpper),
	dk("B.C.", dchADDots, false, modeNone, caseUpper),
	dk("BC", dchAD, false, modeNone, caseUpper),
	dk("CC", dchCC, true, modeNone, caseUpper),
	dk("DAY", dchDAY, false, modeNone, caseUpper),
	dk("DDD", dchDDD, true, modeGregorian, caseUpper),
	dk("DD", dchDD, true, modeGregorian, caseUpper),
	dk("DY", dchDY, false, modeNone, caseUpper),
	dk("Day", dchDAY, false, modeNone, caseInit),
	dk("Dy", dchDY, false, modeNone, caseInit),
	dk("D", dchD, true, modeGregorian, caseUpper),
	dk("FF1", dchFF1, true, modeNone, caseUpper),
	dk("FF2", dchFF2, true, modeNone, caseUpper),
	dk("FF3", dchFF3, true, modeNone, caseUpper),
	dk("FF4", dchFF4, true, modeNone, caseUpper),
	dk("FF5", dchFF5, true, modeNone, caseUpper),
	dk("FF6", dchFF6, true, modeNone, caseUpper),
	dk("FX", dchFX, false, modeNone, caseUpper),
	dk("HH24", dchHH24, true, modeNone, caseUpper),
	dk("HH12", dchHH12, true, modeNone, caseUpper),
	dk("HH", dchHH, true, modeNone, caseUpper),
	dk("IDDD", dchIDDD, true, modeISOWeek, caseUpper),
	dk("ID", dchID, true, modeISOWeek, caseUpper),
	dk("IW", dchIW, true, modeISOWeek, caseUpper),
	dk("IYYY", dchIYYY, true, modeISOWeek, caseUpper),
	dk("IYY", dchIYY, true, modeISOWeek, caseUpper),
	dk("IY", dchIY, true, modeISOWeek, caseUpper),
	dk("I", dchI, true, modeISOWeek, caseUpper),
	dk("J", dchJ, true, modeNone, caseUpper),
	dk("MI", dchMI, true, modeNone, caseUpper),
	dk("MM", dchMM, true, modeGregorian, caseUpper),
	dk("MONTH", dchMONTH, false, modeGregorian, caseUpper),
	dk("MON", dchMON, false, modeGregorian, caseUpper),
	dk("MS", dchMS, true, modeNone, caseUpper),
	dk("Month", dchMONTH, false, modeGregorian, caseInit),
	dk("Mon", dchMON, false, modeGregorian, caseInit),
	dk("OF", dchOF, false, modeNone, caseUpper),
	dk("P.M.", dchAMDots, false, modeNone, caseUpper),
	dk("PM", dchAM, false, modeNone, caseUpper),
	dk("Q", dchQ, true, modeNone, caseUpper),
	dk("RM", dchRM, false, modeGregorian, caseUpper),
	dk("SSSSS", dchSSSS, true, modeNone, caseUpper),
	dk("SSSS", dchSSSS, true, modeNone, caseUpper),
	dk("SS", dchSS, true, modeNone, caseUpper),
	dk("TZH", dchTZH, false, modeNone, caseUpper),
	dk("TZM", dchTZM, true, modeNone, caseUpper),
	dk("TZ", dchTZ, false, modeNone, caseUpper),
	dk("US", dchUS, true, modeNone, caseUpper),
	dk("WW", dchWW, true, modeGregorian, caseUpper),
	dk("W", dchW, true, modeGregorian, caseUpper),
	dk("Y,YYY", dchYCommaYYY, true, modeGregorian, caseUpper),
	dk("YYYY", dchYYYY, true, modeGregorian, caseUpper),
	dk("YYY", dchYYY, true, modeGregorian, caseUpper),
	dk("YY", dchYY, true, modeGregorian, caseUpper),
	dk("Y", dchY, true, modeGregorian, caseUpper),
	dk("a.d.", dchADDots, false, modeNone, caseLower),
	dk("a.m.", dchAMDots, false, modeNone, caseLower),
	dk("ad", dchAD, false, modeNone, caseLower),
	dk("am", dchAM, false, modeNone, caseLower),
	dk("b.c.", dchADDots, false, modeNone, caseLower),
	dk("bc", dchAD, false, modeNone, caseLower),
	dk("cc", dchCC, true, modeNone, caseUpper),
	dk("day", dchDAY, false, modeNone, caseLower),
	dk("ddd", dchDDD, true, modeGregorian, caseUpper),
	dk("dd", dchDD, true, modeGregorian, caseUpper),
	dk("dy", dchDY, false, modeNone, caseLower),
	dk("d", dchD, true, modeGregorian, caseUpper),
	dk("ff1", dchFF1, true, modeNone, caseUpper),
	dk("ff2", dchFF2, true, modeNone, caseUpper),
	dk("ff3", dchFF3, true, modeNone, caseUpper),
	dk("ff4", dchFF4, true, modeNone, caseUpper),
	dk("ff5", dchFF5, true, modeNone, caseUpper),
	dk("ff6", dchFF6, true, modeNone, caseUpper),
	dk("fx", dchFX, false, modeNone, caseUpper),
	dk("hh24", dchHH24, true, modeNone, caseUpper),
	dk("hh12", dchHH12, true, modeNone, caseUpper),
	dk("hh", dchHH, true, modeNone, caseUpper),
	dk("iddd", dchIDDD, true, modeISOWeek, caseUpper),
	dk("id", dchID, true, modeISOWeek, caseUpper),
	dk("iw", dchIW, true, modeISOWeek, caseUpper),
	dk("iyyy", dchIYYY, true, modeISOWeek, caseUpper),
	dk("iyy", dchIYY, true, modeISOWeek, caseUpper),
	dk("iy", dchIY, true, modeISOWeek, caseUpper),
	dk("i", dchI, true, modeISOWeek, caseUpper),
	dk("j", dchJ, true, modeNone, caseUpper),
	dk("mi", dchMI, true, modeNone, caseUpper),
	dk("mm", dchMM, true, modeGregorian, caseUpper),
	dk("month", dchMONTH, false, modeGregorian, caseLower),
	dk("mon", dchMON, false, modeGregorian, caseLower),
	dk("ms", dchMS, true, modeNone, caseUpper),
	dk("of", dchOF, false, modeNone, caseUpper),
	dk("p.m.", dchAMDots, false, modeNone, caseLower),
	dk("pm", dchAM, false, modeNone, caseLower),
	dk("q", dchQ, true, modeNone, caseUpper),
	dk("rm", dchRM, false, modeGregorian, caseLower),
	dk("sssss", dchSSSS, true, modeNone, caseUpper),
	dk("ssss", dchSSSS, true, modeNone, caseUpper),
	dk("ss", dchSS, true, modeNone, caseUpper),
	dk("tzh", dchTZH, false, modeNone, caseUpper),
	dk("tzm", dchTZM, true, modeNone, caseUpper),
	dk("tz", dchTZ, false, modeNone, caseLower),
	dk("us", dchUS, true, modeNone, caseUpper),
	dk("ww", dchWW, true, modeGregorian, caseUpper),
	dk("w", dchW, true, modeGregorian, caseUpper),
	dk("y,yyy", dchYCommaYYY, true, modeGregorian, caseUpper),
	dk("yyyy", dchYYYY, true, modeGregorian, caseUpper),
	dk("yyy", dchYYY, true, modeGregorian, caseUpper),
	dk("yy", dchYY, true, modeGregorian, caseUpper),
	dk("y", dchY, true, modeGregorian, caseUpper),
}

// Numeric pattern ids.
const (
	numComma = iota
	numDec
	num0
	num9
	numB
	numC
	numD
	numE
	numFM
	numG
	numL
	numMI
	numPL
	numPR
	numRN
	numSG
	numSP
	numS
	numTH
	numV
	numRNLower
	numTHLower
)

func nk(name string, id int) fmtKeyword { return fmtKeyword{name: name, id: id} }

// numKeywords is formatting.c's NUM_keywords.
var numKeywords = []fmtKeyword{
	nk(",", numComma), nk(".", numDec), nk("0", num0), nk("9", num9),
	nk("B", numB), nk("C", numC), nk("D", numD), nk("EEEE", numE),
	nk("FM", numFM), nk("G", numG), nk("L", numL), nk("MI", numMI),
	nk("PL", numPL), nk("PR", numPR), nk("RN", numRN), nk("SG", numSG),
	nk("SP", numSP), nk("S", numS), nk("TH", numTH), nk("V", numV),
	nk("b", numB), nk("c", numC), nk("d", numD), nk("eeee", numE),
	nk("fm", numFM), nk("g", numG), nk("l", numL), nk("mi", numMI),
	nk("pl", numPL), nk("pr", numPR), nk("rn", numRNLower), nk("sg", numSG),
	nk("sp", numSP), nk("s", numS), nk("th", numTHLower), nk("v", numV),
}

// dchPrefixes and dchPostfixes are the datetime modifiers (DCH_suff).
type modifier struct {
	s  string
	id uint8
}

var (
	dchPrefixes  = []modifier{{"FM", sufFM}, {"fm", sufFM}, {"TM", sufTM}, {"tm", sufTM}}
	dchPostfixes = []modifier{{"TH", sufTH}, {"th", sufth}, {"SP", sufSP}}
)

func matchKeyword(s string, kws []fmtKeyword) *fmtKeyword {
	if s == "" || s[0] <= ' ' || s[0] >= '~' {
		return nil
	}
	for i := range kws {
		if strings.HasPrefix(s, kws[i].name) {
			return &kws[i]
		}
	}
	return nil
}

// mbLen is the byte length of the UTF-8 character starting s (pg_mblen),
// never past the end of s.
func mbLen(s string) int {
	if s == "" {
		return 0
	}
	n := 1
	switch c := s[0]; {
	case c&0xe0 == 0xc0:
		n = 2
	case c&0xf0 == 0xe0:
		n = 3
	case c&0xf8 == 0xf0:
		n = 4
	}
	return min(n, len(s))
}

// isCSpace is isspace() in the C locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// isSeparatorChar: printable ASCII but not a letter or digit.
func isSeparatorChar(c byte) bool {
	return c > 0x20 && c < 0x7f && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')
}

// matchSuffix reads a modifier of the list at str[i:], if any.
func matchSuffix(str string, i int, list []modifier) (uint8, int) {
	for _, m := range list {
		if strings.HasPrefix(str[i:], m.s) {
			return m.id, i + len(m.s)
		}
	}
	return 0, i
}

// appendQuoted adds the characters of double-quoted literal text starting
// at str[i:], where backslash quotes the next character, and returns the
// position after the closing quote.
func appendQuoted(nodes []fmtNode, str string, i int) ([]fmtNode, int) {
	for i < len(str) {
		if str[i] == '"' {
			return nodes, i + 1
		}
		if str[i] == '\\' && i+1 < len(str) {
			i++
		}
		l := mbLen(str[i:])
		nodes = append(nodes, fmtNode{typ: nodeChar, char: str[i : i+l]})
		i += l
	}
	return nodes, i
}

// parseTemplate is parse_format: it splits a template into patterns and
// literal characters. For numeric templates (dch false) num collects the
// NUMDesc and syntax errors are reported.
func parseTemplate(str string, dch bool, num *numDesc) ([]fmtNode, error) {
	kws := numKeywords
	if dch {
		kws = dchKeywords
	}
	var nodes []fmtNode
	for i := 0; i < len(str); {
		var suffix uint8
		if dch {
			suffix, i = matchSuffix(str, i, dchPrefixes)
		}
		if i >= len(str) {
			break
		}
		if k := matchKeyword(str[i:], kws); k != nil {
			n := fmtNode{typ: nodeAction, key: k, suffix: suffix}
			i += len(k.name)
			if !dch {
				if err := num.prepare(k.id); err != nil {
					return nil, err
				}
			}
			if dch {
				var post uint8
				post, i = matchSuffix(str, i, dchPostfixes)
				n.suffix |= post
			}
			nodes = append(nodes, n)
			continue
		}
		if str[i] == '"' {
			nodes, i = appendQuoted(nodes, str, i+1)
			continue
		}
		// Outside quotes a backslash is only special before a double quote.
		if str[i] == '\\' && i+1 < len(str) && str[i+1] == '"' {
			i++
		}
		l := mbLen(str[i:])
		typ := nodeChar
		switch {
		case dch && isSeparatorChar(str[i]):
			typ = nodeSeparator
		case isCSpace(str[i]):
			typ = nodeSpace
		}
		nodes = append(nodes, fmtNode{typ: typ, char: str[i : i+l]})
		i += l
	}
	return nodes, nil
}

// ---------------------------------------------------------------------
// Calendar arithmetic as datetime.c and timestamp.c compute it, in 32-bit
// integers (PostgreSQL builds with -fwrapv; Go's int32 wraps the same way).

// date2j is datetime.c's date2j: the Julian day of a date.
func date2j(year, month, day int32) int32 {
	if month > 2 {
		month++
		year += 4800
	} else {
		month += 13
		year += 4799
	}
	century := year / 100
	julian := year*365 - 32167
	julian += year/4 - century + century/4
	julian += 7834*month/256 + day
	return julian
}

// j2date is datetime.c's j2date.
func j2date(jd int32) (year, month, day int32) {
	julian := uint32(jd)
	julian += 32044
	quad := julian / 146097
	extra := (julian-quad*146097)*4 + 3
	julian += 60 + quad*3 + extra/146097
	quad = julian / 1461
	julian -= quad * 1461
	y := int32(julian * 4 / 1461)
	if y != 0 {
		julian = (julian+305)%365 + 123
	} else {
		julian = (julian+306)%366 + 123
	}
	y += int32(quad * 4)
	year = y - 4800
	quad = julian * 2141 / 65536
	day = int32(julian - 7834*quad/256)
	month = int32((quad+10)%12 + 1)
	return
}

// j2day is the weekday of a Julian day, 0 for Sunday.
func j2day(date int32) int32 {
	date++
	date %= 7
	if date < 0 {
		date += 7
	}
	return date
}

// isoweek2j is the Julian day of the Monday of ISO week `week` of `year`.
func isoweek2j(year, week int32) int32 {
	day4 := date2j(year, 1, 4)
	day0 := j2day(day4 - 1)
	return (week-1)*7 + (day4 - day0)
}

// isoweekdate2date is datetime.c's isoweekdate2date (wday: Sunday = 1).
func isoweekdate2date(isoweek, wday, year int32) (int32, int32, int32) {
	jday := isoweek2j(year, isoweek)
	if wday > 1 {
		jday += wday - 2
	} else {
		jday += 6
	}
	return j2date(jday)
}

// date2isoweek is the ISO week number of a date.
func date2isoweek(year, mon, mday int32) int32 {
	dayn := date2j(year, mon, mday)
	day4 := date2j(year, 1, 4)
	day0 := j2day(day4 - 1)
	if dayn < day4-day0 {
		day4 = date2j(year-1, 1, 4)
		day0 = j2day(day4 - 1)
	}
	result := (dayn-(day4-day0))/7 + 1
	if result >= 52 {
		day4 = date2j(year+1, 1, 4)
		day0 = j2day(day4 - 1)
		if dayn >= day4-day0 {
			result = (dayn-(day4-day0))/7 + 1
		}
	}
	return result
}

// date2isoyear is the ISO week-numbering year of a date.
func date2isoyear(year, mon, mday int32) int32 {
	dayn := date2j(year, mon, mday)
	day4 := date2j(year, 1, 4)
	day0 := j2day(day4 - 1)
	if dayn < day4-day0 {
		day4 = date2j(year-1, 1, 4)
		day0 = j2day(day4 - 1)
		year--
	}
	result := (dayn-(day4-day0))/7 + 1
	if result >= 52 {
		day4 = date2j(year+1, 1, 4)
		day0 = j2day(day4 - 1)
		if dayn >= day4-day0 {
			year++
		}
	}
	return year
}

// date2isoyearday is the day of the ISO week-numbering year.
func date2isoyearday(year, mon, mday int32) int32 {
	return date2j(year, mon, mday) - isoweek2j(date2isoyear(year, mon, mday), 1) + 1
}

// ---------------------------------------------------------------------
// Datetime to_char (DCH_to_char).

var (
	monthsFull   = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	monthsAbbrev = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	daysFull     = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	daysAbbrev   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	// rmMonthsUpper is in reverse order (December first), as from_char
	// must try "VIII" before "V".
	rmMonthsUpper = [...]string{"XII", "XI", "X", "IX", "VIII", "VII", "VI", "V", "IV", "III", "II", "I"}
	rmMonthsLower = [...]string{"xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i"}
)

// fmtTM is what datetime to_char reads (formatting.c's TmToChar).
type fmtTM struct {
	year, mon, mday int32
	hour            int64
	min, sec        int32
	fsec            int32 // microseconds
	wday, yday      int32
	gmtoff          int32 // seconds east of UTC
	tzn             string
	hasTzn          bool
	interval        bool
}

// adjustYear is ADJUST_YEAR: BC years count from 1.
func (t *fmtTM) adjustYear(y int32) int32 {
	if t.interval || y > 0 {
		return y
	}
	return -(y - 1)
}

// numth appends the ordinal suffix for a formatted number (str_numth).
func numth(s string, upper bool) (string, error) {
	if s == "" || s[len(s)-1] < '0' || s[len(s)-1] > '9' {
		return "", errf("22P02", "\"%s\" is not a number", s)
	}
	last := s[len(s)-1]
	if len(s) > 1 && s[len(s)-2] == '1' {
		last = 0
	}
	suffix := "th"
	switch last {
	case '1':
		suffix = "st"
	case '2':
		suffix = "nd"
	case '3':
		suffix = "rd"
	}
	if upper {
		suffix = strings.ToUpper(suffix)
	}
	return s + suffix, nil
}

func applyCase(s string, lc letterCase) string {
	switch lc {
	case caseUpper:
		return strings.ToUpper(s)
	case caseLower:
		return strings.ToLower(s)
	}
	return s
}

// padName is sprintf("%*s", FM ? 0 : -width, s).
func padName(s string, width int, fm bool) string {
	if fm || len(s) >= width {
		return s
	}
	return s + strings.Repeat(" ", width-len(s))
}

// zpad is sprintf("%0*d", width, v).
func zpad(v int64, width int) string { return fmt.Sprintf("%0*d", width, v) }

// numWidth is the width of a zero-padded field: FM ? 0 : (v >= 0 ? w : w+1).
func numWidth(n *fmtNode, v int64, w int) int {
	if n.fm() {
		return 0
	}
	if v < 0 {
		return w + 1
	}
	return w
}

func errIntervalFormat() error {
	return errf("22007", "invalid format specification for an interval value").
		WithHint("Intervals are not tied to specific calendar dates.")
}

// dchToChar formats t by the parsed template (DCH_to_char).
func dchToChar(nodes []fmtNode, t *fmtTM) (string, error) {
	var b strings.Builder
	for i := range nodes {
		n := &nodes[i]
		if n.typ != nodeAction {
			b.WriteString(n.char)
			continue
		}
		s, numeric, err := dchField(n, t)
		if err != nil {
			return "", err
		}
		if numeric && n.th() {
			if s, err = numth(s, n.suffix&sufTH != 0); err != nil {
				return "", err
			}
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// dchInvalidForInterval lists the patterns an interval cannot format.
func dchInvalidForInterval(id int) bool {
	switch id {
	case dchTZ, dchTZH, dchTZM, dchOF, dchADDots, dchAD, dchMONTH, dchMON, dchDAY, dchDY, dchD, dchID:
		return true
	}
	return false
}

// dchField formats one pattern; numeric reports whether TH applies.
func dchField(n *fmtNode, t *fmtTM) (string, bool, error) {
	id := n.key.id
	if t.interval && dchInvalidForInterval(id) {
		return "", false, errIntervalFormat()
	}
	switch id {
	case dchAMDots, dchAM:
		s := "AM"
		if t.hour%24 >= 12 {
			s = "PM"
		}
		if id == dchAMDots {
			s = s[:1] + "." + s[1:] + "."
		}
		return applyCase(s, n.key.lc), false, nil
	case dchADDots, dchAD:
		s := "AD"
		if t.year <= 0 {
			s = "BC"
		}
		if id == dchADDots {
			s = s[:1] + "." + s[1:] + "."
		}
		return applyCase(s, n.key.lc), false, nil
	case dchHH, dchHH12:
		h := t.hour % 12
		if h == 0 {
			h = 12
		}
		return zpad(h, numWidth(n, t.hour, 2)), true, nil
	case dchHH24:
		return zpad(t.hour, numWidth(n, t.hour, 2)), true, nil
	case dchMI:
		return zpad(int64(t.min), numWidth(n, int64(t.min), 2)), true, nil
	case dchSS:
		return zpad(int64(t.sec), numWidth(n, int64(t.sec), 2)), true, nil
	case dchFF1, dchFF2, dchFF3, dchFF4, dchFF5, dchFF6, dchMS, dchUS:
		digits := id - dchFF1 + 1
		switch id {
		case dchMS:
			digits = 3
		case dchUS:
			digits = 6
		}
		return zpad(int64(t.fsec)/int64(math.Pow10(6-digits)), digits), true, nil
	case dchSSSS:
		return strconv.FormatInt(t.hour*3600+int64(t.min)*60+int64(t.sec), 10), true, nil
	case dchTZ:
		if !t.hasTzn {
			return "", false, nil
		}
		if n.key.lc == caseLower {
			return strings.ToLower(t.tzn), false, nil
		}
		return t.tzn, false, nil
	case dchTZH:
		return offsetSign(t.gmtoff) + zpad(int64(abs32(t.gmtoff)/3600), 2), false, nil
	case dchTZM:
		return zpad(int64(abs32(t.gmtoff)%3600/60), 2), false, nil
	case dchOF:
		w := 2
		if n.fm() {
			w = 0
		}
		s := offsetSign(t.gmtoff) + zpad(int64(abs32(t.gmtoff)/3600), w)
		if abs32(t.gmtoff)%3600 != 0 {
			s += ":" + zpad(int64(abs32(t.gmtoff)%3600/60), 2)
		}
		return s, false, nil
	case dchMONTH, dchMON:
		if t.mon == 0 {
			return "", false, nil
		}
		return monthName(n, t.mon), false, nil
	case dchMM:
		return zpad(int64(t.mon), numWidth(n, int64(t.mon), 2)), true, nil
	case dchDAY, dchDY:
		return dayName(n, t.wday), false, nil
	case dchDDD:
		return zpad(int64(t.yday), fmWidth(n, 3)), true, nil
	case dchIDDD:
		return zpad(int64(date2isoyearday(t.year, t.mon, t.mday)), fmWidth(n, 3)), true, nil
	case dchDD:
		return zpad(int64(t.mday), fmWidth(n, 2)), true, nil
	case dchD:
		return strconv.Itoa(int(t.wday) + 1), true, nil
	case dchID:
		d := t.wday
		if d == 0 {
			d = 7
		}
		return strconv.Itoa(int(d)), true, nil
	case dchWW:
		return zpad(int64((t.yday-1)/7+1), fmWidth(n, 2)), true, nil
	case dchIW:
		return zpad(int64(date2isoweek(t.year, t.mon, t.mday)), fmWidth(n, 2)), true, nil
	case dchQ:
		if t.mon == 0 {
			return "", false, nil
		}
		return strconv.Itoa(int((t.mon-1)/3 + 1)), true, nil
	case dchCC:
		return centuryText(n, t), true, nil
	case dchYCommaYYY:
		y := t.adjustYear(t.year)
		return fmt.Sprintf("%d,%03d", y/1000, y-(y/1000)*1000), true, nil
	case dchYYYY, dchYYY, dchYY, dchY, dchIYYY, dchIYY, dchIY, dchI:
		return yearText(n, t), true, nil
	case dchRM:
		return romanMonth(n, t), false, nil
	case dchW:
		return strconv.Itoa(int((t.mday-1)/7 + 1)), true, nil
	case dchJ:
		return strconv.Itoa(int(date2j(t.year, t.mon, t.mday))), true, nil
	}
	return "", false, nil // FX
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

func offsetSign(off int32) string {
	if off >= 0 {
		return "+"
	}
	return "-"
}

func fmWidth(n *fmtNode, w int) int {
	if n.fm() {
		return 0
	}
	return w
}

// monthName is MONTH, Month, month, MON, Mon and mon. With TM the name
// is not padded.
func monthName(n *fmtNode, mon int32) string {
	if n.key.id == dchMON {
		return applyCase(monthsAbbrev[mon-1], n.key.lc)
	}
	s := applyCase(monthsFull[mon-1], n.key.lc)
	if n.tm() {
		return s
	}
	return padName(s, 9, n.fm())
}

// dayName is DAY, Day, day, DY, Dy and dy.
func dayName(n *fmtNode, wday int32) string {
	if n.key.id == dchDY {
		return applyCase(daysAbbrev[wday], n.key.lc)
	}
	s := applyCase(daysFull[wday], n.key.lc)
	if n.tm() {
		return s
	}
	return padName(s, 9, n.fm())
}

func centuryText(n *fmtNode, t *fmtTM) string {
	var i int32
	switch {
	case t.interval:
		i = t.year / 100
	case t.year > 0:
		i = (t.year-1)/100 + 1
	default:
		i = t.year/100 - 1
	}
	if i <= 99 && i >= -99 {
		return zpad(int64(i), numWidth(n, int64(i), 2))
	}
	return strconv.Itoa(int(i))
}

func yearText(n *fmtNode, t *fmtTM) string {
	y := t.adjustYear(t.year)
	v := y
	switch n.key.id {
	case dchIYYY, dchIYY, dchIY, dchI:
		v = t.adjustYear(date2isoyear(t.year, t.mon, t.mday))
	}
	switch n.key.id {
	case dchYYYY, dchIYYY:
		return zpad(int64(v), numWidth(n, int64(y), 4))
	case dchYYY, dchIYY:
		return zpad(int64(v%1000), numWidth(n, int64(y), 3))
	case dchYY, dchIY:
		return zpad(int64(v%100), numWidth(n, int64(y), 2))
	}
	return strconv.Itoa(int(v % 10))
}

func romanMonth(n *fmtNode, t *fmtTM) string {
	if t.mon == 0 && t.year == 0 {
		return ""
	}
	var pos int32
	switch {
	case t.mon == 0:
		// Whole interval years.
		if t.year < 0 {
			pos = 11
		}
	case t.mon < 0:
		pos = -(t.mon + 1)
	default:
		pos = 12 - t.mon
	}
	months := rmMonthsUpper
	if n.key.lc == caseLower {
		months = rmMonthsLower
	}
	return padName(months[pos], 4, n.fm())
}

// ---------------------------------------------------------------------
// Datetime entry points.

// timestampTM splits microseconds since 1970 into to_char's fields.
func timestampTM(us int64) fmtTM {
	days, tod := SplitTimestamp(us)
	j := int32(days + unixEpochJDate)
	y, m, d := j2date(j)
	return fmtTM{
		year: y, mon: m, mday: d,
		hour: tod / USecsPerHour, min: int32(tod / USecsPerMin % 60), sec: int32(tod / USecsPerSec % 60),
		fsec: int32(tod % USecsPerSec),
		wday: int32((int64(j) + 1) % 7), yday: j - date2j(y, 1, 1) + 1,
	}
}

// unixEpochJDate is the Julian day of 1970-01-01 (UNIX_EPOCH_JDATE).
const unixEpochJDate = 2440588

// FormatTimestamp is to_char(timestamp, text) and to_char(timestamptz,
// text) on the wall clock us (microseconds since 1970). zoneAbbr and
// zoneOff (seconds east of UTC) feed TZ, TZH, TZM and OF; hasZone is
// false for a timestamp without time zone, whose TZ prints nothing and
// whose offset is zero. null reports PostgreSQL's NULL result (an empty
// template or an infinite timestamp).
func FormatTimestamp(us int64, format, zoneAbbr string, zoneOff int, hasZone bool) (s string, null bool, err error) {
	if format == "" || us == TSInfinity || us == TSNegInfinity {
		return "", true, nil
	}
	t := timestampTM(us)
	if hasZone {
		t.gmtoff, t.tzn, t.hasTzn = int32(zoneOff), zoneAbbr, true
	}
	s, err = dchToChar(cachedTemplate(format, true).nodes, &t)
	return s, false, err
}

// ToCharTimestamp is FormatTimestamp reporting only whether the result is
// non-NULL; a template error gives false. Prefer FormatTimestamp.
func ToCharTimestamp(us int64, format string, zoneAbbr string, zoneOff int, hasZone bool) (string, bool) {
	s, null, err := FormatTimestamp(us, format, zoneAbbr, zoneOff, hasZone)
	return s, !null && err == nil
}

// FormatInterval is to_char(interval, text); null is true for an empty
// template.
func FormatInterval(iv Interval, format string) (s string, null bool, err error) {
	if format == "" {
		return "", true, nil
	}
	t := fmtTM{interval: true}
	t.year = iv.Months / 12
	t.mon = iv.Months % 12
	t.mday = iv.Days
	us := iv.Micros
	t.hour = us / USecsPerHour
	us -= t.hour * USecsPerHour
	t.min = int32(us / USecsPerMin)
	us -= int64(t.min) * USecsPerMin
	t.sec = int32(us / USecsPerSec)
	t.fsec = int32(us - int64(t.sec)*USecsPerSec)
	t.yday = (t.year*12+t.mon)*30 + t.mday
	s, err = dchToChar(cachedTemplate(format, true).nodes, &t)
	return s, false, err
}

// ToCharInterval is FormatInterval without its errors (an invalid
// template gives ""). Prefer FormatInterval.
func ToCharInterval(iv Interval, format string) string {
	s, _, _ := FormatInterval(iv, format)
	return s
}

// ---------------------------------------------------------------------
// Numeric templates (NUMDesc).

// Numeric template flags.
const (
	numFDecimal = 1 << (iota + 1)
	numFLDecimal
	numFZero
	numFBlank
	numFFillMode
	numFLSign
	numFBracket
	numFMinus
	numFPlus
	numFRoman
	numFMulti
	numFPlusPost
	numFMinusPost
	numFEEEE
)

const (
	lsignPre  = -1
	lsignNone = 0
	lsignPost = 1
)

// numDesc is NUMDesc: what a numeric template asks for.
type numDesc struct {
	pre, post, lsign, flag, preLsignNum, multi, zeroStart, zeroEnd int
}

func (d *numDesc) is(f int) bool { return d.flag&f != 0 }

func numSyntax(msg string) error { return errf("42601", "%s", msg) }

// prepare is NUMDesc_prepare for one pattern.
func (d *numDesc) prepare(id int) error {
	if d.is(numFEEEE) && id != numE {
		return numSyntax(`"EEEE" must be the last pattern used`)
	}
	switch id {
	case num9:
		if d.is(numFBracket) {
			return numSyntax(`"9" must be ahead of "PR"`)
		}
		switch {
		case d.is(numFMulti):
			d.multi++
		case d.is(numFDecimal):
			d.post++
		default:
			d.pre++
		}
	case num0:
		if d.is(numFBracket) {
			return numSyntax(`"0" must be ahead of "PR"`)
		}
		if !d.is(numFZero) && !d.is(numFDecimal) {
			d.flag |= numFZero
			d.zeroStart = d.pre + 1
		}
		if !d.is(numFDecimal) {
			d.pre++
		} else {
			d.post++
		}
		d.zeroEnd = d.pre + d.post
	case numB:
		if d.pre == 0 && d.post == 0 && !d.is(numFZero) {
			d.flag |= numFBlank
		}
	case numD, numDec:
		if id == numD {
			d.flag |= numFLDecimal
		}
		if d.is(numFDecimal) {
			return numSyntax("multiple decimal points")
		}
		if d.is(numFMulti) {
			return numSyntax(`cannot use "V" and decimal point together`)
		}
		d.flag |= numFDecimal
	case numFM:
		d.flag |= numFFillMode
	case numS:
		if d.is(numFLSign) {
			return numSyntax(`cannot use "S" twice`)
		}
		if d.is(numFPlus) || d.is(numFMinus) || d.is(numFBracket) {
			return numSyntax(`cannot use "S" and "PL"/"MI"/"SG"/"PR" together`)
		}
		if !d.is(numFDecimal) {
			d.lsign = lsignPre
			d.preLsignNum = d.pre
			d.flag |= numFLSign
		} else if d.lsign == lsignNone {
			d.lsign = lsignPost
			d.flag |= numFLSign
		}
	case numMI:
		if d.is(numFLSign) {
			return numSyntax(`cannot use "S" and "MI" together`)
		}
		d.flag |= numFMinus
		if d.is(numFDecimal) {
			d.flag |= numFMinusPost
		}
	case numPL:
		if d.is(numFLSign) {
			return numSyntax(`cannot use "S" and "PL" together`)
		}
		d.flag |= numFPlus
		if d.is(numFDecimal) {
			d.flag |= numFPlusPost
		}
	case numSG:
		if d.is(numFLSign) {
			return numSyntax(`cannot use "S" and "SG" together`)
		}
		d.flag |= numFMinus | numFPlus
	case numPR:
		if d.is(numFLSign) || d.is(numFPlus) || d.is(numFMinus) {
			return numSyntax(`cannot use "PR" and "S"/"PL"/"MI"/"SG" together`)
		}
		d.flag |= numFBracket
	case numRN, numRNLower:
		d.flag |= numFRoman
	case numV:
		if d.is(numFDecimal) {
			return numSyntax(`cannot use "V" and decimal point together`)
		}
		d.flag |= numFMulti
	case numE:
		if d.is(numFEEEE) {
			return numSyntax(`cannot use "EEEE" twice`)
		}
		if d.is(numFBlank) || d.is(numFFillMode) || d.is(numFLSign) || d.is(numFBracket) ||
			d.is(numFMinus) || d.is(numFPlus) || d.is(numFRoman) || d.is(numFMulti) {
			return errf("42601", `"EEEE" is incompatible with other formats`).
				WithDetail(`"EEEE" may only be used together with digit and decimal point patterns.`)
		}
		d.flag |= numFEEEE
	}
	return nil
}

// parseNumTemplate parses a numeric template and its description.
func parseNumTemplate(format string) ([]fmtNode, numDesc, error) {
	t := cachedTemplate(format, false)
	return t.nodes, t.num, t.err
}

// parsedTemplate is a parsed template; its nodes are never modified.
type parsedTemplate struct {
	nodes []fmtNode
	num   numDesc
	err   error
}

// Parsed templates are kept as PostgreSQL's DCH and NUM caches keep
// them, up to templateCacheMax short templates of each kind.
const (
	templateCacheMax    = 1024
	templateCacheMaxLen = 256
)

var (
	dchTemplates, numTemplates         sync.Map
	dchTemplateCount, numTemplateCount atomic.Int64
)

// cachedTemplate parses a datetime (dch) or numeric template, once.
func cachedTemplate(format string, dch bool) parsedTemplate {
	cache, count := &numTemplates, &numTemplateCount
	if dch {
		cache, count = &dchTemplates, &dchTemplateCount
	}
	if v, ok := cache.Load(format); ok {
		return v.(parsedTemplate)
	}
	// The engine hands its functions strings over memory it reuses: the
	// cache keeps its own copy (the nodes point into it too).
	format = strings.Clone(format)
	var t parsedTemplate
	if dch {
		t.nodes, t.err = parseTemplate(format, true, nil)
	} else {
		t.nodes, t.err = parseTemplate(format, false, &t.num)
	}
	if len(format) <= templateCacheMaxLen && count.Load() < templateCacheMax {
		if _, loaded := cache.LoadOrStore(format, t); !loaded {
			count.Add(1)
		}
	}
	return t
}

// ---------------------------------------------------------------------
// Numeric to_char (NUM_processor in the to_char direction).

// The C locale's symbols (NUM_prepare_locale).
const (
	localeNegative = "-"
	localePositive = "+"
	localeDecimal  = "."
	localeThousand = ","
	localeCurrency = " "
)

// numToChar holds NUM_processor's state when formatting.
type numToChar struct {
	d            *numDesc
	sign         byte // '+', '-' or 0
	signWrote    bool
	numCount     int
	numIn        bool
	numCurr      int
	outPreSpaces int
	number       string // digits (and point) to lay out
	np           int    // next position in number
	lastRelevant int    // position of the last digit FM keeps; -1 for none
	out          []byte
}

func (p *numToChar) cur() byte {
	if p.np < len(p.number) {
		return p.number[p.np]
	}
	return 0
}

func (p *numToChar) lastRelevantIsPoint() bool {
	return p.lastRelevant >= 0 && p.lastRelevant < len(p.number) && p.number[p.lastRelevant] == '.'
}

// predecSpace is IS_PREDEC_SPACE: the lone zero before the point of
// "0.x" under a template without 0.
func (p *numToChar) predecSpace() bool {
	return !p.d.is(numFZero) && p.np == 0 && len(p.number) > 0 && p.number[0] == '0' && p.d.post != 0
}

func (p *numToChar) lsignText() string {
	if p.sign == '-' {
		return localeNegative
	}
	return localePositive
}

// writeLeadingSign writes the sign before the first digit.
func (p *numToChar) writeLeadingSign() {
	switch {
	case p.d.is(numFLSign):
		if p.d.lsign == lsignPre {
			p.out = append(p.out, p.lsignText()...)
			p.signWrote = true
		}
	case p.d.is(numFBracket):
		if p.sign == '+' {
			p.out = append(p.out, ' ')
		} else {
			p.out = append(p.out, '<')
		}
		p.signWrote = true
	case p.sign == '+':
		if !p.d.is(numFFillMode) {
			p.out = append(p.out, ' ')
		}
		p.signWrote = true
	case p.sign == '-':
		p.out = append(p.out, '-')
		p.signWrote = true
	}
}

// numpart is NUM_numpart_to_char: a digit position, or the point.
func (p *numToChar) numpart(id int) {
	if p.d.is(numFRoman) {
		return
	}
	p.numIn = false
	if !p.signWrote &&
		(p.numCurr >= p.outPreSpaces || (p.d.is(numFZero) && p.d.zeroStart == p.numCurr)) &&
		(!p.predecSpace() || p.lastRelevantIsPoint()) {
		p.writeLeadingSign()
	}
	switch {
	case p.numCurr < p.outPreSpaces && (p.d.zeroStart > p.numCurr || !p.d.is(numFZero)):
		if !p.d.is(numFFillMode) {
			p.out = append(p.out, ' ')
		}
	case p.d.is(numFZero) && p.numCurr < p.outPreSpaces && p.d.zeroStart <= p.numCurr:
		p.out = append(p.out, '0')
		p.numIn = true
	default:
		if p.cur() == '.' {
			if !p.lastRelevantIsPoint() || p.d.is(numFFillMode) {
				p.out = append(p.out, localeDecimal...)
			}
		} else {
			switch {
			case p.lastRelevant >= 0 && p.np > p.lastRelevant && id != num0:
			case p.predecSpace():
				if !p.d.is(numFFillMode) {
					p.out = append(p.out, ' ')
				} else if p.lastRelevantIsPoint() {
					p.out = append(p.out, '0')
				}
			default:
				// Past the end of the digits this writes a NUL, which
				// ends the result as it does in PostgreSQL.
				p.out = append(p.out, p.cur())
				p.numIn = true
			}
		}
		if p.cur() != 0 {
			p.np++
		}
	}
	end := p.numCount
	if p.outPreSpaces > 0 {
		end++
	}
	if p.d.is(numFDecimal) {
		end++
	}
	if p.lastRelevant >= 0 && p.lastRelevant == p.np {
		end = p.numCurr
	}
	if p.numCurr+1 == end {
		if p.signWrote && p.d.is(numFBracket) {
			if p.sign == '+' {
				p.out = append(p.out, ' ')
			} else {
				p.out = append(p.out, '>')
			}
		} else if p.d.is(numFLSign) && p.d.lsign == lsignPost {
			p.out = append(p.out, p.lsignText()...)
		}
	}
	p.numCurr++
}

// lastRelevantDecnum is get_last_relevant_decnum: the last non-zero digit
// after the point, or the point itself; -1 without a point.
func lastRelevantDecnum(num string) int {
	p := strings.IndexByte(num, '.')
	if p < 0 {
		return -1
	}
	r := p
	for i := p + 1; i < len(num); i++ {
		if num[i] != '0' {
			r = i
		}
	}
	return r
}

// numProcessToChar lays number out by the template (NUM_processor with
// is_to_char). number has no sign; sign is '+', '-' or 0.
func numProcessToChar(nodes []fmtNode, d numDesc, number string, outPreSpaces int, sign byte) (string, error) {
	if d.zeroStart > 0 {
		d.zeroStart--
	}
	if d.is(numFEEEE) {
		return number, nil
	}
	if d.is(numFRoman) {
		d.lsign, d.preLsignNum, d.post, d.pre, outPreSpaces = 0, 0, 0, 0, 0
		d.flag = numFRoman | d.flag&numFFillMode
	}
	p := &numToChar{d: &d, sign: sign, number: number, lastRelevant: -1, outPreSpaces: outPreSpaces}
	if d.is(numFPlus) || d.is(numFMinus) {
		p.signWrote = !(d.is(numFPlus) && !d.is(numFMinus))
	} else {
		if sign != '-' && d.is(numFFillMode) {
			d.flag &^= numFBracket
		}
		p.signWrote = sign == '+' && d.is(numFFillMode) && !d.is(numFLSign)
		if d.lsign == lsignPre && d.pre == d.preLsignNum {
			d.lsign = lsignPost
		}
	}
	p.numCount = d.post + d.pre - 1
	if d.is(numFFillMode) && d.is(numFDecimal) {
		p.lastRelevant = lastRelevantDecnum(number)
		// Keep the digits of 0 positions.
		if p.lastRelevant >= 0 && d.zeroEnd > outPreSpaces {
			lastZero := min(len(number)-1, d.zeroEnd-outPreSpaces)
			if p.lastRelevant < lastZero {
				p.lastRelevant = lastZero
			}
		}
	}
	if !p.signWrote && outPreSpaces == 0 {
		p.numCount++
	}
	for i := range nodes {
		n := &nodes[i]
		if n.typ != nodeAction {
			p.out = append(p.out, n.char...)
			continue
		}
		if err := p.action(n.key.id); err != nil {
			return "", err
		}
	}
	out := p.out
	if i := strings.IndexByte(string(out), 0); i >= 0 {
		out = out[:i]
	}
	return string(out), nil
}

// action writes one pattern of a numeric template.
func (p *numToChar) action(id int) error {
	d := p.d
	switch id {
	case num9, num0, numDec, numD:
		p.numpart(id)
	case numComma, numG:
		switch {
		case p.numIn:
			p.out = append(p.out, localeThousand...)
		case !d.is(numFFillMode):
			p.out = append(p.out, ' ')
		}
	case numL:
		p.out = append(p.out, localeCurrency...)
	case numRN, numRNLower:
		s := p.number[p.np:]
		if id == numRNLower {
			s = strings.ToLower(s)
		}
		if !d.is(numFFillMode) {
			s = fmt.Sprintf("%15s", s)
		}
		p.out = append(p.out, s...)
	case numTH, numTHLower:
		if d.is(numFRoman) || (len(p.number) > 0 && p.number[0] == '#') || p.sign == '-' || d.is(numFDecimal) {
			return nil
		}
		s, err := numth(p.number, id == numTH)
		if err != nil {
			return err
		}
		p.out = append(p.out, s[len(p.number):]...)
	case numMI:
		switch {
		case p.sign == '-':
			p.out = append(p.out, '-')
		case !d.is(numFFillMode):
			p.out = append(p.out, ' ')
		}
	case numPL:
		switch {
		case p.sign == '+':
			p.out = append(p.out, '+')
		case !d.is(numFFillMode):
			p.out = append(p.out, ' ')
		}
	case numSG:
		p.out = append(p.out, p.sign)
	}
	return nil
}

// intToRoman is int_to_roman: upper-case numerals, or 15 #s outside
// 1..3999.
func intToRoman(v int64) string {
	if v > 3999 || v < 1 {
		return strings.Repeat("#", 15)
	}
	var b strings.Builder
	b.WriteString(strings.Repeat("M", int(v/1000)))
	for _, r := range [...]struct {
		div  int64
		one  string
		five string
		ten  string
	}{{100, "C", "D", "M"}, {10, "X", "L", "C"}, {1, "I", "V", "X"}} {
		d := v / r.div % 10
		switch {
		case d == 9:
			b.WriteString(r.one + r.ten)
		case d >= 5:
			b.WriteString(r.five + strings.Repeat(r.one, int(d-5)))
		case d == 4:
			b.WriteString(r.one + r.five)
		default:
			b.WriteString(strings.Repeat(r.one, int(d)))
		}
	}
	return b.String()
}

// layoutDigits is the common tail of the to_char number functions:
// digits is the absolute value with Num.post decimals; it returns the
// number string and the blank positions before it, or #s on overflow.
func layoutDigits(digits string, d *numDesc) (string, int) {
	preLen := len(digits)
	if i := strings.IndexByte(digits, '.'); i >= 0 {
		preLen = i
	}
	switch {
	case preLen < d.pre:
		return digits, d.pre - preLen
	case preLen > d.pre:
		return overflowDigits(d), 0
	}
	return digits, 0
}

// overflowDigits is the #.# string a too-narrow template prints.
func overflowDigits(d *numDesc) string {
	b := []byte(strings.Repeat("#", max(d.pre+d.post+1, 0)))
	if d.pre < len(b) {
		b[d.pre] = '.'
	}
	return string(b)
}

// specialEEEE is the EEEE text of NaN and infinities: " ###.####e####".
func specialEEEE(d *numDesc) string {
	b := []byte(strings.Repeat("#", d.pre+d.post+6))
	b[0] = ' '
	if d.pre+1 < len(b) {
		b[d.pre+1] = '.'
	}
	return string(b)
}

// FormatNumeric is to_char(numeric, text).
func FormatNumeric(n Numeric, format string) (string, error) {
	if format == "" {
		return "", nil
	}
	nodes, d, err := parseNumTemplate(format)
	if err != nil {
		return "", err
	}
	var number string
	var outPre int
	var sign byte
	switch {
	case d.is(numFRoman):
		v, err := n.Round(0).Int64(32, "integer")
		if err != nil {
			return "", err
		}
		number = intToRoman(v)
	case d.is(numFEEEE):
		if n.Special != 0 {
			number = specialEEEE(&d)
		} else {
			number = numericOutSci(n, d.post)
			if number[0] != '-' {
				number = " " + number
			}
		}
	default:
		val := n
		if d.is(numFMulti) {
			val = n.Mul(Numeric{Int: pow10(d.multi)})
			d.pre += d.multi
		}
		s := val.Round(d.post).String()
		sign = '+'
		if s[0] == '-' {
			sign, s = '-', s[1:]
		}
		number, outPre = layoutDigits(s, &d)
	}
	return numProcessToChar(nodes, d, number, outPre, sign)
}

// numericOutSci is numeric_out_sci: scientific notation with scale
// digits after the point (finite values only).
func numericOutSci(n Numeric, scale int) string {
	scale = max(scale, 0)
	abs := new(big.Int).Abs(n.Int)
	exp := 0
	if abs.Sign() != 0 {
		exp = len(abs.String()) - 1 - n.Scale
	}
	// significand = n / 10^exp, rounded half away from zero to scale.
	sig := Numeric{Int: n.Int, Scale: n.Scale + exp}
	if sig.Scale < 0 {
		sig = Numeric{Int: new(big.Int).Mul(n.Int, pow10(-sig.Scale)), Scale: 0}
	}
	return fmt.Sprintf("%se%+03d", sig.Round(scale).String(), exp)
}

// ToCharNumber is FormatNumeric reporting failure as false. Prefer
// FormatNumeric, which returns PostgreSQL's error.
func ToCharNumber(n Numeric, format string) (string, bool) {
	s, err := FormatNumeric(n, format)
	return s, err == nil
}

// FormatInt is to_char(integer, text) (bits 32) and to_char(bigint,
// text) (bits 64).
func FormatInt(v int64, bits int, format string) (string, error) {
	if format == "" {
		return "", nil
	}
	nodes, d, err := parseNumTemplate(format)
	if err != nil {
		return "", err
	}
	var number string
	var outPre int
	var sign byte
	switch {
	case d.is(numFRoman):
		if bits == 64 && (v > math.MaxInt32 || v < math.MinInt32) {
			return "", errf("22003", "integer out of range")
		}
		number = intToRoman(v)
	case d.is(numFEEEE):
		if bits == 32 {
			number = cFormatE(float64(v), d.post)
		} else {
			number = numericOutSci(NumericFromInt(v), d.post)
			if number[0] != '-' {
				number = " " + number
			}
		}
	default:
		if d.is(numFMulti) {
			if bits == 32 {
				m := int64(cInt32(math.Pow(10, float64(d.multi))))
				if v *= m; v != int64(int32(v)) {
					return "", errf("22003", "integer out of range")
				}
			} else {
				m, ok := dtoi8(math.Pow(10, float64(d.multi)))
				if !ok {
					return "", errf("22003", "bigint out of range")
				}
				if v, ok = mul64(v, m); !ok {
					return "", errf("22003", "bigint out of range")
				}
			}
			d.pre += d.multi
		}
		s := strconv.FormatInt(v, 10)
		sign = '+'
		if s[0] == '-' {
			sign, s = '-', s[1:]
		}
		if d.post > 0 {
			s += "." + strings.Repeat("0", d.post)
		}
		number, outPre = layoutDigits(s, &d)
	}
	return numProcessToChar(nodes, d, number, outPre, sign)
}

// mul64 multiplies, reporting false on int64 overflow.
func mul64(a, b int64) (int64, bool) {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	if !p.IsInt64() {
		return 0, false
	}
	return p.Int64(), true
}

// cInt32 is a C (int) cast of a double on x86-64: out of range and NaN
// give INT_MIN.
func cInt32(f float64) int32 {
	if math.IsNaN(f) || f >= 2147483648 || f <= -2147483649 {
		return math.MinInt32
	}
	return int32(f)
}

// dtoi8 is float8 to bigint: rounded, false when out of range.
func dtoi8(f float64) (int64, bool) {
	f = math.RoundToEven(f)
	if math.IsNaN(f) || f >= 9223372036854775807 || f < -9223372036854775808 {
		return 0, false
	}
	return int64(f), true
}

// cFormatE is psprintf("%+.*e", prec, f) with the leading plus turned
// into a blank, as PostgreSQL's snprintf prints it (NaN and Infinity
// spelled out).
func cFormatE(f float64, prec int) string {
	var s string
	switch {
	case math.IsNaN(f):
		s = "+NaN"
	case math.IsInf(f, 1):
		s = "+Infinity"
	case math.IsInf(f, -1):
		s = "-Infinity"
	default:
		s = strconv.FormatFloat(f, 'e', max(prec, 0), 64)
		if s[0] != '-' {
			s = "+" + s
		}
	}
	if s[0] == '+' {
		s = " " + s[1:]
	}
	return s
}

// cFormatF is psprintf("%.*f", prec, f) as PostgreSQL's snprintf prints
// it.
func cFormatF(f float64, prec int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'f', max(prec, 0), 64)
}

// FormatFloat is to_char(real, text) (bits 32) and to_char(double
// precision, text) (bits 64).
func FormatFloat(f float64, bits int, format string) (string, error) {
	if format == "" {
		return "", nil
	}
	nodes, d, err := parseNumTemplate(format)
	if err != nil {
		return "", err
	}
	digitsMax := 15 // DBL_DIG
	if bits == 32 {
		digitsMax = 6 // FLT_DIG
		f = float64(float32(f))
	}
	var number string
	var outPre int
	var sign byte
	switch {
	case d.is(numFRoman):
		number = intToRoman(int64(cInt32(math.RoundToEven(f))))
	case d.is(numFEEEE):
		if math.IsNaN(f) || math.IsInf(f, 0) {
			number = specialEEEE(&d)
		} else {
			number = cFormatE(f, d.post)
		}
	default:
		val := f
		if d.is(numFMulti) {
			if bits == 32 {
				val = float64(float32(f) * float32(math.Pow(10, float64(d.multi))))
			} else {
				val = f * math.Pow(10, float64(d.multi))
			}
			d.pre += d.multi
		}
		preLen := len(cFormatF(math.Abs(val), 0))
		if preLen >= digitsMax {
			d.post = 0
		} else if preLen+d.post > digitsMax {
			d.post = digitsMax - preLen
		}
		s := cFormatF(val, d.post)
		sign = '+'
		if s[0] == '-' {
			sign, s = '-', s[1:]
		}
		number, outPre = layoutDigits(s, &d)
	}
	return numProcessToChar(nodes, d, number, outPre, sign)
}
