package testenv

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/option"
)

// Emulator is a warehouse emulator started by a test as its own process
// on 127.0.0.1 (scripts/emulators.sh builds the binaries into a cache
// folder). It stops when the test ends.
type Emulator struct {
	// Port is its HTTP port; GRPCPort the BigQuery Storage API's (0 for
	// Snowflake's).
	Port     int
	GRPCPort int
	// Project is the BigQuery project the emulator was started with.
	Project string
	cmd     *exec.Cmd
	log     *syncBuffer
}

// Addr is host:port of the HTTP endpoint.
func (e *Emulator) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(e.Port)) }

// Log is what the emulator printed so far (for failure messages).
func (e *Emulator) Log() string { return e.log.String() }

// StartBigQueryEmulator starts github.com/goccy/bigquery-emulator for
// project, with an empty in-memory store.
func StartBigQueryEmulator(t testing.TB, project string) *Emulator {
	t.Helper()
	bin := emulatorBinary(t, "BigQuery", "HOTDATA_TEST_BIGQUERY_EMULATOR", "bigquery-emulator")
	e := &Emulator{Port: loopbackPort(t), GRPCPort: loopbackPort(t), Project: project, log: &syncBuffer{}}
	e.cmd = exec.Command(bin, "--project="+project, "--host=127.0.0.1",
		"--port="+strconv.Itoa(e.Port), "--grpc-port="+strconv.Itoa(e.GRPCPort), "--log-level=warn")
	e.start(t, "BigQuery")
	return e
}

// StartSnowflakeEmulator starts github.com/nnnkkk7/snowflake-emulator
// with an in-memory DuckDB.
func StartSnowflakeEmulator(t testing.TB) *Emulator {
	t.Helper()
	bin := emulatorBinary(t, "Snowflake", "HOTDATA_TEST_SNOWFLAKE_EMULATOR", "snowflake-emulator")
	e := &Emulator{Port: loopbackPort(t), log: &syncBuffer{}}
	e.cmd = exec.Command(bin)
	e.cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(e.Port), "STAGE_DIR="+t.TempDir())
	e.start(t, "Snowflake")
	return e
}

func (e *Emulator) start(t testing.TB, what string) {
	t.Helper()
	e.cmd.Stdout, e.cmd.Stderr = e.log, e.log
	if err := e.cmd.Start(); err != nil {
		t.Fatalf("starting the %s emulator: %v", what, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- e.cmd.Wait() }()
	t.Cleanup(func() {
		_ = e.cmd.Process.Kill()
		<-exited
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", e.Addr(), time.Second)
		if err == nil {
			conn.Close()
			return
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("the %s emulator exited (%v): %s", what, err, e.log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the %s emulator did not listen on %s within a minute: %s", what, e.Addr(), e.log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// emulatorBinary finds an emulator: $env, else the newest build in the
// cache folder of scripts/emulators.sh.
func emulatorBinary(t testing.TB, what, env, name string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	var dirs []string
	if c := os.Getenv("HOTDATA_TEST_CACHE"); c != "" {
		dirs = append(dirs, c)
	}
	dirs = append(dirs, "/var/cache/hotdata-test")
	if h, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(h, ".cache", "hotdata-test"))
	}
	for _, d := range dirs {
		found, _ := filepath.Glob(filepath.Join(d, "bin", name+"-v*"))
		var bins []string
		for _, f := range found {
			if filepath.Ext(f) != ".tmp" {
				bins = append(bins, f)
			}
		}
		if len(bins) > 0 {
			sort.Strings(bins)
			return bins[len(bins)-1]
		}
	}
	msg := fmt.Sprintf("the %s emulator is not built: run scripts/emulators.sh (or set %s)", what, env)
	if RequireServices() {
		t.Fatal(msg + "; HOTDATA_TEST_REQUIRE_SERVICES=1 forbids skipping")
	}
	t.Skip(msg)
	return ""
}

// syncBuffer is a bytes.Buffer safe for a process's writes and a
// test's reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<20 {
		return len(p), nil // keep the first MiB
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// bigQueryClient is a client of a BigQuery emulator, to make fixtures.
func bigQueryClient(t testing.TB, e *Emulator) *bigquery.Client {
	t.Helper()
	c, err := bigquery.NewClient(context.Background(), e.Project,
		option.WithEndpoint("http://"+e.Addr()+"/bigquery/v2/"), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// BigQueryDataset makes a dataset in a BigQuery emulator.
func BigQueryDataset(t testing.TB, e *Emulator, name string) {
	t.Helper()
	if err := bigQueryClient(t, e).Dataset(name).Create(context.Background(), &bigquery.DatasetMetadata{}); err != nil {
		t.Fatalf("create dataset %s: %v\n%s", name, err, e.Log())
	}
}

// BigQueryExec runs statements (GoogleSQL: DDL, DML) in a BigQuery
// emulator as query jobs, failing the test on an error.
func BigQueryExec(t testing.TB, e *Emulator, stmts ...string) {
	t.Helper()
	c := bigQueryClient(t, e)
	for _, s := range stmts {
		job, err := c.Query(s).Run(context.Background())
		if err == nil {
			var st *bigquery.JobStatus
			st, err = job.Wait(context.Background())
			if err == nil {
				err = st.Err()
			}
		}
		if err != nil {
			t.Fatalf("%.200s: %v\n%s", s, err, e.Log())
		}
	}
}
