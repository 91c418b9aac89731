package difftest

// Route names, as results and reports spell them.
const (
	RouteCached = "cached"
	RouteLive   = "live"
)

// RouteResult is one statement's classification on one Hotdata route.
type RouteResult struct {
	Class      Class `json:"class"`
	ErrorMatch bool  `json:"error_match,omitempty"`
	// Pass is the format whose comparison decided the class (text first,
	// then binary) when it is not Identical.
	Pass     string `json:"pass,omitempty"`
	Kind     string `json:"kind,omitempty"`
	Detail   string `json:"detail,omitempty"`
	SetupErr string `json:"setup_error,omitempty"`
	// Restarted: the statement found the engine dead (a fatal error of
	// an earlier statement) and ran again on a restarted engine. Which
	// route finds it first is a race, so results.json leaves it out.
	Restarted bool `json:"-"`
}

// Result is one statement's classification on every route.
type Result struct {
	Area string `json:"area"`
	Name string `json:"name"`
	Line int    `json:"line"`
	// SQL and Setup come from the corpus; results.json leaves them out.
	SQL     string   `json:"-"`
	Setup   []string `json:"-"`
	Ordered bool     `json:"ordered"`
	// PostgresError is the SQLSTATE PostgreSQL fails with, on purpose.
	PostgresError string                 `json:"postgres_error,omitempty"`
	Routes        map[string]RouteResult `json:"routes"`
}

// ID names the result uniquely.
func (r Result) ID() string { return r.Area + "/" + r.Name }

// Judge classifies Hotdata's answer hd against PostgreSQL's pg. A
// statement is Identical only when both formats are; a mismatch in
// either format is a Mismatch; otherwise a refusal in either is a
// ClearError.
func Judge(pg, hd Answer, ordered, binary bool) RouteResult {
	vt := Compare(pg.Text, hd.Text, ordered)
	res := RouteResult{SetupErr: hd.SetupErr}
	set := func(v Verdict, pass string) {
		res.Class, res.ErrorMatch, res.Pass, res.Kind, res.Detail = v.Class, v.ErrorMatch, pass, v.Kind, truncate(v.Detail, 300)
	}
	set(vt, "")
	if vt.Class == Mismatch {
		res.Pass = Text.String()
		return res
	}
	if binary {
		vb := Compare(pg.Binary, hd.Binary, ordered)
		if vb.Class == Mismatch || (vb.Class == ClearError && vt.Class == Identical) {
			set(vb, Binary.String())
			return res
		}
	}
	if res.Class == ClearError {
		res.Pass = Text.String()
	}
	return res
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// do not cut a UTF-8 sequence
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
