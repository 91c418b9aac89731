package commands

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// keptPGVars are the user's libpq variables psql still gets: TLS
// settings, which cannot send the token elsewhere.
var keptPGVars = map[string]bool{"PGSSLMODE": true, "PGSSLROOTCERT": true, "PGSSLCERT": true, "PGSSLKEY": true,
	"PGSSLCRL": true, "PGCHANNELBINDING": true, "PGSSLMINPROTOCOLVERSION": true, "PGCONNECT_TIMEOUT": true}

func (a *app) psqlCmd() *cobra.Command {
	var printOnly bool
	cmd := &cobra.Command{
		Use:   "psql [-- PSQL ARGS]",
		Short: "Open psql on the current workspace",
		Long: `psql runs psql against the server's PostgreSQL endpoint (the profile's pg_addr,
else the URL's host on port 5433), with the workspace as the database and the
token as the password. The token goes to psql in PGPASSWORD, never on its
command line. Arguments after -- go to psql.`,
		Example: `  hotdata psql
  hotdata psql -- -c "SELECT count(*) FROM shop.orders"
  hotdata psql --print     # the connection settings, without the token`,
		RunE: func(_ *cobra.Command, args []string) error {
			p, err := a.settings()
			if err != nil {
				return err
			}
			if p.URL == "" || p.Token == "" {
				return usagef("not logged in: run `hotdata login`")
			}
			if p.Workspace == "" {
				return usagef("no workspace chosen: pass --workspace NAME or run `hotdata workspaces use NAME`")
			}
			host, port, err := net.SplitHostPort(pgAddr(p))
			if err != nil {
				return usagef("the PostgreSQL endpoint %q is not host:port (hotdata login --pg-addr)", pgAddr(p))
			}
			user := p.Token
			if len(user) > 10 {
				user = user[:10] // the token's prefix: the server looks it up directly
			}
			env := []string{"PGHOST=" + host, "PGPORT=" + port, "PGDATABASE=" + p.Workspace, "PGUSER=" + user,
				"PGAPPNAME=hotdata-cli", "PGSSLMODE=prefer"}
			if printOnly {
				for _, e := range env {
					fmt.Fprintln(a.stdout, e)
				}
				fmt.Fprintf(a.stdout, "postgres://%s@%s/%s\n", user, net.JoinHostPort(host, port), p.Workspace)
				return nil
			}
			psql, err := exec.LookPath("psql")
			if err != nil {
				return usagef("psql is not installed (on Debian: apt-get install postgresql-client)")
			}
			// libpq reads the first of duplicate variables: drop the
			// user's own PG* settings, which would send the token
			// elsewhere (PGHOST, PGPORT, PGSERVICE, …).
			// TLS settings stay: they only make the connection stricter.
			var base []string
			for _, kv := range os.Environ() {
				name, _, _ := strings.Cut(kv, "=")
				if !strings.HasPrefix(name, "PG") || keptPGVars[name] {
					base = append(base, kv)
				}
				if name == "PGSSLMODE" {
					env = slices.DeleteFunc(env, func(e string) bool { return strings.HasPrefix(e, "PGSSLMODE=") })
				}
			}
			env = append(append(base, env...), "PGPASSWORD="+p.Token)
			return syscall.Exec(psql, append([]string{"psql"}, args...), env)
		},
	}
	cmd.Flags().BoolVar(&printOnly, "print", false, "print the connection settings (without the token) instead of running psql")
	return cmd
}
