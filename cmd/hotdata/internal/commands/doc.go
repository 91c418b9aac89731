// Package commands is the hotdata CLI: one cobra command per thing a
// user does with the /v1 API (auth and profiles, organizations, members,
// tokens, workspaces, secrets, connections, jobs, uploads, datasets, saved
// queries, query runs, results, queries, psql, completion). Run executes
// one command line and returns its exit code (see exit.go); every call
// goes through package client, every output through package output.
// See docs/cli.md.
package commands
