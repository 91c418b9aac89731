package planner

import (
	"sort"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// maxSuggestDistance bounds how far (in edits) a name may be from a
// table's to be suggested for it.
const maxSuggestDistance = 2

// nearNames returns the qualified names of the tables whose name is
// within a few edits of the one written (a typo: shop.ordres for
// shop.public.orders), closest first; none when nothing is close.
func nearNames(rv *pg.RangeVar, cat *Catalog) []string {
	written := strings.ToLower(displayName(rv))
	type cand struct {
		name string
		dist int
	}
	var found []cand
	for i := range cat.objects {
		o := &cat.objects[i]
		best := -1
		// The object as the name was written: as many parts.
		forms := []string{o.Name}
		switch {
		case rv.Catalogname != "":
			forms = []string{o.Catalog + "." + o.Schema + "." + o.Name}
		case rv.Schemaname != "":
			forms = []string{o.Schema + "." + o.Name, o.Catalog + "." + o.Name, o.Catalog + "." + o.Schema + "." + o.Name}
		}
		for _, f := range forms {
			if d := editDistance(written, strings.ToLower(f)); best < 0 || d < best {
				best = d
			}
		}
		if best <= maxSuggestDistance && best*3 <= len(written) {
			found = append(found, cand{o.QualifiedName(), best})
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].dist != found[j].dist {
			return found[i].dist < found[j].dist
		}
		return found[i].name < found[j].name
	})
	var out []string
	for _, c := range found {
		if c.dist > found[0].dist || len(out) == 3 {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours each count
// one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
