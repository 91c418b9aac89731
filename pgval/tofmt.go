package pgval

import (
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// to_date, to_timestamp(text, text) and to_number, after PostgreSQL 15's
// formatting.c (DCH_from_char, do_to_timestamp and NUM_processor in the
// to_number direction). The template parser is in tochar.go.

// tmFromChar collects the fields a datetime template read (TmFromChar).
type tmFromChar struct {
	mode                                 dateMode
	hh, pm, mi, ss, ssss, d, dd, ddd, mm int32
	ms, year, bc, ww, w, cc, j, us       int32
	yysz                                 int32 // 4 for YYYY, 2 for YY, …
	clock12                              bool
	tzsign, tzh, tzm                     int32
	ff                                   int32 // fractional precision of FF1..FF6
}

// pgTM is the broken-down result (struct pg_tm) plus its fraction.
type pgTM struct {
	year, mon, mday, hour, min, sec int32
	fsec                            int32
	hasZone                         bool
	gmtoff                          int32 // seconds east of UTC when hasZone
}

// fromChar is DCH_from_char's cursor over the input.
type fromChar struct {
	in    string
	pos   int
	nodes []fmtNode
	out   tmFromChar
}

func (fc *fromChar) at(i int) byte {
	if i >= 0 && i < len(fc.in) {
		return fc.in[i]
	}
	return 0
}

func (fc *fromChar) rest() string { return fc.in[fc.pos:] }

// skipSpaces skips white space and returns how much it skipped.
func (fc *fromChar) skipSpaces() int {
	n := 0
	for fc.pos < len(fc.in) && isCSpace(fc.in[fc.pos]) {
		fc.pos++
		n++
	}
	return n
}

// skipChar skips one (multibyte) character, if any.
func (fc *fromChar) skipChar() { fc.pos += mbLen(fc.rest()) }

// skipTH skips the two characters of an ordinal suffix.
func (fc *fromChar) skipTH(n *fmtNode) {
	if n.th() {
		fc.skipChar()
		fc.skipChar()
	}
}

func errInvalidValue(value, field string) *pgerr.Error {
	return errf("22007", "invalid value \"%s\" for \"%s\"", value, field)
}

// setMode is from_char_set_mode.
func (fc *fromChar) setMode(m dateMode) error {
	if m == modeNone {
		return nil
	}
	if fc.out.mode == modeNone {
		fc.out.mode = m
	} else if fc.out.mode != m {
		return errf("22007", "invalid combination of date conventions").
			WithHint("Do not mix Gregorian and ISO week date conventions in a formatting template.")
	}
	return nil
}

// setInt is from_char_set_int: a field may be given twice only with the
// same value.
func setInt(dest *int32, v int32, n *fmtNode) error {
	if *dest != 0 && *dest != v {
		return errf("22007", "conflicting values for \"%s\" field in formatting string", n.key.name).
			WithDetail("This value contradicts a previous setting for the same field type.")
	}
	*dest = v
	return nil
}

// isNextSeparator reports whether the item after node i is not a digit
// (so a number may take as many digits as it finds).
func (fc *fromChar) isNextSeparator(i int) bool {
	n := &fc.nodes[i]
	if n.typ == nodeAction && n.th() {
		return true
	}
	if i+1 >= len(fc.nodes) {
		return true
	}
	next := &fc.nodes[i+1]
	if next.typ == nodeAction {
		return !next.key.isDigit
	}
	return !(len(next.char) == 1 && isDigit(next.char[0]))
}

// strtol reads a C long from s[i:] as strtol does: white space, a sign,
// digits. end is i when there are no digits; overflow reports erange.
func strtol(s string, i int) (v int64, end int, erange bool) {
	start := i
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	digits := i
	var u uint64
	for i < len(s) && isDigit(s[i]) {
		d := uint64(s[i] - '0')
		if u > (math.MaxUint64-d)/10 {
			erange = true
		} else {
			u = u*10 + d
		}
		i++
	}
	if i == digits {
		return 0, start, false
	}
	switch {
	case erange, !neg && u > math.MaxInt64, neg && u > 1<<63:
		erange = true
		if neg {
			return math.MinInt64, i, true
		}
		return math.MaxInt64, i, true
	case neg:
		return int64(-u), i, false
	}
	return int64(u), i, false
}

// parseIntLen is from_char_parse_int_len: read an integer of up to size
// characters (all it finds under FM or before a separator) into dest,
// which may be nil. It returns the characters used.
func (fc *fromChar) parseIntLen(dest *int32, size int, i int) (int, error) {
	n := &fc.nodes[i]
	init := fc.pos
	fc.skipSpaces()
	copyText := fc.in[fc.pos:min(fc.pos+size, len(fc.in))]
	used := len(fc.in) - fc.pos
	var result int64
	var erange bool
	if n.fm() || fc.isNextSeparator(i) {
		result, fc.pos, erange = strtol(fc.in, init)
	} else {
		if used < size {
			return 0, errf("22007", "source string too short for \"%s\" formatting field", n.key.name).
				WithDetail("Field requires %d characters, but only %d remain.", size, used).
				WithHint("If your source string is not fixed-width, try using the \"FM\" modifier.")
		}
		var last int
		result, last, erange = strtol(copyText, 0)
		if last > 0 && last < size {
			return 0, errInvalidValue(copyText, n.key.name).
				WithDetail("Field requires %d characters, but only %d could be parsed.", size, last).
				WithHint("If your source string is not fixed-width, try using the \"FM\" modifier.")
		}
		fc.pos += last
	}
	if fc.pos == init {
		return 0, errInvalidValue(copyText, n.key.name).WithDetail("Value must be an integer.")
	}
	if erange || result < math.MinInt32 || result > math.MaxInt32 {
		return 0, errf("22008", "value for \"%s\" in source string is out of range", n.key.name).
			WithDetail("Value must be in the range %d to %d.", math.MinInt32, math.MaxInt32)
	}
	if dest != nil {
		if err := setInt(dest, int32(result), n); err != nil {
			return 0, err
		}
	}
	return fc.pos - init, nil
}

// parseInt reads a field as wide as its pattern (from_char_parse_int).
func (fc *fromChar) parseInt(dest *int32, i int) (int, error) {
	return fc.parseIntLen(dest, len(fc.nodes[i].key.name), i)
}

// seqSearch is from_char_seq_search: the first entry of list that the
// input starts with, ignoring ASCII case.
func (fc *fromChar) seqSearch(list []string, n *fmtNode) (int, error) {
	s := fc.rest()
	for idx, e := range list {
		if len(s) >= len(e) && strings.EqualFold(s[:len(e)], e) && asciiOnly(s[:len(e)]) {
			fc.pos += len(e)
			return idx, nil
		}
	}
	v := s
	if i := strings.IndexAny(v, " \t\n\r\f"); i >= 0 {
		v = v[:i]
	}
	return 0, errInvalidValue(v, n.key.name).
		WithDetail("The given value did not match any of the allowed values for this field.")
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

var (
	ampmShort = []string{"am", "pm", "AM", "PM"}
	ampmLong  = []string{"a.m.", "p.m.", "A.M.", "P.M."}
	adbcShort = []string{"ad", "bc", "AD", "BC"}
	adbcLong  = []string{"a.d.", "b.c.", "A.D.", "B.C."}
)

// dchFromChar reads the input by the template (DCH_from_char, not in
// the standard mode of jsonpath).
func dchFromChar(nodes []fmtNode, in string) (tmFromChar, error) {
	fc := &fromChar{in: in, nodes: nodes}
	fx := false
	extraSkip := 0 // white space skipped beyond what the template asked for
	for i := 0; i < len(nodes) && fc.pos < len(in); i++ {
		n := &nodes[i]
		if !fx && !(n.typ == nodeAction && n.key.id == dchFX) && (n.typ == nodeAction || i == 0) {
			extraSkip += fc.skipSpaces()
		}
		switch n.typ {
		case nodeSpace, nodeSeparator:
			if fx {
				fc.skipChar()
			} else {
				// One template space or separator matches one space or
				// separator of the input, or nothing.
				extraSkip--
				if c := fc.at(fc.pos); isCSpace(c) || isSeparatorChar(c) {
					fc.pos++
					extraSkip++
				}
			}
			continue
		case nodeChar:
			// Literal text consumes a character whatever it is, except
			// that skipped white space may stand for it.
			if !fx && extraSkip > 0 {
				extraSkip--
			} else {
				fc.skipChar()
			}
			continue
		}
		if err := fc.setMode(n.key.mode); err != nil {
			return fc.out, err
		}
		if n.key.id == dchFX {
			fx = true
		} else if err := fc.field(i, extraSkip); err != nil {
			return fc.out, err
		}
		if !fx {
			extraSkip = fc.skipSpaces()
		}
	}
	return fc.out, nil
}

// field reads one pattern.
func (fc *fromChar) field(i, extraSkip int) error {
	n := &fc.nodes[i]
	out := &fc.out
	var err error
	switch id := n.key.id; id {
	case dchAMDots, dchAM:
		list := ampmShort
		if id == dchAMDots {
			list = ampmLong
		}
		var v int
		if v, err = fc.seqSearch(list, n); err == nil {
			err = setInt(&out.pm, int32(v%2), n)
			out.clock12 = true
		}
	case dchHH, dchHH12, dchHH24:
		if _, err = fc.parseIntLen(&out.hh, 2, i); err == nil {
			out.clock12 = out.clock12 || id != dchHH24
			fc.skipTH(n)
		}
	case dchMI, dchSS, dchSSSS, dchMM, dchDDD, dchDD, dchD, dchWW, dchIW, dchQ, dchCC, dchW, dchJ:
		if _, err = fc.parseInt(fc.intField(id), i); err == nil {
			fc.skipTH(n)
		}
	case dchMS:
		var l int
		if l, err = fc.parseIntLen(&out.ms, 3, i); err == nil {
			out.ms *= [...]int32{1, 100, 10, 1}[min(l, 3)]
			fc.skipTH(n)
		}
	case dchFF1, dchFF2, dchFF3, dchFF4, dchFF5, dchFF6, dchUS:
		size := 6
		if id != dchUS {
			out.ff = int32(id - dchFF1 + 1)
			size = int(out.ff)
		}
		var l int
		if l, err = fc.parseIntLen(&out.us, size, i); err == nil {
			out.us *= [...]int32{1, 100000, 10000, 1000, 100, 10, 1}[min(l, 6)]
			fc.skipTH(n)
		}
	case dchTZ, dchOF:
		err = errf("0A000", "formatting field \"%s\" is only supported in to_char", n.key.name)
	case dchTZH:
		// A minus skipped as a separator may belong to the offset.
		if c := fc.at(fc.pos); c == '+' || c == '-' || c == ' ' {
			out.tzsign = 1
			if c == '-' {
				out.tzsign = -1
			}
			fc.pos++
		} else if extraSkip > 0 && fc.at(fc.pos-1) == '-' {
			out.tzsign = -1
		} else {
			out.tzsign = 1
		}
		_, err = fc.parseIntLen(&out.tzh, 2, i)
	case dchTZM:
		if out.tzsign == 0 {
			out.tzsign = 1
		}
		_, err = fc.parseIntLen(&out.tzm, 2, i)
	case dchADDots, dchAD:
		list := adbcShort
		if id == dchADDots {
			list = adbcLong
		}
		var v int
		if v, err = fc.seqSearch(list, n); err == nil {
			err = setInt(&out.bc, int32(v%2), n)
		}
	case dchMONTH, dchMON:
		list := monthsFull[:]
		if id == dchMON {
			list = monthsAbbrev[:]
		}
		var v int
		if v, err = fc.seqSearch(list, n); err == nil {
			err = setInt(&out.mm, int32(v+1), n)
		}
	case dchDAY, dchDY:
		list := daysFull[:]
		if id == dchDY {
			list = daysAbbrev[:]
		}
		var v int
		if v, err = fc.seqSearch(list, n); err == nil {
			if err = setInt(&out.d, int32(v), n); err == nil {
				out.d++
			}
		}
	case dchIDDD:
		if _, err = fc.parseIntLen(&out.ddd, 3, i); err == nil {
			fc.skipTH(n)
		}
	case dchID:
		if _, err = fc.parseIntLen(&out.d, 1, i); err == nil {
			// ISO numbering to Gregorian, where Sunday is 1.
			if out.d++; out.d > 7 {
				out.d = 1
			}
			fc.skipTH(n)
		}
	case dchYCommaYYY:
		err = fc.yCommaYYY(n)
	case dchYYYY, dchIYYY, dchYYY, dchIYY, dchYY, dchIY, dchY, dchI:
		err = fc.year(i)
	case dchRM:
		var v int
		if v, err = fc.seqSearch(rmMonthsLower[:], n); err == nil {
			err = setInt(&out.mm, int32(12-v), n)
		}
	}
	return err
}

// intField is where a plain numeric pattern stores its value (nil: Q,
// which is read and ignored).
func (fc *fromChar) intField(id int) *int32 {
	out := &fc.out
	switch id {
	case dchMI:
		return &out.mi
	case dchSS:
		return &out.ss
	case dchSSSS:
		return &out.ssss
	case dchMM:
		return &out.mm
	case dchDDD:
		return &out.ddd
	case dchDD:
		return &out.dd
	case dchD:
		return &out.d
	case dchWW, dchIW:
		return &out.ww
	case dchCC:
		return &out.cc
	case dchW:
		return &out.w
	case dchJ:
		return &out.j
	}
	return nil
}

// year reads YYYY, YYY, YY, Y and their ISO forms; short years are moved
// next to 2020.
func (fc *fromChar) year(i int) error {
	n := &fc.nodes[i]
	l, err := fc.parseInt(&fc.out.year, i)
	if err != nil {
		return err
	}
	switch n.key.id {
	case dchYYYY, dchIYYY:
		fc.out.yysz = 4
	default:
		if l < 4 {
			fc.out.year = adjustPartialYear(fc.out.year)
		}
		fc.out.yysz = int32(len(n.key.name))
	}
	fc.skipTH(n)
	return nil
}

// adjustPartialYear is adjust_partial_year_to_2020.
func adjustPartialYear(y int32) int32 {
	switch {
	case y < 70:
		return y + 2000
	case y < 100:
		return y + 1900
	case y < 520:
		return y + 2000
	case y < 1000:
		return y + 1000
	}
	return y
}

// scanInt is sscanf's %d (width 0: unlimited): white space, a sign,
// digits; the value wraps like a C int.
func scanInt(s string, i, width int) (int32, int, bool) {
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') && (width == 0 || width > 1) {
		neg = s[i] == '-'
		i++
	}
	digits := i
	var v int32
	for i < len(s) && isDigit(s[i]) && (width == 0 || i-start < width) {
		v = v*10 + int32(s[i]-'0')
		i++
	}
	if i == digits {
		return 0, i, false
	}
	if neg {
		v = -v
	}
	return v, i, true
}

// yCommaYYY reads Y,YYY as sscanf(s, "%d,%03d%n") does.
func (fc *fromChar) yCommaYYY(n *fmtNode) error {
	millennia, p, ok := scanInt(fc.in, fc.pos, 0)
	var years int32
	if ok && p < len(fc.in) && fc.in[p] == ',' {
		years, p, ok = scanInt(fc.in, p+1, 3)
	} else {
		ok = false
	}
	if !ok {
		return errf("22007", "invalid input string for \"Y,YYY\"")
	}
	years += millennia * 1000
	if err := setInt(&fc.out.year, years, n); err != nil {
		return err
	}
	fc.out.yysz = 4
	fc.pos = p
	fc.skipTH(n)
	return nil
}

// fieldOverflow is DateTimeParseError's DTERR_FIELD_OVERFLOW.
func fieldOverflow(in string) error {
	return errf("22008", "date/time field value out of range: \"%s\"", in)
}

func isLeap32(y int32) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

var ysum = [2][13]int32{
	{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
	{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366},
}

// Field bits for validateDate.
const (
	maskYear = 1 << iota
	maskMonth
	maskDay
	maskDate = maskYear | maskMonth | maskDay
)

// doToTimestamp is do_to_timestamp: parse the input by the template and
// turn the fields into a broken-down time.
func doToTimestamp(in, format string) (pgTM, int32, error) {
	tm := pgTM{mon: 1, mday: 1}
	if i := strings.IndexByte(in, 0); i >= 0 {
		in = in[:i]
	}
	var f tmFromChar
	if format != "" {
		var err error
		if f, err = dchFromChar(cachedTemplate(format, true).nodes, in); err != nil {
			return tm, 0, err
		}
	}
	if err := f.timeFields(&tm); err != nil {
		return tm, 0, err
	}
	fmask, err := f.dateFields(&tm)
	if err != nil {
		return tm, 0, err
	}
	if f.ms != 0 {
		tm.fsec += f.ms * 1000
	}
	tm.fsec += f.us
	if fmask != 0 && !validateDate(fmask, &tm) {
		return tm, 0, fieldOverflow(in)
	}
	if tm.hour < 0 || tm.hour >= 24 || tm.min < 0 || tm.min >= 60 || tm.sec < 0 || tm.sec >= 60 ||
		tm.fsec < 0 || tm.fsec >= 1000000 {
		return tm, 0, fieldOverflow(in)
	}
	if f.tzsign != 0 {
		if f.tzh < 0 || f.tzh > 15 || f.tzm < 0 || f.tzm >= 60 {
			return tm, 0, errf("22009", "time zone displacement out of range: \"%s\"", in)
		}
		tm.hasZone = true
		tm.gmtoff = f.tzsign * (f.tzh*3600 + f.tzm*60)
	}
	return tm, f.ff, nil
}

// timeFields sets the clock from SSSS, SS, MI, HH and AM/PM.
func (f *tmFromChar) timeFields(tm *pgTM) error {
	if f.ssss != 0 {
		x := f.ssss
		tm.hour = x / 3600
		x %= 3600
		tm.min = x / 60
		tm.sec = x % 60
	}
	if f.ss != 0 {
		tm.sec = f.ss
	}
	if f.mi != 0 {
		tm.min = f.mi
	}
	if f.hh != 0 {
		tm.hour = f.hh
	}
	if f.clock12 {
		if tm.hour < 1 || tm.hour > 12 {
			return errf("22007", "hour \"%d\" is invalid for the 12-hour clock", tm.hour).
				WithHint("Use the 24-hour clock, or give an hour between 1 and 12.")
		}
		if f.pm != 0 && tm.hour < 12 {
			tm.hour += 12
		} else if f.pm == 0 && tm.hour == 12 {
			tm.hour = 0
		}
	}
	return nil
}

// yearFields sets the year from YYYY (and shorter forms), CC and BC.
func (f *tmFromChar) yearFields(tm *pgTM) bool {
	switch {
	case f.year != 0 && f.cc != 0 && f.yysz <= 2:
		// YY (or Y) within the century CC.
		if f.bc != 0 {
			f.cc = -f.cc
		}
		tm.year = f.year % 100
		switch {
		case tm.year != 0 && f.cc >= 0:
			tm.year += (f.cc - 1) * 100
		case tm.year != 0:
			tm.year = (f.cc+1)*100 - tm.year + 1
		case f.cc >= 0:
			tm.year = f.cc * 100
		default:
			tm.year = f.cc*100 + 1
		}
	case f.year != 0:
		tm.year = f.year
		if f.bc != 0 {
			tm.year = -tm.year
		}
		if tm.year < 0 {
			tm.year++ // 1 BC is year 0
		}
	case f.cc != 0:
		// The first year of the century.
		if f.bc != 0 {
			f.cc = -f.cc
		}
		if f.cc >= 0 {
			tm.year = (f.cc-1)*100 + 1
		} else {
			tm.year = f.cc*100 + 1
		}
	default:
		return false
	}
	return true
}

// dateFields sets the date and returns the fields to validate.
func (f *tmFromChar) dateFields(tm *pgTM) (int, error) {
	fmask := 0
	if f.yearFields(tm) {
		fmask |= maskYear
	}
	if f.j != 0 {
		tm.year, tm.mon, tm.mday = j2date(f.j)
		fmask |= maskDate
	}
	if f.ww != 0 {
		if f.mode == modeISOWeek {
			if f.d != 0 {
				tm.year, tm.mon, tm.mday = isoweekdate2date(f.ww, f.d, tm.year)
			} else {
				tm.year, tm.mon, tm.mday = j2date(isoweek2j(tm.year, f.ww))
			}
			fmask |= maskDate
		} else {
			f.ddd = (f.ww-1)*7 + 1
		}
	}
	if f.w != 0 {
		f.dd = (f.w-1)*7 + 1
	}
	if f.dd != 0 {
		tm.mday = f.dd
		fmask |= maskDay
	}
	if f.mm != 0 {
		tm.mon = f.mm
		fmask |= maskMonth
	}
	if f.ddd != 0 && (tm.mon <= 1 || tm.mday <= 1) {
		// Day of the year: Gregorian or of the ISO week-numbering year.
		if tm.year == 0 && f.bc == 0 {
			return 0, errf("22007", "cannot calculate day of year without year information")
		}
		if f.mode == modeISOWeek {
			j0 := isoweek2j(tm.year, 1) - 1
			tm.year, tm.mon, tm.mday = j2date(j0 + f.ddd)
			fmask |= maskDate
		} else {
			leap := 0
			if isLeap32(tm.year) {
				leap = 1
			}
			y := &ysum[leap]
			m := 1
			for ; m <= 12; m++ {
				if f.ddd <= y[m] {
					break
				}
			}
			if tm.mon <= 1 {
				tm.mon = int32(m)
			}
			if tm.mday <= 1 {
				tm.mday = f.ddd - y[m-1]
			}
			fmask |= maskMonth | maskDay
		}
	}
	return fmask, nil
}

var dayTab = [2][12]int32{
	{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
}

// validateDate is ValidateDate for a Julian-adjusted year.
func validateDate(fmask int, tm *pgTM) bool {
	if fmask&maskMonth != 0 && (tm.mon < 1 || tm.mon > 12) {
		return false
	}
	if fmask&maskDay != 0 && (tm.mday < 1 || tm.mday > 31) {
		return false
	}
	if fmask&maskDate == maskDate {
		leap := 0
		if isLeap32(tm.year) {
			leap = 1
		}
		if tm.mday > dayTab[leap][tm.mon-1] {
			return false
		}
	}
	return true
}

// validJulian is IS_VALID_JULIAN: from 4714-11-24 BC to 5874897 AD.
func validJulian(y, m, d int32) bool {
	return (y > -4713 || (y == -4713 && m >= 11)) && (y < 5874898 || (y == 5874898 && m < 6))
}

// Julian days of the epochs.
const (
	postgresEpochJDate = 2451545 // 2000-01-01
	dateEndJulian      = 2147483494
	pgEpochOffsetUsecs = int64(postgresEpochJDate-unixEpochJDate) * USecsPerDay
	minTimestampPG     = int64(-211813488000000000) // 4714-11-24 BC, PostgreSQL epoch
	endTimestampPG     = int64(9223371331200000000) // 294277-01-01, PostgreSQL epoch
)

// ToDate is to_date(text, text): the date as days since 1970-01-01.
func ToDate(text, format string) (int64, error) {
	tm, _, err := doToTimestamp(text, format)
	if err != nil {
		return 0, err
	}
	if !validJulian(tm.year, tm.mon, tm.mday) {
		return 0, errf("22008", "date out of range: \"%s\"", text)
	}
	d := int64(date2j(tm.year, tm.mon, tm.mday)) - postgresEpochJDate
	if d < -postgresEpochJDate || d >= dateEndJulian-postgresEpochJDate {
		return 0, errf("22008", "date out of range: \"%s\"", text)
	}
	return d + postgresEpochJDate - unixEpochJDate, nil
}

// ToTimestampFormat is to_timestamp(text, text): the instant as
// microseconds since 1970-01-01 UTC. Fields without a zone in the input
// (TZH, TZM) are local time in loc, the session's TimeZone.
func ToTimestampFormat(text, format string, loc *time.Location) (int64, error) {
	tm, fprec, err := doToTimestamp(text, format)
	if err != nil {
		return 0, err
	}
	errRange := errf("22008", "timestamp out of range")
	if !validJulian(tm.year, tm.mon, tm.mday) {
		return 0, errRange
	}
	// tm2timestamp, in the PostgreSQL epoch.
	date := int64(date2j(tm.year, tm.mon, tm.mday)) - postgresEpochJDate
	tod := ((int64(tm.hour)*60+int64(tm.min))*60+int64(tm.sec))*USecsPerSec + int64(tm.fsec)
	local := date*USecsPerDay + tod
	if (local-tod)/USecsPerDay != date || (local < 0 && date > 0) || (local > 0 && date < -1) {
		return 0, errRange
	}
	var result int64
	if tm.hasZone {
		result = local - int64(tm.gmtoff)*USecsPerSec
	} else {
		result = LocalToUTC(local+pgEpochOffsetUsecs, loc) - pgEpochOffsetUsecs
	}
	if result < minTimestampPG || result >= endTimestampPG {
		return 0, errRange
	}
	if fprec > 0 && fprec < 6 {
		result = roundTimestampPG(result, int(fprec))
	}
	if result > math.MaxInt64-pgEpochOffsetUsecs {
		// Valid in PostgreSQL (up to 294276 AD) but past what microseconds
		// since 1970 in an int64 can hold.
		return 0, errf("0A000", "timestamps after 294247-01-10 cannot be held by Hotdata's cache engine")
	}
	return result + pgEpochOffsetUsecs, nil
}

// roundTimestampPG is AdjustTimestampForTypmod on a PostgreSQL-epoch
// timestamp: round half away from zero to p fractional digits.
func roundTimestampPG(t int64, p int) int64 {
	scale := int64(math.Pow10(6 - p))
	if t >= 0 {
		return (t + scale/2) / scale * scale
	}
	return -(((-t) + scale/2) / scale * scale)
}

// ---------------------------------------------------------------------
// to_number (NUM_processor in the to_number direction).

// numFromChar holds NUM_processor's state when reading.
type numFromChar struct {
	d        *numDesc
	in       string
	pos      int
	number   []byte // number[0] is the sign slot
	readDec  bool
	readPost int
	readPre  int
}

func (p *numFromChar) at(i int) byte {
	if i < len(p.in) {
		return p.in[i]
	}
	return 0
}

func (p *numFromChar) done() bool { return p.pos >= len(p.in) }

// amount reports whether s bytes remain (AMOUNT_TEST).
func (p *numFromChar) amount(s int) bool { return p.pos <= len(p.in)-s }

func (p *numFromChar) hasPrefix(s string) bool {
	return len(s) > 0 && p.amount(len(s)) && strings.HasPrefix(p.in[p.pos:], s)
}

// numpart is NUM_numpart_from_char: read a sign, digit or point.
func (p *numFromChar) numpart(id int) {
	if p.done() {
		return
	}
	if p.at(p.pos) == ' ' {
		p.pos++
	}
	if p.done() {
		return
	}
	// A sign before the number.
	if p.number[0] == ' ' && (id == num0 || id == num9) && p.readPre+p.readPost == 0 {
		if p.d.is(numFLSign) && p.d.lsign == lsignPre {
			switch {
			case p.hasPrefix(localeNegative):
				p.pos += len(localeNegative)
				p.number[0] = '-'
			case p.hasPrefix(localePositive):
				p.pos += len(localePositive)
				p.number[0] = '+'
			}
		} else {
			switch c := p.at(p.pos); {
			case c == '-' || (p.d.is(numFBracket) && c == '<'):
				p.number[0] = '-'
				p.pos++
			case c == '+':
				p.number[0] = '+'
				p.pos++
			}
		}
	}
	if p.done() {
		return
	}
	isread := false
	if c := p.at(p.pos); isDigit(c) {
		if p.readDec && p.readPost == p.d.post {
			return
		}
		p.number = append(p.number, c)
		if p.readDec {
			p.readPost++
		} else {
			p.readPre++
		}
		isread = true
	} else if p.d.is(numFDecimal) && !p.readDec && p.hasPrefix(localeDecimal) {
		p.pos += len(localeDecimal) - 1
		p.number = append(p.number, '.')
		p.readDec = true
		isread = true
	}
	if p.done() {
		return
	}
	// A sign after the last digit.
	if p.number[0] != ' ' || p.readPre+p.readPost == 0 {
		return
	}
	if p.d.is(numFLSign) && isread && p.pos+1 < len(p.in) && !isDigit(p.at(p.pos+1)) {
		tmp := p.pos
		p.pos++
		switch {
		case p.hasPrefix(localeNegative):
			p.pos += len(localeNegative) - 1
			p.number[0] = '-'
		case p.hasPrefix(localePositive):
			p.pos += len(localePositive) - 1
			p.number[0] = '+'
		}
		if p.number[0] == ' ' {
			p.pos = tmp
		}
	} else if !isread && !p.d.is(numFLSign) && (p.d.is(numFPlus) || p.d.is(numFMinus)) {
		if c := p.at(p.pos); c == '-' || c == '+' {
			p.number[0] = c
		}
	}
}

// eatNonData skips up to n input characters that are not part of a
// number (NUM_eat_non_data_chars).
func (p *numFromChar) eatNonData(n int) {
	for ; n > 0 && !p.done(); n-- {
		if strings.IndexByte("0123456789.,+-", p.at(p.pos)) >= 0 {
			break
		}
		p.pos += mbLen(p.in[p.pos:])
	}
}

// action reads one pattern; advance reports whether the cursor then
// moves past the current character.
func (p *numFromChar) action(id int) bool {
	d := p.d
	switch id {
	case num9, num0, numDec, numD:
		p.numpart(id)
		return true
	case numComma, numG:
		if d.is(numFFillMode) { // the input has no digits "in" yet
			return false
		}
		return p.hasPrefix(localeThousand)
	case numL:
		p.eatNonData(1)
	case numTH, numTHLower:
		if !d.is(numFRoman) && p.number[0] != '#' && !d.is(numFDecimal) {
			p.eatNonData(2)
		}
	case numMI, numPL, numSG:
		c := p.at(p.pos)
		if (c == '-' && id != numPL) || (c == '+' && id != numMI) {
			p.number[0] = c
			return true
		}
		p.eatNonData(1)
	}
	return false
}

// ToNumber is to_number(text, text). null reports PostgreSQL's NULL for
// an empty template.
func ToNumber(text, format string) (n Numeric, null bool, err error) {
	if format == "" {
		return Numeric{}, true, nil
	}
	nodes, d, err := parseNumTemplate(format)
	if err != nil {
		return Numeric{}, false, err
	}
	if d.is(numFEEEE) {
		return Numeric{}, false, errf("0A000", "\"EEEE\" not supported for input")
	}
	if d.is(numFRoman) {
		return Numeric{}, false, errf("0A000", "\"RN\" not supported for input")
	}
	if i := strings.IndexByte(text, 0); i >= 0 {
		text = text[:i]
	}
	p := &numFromChar{d: &d, in: text, number: []byte{' '}}
	for i := range nodes {
		if p.done() {
			break
		}
		nd := &nodes[i]
		if nd.typ != nodeAction {
			p.pos += mbLen(p.in[p.pos:])
			continue
		}
		if p.action(nd.key.id) {
			p.pos++
		}
	}
	number := p.number
	if number[len(number)-1] == '.' {
		number = number[:len(number)-1]
	}
	scale := p.readPost
	precision := d.pre + d.multi + scale
	v, err := ParseNumeric(string(number))
	if err != nil {
		return Numeric{}, false, err
	}
	if v, err = v.Typmod(precision, scale); err != nil {
		return Numeric{}, false, err
	}
	if d.is(numFMulti) {
		v = v.Mul(powerOfTenNegative(d.multi))
	}
	return v, false, nil
}

// powerOfTenNegative is numeric_power(10, -k): 10^-k rounded to the 16
// decimals of its result scale.
func powerOfTenNegative(k int) Numeric {
	if k > 16 {
		return Numeric{Int: new(big.Int), Scale: 16}
	}
	return Numeric{Int: pow10(16 - k), Scale: 16}
}
