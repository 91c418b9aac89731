package pgregex

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// Flags are PostgreSQL's regular expression options (the flags argument
// of regexp_replace and its family, and embedded (?…) options).
type Flags struct {
	// Global is g: every match, not the first (functions only).
	Global bool
	// ICase is i: case-insensitive.
	ICase bool
	// NLStop: . and negated brackets do not match a newline (n, p).
	NLStop bool
	// NLAnchor: ^ and $ match at newlines too (n, w).
	NLAnchor bool
	// Expanded is x: white space and # comments are ignored.
	Expanded bool
	// Quote is q: the whole pattern is a literal string.
	Quote bool
}

// ParseFlags reads a flags argument. Global is allowed only when
// global is true (regexp_replace, regexp_matches): fn names the
// function for the error otherwise.
func ParseFlags(s string) (Flags, error) {
	var f Flags
	for _, c := range s {
		if c == 'g' {
			f.Global = true
			continue
		}
		if err := f.set(c); err != nil {
			return f, pgerr.New(pgerr.InvalidParameterValue, "invalid regular expression option: \"%c\"", c)
		}
	}
	return f, nil
}

// set applies one option letter other than g.
func (f *Flags) set(c rune) error {
	switch c {
	case 'i':
		f.ICase = true
	case 'c':
		f.ICase = false
	case 'n', 'm':
		f.NLStop, f.NLAnchor = true, true
	case 's':
		f.NLStop, f.NLAnchor = false, false
	case 'p':
		f.NLStop, f.NLAnchor = true, false
	case 'w':
		f.NLStop, f.NLAnchor = false, true
	case 'x':
		f.Expanded = true
	case 't':
		f.Expanded = false
	case 'q':
		f.Quote = true
	case 'b', 'e':
		return pgerr.New(pgerr.FeatureNotSupported, "basic and extended regular expression syntaxes (option %q) are not supported by Hotdata's cache engine", string(c)).
			WithHint("Write the pattern as an advanced regular expression (the default), or SET hotdata.freshness = live.")
	default:
		return fmt.Errorf("unknown option %q", c)
	}
	return nil
}

// Translated is a pattern in Go/RE2 syntax.
type Translated struct {
	// Syntax is the pattern for Go's regexp or RE2.
	Syntax string
	// Groups counts the capturing groups.
	Groups int
	// NonGreedy is set when a quantifier is non-greedy: ARE then
	// chooses the match by rules RE2 does not have (boolean matching is
	// unaffected).
	NonGreedy bool
	// AmbiguousGroups is set when the pattern has capturing groups and
	// alternatives (|) or a repeated group: which text each group takes
	// is then chosen by ARE's rules, which Go's do not follow.
	AmbiguousGroups bool
}

func invalid(msg string) error {
	return pgerr.New("2201B", "invalid regular expression: %s", msg)
}

func refuse(what string) error {
	return pgerr.New(pgerr.FeatureNotSupported, "regular expressions with %s are not supported by Hotdata's cache engine", what).
		WithHint("Hotdata's cache engine runs only what it computes exactly as PostgreSQL does; for a PostgreSQL connection, SET hotdata.freshness = live sends the statement to the upstream.")
}

// Translate renders pattern, read with flags, in Go/RE2 syntax.
func Translate(pattern string, flags Flags) (Translated, error) {
	t, _, err := translate(pattern, flags, false)
	return t, err
}

// translate renders pattern; lineStart reports a newline-sensitive ^.
func translate(pattern string, flags Flags, notBOL bool) (Translated, bool, error) {
	p := &parser{src: []rune(pattern), f: flags, notBOL: notBOL}
	switch {
	case strings.HasPrefix(pattern, "***="):
		p.f.Quote, p.src = true, p.src[4:]
	case strings.HasPrefix(pattern, "***:"):
		p.src = p.src[4:]
	case strings.HasPrefix(pattern, "***"):
		return Translated{}, false, invalid("invalid argument to regex function")
	}
	if p.f.Quote {
		var b strings.Builder
		for _, c := range p.src {
			b.WriteString(p.literal(c))
		}
		return Translated{Syntax: b.String()}, false, nil
	}
	if err := p.embedded(); err != nil {
		return Translated{}, false, err
	}
	s, err := p.regex(0)
	if err != nil {
		return Translated{}, false, err
	}
	if p.pos < len(p.src) {
		// Only an unmatched ) stops the top level early.
		return Translated{}, false, invalid("parentheses () not balanced")
	}
	return Translated{Syntax: s, Groups: p.groups, NonGreedy: p.nonGreedy,
		AmbiguousGroups: p.groups > 0 && (p.alternation || p.repeatedGroup)}, p.lineStart, nil
}

type parser struct {
	src       []rune
	pos       int
	f         Flags
	groups    int
	nonGreedy bool
	// notBOL renders the pattern for a search that starts past the
	// beginning of the string: \A (and ^ when not newline-sensitive)
	// never match there.
	notBOL bool
	// lineStart is set when the pattern has a newline-sensitive ^.
	lineStart bool
	// alternation and repeatedGroup: a | and a quantified group.
	alternation, repeatedGroup bool
	// nest is the nesting of bounded repetitions of what was parsed last.
	nest int
}

// tooLarge refuses patterns whose size decides, in PostgreSQL, whether
// they run or fail as too complex.
var tooLarge = pgerr.New(pgerr.FeatureNotSupported, "regular expressions with nested bounded repetitions this large are not supported by Hotdata's cache engine").
	WithHint("Hotdata's cache engine runs only what it computes exactly as PostgreSQL does; for a PostgreSQL connection, SET hotdata.freshness = live sends the statement to the upstream.")

// never matches nothing.
const never = `[^\x{0}-\x{10ffff}]`

// embedded reads leading (?opts) groups.
func (p *parser) embedded() error {
	for p.pos+1 < len(p.src) && p.src[p.pos] == '(' && p.src[p.pos+1] == '?' {
		j := p.pos + 2
		if j < len(p.src) && !unicode.IsLetter(p.src[j]) {
			return nil // (?: (?= …: not options
		}
		for ; j < len(p.src) && p.src[j] != ')'; j++ {
			if err := p.f.set(p.src[j]); err != nil {
				if pgerr.Code(err) == pgerr.FeatureNotSupported {
					return err
				}
				return invalid("invalid embedded option")
			}
		}
		if j >= len(p.src) {
			return invalid("invalid embedded option")
		}
		p.pos = j + 1
	}
	return nil
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() rune { return p.src[p.pos] }

// skip passes white space and comments in expanded syntax.
func (p *parser) skip() {
	if !p.f.Expanded {
		return
	}
	for !p.eof() {
		c := p.peek()
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			p.pos++
		case c == '#':
			for !p.eof() && p.peek() != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

// regex reads branches separated by | up to a ) (depth > 0) or the end.
func (p *parser) regex(depth int) (string, error) {
	var branches []string
	nest := 0
	defer func() { p.nest = nest }()
	for {
		b, err := p.branch(depth)
		if err != nil {
			return "", err
		}
		nest = max(nest, p.nest)
		branches = append(branches, b)
		p.skip()
		if p.eof() || p.peek() != '|' {
			break
		}
		p.alternation = true
		p.pos++
	}
	return strings.Join(branches, "|"), nil
}

// branch reads pieces (an atom and its quantifier) up to | or ) or the end.
func (p *parser) branch(depth int) (string, error) {
	var b strings.Builder
	nest := 0 // the deepest nesting of bounded repetitions in this branch
	defer func() { p.nest = nest }()
	for {
		p.skip()
		if p.eof() {
			return b.String(), nil
		}
		c := p.peek()
		if c == '|' {
			return b.String(), nil
		}
		if c == ')' {
			if depth == 0 {
				return "", invalid("parentheses () not balanced")
			}
			return b.String(), nil
		}
		p.nest = 0
		atom, quantifiable, err := p.atom(depth)
		if err != nil {
			return "", err
		}
		atomNest := p.nest
		q, err := p.quantifier()
		if err != nil {
			return "", err
		}
		if q != "" {
			if !quantifiable {
				return "", invalid("quantifier operand invalid")
			}
			optional := q == "?" || q == "??" || q == "{0,1}" || q == "{0,1}?"
			if strings.HasPrefix(atom, "(") && !optional {
				// A group that may match several times: which of its
				// matches it reports follows ARE's rules. An optional
				// group (?) matches once or not at all.
				p.repeatedGroup = true
			}
			atom = "(?:" + atom + ")" + q
			if strings.HasPrefix(q, "{") {
				atomNest++
				if atomNest >= 3 {
					// PostgreSQL finds some of these too complex and
					// runs others; which, its NFA's size decides.
					return "", tooLarge
				}
			}
			p.skip()
			if !p.eof() && p.isQuantifier() {
				return "", invalid("quantifier operand invalid")
			}
		}
		b.WriteString(atom)
		nest = max(nest, atomNest)
	}
}

// isQuantifier reports whether a quantifier starts here.
func (p *parser) isQuantifier() bool {
	switch p.peek() {
	case '*', '+', '?':
		return true
	case '{':
		return p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9'
	}
	return false
}

// quantifier reads a quantifier after an atom, "" when there is none.
func (p *parser) quantifier() (string, error) {
	p.skip()
	if p.eof() || !p.isQuantifier() {
		return "", nil
	}
	var q string
	switch c := p.peek(); c {
	case '*', '+', '?':
		q = string(c)
		p.pos++
	case '{':
		j := p.pos + 1
		for j < len(p.src) && p.src[j] != '}' {
			j++
		}
		if j >= len(p.src) {
			return "", invalid("braces {} not balanced")
		}
		inner := string(p.src[p.pos+1 : j])
		if p.f.Expanded {
			inner = strings.Join(strings.Fields(inner), "")
		}
		lo, hi, comma := inner, "", false
		if i := strings.IndexByte(inner, ','); i >= 0 {
			lo, hi, comma = inner[:i], inner[i+1:], true
		}
		m, err := strconv.Atoi(lo)
		if err != nil || lo == "" {
			return "", invalid("braces {} not balanced")
		}
		n := -1
		if hi != "" {
			if n, err = strconv.Atoi(hi); err != nil {
				return "", invalid("braces {} not balanced")
			}
		}
		if m > 255 || n > 255 || n >= 0 && n < m {
			return "", invalid("invalid repetition count(s)")
		}
		switch {
		case !comma:
			q = fmt.Sprintf("{%d}", m)
		case n < 0:
			q = fmt.Sprintf("{%d,}", m)
		default:
			q = fmt.Sprintf("{%d,%d}", m, n)
		}
		p.pos = j + 1
	}
	if !p.eof() && p.peek() == '?' {
		p.pos++
		p.nonGreedy = true
		q += "?"
	}
	return q, nil
}

// atom reads one atom; quantifiable is false for constraints.
func (p *parser) atom(depth int) (string, bool, error) {
	c := p.peek()
	switch c {
	case '(':
		p.pos++
		capture := true
		if !p.eof() && p.peek() == '?' {
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == ':' {
				p.pos += 2
				capture = false
			} else if p.pos+1 < len(p.src) && (p.src[p.pos+1] == '=' || p.src[p.pos+1] == '!' ||
				p.src[p.pos+1] == '<' && p.pos+2 < len(p.src) && (p.src[p.pos+2] == '=' || p.src[p.pos+2] == '!')) {
				return "", false, refuse("lookahead or lookbehind constraints")
			} else {
				return "", false, invalid("quantifier operand invalid")
			}
		}
		if capture {
			p.groups++
		}
		inner, err := p.regex(depth + 1)
		if err != nil {
			return "", false, err
		}
		if p.eof() || p.peek() != ')' {
			return "", false, invalid("parentheses () not balanced")
		}
		p.pos++
		if capture {
			return "(" + inner + ")", true, nil
		}
		return "(?:" + inner + ")", true, nil
	case '.':
		p.pos++
		s := set{{0, unicode.MaxRune}}
		if p.f.NLStop {
			s = set{{0, '\n' - 1}, {'\n' + 1, unicode.MaxRune}}
		}
		return class(s), true, nil
	case '[':
		p.pos++
		s, err := p.bracket()
		if err != nil {
			return "", false, err
		}
		return class(s), true, nil
	case '\\':
		return p.escape()
	case '^':
		p.pos++
		if p.f.NLAnchor {
			p.lineStart = true
			return "(?m:^)", false, nil
		}
		return p.bol(), false, nil
	case '$':
		p.pos++
		if p.f.NLAnchor {
			return "(?m:$)", false, nil
		}
		return `\z`, false, nil
	case '*', '+', '?':
		return "", false, invalid("quantifier operand invalid")
	case '{':
		if p.isQuantifier() {
			return "", false, invalid("quantifier operand invalid")
		}
	}
	p.pos++
	return p.literal(c), true, nil
}

// bol is the beginning of the string.
func (p *parser) bol() string {
	if p.notBOL {
		return never
	}
	return `\A`
}

// literal matches the rune c (with its other cases when insensitive).
func (p *parser) literal(c rune) string {
	if p.f.ICase {
		if s := (set{{c, c}}).fold(); len(s) > 1 || s[0].lo != s[0].hi {
			return class(s)
		}
	}
	return quote(c)
}

func quote(c rune) string {
	if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ' ') {
		return string(c)
	}
	return fmt.Sprintf(`\x{%x}`, c)
}

// class renders a set as a bracket expression.
func class(s set) string {
	if len(s) == 0 {
		return never
	}
	if len(s) == 1 && s[0].lo == s[0].hi {
		return quote(s[0].lo)
	}
	var b strings.Builder
	b.WriteByte('[')
	for _, r := range s {
		b.WriteString(fmt.Sprintf(`\x{%x}`, r.lo))
		if r.hi != r.lo {
			b.WriteString(fmt.Sprintf(`-\x{%x}`, r.hi))
		}
	}
	b.WriteByte(']')
	return b.String()
}

// escape reads a \ sequence outside brackets.
func (p *parser) escape() (string, bool, error) {
	p.pos++
	if p.eof() {
		return "", false, invalid("invalid escape \\ sequence")
	}
	c := p.peek()
	switch c {
	case 'd', 's', 'w', 'D', 'S', 'W':
		p.pos++
		return class(p.shorthand(c)), true, nil
	case 'A':
		p.pos++
		return p.bol(), false, nil
	case 'Z':
		p.pos++
		return `\z`, false, nil
	case 'm', 'M', 'y', 'Y':
		return "", false, refuse(`the word constraint \` + string(c))
	}
	if c >= '1' && c <= '9' {
		return "", false, refuse("back references")
	}
	r, ok, err := p.charEscape()
	if err != nil {
		return "", false, err
	}
	if !ok {
		return "", false, invalid("invalid escape \\ sequence")
	}
	return p.literal(r), true, nil
}

// shorthand is the set of \d \s \w and their complements.
func (p *parser) shorthand(c rune) set {
	var s set
	switch unicode.ToLower(c) {
	case 'd':
		s = classes()["digit"]
	case 's':
		s = classes()["space"]
	case 'w':
		s = classes()["word"]
	}
	if unicode.IsUpper(c) {
		s = s.not()
		if p.f.NLStop {
			s = s.minus(set{{'\n', '\n'}})
		}
	}
	return s
}

// charEscape reads a character-entry escape after the \ (at p.pos): ok
// is false when it is not one.
func (p *parser) charEscape() (rune, bool, error) {
	c := p.peek()
	p.pos++
	switch c {
	case 'a':
		return 7, true, nil
	case 'b':
		return 8, true, nil
	case 'B':
		return '\\', true, nil
	case 'e':
		return 0x1b, true, nil
	case 'f':
		return '\f', true, nil
	case 'n':
		return '\n', true, nil
	case 'r':
		return '\r', true, nil
	case 't':
		return '\t', true, nil
	case 'v':
		return '\v', true, nil
	case 'c':
		if p.eof() {
			return 0, false, invalid("invalid escape \\ sequence")
		}
		r := p.peek()
		p.pos++
		return r & 0x1f, true, nil
	case 'u', 'U', 'x':
		n := map[rune]int{'u': 4, 'U': 8, 'x': 255}[c]
		j := p.pos
		for j < len(p.src) && j-p.pos < n && isHex(p.src[j]) {
			j++
		}
		if j == p.pos || c != 'x' && j-p.pos != n {
			return 0, false, invalid("invalid escape \\ sequence")
		}
		v, err := strconv.ParseUint(string(p.src[p.pos:j]), 16, 32)
		p.pos = j
		if err != nil || v > unicode.MaxRune {
			return 0, false, invalid("invalid escape \\ sequence")
		}
		return rune(v), true, nil
	case '0':
		j := p.pos
		for j < len(p.src) && j-p.pos < 2 && p.src[j] >= '0' && p.src[j] <= '7' {
			j++
		}
		v, _ := strconv.ParseUint("0"+string(p.src[p.pos:j]), 8, 32)
		p.pos = j
		return rune(v), true, nil
	}
	if c < 0x80 && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
		return 0, false, nil
	}
	return c, true, nil
}

func isHex(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// bracket reads a bracket expression after its [.
func (p *parser) bracket() (set, error) {
	var s set
	negate := false
	if !p.eof() && p.peek() == '^' {
		negate = true
		p.pos++
	}
	first := true
	for {
		if p.eof() {
			return nil, invalid("brackets [] not balanced")
		}
		c := p.peek()
		if c == ']' && !first {
			p.pos++
			break
		}
		first = false
		lo, cls, err := p.bracketItem()
		if err != nil {
			return nil, err
		}
		if cls != nil {
			if p.pos+1 < len(p.src) && p.peek() == '-' && p.src[p.pos+1] != ']' {
				return nil, invalid("invalid character range")
			}
			s = append(s, cls...)
			continue
		}
		hi := lo
		if p.pos+1 < len(p.src) && p.peek() == '-' && p.src[p.pos+1] != ']' {
			p.pos++
			h, cls, err := p.bracketItem()
			if err != nil {
				return nil, err
			}
			if cls != nil || h < lo {
				return nil, invalid("invalid character range")
			}
			hi = h
		}
		s = s.add(lo, hi)
	}
	s = s.norm()
	if p.f.ICase {
		s = s.fold()
	}
	if negate {
		s = s.not()
		if p.f.NLStop {
			s = s.minus(set{{'\n', '\n'}})
		}
	}
	return s, nil
}

// bracketItem reads one character (lo) or class (cls) of a bracket.
func (p *parser) bracketItem() (lo rune, cls set, err error) {
	c := p.peek()
	if c == '[' && p.pos+1 < len(p.src) && (p.src[p.pos+1] == ':' || p.src[p.pos+1] == '.' || p.src[p.pos+1] == '=') {
		kind := p.src[p.pos+1]
		end := strings.Index(string(p.src[p.pos+2:]), string(kind)+"]")
		if end < 0 {
			return 0, nil, invalid("brackets [] not balanced")
		}
		name := []rune(string(p.src[p.pos+2:])[:end])
		p.pos += 2 + len(name) + 2
		switch kind {
		case ':':
			n := string(name)
			if n == "<" || n == ">" {
				return 0, nil, refuse("the word constraint [[:" + n + ":]]")
			}
			if p.f.ICase && (n == "upper" || n == "lower") {
				n = "alpha"
			}
			s, ok := classes()[n]
			if !ok {
				return 0, nil, invalid("invalid character class")
			}
			return 0, s, nil
		default:
			if len(name) == 1 {
				return name[0], nil, nil
			}
			if c, ok := charNames[string(name)]; ok {
				return c, nil, nil
			}
			return 0, nil, invalid("invalid collating element")
		}
	}
	if c == '\\' {
		p.pos++
		if p.eof() {
			return 0, nil, invalid("invalid escape \\ sequence")
		}
		switch e := p.peek(); e {
		case 'd', 's', 'w', 'D', 'S', 'W':
			p.pos++
			return 0, p.shorthand(e), nil
		}
		r, ok, err := p.charEscape()
		if err != nil {
			return 0, nil, err
		}
		if !ok {
			return 0, nil, invalid("invalid escape \\ sequence")
		}
		return r, nil, nil
	}
	p.pos++
	return c, nil, nil
}
