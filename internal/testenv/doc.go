// Package testenv gives integration tests real PostgreSQL and MariaDB
// servers, each test its own database, dropped when the test ends.
//
// A server is found, in order, from HOTDATA_TEST_POSTGRES_URL /
// HOTDATA_TEST_MYSQL_URL, else a local server on the standard port
// (127.0.0.1:5432 as postgres, 127.0.0.1:3306 as root), else a container
// started with dockertest when a Docker engine answers. When none is found
// the test is skipped, or fails when HOTDATA_TEST_REQUIRE_SERVICES=1 (as
// .ci/run sets it), so that a missing service can never pass unnoticed.
//
// scripts/test.sh installs and starts the local servers on a fresh Debian
// machine before the tests run; this package never installs anything.
package testenv
