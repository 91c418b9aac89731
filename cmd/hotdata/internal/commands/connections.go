package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

// connFlags are the flags that describe a connection.
type connFlags struct {
	file, sourceType, secret, configFile string
	config                               []string
	skipDiscovery                        bool
}

func (f *connFlags) add(cmd *cobra.Command, a *app) {
	fl := cmd.Flags()
	fl.StringVar(&f.file, "file", "", "a JSON file holding the whole request: {name, source_type, config, secret_name}")
	fl.StringVarP(&f.sourceType, "type", "t", "", "the source type: postgres, mysql, bigquery, snowflake (see: hotdata connections types)")
	fl.StringArrayVarP(&f.config, "config", "c", nil, "a config field as key=value, typed as the source type's schema says (repeatable); key:=JSON for a JSON value")
	fl.StringVar(&f.configFile, "config-file", "", "a JSON file holding the config object")
	fl.StringVar(&f.secret, "secret", "", "the secret holding the password or key (see: hotdata secrets create)")
	fl.BoolVar(&f.skipDiscovery, "skip-discovery", false, "do not read the source's tables now")
	_ = cmd.RegisterFlagCompletionFunc("type", a.completeFrom("listConnectionTypes", "connection_types", "name"))
	_ = cmd.RegisterFlagCompletionFunc("secret", a.completeFrom("listSecrets", "secrets", "name"))
}

// body is the request: the file's, with the flags over it.
func (f *connFlags) body(ctx context.Context, a *app, c *client.Client, name string) (map[string]any, error) {
	body := map[string]any{}
	if f.file != "" {
		if err := readJSONFile(f.file, &body); err != nil {
			return nil, err
		}
	}
	if name != "" {
		body["name"] = name
	}
	if f.sourceType != "" {
		body["source_type"] = f.sourceType
	}
	if f.secret != "" {
		body["secret_name"] = f.secret
	}
	if f.skipDiscovery {
		body["skip_discovery"] = true
	}
	cfg, _ := body["config"].(map[string]any)
	if cfg == nil {
		cfg = map[string]any{}
	}
	if f.configFile != "" {
		if err := readJSONFile(f.configFile, &cfg); err != nil {
			return nil, err
		}
	}
	if body["source_type"] == nil {
		return nil, usagef("give the source type: --type postgres (or a --file with source_type)")
	}
	if len(f.config) > 0 {
		st, _ := body["source_type"].(string)
		typ, err := object(ctx, c, "getConnectionType", pathOf("name", st), "")
		if err != nil {
			return nil, fmt.Errorf("source type %q: %w", st, err)
		}
		secretField, _ := output.Field(typ, "auth.secret_field").(string)
		props, _ := output.Field(typ, "config_schema.properties").(map[string]any)
		for _, kv := range f.config {
			k, v, err := configValue(kv, props)
			if err != nil {
				return nil, err
			}
			if k == secretField && secretField != "" {
				a.note("warning: --config %s puts the %s on the command line (visible in ps and shell history): store it with `hotdata secrets create` and pass --secret", k, k)
			}
			cfg[k] = v
		}
	}
	body["config"] = cfg
	return body, nil
}

// configValue reads one --config: key:=JSON is that JSON value; key=value
// is typed by the source type's schema (a string stays a string, an
// integer or number is parsed as one, a boolean as true or false).
func configValue(kv string, props map[string]any) (string, any, error) {
	if k, js, ok := strings.Cut(kv, ":="); ok && k != "" && !strings.Contains(k, "=") {
		dec := json.NewDecoder(strings.NewReader(js))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return "", nil, usagef("--config %s: %q is not JSON", k, js)
		}
		return k, v, nil
	}
	k, v, ok := strings.Cut(kv, "=")
	if !ok || k == "" {
		return "", nil, usagef("--config %q is not key=value (or key:=JSON)", kv)
	}
	typ, _ := output.Field(map[string]any{"p": props[k]}, "p.type").(string)
	switch typ {
	case "integer":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", nil, usagef("--config %s takes an integer, not %q", k, v)
		}
		return k, n, nil
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "", nil, usagef("--config %s takes a number, not %q", k, v)
		}
		return k, json.Number(v), nil
	case "boolean":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return "", nil, usagef("--config %s takes true or false, not %q", k, v)
		}
		return k, b, nil
	case "array", "object":
		var j any
		if err := json.Unmarshal([]byte(v), &j); err != nil {
			return "", nil, usagef("--config %s takes JSON (%s), not %q", k, typ, v)
		}
		return k, j, nil
	}
	return k, v, nil
}

func readJSONFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return usagef("reading %s: %v", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return usagef("%s is not a JSON object: %v", path, err)
	}
	return nil
}

func (a *app) connectionsCmd() *cobra.Command {
	complete := a.completeFrom("listConnections", "connections", "name")
	cmd := &cobra.Command{Use: "connections", Aliases: []string{"connection", "conn"}, Short: "Register sources, see their tables, refresh and purge their cache"}
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List the workspace's connections", op: "listConnections", key: "connections",
			cols: output.Cols("Name", "name", "ID", "id", "Type", "source_type", "Tables", "table_count", "Cached", "synced_table_count", "Discovery", "discovery_status", "Secret", "secret_name")}),
		a.objectCmd(getSpec{use: "get NAME", short: "Show a connection", op: "getConnection", param: "id", complete: complete}),
	)

	var cf connFlags
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Register a source; its tables are discovered at once",
		Example: `  hotdata secrets create shop_pw
  hotdata connections create shop --type postgres --secret shop_pw \
    -c host=127.0.0.1 -c port=5432 -c user=postgres -c database=hotdata_demo
  hotdata connections create --file shop.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			body, err := cf.body(cmd.Context(), a, c, name)
			if err != nil {
				return err
			}
			if body["name"] == nil {
				return usagef("give the connection a name: hotdata connections create NAME")
			}
			obj, err := object(cmd.Context(), c, "createConnection", client.Call{Body: body}, "")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, obj)
			}
			a.say("Created connection %s (%s): %v tables discovered (%v).", obj["name"], obj["id"], obj["tables_discovered"], obj["discovery_status"])
			if e, _ := obj["discovery_error"].(string); e != "" {
				a.note("warning: discovery failed: %s", e)
			}
			return nil
		},
	}
	cf.add(create, a)

	var tf connFlags
	test := &cobra.Command{
		Use:   "test [NAME]",
		Short: "Try a connection's settings without saving them (exit 1 when it fails)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			body, err := tf.body(cmd.Context(), a, c, name)
			if err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, "testConnection", client.Call{Body: body}, "")
			if err != nil {
				return err
			}
			return a.health(obj)
		},
	}
	tf.add(test, a)

	health := &cobra.Command{
		Use: "health NAME", Short: "Check that a connection's source answers (exit 1 when it does not)", Args: cobra.ExactArgs(1),
		ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, "connectionHealth", pathOf("id", args[0]), "")
			if err != nil {
				return err
			}
			return a.health(obj)
		},
	}

	var schema, table string
	var columns bool
	tables := a.listCmd(listSpec{use: "tables [NAME]", short: "List the tables you can query (of one connection, or all)",
		op: "informationSchema", key: "tables", args: cobra.MaximumNArgs(1),
		cols: output.Cols("Connection", "connection", "Schema", "schema", "Table", "table", "Cached", "synced", "Last sync", "last_sync"),
		call: func(_ *cobra.Command, args []string) (client.Call, error) {
			conn := ""
			if len(args) == 1 {
				conn = args[0]
			}
			q := queryOf("connection_id", conn, "schema", schema, "table", table)
			if columns {
				q.Set("include_columns", "true")
			}
			return client.Call{Query: q}, nil
		}})
	tables.ValidArgsFunction = firstArg(complete)
	tables.Flags().StringVar(&schema, "schema", "", "only this schema")
	tables.Flags().StringVar(&table, "table", "", "only this table")
	tables.Flags().BoolVar(&columns, "columns", false, "include each table's columns (see them with --output json)")

	var data, all, noWait bool
	refresh := &cobra.Command{
		Use:   "refresh [NAME] [SCHEMA.TABLE]",
		Short: "Re-discover tables, or with --data re-sync cached tables, with a progress bar",
		Example: `  hotdata connections refresh shop                       # re-read the schema
  hotdata connections refresh shop public.orders --data  # re-sync one table
  hotdata connections refresh --data --all               # every table of every connection`,
		Args:              cobra.MaximumNArgs(2),
		ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			body := map[string]any{"async": true, "data": data}
			if all {
				body["include_uncached"] = true
			}
			if len(args) >= 1 {
				body["connection_id"] = args[0]
			}
			if len(args) == 2 {
				s, t, err := splitTable(args[1])
				if err != nil {
					return err
				}
				body["schema_name"], body["table_name"] = s, t
			}
			accepted, err := object(cmd.Context(), c, "refresh", client.Call{Body: body}, "")
			if err != nil {
				return err
			}
			job, _ := accepted["job"].(map[string]any)
			id, _ := job["id"].(string)
			if id == "" {
				return a.printObject(accepted)
			}
			if noWait {
				if a.json() {
					return output.JSON(a.stdout, job)
				}
				a.say("Started job %s (hotdata jobs watch %s).", id, id)
				return nil
			}
			done, err := a.watchJob(cmd.Context(), c, id)
			if done != nil && (err == nil || a.json()) {
				if perr := a.printJob(done); perr != nil {
					return perr
				}
			}
			return err
		},
	}
	refresh.Flags().BoolVar(&data, "data", false, "re-sync the data of cached tables (default: re-read the schema only)")
	refresh.Flags().BoolVar(&all, "all", false, "with --data, sync tables that are not cached yet too")
	refresh.Flags().BoolVar(&noWait, "no-wait", false, "print the job and return at once")

	var refreshPolicy, incColumn, lookback, detectDeletes string
	policy := &cobra.Command{
		Use:   "policy NAME SCHEMA.TABLE",
		Short: "Set how a table is kept fresh: manual, every 15m, cdc, …",
		Example: `  hotdata connections policy shop public.orders --refresh cdc
  hotdata connections policy shop public.events --refresh "every 15m" --incremental-column id`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			s, t, err := splitTable(args[1])
			if err != nil {
				return err
			}
			body := map[string]any{"refresh": refreshPolicy}
			if incColumn != "" {
				body["incremental_column"] = incColumn
			}
			if lookback != "" {
				body["incremental_lookback"] = lookback
			}
			if detectDeletes != "" {
				b, err := strconv.ParseBool(detectDeletes)
				if err != nil {
					return usagef("--detect-deletes takes true or false")
				}
				body["detect_deletes"] = b
			}
			obj, err := object(cmd.Context(), c, "setTablePolicy",
				client.Call{Path: map[string]string{"id": args[0], "schema": s, "table": t}, Body: body}, "")
			if err != nil {
				return err
			}
			return a.printObject(obj)
		},
	}
	policy.Flags().StringVar(&refreshPolicy, "refresh", "", `manual, cdc, "every <duration>" or "ttl <duration>"`)
	policy.Flags().StringVar(&incColumn, "incremental-column", "", "sync only rows past this column's last value")
	policy.Flags().StringVar(&lookback, "incremental-lookback", "", "re-read this much before the last value (e.g. 10m)")
	policy.Flags().StringVar(&detectDeletes, "detect-deletes", "", "find rows deleted upstream on incremental syncs (true or false)")
	_ = policy.MarkFlagRequired("refresh")
	_ = policy.RegisterFlagCompletionFunc("refresh", fixedCompletion("manual", "cdc", "every 15m", "every 1h", "ttl 1h"))

	purge := &cobra.Command{
		Use: "purge NAME [SCHEMA.TABLE]", Short: "Drop the cache of a connection or one table (the next read syncs again)",
		Args: cobra.RangeArgs(1, 2), ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			op, call := "purgeConnectionCache", pathOf("id", args[0])
			if len(args) == 2 {
				s, t, err := splitTable(args[1])
				if err != nil {
					return err
				}
				op, call = "purgeTableCache", pathOf("id", args[0], "schema", s, "table", t)
			}
			obj, err := object(cmd.Context(), c, op, call, "")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, obj)
			}
			a.say("Purged %v tables.", obj["tables_purged"])
			return nil
		},
	}

	profileCols := a.cols("profileTable", "columns", output.Cols("Column", "name", "Type", "data_type", "Nulls", "null_count",
		"Distinct", "distinct_count", "Min", "min", "Max", "max"))
	profile := &cobra.Command{
		Use: "profile NAME SCHEMA.TABLE", Short: "Profile a cached table's columns: nulls, distinct values, min, max, top values",
		Args: cobra.ExactArgs(2), ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			s, t, err := splitTable(args[1])
			if err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, "profileTable", pathOf("id", args[0], "schema", s, "table", t), "")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, obj)
			}
			a.say("%s.%s.%s: %v rows (snapshot %v)", obj["connection"], obj["schema"], obj["table"], obj["row_count"], obj["snapshot_version"])
			cols := toObjects(obj["columns"])
			return output.Items(a.stdout, profileCols, cols)
		},
	}

	del := a.deleteCmd(deleteSpec{use: "delete NAME", short: "Delete a connection and its cache", op: "deleteConnection", param: "id",
		complete: complete, what: "delete connection %s and its cached tables", done: "Deleted connection %s.",
		after: func(obj map[string]any) { a.say("%v tables removed.", obj["tables_removed"]) }})

	typeCols := a.cols("listConnectionTypes", "connection_types", output.Cols("Name", "name", "Label", "label"))
	types := &cobra.Command{Use: "types [NAME]", Short: "List source types, or show one's config fields", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				obj, err := object(cmd.Context(), c, "getConnectionType", pathOf("name", args[0]), "")
				if err != nil {
					return err
				}
				if a.json() {
					return output.JSON(a.stdout, obj)
				}
				return a.printTypeFields(obj)
			}
			items, err := list(cmd.Context(), c, "listConnectionTypes", client.Call{}, "connection_types", 0)
			if err != nil {
				return err
			}
			return a.printItems(typeCols, items)
		}}
	cmd.AddCommand(create, test, health, tables, refresh, policy, purge, profile, del, types)
	return cmd
}

// health prints a ConnectionHealth; an unhealthy one is exit 1.
func (a *app) health(obj map[string]any) error {
	if err := a.printObject(obj); err != nil {
		return err
	}
	if obj["healthy"] != true {
		msg, _ := obj["error"].(string)
		if msg == "" {
			msg = "the source did not answer"
		}
		return &failedError{msg: "unhealthy: " + msg}
	}
	return nil
}

// printTypeFields prints a source type's config fields from its JSON
// Schema.
func (a *app) printTypeFields(t map[string]any) error {
	schema, _ := t["config_schema"].(map[string]any)
	props, _ := schema["properties"].(map[string]any)
	required := map[string]bool{}
	for _, r := range asStrings(schema["required"]) {
		required[r] = true
	}
	var items []map[string]any
	for name, p := range props {
		pm, _ := p.(map[string]any)
		items = append(items, map[string]any{"field": name, "type": pm["type"], "required": required[name], "description": pm["description"]})
	}
	sortBy(items, "field")
	a.say("%s (%s): config fields", t["name"], t["label"])
	return output.Items(a.stdout, output.Cols("Field", "field", "Type", "type", "Required", "required", "Description", "description"), items)
}

func (a *app) printJob(job map[string]any) error {
	if a.json() {
		return output.JSON(a.stdout, job)
	}
	return output.Items(a.stdout, jobColumns, []map[string]any{job})
}

func toObjects(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, it := range list {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
