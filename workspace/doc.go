// Package workspace is the service layer that both front ends call: the
// REST API (package api) and the Postgres wire server (package wire, through
// Session). It authenticates tokens, scopes every call to a workspace of the
// caller's organization and checks roles, manages secrets and connections
// (with schema discovery), and runs SQL: plan with the planner, sync
// missing snapshots through the cache, mount them in the workspace's
// engine, and stream Arrow batches to a Sink.
//
// It owns the per-process resources of active workspaces: one engine per
// workspace, opened on first use, open connectors per connection, and the
// background work: query-run recording, snapshot garbage collection, the
// refresh scheduler (control plane only) and the native copies of
// snapshots (native.go).
// Close releases them. It must not know about HTTP or protocol framing.
package workspace
