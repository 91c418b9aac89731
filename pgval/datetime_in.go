package pgval

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// This file reads date and time input as PostgreSQL's datetime.c does
// (ParseDateTime, DecodeDateTime): ISO 8601 and SQL forms, month names,
// the DateStyle field order, BC, AM/PM, time zone offsets, names and
// abbreviations, and the special words.

type tokKind int

const (
	tkNumber   tokKind = iota // digits, maybe with a fraction
	tkDate                    // 2024-01-02, 01/02/2024, 2024.01.02, Jan-02-2024
	tkTime                    // 12:34:56.789
	tkTZ                      // +05:30, -0800
	tkString                  // words
	tkZoneName                // America/New_York
)

type token struct {
	kind tokKind
	s    string
}

// tokenize is ParseDateTime.
func tokenize(s string) ([]token, bool) {
	var out []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			i++
		case isDigit(c):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			switch {
			case j < len(s) && s[j] == ':':
				// A time: digits, colons and a fraction.
				for j < len(s) && (isDigit(s[j]) || s[j] == ':' || s[j] == '.') {
					j++
				}
				out = append(out, token{tkTime, s[i:j]})
			case j < len(s) && (s[j] == '-' || s[j] == '/' || s[j] == '.'):
				delim := s[j]
				k := j + 1
				if delim == '.' && (k >= len(s) || !isDigit(s[k])) {
					out = append(out, token{tkNumber, s[i : j+1]})
					i = k
					continue
				}
				// A second delimiter makes it a date; one '.' is a fraction.
				for k < len(s) && (isAlnum(s[k]) || s[k] == delim) {
					k++
				}
				field := s[i:k]
				if delim == '.' && strings.Count(field, ".") == 1 {
					out = append(out, token{tkNumber, field})
				} else {
					out = append(out, token{tkDate, strings.ToLower(field)})
				}
				j = k
			default:
				// Digits, maybe followed by a fraction (123.45).
				if j < len(s) && s[j] == '.' {
					j++
					for j < len(s) && isDigit(s[j]) {
						j++
					}
				}
				out = append(out, token{tkNumber, s[i:j]})
			}
			i = j
		case c == '.':
			j := i + 1
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == i+1 {
				return nil, false
			}
			out = append(out, token{tkNumber, s[i:j]})
			i = j
		case isAlpha(c):
			j := i
			for j < len(s) && isAlpha(s[j]) {
				j++
			}
			switch {
			case j < len(s) && (s[j] == '/' || s[j] == '_') || j < len(s) && isAlpha(s[i]) && s[j] == '-' && j+1 < len(s) && isAlpha(s[j+1]) && looksLikeZone(s[i:]):
				// A zone name (America/New_York, Etc/GMT+5).
				for j < len(s) && (isAlnum(s[j]) || strings.IndexByte("/_-+", s[j]) >= 0) {
					j++
				}
				out = append(out, token{tkZoneName, s[i:j]})
			case j < len(s) && (s[j] == '-' || s[j] == '.' || s[j] == '/') && j+1 < len(s) && isDigit(s[j+1]):
				// Jan-02-2024
				delim := s[j]
				for j < len(s) && (isAlnum(s[j]) || s[j] == delim) {
					j++
				}
				out = append(out, token{tkDate, strings.ToLower(s[i:j])})
			default:
				out = append(out, token{tkString, strings.ToLower(s[i:j])})
			}
			i = j
		case c == '+' || c == '-':
			j := i + 1
			for j < len(s) && s[j] == ' ' {
				j++
			}
			if j < len(s) && isDigit(s[j]) {
				k := j
				for k < len(s) && (isDigit(s[k]) || s[k] == ':' || s[k] == '.') {
					k++
				}
				out = append(out, token{tkTZ, string(c) + s[j:k]})
				i = k
			} else if j < len(s) && isAlpha(s[j]) {
				k := j
				for k < len(s) && isAlpha(s[k]) {
					k++
				}
				out = append(out, token{tkString, string(c) + strings.ToLower(s[j:k])})
				i = k
			} else {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return out, true
}

func looksLikeZone(s string) bool { return strings.Contains(s, "/") }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

var monthNames = map[string]int64{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
	"jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

var dayNames = map[string]bool{
	"sun": true, "sunday": true, "mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true,
	"wed": true, "wednesday": true, "thu": true, "thur": true, "thurs": true, "thursday": true, "fri": true,
	"friday": true, "sat": true, "saturday": true,
}

// zoneAbbrevs are the common abbreviations of PostgreSQL's "Default"
// timezone_abbreviations set, in seconds east of UTC.
var zoneAbbrevs = map[string]int{
	"utc": 0, "ut": 0, "gmt": 0, "z": 0, "zulu": 0, "wet": 0, "west": 3600, "bst": 3600,
	"cet": 3600, "cest": 7200, "met": 3600, "mest": 7200, "eet": 7200, "eest": 10800, "msk": 10800,
	"ist": 7200, "idt": 10800, "jst": 32400, "kst": 32400, "hkt": 28800, "sgt": 28800, "awst": 28800,
	"acst": 34200, "acdt": 37800, "aest": 36000, "aedt": 39600, "nzst": 43200, "nzdt": 46800,
	"est": -18000, "edt": -14400, "cst": -21600, "cdt": -18000, "mst": -25200, "mdt": -21600,
	"pst": -28800, "pdt": -25200, "akst": -32400, "akdt": -28800, "hst": -36000, "ast": -14400, "adt": -10800,
	"nst": -12600, "ndt": -9000,
}

// dtResult is what DecodeDateTime gathers.
type dtResult struct {
	year, month, day  int64
	hasYear, hasMonth bool
	hasDay            bool
	hour, min         int64
	usec              int64 // seconds and fraction, in microseconds
	hasTime           bool
	bc                bool
	ampm              int // 0 none, 1 am, 2 pm
	tzSecs            int
	hasTZ             bool
	zone              *time.Location
	special           string // epoch, infinity, -infinity, now, today, tomorrow, yesterday
	yearDigits        int
}

// decodeDateTime interprets tokens (DecodeDateTime). dateOnly reads date
// input (time fields are then an error unless zero).
func decodeDateTime(toks []token, order int) (*dtResult, bool) {
	r := &dtResult{}
	var nums []string // numbers not yet assigned to date fields
	expectTime := false
	for idx := 0; idx < len(toks); idx++ {
		t := toks[idx]
		switch t.kind {
		case tkDate:
			if r.hasYear || r.hasMonth || r.hasDay {
				return nil, false
			}
			if !decodeDate(t.s, order, r) {
				return nil, false
			}
		case tkTime:
			if r.hasTime {
				return nil, false
			}
			if !decodeTime(t.s, r) {
				return nil, false
			}
		case tkTZ:
			if r.hasTZ {
				return nil, false
			}
			// "2024-01-02-08" style is covered by the date token; here an
			// offset after a time, or a bare date's "-02" continuation.
			secs, ok := parseOffsetField(t.s)
			if !ok {
				return nil, false
			}
			r.tzSecs, r.hasTZ = secs, true
		case tkNumber:
			if expectTime {
				// ISO "T" followed by hhmmss.
				if !decodeNumberTime(t.s, r) {
					return nil, false
				}
				expectTime = false
				continue
			}
			if strings.Contains(t.s, ".") && !r.hasTime && r.hasYear && r.hasMonth && r.hasDay {
				return nil, false
			}
			// YYYYMMDD or YYMMDD packed date, or hhmmss after a date.
			if !strings.Contains(t.s, ".") && !r.hasYear && !r.hasMonth && !r.hasDay && len(nums) == 0 && (len(t.s) == 8 || len(t.s) == 6) {
				if len(t.s) == 8 {
					r.year, _ = strconv.ParseInt(t.s[:4], 10, 64)
					r.yearDigits = 4
				} else {
					r.year, _ = strconv.ParseInt(t.s[:2], 10, 64)
					r.yearDigits = 2
				}
				r.month, _ = strconv.ParseInt(t.s[len(t.s)-4:len(t.s)-2], 10, 64)
				r.day, _ = strconv.ParseInt(t.s[len(t.s)-2:], 10, 64)
				r.hasYear, r.hasMonth, r.hasDay = true, true, true
				continue
			}
			if r.hasYear && r.hasMonth && r.hasDay && !r.hasTime && (len(t.s) == 6 || len(t.s) == 4) && !strings.Contains(t.s, ".") {
				if !decodeNumberTime(t.s, r) {
					return nil, false
				}
				continue
			}
			nums = append(nums, t.s)
		case tkZoneName:
			loc, err := LoadZone(t.s)
			if err != nil {
				return nil, false
			}
			r.zone = loc
		case tkString:
			s := t.s
			switch {
			case s == "t" && idx+1 < len(toks):
				expectTime = true
			case monthNames[s] != 0:
				if r.hasMonth {
					return nil, false
				}
				r.month, r.hasMonth = monthNames[s], true
			case dayNames[s]:
			case s == "am" || s == "a":
				r.ampm = 1
			case s == "pm" || s == "p":
				r.ampm = 2
			case s == "bc":
				r.bc = true
			case s == "ad":
			case s == "epoch" || s == "infinity" || s == "+infinity" || s == "-infinity" || s == "now" || s == "today" ||
				s == "tomorrow" || s == "yesterday":
				if r.special != "" {
					return nil, false
				}
				if s == "+infinity" {
					s = "infinity"
				}
				r.special = s
			case s == "allballs":
				r.hasTime = true
			case s == "on" || s == "at":
			default:
				if secs, ok := zoneAbbrevs[s]; ok {
					if r.hasTZ {
						return nil, false
					}
					r.tzSecs, r.hasTZ = secs, true
					continue
				}
				if loc, err := LoadZone(t.s); err == nil && len(s) > 2 {
					r.zone = loc
					continue
				}
				return nil, false
			}
		}
	}
	// Assign loose numbers to the date fields in DateStyle order.
	if len(nums) > 0 {
		if !assignNumbers(nums, order, r) {
			return nil, false
		}
	}
	return r, true
}

// assignNumbers gives numbers to year, month and day (DecodeNumber).
func assignNumbers(nums []string, order int, r *dtResult) bool {
	for _, n := range nums {
		if strings.Contains(n, ".") {
			return false
		}
		v, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return false
		}
		switch {
		case r.hasMonth && !r.hasDay && !r.hasYear && len(n) <= 2 && v <= 31 && order != OrderYMD:
			r.day, r.hasDay = v, true
		case r.hasMonth && !r.hasDay && r.hasYear:
			r.day, r.hasDay = v, true
		case r.hasMonth && r.hasDay && !r.hasYear:
			r.year, r.hasYear, r.yearDigits = v, true, len(n)
		case r.hasMonth && !r.hasDay && !r.hasYear:
			if len(n) > 2 || v > 31 {
				r.year, r.hasYear, r.yearDigits = v, true, len(n)
			} else {
				r.day, r.hasDay = v, true
			}
		case !r.hasMonth && !r.hasDay && !r.hasYear && len(n) >= 3:
			r.year, r.hasYear, r.yearDigits = v, true, len(n)
		default:
			return false
		}
	}
	return true
}

// decodeDate reads a date token (DecodeDate).
func decodeDate(s string, order int, r *dtResult) bool {
	delim := byte(0)
	for i := 0; i < len(s); i++ {
		if s[i] == '-' || s[i] == '/' || s[i] == '.' {
			delim = s[i]
			break
		}
	}
	parts := strings.Split(s, string(delim))
	var nums []string
	for _, p := range parts {
		if p == "" {
			return false
		}
		if isAlpha(p[0]) {
			m, ok := monthNames[p]
			if !ok {
				if p == "bc" {
					r.bc = true
					continue
				}
				if p == "ad" {
					continue
				}
				return false
			}
			if r.hasMonth {
				return false
			}
			r.month, r.hasMonth = m, true
			continue
		}
		for i := 0; i < len(p); i++ {
			if !isDigit(p[i]) {
				return false
			}
		}
		nums = append(nums, p)
	}
	if r.hasMonth {
		// One textual month: the others are day and year.
		if len(nums) != 2 {
			return false
		}
		a, b := nums[0], nums[1]
		av, _ := strconv.ParseInt(a, 10, 64)
		bv, _ := strconv.ParseInt(b, 10, 64)
		switch {
		case len(a) >= 3 || order == OrderYMD && len(b) <= 2:
			r.year, r.yearDigits, r.day = av, len(a), bv
		default:
			r.day, r.year, r.yearDigits = av, bv, len(b)
		}
		r.hasYear, r.hasDay = true, true
		return true
	}
	if len(nums) != 3 {
		return false
	}
	v := [3]int64{}
	for i, n := range nums {
		v[i], _ = strconv.ParseInt(n, 10, 64)
	}
	switch {
	case len(nums[0]) >= 3 || order == OrderYMD:
		r.year, r.month, r.day, r.yearDigits = v[0], v[1], v[2], len(nums[0])
	case order == OrderDMY:
		r.day, r.month, r.year, r.yearDigits = v[0], v[1], v[2], len(nums[2])
	default:
		r.month, r.day, r.year, r.yearDigits = v[0], v[1], v[2], len(nums[2])
	}
	r.hasYear, r.hasMonth, r.hasDay = true, true, true
	return true
}

// decodeTime reads hh:mm[:ss[.ffffff]] (DecodeTime).
func decodeTime(s string, r *dtResult) bool {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	h, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return false
	}
	m, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		// mm.ss form (hh:mm.ss) is rare: refuse
		return false
	}
	var us int64
	if len(parts) == 3 {
		var ok bool
		if us, ok = parseSeconds(parts[2]); !ok {
			return false
		}
	}
	if h < 0 || m < 0 || m > 59 || us < 0 || us > 60*USecsPerSec {
		return false
	}
	r.hour, r.min, r.usec, r.hasTime = h, m, us, true
	return true
}

// parseSeconds reads ss[.ffffff] into microseconds, rounding the
// fraction to microseconds as PostgreSQL does.
func parseSeconds(s string) (int64, bool) {
	ip, frac, _ := strings.Cut(s, ".")
	if ip == "" {
		ip = "0"
	}
	sec, err := strconv.ParseInt(ip, 10, 64)
	if err != nil {
		return 0, false
	}
	us := sec * USecsPerSec
	if frac != "" {
		for i := 0; i < len(frac); i++ {
			if !isDigit(frac[i]) {
				return 0, false
			}
		}
		f, err := strconv.ParseFloat("0."+frac, 64)
		if err != nil {
			return 0, false
		}
		us += int64(f*1e6 + 0.5)
	}
	return us, true
}

// decodeNumberTime reads hhmmss[.fff] or hhmm.
func decodeNumberTime(s string, r *dtResult) bool {
	ip, frac, hasFrac := strings.Cut(s, ".")
	var h, m int64
	var secs string
	switch len(ip) {
	case 6:
		h, _ = strconv.ParseInt(ip[:2], 10, 64)
		m, _ = strconv.ParseInt(ip[2:4], 10, 64)
		secs = ip[4:]
	case 4:
		h, _ = strconv.ParseInt(ip[:2], 10, 64)
		m, _ = strconv.ParseInt(ip[2:], 10, 64)
		secs = "0"
	case 2:
		h, _ = strconv.ParseInt(ip, 10, 64)
		secs = "0"
	default:
		return false
	}
	if hasFrac {
		secs += "." + frac
	}
	us, ok := parseSeconds(secs)
	if !ok {
		return false
	}
	r.hour, r.min, r.usec, r.hasTime = h, m, us, true
	return true
}

// parseOffsetField reads a numeric zone field (+05:30, -08, +0530, -8).
func parseOffsetField(s string) (int, bool) {
	if strings.Contains(s, ".") {
		return 0, false
	}
	if len(s) == 2 || len(s) == 3 && !strings.Contains(s, ":") {
		h, err := strconv.Atoi(s[1:])
		if err != nil {
			return 0, false
		}
		if s[0] == '-' {
			return -h * 3600, true
		}
		return h * 3600, true
	}
	return parseOffset(s)
}

// finish validates fields and applies BC, AM/PM and two-digit years.
func (r *dtResult) finish() bool {
	if r.hasYear {
		if r.yearDigits == 2 && !r.bc {
			// Two-digit years: 70-99 → 1970-1999, 00-69 → 2000-2069.
			if r.year < 70 {
				r.year += 2000
			} else {
				r.year += 1900
			}
		}
		if r.bc {
			if r.year <= 0 {
				return false
			}
			r.year = -(r.year - 1)
		} else if r.year == 0 {
			return false
		}
	}
	switch r.ampm {
	case 1:
		if r.hour > 12 || r.hour < 0 {
			return false
		}
		if r.hour == 12 {
			r.hour = 0
		}
	case 2:
		if r.hour > 12 || r.hour < 0 {
			return false
		}
		if r.hour != 12 {
			r.hour += 12
		}
	}
	if r.hasTime && (r.hour > 24 || r.hour == 24 && (r.min > 0 || r.usec > 0)) {
		return false
	}
	if r.hasMonth && (r.month < 1 || r.month > 12) {
		return false
	}
	if r.hasDay && r.hasMonth && r.hasYear && (r.day < 1 || r.day > DaysInMonth(r.year, r.month)) {
		return false
	}
	return true
}

// fieldOverflow tells a date/time field out of range (22008) apart from
// bad syntax (22007).
func (r *dtResult) fieldOverflow() bool {
	return r.hasMonth && (r.month < 1 || r.month > 12) || r.hasDay && (r.day < 1 || r.day > 31) ||
		r.hasTime && (r.hour > 24 || r.min > 59 || r.usec >= 61*USecsPerSec) ||
		r.hasDay && r.hasMonth && r.hasYear && r.month >= 1 && r.month <= 12 && r.day > DaysInMonth(r.year, r.month)
}

func datetimeError(typeName, s string, r *dtResult) error {
	if r != nil && r.fieldOverflow() {
		if r.hasDay && r.hasMonth && (r.month > 12 || r.day > 31) && r.month <= 31 {
			return errf("22008", "date/time field value out of range: %q", s).WithHint("Perhaps you need a different \"datestyle\" setting.")
		}
		return errf("22008", "date/time field value out of range: %q", s)
	}
	return errf("22007", "invalid input syntax for type %s: %q", typeName, s)
}

// Clock is what the special words now, today, … read.
type Clock func() time.Time

// ParseDate is date_in: days since 1970-01-01 (DateInfinity and
// DateNegInfinity for the infinities).
func ParseDate(s string, st Style, now Clock) (int64, error) {
	toks, ok := tokenize(strings.TrimSpace(s))
	if !ok || len(toks) == 0 {
		return 0, errf("22007", "invalid input syntax for type date: %q", s)
	}
	r, ok := decodeDateTime(toks, st.DateOrder)
	if !ok {
		return 0, datetimeError("date", s, nil)
	}
	switch r.special {
	case "infinity":
		return DateInfinity, nil
	case "-infinity":
		return DateNegInfinity, nil
	case "epoch":
		return 0, nil
	case "now", "today", "tomorrow", "yesterday":
		if now == nil {
			return 0, errf("0A000", "%q is not supported here", r.special)
		}
		t := now().In(st.Loc)
		d := DaysFromCivil(int64(t.Year()), int64(t.Month()), int64(t.Day()))
		switch r.special {
		case "tomorrow":
			d++
		case "yesterday":
			d--
		}
		return d, nil
	}
	if !r.hasYear || !r.hasMonth || !r.hasDay {
		return 0, datetimeError("date", s, r)
	}
	if !r.finish() {
		return 0, datetimeError("date", s, r)
	}
	d := DaysFromCivil(r.year, r.month, r.day)
	if d < minDateDays || d > maxDateDays {
		return 0, errf("22008", "date out of range: %q", s)
	}
	return d, nil
}

// ParseTimestamp is timestamp_in: microseconds since 1970-01-01 (zones
// in the input are ignored, as PostgreSQL does for timestamp).
func ParseTimestamp(s string, st Style, now Clock) (int64, error) {
	return parseTS(s, st, now, false)
}

// ParseTimestamptz is timestamptz_in: the instant, in microseconds
// since 1970-01-01 UTC; a time without a zone is in the session's zone.
func ParseTimestamptz(s string, st Style, now Clock) (int64, error) {
	return parseTS(s, st, now, true)
}

func parseTS(s string, st Style, now Clock, withZone bool) (int64, error) {
	typeName := "timestamp without time zone"
	if withZone {
		typeName = "timestamp with time zone"
	}
	toks, ok := tokenize(strings.TrimSpace(s))
	if !ok || len(toks) == 0 {
		return 0, errf("22007", "invalid input syntax for type %s: %q", typeName, s)
	}
	r, ok := decodeDateTime(toks, st.DateOrder)
	if !ok {
		return 0, datetimeError(typeName, s, nil)
	}
	loc := st.Loc
	switch r.special {
	case "infinity":
		return TSInfinity, nil
	case "-infinity":
		return TSNegInfinity, nil
	case "epoch":
		return 0, nil
	case "now":
		if now == nil {
			return 0, errf("0A000", "\"now\" is not supported here")
		}
		t := now()
		if !withZone {
			t = t.In(loc)
			return localMicros(t), nil
		}
		return t.UnixMicro(), nil
	case "today", "tomorrow", "yesterday":
		if now == nil {
			return 0, errf("0A000", "%q is not supported here", r.special)
		}
		t := now().In(loc)
		d := DaysFromCivil(int64(t.Year()), int64(t.Month()), int64(t.Day()))
		switch r.special {
		case "tomorrow":
			d++
		case "yesterday":
			d--
		}
		local := d * USecsPerDay
		if !withZone {
			return local, nil
		}
		return localToUTC(local, loc), nil
	}
	if !r.hasYear || !r.hasMonth || !r.hasDay {
		return 0, datetimeError(typeName, s, r)
	}
	if !r.finish() {
		return 0, datetimeError(typeName, s, r)
	}
	local := DaysFromCivil(r.year, r.month, r.day)*USecsPerDay + r.hour*USecsPerHour + r.min*USecsPerMin + r.usec
	if local < minTSUsecs || local > maxTSUsecs {
		return 0, errf("22008", "timestamp out of range: %q", s)
	}
	if !withZone {
		return local, nil
	}
	switch {
	case r.hasTZ:
		return local - int64(r.tzSecs)*USecsPerSec, nil
	case r.zone != nil:
		return localToUTC(local, r.zone), nil
	}
	return localToUTC(local, loc), nil
}

// localMicros is a time's wall clock as microseconds since the epoch.
func localMicros(t time.Time) int64 {
	_, off := t.Zone()
	return t.UnixMicro() + int64(off)*USecsPerSec
}

// localToUTC converts a wall-clock time in loc to an instant as
// PostgreSQL's DetermineTimeZoneOffset does: find the next offset change
// after a day before, and for a time that a change skips (spring
// forward) use the offset before it, for one it repeats (fall back) the
// offset after it.
func localToUTC(local int64, loc *time.Location) int64 {
	if loc == time.UTC {
		return local
	}
	secs, us := floorDivMod(local, USecsPerSec)
	prev := secs - 86400
	beforeOff := offsetAt(time.Unix(prev, 0), loc)
	horizon := prev + 3*86400
	afterOff := offsetAt(time.Unix(horizon, 0), loc)
	off := beforeOff
	if afterOff != beforeOff {
		// Find the boundary: the first second whose offset differs.
		lo, hi := prev, horizon
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if offsetAt(time.Unix(mid, 0), loc) == beforeOff {
				lo = mid
			} else {
				hi = mid
			}
		}
		boundary := hi
		afterOff = offsetAt(time.Unix(boundary, 0), loc)
		beforeTime := secs - int64(beforeOff)
		afterTime := secs - int64(afterOff)
		switch {
		case beforeTime < boundary && afterTime < boundary:
			off = beforeOff
		case beforeTime >= boundary && afterTime >= boundary:
			off = afterOff
		case beforeTime > afterTime:
			off = beforeOff
		default:
			off = afterOff
		}
	}
	return (secs-int64(off))*USecsPerSec + us
}

func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

// ParseTime is time_in: microseconds since midnight.
func ParseTime(s string) (int64, error) {
	toks, ok := tokenize(strings.TrimSpace(s))
	if !ok || len(toks) == 0 {
		return 0, errf("22007", "invalid input syntax for type time: %q", s)
	}
	r, ok := decodeDateTime(toks, OrderMDY)
	if !ok || r.special == "allballs" {
		if r != nil && r.hasTime {
			return 0, nil
		}
		return 0, datetimeError("time", s, nil)
	}
	if !r.hasTime {
		return 0, errf("22007", "invalid input syntax for type time: %q", s)
	}
	r.hasYear, r.hasMonth, r.hasDay = false, false, false
	if !r.finish() {
		return 0, datetimeError("time", s, r)
	}
	return r.hour*USecsPerHour + r.min*USecsPerMin + r.usec, nil
}

// TitleZone is a zone name as PostgreSQL prints it in messages.
func TitleZone(s string) string {
	return strings.Map(func(r rune) rune { return unicode.ToLower(r) }, s)
}
