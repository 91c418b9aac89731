package translate

import (
	"strconv"
	"strings"
)

// Impl is how the cache engine computes one PostgreSQL function or
// operator exactly as PostgreSQL does. A function without an Impl is
// refused (0A000): the allowlist is this table.
type Impl struct {
	// SQL is a template for the engine: $1, $2, … are the arguments,
	// coerced to the function's declared argument types.
	SQL string
	// Build renders calls that a template cannot express.
	Build func(c *Call) (string, error)
	// Agg renders an aggregate or window function: agg renders one
	// engine aggregate call with the call's DISTINCT, ORDER BY, FILTER
	// and OVER clauses.
	Agg func(c *Call, agg func(name string, args ...string) string) (string, error)
	// Volatile results change from one execution to the next.
	Volatile bool
	// Catalog functions read the emulated catalog.
	Catalog bool
	// NoDistinct / NoOrder: the aggregate cannot honour DISTINCT or
	// ORDER BY in the engine.
	NoDistinct, NoOrder bool
	// KeepUnknown: an untyped argument of type "any" stays unknown
	// (pg_typeof('a') is unknown); by default it is read as text.
	KeepUnknown bool
}

// Call is one call being rendered.
type Call struct {
	Name string
	// Args are the engine SQL of the arguments, Types their declared
	// (resolved) types, Result the declared result type (Build may set a
	// typmod).
	Args   []string
	Types  []Type
	Result Type

	l    *level
	args []*expr
	// num is the engine form of a numeric result (Build sets it).
	num numForm
	loc int32
	// variadic: the call's trailing arguments form the VARIADIC array
	// (spread by PostgreSQL, or written as VARIADIC arr);
	// explicitVariadic: written as VARIADIC arr.
	variadic, explicitVariadic bool
	// withinOrder and ndirect: an ordered-set aggregate's WITHIN GROUP
	// sort items and its number of direct arguments.
	withinOrder []string
	ndirect     int
	// fields and fieldNames describe a record result.
	fields     []Type
	fieldNames []string
	// srfList is the list a set-returning function unnests.
	srfList string
	// fromTable is a table expression a set-returning catalog function
	// reads in FROM.
	fromTable string
}

// Arg returns argument i's SQL.
func (c *Call) Arg(i int) string { return c.Args[i] }

// ConstArg returns argument i's value when it is a string literal.
func (c *Call) ConstArg(i int) (string, bool) {
	if i >= len(c.args) || c.args[i].lit == nil {
		return "", false
	}
	if c.args[i].placeholder {
		// Its value decides the plan: plan the statement as written.
		c.l.a.uncacheable = true
	}
	return *c.args[i].lit, true
}

// expand fills a template.
func expand(tmpl string, args []string) string {
	if !strings.Contains(tmpl, "$") {
		return tmpl
	}
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] != '$' {
			b.WriteByte(tmpl[i])
			continue
		}
		j := i + 1
		for j < len(tmpl) && tmpl[j] >= '0' && tmpl[j] <= '9' {
			j++
		}
		if j > i+1 {
			n, _ := strconv.Atoi(tmpl[i+1 : j])
			if n >= 1 && n <= len(args) {
				b.WriteString(args[n-1])
			}
			i = j - 1
			continue
		}
		switch {
		case strings.HasPrefix(tmpl[i:], "$tz"):
			b.WriteString(Marker("timezone"))
			i += 2
		case strings.HasPrefix(tmpl[i:], "$ds"):
			b.WriteString(Marker("datestyle"))
			i += 2
		case strings.HasPrefix(tmpl[i:], "$is"):
			b.WriteString(Marker("intervalstyle"))
			i += 2
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

// impls is the allowlist of PostgreSQL functions by procKey, filled by
// the impl_*.go files' init functions.
var impls = map[string]*Impl{}

// register adds implementations: keys are procKeys ("lower(text)").
func register(m map[string]*Impl) {
	for k, v := range m {
		if _, dup := impls[k]; dup {
			panic("translate: duplicate implementation of " + k)
		}
		impls[k] = v
	}
}

// sqlImpls is a shorthand for template-only implementations.
func sqlImpls(m map[string]string) map[string]*Impl {
	out := make(map[string]*Impl, len(m))
	for k, v := range m {
		out[k] = &Impl{SQL: v}
	}
	return out
}

// raise is engine SQL that fails the statement with a SQLSTATE and
// message (the engine's error translation reads the HD prefix).
func raise(code, msg string) string {
	return "error(" + sqlString("HD"+code+":"+msg) + ")"
}

// Implemented reports whether a function (by procKey) is on the allowlist.
func Implemented(key string) bool { return impls[key] != nil }
