package clienttest

import (
	"path/filepath"
	"testing"
	"time"
)

const jdbcJar = "/usr/share/java/postgresql.jar"

// TestJDBC compiles java/HotdataClient.java and runs it with pgjdbc.
func TestJDBC(t *testing.T) {
	javac := tool(t, "javac", "default-jdk-headless")
	java := tool(t, "java", "default-jdk-headless")
	needFile(t, jdbcJar, "pgjdbc", "libpostgresql-jdbc-java")
	e := start(t)
	classes := t.TempDir()
	run(t, 2*time.Minute, baseEnv(), "", javac, "-encoding", "UTF-8", "-d", classes, "-cp", jdbcJar,
		filepath.Join(srcDir(t), "java", "HotdataClient.java"))

	// client runs one mode; props are extra pgjdbc properties.
	client := func(t *testing.T, ci connInfo, props, mode string, v any) {
		t.Helper()
		env := append(baseEnv(), ci.Env()...)
		env = append(env, "HD_JDBC_PROPS="+props)
		out := run(t, 2*time.Minute, env, "", java, "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8",
			"-cp", classes+string(filepath.ListSeparator)+jdbcJar, "HotdataClient", mode)
		decode(t, out, v)
	}

	// The driver's defaults (text results, unnamed statements), and
	// prepareThreshold=-1: named server-side statements from the first
	// execution, with binary results for the types pgjdbc reads binary.
	for _, variant := range []struct {
		name, props string
		reads       []string
	}{
		{"default", "", []string{"first_read", "cached_read"}},
		{"binary", "prepareThreshold=-1", []string{"cached_read"}},
	} {
		t.Run(variant.name, func(t *testing.T) {
			var up typesResult
			t.Run("types", func(t *testing.T) {
				client(t, e.upstream(), variant.props, "types", &up)
				checkTypes(t, "upstream reference", &up, nil)
				for _, label := range variant.reads {
					var hd typesResult
					client(t, e.hotdata("disable"), variant.props, "types", &hd)
					checkRead(t, label, &hd, &up, nil)
				}
			})
			t.Run("tls", func(t *testing.T) {
				// pgjdbc fails sslmode=require when the server does not
				// do TLS, and does not verify the certificate.
				var hd typesResult
				client(t, e.hotdata("require"), variant.props, "types", &hd)
				checkRead(t, "tls", &hd, &up, nil)
			})
			t.Run("big", func(t *testing.T) {
				var s bigSummary
				client(t, e.hotdata("disable"), variant.props, "big", &s)
				if s != expectedBig() {
					t.Errorf("100,000 rows with setFetchSize(1000): read %+v, want %+v", s, expectedBig())
				}
			})
			t.Run("prepared", func(t *testing.T) {
				var p preparedResult
				client(t, e.hotdata("disable"), variant.props, "prepared", &p)
				checkPrepared(t, "hotdata", p)
			})
			t.Run("cancel", func(t *testing.T) {
				var c cancelResult
				client(t, e.hotdata("disable"), variant.props, "cancel", &c)
				checkCancel(t, "hotdata", c)
			})
		})
	}
}
