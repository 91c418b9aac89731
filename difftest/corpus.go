package difftest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Area is one corpus file: the statements about one part of SQL.
type Area struct {
	Name   string // the file's base name without .sql
	File   string
	Blocks []Block
}

// Block is a run of statements sharing one session setup.
type Block struct {
	// Setup runs on every connection, after the baseline, before the
	// block's first statement.
	Setup   []string
	Entries []Entry
}

// Entry is one corpus statement.
type Entry struct {
	Area string
	Name string // "-- name:", else "L<line>"
	Line int    // of the statement's first line
	SQL  string // without the terminating semicolon
	// WantError is the SQLSTATE PostgreSQL must fail with ("-- error:");
	// empty when PostgreSQL must succeed.
	WantError string
	// ErrorUntil, when set, limits WantError to PostgreSQL versions
	// before this major version ("-- error: 42601 until 16"): later ones
	// must succeed.
	ErrorUntil int
	// Unordered forces a multiset comparison of a statement whose ORDER
	// BY leaves ties ("-- unordered").
	Unordered bool
	// Setup is the block's setup, for reports.
	Setup []string
}

// ID names the entry uniquely in the corpus.
func (e Entry) ID() string { return e.Area + "/" + e.Name }

var (
	nameRE  = regexp.MustCompile(`^[a-z0-9_]+$`)
	stateRE = regexp.MustCompile(`^([0-9A-Z]{5})(?: until ([0-9]{2}))?$`)
)

// LoadCorpus reads every *.sql file of dir, in name order.
func LoadCorpus(dir string) ([]Area, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var areas []Area
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		a, err := ParseArea(strings.TrimSuffix(filepath.Base(f), ".sql"), fh)
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		a.File = f
		areas = append(areas, a)
	}
	if len(areas) == 0 {
		return nil, fmt.Errorf("no corpus files in %s", dir)
	}
	return areas, nil
}

// ParseArea parses one corpus file (the format is in doc.go).
func ParseArea(name string, r io.Reader) (Area, error) {
	a := Area{Name: name, Blocks: []Block{{}}}
	var (
		stmt      []string
		stmtLine  int
		pendName  string
		pendError string
		pendUntil int
		pendUnord bool
		inSetup   bool // the previous line was a setup directive
		names     = map[string]int{}
	)
	cur := func() *Block { return &a.Blocks[len(a.Blocks)-1] }
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := sc.Text()
		trim := strings.TrimSpace(raw)
		if strings.HasPrefix(trim, "--") {
			d := strings.TrimSpace(strings.TrimPrefix(trim, "--"))
			key, val, isDirective := strings.Cut(d, ":")
			key = strings.TrimSpace(key)
			val = strings.TrimSpace(val)
			wasSetup := inSetup
			inSetup = false
			if !isDirective && d != "unordered" {
				continue // a plain comment
			}
			if len(stmt) > 0 && (d == "unordered" || key == "name" || key == "setup" || key == "error") {
				return a, fmt.Errorf("line %d: directive inside a statement (missing ';' at the end of line %d?)", line, line-1)
			}
			switch {
			case d == "unordered":
				pendUnord = true
			case key == "name":
				if !nameRE.MatchString(val) {
					return a, fmt.Errorf("line %d: name %q: use [a-z0-9_]", line, val)
				}
				if prev, dup := names[val]; dup {
					return a, fmt.Errorf("line %d: name %q already used on line %d", line, val, prev)
				}
				names[val] = line
				pendName = val
			case key == "error":
				m := stateRE.FindStringSubmatch(val)
				if m == nil {
					return a, fmt.Errorf("line %d: error %q is not a SQLSTATE (optionally followed by until <major version>)", line, val)
				}
				pendError, pendUntil = m[1], 0
				if m[2] != "" {
					pendUntil, _ = strconv.Atoi(m[2])
				}
			case key == "setup":
				if pendName != "" || pendError != "" || pendUnord {
					return a, fmt.Errorf("line %d: setup between a statement's directives and the statement", line)
				}
				if !wasSetup {
					if len(cur().Entries) == 0 && len(cur().Setup) == 0 {
						// an empty block: reuse it
					} else {
						a.Blocks = append(a.Blocks, Block{})
					}
				}
				inSetup = true
				if val != "reset" {
					cur().Setup = append(cur().Setup, val)
				}
			}
			continue
		}
		inSetup = false
		if trim == "" && len(stmt) == 0 {
			continue
		}
		if len(stmt) == 0 {
			stmtLine = line
		}
		stmt = append(stmt, strings.TrimRight(raw, " \t"))
		if strings.HasSuffix(trim, ";") {
			sql := strings.TrimSpace(strings.Join(stmt, "\n"))
			sql = strings.TrimSpace(strings.TrimSuffix(sql, ";"))
			if sql == "" {
				return a, fmt.Errorf("line %d: empty statement", line)
			}
			n := pendName
			if n == "" {
				n = fmt.Sprintf("L%d", stmtLine)
			}
			b := cur()
			b.Entries = append(b.Entries, Entry{
				Area: name, Name: n, Line: stmtLine, SQL: sql,
				WantError: pendError, ErrorUntil: pendUntil, Unordered: pendUnord, Setup: b.Setup,
			})
			stmt, pendName, pendError, pendUnord = nil, "", "", false
		}
	}
	if err := sc.Err(); err != nil {
		return a, err
	}
	if len(stmt) > 0 {
		return a, fmt.Errorf("line %d: statement without a terminating ';'", stmtLine)
	}
	if pendName != "" || pendError != "" || pendUnord {
		return a, fmt.Errorf("directives at the end of the file apply to no statement")
	}
	// Drop empty blocks (a setup with no statements after it).
	out := a.Blocks[:0]
	for _, b := range a.Blocks {
		if len(b.Entries) > 0 {
			out = append(out, b)
		}
	}
	a.Blocks = out
	return a, nil
}

// Entries lists every statement of the area in file order.
func (a Area) Entries() []Entry {
	var out []Entry
	for _, b := range a.Blocks {
		out = append(out, b.Entries...)
	}
	return out
}

// ExpectedError is the SQLSTATE PostgreSQL of the given major version
// must fail with, or "" when it must answer.
func (e Entry) ExpectedError(major int) string {
	if e.ErrorUntil != 0 && major >= e.ErrorUntil {
		return ""
	}
	return e.WantError
}
