package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

func (a *app) workspacesCmd() *cobra.Command {
	complete := a.completeFrom("listWorkspaces", "workspaces", "name")
	cmd := &cobra.Command{Use: "workspaces", Aliases: []string{"workspace", "ws"}, Short: "Create, list, suspend, resume and delete workspaces"}
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List the workspaces", op: "listWorkspaces", key: "workspaces",
			cols: output.Cols("Name", "name", "ID", "public_id", "Active", "active", "Status", "provision_status")}),
		a.objectCmd(getSpec{use: "get NAME", short: "Show a workspace", op: "getWorkspace", key: "workspace", param: "id", complete: complete}),
		a.objectCmd(getSpec{use: "suspend NAME", short: "Suspend a workspace: its sessions end and queries are refused until it resumes",
			op: "suspendWorkspace", key: "workspace", param: "id", complete: complete, done: "Suspended workspace %s."}),
		a.objectCmd(getSpec{use: "resume NAME", short: "Resume a suspended workspace", op: "resumeWorkspace", key: "workspace",
			param: "id", complete: complete, done: "Resumed workspace %s."}),
	)

	var org string
	create := &cobra.Command{
		Use: "create NAME", Short: "Create a workspace", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			body := map[string]any{"name": args[0]}
			if org != "" {
				body["organization_public_id"] = org
			}
			ws, err := object(cmd.Context(), c, "createWorkspace", client.Call{Body: body}, "workspace")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, ws)
			}
			a.say("Created workspace %s (%s).", ws["name"], ws["public_id"])
			return nil
		},
	}
	create.Flags().StringVar(&org, "org", "", "the organization (default: the token's)")
	cmd.AddCommand(create)

	var autoResume string
	var limits []string
	var rename string
	update := &cobra.Command{
		Use:   "update NAME",
		Short: "Rename a workspace or change its limits",
		Example: `  hotdata workspaces update analytics --name bi
  hotdata workspaces update analytics --limit memory_bytes=4294967296 --limit max_sessions=50 --auto-resume=true`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			body := map[string]any{}
			if rename != "" {
				body["name"] = rename
			}
			if autoResume != "" {
				b, err := strconv.ParseBool(autoResume)
				if err != nil {
					return usagef("--auto-resume takes true or false, not %q", autoResume)
				}
				body["auto_resume"] = b
			}
			if len(limits) > 0 {
				l, err := keyValues("--limit", limits)
				if err != nil {
					return err
				}
				body["limits"] = l
			}
			if len(body) == 0 {
				return usagef("nothing to change: give --name, --auto-resume or --limit")
			}
			ws, err := object(cmd.Context(), c, "updateWorkspace", client.Call{Path: map[string]string{"id": args[0]}, Body: body}, "workspace")
			if err != nil {
				return err
			}
			return a.printObject(ws)
		},
	}
	update.Flags().StringVar(&rename, "name", "", "a new name")
	update.Flags().StringVar(&autoResume, "auto-resume", "", "resume on the next connection or query when suspended (true or false)")
	update.Flags().StringArrayVar(&limits, "limit", nil, "a limit as key=value: memory_bytes, threads, cache_bytes, max_concurrent_queries, max_sessions (repeatable)")
	_ = update.RegisterFlagCompletionFunc("limit", fixedCompletion("memory_bytes=", "threads=", "cache_bytes=", "max_concurrent_queries=", "max_sessions="))
	cmd.AddCommand(update)

	del := a.deleteCmd(deleteSpec{use: "delete NAME", short: "Delete a workspace and everything in it", op: "deleteWorkspace",
		key: "workspace", param: "id", complete: complete,
		what: "delete workspace %s with its connections, cache, datasets and results", done: "Deleted workspace %s."})
	cmd.AddCommand(del)

	cmd.AddCommand(&cobra.Command{
		Use: "use NAME", Short: "Make a workspace the profile's default", Args: cobra.ExactArgs(1),
		ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			ws, err := object(cmd.Context(), c, "getWorkspace", pathOf("id", args[0]), "workspace")
			if err != nil {
				return err
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			name := cfg.ActiveName(a.profile)
			p := cfg.Profiles[name]
			if p == nil {
				return usagef("profile %q is not saved: run `hotdata login` first", name)
			}
			p.Workspace, _ = ws["name"].(string)
			if err := cfg.Save(); err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, map[string]any{"profile": name, "workspace": p.Workspace})
			}
			a.say("Profile %q now uses workspace %s.", name, p.Workspace)
			return nil
		},
	})
	return cmd
}

// keyValues reads key=value flags; a value that is JSON (a number, true,
// false, null, an object) is that, anything else a string.
func keyValues(flag string, kvs []string) (map[string]any, error) {
	out := map[string]any{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef("%s %q is not key=value", flag, kv)
		}
		var j any
		if err := json.Unmarshal([]byte(v), &j); err == nil && !isJSONString(v) {
			out[k] = j
		} else {
			out[k] = v
		}
	}
	return out, nil
}

func isJSONString(v string) bool { return strings.HasPrefix(strings.TrimSpace(v), `"`) }

func (a *app) secretsCmd() *cobra.Command {
	complete := a.completeFrom("listSecrets", "secrets", "name")
	cmd := &cobra.Command{Use: "secrets", Aliases: []string{"secret"}, Short: "Store, rotate and delete secrets (values are never shown)"}
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List the workspace's secrets", op: "listSecrets", key: "secrets",
			cols: output.Cols("Name", "name", "ID", "id", "Created", "created_at", "Updated", "updated_at")}),
		a.objectCmd(getSpec{use: "get NAME", short: "Show a secret's metadata", op: "getSecret", param: "name", complete: complete}),
	)
	var file string
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Store a secret: the value comes from --from-file, stdin, or a prompt",
		Example: `  hotdata secrets create shop_pw            # asks for the value without echo
  printf %s "$PGPASSWORD" | hotdata secrets create shop_pw
  hotdata secrets create bq_key --from-file service-account.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			value, err := a.readSecret(cmd.Context(), file)
			if err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, "createSecret", client.Call{Body: map[string]any{"name": args[0], "value": value}}, "")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, obj)
			}
			a.say("Stored secret %s (%s).", obj["name"], obj["id"])
			return nil
		},
	}
	create.Flags().StringVar(&file, "from-file", "", "read the value from this file (\"-\": stdin)")
	rotate := &cobra.Command{
		Use: "rotate NAME", Short: "Replace a secret's value (connections using it pick it up)", Args: cobra.ExactArgs(1),
		ValidArgsFunction: firstArg(complete),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			value, err := a.readSecret(cmd.Context(), file)
			if err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, "rotateSecret", client.Call{Path: map[string]string{"name": args[0]}, Body: map[string]any{"value": value}}, "")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, obj)
			}
			a.say("Rotated secret %s.", args[0])
			return nil
		},
	}
	rotate.Flags().StringVar(&file, "from-file", "", "read the value from this file (\"-\": stdin)")
	del := a.deleteCmd(deleteSpec{use: "delete NAME", short: "Delete a secret", op: "deleteSecret", param: "name", complete: complete,
		what: "delete secret %s (connections using it stop working)", done: "Deleted secret %s.",
		after: func(obj map[string]any) {
			if affected, _ := obj["connections_affected"].([]any); len(affected) > 0 {
				a.note("warning: these connections used it: %s", output.Cell(affected))
			}
		}})
	cmd.AddCommand(create, rotate, del)
	return cmd
}

// maxSecret is the largest secret value read (the server's own limit
// is lower).
const maxSecret = 1 << 20

// readSecret reads a secret's value: from a file, from stdin when it is
// not a terminal, else from a prompt without echo. One trailing newline
// of stdin or a prompt is dropped; a file is taken as it is.
func (a *app) readSecret(ctx context.Context, file string) (string, error) {
	if file != "" && file != "-" {
		st, err := os.Stat(file)
		if err != nil {
			return "", usagef("reading the secret: %v", err)
		}
		if st.Size() > maxSecret {
			return "", usagef("%s is larger than %d bytes", file, maxSecret)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return "", usagef("reading the secret: %v", err)
		}
		return string(b), nil
	}
	if f, ok := a.terminalIn(); ok && file == "" {
		s, err := a.readHidden(ctx, f, "Value (not echoed): ")
		if err != nil {
			return "", err
		}
		if s == "" {
			return "", usagef("the value is empty")
		}
		return s, nil
	}
	b, err := io.ReadAll(io.LimitReader(a.stdin, maxSecret+1))
	if err != nil {
		return "", fmt.Errorf("reading the secret from stdin: %w", err)
	}
	if len(b) > maxSecret {
		return "", usagef("the value on stdin is larger than %d bytes", maxSecret)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if s == "" {
		return "", usagef("no value on stdin: pipe it in or use --from-file")
	}
	return s, nil
}

func (a *app) orgsCmd() *cobra.Command {
	complete := a.completeFrom("listOrganizations", "organizations", "name")
	cmd := &cobra.Command{Use: "orgs", Aliases: []string{"org", "organizations"}, Short: "Create, list, rename and delete organizations"}
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List the organizations", op: "listOrganizations", key: "organizations",
			cols: output.Cols("Name", "name", "ID", "id", "Created", "created_at")}),
		a.objectCmd(getSpec{use: "get ORG", short: "Show an organization", op: "getOrganization", key: "organization", param: "id", complete: complete}),
		&cobra.Command{
			Use: "create NAME", Short: "Create an organization: you become its owner, with a new token", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := a.client()
				if err != nil {
					return err
				}
				obj, err := object(cmd.Context(), c, "createOrganization", client.Call{Body: map[string]any{"name": args[0]}}, "")
				if err != nil {
					return err
				}
				if a.json() {
					return output.JSON(a.stdout, obj)
				}
				a.say("Created organization %s (%s).", output.Field(obj, "organization.name"), output.Field(obj, "organization.id"))
				a.say("Its owner's token (shown once): %s", output.Field(obj, "token.token"))
				return nil
			},
		},
		&cobra.Command{
			Use: "rename ORG NAME", Short: "Rename an organization", Args: cobra.ExactArgs(2),
			ValidArgsFunction: firstArg(complete),
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := a.client()
				if err != nil {
					return err
				}
				obj, err := object(cmd.Context(), c, "updateOrganization",
					client.Call{Path: map[string]string{"id": args[0]}, Body: map[string]any{"name": args[1]}}, "organization")
				if err != nil {
					return err
				}
				return a.printObject(obj)
			},
		},
	)
	del := a.deleteCmd(deleteSpec{use: "delete ORG", short: "Delete an organization with its members, tokens and workspaces",
		op: "deleteOrganization", key: "organization", param: "id", complete: complete,
		what: "delete organization %s with its members, tokens and workspaces", done: "Deleted organization %s."})
	cmd.AddCommand(del)
	return cmd
}

func (a *app) membersCmd() *cobra.Command {
	var org string
	cmd := &cobra.Command{Use: "members", Aliases: []string{"member"}, Short: "Invite members, change their roles and remove them"}
	cmd.PersistentFlags().StringVar(&org, "org", "", "the organization (default: the token's)")
	orgOf := func(cmd *cobra.Command, c *client.Client) (string, error) {
		if org != "" {
			return org, nil
		}
		who, err := object(cmd.Context(), c, "whoami", client.Call{}, "")
		if err != nil {
			return "", err
		}
		id, _ := output.Field(who, "organization.id").(string)
		if id == "" {
			return "", fmt.Errorf("cannot tell the token's organization: pass --org")
		}
		return id, nil
	}
	memberCall := func(cmd *cobra.Command, c *client.Client, member string, body any) (client.Call, error) {
		o, err := orgOf(cmd, c)
		if err != nil {
			return client.Call{}, err
		}
		p := map[string]string{"id": o}
		if member != "" {
			p["member_id"] = member
		}
		return client.Call{Path: p, Body: body}, nil
	}
	run := func(op, key, done string, body func(args []string) (any, error), confirm *bool) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var b any
			if body != nil {
				if b, err = body(args); err != nil {
					return err
				}
			}
			member := ""
			if len(args) > 0 && op != "inviteMember" {
				member = args[0]
			}
			if confirm != nil {
				if err := a.confirm(cmd.Context(), *confirm, "remove member "+member+" and delete their tokens", member); err != nil {
					return err
				}
			}
			call, err := memberCall(cmd, c, member, b)
			if err != nil {
				return err
			}
			obj, err := object(cmd.Context(), c, op, call, "")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, obj)
			}
			if done != "" {
				a.say(done, member)
				return nil
			}
			if op == "inviteMember" {
				a.say("Invited %s as %s (%s).", output.Field(obj, "member.name"), output.Field(obj, "member.role"), output.Field(obj, "member.id"))
				a.say("Their token (shown once): %s", output.Field(obj, "token.token"))
				return nil
			}
			m, _ := obj[key].(map[string]any)
			return output.Detail(a.stdout, m)
		}
	}
	lst := a.listCmd(listSpec{use: "list", short: "List the organization's members", op: "listMembers", key: "members",
		cols: output.Cols("Name", "name", "Email", "email", "Role", "role", "ID", "id", "Created", "created_at"),
		call: func(cmd *cobra.Command, _ []string) (client.Call, error) {
			c, err := a.client()
			if err != nil {
				return client.Call{}, err
			}
			return memberCall(cmd, c, "", nil)
		}})
	var name, email, role string
	var yes bool
	invite := &cobra.Command{Use: "invite", Short: "Invite a member: prints their new token once", Args: cobra.NoArgs,
		RunE: run("inviteMember", "member", "", func([]string) (any, error) {
			if name == "" && email == "" {
				return nil, usagef("give --name or --email")
			}
			b := map[string]any{"role": role}
			if name != "" {
				b["name"] = name
			}
			if email != "" {
				b["email"] = email
			}
			return b, nil
		}, nil)}
	invite.Flags().StringVar(&name, "name", "", "the member's name")
	invite.Flags().StringVar(&email, "email", "", "the member's email")
	invite.Flags().StringVar(&role, "role", "member", "owner, admin, member or viewer")
	_ = invite.RegisterFlagCompletionFunc("role", fixedCompletion("owner", "admin", "member", "viewer"))
	get := &cobra.Command{Use: "get MEMBER", Short: "Show a member", Args: cobra.ExactArgs(1), RunE: run("getMember", "member", "", nil, nil)}
	setRole := &cobra.Command{Use: "set-role MEMBER ROLE", Short: "Change a member's role", Args: cobra.ExactArgs(2),
		RunE: run("updateMember", "member", "", func(args []string) (any, error) { return map[string]any{"role": args[1]}, nil }, nil)}
	remove := &cobra.Command{Use: "remove MEMBER", Aliases: []string{"rm"}, Short: "Remove a member and delete their tokens", Args: cobra.ExactArgs(1),
		RunE: run("removeMember", "member", "Removed member %s.", nil, &yes)}
	remove.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	cmd.AddCommand(lst, invite, get, setRole, remove)
	return cmd
}

func (a *app) tokensCmd() *cobra.Command {
	complete := a.completeFrom("listTokens", "tokens", "id")
	cmd := &cobra.Command{Use: "tokens", Aliases: []string{"token"}, Short: "Make, list and revoke your API tokens"}
	var name, limitTo, expires string
	create := &cobra.Command{
		Use: "create", Short: "Make a token: prints its text once", Args: cobra.NoArgs,
		Example: `  hotdata tokens create --name ci --only-workspace analytics --expires 30d`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			body := map[string]any{}
			if name != "" {
				body["name"] = name
			}
			if limitTo != "" {
				body["workspace_id"] = limitTo
			}
			if expires != "" {
				at, err := expiry(expires, time.Now())
				if err != nil {
					return err
				}
				body["expires_at"] = at
			}
			tok, err := object(cmd.Context(), c, "createToken", client.Call{Body: body}, "token")
			if err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, tok)
			}
			a.say("Made token %s (%s). Its text, shown once:", tok["name"], tok["id"])
			a.say("%s", tok["token"])
			return nil
		},
	}
	create.Flags().StringVar(&name, "name", "", "a name for the token")
	create.Flags().StringVar(&limitTo, "only-workspace", "", "limit the token to this workspace")
	create.Flags().StringVar(&expires, "expires", "", "when it expires: an RFC 3339 time, or a duration from now (90d, 12h)")
	cmd.AddCommand(
		a.listCmd(listSpec{use: "list", short: "List your tokens (never their text)", op: "listTokens", key: "tokens",
			cols: output.Cols("ID", "id", "Name", "name", "Prefix", "prefix", "Workspace", "workspace_id", "Status", "status", "Last used", "last_used_at", "Expires", "expires_at")}),
		a.objectCmd(getSpec{use: "get ID", short: "Show a token", op: "getToken", key: "token", param: "id", complete: complete}),
		a.objectCmd(getSpec{use: "revoke ID", short: "Revoke a token at once (REST and pgwire)", op: "revokeToken", key: "token",
			param: "id", complete: complete, done: "Revoked token %s."}),
		create,
	)
	return cmd
}

// expiry reads --expires: RFC 3339, or a duration (with d for days).
func expiry(s string, now time.Time) (string, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Format(time.RFC3339), nil
	}
	d := s
	days := 0.0
	if n, ok := strings.CutSuffix(s, "d"); ok {
		f, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return "", usagef("--expires %q is neither an RFC 3339 time nor a duration (90d, 12h)", s)
		}
		days, d = f, "0s"
	}
	dur, err := time.ParseDuration(d)
	if err != nil || dur < 0 || days < 0 {
		return "", usagef("--expires %q is neither an RFC 3339 time nor a duration (90d, 12h)", s)
	}
	return now.Add(dur + time.Duration(days*24*float64(time.Hour))).UTC().Format(time.RFC3339), nil
}
