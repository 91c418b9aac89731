// Package metrics holds the process's Prometheus metrics and serves them
// (GET /metrics): statements by route and outcome with their latency,
// errors by SQLSTATE, pgwire sessions, syncs, and the Go runtime's and
// the process's own. Labels never name a tenant: the numbers are the
// process's, not an organization's.
package metrics
