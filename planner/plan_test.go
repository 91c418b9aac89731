package planner

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/pgerr"

	"github.com/hotdata-dev/hotdata/translate"
)

var update = flag.Bool("update", false, "rewrite golden files with the actual output")

func testCatalog() *Catalog {
	return NewCatalog([]Object{
		{Kind: KindTable, Catalog: "sales", Schema: "public", Name: "orders", ID: "tbl_orders", OID: 16500,
			Columns:     map[string]string{"id": "integer", "total": "numeric(12,2)", "note": "character varying(20)", "customer_id": "integer", "by": "integer", "at": "timestamp without time zone", "value": "text", "year": "integer", "d": "date"},
			ColumnOrder: []string{"id", "total", "note", "customer_id", "by", "at", "value", "year", "d"}},
		{Kind: KindTable, Catalog: "sales", Schema: "public", Name: "customers", ID: "tbl_customers", Columns: map[string]string{"id": "integer"}, ColumnOrder: []string{"id"}},
		{Kind: KindTable, Catalog: "sales", Schema: "crm", Name: "customers", ID: "tbl_crm_customers", Columns: map[string]string{"id": "integer"}, ColumnOrder: []string{"id"}},
		{Kind: KindTable, Catalog: "shop", Schema: "shop", Name: "items", ID: "tbl_items"},
		{Kind: KindTable, Catalog: "sales", Schema: "public", Name: "Mixed Case", ID: "tbl_mixed"},
		{Kind: KindDataset, Catalog: DatasetsCatalog, Schema: DatasetsSchema, Name: "uploads", ID: "ds_uploads"},
	}, map[string]string{"sales": "public", "shop": "shop"})
}

// TestGolden runs every case of testdata/*.golden: blocks of
// "query:" and the expected "engine:"/"tables:" or "error:" lines,
// separated by "---". With -update, the files are rewritten.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.golden")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	cat := testCatalog()
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			blocks := strings.Split(string(data), "\n---\n")
			for i, block := range blocks {
				query, found := "", false
				var comments []string
				for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
					if strings.HasPrefix(line, "#") {
						comments = append(comments, line)
					}
					if q, ok := strings.CutPrefix(line, "query:"); ok {
						query, found = strings.TrimPrefix(q, " "), true
					}
				}
				if !found {
					t.Fatalf("block %d has no query", i+1)
				}
				actual := render(query, cat)
				var want strings.Builder
				for _, c := range comments {
					want.WriteString(c + "\n")
				}
				want.WriteString(actual)
				if strings.TrimSpace(block) != strings.TrimSpace(want.String()) && !*update {
					t.Errorf("case %d:\n--- want\n%s\n--- got\n%s", i+1, strings.TrimSpace(block), strings.TrimSpace(want.String()))
				}
				if i > 0 {
					out.WriteString("\n---\n")
				}
				out.WriteString(strings.TrimSpace(want.String()))
			}
			out.WriteString("\n")
			if *update {
				if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if t.Failed() {
				_ = os.WriteFile(file+".actual", []byte(out.String()), 0o644)
				t.Logf("actual output written to %s.actual; review and rerun with -update", file)
			}
		})
	}
}

func render(query string, cat *Catalog) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query: %s\n", query)
	stmts, err := Plan(query, cat, Options{Live: true})
	if err != nil {
		e := pgerr.As(err)
		fmt.Fprintf(&b, "error: %s %s", e.Code, e.Message)
		if e.Position > 0 {
			fmt.Fprintf(&b, " (position %d)", e.Position)
		}
		if e.Hint != "" {
			fmt.Fprintf(&b, "\nhint: %s", e.Hint)
		}
		return b.String()
	}
	for _, st := range stmts {
		fmt.Fprintf(&b, "kind: %d tag: %s\n", st.Kind, st.Tag)
		if st.Engine != "" {
			fmt.Fprintf(&b, "engine: %s\n", st.Engine)
		}
		if st.Upstream() != "" && st.Upstream() != st.Engine {
			fmt.Fprintf(&b, "upstream: %s\n", st.Upstream())
		}
		if st.Params > 0 {
			fmt.Fprintf(&b, "params: %d %s\n", st.Params, typeNames(st.ParamTypes))
		}
		if st.Name != "" || st.Kind == Fetch || st.Kind == Declare {
			fmt.Fprintf(&b, "name: %q hold: %v count: %d move: %v", st.Name, st.Hold, st.Count, st.Move)
			if st.Scroll {
				b.WriteString(" scroll: true")
			}
			if st.Direction != FetchForward {
				fmt.Fprintf(&b, " direction: %d", st.Direction)
			}
			b.WriteString("\n")
		}
		if st.Inner != nil {
			fmt.Fprintf(&b, "inner: %s params: %d arg types: %s\n", st.Inner.Engine, st.Inner.Params, typeNames(st.ArgTypes))
		}
		if st.Args != nil {
			fmt.Fprintf(&b, "args: %q\n", st.Args)
		}
		if len(st.Columns) > 0 {
			cols := make([]string, len(st.Columns))
			for i, c := range st.Columns {
				cols[i] = c.Name + " " + c.Type.Name()
			}
			fmt.Fprintf(&b, "columns: %s\n", strings.Join(cols, ", "))
		}
		if st.CopyOptions != nil {
			fmt.Fprintf(&b, "copy: %+v\n", *st.CopyOptions)
		}
		if st.Volatile {
			b.WriteString("volatile: not cached\n")
		}
		if len(st.Tables) > 0 {
			names := make([]string, len(st.Tables))
			for i, o := range st.Tables {
				names[i] = o.QualifiedName()
			}
			fmt.Fprintf(&b, "tables: %s\n", strings.Join(names, ", "))
		}
		if st.Setting != nil {
			fmt.Fprintf(&b, "setting: %+v\n", *st.Setting)
		}
		if st.Tx != nil {
			fmt.Fprintf(&b, "tx: %+v\n", *st.Tx)
		}
	}
	if len(stmts) == 0 {
		b.WriteString("empty\n")
	}
	return b.String()
}

func typeNames(ts []translate.Type) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name()
	}
	return "[" + strings.Join(names, ", ") + "]"
}
