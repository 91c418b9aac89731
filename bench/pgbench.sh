#!/usr/bin/env bash
# Proxy overhead: pgbench select-only (-S) through Hotdata in live mode,
# directly against PostgreSQL, and through PgBouncer (transaction pooling),
# in one run, at 1, 16 and 64 clients with the simple and extended
# protocols (and -M prepared, Hotdata vs direct only: PgBouncer 1.18 does
# not support protocol-level prepared statements in transaction mode).
#
#   bench/pgbench.sh            # 10 s per run, pgbench scale 10
#   SECONDS_PER_RUN=30 SCALE=10 CLIENTS="1 16 64" bench/pgbench.sh
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), pgbench and
# pgbouncer (installed with apt when missing, as root on Debian). Prints a
# Markdown table with TPS, average latency and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${SECONDS_PER_RUN:-10}
SCALE=${SCALE:-10}
CLIENTS=${CLIENTS:-"1 16 64"}
PG=127.0.0.1:5432
DB=hotdata_bench
WORK=$(mktemp -d /tmp/hotdata-bench.XXXXXX)
HD_PORT=${HD_PORT:-25433}
HD_HTTP=${HD_HTTP:-28080}
BOUNCER_PORT=${BOUNCER_PORT:-26432}
TOKEN=hd_benchtoken_0000000000000000000000000000001

log() { printf '==> %s\n' "$*" >&2; }
cleanup() {
	[ -n "${HD_PID:-}" ] && kill "$HD_PID" 2>/dev/null && wait "$HD_PID" 2>/dev/null
	[ -n "${BOUNCER_PID:-}" ] && kill "$BOUNCER_PID" 2>/dev/null
	pkill -f "pgbouncer $WORK" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

need() {
	command -v "$1" >/dev/null && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing $2"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
	else
		log "missing $1 (Debian package $2)"; exit 1
	fi
}
need pgbench postgresql-contrib
need pgbouncer pgbouncer

log "preparing $DB at scale $SCALE"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
pgbench -h 127.0.0.1 -U postgres -i -q -s "$SCALE" "$DB" >/dev/null 2>&1

log "building and starting Hotdata"
go build -tags duckdb_arrow -o "$WORK/hotdata-control" ./cmd/control
HOTDATA_DATA_DIR="$WORK/data" HOTDATA_HTTP_ADDR=127.0.0.1:$HD_HTTP HOTDATA_PG_ADDR=127.0.0.1:$HD_PORT \
	HOTDATA_BOOTSTRAP_TOKEN=$TOKEN HOTDATA_LOG_LEVEL=warn HOTDATA_EGRESS_ALLOW=127.0.0.0/8,::1 "$WORK/hotdata-control" >"$WORK/hotdata.out" 2>"$WORK/hotdata.log" &
HD_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HD_HTTP/readyz" >/dev/null && break; sleep 0.1; done
curl -sf -H "Authorization: Bearer $TOKEN" -H "X-Workspace-Id: default" -H "Content-Type: application/json" \
	"http://127.0.0.1:$HD_HTTP/v1/connections" \
	-d "{\"name\":\"bench\",\"source_type\":\"postgres\",\"config\":{\"host\":\"127.0.0.1\",\"port\":5432,\"user\":\"postgres\",\"database\":\"$DB\",\"sslmode\":\"disable\",\"pool_size\":16}}" >/dev/null

log "starting PgBouncer (transaction pooling, pool size 16)"
BDIR=$WORK/bouncer
mkdir -p "$BDIR"
cat >"$BDIR/pgbouncer.ini" <<INI
[databases]
$DB = host=127.0.0.1 port=5432 dbname=$DB user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
auth_type = trust
auth_file = $BDIR/userlist.txt
pool_mode = transaction
default_pool_size = 16
max_client_conn = 500
unix_socket_dir =
logfile = $BDIR/pgbouncer.log
pidfile = $BDIR/pgbouncer.pid
INI
echo '"postgres" ""' >"$BDIR/userlist.txt"
BOUNCER=(pgbouncer "$BDIR/pgbouncer.ini")
if [ "$(id -u)" = 0 ]; then
	# PgBouncer refuses to run as root.
	chmod 755 "$WORK"
	chown -R postgres "$BDIR"
	BOUNCER=(runuser -u postgres -- pgbouncer "$BDIR/pgbouncer.ini")
fi
"${BOUNCER[@]}" >"$BDIR/stdout.log" 2>&1 &
BOUNCER_PID=$!
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p "$BOUNCER_PORT" && break; sleep 0.1; done
pg_isready -q -h 127.0.0.1 -p "$BOUNCER_PORT" || { log "PgBouncer did not start:"; cat "$BDIR"/*.log >&2; exit 1; }

# run TARGET CLIENTS MODE: prints "tps latency_ms"
run() {
	local target=$1 clients=$2 mode=$3 threads=$(( $2 < 2 ? 1 : 2 ))
	local args=(-n -S -M "$mode" -T "$SECS" -c "$clients" -j "$threads")
	local out
	case $target in
	direct) out=$(PGSSLMODE=disable pgbench -h 127.0.0.1 -p 5432 -U postgres "${args[@]}" "$DB" 2>&1) ;;
	pgbouncer) out=$(PGSSLMODE=disable pgbench -h 127.0.0.1 -p "$BOUNCER_PORT" -U postgres "${args[@]}" "$DB" 2>&1) ;;
	hotdata) out=$(PGSSLMODE=disable PGPASSWORD=$TOKEN PGOPTIONS="-c hotdata.freshness=live" \
		pgbench -h 127.0.0.1 -p "$HD_PORT" -U bench "${args[@]}" default 2>&1) ;;
	esac
	local tps lat failed
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
	lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
	if [ -z "$tps" ] || [ "${failed:-0}" != 0 ]; then
		log "$target c=$clients $mode failed:"; echo "$out" >&2; echo "0 0"; return
	fi
	echo "$tps $lat"
}

# Warm up: the first live query prepares the connection pool.
run hotdata 1 simple >/dev/null
echo
echo "pgbench -S, scale $SCALE, ${SECS}s per run, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| clients | protocol | PostgreSQL TPS | PgBouncer TPS | Hotdata live TPS | Hotdata/PgBouncer | Hotdata/direct | added latency vs direct (µs) |"
echo "|---|---|---|---|---|---|---|---|"
for c in $CLIENTS; do
	for m in simple extended prepared; do
		read -r dt dl < <(run direct "$c" "$m")
		if [ "$m" = prepared ]; then bt=0 bl=0; else read -r bt bl < <(run pgbouncer "$c" "$m"); fi
		read -r ht hl < <(run hotdata "$c" "$m")
		ratio_b=$( [ "$bt" != 0 ] && awk -v a="$ht" -v b="$bt" 'BEGIN{printf "%.2f", a/b}' || echo "n/a")
		ratio_d=$(awk -v a="$ht" -v b="$dt" 'BEGIN{printf "%.2f", (b>0)?a/b:0}')
		added=$(awk -v a="$hl" -v b="$dl" 'BEGIN{printf "%.0f", (a-b)*1000}')
		[ "$m" = prepared ] && bt="n/a"
		printf '| %s | %s | %.0f | %s | %.0f | %s | %s | %s |\n' "$c" "$m" "$dt" "$( [ "$bt" = n/a ] && echo n/a || printf '%.0f' "$bt")" "$ht" "$ratio_b" "$ratio_d" "$added"
	done
done
