// Package scram implements the server side of SCRAM-SHA-256 (RFC 5802,
// RFC 7677) as PostgreSQL uses it for password authentication, including
// the tls-server-end-point channel binding of SCRAM-SHA-256-PLUS
// (RFC 5929), and the derivation of stored verifiers from a password.
//
// PostgreSQL's variant: the client sends an empty user name in its first
// message (the user comes from the startup packet), and the server takes
// the proof without a user lookup. Hotdata goes one step further: the
// server does not know, when it sends its first message, which credential
// the client holds, so every candidate verifier shares one salt and the
// proof is checked against each candidate (see Exchange.Verify).
//
// The package does no I/O and knows nothing of tokens or workspaces.
package scram
