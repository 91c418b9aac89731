package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestNumericText: the binary form of numerics prints as PostgreSQL's
// own text output, compared value by value with the server's.
func TestNumericText(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	values := []string{"0", "0.0", "-0.000", "1", "-1", "10000", "9999.9999", "123456789012345678901234567890.123456789",
		"0.00001", "-0.1", "1e-20", "1.5e30", "NaN", "Infinity", "-Infinity", "100000000", "0.10", "12.3400", "-98765.4321000"}
	for _, v := range values {
		res := conn.PgConn().ExecParams(ctx, "SELECT $1::numeric, $1::numeric::text", [][]byte{[]byte(v)}, nil, nil, []int16{pgx.BinaryFormatCode, pgx.TextFormatCode}).Read()
		if res.Err != nil {
			t.Fatalf("%s: %v", v, res.Err)
		}
		got, err := numericText(res.Rows[0][0])
		if err != nil || string(got) != string(res.Rows[0][1]) {
			t.Errorf("numeric %s: %q, %v; PostgreSQL prints %q", v, got, err, res.Rows[0][1])
		}
	}
}
