package pgval

import (
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Time zones as PostgreSQL finds them (pg_tzset): a zone of the tz
// database, its name matched without regard to case, or else a POSIX
// time zone specification ("EST5EDT", "UTC+3", "<+0545>-5:45"), where a
// positive offset is west of Greenwich.

type fixedAbbrev struct {
	off int // seconds east of UTC
	dst bool
}

// dynamicAbbrevZones lists the zones of the dynamic abbreviations; a
// dynamic abbreviation's token value indexes it.
var (
	dynamicAbbrevZones []string
	dynamicAbbrevIndex map[string]int
)

func init() {
	names := make([]string, 0, len(dynamicAbbrevs))
	for k := range dynamicAbbrevs {
		names = append(names, k)
	}
	sort.Strings(names)
	dynamicAbbrevIndex = make(map[string]int, len(names))
	for i, k := range names {
		dynamicAbbrevZones = append(dynamicAbbrevZones, dynamicAbbrevs[k])
		dynamicAbbrevIndex[k] = i
	}
}

// zoneAbbrev is DecodeTimezoneAbbrev on a lowercase token: a fixed
// (TZ, DTZ) or dynamic (DYNTZ) abbreviation of the Default set.
func zoneAbbrev(low string) (datetkn, bool) {
	if len(low) > tokMaxLen {
		low = low[:tokMaxLen]
	}
	if a, ok := fixedAbbrevs[low]; ok {
		if a.dst {
			return datetkn{tkDTZ, a.off}, true
		}
		return datetkn{tkTZ, a.off}, true
	}
	if i, ok := dynamicAbbrevIndex[low]; ok {
		return datetkn{tkDynTZ, i}, true
	}
	return datetkn{}, false
}

// zoneDirs are where the tz database may be.
var zoneDirs = []string{"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"}

var (
	zoneIndexOnce sync.Once
	zoneIndex     map[string]string // lowercase name -> name
)

// zoneFileName finds a tz database name ignoring case, as
// pg_open_tzfile does (directory entries starting with '.' never match).
func zoneFileName(name string) (string, bool) {
	zoneIndexOnce.Do(func() {
		dirs := zoneDirs
		if z := os.Getenv("ZONEINFO"); z != "" {
			dirs = append([]string{z}, dirs...)
		}
		for _, dir := range dirs {
			st, err := os.Stat(dir)
			if err != nil || !st.IsDir() {
				continue
			}
			idx := map[string]string{}
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return nil
				}
				if p == dir {
					return nil
				}
				if strings.HasPrefix(d.Name(), ".") {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if d.IsDir() {
					return nil
				}
				rel, err := filepath.Rel(dir, p)
				if err != nil {
					return nil
				}
				rel = filepath.ToSlash(rel)
				if _, dup := idx[strings.ToLower(rel)]; !dup {
					idx[strings.ToLower(rel)] = rel
				}
				return nil
			})
			zoneIndex = idx
			return
		}
	})
	if zoneIndex == nil {
		return "", false
	}
	n, ok := zoneIndex[strings.ToLower(name)]
	return n, ok
}

// tzStrLenMax is TZ_STRLEN_MAX.
const tzStrLenMax = 255

// pgTZSet is pg_tzset: a zone file, else a POSIX specification.
func pgTZSet(name string) (*time.Location, bool) {
	if len(name) > tzStrLenMax || name == "" {
		return nil, false
	}
	upper := strings.ToUpper(name)
	if upper == "GMT" {
		return time.FixedZone("GMT", 0), true
	}
	file := name
	if strings.HasPrefix(file, ":") {
		file = file[1:]
	}
	if n, ok := zoneFileName(file); ok {
		if loc, err := time.LoadLocation(n); err == nil {
			return loc, true
		}
	} else if zoneIndex == nil && !strings.Contains(file, "..") {
		// No tz database on disk: Go's own lookup (embedded data), by
		// the name and by its usual capitalization.
		if loc, err := time.LoadLocation(file); err == nil && file != "Local" && file != "" {
			return loc, true
		}
		if loc, err := time.LoadLocation(caseFoldZone(file)); err == nil {
			return loc, true
		}
	}
	if upper[0] == ':' {
		return nil, false
	}
	return posixZone(upper)
}

// posixZone is tzparse (not lastditch): std offset [dst [offset] [,rule]].
func posixZone(spec string) (*time.Location, bool) {
	s := spec
	readName := func() (string, bool) {
		if strings.HasPrefix(s, "<") {
			j := strings.IndexByte(s, '>')
			if j < 0 {
				return "", false
			}
			n := s[1:j]
			s = s[j+1:]
			return n, true
		}
		j := 0
		for j < len(s) && !cIsDigit(s[j]) && s[j] != ',' && s[j] != '-' && s[j] != '+' {
			j++
		}
		n := s[:j]
		s = s[j:]
		return n, true
	}
	std, ok := readName()
	if !ok || s == "" {
		return nil, false
	}
	stdOff, rest, ok := posixOffset(s)
	if !ok {
		return nil, false
	}
	s = rest
	if s == "" {
		// Standard time only.
		return tzifLocation(spec, "<"+std+">"+posixOffsetString(stdOff)), true
	}
	dst, ok := readName()
	if !ok || dst == "" {
		return nil, false
	}
	dstOff := stdOff - 3600
	if s != "" && s[0] != ',' && s[0] != ';' {
		dstOff, rest, ok = posixOffset(s)
		if !ok {
			return nil, false
		}
		s = rest
	}
	if s == "" {
		s = ",M3.2.0,M11.1.0"
	}
	if s[0] != ',' && s[0] != ';' {
		return nil, false
	}
	r1, rest, ok := posixRule(s[1:])
	if !ok || rest == "" || rest[0] != ',' {
		return nil, false
	}
	r2, rest, ok := posixRule(rest[1:])
	if !ok || rest != "" {
		return nil, false
	}
	tz := "<" + std + ">" + posixOffsetString(stdOff) + "<" + dst + ">" + posixOffsetString(dstOff) + "," + r1 + "," + r2
	return tzifLocation(spec, tz), true
}

// posixOffset reads [+-]hh[:mm[:ss]] (hours to 167): seconds west.
func posixOffset(s string) (int, string, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	secs, rest, ok := posixSecs(s)
	if !ok {
		return 0, "", false
	}
	if neg {
		secs = -secs
	}
	return secs, rest, true
}

func posixNum(s string, min, max int) (int, string, bool) {
	j := 0
	n := 0
	for j < len(s) && cIsDigit(s[j]) {
		n = n*10 + int(s[j]-'0')
		if n > max {
			return 0, "", false
		}
		j++
	}
	if j == 0 || n < min {
		return 0, "", false
	}
	return n, s[j:], true
}

func posixSecs(s string) (int, string, bool) {
	h, s, ok := posixNum(s, 0, 24*7-1)
	if !ok {
		return 0, "", false
	}
	secs := h * 3600
	if s != "" && s[0] == ':' {
		var m int
		m, s, ok = posixNum(s[1:], 0, 59)
		if !ok {
			return 0, "", false
		}
		secs += m * 60
		if s != "" && s[0] == ':' {
			var sec int
			sec, s, ok = posixNum(s[1:], 0, 60)
			if !ok {
				return 0, "", false
			}
			secs += sec
		}
	}
	return secs, s, true
}

// posixRule reads a transition rule (Jn, n, Mm.w.d, then /time) and
// returns it in the form Go's reader takes.
func posixRule(s string) (string, string, bool) {
	var r string
	var ok bool
	switch {
	case s != "" && s[0] == 'J':
		var n int
		n, s, ok = posixNum(s[1:], 1, 365)
		if !ok {
			return "", "", false
		}
		r = "J" + strconv.Itoa(n)
	case s != "" && s[0] == 'M':
		var m, w, d int
		m, s, ok = posixNum(s[1:], 1, 12)
		if !ok || s == "" || s[0] != '.' {
			return "", "", false
		}
		w, s, ok = posixNum(s[1:], 1, 5)
		if !ok || s == "" || s[0] != '.' {
			return "", "", false
		}
		d, s, ok = posixNum(s[1:], 0, 6)
		if !ok {
			return "", "", false
		}
		r = "M" + strconv.Itoa(m) + "." + strconv.Itoa(w) + "." + strconv.Itoa(d)
	case s != "" && cIsDigit(s[0]):
		var n int
		n, s, ok = posixNum(s, 0, 365)
		if !ok {
			return "", "", false
		}
		r = strconv.Itoa(n)
	default:
		return "", "", false
	}
	if s != "" && s[0] == '/' {
		var t int
		t, s, ok = posixOffset(s[1:])
		if !ok {
			return "", "", false
		}
		r += "/" + posixOffsetString(t)
	}
	return r, s, true
}

// posixOffsetString writes seconds west as a POSIX offset.
func posixOffsetString(west int) string {
	var b []byte
	if west < 0 {
		b = append(b, '-')
		west = -west
	}
	b = strconv.AppendInt(b, int64(west/3600), 10)
	b = append(b, ':')
	b = appendPad(b, int64(west/60%60), 2)
	b = append(b, ':')
	b = appendPad(b, int64(west%60), 2)
	return string(b)
}

// tzifLocation builds a Location from a POSIX TZ string alone: a TZif
// file with no transitions and the string as its footer.
func tzifLocation(name, tz string) *time.Location {
	// The one local time type: the standard offset of the footer (Go
	// uses the footer for every instant).
	var body []byte
	header := func(typecnt, charcnt int) []byte {
		h := []byte("TZif2")
		h = append(h, make([]byte, 15)...)
		for _, n := range []int{0, 0, 0, 0, typecnt, charcnt} {
			h = binary.BigEndian.AppendUint32(h, uint32(n))
		}
		return h
	}
	block := func() []byte {
		var b []byte
		b = binary.BigEndian.AppendUint32(b, 0) // utoff
		b = append(b, 0, 0)                     // isdst, desigidx
		b = append(b, 'X', 0)
		return b
	}
	body = append(body, header(1, 2)...)
	body = append(body, block()...)
	body = append(body, header(1, 2)...)
	body = append(body, block()...)
	body = append(body, '\n')
	body = append(body, tz...)
	body = append(body, '\n')
	loc, err := time.LoadLocationFromTZData(name, body)
	if err != nil {
		return time.FixedZone(name, 0)
	}
	return loc
}
