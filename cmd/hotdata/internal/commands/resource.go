package commands

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

// listSpec describes a list command.
type listSpec struct {
	use, short string
	op, key    string
	cols       []output.Column
	// limit is the default of --limit (0: every item).
	limit int
	// call adds the list's parameters from the command's flags and args.
	call func(cmd *cobra.Command, args []string) (client.Call, error)
	args cobra.PositionalArgs
}

func (a *app) listCmd(s listSpec) *cobra.Command {
	var limit int
	a.cols(s.op, s.key, s.cols)
	cmd := &cobra.Command{
		Use:     s.use,
		Aliases: []string{"ls"},
		Short:   s.short,
		Args:    s.args,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			call := client.Call{}
			if s.call != nil {
				if call, err = s.call(cmd, args); err != nil {
					return err
				}
			}
			items, err := list(cmd.Context(), c, s.op, call, s.key, limit)
			if err != nil {
				return err
			}
			return a.printItems(s.cols, items)
		},
	}
	if s.args == nil {
		cmd.Args = cobra.NoArgs
	}
	cmd.Flags().IntVar(&limit, "limit", s.limit, "list at most this many (0: all)")
	return cmd
}

// list reads up to limit items (0: all) of a list operation.
func list(ctx context.Context, c *client.Client, op string, call client.Call, key string, limit int) ([]map[string]any, error) {
	var items []map[string]any
	err := c.List(ctx, op, call, key, limit, func(page []map[string]any) bool {
		items = append(items, page...)
		return true
	})
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	return items, err
}

// object calls an operation and returns its answer's object under key
// ("": the answer itself).
func object(ctx context.Context, c *client.Client, op string, call client.Call, key string) (map[string]any, error) {
	var body map[string]any
	if _, err := c.Do(ctx, op, call, &body); err != nil {
		return nil, err
	}
	if key == "" {
		return body, nil
	}
	obj, _ := body[key].(map[string]any)
	if obj == nil {
		return nil, fmt.Errorf("the answer of %s has no %q", op, key)
	}
	return obj, nil
}

// getSpec describes a command that shows one object.
type getSpec struct {
	use, short string
	op, key    string
	// param is the path parameter the first argument fills ("id").
	param    string
	complete func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)
	// extra adds more to the call.
	extra func(cmd *cobra.Command, call *client.Call) error
	// method of the verb: a POST or DELETE shows the object it answers.
	done string
}

// objectCmd calls an operation on one named resource and prints the
// object it answers.
func (a *app) objectCmd(s getSpec) *cobra.Command {
	cmd := &cobra.Command{
		Use:               s.use,
		Short:             s.short,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: firstArg(s.complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			call := client.Call{Path: map[string]string{s.param: args[0]}}
			if s.extra != nil {
				if err := s.extra(cmd, &call); err != nil {
					return err
				}
			}
			obj, err := object(cmd.Context(), c, s.op, call, s.key)
			if err != nil {
				return err
			}
			if s.done != "" && !a.json() {
				a.say(s.done, args[0])
				return nil
			}
			return a.printObject(obj)
		},
	}
	return cmd
}

// firstArg completes only the first positional argument.
func firstArg(f func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 || f == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return f(cmd, args, prefix)
	}
}

// completeFrom completes names from the server: field of each item of a
// list operation.
func (a *app) completeFrom(op, key, field string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		c, err := a.client()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		items, err := list(cmd.Context(), c, op, client.Call{}, key, 1000)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		var out []string
		for _, it := range items {
			if s, _ := it[field].(string); s != "" && strings.HasPrefix(s, prefix) {
				out = append(out, s)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

func fixedCompletion(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// confirm asks the user to type want before something is destroyed; yes
// (--yes) skips it. Without a terminal and without --yes it refuses.
func (a *app) confirm(ctx context.Context, yes bool, what, want string) error {
	if yes {
		return nil
	}
	if _, ok := a.terminalIn(); !ok {
		return usagef("refusing to %s without --yes (stdin is not a terminal to confirm on)", what)
	}
	line, err := a.readLine(ctx, fmt.Sprintf("This will %s. Type %q to confirm: ", what, want))
	if err != nil {
		return err
	}
	if line != want {
		return usagef("not confirmed: %q is not %q", line, want)
	}
	return nil
}

// pathOf is a call with path parameters given as name, value pairs.
func pathOf(kv ...string) client.Call {
	p := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return client.Call{Path: p}
}

// queryOf makes query parameters of name, value pairs, leaving out
// empty values.
func queryOf(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	return q
}

// splitTable reads SCHEMA.TABLE.
func splitTable(s string) (schema, table string, err error) {
	schema, table, ok := strings.Cut(s, ".")
	if !ok || schema == "" || table == "" {
		return "", "", usagef("%q is not SCHEMA.TABLE (e.g. public.orders)", s)
	}
	return schema, table, nil
}

// deleteSpec describes a command that destroys one named resource.
type deleteSpec struct {
	use, short string
	op, key    string
	param      string
	complete   func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)
	// what is what the confirmation says is destroyed, with %s for the
	// name; done is the line printed after.
	what, done string
	// after prints more from the answer (table mode).
	after func(obj map[string]any)
}

// deleteCmd asks for confirmation (or --yes), calls the operation and
// says what it did; with --output json it prints the answer.
func (a *app) deleteCmd(s deleteSpec) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use: s.use, Aliases: []string{"rm"}, Short: s.short, Args: cobra.ExactArgs(1),
		ValidArgsFunction: firstArg(s.complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			if err := a.confirm(cmd.Context(), yes, fmt.Sprintf(s.what, args[0]), args[0]); err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, s.op, pathOf(s.param, args[0]), s.key)
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, obj)
			}
			a.say(s.done, args[0])
			if s.after != nil {
				s.after(obj)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}
