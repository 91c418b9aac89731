//go:build duckdb_arrow

package engine

import (
	"context"
	"errors"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// TestTranslateMessage: DuckDB's messages become PostgreSQL's, with
// PostgreSQL's SQLSTATE (checked against PostgreSQL 15).
func TestTranslateMessage(t *testing.T) {
	for _, c := range []struct{ in, code, msg string }{
		{`Conversion Error: invalid date field format: "nonsense", expected format is (YYYY-MM-DD)`, "22007", `invalid input syntax for type date: "nonsense"`},
		{`Conversion Error: date field value out of range: "2024-13-45", expected format is (YYYY-MM-DD)`, "22008", `date/time field value out of range: "2024-13-45"`},
		{`Conversion Error: invalid timestamp field format: "x", expected format is (YYYY-MM-DD HH:MM:SS[.US][±HH[:MM[:SS]]| ZONE])`, "22007", `invalid input syntax for type timestamp: "x"`},
		{`Conversion Error: timestamp field value out of range: "2024-01-01 25:00"`, "22008", `date/time field value out of range: "2024-01-01 25:00"`},
		{`Conversion Error: time field value out of range: "x", expected format is ([YYYY-MM-DD ]HH:MM:SS[.MS])`, "22007", `invalid input syntax for type time: "x"`},
		{`Conversion Error: time field value out of range: "25:00:01", expected format is ([YYYY-MM-DD ]HH:MM:SS[.MS])`, "22008", `date/time field value out of range: "25:00:01"`},
		{`Conversion Error: Could not convert string 'x' to INTERVAL`, "22007", `invalid input syntax for type interval: "x"`},
		{`Conversion Error: Could not convert string 'abc' to INT32`, "22P02", `Could not convert string 'abc' to INT32`},
		{"Catalog Error: Type with name nosuchtype does not exist!\nDid you mean \"struct\"?", "42704", `type "nosuchtype" does not exist`},
		{`Invalid Input Error: type "nosuchtype" does not exist`, "42704", `type "nosuchtype" does not exist`},
		{`Invalid Input Error: relation "nope" does not exist`, "42P01", `relation "nope" does not exist`},
		{`Invalid Input Error: function "nope" does not exist`, "42883", `function "nope" does not exist`},
		{`Invalid Input Error: more than one function named "sum"`, "42725", `more than one function named "sum"`},
		{`Invalid Input Error: something else`, "22023", `something else`},
	} {
		var e *pgerr.Error
		if err := translateMessage(context.Background(), c.in); !errors.As(err, &e) || e.Code != c.code || e.Message != c.msg {
			t.Errorf("%s:\n got %v (%+v)\nwant %s %s", c.in, err, e, c.code, c.msg)
		} else if c.code == "42704" && e.Hint != "" {
			t.Errorf("%s: hint %q", c.in, e.Hint)
		}
	}
}
