// Package testdata holds small fixtures: seed SQL for upstream test
// databases (shop.sql, used by the README's quickstart) and, later, sample
// CSV, Parquet and JSON files. It has no code.
package testdata
