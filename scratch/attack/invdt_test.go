package attack

import "testing"

func TestInvalidDatetimeNative(t *testing.T) {
	h := newHarness(t)
	h.exec("CREATE TABLE d (id int primary key, dt datetime(3), da date)")
	f := h.newFollower("hd")
	v := f.join(tbl{"cdc", "d", []string{"id"}, nil})
	f.catchUp()
	h.tryExec("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'", "INSERT INTO d VALUES (1, '2021-02-30 10:00:00.5', '2021-01-01')")
	f.catchUp()
	t.Logf("reshaped %d; stream rows %v", v.reshaped, v.rows)
	sc := f.scanNow(v)
	t.Logf("scan rows %v", sc)
}
