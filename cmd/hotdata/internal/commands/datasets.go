package commands

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

var uploadColumns = output.Cols("ID", "id", "File", "filename", "Bytes", "size_bytes", "Type", "content_type", "Status", "status", "Created", "created_at")

func (a *app) uploadsCmd() *cobra.Command {
	a.cols("uploadFile", "", uploadColumns)
	cmd := &cobra.Command{Use: "uploads", Aliases: []string{"upload", "files"}, Short: "Upload files to make datasets of"}
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List uploaded files", op: "listUploads", key: "files", cols: uploadColumns}),
		&cobra.Command{
			Use: "create FILE", Short: "Upload a file (CSV, Parquet, JSON, NDJSON) with a progress bar", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := a.client()
				if err != nil {
					return err
				}
				up, err := a.upload(cmd.Context(), c, args[0])
				if err != nil {
					return err
				}
				if a.json() {
					return output.JSON(a.stdout, up)
				}
				return output.Items(a.stdout, uploadColumns, []map[string]any{up})
			},
		},
	)
	return cmd
}

// contentTypes by file extension.
var contentTypes = map[string]string{".csv": "text/csv", ".tsv": "text/tab-separated-values", ".parquet": "application/vnd.apache.parquet",
	".json": "application/json", ".ndjson": "application/x-ndjson", ".jsonl": "application/x-ndjson"}

// upload sends a file to POST /v1/files, streamed, with a bar of bytes.
func (a *app) upload(ctx context.Context, c *client.Client, path string) (map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("opening %s: %v", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, usagef("%s is not a regular file", path)
	}
	ct := contentTypes[strings.ToLower(filepath.Ext(path))]
	if ct == "" {
		ct = "application/octet-stream"
	}
	bar := output.NewBytes(a.stderr, a.showProgress(), st.Size(), "uploading "+filepath.Base(path))
	var up map[string]any
	_, err = c.Do(ctx, "uploadFile", client.Call{Query: queryOf("filename", filepath.Base(path)),
		Raw: bar.Reader(f), RawLength: st.Size(), ContentType: ct}, &up)
	if err != nil {
		bar.Abandon()
		return nil, err
	}
	bar.Finish()
	return up, nil
}

// sourceFlags describe where a dataset's rows come from.
type sourceFlags struct {
	file, uploadID, sql, savedQuery, format, delimiter string
	columns                                            []string
	noHeader, skipBadRows                              bool
}

func (s *sourceFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&s.file, "file", "", "a local file to upload first (with a progress bar)")
	f.StringVar(&s.uploadID, "upload-id", "", "a file uploaded before (hotdata uploads list)")
	f.StringVar(&s.sql, "sql", "", "the result of this query")
	f.StringVar(&s.savedQuery, "saved-query", "", "the result of this saved query")
	f.StringVar(&s.format, "format", "", "csv, parquet, json or ndjson (default: from the file)")
	f.StringVar(&s.delimiter, "delimiter", "", "the CSV delimiter (default ,)")
	f.StringArrayVar(&s.columns, "column", nil, "a column's type as name:type, e.g. founded:date (repeatable; default: inferred)")
	f.BoolVar(&s.noHeader, "no-header", false, "the CSV has no header line")
	f.BoolVar(&s.skipBadRows, "skip-bad-rows", false, "skip rows that do not parse instead of failing")
	cmd.MarkFlagsMutuallyExclusive("file", "upload-id", "sql", "saved-query")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion("csv", "parquet", "json", "ndjson"))
}

// source builds the DatasetSource, uploading --file first.
func (s *sourceFlags) source(ctx context.Context, a *app, c *client.Client) (map[string]any, error) {
	src := map[string]any{}
	switch {
	case s.file != "":
		up, err := a.upload(ctx, c, s.file)
		if err != nil {
			return nil, err
		}
		src["upload_id"] = up["id"]
	case s.uploadID != "":
		src["upload_id"] = s.uploadID
	case s.sql != "":
		src["sql_query"] = s.sql
	case s.savedQuery != "":
		src["saved_query_id"] = s.savedQuery
	default:
		return nil, usagef("give the rows' source: --file, --upload-id, --sql or --saved-query")
	}
	if s.format != "" {
		src["format"] = s.format
	}
	if s.delimiter != "" {
		src["delimiter"] = s.delimiter
	}
	if s.noHeader {
		src["header"] = false
	}
	if s.skipBadRows {
		src["skip_bad_rows"] = true
	}
	if len(s.columns) > 0 {
		cols := make([]map[string]any, 0, len(s.columns))
		for _, c := range s.columns {
			name, typ, ok := strings.Cut(c, ":")
			if !ok || name == "" || typ == "" {
				return nil, usagef("--column %q is not name:type", c)
			}
			cols = append(cols, map[string]any{"name": name, "type": typ})
		}
		src["columns"] = cols
	}
	return src, nil
}

var datasetColumns = output.Cols("Table", "table_name", "Label", "label", "ID", "id", "Status", "status", "Version", "version", "Rows", "row_count", "Updated", "updated_at")

func (a *app) datasetsCmd() *cobra.Command {
	complete := a.completeFrom("listDatasets", "datasets", "table_name")
	cmd := &cobra.Command{Use: "datasets", Aliases: []string{"dataset"}, Short: "Make tables of uploaded files and query results"}
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List datasets", op: "listDatasets", key: "datasets", cols: datasetColumns}),
		a.objectCmd(getSpec{use: "get NAME", short: "Show a dataset", op: "getDataset", param: "id", complete: complete}),
	)
	var src sourceFlags
	var label, table string
	create := &cobra.Command{
		Use:   "create",
		Short: "Make a dataset (queryable as datasets.<table>)",
		Example: `  hotdata datasets create --label Cities --file cities.csv
  hotdata datasets create --label "Paid orders" --table paid --sql "SELECT * FROM shop.orders WHERE paid"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			if label == "" {
				if src.file == "" {
					return usagef("give the dataset a --label")
				}
				label = strings.TrimSuffix(filepath.Base(src.file), filepath.Ext(src.file))
			}
			s, err := src.source(cmd.Context(), a, c)
			if err != nil {
				return err
			}
			body := map[string]any{"label": label, "source": s}
			if table != "" {
				body["table_name"] = table
			}
			ds, err := object(cmd.Context(), c, "createDataset", client.Call{Body: body}, "")
			if err != nil {
				return err
			}
			return a.finishDataset(cmd.Context(), c, ds)
		},
	}
	src.add(create)
	create.Flags().StringVar(&label, "label", "", "the dataset's label (default: the file's name)")
	create.Flags().StringVar(&table, "table", "", "its table name (default: made from the label)")

	var rsrc sourceFlags
	var rlabel string
	replace := &cobra.Command{
		Use: "replace NAME", Short: "Load a dataset anew from a new source: a new version", Args: cobra.ExactArgs(1),
		ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			s, err := rsrc.source(cmd.Context(), a, c)
			if err != nil {
				return err
			}
			body := map[string]any{"source": s}
			if rlabel != "" {
				body["label"] = rlabel
			}
			ds, err := object(cmd.Context(), c, "replaceDataset", client.Call{Path: map[string]string{"id": args[0]}, Body: body}, "")
			if err != nil {
				return err
			}
			return a.finishDataset(cmd.Context(), c, ds)
		},
	}
	rsrc.add(replace)
	replace.Flags().StringVar(&rlabel, "label", "", "a new label")

	var psrc sourceFlags
	previewCols := a.cols("previewDataset", "columns", output.Cols("Column", "name", "Type", "data_type", "Nullable", "nullable"))
	preview := &cobra.Command{
		Use: "preview", Short: "Show the columns and first rows a dataset would get, without making it", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			s, err := psrc.source(cmd.Context(), a, c)
			if err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, "previewDataset", client.Call{Body: s}, "")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, obj)
			}
			cols := toObjects(obj["columns"])
			if err := output.Items(a.stdout, previewCols, cols); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout)
			names := make([]string, len(cols))
			for i, col := range cols {
				names[i] = output.Cell(col["name"])
			}
			var rows [][]any
			for _, r := range toAnys(obj["rows"]) {
				cells, _ := r.([]any)
				rows = append(rows, cells)
			}
			return writeRows(a.stdout, "table", names, rows)
		},
	}
	psrc.add(preview)

	del := a.deleteCmd(deleteSpec{use: "delete NAME", short: "Delete a dataset and its versions", op: "deleteDataset", param: "id",
		complete: complete, what: "delete dataset %s", done: "Deleted dataset %s."})

	versionCols := a.cols("datasetVersions", "versions", output.Cols("Version", "version", "Status", "status", "Rows", "row_count",
		"Bytes", "size_bytes", "Current", "current", "Created", "created_at", "Retired", "retired_at"))
	versions := &cobra.Command{
		Use: "versions NAME", Short: "List a dataset's versions", Args: cobra.ExactArgs(1), ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, "datasetVersions", pathOf("id", args[0]), "")
			if err != nil {
				return err
			}
			return a.printItems(versionCols, toObjects(obj["versions"]))
		},
	}
	cmd.AddCommand(create, replace, preview, del, versions)
	return cmd
}

// finishDataset waits while a dataset loads and prints it; a failed
// load is exit 1.
func (a *app) finishDataset(ctx context.Context, c *client.Client, ds map[string]any) error {
	id, _ := ds["id"].(string)
	if ds["status"] == "loading" {
		bar := output.NewStatus(a.stderr, a.showProgress(), "loading dataset "+fmt.Sprint(ds["table_name"]))
		err := client.Poll(ctx, pollInterval, func() (bool, error) {
			d, err := object(ctx, c, "getDataset", pathOf("id", id), "")
			if err != nil {
				return false, err
			}
			ds = d
			bar.Fraction(-1)
			return d["status"] != "loading", nil
		})
		bar.Abandon()
		if err != nil {
			return err
		}
	}
	if w, _ := ds["warning"].(string); w != "" {
		a.note("warning: %s", w)
	}
	if a.json() {
		if err := output.JSON(a.stdout, ds); err != nil {
			return err
		}
	} else if ds["status"] == "ready" {
		a.say("Dataset %s is ready: %v rows, query it as datasets.%s.", ds["label"], ds["row_count"], ds["table_name"])
	}
	if ds["status"] == "failed" {
		msg, _ := ds["error"].(string)
		return &failedError{msg: "dataset " + fmt.Sprint(ds["table_name"]) + " failed to load: " + msg}
	}
	return nil
}
