package pgregex

import (
	"regexp"
	"strconv"
	"testing"
)

// BenchmarkReplace compares regexp_replace's Go path with Go's regexp
// on the translated pattern alone (the cost of PostgreSQL's match rules).
func BenchmarkReplace(b *testing.B) {
	re, err := Compile("7", Flags{Global: true}, true)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("pgregex", func(b *testing.B) {
		for i := range b.N {
			if _, err := re.Replace(strconv.Itoa(i), "x", 1, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	plain := regexp.MustCompile("7")
	b.Run("go", func(b *testing.B) {
		for i := range b.N {
			_ = plain.ReplaceAllString(strconv.Itoa(i), "x")
		}
	})
}

// BenchmarkMatch is a match against a class-heavy pattern.
func BenchmarkMatch(b *testing.B) {
	re, err := Compile(`^[[:alpha:]]+\d*$`, Flags{}, false)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		_ = re.MatchString("abcdef" + strconv.Itoa(i))
	}
}
