package workspace

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/planner"
)

// setting describes one run-time parameter a client may SET or SHOW.
type setting struct {
	def string
	// report: sent as ParameterStatus when it changes (GUC_REPORT).
	report bool
	// readOnly: SHOW only.
	readOnly bool
	// check validates and normalizes a value.
	check func(string) (string, error)
	desc  string
}

// knownSettings are PostgreSQL's parameters that clients commonly set or
// read, plus Hotdata's own. Most only need to be remembered and shown.
var knownSettings = map[string]setting{
	"application_name":                    {def: "", report: true, desc: "Sets the application name to be reported in statistics and logs."},
	"client_encoding":                     {def: "UTF8", report: true, check: checkEncoding, desc: "Sets the client's character set encoding."},
	"datestyle":                           {def: "ISO, MDY", report: true, check: checkDateStyle, desc: "Sets the display format for date and time values."},
	"timezone":                            {def: "UTC", report: true, check: checkTimeZone, desc: "Sets the time zone for displaying and interpreting time stamps."},
	"intervalstyle":                       {def: "postgres", report: true, check: oneOf("postgres"), desc: "Sets the display format for interval values."},
	"extra_float_digits":                  {def: "1", check: checkInt, desc: "Sets the number of digits displayed for floating-point values."},
	"search_path":                         {def: `"$user", public`, desc: "Sets the schema search order for names that are not schema-qualified."},
	"statement_timeout":                   {def: "0", check: checkDuration, desc: "Sets the maximum allowed duration of any statement."},
	"lock_timeout":                        {def: "0", check: checkDuration, desc: "Sets the maximum allowed duration of any wait for a lock."},
	"idle_in_transaction_session_timeout": {def: "0", check: checkDuration, desc: "Sets the maximum allowed idle time between queries, when in a transaction."},
	"idle_session_timeout":                {def: "0", check: checkDuration, desc: "Sets the maximum allowed idle time between queries, when not in a transaction."},
	"client_min_messages":                 {def: "notice", check: oneOf("debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error"), desc: "Sets the message levels that are sent to the client."},
	"bytea_output":                        {def: "hex", check: oneOf("hex"), desc: "Sets the output format for bytea."},
	"standard_conforming_strings":         {def: "on", report: true, check: oneOf("on"), desc: "Causes '...' strings to treat backslashes literally."},
	"default_transaction_read_only":       {def: "on", report: true, check: oneOf("on"), desc: "Sets the default read-only status of new transactions."},
	"transaction_read_only":               {def: "on", check: oneOf("on"), desc: "Sets the current transaction's read-only status."},
	"default_transaction_isolation":       {def: "read committed", desc: "Sets the transaction isolation level of each new transaction."},
	"transaction_isolation":               {def: "read committed", desc: "Sets the current transaction's isolation level."},
	"server_version":                      {def: pgcatalog.ServerVersion, readOnly: true, report: true, desc: "Shows the server version."},
	"server_version_num":                  {def: pgcatalog.ServerVersionNum, readOnly: true, desc: "Shows the server version as an integer."},
	"server_encoding":                     {def: "UTF8", readOnly: true, report: true, desc: "Shows the server (database) character set encoding."},
	"integer_datetimes":                   {def: "on", readOnly: true, report: true, desc: "Shows whether datetimes are integer based."},
	"is_superuser":                        {def: "off", readOnly: true, report: true, desc: "Shows whether the current user is a superuser."},
	"max_identifier_length":               {def: "63", readOnly: true, desc: "Shows the maximum identifier length."},
	"lc_collate":                          {def: "C", readOnly: true, desc: "Shows the collation order locale."},
	"lc_ctype":                            {def: "C", readOnly: true, desc: "Shows the character classification and case conversion locale."},
	"lc_messages":                         {def: "C", desc: "Sets the language in which messages are displayed."},
	"lc_monetary":                         {def: "C", desc: "Sets the locale for formatting monetary amounts."},
	"lc_numeric":                          {def: "C", desc: "Sets the locale for formatting numbers."},
	"lc_time":                             {def: "C", desc: "Sets the locale for formatting date and time values."},
	"jit":                                 {def: "off", desc: "Allow JIT compilation."},
	"synchronize_seqscans":                {def: "on", desc: "Enable synchronized sequential scans."},
	"work_mem":                            {def: "4MB", desc: "Sets the maximum memory to be used for query workspaces."},
	"synchronous_commit":                  {def: "on", desc: "Sets the current transaction's synchronization level."},
	"row_security":                        {def: "on", desc: "Enable row security."},
	"escape_string_warning":               {def: "on", desc: "Warn about backslash escapes in ordinary string literals."},
	"geqo":                                {def: "on", desc: "Enables genetic query optimization."},
	"max_parallel_workers_per_gather":     {def: "2", desc: "Sets the maximum number of parallel processes per executor node."},
	"plan_cache_mode":                     {def: "auto", desc: "Controls the planner's selection of custom or generic plan."},
	"hotdata.freshness":                   {def: "cached", check: checkFreshness, desc: "Where queries read from: cached (snapshots), live (the upstream) or auto."},
	"hotdata.result_cache":                {def: "on", check: oneOf("on", "off"), desc: "Whether cached queries may be answered from the in-memory result cache."},
}

// settings holds one session's parameter values.
type settings struct {
	values map[string]string
}

func newSettings(params map[string]string) (*settings, error) {
	st := &settings{values: map[string]string{}}
	for name, v := range params {
		switch name {
		case "user", "database", "options", "replication":
			continue
		}
		if _, ok := knownSettings[strings.ToLower(name)]; ok {
			if _, err := st.set(strings.ToLower(name), v); err != nil {
				return nil, err
			}
		}
	}
	if opts := params["options"]; opts != "" {
		if err := st.applyOptions(opts); err != nil {
			return nil, err
		}
	}
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
		if _, err := st.set(strings.ToLower(strings.ReplaceAll(name, "-", "_")), value); err != nil {
			return err
		}
	}
	return nil
}

// get returns a parameter's value in this session.
func (st *settings) get(name string) (string, bool) {
	if v, ok := st.values[name]; ok {
		return v, true
	}
	if s, ok := knownSettings[name]; ok {
		return s.def, true
	}
	return "", false
}

// set validates and stores a value; reported says whether the client
// must be sent a ParameterStatus.
func (st *settings) set(name, value string) (reported bool, err error) {
	s, known := knownSettings[name]
	switch {
	case !known && !strings.Contains(name, "."):
		return false, pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter %q", name)
	case !known && strings.HasPrefix(name, "hotdata."):
		return false, pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter %q", name).
			WithHint("Hotdata's settings are: hotdata.freshness")
	case s.readOnly:
		return false, pgerr.New(pgerr.CantChangeRuntimeParam, "parameter %q cannot be changed", name)
	}
	if s.check != nil {
		if value, err = s.check(value); err != nil {
			return false, pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter %q: %v", name, err)
		}
	}
	st.values[name] = value
	return s.report, nil
}

func (st *settings) reset(name string) bool {
	delete(st.values, name)
	return knownSettings[name].report
}

func (st *settings) statementTimeout() time.Duration {
	v, _ := st.get("statement_timeout")
	d, _ := parseDuration(v)
	return d
}

// reportName is a parameter's name as ParameterStatus spells it.
func reportName(name string) string {
	switch name {
	case "datestyle":
		return "DateStyle"
	case "timezone":
		return "TimeZone"
	case "intervalstyle":
		return "IntervalStyle"
	}
	return name
}

func (ss *Session) set(st *planner.Statement, sink Sink) error {
	s := st.Setting
	switch {
	case s.Name == "transaction":
	case s.Name == "all" && s.Reset:
		for name := range ss.settings.values {
			if ss.settings.reset(name) {
				v, _ := ss.settings.get(name)
				if err := sink.ParameterStatus(reportName(name), v); err != nil {
					return err
				}
			}
		}
	case s.Reset:
		if _, ok := knownSettings[s.Name]; !ok && !strings.Contains(s.Name, ".") {
			return pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter %q", s.Name)
		}
		if ss.settings.reset(s.Name) {
			v, _ := ss.settings.get(s.Name)
			if err := sink.ParameterStatus(reportName(s.Name), v); err != nil {
				return err
			}
		}
	default:
		report, err := ss.settings.set(s.Name, s.Value)
		if err != nil {
			return err
		}
		if report {
			v, _ := ss.settings.get(s.Name)
			if err := sink.ParameterStatus(reportName(s.Name), v); err != nil {
				return err
			}
		}
	}
	if st.SetResult != "" {
		// SELECT set_config(…): one row, the new value.
		v, _ := ss.settings.get(s.Name)
		return sendStrings(sink, []string{st.SetResult}, [][]string{{v}}, st.Tag)
	}
	return sink.Complete(st.Tag)
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
			rows[i] = []string{n, v, knownSettings[n].desc}
		}
		return sendStrings(sink, []string{"name", "setting", "description"}, rows, "SHOW")
	}
	if name == "hotdata.result_cache_stats" {
		return sendStrings(sink, []string{name}, [][]string{{ss.svc.resultCacheStats()}}, "SHOW")
	}
	v, ok := ss.settings.get(name)
	if !ok {
		v, ok = ss.settings.values[name]
	}
	if !ok {
		return pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	return sendStrings(sink, []string{name}, [][]string{{v}}, "SHOW")
}

func oneOf(allowed ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		for _, a := range allowed {
			if strings.EqualFold(v, a) {
				return a, nil
			}
		}
		return "", fmt.Errorf("%q (Hotdata supports %s)", v, strings.Join(allowed, ", "))
	}
}

func checkEncoding(v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(v, "-", ""), "_", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	}
	return "", fmt.Errorf("%q: Hotdata speaks UTF8 only; set client_encoding=UTF8", v)
}

func checkDateStyle(v string) (string, error) {
	up := strings.ToUpper(v)
	if strings.Contains(up, "ISO") || up == "MDY" || up == "" {
		return "ISO, MDY", nil
	}
	return "", fmt.Errorf("%q (Hotdata formats dates as ISO, MDY)", v)
}

func checkTimeZone(v string) (string, error) {
	if strings.EqualFold(v, "utc") || strings.EqualFold(v, "gmt") || v == "Z" {
		return "UTC", nil
	}
	if _, err := time.LoadLocation(v); err != nil {
		return "", fmt.Errorf("time zone %q is not recognized", v)
	}
	return v, nil
}

func checkInt(v string) (string, error) {
	if _, err := strconv.Atoi(strings.TrimSpace(v)); err != nil {
		return "", fmt.Errorf("%q is not an integer", v)
	}
	return strings.TrimSpace(v), nil
}

func checkDuration(v string) (string, error) {
	if _, err := parseDuration(v); err != nil {
		return "", err
	}
	return v, nil
}

func checkFreshness(v string) (string, error) {
	switch strings.ToLower(v) {
	case "cached", "live", "auto":
		return strings.ToLower(v), nil
	}
	return "", fmt.Errorf("%q: use cached, live or auto", v)
}

// parseDuration reads a PostgreSQL time value: a number of milliseconds,
// or a number with one of the units ms, s, min, h, d.
func parseDuration(v string) (time.Duration, error) {
	v = strings.TrimSpace(strings.ToLower(v))
	if v == "" || v == "0" {
		return 0, nil
	}
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(v[:i], 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a duration", v)
	}
	unit := map[string]time.Duration{"": time.Millisecond, "ms": time.Millisecond, "s": time.Second, "min": time.Minute, "h": time.Hour, "d": 24 * time.Hour}
	u, ok := unit[strings.TrimSpace(v[i:])]
	if !ok {
		return 0, fmt.Errorf("%q: valid units are ms, s, min, h, d", v)
	}
	return time.Duration(n * float64(u)), nil
}
