package commands

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/config"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

// Version is the CLI's version, printed by --version: the module's
// version, or the commit it was built from.
var Version = buildVersion()

func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+changes"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "dev"
	}
	return "dev-" + rev + dirty + " (" + at + ")"
}

// app is one run of the CLI: its streams, its global flags and what they
// resolve to.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	// Global flags.
	profile   string
	url       string
	workspace string
	output    string
	quiet     bool
	noPager   bool

	cfg *config.File
	// started is set once cobra has parsed the command line and the
	// command runs.
	started bool

	// uses records which answer's fields each printed column reads, for
	// TestColumnsAreInTheDocument.
	uses []colUse
}

// colUse is one table's columns and where its rows are in an
// operation's answer: under key ("": the answer is the row).
type colUse struct {
	op, key string
	cols    []output.Column
}

// cols records a table's columns as reading the answer of op (rows under
// key) and returns them.
func (a *app) cols(op, key string, cols []output.Column) []output.Column {
	a.uses = append(a.uses, colUse{op, key, cols})
	return cols
}

// Run executes one command line (without the program name) and returns
// the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.root()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	if !a.started {
		// cobra's own error: a flag, an argument or a command that is
		// not there (the command never ran).
		path := "hotdata"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		err = &usageError{err.Error() + "\nRun '" + path + " --help' for usage."}
	}
	reportError(stderr, err, a.output == "json")
	return exitCode(err)
}

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "hotdata",
		Short: "Work with a Hotdata server from the terminal",
		Long: `hotdata calls a Hotdata server's /v1 REST API: workspaces, connections,
secrets, jobs, datasets, saved queries, query runs and results, and SQL.

Start with ` + "`hotdata login`" + `. Every command takes --output json for scripts;
exit codes: 0 ok, 1 server or job failure, 2 usage, 3 not found,
4 unauthenticated or forbidden, 5 request refused, 6 server unreachable.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			// Flags and arguments are valid: from here errors are the
			// command's own.
			a.started = true
			switch a.output {
			case "", "table", "json":
			default:
				return usagef("--output must be table or json, not %q", a.output)
			}
			return nil
		},
	}
	root.CompletionOptions.HiddenDefaultCmd = false
	f := root.PersistentFlags()
	f.StringVarP(&a.profile, "profile", "p", "", "the profile to use (default: the current one; env HOTDATA_PROFILE)")
	f.StringVar(&a.url, "url", "", "the server's URL, e.g. http://127.0.0.1:8080 (env HOTDATA_URL)")
	f.StringVarP(&a.workspace, "workspace", "w", "", "the workspace to act in: its name or ws_… id (env HOTDATA_WORKSPACE)")
	f.StringVarP(&a.output, "output", "o", "", "table or json (default table)")
	f.BoolVarP(&a.quiet, "quiet", "q", false, "show no progress bars or spinners")
	f.BoolVar(&a.noPager, "no-pager", false, "do not show long tables through a pager ($HOTDATA_PAGER, $PAGER or less)")
	_ = root.RegisterFlagCompletionFunc("output", fixedCompletion("table", "json"))
	_ = root.RegisterFlagCompletionFunc("workspace", a.completeFrom("listWorkspaces", "workspaces", "name"))
	_ = root.RegisterFlagCompletionFunc("profile", completeProfiles)

	root.AddGroup(&cobra.Group{ID: "start", Title: "Getting started:"}, &cobra.Group{ID: "data", Title: "Data:"},
		&cobra.Group{ID: "admin", Title: "Administration:"})
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			root.AddCommand(c)
		}
	}
	add("start", a.loginCmd(), a.logoutCmd(), a.whoamiCmd(), a.profilesCmd())
	add("data", a.queryCmd(), a.psqlCmd(), a.connectionsCmd(), a.jobsCmd(), a.cdcCmd(), a.uploadsCmd(), a.datasetsCmd(),
		a.savedQueriesCmd(), a.runsCmd(), a.resultsCmd())
	add("admin", a.workspacesCmd(), a.secretsCmd(), a.orgsCmd(), a.membersCmd(), a.tokensCmd())
	return root
}

// config loads the config file once.
func (a *app) config() (*config.File, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	cfg, err := config.Load()
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	if cfg.Loose() {
		fmt.Fprintf(a.stderr, "warning: %s can be read by other users: chmod 600 it (it holds tokens)\n", cfg.FilePath())
	}
	a.cfg = cfg
	return cfg, nil
}

// settings are the profile with the environment and the flags applied.
func (a *app) settings() (config.Profile, error) {
	cfg, err := a.config()
	if err != nil {
		return config.Profile{}, err
	}
	name := cfg.ActiveName(a.profile)
	stored := cfg.Profiles[name]
	if a.profile != "" && stored == nil {
		return config.Profile{}, usagef("no profile %q: `hotdata profiles list` shows them; `hotdata login --profile %s` makes it", name, name)
	}
	p := cfg.Resolve(a.profile)
	if a.url != "" {
		p.URL = a.url
	}
	if a.workspace != "" {
		p.Workspace = a.workspace
	}
	// A profile's token is for the profile's server only: another URL
	// (--url, HOTDATA_URL) needs its own token (HOTDATA_TOKEN).
	fromProfile := strings.TrimSpace(os.Getenv("HOTDATA_TOKEN")) == ""
	if stored != nil && stored.Token != "" && fromProfile && p.URL != stored.URL {
		return config.Profile{}, usagef("profile %q's token is for %s, not %s: set HOTDATA_TOKEN for that server, or `hotdata login --profile NAME --url %s`",
			name, redactURL(stored.URL), redactURL(p.URL), redactURL(p.URL))
	}
	return p, nil
}

// redactURL hides a password in a URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.Redacted()
}

// client is the API client of the settings; it needs a URL and a token.
func (a *app) client() (*client.Client, error) {
	p, err := a.settings()
	if err != nil {
		return nil, err
	}
	if p.URL == "" || p.Token == "" {
		return nil, usagef("not logged in: run `hotdata login` (or set HOTDATA_URL and HOTDATA_TOKEN)")
	}
	return newClient(p), nil
}

func newClient(p config.Profile) *client.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = 10 * time.Second
	return &client.Client{BaseURL: p.URL, Token: p.Token, Workspace: p.Workspace,
		HTTP: &http.Client{Transport: tr}, UserAgent: "hotdata-cli/" + Version,
		AnswerTimeout: answerTimeout, WaitOps: map[string]bool{"query": true, "executeSavedQuery": true}}
}

// answerTimeout bounds the wait for an answer's headers, but for the
// calls that wait for a query (Ctrl-C ends those).
const answerTimeout = 2 * time.Minute

// json reports whether --output json was asked for.
func (a *app) json() bool { return a.output == "json" }

// showProgress reports whether progress may be drawn on stderr.
func (a *app) showProgress() bool { return !a.quiet && output.IsTerminal(a.stderr) }

// printItems prints a list: a table of cols, or with --output json the
// items as a JSON array.
func (a *app) printItems(cols []output.Column, items []map[string]any) error {
	if a.json() {
		if items == nil {
			items = []map[string]any{}
		}
		return output.JSON(a.stdout, items)
	}
	return output.Items(a.stdout, cols, items)
}

// printObject prints one object: its fields, or with --output json the
// object.
func (a *app) printObject(obj map[string]any) error {
	if a.json() {
		return output.JSON(a.stdout, obj)
	}
	return output.Detail(a.stdout, obj)
}

// say prints a line for people: on stdout in table mode, nothing with
// --output json (which prints the object instead).
func (a *app) say(format string, args ...any) {
	if !a.json() {
		fmt.Fprintln(a.stdout, output.Printable(fmt.Sprintf(format, args...)))
	}
}

// note prints a remark on stderr.
func (a *app) note(format string, args ...any) {
	fmt.Fprintln(a.stderr, output.Printable(fmt.Sprintf(format, args...)))
}

// pollInterval is how often jobs and query runs are polled.
const pollInterval = 300 * time.Millisecond
