package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

var jobColumns = output.Cols("ID", "id", "Type", "type", "Status", "status", "Table", "target.table", "Rows", "progress.rows", "Bytes", "progress.bytes", "Created", "created_at", "Completed", "completed_at")

func (a *app) jobsCmd() *cobra.Command {
	a.cols("getJob", "", jobColumns)
	cmd := &cobra.Command{Use: "jobs", Aliases: []string{"job"}, Short: "List and watch syncs, refreshes and other jobs"}
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List the workspace's jobs, newest first", op: "listJobs", key: "jobs", cols: jobColumns, limit: 30}),
		a.objectCmd(getSpec{use: "get ID", short: "Show a job", op: "getJob", param: "id"}),
		&cobra.Command{
			Use:   "watch [ID...]",
			Short: "Follow jobs until they end, with a progress bar (no ID: every pending or running job)",
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := a.client()
				if err != nil {
					return err
				}
				ids := args
				if len(ids) == 0 {
					jobs, err := list(cmd.Context(), c, "listJobs", client.Call{}, "jobs", 200)
					if err != nil {
						return err
					}
					for _, j := range jobs {
						if s := j["status"]; s == "pending" || s == "running" {
							ids = append(ids, fmt.Sprint(j["id"]))
						}
					}
					if len(ids) == 0 {
						a.note("no job is pending or running")
						return nil
					}
				}
				var failed error
				var done []map[string]any
				for _, id := range ids {
					job, err := a.watchJob(cmd.Context(), c, id)
					var fe *failedError
					if errors.As(err, &fe) {
						failed = err
						a.note("job %s failed: %s", id, fe.msg)
					} else if err != nil {
						return err
					}
					done = append(done, job)
				}
				if err := a.printItems(jobColumns, done); err != nil {
					return err
				}
				return failed
			},
		},
	)
	return cmd
}

// jobFinished reports whether a job's status is final.
func jobFinished(status any) bool {
	switch status {
	case "succeeded", "failed", "canceled", "interrupted":
		return true
	}
	return false
}

// watchJob polls a job until it ends, drawing its progress. It returns
// the job as it ended; a job that did not succeed is a *failedError.
// Interrupted, it stops watching (the job goes on) and says so.
func (a *app) watchJob(ctx context.Context, c *client.Client, id string) (map[string]any, error) {
	bar := output.NewStatus(a.stderr, a.showProgress(), id)
	var job map[string]any
	err := client.Poll(ctx, pollInterval, func() (bool, error) {
		j, err := object(ctx, c, "getJob", pathOf("id", id), "")
		if err != nil {
			return false, err
		}
		job = j
		bar.Describe(jobLine(j))
		if f, ok := output.Field(j, "progress.fraction").(interface{ Float64() (float64, error) }); ok {
			v, _ := f.Float64()
			bar.Fraction(v)
		} else {
			bar.Fraction(-1)
		}
		return jobFinished(j["status"]), nil
	})
	if err != nil {
		bar.Abandon()
		if errors.Is(err, context.Canceled) {
			a.note("\nstopped watching: job %s goes on (hotdata jobs watch %s)", id, id)
		}
		return job, err
	}
	if job["status"] == "succeeded" {
		bar.Fraction(1)
		bar.Finish()
	} else {
		bar.Abandon()
	}
	for _, w := range asStrings(job["warnings"]) {
		a.note("warning: %s", w)
	}
	if job["status"] != "succeeded" {
		msg, _ := job["error"].(string)
		if msg == "" {
			msg = fmt.Sprint(job["status"])
		}
		return job, &failedError{msg: msg}
	}
	return job, nil
}

// jobLine describes a job in a few words: "sync public.orders: 1,234 rows · 56 kB".
func jobLine(j map[string]any) string {
	what := fmt.Sprint(j["type"])
	if t, _ := output.Field(j, "target.table").(string); t != "" {
		if s, _ := output.Field(j, "target.schema").(string); s != "" {
			t = s + "." + t
		}
		what += " " + t
	}
	return fmt.Sprintf("%s: %s", what, output.RowsBytes(toInt(output.Field(j, "progress.rows")), toInt(output.Field(j, "progress.bytes"))))
}

func toInt(v any) int64 {
	if n, ok := v.(interface{ Int64() (int64, error) }); ok {
		i, _ := n.Int64()
		return i
	}
	return 0
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, fmt.Sprint(s))
	}
	return out
}

func (a *app) cdcCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "cdc", Short: "Show change streams (logical replication, binlog)"}
	cmd.AddCommand(a.listCmd(listSpec{use: "list", short: "List the workspace's change streams", op: "listChangeStreams", key: "streams",
		cols: output.Cols("Connection", "connection", "Stream", "stream", "State", "state", "Lag bytes", "lag_bytes", "Last commit", "last_commit", "Error", "error")}))
	return cmd
}
