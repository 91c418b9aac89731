package files

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/connectors"
)

// TestPathsOutsideRoot: a file reached through a symlink that leaves the
// root is refused at Open, and at every read when planted later.
func TestPathsOutsideRoot(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	outside := filepath.Join(base, "outside")
	writeFile(t, root, "ok.csv", "a\n1\n")
	writeFile(t, outside, "secret.csv", "secret\n42\n")
	ctx := context.Background()
	open := func(path string) (*Connector, error) {
		c, err := Open(ctx, Config{Root: root, Limits: testLimits, Files: []File{{Table: "t", Path: path, Format: FormatCSV}}})
		if err == nil {
			t.Cleanup(func() { c.Close() })
		}
		return c, err
	}
	for _, p := range []string{"../outside/secret.csv", "/etc/passwd", "a/../../outside/secret.csv"} {
		if _, err := open(p); !errors.Is(err, connectors.ErrInvalidConfig) {
			t.Errorf("Open with path %q: %v, want ErrInvalidConfig", p, err)
		}
	}
	if err := os.Symlink(filepath.Join(outside, "secret.csv"), filepath.Join(root, "link.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "dir")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(root, "passwd.csv")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"link.csv", "dir/secret.csv", "passwd.csv"} {
		if _, err := open(p); !errors.Is(err, connectors.ErrInvalidConfig) {
			t.Errorf("Open with symlink %q: %v, want ErrInvalidConfig", p, err)
		}
	}
	// A symlink inside the root is followed.
	if err := os.Symlink("ok.csv", filepath.Join(root, "alias.csv")); err != nil {
		t.Fatal(err)
	}
	c, err := open("alias.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := scanTable(t, c, "t"); len(got.rows) != 1 || got.rows[0][0] != int64(1) {
		t.Errorf("through an inner symlink: %v", got.rows)
	}
	// A file swapped for a symlink after Open is refused when read.
	c, err = open("later.csv")
	if err != nil {
		t.Fatalf("Open of a file that does not exist yet: %v", err)
	}
	if err := c.Test(ctx); err == nil || !strings.Contains(err.Error(), "not found") || strings.Contains(err.Error(), root) {
		t.Errorf("Test of a missing file: %v", err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.csv"), filepath.Join(root, "later.csv")); err != nil {
		t.Fatal(err)
	}
	if err := c.Test(ctx); err == nil || !strings.Contains(err.Error(), "outside the root") {
		t.Errorf("Test through a planted symlink: %v", err)
	}
	if _, err := c.Scan(ctx, connectors.ScanRequest{Schema: DefaultSchema, Table: "t"}); err == nil || strings.Contains(err.Error(), "42") {
		t.Errorf("Scan through a planted symlink: %v", err)
	}
	if _, err := c.Discover(ctx); err == nil {
		t.Error("Discover through a planted symlink succeeded")
	}
}

// TestLockedDown: the connector's DuckDB itself cannot read outside the
// root, whatever SQL reached it.
func TestLockedDown(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	writeFile(t, root, "ok.csv", "a\n1\n")
	writeFile(t, base, "secret.csv", "secret\n42\n")
	c := openFiles(t, root, File{Table: "t", Path: "ok.csv"})
	for _, q := range []string{
		"SELECT * FROM read_csv('/etc/passwd')",
		"SELECT * FROM read_csv(" + quoteLiteral(filepath.Join(base, "secret.csv")) + ")",
		"SELECT * FROM read_csv(" + quoteLiteral(root+"/../secret.csv") + ")",
		"SELECT * FROM read_text('/etc/hostname')",
	} {
		err := c.eng.Query(context.Background(), q, nil, func(rr array.RecordReader) error { return drain(rr) })
		if err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	if err := c.Test(context.Background()); err != nil {
		t.Errorf("the connector is unusable after refused statements: %v", err)
	}
}

// TestQuotedNames: names from the file and the config reach SQL quoted.
func TestQuotedNames(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "it's here.csv", "\"we\"\"ird\",select,\"a b\"\n1,2,3\n")
	c := openFiles(t, dir, File{Table: "select", Path: "it's here.csv",
		Columns: []ColumnType{{Name: "select", Type: "integer"}, {Name: `we"ird`, Type: "bigint"}}})
	got, err := tryScan(c, connectors.ScanRequest{Schema: DefaultSchema, Table: "select",
		Columns: []connectors.Column{{Name: "a b"}, {Name: `we"ird`}},
		Filter:  []connectors.Predicate{{Column: "select", Op: "=", Value: int64(2)}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.rows) != 1 || got.rows[0][0] != int64(3) || got.rows[0][1] != int64(1) {
		t.Errorf("rows %v", got.rows)
	}
}
