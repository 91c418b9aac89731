package commands

import (
	"sort"

	"github.com/spf13/cobra"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

func (a *app) savedQueriesCmd() *cobra.Command {
	complete := a.completeFrom("listSavedQueries", "queries", "name")
	cmd := &cobra.Command{Use: "saved", Aliases: []string{"saved-queries"}, Short: "Save, version and run named queries"}
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List saved queries", op: "listSavedQueries", key: "queries",
			cols: output.Cols("Name", "name", "ID", "id", "Version", "version", "Updated", "updated_at", "Description", "description")}),
		a.objectCmd(getSpec{use: "get NAME", short: "Show a saved query", op: "getSavedQuery", param: "id", complete: complete}),
	)
	var sqlFile, description, sqlText, rename string
	create := &cobra.Command{
		Use: "create NAME", Short: "Save a query (SQL from --sql, --file or stdin)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			sql := sqlText
			if sql == "" {
				if sql, err = a.readSQL(nil, sqlFile); err != nil {
					return err
				}
			}
			body := map[string]any{"name": args[0], "sql": sql}
			if description != "" {
				body["description"] = description
			}
			obj, err := object(cmd.Context(), c, "createSavedQuery", client.Call{Body: body}, "")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, obj)
			}
			a.say("Saved query %s (%s), version %v.", obj["name"], obj["id"], obj["version"])
			return nil
		},
	}
	update := &cobra.Command{
		Use: "update NAME", Short: "Change a saved query: a new version", Args: cobra.ExactArgs(1), ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			body := map[string]any{}
			if rename != "" {
				body["name"] = rename
			}
			if cmd.Flags().Changed("description") {
				body["description"] = description
			}
			if sqlText != "" {
				body["sql"] = sqlText
			} else if sqlFile != "" {
				sql, err := a.readSQL(nil, sqlFile)
				if err != nil {
					return err
				}
				body["sql"] = sql
			}
			if len(body) == 0 {
				return usagef("nothing to change: give --name, --description, --sql or --file")
			}
			obj, err := object(cmd.Context(), c, "updateSavedQuery", client.Call{Path: map[string]string{"id": args[0]}, Body: body}, "")
			if err != nil {
				return err
			}
			return a.printObject(obj)
		},
	}
	for _, c := range []*cobra.Command{create, update} {
		c.Flags().StringVar(&sqlText, "sql", "", "the SQL")
		c.Flags().StringVar(&sqlFile, "file", "", "read the SQL from this file (\"-\": stdin)")
		c.Flags().StringVar(&description, "description", "", "what the query is for")
	}
	update.Flags().StringVar(&rename, "name", "", "a new name")

	del := a.deleteCmd(deleteSpec{use: "delete NAME", short: "Delete a saved query and its versions", op: "deleteSavedQuery", param: "id",
		complete: complete, what: "delete saved query %s", done: "Deleted saved query %s."})

	versionCols := a.cols("savedQueryVersions", "versions", output.Cols("Version", "version", "Name", "name", "Created", "created_at", "SQL", "sql"))
	versions := &cobra.Command{
		Use: "versions NAME", Short: "List a saved query's versions", Args: cobra.ExactArgs(1), ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, "savedQueryVersions", pathOf("id", args[0]), "")
			if err != nil {
				return err
			}
			return a.printItems(versionCols, toObjects(obj["versions"]))
		},
	}

	var opts queryOpts
	run := &cobra.Command{
		Use: "run NAME", Short: "Run a saved query and print its rows", Args: cobra.ExactArgs(1), ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.resolveFormat(opts.format)
			if err != nil {
				return err
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			return a.runQuery(cmd.Context(), c, "executeSavedQuery", pathOf("id", args[0]), opts, format)
		},
	}
	opts.add(run)
	cmd.AddCommand(create, update, del, versions, run)
	return cmd
}

func (a *app) runsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "runs", Aliases: []string{"query-runs"}, Short: "List, inspect and cancel query runs"}
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List query runs, newest first", op: "listQueryRuns", key: "query_runs", limit: 30,
			cols: output.Cols("ID", "id", "Status", "status", "Source", "source", "Rows", "row_count", "Time ms", "execution_time_ms", "Result", "result_id", "Created", "created_at", "SQL", "sql_text")}),
		a.objectCmd(getSpec{use: "get ID", short: "Show a query run", op: "getQueryRun", param: "id"}),
		a.objectCmd(getSpec{use: "cancel ID", short: "Cancel a running query", op: "cancelQueryRun", param: "id", done: "Asked to cancel query run %s."}),
		&cobra.Command{
			Use: "wait ID", Short: "Wait for a query run to end (exit 1 when it fails)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := a.client()
				if err != nil {
					return err
				}
				run, err := a.waitRun(cmd.Context(), c, args[0], false)
				if err != nil {
					return err
				}
				return a.printObject(run)
			},
		},
	)
	return cmd
}

func (a *app) resultsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "results", Aliases: []string{"result"}, Short: "List stored results and download them"}
	var format string
	get := &cobra.Command{
		Use:   "get ID",
		Short: "Print a stored result's rows (waits while its query runs)",
		Example: `  hotdata results get res_… --format csv > out.csv
  hotdata results get res_… --format parquet > out.parquet`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := a.resolveFormat(format)
			if err != nil {
				return err
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			return a.printResult(cmd.Context(), c, args[0], f, nil)
		},
	}
	get.Flags().StringVarP(&format, "format", "f", "", "table, csv, json, ndjson, arrow or parquet (default: table on a terminal, csv otherwise)")
	_ = get.RegisterFlagCompletionFunc("format", fixedCompletion(rowFormats...))
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List stored results, newest first", op: "listResults", key: "results", limit: 30,
			cols: output.Cols("ID", "id", "Status", "status", "Rows", "row_count", "Bytes", "size_bytes", "Query run", "query_run_id", "Created", "created_at", "Expires", "expires_at")}),
		get,
	)
	return cmd
}

// sortBy sorts objects by a string field.
func sortBy(items []map[string]any, field string) {
	sort.SliceStable(items, func(i, j int) bool { return output.Cell(items[i][field]) < output.Cell(items[j][field]) })
}
