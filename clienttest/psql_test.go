package clienttest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	psqlSep  = "\x1f" // field separator of psql -A output: no value has it
	psqlNull = "<NULL>"
)

// psqlRead runs one statement with psql in unaligned mode and returns
// the header and the rows (NULL as psqlNull).
func psqlRead(t *testing.T, psql string, env []string, url, sql string) ([]string, [][]string) {
	t.Helper()
	out := run(t, time.Minute, env, "", psql, url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-F", psqlSep,
		"-P", "null="+psqlNull, "-P", "footer=off", "-c", sql)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) == 0 {
		t.Fatalf("psql printed nothing")
	}
	var rows [][]string
	for _, l := range lines[1:] {
		rows = append(rows, strings.Split(l, psqlSep))
	}
	return strings.Split(lines[0], psqlSep), rows
}

// checkText compares rows of alltypes as PostgreSQL's text output.
func checkText(t *testing.T, label string, header []string, rows [][]string, null string) {
	t.Helper()
	if strings.Join(header, ",") != strings.Join(columnNames(), ",") {
		t.Errorf("%s: header %q, want %q", label, header, columnNames())
	}
	if len(rows) != 3 {
		t.Fatalf("%s: %d rows, want 3: %q", label, len(rows), rows)
	}
	for i, row := range rows {
		if len(row) != len(columns) {
			t.Errorf("%s: row %d has %d fields, want %d: %q", label, i+1, len(row), len(columns), row)
			continue
		}
		for j, col := range columns {
			want := null
			switch {
			case i < 2:
				want = col.text[i]
			case col.name == "id":
				want = "3"
			}
			if row[j] != want {
				t.Errorf("%s: row %d %s (%s): got %q, want %q", label, i+1, col.name, col.sqlType, row[j], want)
			}
		}
	}
}

// csvField quotes a value as COPY … CSV does: NULL is an empty field, an
// empty string is "", and values with the delimiter, a quote or a line
// break are quoted with quotes doubled.
func csvField(v *string) string {
	if v == nil {
		return ""
	}
	if *v == "" || strings.ContainsAny(*v, ",\"\r\n") {
		return `"` + strings.ReplaceAll(*v, `"`, `""`) + `"`
	}
	return *v
}

func expectedCSV() string {
	var b strings.Builder
	b.WriteString(strings.Join(columnNames(), ",") + "\n")
	for i := 0; i < 3; i++ {
		var fields []string
		for _, col := range columns {
			var v *string
			switch {
			case i < 2:
				v = &col.text[i]
			case col.name == "id":
				v = str("3")
			}
			fields = append(fields, csvField(v))
		}
		b.WriteString(strings.Join(fields, ",") + "\n")
	}
	return b.String()
}

// TestPsql runs the psql client.
func TestPsql(t *testing.T) {
	psql := tool(t, "psql", "postgresql-client")
	e := start(t)
	dir := t.TempDir()
	env := append(baseEnv(), sslClientEnv(dir)...)
	hd, up := e.hotdata("disable").URL(), e.upstream().URL()

	t.Run("types", func(t *testing.T) {
		h, rows := psqlRead(t, psql, env, up, selectAllTypes)
		checkText(t, "upstream reference", h, rows, psqlNull)
		h, rows = psqlRead(t, psql, env, hd, selectAllTypes)
		checkText(t, "hotdata first read", h, rows, psqlNull)
		h, rows = psqlRead(t, psql, env, hd, selectAllTypes)
		checkText(t, "hotdata cached read", h, rows, psqlNull)
	})
	t.Run("copy_csv", func(t *testing.T) {
		for _, c := range []struct{ label, url string }{{"upstream reference", up}, {"hotdata", hd}} {
			file := filepath.Join(dir, strings.ReplaceAll(c.label, " ", "_")+".csv")
			run(t, time.Minute, env, "", psql, c.url, "-X", "-q", "-v", "ON_ERROR_STOP=1",
				"-c", fmt.Sprintf(`\copy (%s) to '%s' csv header`, selectAllTypes, file))
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != expectedCSV() {
				t.Errorf("%s: \\copy wrote\n%s\nwant\n%s", c.label, got, expectedCSV())
			}
		}
	})
	t.Run("timezone", func(t *testing.T) {
		// The session's TimeZone (from PGTZ) decides how timestamptz prints.
		want := [][]string{{"2024-03-01 07:30:45.123456-05", "2024-03-01 12:30:45.123456"}, {"1999-12-31 13:29:59-05", "1970-01-01 00:00:00"}, {psqlNull, psqlNull}}
		tzEnv := append(append([]string{}, env...), "PGTZ=America/New_York")
		for _, c := range []struct{ label, url string }{{"upstream reference", up}, {"hotdata", hd}} {
			_, rows := psqlRead(t, psql, tzEnv, c.url, "SELECT tstz, ts FROM alltypes ORDER BY id")
			if fmt.Sprint(rows) != fmt.Sprint(want) {
				t.Errorf("%s: with PGTZ=America/New_York read %q, want %q", c.label, rows, want)
			}
		}
	})
	t.Run("gdesc", func(t *testing.T) {
		// \gdesc describes a query's result columns (name and type).
		gdesc := func(url string) (string, error) {
			out, stderr, err := runErr(time.Minute, env, selectAllTypes+" \\gdesc\n", psql, url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A")
			if err != nil {
				return "", fmt.Errorf("%v: %s", err, stderr)
			}
			return string(out), nil
		}
		want, err := gdesc(up)
		if err != nil {
			t.Fatalf("upstream reference: %v", err)
		}
		if !strings.Contains(want, "vc|character varying(12)") {
			t.Fatalf("upstream reference \\gdesc:\n%s", want)
		}
		got, err := gdesc(hd)
		if err != nil {
			t.Fatalf("hotdata: %v", err)
		}
		if got != want {
			t.Errorf("\\gdesc through Hotdata:\n%s\nfrom PostgreSQL:\n%s", got, want)
		}
	})
	t.Run("tls", func(t *testing.T) {
		tls := e.hotdata("require").URL()
		out := run(t, time.Minute, env, "", psql, tls, "-X", "-c", `\conninfo`)
		if !regexp.MustCompile(`SSL connection \(protocol: TLSv1\.[23]`).Match(out) {
			t.Errorf("\\conninfo with sslmode=require: %s", out)
		}
		h, rows := psqlRead(t, psql, env, tls, selectAllTypes)
		checkText(t, "hotdata over TLS", h, rows, psqlNull)
	})
	t.Run("big", func(t *testing.T) {
		out := run(t, time.Minute, env, "", psql, hd, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-F", ",", "-c", selectBig)
		var s bigSummary
		sc := bufio.NewScanner(strings.NewReader(string(out)))
		for sc.Scan() {
			f := strings.Split(sc.Text(), ",")
			if len(f) != 3 {
				t.Fatalf("line %q", sc.Text())
			}
			id, err1 := strconv.ParseInt(f[0], 10, 64)
			v, err2 := strconv.ParseInt(f[1], 10, 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("line %q", sc.Text())
			}
			s.Count++
			s.SumID += id
			s.SumV += v
			s.SumLenS += int64(len(f[2]))
			if id != s.Count || v != 3*id || f[2] != "row "+f[0] {
				s.Bad++
			}
		}
		if s != expectedBig() {
			t.Errorf("100,000 rows: read %+v, want %+v", s, expectedBig())
		}
	})
	t.Run("catalog", func(t *testing.T) {
		// psql's describe commands read the emulated pg_catalog. A table's
		// description matches PostgreSQL's own, but for its schema name.
		describe := func(url, cmd string) string {
			out := run(t, time.Minute, env, "", psql, url, "-X", "-c", cmd)
			// Without the title, which names the schema; the footer's
			// references to the table too.
			lines := strings.Split(strings.ReplaceAll(string(out), `"src.public.`, `"public.`), "\n")
			return strings.Join(lines[1:], "\n")
		}
		for _, c := range []struct{ hd, up string }{
			{`\d "src.public".alltypes`, `\d public.alltypes`},
			{`\d+ "src.public".keywords`, `\d+ public.keywords`},
			{`\d alltypes_pkey`, `\d public.alltypes_pkey`},
		} {
			got, want := describe(hd, c.hd), describe(up, c.up)
			if !strings.Contains(want, "Column") {
				t.Fatalf("upstream %s printed:\n%s", c.up, want)
			}
			if got != want {
				t.Errorf("%s through Hotdata:\n%s\nPostgreSQL's %s:\n%s", c.hd, got, c.up, want)
			}
		}
		for _, c := range []struct{ cmd, want string }{
			{`\dt`, "src.public|alltypes|table|hotdata\nsrc.public|big|table|hotdata\nsrc.public|keywords|table|hotdata\n"},
			{`\dt *.*`, "src.public|alltypes|table|hotdata\nsrc.public|big|table|hotdata\nsrc.public|keywords|table|hotdata\n"},
			{`\dt "src.public".b*`, "src.public|big|table|hotdata\n"},
			{`\dn`, "src.public|hotdata\n"},
			{`\l`, "default|hotdata|UTF8|C|C||libc|\n"},
			{`\di`, "src.public|alltypes_pkey|index|hotdata|alltypes\n"},
			{`\df`, ""},
			{`\dv`, ""},
			{`\du`, "hotdata|Superuser|{}\n"},
			{`\conninfo`, `You are connected to database "default" as user "admin" on host "127.0.0.1" at port "` + e.hotdata("disable").Port + "\".\n"},
		} {
			out := run(t, time.Minute, env, "", psql, hd, "-X", "-A", "-t", "-c", c.cmd)
			if string(out) != c.want {
				t.Errorf("%s printed %q, want %q", c.cmd, out, c.want)
			}
		}
		// \x and tab completion's queries.
		out := run(t, time.Minute, env, "", psql, hd, "-X", "-A", "-c", `\x on`, "-c", "SELECT 1 AS a, 'x' AS b")
		if string(out) != "Expanded display is on.\na|1\nb|x\n" {
			t.Errorf("\\x: %q", out)
		}
		completion := "SELECT pg_catalog.quote_ident(c.relname) FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') " +
			"AND substring(pg_catalog.quote_ident(c.relname),1,3)='all' AND pg_catalog.pg_table_is_visible(c.oid) " +
			"AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog') " +
			"UNION SELECT pg_catalog.quote_ident(n.nspname) || '.' FROM pg_catalog.pg_namespace n WHERE substring(pg_catalog.quote_ident(n.nspname) || '.',1,3)='src' " +
			"AND (SELECT pg_catalog.count(*) FROM pg_catalog.pg_namespace WHERE substring(pg_catalog.quote_ident(nspname) || '.',1,3) = substring('src',1,pg_catalog.length(pg_catalog.quote_ident(nspname))+1)) > 1 LIMIT 1000"
		out = run(t, time.Minute, env, "", psql, hd, "-X", "-A", "-t", "-c", completion)
		if string(out) != "alltypes\n" {
			t.Errorf("tab completion query: %q", out)
		}
	})
	t.Run("prepared_sql", func(t *testing.T) {
		// Parameters the SQL way: PREPARE and EXECUTE.
		script := strings.Join([]string{
			`PREPARE q1(int4, text) AS SELECT id, t FROM alltypes WHERE i4 >= $1 AND t = $2 ORDER BY id;`,
			`PREPARE q2(int8, int8) AS SELECT count(*) AS n, sum(v) AS total FROM big WHERE id BETWEEN $1 AND $2;`,
			`EXECUTE q1(0, 'hello, "ünïcode" ✓');`,
			`EXECUTE q1(-2147483648, '');`,
			`EXECUTE q2(10, 19);`,
			`EXECUTE q2(1, 100000);`,
			`DEALLOCATE q1;`,
		}, "\n") + "\n"
		want := "1|hello, \"ünïcode\" ✓\n2|\n10|435\n100000|15000150000\n"
		for _, c := range []struct{ label, url string }{{"upstream reference", up}, {"hotdata", hd}} {
			out, stderr, err := runErr(time.Minute, env, script, psql, c.url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-F", "|")
			if err != nil || string(out) != want {
				t.Errorf("%s: PREPARE/EXECUTE: %v\n%s%s\nwant\n%s", c.label, err, out, stderr, want)
			}
		}
	})
	t.Run("cancel", func(t *testing.T) {
		// psql sends a CancelRequest on SIGINT; it then goes on with
		// the next command on the same connection. (After a cancel psql
		// prints no query results, but COPY TO STDOUT data.)
		cmd := exec.Command(psql, hd, "-X", "-v", "VERBOSITY=verbose",
			"-c", "SELECT count(*) FROM big", "-c", `\echo CANCEL-NOW`, "-c", longQuery,
			"-c", `\echo AFTER`, "-c", "COPY (SELECT count(*) FROM big) TO STDOUT")
		cmd.Env = env
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		lines := make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var out []string
		timeout := time.After(60 * time.Second)
		for waiting := true; waiting; {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("psql ended before the long query: %q\n%s", out, stderr.String())
				}
				out = append(out, l)
				waiting = l != "CANCEL-NOW"
			case <-timeout:
				t.Fatalf("psql never reached the long query: %q\n%s", out, stderr.String())
			}
		}
		time.Sleep(200 * time.Millisecond)
		sent := time.Now()
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		for l := range lines {
			out = append(out, l)
		}
		_ = cmd.Wait()
		elapsed := time.Since(sent)
		if !strings.Contains(stderr.String(), "ERROR:  57014: canceling statement due to user request") {
			t.Errorf("psql after SIGINT: stderr\n%s", stderr.String())
		}
		if got := strings.Join(out, "\n"); !strings.HasSuffix(got, "CANCEL-NOW\nAFTER\n100000") {
			t.Errorf("psql output after the cancel:\n%s\nwant it to end with CANCEL-NOW, AFTER, 100000; stderr:\n%s", got, stderr.String())
		}
		if elapsed > 15*time.Second {
			t.Errorf("psql took %v after SIGINT to finish", elapsed)
		}
	})
}
