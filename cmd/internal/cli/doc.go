// Package cli is what cmd/control and cmd/proxy share: reading flags and
// HOTDATA_* environment variables into a server.Config (a flag wins over
// its variable), printing the first-start banner, and running a process
// until SIGINT/SIGTERM (drain; a second signal exits at once).
package cli
