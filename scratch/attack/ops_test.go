package attack

import (
	"fmt"
	"testing"
)

type scenario struct {
	name   string
	setup  []string
	tables []tbl
	run    []string
	tryRun bool // errors in run are logged, not fatal
}

func TestOps(t *testing.T) {
	h := newHarness(t)
	scenarios := []scenario{
		{name: "truncate-wait", setup: []string{"CREATE TABLE t1 (id int primary key, v int)", "INSERT INTO t1 VALUES (1,1),(2,2)"},
			tables: []tbl{{"cdc", "t1", []string{"id"}, nil}}, run: []string{"TRUNCATE TABLE t1 WAIT 5", "INSERT INTO t1 VALUES (3,3)"}},
		{name: "truncate-comment", setup: []string{"CREATE TABLE t2 (id int primary key, v int)", "INSERT INTO t2 VALUES (1,1),(2,2)"},
			tables: []tbl{{"cdc", "t2", []string{"id"}, nil}}, run: []string{"TRUNCATE TABLE t2 /* why */", "INSERT INTO t2 VALUES (3,3)"}},
		{name: "multi-table", setup: []string{"CREATE TABLE a (id int primary key, v int)", "CREATE TABLE b (id int primary key, v int)",
			"INSERT INTO a VALUES (1,1),(2,2),(3,3)", "INSERT INTO b VALUES (1,10),(2,20),(3,30)"},
			tables: []tbl{{"cdc", "a", []string{"id"}, nil}, {"cdc", "b", []string{"id"}, nil}},
			run: []string{"UPDATE a JOIN b USING (id) SET a.v = b.v + 1, b.v = a.v + 100 WHERE id < 3", "DELETE a, b FROM a JOIN b USING (id) WHERE id = 3",
				"INSERT INTO a SELECT id+10, v FROM b", "INSERT INTO b VALUES (1, 0) ON DUPLICATE KEY UPDATE v = v + 1000", "REPLACE INTO a VALUES (11, 77), (50, 50)"}},
		{name: "pk-change", setup: []string{"CREATE TABLE p (id int primary key, v int)", "INSERT INTO p VALUES (1,1),(2,2),(3,3)"},
			tables: []tbl{{"cdc", "p", []string{"id"}, nil}},
			run: []string{"UPDATE p SET id = id + 1 ORDER BY id DESC", "UPDATE p SET id = 10 WHERE id = 2",
				"BEGIN", "UPDATE p SET id = 100 WHERE id = 3", "UPDATE p SET id = 3 WHERE id = 4", "UPDATE p SET id = 4 WHERE id = 100", "COMMIT"}},
		{name: "fk-cascade", setup: []string{"CREATE TABLE par (id int primary key)", "CREATE TABLE chi (id int primary key, pid int, FOREIGN KEY (pid) REFERENCES par(id) ON DELETE CASCADE ON UPDATE CASCADE)",
			"INSERT INTO par VALUES (1),(2)", "INSERT INTO chi VALUES (10,1),(11,1),(20,2)"},
			tables: []tbl{{"cdc", "par", []string{"id"}, nil}, {"cdc", "chi", []string{"id"}, nil}},
			run: []string{"DELETE FROM par WHERE id = 1", "UPDATE par SET id = 3 WHERE id = 2"}},
		{name: "savepoint", setup: []string{"CREATE TABLE sp (id int primary key, v int)", "INSERT INTO sp VALUES (1,1)"},
			tables: []tbl{{"cdc", "sp", []string{"id"}, nil}},
			run: []string{"BEGIN", "INSERT INTO sp VALUES (2,2)", "SAVEPOINT s1", "INSERT INTO sp VALUES (3,3)", "UPDATE sp SET v = 99 WHERE id = 1", "ROLLBACK TO SAVEPOINT s1", "INSERT INTO sp VALUES (4,4)", "COMMIT"}},
		{name: "rollback", setup: []string{"CREATE TABLE rb (id int primary key, v int)", "CREATE TABLE rbm (id int primary key) ENGINE=MyISAM", "INSERT INTO rb VALUES (1,1)"},
			tables: []tbl{{"cdc", "rb", []string{"id"}, nil}},
			run: []string{"BEGIN", "INSERT INTO rb VALUES (2,2)", "INSERT INTO rbm VALUES (1)", "UPDATE rb SET v = 5", "ROLLBACK"}},
		{name: "quoted", setup: []string{"CREATE DATABASE `Other DB`", "CREATE TABLE `Other DB`.`We``ird Tä ble` (`I d` int primary key, `v.x` varchar(10))", "INSERT INTO `Other DB`.`We``ird Tä ble` VALUES (1,'a')"},
			tables: []tbl{{"Other DB", "We`ird Tä ble", []string{"I d"}, nil}},
			run:    []string{"INSERT INTO `Other DB`.`We``ird Tä ble` VALUES (2,'b')", "UPDATE `Other DB`.`We``ird Tä ble` SET `v.x` = 'z' WHERE `I d` = 1", "TRUNCATE `Other DB`.`We``ird Tä ble`", "INSERT INTO `Other DB`.`We``ird Tä ble` VALUES (3,'c')"}},
		{name: "stmt-format", setup: []string{"CREATE TABLE sf (id int primary key, v int)", "INSERT INTO sf VALUES (1,1)"},
			tables: []tbl{{"cdc", "sf", []string{"id"}, nil}},
			run:    []string{"SET SESSION binlog_format = 'STATEMENT'", "INSERT INTO sf VALUES (2,2)", "UPDATE sf SET v = 7 WHERE id = 1"}, tryRun: true},
		{name: "minimal-image", setup: []string{"CREATE TABLE mi (id int primary key, v int, w varchar(10), b blob)", "INSERT INTO mi VALUES (1,1,'x','blob1'),(2,2,'y','blob2')"},
			tables: []tbl{{"cdc", "mi", []string{"id"}, nil}},
			run:    []string{"SET SESSION binlog_row_image = 'MINIMAL'", "UPDATE mi SET v = 9 WHERE id = 1", "SET SESSION binlog_row_image = 'NOBLOB'", "UPDATE mi SET w = 'q' WHERE id = 2"}, tryRun: true},
		{name: "drop-db-comment", setup: []string{"CREATE DATABASE dd", "CREATE TABLE dd.x (id int primary key)", "INSERT INTO dd.x VALUES (1),(2)"},
			tables: []tbl{{"dd", "x", []string{"id"}, nil}},
			run:    []string{"DROP DATABASE dd /* bye */", "CREATE DATABASE dd", "CREATE TABLE dd.x (id int primary key)", "INSERT INTO dd.x VALUES (5)"}},
		{name: "rename-swap", setup: []string{"CREATE TABLE rs (id int primary key, v int)", "CREATE TABLE rs_new (id int primary key, v int)", "INSERT INTO rs VALUES (1,1)", "INSERT INTO rs_new VALUES (2,2)"},
			tables: []tbl{{"cdc", "rs", []string{"id"}, nil}},
			run:    []string{"RENAME TABLE rs TO rs_old, rs_new TO rs", "INSERT INTO rs VALUES (3,3)"}},
		{name: "load-data-ish", setup: []string{"CREATE TABLE big (id int primary key, v varchar(20))"},
			tables: []tbl{{"cdc", "big", []string{"id"}, nil}},
			run:    []string{"INSERT INTO big SELECT seq, CONCAT('v', seq) FROM seq_1_to_30000", "UPDATE big SET v = 'u' WHERE id % 3 = 0", "DELETE FROM big WHERE id % 5 = 0"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			h.t = t
			h.exec(sc.setup...)
			f := h.newFollower("hd_" + fmt.Sprint(len(sc.name)))
			var views []*view
			for _, tb := range sc.tables {
				views = append(views, f.join(tb))
			}
			f.catchUp()
			if sc.tryRun {
				if err := h.tryExec(sc.run...); err != nil {
					t.Logf("run: %v", err)
				}
			} else {
				h.exec(sc.run...)
			}
			f.catchUp()
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
