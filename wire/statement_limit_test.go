package wire

import (
	"context"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// TestStatementTooLong: a Query or Parse message past MaxStatementBytes
// fails with 54000 (PostgreSQL's program_limit_exceeded) and the
// connection goes on serving.
func TestStatementTooLong(t *testing.T) {
	_, _, addr := startServer(t, func(c *Config) { c.MaxStatementBytes = 1 << 10 })
	c, err := connect(t, addr, testPassword, "db")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	long := "rows /*" + strings.Repeat("x", 1<<20) + "*/"
	if _, err := c.Exec(context.Background(), long).ReadAll(); sqlstate(err) != pgerr.ProgramLimitExceeded {
		t.Fatalf("simple query: %v, want 54000", err)
	}
	if _, err := c.Prepare(context.Background(), "s1", long, nil); sqlstate(err) != pgerr.ProgramLimitExceeded {
		t.Fatalf("parse: %v, want 54000", err)
	}
	// Under the limit, both protocols still work on this connection.
	if res, err := c.Exec(context.Background(), "rows").ReadAll(); err != nil || len(res[0].Rows) != 2 {
		t.Fatalf("after: %v %v", res, err)
	}
	if _, err := c.Prepare(context.Background(), "s2", "rows", nil); err != nil {
		t.Fatalf("parse after: %v", err)
	}
}
