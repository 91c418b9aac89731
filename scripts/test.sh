#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine with Go:
#   1. installs the clients and servers the tests drive when they are missing
#      (apt packages; only when running as root on Debian),
#   2. starts PostgreSQL (127.0.0.1:5432, user postgres, trust on localhost)
#      and MariaDB (127.0.0.1:3306, root, empty password) when they do not
#      answer, unless HOTDATA_TEST_POSTGRES_URL / HOTDATA_TEST_MYSQL_URL name
#      servers to use,
#   3. builds the BigQuery and Snowflake emulators once into a cache
#      folder (scripts/emulators.sh), and the web console (web/, npm),
#   4. runs go test over every package (build tag duckdb_arrow), then
#      the race detector over every package but the client matrix and
#      the differential test.
# Extra arguments go to "go test" (e.g. -run TestPsql -v).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }

is_root_debian() { [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }

APT_UPDATED=0
apt_install() {
	if ! is_root_debian; then
		log "missing $*: install it (Debian packages: $*) or run as root on Debian"
		return 1
	fi
	if [ "$APT_UPDATED" = 0 ]; then
		log "apt-get update"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		APT_UPDATED=1
	fi
	log "apt-get install $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Clients the tests run.
pkgs=()
# psql and pgbench are Debian wrappers (pg_wrapper): look for the binaries.
compgen -G '/usr/lib/postgresql/*/bin/psql' >/dev/null || pkgs+=(postgresql-client)
command -v mariadb >/dev/null || pkgs+=(mariadb-client)
# Private MariaDB servers of the change data capture tests (binlog on).
{ [ -x /usr/sbin/mariadbd ] && command -v mariadb-install-db >/dev/null; } || pkgs+=(mariadb-server-core)
command -v gcc >/dev/null || pkgs+=(gcc)
# The client matrix (clienttest/): pgbench, pgjdbc, psycopg2, psycopg 3,
# asyncpg, SQLAlchemy and pandas (for Debian's /usr/bin/python3), pgcli
# (with pexpect to drive it in a terminal), Ruby's pg gem, node-postgres
# (npm ci from its lock file), psqlODBC. lib/pq and pgx are Go modules
# (go.mod). Node.js and npm also run Redocly CLI, which lints the
# OpenAPI document (api/openapi/: npm ci from its lock file, by
# TestOpenAPILint as clienttest/node's by TestNodePostgres; Redocly CLI 2
# needs Node.js 20.19 or later).
compgen -G '/usr/lib/postgresql/*/bin/pgbench' >/dev/null || pkgs+=(postgresql) # pgbench ships with the server
command -v javac >/dev/null || pkgs+=(default-jdk-headless)
[ -f /usr/share/java/postgresql.jar ] || pkgs+=(libpostgresql-jdbc-java)
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import psycopg2' 2>/dev/null; } || pkgs+=(python3-psycopg2)
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import sqlalchemy' 2>/dev/null; } || pkgs+=(python3-sqlalchemy)
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pandas' 2>/dev/null; } || pkgs+=(python3-pandas)
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import psycopg' 2>/dev/null; } || pkgs+=(python3-psycopg)
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import asyncpg' 2>/dev/null; } || pkgs+=(python3-asyncpg)
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pexpect' 2>/dev/null; } || pkgs+=(python3-pexpect)
{ command -v pgcli >/dev/null && [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pgcli.pgexecute' 2>/dev/null; } || pkgs+=(pgcli)
{ command -v ruby >/dev/null && ruby -e 'require "pg"' 2>/dev/null; } || pkgs+=(ruby ruby-pg)
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
# The console's browser test (TestConsoleBrowser): Debian's Chromium,
# driven by playwright-core from web/node_modules.
command -v chromium >/dev/null || pkgs+=(chromium)
# The CLI's terminal test (TestCLITerminal): tmux shows what a person sees.
command -v tmux >/dev/null || pkgs+=(tmux)
command -v isql >/dev/null || pkgs+=(unixodbc)
compgen -G '/usr/lib/*/odbc/psqlodbcw.so' >/dev/null || pkgs+=(odbc-postgresql)
if [ ${#pkgs[@]} -gt 0 ]; then apt_install "${pkgs[@]}"; fi

pg_answers() { pg_isready -q -h 127.0.0.1 -p 5432 -U postgres 2>/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; }
mysql_answers() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' >/dev/null 2>&1; }

start_postgres() {
	if ! ls /etc/postgresql/*/main/pg_hba.conf >/dev/null 2>&1; then
		apt_install postgresql
	fi
	local ver hba
	ver=$(ls /etc/postgresql | sort -V | tail -1)
	hba=/etc/postgresql/$ver/main/pg_hba.conf
	# Tests connect as postgres over TCP without a password.
	if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
		log "trusting local TCP connections in $hba (test machine)"
		sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
	fi
	log "starting PostgreSQL $ver"
	pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
	for _ in $(seq 1 60); do pg_answers && return 0; sleep 0.5; done
	log "PostgreSQL did not come up"; return 1
}

start_mariadb() {
	if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
		apt_install mariadb-server
	fi
	log "starting MariaDB"
	mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
	start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
	for _ in $(seq 1 60); do
		if mariadb -u root -e 'SELECT 1' >/dev/null 2>&1; then break; fi
		sleep 0.5
	done
	# Tests connect as root over TCP with an empty password.
	mariadb -u root -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" 2>/dev/null || true
	for _ in $(seq 1 20); do mysql_answers && return 0; sleep 0.5; done
	log "MariaDB did not come up"; return 1
}

if [ -z "${HOTDATA_TEST_POSTGRES_URL:-}" ] && ! pg_answers; then
	if is_root_debian; then start_postgres; else log "PostgreSQL is not answering on 127.0.0.1:5432"; fi
fi
if [ -z "${HOTDATA_TEST_MYSQL_URL:-}" ] && ! mysql_answers; then
	if is_root_debian; then start_mariadb; else log "MariaDB is not answering on 127.0.0.1:3306"; fi
fi

# The warehouse emulators (BigQuery, Snowflake) the connector tests start
# on loopback: built once into a cache folder that later runs reuse (a
# cold BigQuery build takes about 15 minutes; see scripts/emulators.sh).
if emulators=$(./scripts/emulators.sh); then
	for line in $emulators; do export "${line?}"; done
else
	log "building the warehouse emulators failed"
	[ "${HOTDATA_TEST_REQUIRE_SERVICES:-0}" = 1 ] && exit 1
fi

# The web console (web/): its packages from the lock file, then the
# build the Go binary embeds. The build is committed (so that `go run
# ./cmd/control` serves it without Node); a build that differs from the
# committed one (or a client that differs from /v1/openapi.json) fails.
log "npm ci and build of the console (web/)"
npm --prefix web ci --no-audit --no-fund >/dev/null
npm --prefix web run build >/dev/null
if [ -n "$(git status --porcelain -- web/dist web/src/api/schema.d.ts 2>/dev/null)" ]; then
	log "web/dist or web/src/api/schema.d.ts differs from the committed build: run npm --prefix web run build and commit"
	git status --short -- web/dist web/src/api/schema.d.ts >&2
	exit 1
fi

log "go test ./... (HOTDATA_TEST_REQUIRE_SERVICES=${HOTDATA_TEST_REQUIRE_SERVICES:-0})"
go test -tags duckdb_arrow -count=1 -timeout 60m "$@" ./...
if [ $# -eq 0 ]; then
	# The race detector over every package whose tests run Hotdata's
	# code: the unit packages and the end-to-end suite (internal/server,
	# with its soak and fault tests; about 6 minutes). clienttest and
	# difftest drive outside clients against the same code paths and are
	# left to the plain run above.
	race_pkgs=$(go list ./... | grep -v -e /clienttest -e /difftest -e /scratch/)
	log "go test -race"
	# shellcheck disable=SC2086
	go test -race -tags duckdb_arrow -count=1 -timeout 30m $race_pkgs
fi
