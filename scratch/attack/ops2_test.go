package attack

import (
	"testing"
)

func TestOps2(t *testing.T) {
	h := newHarness(t, "--max-binlog-size=4096")
	scenarios := []scenario{
		{name: "xa-commit", setup: []string{"CREATE TABLE xa (id int primary key, v int)", "INSERT INTO xa VALUES (1,1)"},
			tables: []tbl{{"cdc", "xa", []string{"id"}, nil}},
			run:    []string{"XA START 'x1'", "INSERT INTO xa VALUES (2,2)", "UPDATE xa SET v = 5 WHERE id = 1", "XA END 'x1'", "XA PREPARE 'x1'", "XA COMMIT 'x1'", "INSERT INTO xa VALUES (3,3)"}},
		{name: "xa-rollback", setup: []string{"CREATE TABLE xr (id int primary key, v int)", "INSERT INTO xr VALUES (1,1)"},
			tables: []tbl{{"cdc", "xr", []string{"id"}, nil}},
			run:    []string{"XA START 'x2'", "INSERT INTO xr VALUES (2,2)", "XA END 'x2'", "XA PREPARE 'x2'", "XA ROLLBACK 'x2'", "INSERT INTO xr VALUES (3,3)"}},
		{name: "xa-onephase", setup: []string{"CREATE TABLE xo (id int primary key, v int)"},
			tables: []tbl{{"cdc", "xo", []string{"id"}, nil}},
			run:    []string{"XA START 'x3'", "INSERT INTO xo VALUES (2,2)", "XA END 'x3'", "XA COMMIT 'x3' ONE PHASE"}},
		{name: "drop-db-only", setup: []string{"CREATE DATABASE dd2", "CREATE TABLE dd2.x (id int primary key)", "INSERT INTO dd2.x VALUES (1),(2)"},
			tables: []tbl{{"dd2", "x", []string{"id"}, nil}},
			run:    []string{"DROP DATABASE dd2 /* bye */"}},
		{name: "alter-type", setup: []string{"CREATE TABLE at (id int primary key, v int)", "INSERT INTO at VALUES (1,1)"},
			tables: []tbl{{"cdc", "at", []string{"id"}, nil}},
			run:    []string{"ALTER TABLE at MODIFY v bigint", "INSERT INTO at VALUES (2, 5000000000)"}},
		{name: "similar-name", setup: []string{"CREATE TABLE orders (id int primary key, v int)", "CREATE TABLE orders_old (id int primary key)", "INSERT INTO orders VALUES (1,1)"},
			tables: []tbl{{"cdc", "orders", []string{"id"}, nil}},
			run:    []string{"ALTER TABLE orders_old ADD COLUMN z int", "CREATE TABLE orders2 SELECT * FROM orders", "INSERT INTO orders VALUES (2,2)"}},
		{name: "rotate", setup: []string{"CREATE TABLE rot (id int primary key, v varchar(200))"},
			tables: []tbl{{"cdc", "rot", []string{"id"}, nil}},
			run: []string{"INSERT INTO rot SELECT seq, REPEAT('x', 150) FROM seq_1_to_200", "FLUSH BINARY LOGS", "UPDATE rot SET v = 'y' WHERE id < 50",
				"FLUSH BINARY LOGS", "DELETE FROM rot WHERE id > 190", "INSERT INTO rot VALUES (1000, 'z')", "UPDATE rot SET id = id + 5000 WHERE id < 10"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			h.t = t
			h.exec(sc.setup...)
			f := h.newFollower("hd")
			var views []*view
			for _, tb := range sc.tables {
				views = append(views, f.join(tb))
			}
			f.catchUp()
			if err := h.tryExec(sc.run...); err != nil {
				t.Logf("run: %v", err)
			}
			f.catchUp()
			t.Logf("position %s", f.position)
			for _, v := range views {
				if v.reshaped > 0 || v.trunc > 0 {
					t.Logf("%s: reshaped %d, truncated %d", v.t.table, v.reshaped, v.trunc)
				}
				if v.reshaped > 0 {
					continue
				}
				if d := f.check(v); d != "" {
					if len(d) > 2000 {
						d = d[:2000]
					}
					t.Errorf("%s.%s differs:\n%s", v.t.schema, v.t.table, d)
				}
			}
		})
	}
}
