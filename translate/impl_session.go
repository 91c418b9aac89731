package translate

import "strings"

// Functions that read the session: their values are markers in the
// engine SQL (SessionMarker) that the caller fills in for each run.

func init() {
	register(map[string]*Impl{
		"current_schema()": {SQL: SessionMarker("schema")},
		"current_schemas(bool)": {Build: func(c *Call) (string, error) {
			switch a := c.args[0]; {
			case a.constant && a.sql == "true":
				return SessionMarker("schemas:true"), nil
			case a.constant && a.sql == "false":
				return SessionMarker("schemas:false"), nil
			}
			return "", unsupported("current_schemas() takes a constant argument here")
		}},
		"current_setting(text)":      {Build: currentSetting(false)},
		"current_setting(text,bool)": {Build: currentSetting(true)},
		// Nothing takes an advisory lock here, so releasing them all
		// has nothing to do; pools send it to reset a connection
		// (asyncpg). void prints as an empty string.
		"pg_advisory_unlock_all()": {Volatile: true, SQL: "CAST('' AS VARCHAR)"},
		"pg_backend_pid()":         {SQL: "CAST(" + SessionMarker("pid") + " AS INTEGER)"},
		// Hotdata's statements are read-only: no transaction id is ever
		// assigned, and PostgreSQL answers NULL then.
		"txid_current_if_assigned()": {SQL: "CAST(NULL AS BIGINT)"},
		// set_config(…) alone in a SELECT is a SET (the planner's); in any
		// other query it fails if a row calls it (pg_dump's
		// set_config(name, …) FROM pg_settings WHERE name = '…' reads no
		// row when the setting does not exist).
		"set_config(text,text,bool)": {Volatile: true, SQL: "CAST(" + raise("0A000", "set_config() takes constant arguments alone in a SELECT here; use SET name = value") + " AS VARCHAR)"},
	})
}

// currentSetting reads a run-time parameter by a constant name; with
// missing_ok, an unknown one is NULL.
func currentSetting(missingOK bool) func(c *Call) (string, error) {
	return func(c *Call) (string, error) {
		name, ok := c.ConstArg(0)
		if !ok {
			return "", unsupported("current_setting() takes a constant setting name here").WithHint("Use SHOW name.")
		}
		kind := "setting:"
		if missingOK {
			switch a := c.args[1]; {
			case a.constant && a.sql == "true":
				kind = "setting?:"
			case a.constant && a.sql == "false":
			default:
				return "", unsupported("current_setting() takes a constant missing_ok here")
			}
		}
		return SessionMarker(kind + strings.ToLower(name)), nil
	}
}
