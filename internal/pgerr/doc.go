// Package pgerr holds the SQLSTATE codes Hotdata uses and the one error type
// that carries them from the planner, engine and service layer to the
// Postgres wire front end (which encodes it as an ErrorResponse) and to the
// REST front end (which maps it to an HTTP status).
//
// It must not import anything of Hotdata's: every layer may depend on it.
//
// Codes are those of PostgreSQL, Appendix A "PostgreSQL Error Codes":
// https://www.postgresql.org/docs/current/errcodes-appendix.html
package pgerr
