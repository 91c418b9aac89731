package difftest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// runSelfCheck checks the corpus itself: every statement runs against
// the fixture and against a second copy whose tables hold their rows in
// reverse physical order, planned without hash aggregation or hash joins.
// Any difference means a statement whose answer depends on the plan (an
// ORDER BY that leaves ties, a float sum whose order matters, a LIMIT
// without ORDER BY), which a comparison with Hotdata could not judge.
func runSelfCheck(t *testing.T, areas []Area, pg Target, fixture string, tables []string) {
	other := testenv.Postgres(t)
	execScript(t, other, fixture)
	var rev strings.Builder
	rev.WriteString("SET session_replication_role = replica;\n")
	for i, tb := range tables {
		fmt.Fprintf(&rev, "CREATE TEMP TABLE rev%d AS SELECT * FROM %s;\nDELETE FROM %s;\nINSERT INTO %s SELECT * FROM rev%d ORDER BY ctid DESC;\n", i, tb, tb, tb, i)
	}
	execScript(t, other, rev.String())
	execScript(t, other, "VACUUM ANALYZE") // not in the script's implicit transaction
	perturbed := Target{Name: "postgres (reversed)", Connect: dial(other),
		Session: []string{"SET default_transaction_read_only = on", "SET enable_hashagg = off", "SET enable_hashjoin = off"}}
	runners := map[string]*Runner{"postgres": {T: pg, Binary: true}, "reversed": {T: perturbed, Binary: true}}
	defer func() {
		for _, r := range runners {
			r.Close()
		}
	}()
	_, major := serverVersion(t, other)
	total := 0
	for _, a := range areas {
		t.Run(a.Name, func(t *testing.T) {
			answers := runAll(t, context.Background(), a, runners)
			if answers == nil {
				return
			}
			for i, e := range a.Entries() {
				total++
				pgA := answers["postgres"][i]
				checkIntent(t, e, pgA, major)
				ordered := !e.Unordered && Ordered(e.SQL)
				rr := Judge(userTypesAlike(pgA), userTypesAlike(answers["reversed"][i]), ordered, true)
				if rr.Class != Identical {
					t.Errorf("%s:%d %s: depends on the plan or the physical order [%s] %s\n\tstatement: %s", a.Name, e.Line, e.Name, rr.Pass, rr.Detail, oneLine(e.SQL))
				}
			}
		})
	}
	t.Logf("self-check: %d statements", total)
}

// userTypesAlike forgets the OIDs of types the fixture creates (enums),
// which differ between the two databases.
func userTypesAlike(a Answer) Answer {
	for _, o := range []*Outcome{&a.Text, &a.Binary} {
		cols := append([]Column(nil), o.Columns...)
		var user []int
		for i := range cols {
			if cols[i].TypeOID >= firstNormalObjectID {
				cols[i].TypeOID = 0
				user = append(user, i)
			}
		}
		o.Columns = cols
		if o == &a.Binary && len(user) > 0 {
			// Binary arrays of user types carry the element type's OID.
			rows := make([][][]byte, len(o.Rows))
			for r, row := range o.Rows {
				row = append([][]byte(nil), row...)
				for _, i := range user {
					if i < len(row) && row[i] != nil {
						row[i] = []byte("user type")
					}
				}
				rows[r] = row
			}
			o.Rows = rows
		}
	}
	return a
}

// firstNormalObjectID is PostgreSQL's FirstNormalObjectId: OIDs below it
// are built in.
const firstNormalObjectID = 16384
