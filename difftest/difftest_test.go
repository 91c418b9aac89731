package difftest

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

var (
	update    = flag.Bool("update", false, "rewrite docs/compatibility.md and testdata/results.json from this run")
	areaFlag  = flag.String("area", os.Getenv("HOTDATA_DIFFTEST_AREA"), "run only these corpus areas (comma-separated file names without .sql); also HOTDATA_DIFFTEST_AREA")
	verbose   = flag.Bool("difftest.verbose", os.Getenv("HOTDATA_DIFFTEST_VERBOSE") != "", "print every mismatch in full (both answers); also HOTDATA_DIFFTEST_VERBOSE=1")
	selfCheck = flag.Bool("difftest.selfcheck", os.Getenv("HOTDATA_DIFFTEST_SELFCHECK") != "", "check the corpus on PostgreSQL alone (see doc.go); also HOTDATA_DIFFTEST_SELFCHECK=1")
)

// MinIdenticalRate is the share of corpus statements that must be
// identical on each route: a ratchet just under today's rates (95.5%
// cached, 97.4% live; docs/compatibility.md), so that a change that
// turns answers into refusals fails too. The rest are clear errors
// (0A000), mostly arrays with other lower bounds or several dimensions;
// the goal is 0.99. Every silent mismatch fails the test whatever this
// threshold says.
const MinIdenticalRate = 0.95

const (
	corpusDir   = "testdata/corpus"
	fixtureFile = "testdata/fixture.sql"
	resultsFile = "testdata/results.json"
	reportFile  = "../docs/compatibility.md"
	// connName is the upstream's connection name in the workspace.
	connName = "src"
)

func TestDifferential(t *testing.T) {
	areas, err := LoadCorpus(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	areas = filterAreas(t, areas, *areaFlag)
	fixture, err := os.ReadFile(fixtureFile)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	upstream := testenv.Postgres(t)
	execScript(t, upstream, string(fixture))
	tables := fixtureTables(t, upstream)
	// Read-only, so that no corpus statement can change the fixture
	// (a write fails with 25006, as Hotdata refuses it).
	pgTarget := Target{Name: "postgres", Connect: dial(upstream), Session: []string{"SET default_transaction_read_only = on"}}

	if *selfCheck {
		runSelfCheck(t, areas, pgTarget, string(fixture), tables)
		return
	}

	h := hdtest.Start(t)
	h.Register(connName, upstream)
	hdURL := h.PGURL(hdtest.Token, "default", "disable")
	engine := &workspaceRestarter{h: h, max: maxEngineRestarts}
	targets := map[string]Target{
		RouteCached: {Name: "hotdata cached", Connect: dial(hdURL), Session: []string{"SET hotdata.freshness = 'cached'"}, Engine: engine},
		RouteLive:   {Name: "hotdata live", Connect: dial(hdURL), Session: []string{"SET hotdata.freshness = 'live'"}, Engine: engine},
	}
	warm(t, targets[RouteCached], tables)

	routes := []string{RouteCached, RouteLive}
	runners := map[string]*Runner{"postgres": {T: pgTarget, Binary: true}}
	for _, r := range routes {
		runners[r] = &Runner{T: targets[r], Binary: true}
	}
	defer func() {
		for _, r := range runners {
			r.Close()
		}
	}()
	pgVersion, pgMajor := serverVersion(t, upstream)

	var (
		results []Result
		killers []string
		ran     []Area // -run may leave some areas out
	)
	for _, a := range areas {
		t.Run(a.Name, func(t *testing.T) {
			ran = append(ran, a)
			answers := runAll(t, ctx, a, runners)
			if answers == nil {
				return
			}
			res, kill := judgeArea(t, a, answers, routes, pgMajor)
			results = append(results, res...)
			killers = append(killers, kill...)
		})
	}
	if len(results) == 0 {
		return
	}
	rep := NewReport(pgVersion, routes, true, results)
	sort.Strings(killers)
	rep.EngineKillers = killers
	logSummary(t, rep)
	for _, why := range engine.log {
		t.Logf("engine restarted: %s", why)
	}
	if *update {
		writeReports(t, rep, ran)
	}
	for _, route := range routes {
		if c := rep.Total[route]; c.Rate() < MinIdenticalRate {
			t.Errorf("%s: %.1f%% of %d statements identical, below the threshold %.1f%%", route, 100*c.Rate(), c.Statements, 100*MinIdenticalRate)
		}
	}
}

// runAll runs the area on every runner at once, one goroutine each.
func runAll(t *testing.T, ctx context.Context, a Area, runners map[string]*Runner) map[string][]Answer {
	t.Helper()
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		out  = map[string][]Answer{}
		errs []string
	)
	for name, r := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ans, err := r.RunArea(ctx, a)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err.Error())
				return
			}
			out[name] = ans
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		sort.Strings(errs)
		t.Errorf("%s: %s", a.Name, strings.Join(errs, "; "))
		return nil
	}
	return out
}

// judgeArea checks PostgreSQL's answers against the corpus's intent and
// classifies Hotdata's on each route, failing the test on every silent
// mismatch. It also returns the statements that killed the engine.
func judgeArea(t *testing.T, a Area, answers map[string][]Answer, routes []string, major int) ([]Result, []string) {
	t.Helper()
	var (
		out     []Result
		killers []string
	)
	for i, e := range a.Entries() {
		pg := answers["postgres"][i]
		checkIntent(t, e, pg, major)
		ordered := !e.Unordered && Ordered(e.SQL)
		res := Result{Area: a.Name, Name: e.Name, Line: e.Line, SQL: e.SQL, Setup: e.Setup, Ordered: ordered,
			PostgresError: e.ExpectedError(major), Routes: map[string]RouteResult{}}
		for _, route := range routes {
			hd := answers[route][i]
			rr := Judge(pg, hd, ordered, true)
			rr.Restarted = hd.Restarted
			for _, o := range []Outcome{hd.Text, hd.Binary} {
				if o.Err != nil && IsEngineKiller(o.Err.Message) {
					killers = append(killers, fmt.Sprintf("%s [%s]: %s", e.ID(), route, oneLine(o.Err.Message)))
					break
				}
			}
			res.Routes[route] = rr
			if rr.Class == Mismatch {
				msg := fmt.Sprintf("%s:%d %s [%s, %s] %s\n\tstatement: %s", a.Name, e.Line, e.Name, route, rr.Pass, rr.Detail, truncate(oneLine(e.SQL), 300))
				if rr.SetupErr != "" {
					msg += "\n\tsetup failed: " + rr.SetupErr
				}
				if *verbose {
					msg += "\n" + fullDiff(e, pg, hd, rr.Pass)
				}
				if *update {
					t.Log(msg)
				} else {
					t.Error(msg)
				}
			}
		}
		out = append(out, res)
	}
	return out, killers
}

// checkIntent fails the test when PostgreSQL's answer is not what the
// corpus means: a statement fails only when it says which SQLSTATE.
func checkIntent(t *testing.T, e Entry, pg Answer, major int) {
	t.Helper()
	where := fmt.Sprintf("corpus %s:%d (%s)", e.Area, e.Line, e.Name)
	if pg.SetupErr != "" {
		t.Errorf("%s: setup fails on PostgreSQL: %s", where, pg.SetupErr)
	}
	want := e.ExpectedError(major)
	for _, o := range []Outcome{pg.Text, pg.Binary} {
		switch {
		case o.Failure != "":
			t.Errorf("%s: PostgreSQL: %s", where, o.Failure)
		case want == "" && o.Err != nil:
			t.Errorf("%s: fails on PostgreSQL %d with %s %s; mark it '-- error: %s' if that is the point", where, major, o.Err.Code, o.Err.Message, o.Err.Code)
		case want != "" && o.Err == nil:
			t.Errorf("%s: PostgreSQL %d answers, but the corpus expects error %s", where, major, want)
		case want != "" && o.Err.Code != want:
			t.Errorf("%s: PostgreSQL %d fails with %s %s, the corpus expects %s", where, major, o.Err.Code, o.Err.Message, want)
		default:
			continue
		}
		return
	}
}

func fullDiff(e Entry, pg, hd Answer, pass string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\t--- statement (%s):\n%s\n", e.ID(), e.SQL)
	if len(e.Setup) > 0 {
		fmt.Fprintf(&b, "\t--- setup: %s\n", strings.Join(e.Setup, "; "))
	}
	p, h := pg.Text, hd.Text
	if pass == Binary.String() {
		p, h = pg.Binary, hd.Binary
	}
	fmt.Fprintf(&b, "\t--- PostgreSQL (%s):\n%s", pass, dump(p))
	fmt.Fprintf(&b, "\t--- Hotdata (%s):\n%s", pass, dump(h))
	return b.String()
}

func dump(o Outcome) string {
	var b strings.Builder
	if o.Failure != "" {
		fmt.Fprintf(&b, "\tfailure: %s\n", o.Failure)
	}
	if o.Err != nil {
		fmt.Fprintf(&b, "\terror %s: %s", o.Err.Code, o.Err.Message)
		if o.Err.Hint != "" {
			fmt.Fprintf(&b, " (hint: %s)", o.Err.Hint)
		}
		b.WriteString("\n")
	}
	if len(o.Columns) > 0 {
		var cols []string
		for _, c := range o.Columns {
			cols = append(cols, fmt.Sprintf("%s %s typmod %s", c.Name, TypeName(c.TypeOID), Typmod(c.TypeOID, c.Typmod)))
		}
		fmt.Fprintf(&b, "\tcolumns: %s\n", strings.Join(cols, " | "))
	}
	for i, r := range o.Rows {
		if i == 50 {
			fmt.Fprintf(&b, "\t… %d rows in all\n", len(o.Rows))
			break
		}
		fmt.Fprintf(&b, "\t%s\n", rowText(r))
	}
	if o.Tag != "" {
		fmt.Fprintf(&b, "\ttag: %s\n", o.Tag)
	}
	return b.String()
}

func logSummary(t *testing.T, rep *Report) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s %5s | %-26s | %-26s\n", "area", "stmts", "cached ident/clear/mismatch", "live ident/clear/mismatch")
	line := func(name string, n int, m map[string]Counts) {
		c, l := m[RouteCached], m[RouteLive]
		fmt.Fprintf(&b, "%-16s %5d | %5d %5d %5d %6.1f%% | %5d %5d %5d %6.1f%%\n", name, n,
			c.Identical, c.ClearError, c.Mismatch, 100*c.Rate(), l.Identical, l.ClearError, l.Mismatch, 100*l.Rate())
	}
	for _, a := range rep.Areas {
		line(a.Area, a.Statements, a.Routes)
	}
	line("TOTAL", rep.Total[RouteCached].Statements, rep.Total)
	t.Log("differential summary\n" + b.String())
}

// writeReports writes results.json and docs/compatibility.md; when only
// some areas ran, the other areas' results are kept from results.json.
func writeReports(t *testing.T, rep *Report, ran []Area) {
	t.Helper()
	all, err := LoadCorpus(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ran) != len(all) {
		old, err := ReadReport(resultsFile)
		if err != nil {
			t.Fatal(err)
		}
		ranSet := map[string]bool{}
		for _, a := range ran {
			ranSet[a.Name] = true
		}
		exists := map[string]bool{}
		for _, a := range all {
			exists[a.Name] = true
		}
		results := rep.Results
		if old != nil {
			for _, r := range old.Results {
				if !ranSet[r.Area] && exists[r.Area] {
					results = append(results, r)
				}
			}
		}
		sort.SliceStable(results, func(i, j int) bool { return results[i].Area < results[j].Area })
		// results.json has no SQL: take it from the corpus.
		byID := map[string]Entry{}
		for _, a := range all {
			for _, e := range a.Entries() {
				byID[e.ID()] = e
			}
		}
		for i := range results {
			if e, ok := byID[results[i].ID()]; ok {
				results[i].SQL, results[i].Setup = e.SQL, e.Setup
			}
		}
		killers := rep.EngineKillers
		if old != nil {
			for _, k := range old.EngineKillers {
				if area, _, _ := strings.Cut(k, "/"); !ranSet[area] && exists[area] {
					killers = append(killers, k)
				}
			}
		}
		sort.Strings(killers)
		rep = NewReport(rep.Postgres, rep.Routes, rep.Binary, results)
		rep.EngineKillers = killers
	}
	data, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(resultsFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(reportFile, rep.Markdown(), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(reportFile)
	t.Logf("wrote %s and %s", resultsFile, abs)
}

func filterAreas(t *testing.T, areas []Area, filter string) []Area {
	t.Helper()
	if filter == "" {
		return areas
	}
	want := map[string]bool{}
	for _, f := range strings.Split(filter, ",") {
		want[strings.TrimSpace(f)] = true
	}
	var out []Area
	for _, a := range areas {
		if want[a.Name] {
			out = append(out, a)
			delete(want, a.Name)
		}
	}
	for w := range want {
		t.Fatalf("no corpus area %q", w)
	}
	return out
}

func dial(url string) func(context.Context) (*pgconn.PgConn, error) {
	return func(ctx context.Context) (*pgconn.PgConn, error) { return pgconn.Connect(ctx, url) }
}

// execScript runs a multi-statement script in one simple query.
func execScript(t *testing.T, url, script string) {
	t.Helper()
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, script).ReadAll(); err != nil {
		t.Fatalf("fixture: %v", err)
	}
}

func queryStrings(t *testing.T, url, sql string) []string {
	t.Helper()
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	o := Run(ctx, c, sql, Text)
	if o.Err != nil || o.Failure != "" {
		t.Fatalf("%s: %s", sql, outcomeErr(o))
	}
	var out []string
	for _, r := range o.Rows {
		out = append(out, string(r[0]))
	}
	return out
}

// fixtureTables lists the fixture's tables.
func fixtureTables(t *testing.T, url string) []string {
	return queryStrings(t, url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
}

func serverVersion(t *testing.T, url string) (string, int) {
	v := queryStrings(t, url, "SHOW server_version")
	n, err := strconv.Atoi(queryStrings(t, url, "SHOW server_version_num")[0])
	if err != nil {
		t.Fatal(err)
	}
	return "PostgreSQL " + strings.Fields(v[0])[0], n / 10000
}

// warm reads every table once through Hotdata's cached route, which
// syncs it, so that no corpus statement waits for a sync.
func warm(t *testing.T, tg Target, tables []string) {
	t.Helper()
	ctx := context.Background()
	c, err := tg.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, s := range tg.Session {
		if o := Run(ctx, c, s, Text); o.Err != nil || o.Failure != "" {
			t.Fatalf("%s: %s", s, outcomeErr(o))
		}
	}
	for _, tb := range tables {
		if o := Run(ctx, c, "SELECT count(*) FROM "+tb, Text); o.Err != nil || o.Failure != "" {
			// A finding, not a harness problem: the statements reading
			// the table will show it.
			t.Logf("warm the cache with %s: %s", tb, outcomeErr(o))
		}
	}
}

// maxEngineRestarts bounds how often a run reopens a dead engine: past
// it, something kills the engine all the time and the run stops.
const maxEngineRestarts = 100

// workspaceRestarter reopens the workspace's engine by suspending and
// resuming the workspace through the REST API.
type workspaceRestarter struct {
	h   *hdtest.Harness
	max int

	mu  sync.Mutex
	gen int
	log []string
}

func (w *workspaceRestarter) Generation() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.gen
}

func (w *workspaceRestarter) Restart(ctx context.Context, seen int, why string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gen != seen {
		return nil // restarted since the caller's statement began
	}
	if len(w.log) >= w.max {
		return fmt.Errorf("the engine died %d times; giving up (last: %s)", len(w.log), why)
	}
	for _, op := range []string{"suspend", "resume"} {
		if err := w.post(ctx, "/v1/workspaces/"+w.h.WSID+"/"+op); err != nil {
			return fmt.Errorf("restart the engine (%s): %w", why, err)
		}
	}
	w.gen++
	w.log = append(w.log, why)
	return nil
}

// post calls the REST API without the harness's helpers, which fail the
// test from the calling goroutine.
func (w *workspaceRestarter) post(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+w.h.P.HTTPAddr()+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+hdtest.Token)
	req.Header.Set("X-Workspace-Id", w.h.WSID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, body)
	}
	return nil
}
