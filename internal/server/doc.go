// Package server assembles a Hotdata process from a Config: it opens the
// metastore, bootstraps a fresh install, starts the workspace service, the
// REST API (control role) and the Postgres wire server, and shuts them
// down gracefully. cmd/control and cmd/proxy parse flags and environment
// into a Config and call Run; nothing here reads flags or the environment.
package server
