package workspace

import (
	"maps"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/pgval"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/translate"
)

// setting describes one run-time parameter a client may SET or SHOW.
type setting struct {
	// name is the canonical spelling: SHOW's column, ParameterStatus's
	// name, the parameter named in check hooks' errors ("DateStyle").
	name string
	def  string
	// report: sent as ParameterStatus when it changes (GUC_REPORT).
	report bool
	// readOnly: SHOW only.
	readOnly bool
	// check validates and normalizes a value (nil: any string).
	check checkFunc
	desc  string
}

// Values of the enum parameters, in the order PostgreSQL's hints list
// them.
var (
	isolationLevels = []string{"serializable", "repeatable read", "read committed", "read uncommitted"}
	messageLevels   = []string{"debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error"}
)

// knownSettings are PostgreSQL's parameters that clients and BI tools
// set or read (pgjdbc, npgsql, psycopg, asyncpg, SQLAlchemy, ActiveRecord,
// psqlODBC for Tableau, Metabase, Grafana, DBeaver, Power BI), plus
// Hotdata's own, by lower-case name. Values are checked and shown as
// PostgreSQL checks and shows them; most only need to be remembered.
var knownSettings = map[string]setting{
	"application_name":                    {name: "application_name", report: true, desc: "Sets the application name to be reported in statistics and logs."},
	"client_encoding":                     {name: "client_encoding", def: "UTF8", report: true, check: checkEncoding, desc: "Sets the client's character set encoding."},
	"datestyle":                           {name: "DateStyle", def: defaultDateStyle, report: true, check: checkDateStyle, desc: "Sets the display format for date and time values."},
	"timezone":                            {name: "TimeZone", def: "UTC", report: true, check: checkTimeZone, desc: "Sets the time zone for displaying and interpreting time stamps."},
	"intervalstyle":                       {name: "IntervalStyle", def: "postgres", report: true, check: enumOf([]string{"postgres", "postgres_verbose", "sql_standard", "iso_8601"}, nil), desc: "Sets the display format for interval values."},
	"extra_float_digits":                  {name: "extra_float_digits", def: "1", check: intRange(-15, 3), desc: "Sets the number of digits displayed for floating-point values."},
	"bytea_output":                        {name: "bytea_output", def: "hex", check: enumOf([]string{"escape", "hex"}, nil), desc: "Sets the output format for bytea."},
	"search_path":                         {name: "search_path", def: `"$user", public`, desc: "Sets the schema search order for names that are not schema-qualified."},
	"statement_timeout":                   {name: "statement_timeout", def: "0", check: checkMillis, desc: "Sets the maximum allowed duration of any statement."},
	"lock_timeout":                        {name: "lock_timeout", def: "0", check: checkMillis, desc: "Sets the maximum allowed duration of any wait for a lock."},
	"idle_in_transaction_session_timeout": {name: "idle_in_transaction_session_timeout", def: "0", check: checkMillis, desc: "Sets the maximum allowed idle time between queries, when in a transaction."},
	"idle_session_timeout":                {name: "idle_session_timeout", def: "0", check: checkMillis, desc: "Sets the maximum allowed idle time between queries, when not in a transaction."},
	"client_min_messages":                 {name: "client_min_messages", def: "notice", check: enumOf(messageLevels, map[string]string{"info": "info", "debug": "debug2"}), desc: "Sets the message levels that are sent to the client."},
	"standard_conforming_strings":         {name: "standard_conforming_strings", def: "on", report: true, check: onlyOn("Hotdata parses string literals as standard SQL"), desc: "Causes '...' strings to treat backslashes literally."},
	"escape_string_warning":               {name: "escape_string_warning", def: "on", check: checkBool, desc: "Warn about backslash escapes in ordinary string literals."},
	"default_transaction_read_only":       {name: "default_transaction_read_only", def: "on", report: true, check: checkBool, desc: "Sets the default read-only status of new transactions."},
	"default_transaction_isolation":       {name: "default_transaction_isolation", def: "read committed", check: enumOf(isolationLevels, nil), desc: "Sets the transaction isolation level of each new transaction."},
	"default_transaction_deferrable":      {name: "default_transaction_deferrable", def: "off", check: checkBool, desc: "Sets the default deferrable status of new transactions."},
	"transaction_read_only":               {name: "transaction_read_only", check: checkBool, desc: "Sets the current transaction's read-only status."},
	"transaction_isolation":               {name: "transaction_isolation", check: enumOf(isolationLevels, nil), desc: "Sets the current transaction's isolation level."},
	"transaction_deferrable":              {name: "transaction_deferrable", check: checkBool, desc: "Whether to defer a read-only serializable transaction until it can be executed with no possible serialization failures."},
	"session_authorization":               {name: "session_authorization", readOnly: true, report: true, desc: "Sets the session user name."},
	"server_version":                      {name: "server_version", def: pgcatalog.ServerVersion, readOnly: true, report: true, desc: "Shows the server version."},
	"server_version_num":                  {name: "server_version_num", def: pgcatalog.ServerVersionNum, readOnly: true, desc: "Shows the server version as an integer."},
	"server_encoding":                     {name: "server_encoding", def: "UTF8", readOnly: true, report: true, desc: "Shows the server (database) character set encoding."},
	"integer_datetimes":                   {name: "integer_datetimes", def: "on", readOnly: true, report: true, desc: "Shows whether datetimes are integer based."},
	"is_superuser":                        {name: "is_superuser", def: "off", readOnly: true, report: true, desc: "Shows whether the current user is a superuser."},
	"in_hot_standby":                      {name: "in_hot_standby", def: "off", readOnly: true, report: true, desc: "Shows whether hot standby is currently active."},
	"max_identifier_length":               {name: "max_identifier_length", def: "63", readOnly: true, desc: "Shows the maximum identifier length."},
	"block_size":                          {name: "block_size", def: "8192", readOnly: true, desc: "Shows the size of a disk block."},
	"lc_collate":                          {name: "lc_collate", def: "C", readOnly: true, desc: "Shows the collation order locale."},
	"lc_ctype":                            {name: "lc_ctype", def: "C", readOnly: true, desc: "Shows the character classification and case conversion locale."},
	"lc_messages":                         {name: "lc_messages", def: "C", desc: "Sets the language in which messages are displayed."},
	"lc_monetary":                         {name: "lc_monetary", def: "C", check: cLocale, desc: "Sets the locale for formatting monetary amounts."},
	"lc_numeric":                          {name: "lc_numeric", def: "C", check: cLocale, desc: "Sets the locale for formatting numbers."},
	"lc_time":                             {name: "lc_time", def: "C", check: cLocale, desc: "Sets the locale for formatting date and time values."},
	"timezone_abbreviations":              {name: "timezone_abbreviations", def: "Default", desc: "Selects a file of time zone abbreviations."},
	"xmloption":                           {name: "xmloption", def: "content", check: enumOf([]string{"content", "document"}, nil), desc: "Sets whether XML data in implicit parsing and serialization operations is to be considered as documents or content fragments."},
	"row_security":                        {name: "row_security", def: "on", check: checkBool, desc: "Enable row security."},
	"check_function_bodies":               {name: "check_function_bodies", def: "on", check: checkBool, desc: "Check routine bodies during CREATE FUNCTION and CREATE PROCEDURE."},
	"jit":                                 {name: "jit", def: "off", check: checkBool, desc: "Allow JIT compilation."},
	"synchronize_seqscans":                {name: "synchronize_seqscans", def: "on", check: checkBool, desc: "Enable synchronized sequential scans."},
	"work_mem":                            {name: "work_mem", def: "4MB", desc: "Sets the maximum memory to be used for query workspaces."},
	"synchronous_commit":                  {name: "synchronous_commit", def: "on", desc: "Sets the current transaction's synchronization level."},
	"geqo":                                {name: "geqo", def: "on", check: checkBool, desc: "Enables genetic query optimization."},
	"max_parallel_workers_per_gather":     {name: "max_parallel_workers_per_gather", def: "2", check: intRange(0, 1024), desc: "Sets the maximum number of parallel processes per executor node."},
	"plan_cache_mode":                     {name: "plan_cache_mode", def: "auto", check: enumOf([]string{"auto", "force_generic_plan", "force_custom_plan"}, nil), desc: "Controls the planner's selection of custom or generic plan."},
	"hotdata.freshness":                   {name: "hotdata.freshness", def: "cached", check: enumOf([]string{"cached", "live", "auto"}, nil), desc: "Where queries read from: cached (snapshots), live (the upstream) or auto."},
	"hotdata.result_cache":                {name: "hotdata.result_cache", def: "on", check: enumOf([]string{"on", "off"}, nil), desc: "Whether cached queries may be answered from the in-memory result cache."},
	"hotdata.report_freshness":            {name: "hotdata.report_freshness", def: "off", check: enumOf([]string{"on", "off"}, nil), desc: "Send a NOTICE per table a cached query read: its snapshot and how fresh it is."},
	"hotdata.max_staleness":               {name: "hotdata.max_staleness", def: "0", check: checkMillis, desc: "Refuse to answer from a snapshot older than this (0: no bound): sync it first, or wait for its change stream."},
}

// txScoped are the parameters that belong to the transaction in
// progress; outside one they read as their session default.
var txScoped = map[string]string{
	"transaction_isolation":  "default_transaction_isolation",
	"transaction_read_only":  "default_transaction_read_only",
	"transaction_deferrable": "default_transaction_deferrable",
}

// settings holds one session's parameter values. As in PostgreSQL, a SET
// inside a transaction block is undone by its ROLLBACK (or by ROLLBACK
// TO a savepoint set before it), and a SET LOCAL lasts until the block
// ends; the transaction code saves and restores the maps for that.
type settings struct {
	// values are the session's values (SET), by lower-case name.
	values map[string]string
	// local are SET LOCAL values and the transaction's own modes (nil
	// outside a transaction block).
	local map[string]string
	// resetTo are the values RESET goes back to: those the client gave
	// at start-up, as PostgreSQL keeps them as the session's defaults.
	resetTo map[string]string
	// fixed are values of the session no statement changes.
	fixed map[string]string
	// reported are the values the client was last sent as
	// ParameterStatus, by canonical name.
	reported map[string]string
}

func newSettings(params map[string]string, user string) (*settings, error) {
	st := &settings{values: map[string]string{}, fixed: map[string]string{"session_authorization": user}}
	for name, v := range params {
		switch name {
		case "user", "database", "options", "replication":
			continue
		}
		if _, ok := knownSettings[strings.ToLower(name)]; ok {
			if err := st.set(strings.ToLower(name), v); err != nil {
				return nil, err
			}
		}
	}
	if opts := params["options"]; opts != "" {
		if err := st.applyOptions(opts); err != nil {
			return nil, err
		}
	}
	st.resetTo = maps.Clone(st.values)
	return st, nil
}

// applyOptions takes "-c name=value" pairs from the options parameter.
func (st *settings) applyOptions(opts string) error {
	fields := strings.Fields(opts)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		var kv string
		switch {
		case f == "-c" && i+1 < len(fields):
			i++
			kv = fields[i]
		case strings.HasPrefix(f, "-c"):
			kv = f[2:]
		case strings.HasPrefix(f, "--"):
			kv = f[2:]
		default:
			return pgerr.New(pgerr.InvalidParameterValue, "invalid command-line argument for server process: %s", f).
				WithHint("Use options=-c name=value")
		}
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return pgerr.New(pgerr.SyntaxError, "-c %s requires a value", kv)
		}
		if err := st.set(strings.ToLower(strings.ReplaceAll(name, "-", "_")), value); err != nil {
			return err
		}
	}
	return nil
}

// get returns a parameter's value in this session.
func (st *settings) get(name string) (string, bool) {
	if v, ok := st.fixed[name]; ok {
		return v, true
	}
	if v, ok := st.local[name]; ok {
		return v, true
	}
	if def, ok := txScoped[name]; ok {
		return st.get(def)
	}
	if v, ok := st.values[name]; ok {
		return v, true
	}
	if s, ok := knownSettings[name]; ok {
		return s.def, true
	}
	return "", false
}

// check validates a value for name as PostgreSQL would, without storing
// it, and returns it as SHOW prints it.
func (st *settings) check(name, value string) (string, error) {
	s, known := knownSettings[name]
	switch {
	case !known && !strings.Contains(name, "."):
		return "", pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
	case !known && strings.HasPrefix(name, "hotdata."):
		return "", pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name).
			WithHint("Hotdata's settings are: hotdata.freshness, hotdata.result_cache, hotdata.report_freshness, hotdata.max_staleness")
	case s.readOnly:
		return "", pgerr.New(pgerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", name)
	}
	if s.check == nil {
		return value, nil
	}
	cur, _ := st.get(name)
	return s.check(name, value, cur)
}

// set validates and stores a session value.
func (st *settings) set(name, value string) error {
	v, err := st.check(name, value)
	if err != nil {
		return err
	}
	st.values[name] = v
	delete(st.local, name)
	return nil
}

// setLocal validates and stores a value for the transaction in progress.
func (st *settings) setLocal(name, value string) error {
	v, err := st.check(name, value)
	if err != nil {
		return err
	}
	if st.local == nil {
		st.local = map[string]string{}
	}
	st.local[name] = v
	return nil
}

// reset goes back to the start-up value (or the default).
func (st *settings) reset(name string) {
	if v, ok := st.resetTo[name]; ok {
		st.values[name] = v
	} else {
		delete(st.values, name)
	}
	delete(st.local, name)
}

// resetAll is RESET ALL: every parameter but the transaction's modes.
func (st *settings) resetAll() {
	st.values = maps.Clone(st.resetTo)
	if st.values == nil {
		st.values = map[string]string{}
	}
	for name := range st.local {
		if _, ok := txScoped[name]; !ok {
			delete(st.local, name)
		}
	}
}

// reportedChanges lists the reported parameters whose value differs
// from what the client was last told (nothing the first time: the
// start-up messages told it), and remembers the new values.
func (st *settings) reportedChanges() [][2]string {
	var out [][2]string
	first := st.reported == nil
	if first {
		st.reported = map[string]string{}
	}
	for key, s := range knownSettings {
		if !s.report {
			continue
		}
		v, _ := st.get(key)
		if old, ok := st.reported[s.name]; !first && (!ok || old != v) {
			out = append(out, [2]string{s.name, v})
		}
		st.reported[s.name] = v
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func (st *settings) statementTimeout() time.Duration {
	v, _ := st.get("statement_timeout")
	ms, _ := parseMillis(v)
	return time.Duration(ms) * time.Millisecond
}

// The values the output of a session depends on, for the code that
// formats results.

// DateStyle is the output format (DateStyleISO, …) and field order
// (DateOrderMDY, …).
func (st *settings) DateStyle() (style, order string) {
	v, _ := st.get("datestyle")
	return splitDateStyle(v)
}

// IntervalStyle is postgres, postgres_verbose, sql_standard or iso_8601.
func (st *settings) IntervalStyle() string {
	v, _ := st.get("intervalstyle")
	return v
}

// ByteaOutput is hex or escape.
func (st *settings) ByteaOutput() string {
	v, _ := st.get("bytea_output")
	return v
}

// ExtraFloatDigits is -15 … 3 (1 by default: shortest exact output).
func (st *settings) ExtraFloatDigits() int {
	v, _ := st.get("extra_float_digits")
	n, _ := strconv.Atoi(v)
	return n
}

// TimeZone is the TimeZone value as SHOW prints it.
func (st *settings) TimeZone() string {
	v, _ := st.get("timezone")
	return v
}

// Location is the session's time zone for timestamptz arithmetic and
// output.
func (st *settings) Location() *time.Location { return zoneLocation(st.TimeZone()) }

// translateSettings are the settings the planner reads constants with.
func (st *settings) translateSettings() translate.Settings {
	ds, _ := st.get("datestyle")
	return translate.Settings{TimeZone: st.TimeZone(), DateStyle: ds, IntervalStyle: st.IntervalStyle()}
}

// style is how the session prints values.
func (st *settings) style() pgval.Style {
	get := func(name string) string {
		v, _ := st.get(name)
		return v
	}
	return pgval.DecodeStyle(pgval.EncodeStyle(get("timezone"), get("datestyle"), get("intervalstyle"), get("extra_float_digits"), get("bytea_output")))
}

// canonicalName is a parameter's name as SHOW and errors spell it.
func canonicalName(name string) string {
	if s, ok := knownSettings[name]; ok {
		return s.name
	}
	return name
}

// set answers SET and RESET (and SET TRANSACTION / SET SESSION
// CHARACTERISTICS AS TRANSACTION). ParameterStatus messages for changed
// reported parameters are sent before ReadyForQuery (ReportedChanges),
// as PostgreSQL does, not here.
func (ss *Session) set(st *planner.Statement, sink Sink) error {
	s := st.Setting
	switch {
	case s.Name == "transaction":
		if err := ss.setTransactionModes(st.Tx.Modes, sink); err != nil {
			return err
		}
	case s.Name == "session characteristics":
		m := st.Tx.Modes
		for name, v := range map[string]string{"default_transaction_isolation": m.Isolation, "default_transaction_read_only": m.ReadOnly, "default_transaction_deferrable": m.Deferrable} {
			if v != "" {
				if err := ss.settings.set(name, v); err != nil {
					return err
				}
			}
		}
	case s.Name == "all" && s.Reset:
		ss.settings.resetAll()
	case s.Reset:
		if _, ok := knownSettings[s.Name]; !ok && !strings.Contains(s.Name, ".") {
			return pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", s.Name)
		}
		if knownSettings[s.Name].readOnly {
			return pgerr.New(pgerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", s.Name)
		}
		if _, ok := txScoped[s.Name]; !ok {
			ss.settings.reset(s.Name)
		}
	case txScoped[s.Name] != "":
		var m planner.TxModes
		switch s.Name {
		case "transaction_isolation":
			m.Isolation = s.Value
		case "transaction_read_only":
			m.ReadOnly = s.Value
		default:
			m.Deferrable = s.Value
		}
		if err := ss.checkTxModes(m); err != nil {
			return err
		}
		if ss.inBlock() {
			if err := ss.applyTxModes(m); err != nil {
				return err
			}
		}
	case s.Local:
		if _, err := ss.settings.check(s.Name, s.Value); err != nil {
			return err
		}
		if !ss.inBlock() {
			// As PostgreSQL: a warning, and no effect.
			return completeWithWarning(sink, "SET LOCAL can only be used in transaction blocks", st.Tag)
		}
		if err := ss.settings.setLocal(s.Name, s.Value); err != nil {
			return err
		}
	default:
		if err := ss.settings.set(s.Name, s.Value); err != nil {
			return err
		}
	}
	if st.SetResult != "" {
		// SELECT set_config(…): one row, the new value.
		v, _ := ss.settings.get(s.Name)
		return sendStrings(sink, []string{st.SetResult}, [][]string{{v}}, st.Tag)
	}
	return sink.Complete(st.Tag)
}

func completeWithWarning(sink Sink, msg, tag string) error {
	if err := sink.Notice(&pgerr.Error{Severity: pgerr.SeverityWarning, Code: "25P01", Message: msg}); err != nil {
		return err
	}
	return sink.Complete(tag)
}

func (ss *Session) show(st *planner.Statement, sink Sink) error {
	name := st.Setting.Name
	if name == "all" {
		names := make([]string, 0, len(knownSettings))
		for n := range knownSettings {
			names = append(names, n)
		}
		sort.Strings(names)
		rows := make([][]string, len(names))
		for i, n := range names {
			v, _ := ss.settings.get(n)
			rows[i] = []string{knownSettings[n].name, v, knownSettings[n].desc}
		}
		return sendStrings(sink, []string{"name", "setting", "description"}, rows, "SHOW")
	}
	if name == "hotdata.result_cache_stats" {
		return sendStrings(sink, []string{name}, [][]string{{ss.svc.resultCacheStats()}}, "SHOW")
	}
	if name == "hotdata.cdc" {
		return sendStrings(sink, []string{name}, ss.svc.cdcRows(ss.ws.ID), "SHOW")
	}
	v, ok := ss.settings.get(name)
	if !ok {
		return pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
	}
	return sendStrings(sink, []string{canonicalName(name)}, [][]string{{v}}, "SHOW")
}

// showColumn is the column SHOW name describes (for Describe).
func showColumn(name string) string { return canonicalName(name) }

// messageLevel orders message severities as PostgreSQL's elevel does.
var messageLevel = map[string]int{
	"debug5": 10, "debug4": 11, "debug3": 12, "debug2": 13, "debug1": 14, "debug": 14,
	"log": 15, "info": 17, "notice": 18, "warning": 19, "error": 21,
}

// SendsNotice reports whether a message of that severity reaches the
// client under client_min_messages (wire.NoticeFilter): ActiveRecord
// sets warning, and then Hotdata's NOTICEs (a table synced on first
// use) are not sent, as PostgreSQL would not send its own. INFO always
// is, as in PostgreSQL.
func (ss *Session) SendsNotice(severity string) bool {
	sev := strings.ToLower(severity)
	if sev == "info" {
		return true
	}
	lvl, ok := messageLevel[sev]
	if !ok {
		return true
	}
	v, _ := ss.settings.get("client_min_messages")
	return lvl >= messageLevel[v]
}

// forwardedSettings are the settings a live query runs under on the
// upstream: those that change how values are read and printed.
var forwardedSettings = []string{"TimeZone", "DateStyle", "IntervalStyle", "extra_float_digits", "bytea_output"}

// forwarded are forwardedSettings with the session's values.
func (st *settings) forwarded() [][2]string {
	out := make([][2]string, 0, len(forwardedSettings))
	for _, name := range forwardedSettings {
		v, _ := st.get(strings.ToLower(name))
		out = append(out, [2]string{name, v})
	}
	return out
}
