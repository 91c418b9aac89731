// Package pgfunc is the engine's side of the planner's translation: the
// Go functions and SQL macros that the engine SQL calls (hd_*), each
// computing exactly what PostgreSQL's function of the same meaning
// computes — numeric arithmetic with each value's display scale, date
// and time arithmetic in the session's zone, text output and input in
// the session's styles, JSON as json and jsonb do.
//
// The planner (package translate) decides which PostgreSQL function a
// call is and emits SQL naming these; the engine registers them in
// every workspace database (engine.Functions). Values are read and
// printed by package pgval.
//
// See docs/compatibility.md for what is covered.
package pgfunc
