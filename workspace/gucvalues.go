package workspace

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// How PostgreSQL checks and normalizes the values of its run-time
// parameters (src/backend/utils/misc/guc.c and the check hooks in
// src/backend/commands/variable.c), so that SET takes what PostgreSQL
// takes, SHOW prints what PostgreSQL prints, and a refused value gets
// PostgreSQL's SQLSTATE and message.

// checkFunc validates a value for the parameter written as name (the
// client's spelling, lower case: enum errors quote it as written) whose
// current value is cur, and returns the value as SHOW prints it.
type checkFunc func(name, value, cur string) (string, error)

// invalidValue is PostgreSQL's error for a value a check hook refused;
// it names the parameter by its canonical spelling ("DateStyle").
func invalidValue(canonical, value string) *pgerr.Error {
	return pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", canonical, value)
}

// enumOf accepts one of values, in any case; hidden values are accepted
// but not listed in the hint (as client_min_messages' "info"), and
// aliases map to the value SHOW prints.
func enumOf(values []string, aliases map[string]string) checkFunc {
	return func(name, v, _ string) (string, error) {
		low := strings.ToLower(strings.TrimSpace(v))
		for _, a := range values {
			if low == a {
				return a, nil
			}
		}
		if a, ok := aliases[low]; ok {
			return a, nil
		}
		return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v).
			WithHint("Available values: %s.", strings.Join(values, ", "))
	}
}

// checkBool takes PostgreSQL's spellings of a boolean (parse_bool: on,
// off, true, false, yes, no, 1, 0 and unique prefixes) and shows on/off.
func checkBool(name, v, _ string) (string, error) {
	if b, ok := parseBool(v); ok {
		if b {
			return "on", nil
		}
		return "off", nil
	}
	return "", pgerr.New(pgerr.InvalidParameterValue, "parameter \"%s\" requires a Boolean value", name)
}

func parseBool(v string) (bool, bool) {
	s := strings.ToLower(strings.TrimSpace(v))
	if s == "" {
		return false, false
	}
	switch {
	case strings.HasPrefix("true", s), strings.HasPrefix("yes", s), s == "on", s == "1":
		return true, true
	case strings.HasPrefix("false", s), strings.HasPrefix("no", s), s == "of" || s == "off", s == "0":
		return false, true
	}
	return false, false
}

// onlyOn is a boolean Hotdata cannot turn off, with the reason.
func onlyOn(why string) checkFunc {
	return func(name, v, cur string) (string, error) {
		out, err := checkBool(name, v, cur)
		if err == nil && out != "on" {
			return "", pgerr.New(pgerr.FeatureNotSupported, "%s = off is not supported: %s", name, why)
		}
		return out, err
	}
}

// intRange takes an integer in [lo, hi]; as PostgreSQL, a value with a
// fraction or an exponent is rounded ("2.5" is 3, "1e1" is 10).
func intRange(lo, hi int64) checkFunc {
	return func(name, v, _ string) (string, error) {
		s := strings.TrimSpace(v)
		n, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64)
			if ferr != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
			}
			n = int64(math.RoundToEven(f))
		}
		if n < lo || n > hi {
			return "", pgerr.New(pgerr.InvalidParameterValue, "%d is outside the valid range for parameter \"%s\" (%d .. %d)", n, name, lo, hi)
		}
		return strconv.FormatInt(n, 10), nil
	}
}

// checkMillis takes a time in milliseconds (a bare number) or with a
// unit (us, ms, s, min, h, d) and shows it in the largest unit that
// holds it exactly, as PostgreSQL does ("5000" shows as "5s").
func checkMillis(name, v, _ string) (string, error) {
	ms, ok := parseMillis(v)
	if !ok {
		return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v).
			WithHint(`Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".`)
	}
	if ms < 0 || ms > math.MaxInt32 {
		return "", pgerr.New(pgerr.InvalidParameterValue, "%d ms is outside the valid range for parameter \"%s\" (0 .. 2147483647)", ms, name)
	}
	return formatMillis(ms), nil
}

func parseMillis(v string) (int64, bool) {
	s := strings.TrimSpace(v)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == '-' || s[i] == '+' || s[i] == 'e' || s[i] == 'E') {
		i++
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, false
	}
	unit := map[string]float64{"": 1, "us": 0.001, "ms": 1, "s": 1000, "min": 60000, "h": 3600000, "d": 86400000}
	u, ok := unit[strings.TrimSpace(s[i:])]
	if !ok {
		return 0, false
	}
	return int64(math.RoundToEven(n * u)), true
}

func formatMillis(ms int64) string {
	if ms == 0 {
		return "0"
	}
	for _, u := range []struct {
		name string
		ms   int64
	}{{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}} {
		if ms%u.ms == 0 {
			return strconv.FormatInt(ms/u.ms, 10) + u.name
		}
	}
	return strconv.FormatInt(ms, 10) + "ms"
}

// checkEncoding takes every spelling PostgreSQL takes for UTF8: its
// encoding names are matched ignoring case and every character that is
// not a letter or digit (clean_encoding_name), so 'utf-8' (asyncpg
// sends it quoted), UTF_8, utf8 and unicode are all UTF8.
func checkEncoding(_, v, _ string) (string, error) {
	clean := strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToLower(r)
		}
		return -1
	}, v)
	switch clean {
	case "utf8", "unicode":
		return "UTF8", nil
	}
	return "", invalidValue("client_encoding", v).WithHint("Hotdata speaks UTF8 only: set client_encoding to UTF8.")
}

// DateStyle output formats and field orders (miscadmin.h).
const (
	DateStyleISO      = "ISO"
	DateStyleSQL      = "SQL"
	DateStylePostgres = "Postgres"
	DateStyleGerman   = "German"
	DateOrderYMD      = "YMD"
	DateOrderDMY      = "DMY"
	DateOrderMDY      = "MDY"
)

// defaultDateStyle is DateStyle's default, which DEFAULT in a list means.
const defaultDateStyle = "ISO, MDY"

// checkDateStyle is PostgreSQL's check_datestyle: a list of a format
// (ISO, SQL, Postgres, German) and an order (YMD, DMY/Euro, MDY/US/
// NonEuro), either of which may be left out to keep the current one;
// German alone also means DMY. SHOW prints "<format>, <order>".
func checkDateStyle(_, v, cur string) (string, error) {
	style, order := splitDateStyle(cur)
	haveStyle, haveOrder, ok := false, false, true
	setStyle := func(s string) {
		if haveStyle && style != s {
			ok = false
		}
		style, haveStyle = s, true
	}
	setOrder := func(o string) {
		if haveOrder && order != o {
			ok = false
		}
		order, haveOrder = o, true
	}
	toks, listOK := splitList(v)
	if !listOK {
		return "", invalidValue("DateStyle", v).WithDetail("List syntax is invalid.")
	}
	for _, tok := range toks {
		low := strings.ToLower(tok)
		switch {
		case low == "iso":
			setStyle(DateStyleISO)
		case low == "sql":
			setStyle(DateStyleSQL)
		case strings.HasPrefix(low, "postgres"):
			setStyle(DateStylePostgres)
		case low == "german":
			setStyle(DateStyleGerman)
			if !haveOrder {
				order = DateOrderDMY
			}
		case low == "ymd":
			setOrder(DateOrderYMD)
		case low == "dmy" || strings.HasPrefix(low, "euro"):
			setOrder(DateOrderDMY)
		case low == "mdy" || low == "us" || strings.HasPrefix(low, "noneuro"):
			setOrder(DateOrderMDY)
		case low == "default":
			ds, do := splitDateStyle(defaultDateStyle)
			if !haveStyle {
				style = ds
			}
			if !haveOrder {
				order = do
			}
		default:
			return "", invalidValue("DateStyle", v).WithDetail("Unrecognized key word: \"%s\".", tok)
		}
	}
	if !ok {
		return "", invalidValue("DateStyle", v).WithDetail(`Conflicting "datestyle" specifications.`)
	}
	return style + ", " + order, nil
}

func splitDateStyle(v string) (style, order string) {
	style, order, _ = strings.Cut(v, ", ")
	return style, order
}

// splitList splits a GUC list as SplitIdentifierString does: items
// separated by commas (and blanks), double quotes keep an item as
// written.
func splitList(v string) ([]string, bool) {
	var out []string
	s := strings.TrimSpace(v)
	for s != "" {
		var item string
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return nil, false
			}
			item, s = s[1:1+end], strings.TrimSpace(s[2+end:])
		} else {
			end := strings.IndexAny(s, ", \t")
			if end < 0 {
				end = len(s)
			}
			item, s = s[:end], strings.TrimSpace(s[end:])
		}
		if item == "" {
			return nil, false
		}
		out = append(out, item)
		if strings.HasPrefix(s, ",") {
			s = strings.TrimSpace(s[1:])
			if s == "" {
				return nil, false
			}
		}
	}
	return out, true
}

// checkTimeZone is PostgreSQL's check_timezone, for the forms clients
// send: a time zone name of the tz database, in any case (shown in the
// database's own case: "europe/paris" is "Europe/Paris"); a number of
// hours east of UTC (SET TIME ZONE -7, or INTERVAL '-07:00' HOUR TO
// MINUTE, which the planner turns into hours), shown as the POSIX zone
// "<-07>+07"; and a POSIX zone of a fixed offset ("UTC+3", "<+05>-05",
// pgjdbc's "GMT-05:30"), shown as written. Zones with daylight-saving
// rules are the tz database's (EST5EDT, PST8PDT).
func checkTimeZone(_, v, _ string) (string, error) {
	s := strings.TrimSpace(v)
	if hours, err := strconv.ParseFloat(s, 64); err == nil {
		if math.Abs(hours) >= 15*24 || math.IsNaN(hours) {
			return "", invalidValue("TimeZone", v)
		}
		return posixOffsetName(int64(math.Round(hours * 3600))), nil
	}
	if name, ok := tzDatabaseName(s); ok {
		return name, nil
	}
	if _, ok := parsePOSIXZone(s); ok {
		return s, nil
	}
	return "", invalidValue("TimeZone", v)
}

// posixOffsetName writes an offset east of UTC as PostgreSQL names it
// ("<+05:30>-05:30": POSIX offsets count west).
func posixOffsetName(eastSeconds int64) string {
	abbrev := offsetText(eastSeconds)
	return "<" + abbrev + ">" + offsetText(-eastSeconds)
}

// offsetText is "+05", "-07:30" or "+01:02:03".
func offsetText(sec int64) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	h, m, s := sec/3600, sec/60%60, sec%60
	out := fmt.Sprintf("%s%02d", sign, h)
	if m != 0 || s != 0 {
		out += fmt.Sprintf(":%02d", m)
	}
	if s != 0 {
		out += fmt.Sprintf(":%02d", s)
	}
	return out
}

// tzDatabaseName finds a zone of the tz database, ignoring case as
// PostgreSQL does, and returns its name as the database spells it.
func tzDatabaseName(s string) (string, bool) {
	if s == "" || strings.Contains(s, "..") || strings.HasPrefix(s, "/") {
		return "", false
	}
	if strings.EqualFold(s, "UTC") {
		return "UTC", true
	}
	if strings.EqualFold(s, "localtime") {
		return "", false
	}
	if _, err := time.LoadLocation(s); err == nil && s != "Local" {
		return s, true
	}
	// Case-insensitive: walk the zone folder component by component.
	dir := zoneinfoDir()
	if dir == "" {
		return "", false
	}
	var parts []string
	for _, comp := range strings.Split(s, "/") {
		entries, err := os.ReadDir(filepath.Join(append([]string{dir}, parts...)...))
		if err != nil {
			return "", false
		}
		found := ""
		for _, e := range entries {
			if strings.EqualFold(e.Name(), comp) {
				found = e.Name()
				break
			}
		}
		if found == "" {
			return "", false
		}
		parts = append(parts, found)
	}
	name := strings.Join(parts, "/")
	if _, err := time.LoadLocation(name); err != nil {
		return "", false
	}
	return name, true
}

func zoneinfoDir() string {
	for _, d := range []string{os.Getenv("ZONEINFO"), "/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ"} {
		if d == "" {
			continue
		}
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	return ""
}

// parsePOSIXZone reads a POSIX zone without daylight-saving rules:
// a name (three or more letters, or anything in <>) and an offset
// [+-]hh[:mm[:ss]] west of UTC. It returns the offset east of UTC.
func parsePOSIXZone(s string) (int64, bool) {
	var rest string
	switch {
	case strings.HasPrefix(s, "<"):
		end := strings.IndexByte(s, '>')
		if end < 2 {
			return 0, false
		}
		rest = s[end+1:]
	default:
		i := 0
		for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
			i++
		}
		if i < 3 && i != 0 {
			return 0, false
		}
		rest = s[i:]
	}
	sign := int64(1)
	switch {
	case strings.HasPrefix(rest, "-"):
		sign, rest = -1, rest[1:]
	case strings.HasPrefix(rest, "+"):
		rest = rest[1:]
	}
	parts := strings.Split(rest, ":")
	if rest == "" || len(parts) > 3 {
		return 0, false
	}
	var sec int64
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 || (i == 0 && n > 167) || (i > 0 && (n > 59 || len(p) != 2)) {
			return 0, false
		}
		sec += n * []int64{3600, 60, 1}[i]
	}
	return -sign * sec, true
}

// zoneLocation is the Go location of a TimeZone value checkTimeZone
// accepted.
func zoneLocation(v string) *time.Location {
	if v == "UTC" || v == "" {
		return time.UTC
	}
	if loc, err := time.LoadLocation(v); err == nil {
		return loc
	}
	if east, ok := parsePOSIXZone(v); ok {
		return time.FixedZone(v, int(east))
	}
	return time.UTC
}

// cLocale takes the locales that format money, numbers and dates as
// Hotdata does (the C locale's conventions; en_US's are the same for
// what these settings change: "$", ",", ".", English month names). Any
// other would change output Hotdata does not reproduce.
func cLocale(name, v, _ string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(v), "-", "")) {
	case "", "c", "posix", "c.utf8", "en_us", "en_us.utf8":
		return v, nil
	}
	return "", pgerr.New(pgerr.FeatureNotSupported, "%s = '%s' is not supported: Hotdata formats money, numbers and dates in the C locale", name, v).
		WithHint("Use C or en_US.UTF-8.")
}
