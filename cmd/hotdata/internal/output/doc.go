// Package output prints what the hotdata CLI shows: aligned tables and
// key/value details of API objects, query rows as a table, CSV, JSON or
// NDJSON written page by page, and progress bars and spinners on a
// terminal (none when the output is not one). See docs/cli.md.
package output
