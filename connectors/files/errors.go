package files

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// FileError is a failure to read one configured file. Its text names the
// file by its configured path and never by its place on the host, so it
// can be shown to users as it is; Err, the cause, is for logs.
type FileError struct {
	Path    string // as configured, relative to the root
	Line    int    // 1-based line of the offending row; 0 when unknown
	Problem string
	Err     error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s line %d: %s", e.Path, e.Line, e.Problem)
	}
	return e.Path + ": " + e.Problem
}

func (e *FileError) Unwrap() error { return e.Err }

var (
	// DuckDB's CSV reader: "CSV Error on Line: 5", then the original
	// line, then what is wrong with it.
	csvLine      = regexp.MustCompile(`CSV Error on Line: (\d+)`)
	convertError = regexp.MustCompile(`Error when converting column "(.*)"\. Could not convert string "(.*)" to '(.*)'`)
	columnsError = regexp.MustCompile(`Expected Number of Columns: (\d+) Found: (\d+)`)
	// DuckDB's JSON reader: `Malformed JSON in file "x", at byte 8 in
	// line 4: unexpected character`, or "in record/value 3".
	jsonError = regexp.MustCompile(`^(.*) in file ".*", (?:at byte (\d+) )?in (line|record/value) (\d+): (.*)$`)
)

// readError turns an error met reading file f (at real path abs under
// root) into a *FileError with the line and the problem spelled out.
func readError(f File, root, abs string, err error) error {
	msg := err.Error()
	if pe := pgerr.As(err); pe != nil {
		// The engine keeps DuckDB's whole message as the cause; its
		// Message is only the first line.
		msg = pe.Message
		if pe.Err != nil {
			msg = pe.Err.Error()
		}
	}
	fe := &FileError{Path: f.Path, Err: err}
	if line, p, ok := jsonProblem(msg); ok {
		fe.Line, fe.Problem = line, p
	} else {
		if m := csvLine.FindStringSubmatch(msg); m != nil {
			fe.Line, _ = strconv.Atoi(m[1])
		}
		fe.Problem = problem(msg)
	}
	fe.Problem = hidePaths(fe.Problem, f.Path, root, abs)
	return fe
}

// jsonProblem reads an error of DuckDB's JSON reader, which names the
// file (dropped: FileError does) and the line or value at fault.
func jsonProblem(msg string) (line int, problem string, ok bool) {
	first, _, _ := strings.Cut(msg, "\n")
	m := jsonError.FindStringSubmatch(first)
	if m == nil {
		return 0, "", false
	}
	problem = lowerFirst(m[1])
	if m[2] != "" {
		problem += " at byte " + m[2]
	}
	n, _ := strconv.Atoi(m[4])
	if m[3] == "line" {
		// DuckDB 1.5 numbers NDJSON lines one too high (TestJSONErrors
		// pins this).
		line = max(n-1, 1)
	} else {
		problem += " in value " + m[4]
	}
	return line, problem + ": " + strings.TrimSuffix(strings.TrimSpace(m[5]), "."), true
}

// problem extracts what is wrong from a DuckDB error message.
func problem(msg string) string {
	if m := convertError.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("could not convert \"%s\" to %s in column %s", m[2], planType(m[3]).pgName, m[1])
	}
	if m := columnsError.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("expected %s columns, found %s", m[1], m[2])
	}
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || csvLine.MatchString(l) || strings.HasPrefix(l, "Original Line:") {
			continue
		}
		return lowerFirst(strings.TrimSuffix(l, "."))
	}
	return "could not read the file"
}

// hidePaths replaces the file's host paths with its configured path, and
// any other path under root with its relative form.
func hidePaths(s, rel, root, abs string) string {
	if abs != "" {
		s = strings.ReplaceAll(s, abs, rel)
	}
	s = strings.ReplaceAll(s, root+"/"+rel, rel)
	return strings.ReplaceAll(s, root+"/", "")
}

// lowerFirst lowercases a message's first letter unless it starts an
// acronym ("JSON").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
