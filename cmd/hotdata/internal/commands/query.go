package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

// Formats of rows: the first four are written by the CLI from JSON
// pages; csv, arrow and parquet come from the server as it writes them.
var rowFormats = []string{"table", "csv", "json", "ndjson", "arrow", "parquet"}

// pageRows is how many rows a page of a stored result holds.
const pageRows = 10000

// queryOpts are the flags of a command that runs a query and prints it.
type queryOpts struct {
	format string
	async  bool
	noWait bool
}

func (o *queryOpts) add(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&o.format, "format", "f", "", "table, csv, json, ndjson, arrow or parquet (default: table on a terminal, csv otherwise)")
	cmd.Flags().BoolVar(&o.async, "async", false, "run as a background query run: Ctrl-C stops waiting but leaves it running")
	cmd.Flags().BoolVar(&o.noWait, "no-wait", false, "run in the background and print the query run and result ids at once (implies --async)")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion(rowFormats...))
}

// resolveFormat picks the output format.
func (a *app) resolveFormat(f string) (string, error) {
	if f == "" {
		switch {
		case a.json():
			return "json", nil
		case output.IsTerminal(a.stdout):
			return "table", nil
		}
		return "csv", nil
	}
	for _, ok := range rowFormats {
		if f == ok {
			if (f == "arrow" || f == "parquet") && output.IsTerminal(a.stdout) {
				return "", usagef("%s is binary: redirect it to a file (> result.%s)", f, f)
			}
			return f, nil
		}
	}
	return "", usagef("--format must be one of %s, not %q", strings.Join(rowFormats, ", "), f)
}

func (a *app) queryCmd() *cobra.Command {
	var opts queryOpts
	var file string
	cmd := &cobra.Command{
		Use:   "query [SQL]",
		Short: "Run SQL and print the rows",
		Long: `query runs one SQL statement in the workspace and prints its rows: an aligned
table on a terminal, CSV when piped, or --format csv|json|ndjson|arrow|parquet.
The SQL is the argument, a file (--file), or stdin. Large results are
streamed page by page. A query that takes longer than a second shows a
spinner; Ctrl-C cancels it (with --async it leaves it running instead).`,
		Example: `  hotdata query "SELECT status, count(*) FROM shop.orders GROUP BY 1"
  hotdata query --file report.sql --format json > report.json
  echo "SELECT * FROM shop.orders" | hotdata query --format parquet > orders.parquet
  hotdata query --async --no-wait "SELECT …"   # then: hotdata results get RESULT_ID`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sql, err := a.readSQL(args, file)
			if err != nil {
				return err
			}
			format, err := a.resolveFormat(opts.format)
			if err != nil {
				return err
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			body := map[string]any{"sql": sql}
			return a.runQuery(cmd.Context(), c, "query", client.Call{Body: body}, opts, format)
		},
	}
	opts.add(cmd)
	cmd.Flags().StringVar(&file, "file", "", "read the SQL from this file (\"-\": stdin)")
	return cmd
}

// readSQL takes the SQL from the argument, a file or stdin.
func (a *app) readSQL(args []string, file string) (string, error) {
	var sql string
	switch {
	case len(args) == 1 && file != "":
		return "", usagef("give the SQL as an argument or with --file, not both")
	case len(args) == 1 && args[0] != "-":
		sql = args[0]
	case file != "" && file != "-":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", usagef("reading the SQL: %v", err)
		}
		sql = string(b)
	default:
		if f, ok := a.stdin.(*os.File); ok && output.IsTerminal(f) {
			return "", usagef("no SQL: give it as an argument, with --file, or on stdin")
		}
		b, err := io.ReadAll(a.stdin)
		if err != nil {
			return "", fmt.Errorf("reading the SQL from stdin: %w", err)
		}
		sql = string(b)
	}
	sql = strings.TrimRight(sql, " \t\r\n")
	if strings.TrimSpace(sql) == "" {
		return "", usagef("the SQL is empty")
	}
	return sql, nil
}

// runQuery submits a query (POST /v1/query or a saved query's execute),
// waits for it and prints its rows. Without --async the call waits for
// the answer: Ctrl-C (or SIGTERM) drops the call, which cancels the query
// on the server. With --async the query runs in the background and is
// polled; Ctrl-C only stops waiting.
func (a *app) runQuery(ctx context.Context, c *client.Client, op string, call client.Call, opts queryOpts, format string) error {
	body, _ := call.Body.(map[string]any)
	if body == nil {
		body = map[string]any{}
	}
	async := opts.async || opts.noWait
	if async {
		body["async"] = true
	}
	call.Body = body
	var answer map[string]any
	var status int
	err := a.whileWaiting(ctx, "running query", func() error {
		var err error
		status, err = c.Do(ctx, op, call, &answer)
		return err
	})
	if errors.Is(err, context.Canceled) {
		a.note("canceled the query")
		return err
	}
	if err != nil {
		return err
	}
	runID, _ := answer["query_run_id"].(string)
	resultID, _ := answer["result_id"].(string)
	if status == http.StatusAccepted {
		if opts.noWait {
			if a.json() {
				return output.JSON(a.stdout, answer)
			}
			a.say("Query run %s is %v; its result will be %s:", runID, answer["status"], resultID)
			a.say("  hotdata runs wait %s", runID)
			a.say("  hotdata results get %s", resultID)
			return nil
		}
		run, err := a.waitRun(ctx, c, runID, false)
		if err != nil {
			return err
		}
		if rid, _ := run["result_id"].(string); rid != "" {
			resultID = rid
		}
		return a.printResult(ctx, c, resultID, format, nil)
	}
	if w, _ := answer["warning"].(string); w != "" && !strings.Contains(w, "rows holds the first") {
		a.note("warning: %s", w)
	}
	return a.printResult(ctx, c, resultID, format, inlineOf(answer))
}

// whileWaiting runs call and, when it takes more than a second and
// stderr is a terminal, shows a spinner with what until it returns.
func (a *app) whileWaiting(ctx context.Context, what string, call func() error) error {
	if !a.showProgress() {
		return call()
	}
	done := make(chan struct{})
	spun := make(chan struct{})
	go func() { // ends when call returns
		defer close(spun)
		t := time.NewTimer(time.Second)
		defer t.Stop()
		select {
		case <-done:
			return
		case <-t.C:
		}
		bar := output.NewStatus(a.stderr, true, what)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				bar.Clear()
				return
			case <-tick.C:
				bar.Fraction(-1)
			}
		}
	}()
	err := call()
	close(done)
	<-spun
	return err
}

// inlineRows are the rows a query's answer carries.
type inlineRows struct {
	columns  []string
	rows     [][]any
	complete bool
}

// inlineOf reads the rows a query's answer carries.
func inlineOf(answer map[string]any) *inlineRows {
	r := &inlineRows{}
	for _, c := range toAnys(answer["columns"]) {
		r.columns = append(r.columns, fmt.Sprint(c))
	}
	for _, row := range toAnys(answer["rows"]) {
		cells, _ := row.([]any)
		r.rows = append(r.rows, cells)
	}
	r.complete = int64(len(r.rows)) == toInt(answer["row_count"])
	return r
}

func toAnys(v any) []any {
	l, _ := v.([]any)
	return l
}

// waitRun polls a query run until it ends, with a spinner. Interrupted,
// it cancels the run when cancel is set, and otherwise leaves it running.
func (a *app) waitRun(ctx context.Context, c *client.Client, id string, cancel bool) (map[string]any, error) {
	bar := output.NewStatus(a.stderr, a.showProgress(), "query "+id+": running")
	start := time.Now()
	var run map[string]any
	err := client.Poll(ctx, pollInterval, func() (bool, error) {
		r, err := object(ctx, c, "getQueryRun", pathOf("id", id), "")
		if err != nil {
			return false, err
		}
		run = r
		bar.Describe(fmt.Sprintf("query %s: %v", id, r["status"]))
		bar.Fraction(-1)
		switch r["status"] {
		case "succeeded", "failed", "canceled":
			return true, nil
		}
		return false, nil
	})
	bar.Clear()
	if errors.Is(err, context.Canceled) {
		if cancel {
			cctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
			defer stop()
			if _, cerr := c.Do(cctx, "cancelQueryRun", pathOf("id", id), nil); cerr == nil {
				a.note("canceled query run %s", id)
			}
		} else {
			a.note("stopped waiting: query run %s goes on (hotdata runs get %s)", id, id)
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	switch run["status"] {
	case "succeeded":
		if a.showProgress() && time.Since(start) > time.Second {
			a.note("query %s: succeeded in %s", id, time.Since(start).Round(100*time.Millisecond))
		}
		return run, nil
	case "canceled":
		return nil, &failedError{msg: "query run " + id + " was canceled"}
	}
	// The query's own error, as a synchronous query reports it (400).
	msg, _ := run["error_message"].(string)
	return nil, &failedError{msg: "query run " + id + " failed: " + msg, code: "QUERY_ERROR", exit: ExitInvalid}
}

// printResult writes a result's rows in format: from inline rows when
// they are all there, else from the stored result, page by page. A table
// on a terminal goes through the pager.
func (a *app) printResult(ctx context.Context, c *client.Client, resultID, format string, inline *inlineRows) error {
	if format == "table" {
		return a.withPager(func() error { return a.writeResult(ctx, c, resultID, format, inline) })
	}
	return a.writeResult(ctx, c, resultID, format, inline)
}

func (a *app) writeResult(ctx context.Context, c *client.Client, resultID, format string, inline *inlineRows) error {
	switch format {
	case "csv", "arrow", "parquet":
		err := a.streamResult(ctx, c, resultID, format)
		var ce *client.Error
		if format == "csv" && errors.As(err, &ce) && ce.Status == http.StatusConflict && inline != nil && inline.complete {
			// A live query's rows are not stored: write them from the answer.
			return writeRows(a.stdout, "csv", inline.columns, inline.rows)
		}
		return err
	}
	if inline != nil && inline.complete {
		return writeRows(a.stdout, format, inline.columns, inline.rows)
	}
	return a.pageResult(ctx, c, resultID, format)
}

func writeRows(w io.Writer, format string, columns []string, rows [][]any) error {
	rw, err := output.NewRowWriter(format, w)
	if err != nil {
		return err
	}
	if err := rw.Begin(columns); err != nil {
		return err
	}
	if err := rw.Rows(rows); err != nil {
		return err
	}
	return rw.End()
}

// streamResult copies the server's csv, arrow or parquet body to stdout.
func (a *app) streamResult(ctx context.Context, c *client.Client, resultID, format string) error {
	for {
		resp, err := c.Open(ctx, "getResult", client.Call{Path: map[string]string{"id": resultID}, Query: queryOf("format", format)})
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusAccepted {
			resp.Body.Close()
			if err := sleep(ctx, retryAfter(resp)); err != nil {
				return err
			}
			continue
		}
		_, err = io.Copy(a.stdout, resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("downloading result %s: %w", resultID, err)
		}
		return nil
	}
}

// pageResult writes a stored result from its JSON pages.
func (a *app) pageResult(ctx context.Context, c *client.Client, resultID, format string) error {
	rw, err := output.NewRowWriter(format, a.stdout)
	if err != nil {
		return err
	}
	began := false
	for offset := int64(0); ; {
		var page struct {
			Status   string   `json:"status"`
			Columns  []string `json:"columns"`
			Rows     [][]any  `json:"rows"`
			RowCount int64    `json:"row_count"`
		}
		resp, err := c.Open(ctx, "getResult", client.Call{Path: map[string]string{"id": resultID},
			Query: queryOf("format", "json", "offset", strconv.FormatInt(offset, 10), "limit", strconv.Itoa(pageRows))})
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusAccepted {
			resp.Body.Close()
			if err := sleep(ctx, retryAfter(resp)); err != nil {
				return err
			}
			continue
		}
		dec := json.NewDecoder(resp.Body)
		dec.UseNumber()
		err = dec.Decode(&page)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("reading result %s: %w", resultID, err)
		}
		if !began {
			if err := rw.Begin(page.Columns); err != nil {
				return err
			}
			began = true
		}
		if err := rw.Rows(page.Rows); err != nil {
			return err
		}
		offset += int64(len(page.Rows))
		if len(page.Rows) == 0 || offset >= page.RowCount {
			return rw.End()
		}
	}
}

func retryAfter(resp *http.Response) time.Duration {
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 && s < 60 {
		return time.Duration(s) * time.Second
	}
	return time.Second
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
