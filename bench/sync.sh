#!/usr/bin/env bash
# Sync throughput: Hotdata syncs a ROWS-row, 10-column table (ints,
# numerics, text, timestamps) from the local PostgreSQL and MariaDB into a
# Parquet snapshot; the same run measures the upstream's own fastest bulk
# read of the same rows into /dev/null:
#   PostgreSQL: COPY (SELECT …) TO STDOUT (FORMAT binary)
#   MariaDB:    mariadb --quick -e 'SELECT …'
# and Hotdata's peak RSS (VmHWM) during the sync.
#
#   bench/sync.sh                  # 5,000,000 rows
#   ROWS=1000000 bench/sync.sh
#
# Needs PostgreSQL on 127.0.0.1:5432 (postgres, trust) and MariaDB on
# 127.0.0.1:3306 (root, no password). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-5000000}
DB=hotdata_syncbench
WORK=$(mktemp -d /tmp/hotdata-syncbench.XXXXXX)
HD_PORT=${HD_PORT:-25435}
HD_HTTP=${HD_HTTP:-28082}
TOKEN=hd_benchtoken_0000000000000000000000000000002
MYSQL=(mariadb -h 127.0.0.1 -P 3306 -u root)
command -v mariadb >/dev/null || MYSQL=(mysql -h 127.0.0.1 -P 3306 -u root)

log() { printf '==> %s\n' "$*" >&2; }
cleanup() {
	[ -n "${HD_PID:-}" ] && kill "$HD_PID" 2>/dev/null && wait "$HD_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
rate() { awk -v r="$ROWS" -v a="$1" -v b="$2" 'BEGIN{printf "%.0f", r/(b-a)}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }

# The table: 10 columns, as a typical fact table.
COLS="id, customer_id, quantity, price, discount, status, note, created_at, updated_at, score"
log "preparing $ROWS rows in PostgreSQL"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -d "$DB" -q >/dev/null <<SQL
CREATE TABLE wide (
	id bigint PRIMARY KEY, customer_id integer, quantity smallint, price numeric(12,2), discount numeric(5,4),
	status text, note varchar(64), created_at timestamptz, updated_at timestamp, score double precision);
INSERT INTO wide SELECT i, i % 100000, (i % 100)::smallint, (i % 100000) / 100.0, (i % 10000) / 10000.0,
	(ARRAY['new','paid','shipped','cancelled'])[1 + i % 4], 'note ' || md5(i::text),
	'2020-01-01'::timestamptz + i * interval '1 second', '2021-01-01'::timestamp + i * interval '2 seconds', i * 0.001
FROM generate_series(1, $ROWS) i;
VACUUM ANALYZE wide;
SQL

log "preparing $ROWS rows in MariaDB"
"${MYSQL[@]}" -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
"${MYSQL[@]}" "$DB" <<SQL
CREATE TABLE wide (
	id bigint PRIMARY KEY, customer_id int, quantity smallint, price decimal(12,2), discount decimal(5,4),
	status varchar(16), note varchar(64), created_at timestamp(6) NULL, updated_at datetime(6), score double);
SET SESSION time_zone = '+00:00';
INSERT INTO wide SELECT seq, seq % 100000, seq % 100, (seq % 100000) / 100.0, (seq % 10000) / 10000.0,
	ELT(1 + seq % 4, 'new','paid','shipped','cancelled'), CONCAT('note ', MD5(seq)),
	TIMESTAMPADD(SECOND, seq, '2020-01-01 00:00:00'), TIMESTAMPADD(SECOND, 2 * seq, '2021-01-01 00:00:00'), seq * 0.001
FROM seq_1_to_$ROWS;
SQL

log "building and starting Hotdata"
go build -tags duckdb_arrow -o "$WORK/hotdata-control" ./cmd/control
# start_hotdata READERS: a fresh control process reading tables with
# READERS connections at once (HOTDATA_SYNC_READERS; 0: whole).
start_hotdata() {
	[ -n "${HD_PID:-}" ] && kill "$HD_PID" 2>/dev/null && wait "$HD_PID" 2>/dev/null
	rm -rf "$WORK/data"
	HOTDATA_DATA_DIR="$WORK/data" HOTDATA_HTTP_ADDR=127.0.0.1:$HD_HTTP HOTDATA_PG_ADDR=127.0.0.1:$HD_PORT HOTDATA_SYNC_READERS=$1 HOTDATA_SYNC_PARTS_FROM=${2:-1GB} \
		HOTDATA_BOOTSTRAP_TOKEN=$TOKEN HOTDATA_LOG_LEVEL=warn HOTDATA_EGRESS_ALLOW=127.0.0.0/8,::1 "$WORK/hotdata-control" >"$WORK/hotdata.out" 2>"$WORK/hotdata.log" &
	HD_PID=$!
	for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HD_HTTP/readyz" >/dev/null && break; sleep 0.1; done
	api POST /v1/connections "{\"name\":\"pg\",\"source_type\":\"postgres\",\"config\":{\"host\":\"127.0.0.1\",\"port\":5432,\"user\":\"postgres\",\"database\":\"$DB\",\"sslmode\":\"disable\"}}" >/dev/null
}
api() {
	curl -sf -H "Authorization: Bearer $TOKEN" -H "X-Workspace-Id: default" -H "Content-Type: application/json" \
		-X "$1" "http://127.0.0.1:$HD_HTTP$2" ${3:+-d "$3"}
}
start_hotdata 2
api POST /v1/connections "{\"name\":\"my\",\"source_type\":\"mysql\",\"config\":{\"host\":\"127.0.0.1\",\"port\":3306,\"user\":\"root\",\"database\":\"$DB\",\"tls\":\"disable\"}}" >/dev/null

# hwm_kb PID: the process's peak resident set so far.
hwm_kb() { awk '/^VmHWM/{print $2}' "/proc/$1/status"; }

# sync CONNECTION SCHEMA: syncs wide, prints "seconds rows".
sync_table() {
	local out
	out=$(api POST /v1/refresh "{\"connection_id\":\"$1\",\"schema_name\":\"$2\",\"table_name\":\"wide\",\"data\":true,\"include_uncached\":true}")
	echo "$out" | grep -q '"ok":true' || { log "sync of $1 failed: $out"; exit 1; }
	echo "$out" | sed -n 's/.*"row_count":\([0-9]*\).*/\1/p'
}

log "PostgreSQL: COPY binary into /dev/null"
t0=$(now); psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "COPY (SELECT $COLS FROM wide) TO STDOUT (FORMAT binary)" >/dev/null; t1=$(now)
log "PostgreSQL: Hotdata sync"
base_pg=$(hwm_kb "$HD_PID")
t2=$(now); n_pg=$(sync_table pg public); t3=$(now)
hwm_pg=$(hwm_kb "$HD_PID")

log "MariaDB: mariadb --quick into /dev/null"
t4=$(now); "${MYSQL[@]}" --quick "$DB" -e "SELECT $COLS FROM wide" >/dev/null; t5=$(now)
log "MariaDB: Hotdata sync"
t6=$(now); n_my=$(sync_table my "$DB"); t7=$(now)
hwm_my=$(hwm_kb "$HD_PID")

[ "$n_pg" = "$ROWS" ] && [ "$n_my" = "$ROWS" ] || { log "row counts: postgres $n_pg, mariadb $n_my, want $ROWS"; exit 1; }
echo
echo "Sync of $ROWS rows x 10 columns, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| source | upstream bulk read (rows/s) | Hotdata sync (rows/s) | ratio | sync time (s) | Hotdata peak RSS (MB) |"
echo "|---|---|---|---|---|---|"
printf '| PostgreSQL (COPY binary) | %s | %s | %s | %s | %s |\n' "$(rate "$t0" "$t1")" "$(rate "$t2" "$t3")" \
	"$(awk -v a="$(rate "$t2" "$t3")" -v b="$(rate "$t0" "$t1")" 'BEGIN{printf "%.2f", a/b}')" "$(secs "$t2" "$t3")" "$((hwm_pg / 1024))"
printf '| MariaDB (mariadb --quick) | %s | %s | %s | %s | %s |\n' "$(rate "$t4" "$t5")" "$(rate "$t6" "$t7")" \
	"$(awk -v a="$(rate "$t6" "$t7")" -v b="$(rate "$t4" "$t5")" 'BEGIN{printf "%.2f", a/b}')" "$(secs "$t6" "$t7")" "$((hwm_my / 1024))"
echo
echo "(peak RSS before the first sync: $((base_pg / 1024)) MB; VmHWM only grows, so the MariaDB row is the peak over both syncs)"

# PostgreSQL again by how many connections read a large table at once,
# with the table read in resumable parts (HOTDATA_SYNC_PARTS_FROM=400MB:
# the 5M-row table's 610 MB go in 13 parts of 50 MB; 0 reads it whole,
# in one statement), each in a fresh process, twice over.
echo
echo "| PostgreSQL readers | sync time (s) | Hotdata sync (rows/s) | ratio to COPY binary | Hotdata peak RSS (MB) |"
echo "|---|---|---|---|---|"
for r in 0 1 2 0 1 2; do
	start_hotdata "$r" 400MB
	a=$(now); n=$(sync_table pg public); b=$(now)
	[ "$n" = "$ROWS" ] || { log "readers $r: $n rows, want $ROWS"; exit 1; }
	printf '| %s | %s | %s | %s | %s |\n' "$r" "$(secs "$a" "$b")" "$(rate "$a" "$b")" \
		"$(awk -v x="$(rate "$a" "$b")" -v y="$(rate "$t0" "$t1")" 'BEGIN{printf "%.2f", x/y}')" "$(($(hwm_kb "$HD_PID") / 1024))"
done
