// Package pgregex reads PostgreSQL's regular expressions (Spencer's
// ARE, with PostgreSQL's flags) and SIMILAR TO patterns, and renders them
// in the syntax Go's regexp and DuckDB's RE2 share, with the meaning
// PostgreSQL gives them in a C.UTF-8 database:
//
//   - character classes ([[:alpha:]], \w, \s, …) are Unicode classes as
//     glibc's C.UTF-8 locale defines them, not RE2's ASCII ones;
//   - case-insensitive matching compares a character with its upper and
//     lower case forms (towupper/towlower), as PostgreSQL does;
//   - . and negated brackets match a newline unless the pattern is
//     newline-sensitive (flags n, p), ^ and $ anchor at newlines only
//     when it is (flags n, w);
//   - invalid patterns fail with PostgreSQL's SQLSTATE 2201B and message.
//
// What RE2 cannot do (back references, lookahead and lookbehind, the
// word constraints \m \M \y \Y, basic and extended syntaxes) is refused
// with 0A000, never approximated.
//
// Compile returns a matcher with PostgreSQL's match rules (leftmost,
// then longest, for patterns whose quantifiers are all greedy), used by
// the cache engine's regexp functions.
package pgregex
