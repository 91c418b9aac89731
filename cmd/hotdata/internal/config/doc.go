// Package config keeps the hotdata CLI's profiles: for each name, a
// server URL, a token, a workspace and the PostgreSQL endpoint, in one
// JSON file that only its owner may read (0600, in a 0700 folder), written
// atomically. Resolve applies the environment (HOTDATA_URL, HOTDATA_TOKEN,
// HOTDATA_WORKSPACE, HOTDATA_PG_ADDR) over the profile. See docs/cli.md.
package config
