// Package wire is a PostgreSQL frontend/backend protocol (version 3.0)
// server. It accepts connections, negotiates start-up, authenticates with
// SCRAM-SHA-256, and runs the simple query protocol, encoding Arrow record
// batches as RowDescription and DataRow messages.
//
// It knows nothing of workspaces, SQL or storage: it calls the Handler and
// Session interfaces it defines, and whatever implements them decides what
// a statement means. Errors carrying a SQLSTATE (*pgerr.Error) are sent as
// they are; any other error is logged and reported as an internal error,
// without details.
//
// Protocol reference: https://www.postgresql.org/docs/current/protocol.html
// (chapter 53, "Frontend/Backend Protocol"); message formats:
// https://www.postgresql.org/docs/current/protocol-message-formats.html.
// Incoming messages are decoded with pgx's pgproto3; outgoing ones are
// appended to one buffer and flushed once per round trip.
package wire
