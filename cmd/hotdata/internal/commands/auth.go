package commands

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/config"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

// defaultURL is the address cmd/control serves by default.
const defaultURL = "http://127.0.0.1:8080"

func (a *app) loginCmd() *cobra.Command {
	var pgAddr string
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Save a server URL and token as a profile",
		Long: `login checks a token against the server and saves it, with the server's URL and a
workspace, as a profile in the config file (mode 0600).

The token is read from HOTDATA_TOKEN, else from stdin when stdin is not a
terminal (echo "$TOKEN" | hotdata login), else asked for without echo. It is
never a command-line argument. Without --workspace the workspace the token is
limited to is used, else the only workspace, else the one named "default".`,
		Example: `  hotdata login --url http://127.0.0.1:8080 < hotdata-data/admin-token
  hotdata login --profile staging --url https://hotdata.staging.example.com -w analytics`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			name := cfg.ActiveName(a.profile)
			prev := cfg.Profiles[name]
			p := config.Profile{URL: defaultURL}
			if prev != nil {
				p = *prev
			}
			if v := os.Getenv("HOTDATA_URL"); v != "" {
				p.URL = v
			}
			if a.url != "" {
				p.URL = a.url
			}
			if err := checkURL(p.URL); err != nil {
				return err
			}
			if u, _ := url.Parse(p.URL); u.Scheme == "http" && !isLoopback(u.Hostname()) {
				a.note("warning: %s is plain http: the token crosses the network unencrypted; use https", redactURL(p.URL))
			}
			if pgAddr != "" {
				p.PGAddr = pgAddr
			}
			if p.Token, err = a.readToken(cmd.Context()); err != nil {
				return err
			}
			c := newClient(p)
			who, err := object(cmd.Context(), c, "whoami", client.Call{}, "")
			if err != nil {
				return err
			}
			switch {
			case a.workspace != "":
				p.Workspace = a.workspace
			case os.Getenv("HOTDATA_WORKSPACE") != "":
				p.Workspace = os.Getenv("HOTDATA_WORKSPACE")
			default:
				p.Workspace = pickWorkspace(cmd.Context(), c, who, p.Workspace)
			}
			if p.Workspace != "" {
				c.Workspace = p.Workspace
				if _, err := object(cmd.Context(), c, "getWorkspace", pathOf("id", p.Workspace), "workspace"); err != nil {
					return fmt.Errorf("workspace %q: %w", p.Workspace, err)
				}
			}
			cfg.Profiles[name] = &p
			cfg.Current = name
			if err := cfg.Save(); err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, map[string]any{"profile": name, "url": p.URL, "workspace": p.Workspace,
					"member": who["member"], "organization": who["organization"], "token": who["token"]})
			}
			a.say("Logged in to %s as %s (%s of %s).", p.URL, output.Field(who, "member.name"),
				output.Field(who, "member.role"), output.Field(who, "organization.name"))
			if p.Workspace != "" {
				a.say("Workspace: %s. Profile %q saved in %s.", p.Workspace, name, cfg.FilePath())
			} else {
				a.say("No workspace chosen: run `hotdata workspaces use NAME`. Profile %q saved in %s.", name, cfg.FilePath())
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&pgAddr, "pg-addr", "", "the server's PostgreSQL endpoint, host:port (default: the URL's host, port 5433)")
	return cmd
}

// isLoopback reports whether host is this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("%q is not a server URL: give http(s)://host:port", s)
	}
	return nil
}

// readToken reads the token to log in with.
func (a *app) readToken(ctx context.Context) (string, error) {
	if v := os.Getenv("HOTDATA_TOKEN"); v != "" {
		return checkToken(v)
	}
	if f, ok := a.terminalIn(); ok {
		s, err := a.readHidden(ctx, f, "Token (hd_…): ")
		if err != nil {
			return "", err
		}
		return checkToken(s)
	}
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", usagef("no token on stdin: pipe it in (hotdata login < token-file) or set HOTDATA_TOKEN")
	}
	return checkToken(line)
}

func checkToken(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", usagef("the token is empty")
	}
	return s, nil
}

// pickWorkspace chooses a workspace for a new login: the token's own,
// the one already in the profile, the only one, or "default".
func pickWorkspace(ctx context.Context, c *client.Client, who map[string]any, current string) string {
	if ws, _ := output.Field(who, "token.workspace_id").(string); ws != "" {
		return ws
	}
	items, err := list(ctx, c, "listWorkspaces", client.Call{}, "workspaces", 0)
	if err != nil {
		return current
	}
	for _, it := range items {
		if current != "" && (it["name"] == current || it["public_id"] == current) {
			return current
		}
	}
	if len(items) == 1 {
		name, _ := items[0]["name"].(string)
		return name
	}
	for _, it := range items {
		if it["name"] == "default" {
			return "default"
		}
	}
	return ""
}

func (a *app) logoutCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the current profile's token",
		Long:  "logout removes the token from the profile (the server still knows it: `hotdata tokens revoke` ends it there).",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			name := cfg.ActiveName(a.profile)
			p := cfg.Profiles[name]
			if p == nil || p.Token == "" {
				return usagef("profile %q is not logged in", name)
			}
			p.Token = ""
			if err := cfg.Save(); err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, map[string]any{"profile": name, "url": p.URL, "logged_in": false})
			}
			a.say("Logged out of %s (profile %q).", p.URL, name)
			return nil
		},
	}
}

func (a *app) whoamiCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "whoami",
		Short: "Show the server, member, organization and workspace in use",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			who, err := object(cmd.Context(), c, "whoami", client.Call{}, "")
			if err != nil {
				return err
			}
			cfg, _ := a.config()
			p, _ := a.settings()
			out := map[string]any{"profile": cfg.ActiveName(a.profile), "url": p.URL, "workspace": p.Workspace,
				"pg_addr": pgAddr(p), "member": who["member"], "organization": who["organization"], "token": who["token"]}
			if a.json() {
				return output.JSON(a.stdout, out)
			}
			return output.Detail(a.stdout, map[string]any{
				"profile": out["profile"], "url": p.URL, "workspace": p.Workspace, "postgres": pgAddr(p),
				"member": output.Field(who, "member.name"), "role": output.Field(who, "member.role"),
				"organization": output.Field(who, "organization.name"),
				"token":        fmt.Sprintf("%v (%v…)", output.Field(who, "token.name"), output.Field(who, "token.prefix")),
			})
		},
	}
}

// pgAddr is the PostgreSQL endpoint of a profile.
func pgAddr(p config.Profile) string {
	if p.PGAddr != "" {
		return p.PGAddr
	}
	u, err := url.Parse(p.URL)
	if err != nil || u.Hostname() == "" {
		return "127.0.0.1:5433"
	}
	return net.JoinHostPort(u.Hostname(), "5433")
}

func (a *app) profilesCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "profiles", Short: "List, switch and remove saved profiles"}
	cmd.AddCommand(&cobra.Command{
		Use: "list", Aliases: []string{"ls"}, Short: "List the profiles", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			active := cfg.ActiveName(a.profile)
			var items []map[string]any
			for _, n := range cfg.Names() {
				p := cfg.Profiles[n]
				items = append(items, map[string]any{"name": n, "current": n == active, "url": p.URL,
					"workspace": p.Workspace, "logged_in": p.Token != ""})
			}
			return a.printItems(output.Cols("", "mark", "Name", "name", "URL", "url", "Workspace", "workspace", "Logged in", "logged_in"), markCurrent(items, a.json()))
		},
	}, &cobra.Command{
		Use: "use NAME", Short: "Make a profile the current one", Args: cobra.ExactArgs(1),
		ValidArgsFunction: firstArg(completeProfiles),
		RunE: func(_ *cobra.Command, args []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if cfg.Profiles[args[0]] == nil {
				return usagef("no profile %q: `hotdata profiles list` shows them; `hotdata login --profile %s` makes it", args[0], args[0])
			}
			cfg.Current = args[0]
			if err := cfg.Save(); err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, map[string]any{"current_profile": args[0]})
			}
			a.say("Now using profile %q.", args[0])
			return nil
		},
	}, &cobra.Command{
		Use: "remove NAME", Aliases: []string{"rm"}, Short: "Delete a profile", Args: cobra.ExactArgs(1),
		ValidArgsFunction: firstArg(completeProfiles),
		RunE: func(_ *cobra.Command, args []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if cfg.Profiles[args[0]] == nil {
				return usagef("no profile %q", args[0])
			}
			delete(cfg.Profiles, args[0])
			if cfg.Current == args[0] {
				cfg.Current = ""
			}
			if err := cfg.Save(); err != nil {
				return err
			}
			if a.json() {
				return output.JSON(a.stdout, map[string]any{"removed_profile": args[0]})
			}
			a.say("Removed profile %q.", args[0])
			return nil
		},
	})
	return cmd
}

func markCurrent(items []map[string]any, asJSON bool) []map[string]any {
	if asJSON {
		return items
	}
	for _, it := range items {
		if it["current"] == true {
			it["mark"] = "*"
		}
	}
	return items
}

func completeProfiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	cfg, err := config.Load()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return cfg.Names(), cobra.ShellCompDirectiveNoFileComp
}
