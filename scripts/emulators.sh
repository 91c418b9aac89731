#!/usr/bin/env bash
# Builds the warehouse emulators the connector tests start on loopback,
# once, into a cache folder that later runs reuse:
#   - BigQuery: github.com/goccy/bigquery-emulator (cgo, go-zetasql; a
#     cold build takes about 18 minutes and 7 GB of memory, with clang++),
#   - Snowflake: github.com/nnnkkk7/snowflake-emulator (cgo, DuckDB; a
#     few minutes).
# Each is built inside its own module (its go.mod pins its dependencies,
# not ours), so neither shares a process or a DuckDB with Hotdata.
#
# The folder is $HOTDATA_TEST_CACHE (default /var/cache/hotdata-test, or
# ~/.cache/hotdata-test when that is not writable); binaries are named
# after their version, so a version bump builds again. Prints
# HOTDATA_TEST_BIGQUERY_EMULATOR=… and HOTDATA_TEST_SNOWFLAKE_EMULATOR=…
# lines for the caller to export. Usage: scripts/emulators.sh [bigquery|snowflake]...
set -euo pipefail

BQ_MODULE=github.com/goccy/bigquery-emulator
BQ_VERSION=v0.6.6
SF_MODULE=github.com/nnnkkk7/snowflake-emulator
SF_VERSION=v0.0.9

log() { printf '==> %s\n' "$*" >&2; }

cache=${HOTDATA_TEST_CACHE:-/var/cache/hotdata-test}
if ! mkdir -p "$cache/bin" 2>/dev/null || [ ! -w "$cache/bin" ]; then
	cache=$HOME/.cache/hotdata-test
	mkdir -p "$cache/bin"
fi

# build NAME MODULE VERSION PKG [ENV...]: go build PKG inside MODULE@VERSION.
build() {
	local name=$1 module=$2 version=$3 pkg=$4
	shift 4
	local out=$cache/bin/$name-$version
	if [ -x "$out" ]; then
		echo "$out"
		return 0
	fi
	local dir
	dir=$(GOFLAGS=-mod=mod go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	if [ -z "$dir" ] || [ ! -d "$dir" ]; then
		log "go mod download $module@$version gave no folder"
		return 1
	fi
	# The module cache is read-only: build from a copy.
	local src
	src=$(mktemp -d "$cache/src-$name.XXXXXX")
	cp -r "$dir/." "$src/"
	chmod -R u+w "$src"
	log "building $name $version (cached in $out once built)"
	local start=$SECONDS
	(cd "$src" && env "$@" GOFLAGS=-mod=mod go build -o "$out.tmp" "$pkg") || { rm -rf "$src"; return 1; }
	mv "$out.tmp" "$out"
	rm -rf "$src"
	log "built $name in $((SECONDS - start)) s"
	echo "$out"
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(bigquery snowflake)
for w in "${want[@]}"; do
	case $w in
	bigquery)
		if ! command -v clang++ >/dev/null; then
			if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
				log "apt-get install clang (go-zetasql builds with clang++)"
				DEBIAN_FRONTEND=noninteractive apt-get update -qq
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang >/dev/null
			else
				log "missing clang++: install Debian's clang"
				exit 1
			fi
		fi
		bin=$(build bigquery-emulator $BQ_MODULE $BQ_VERSION ./cmd/bigquery-emulator CGO_ENABLED=1 CXX=clang++ CC=clang)
		echo "HOTDATA_TEST_BIGQUERY_EMULATOR=$bin"
		;;
	snowflake)
		bin=$(build snowflake-emulator $SF_MODULE $SF_VERSION ./cmd/server CGO_ENABLED=1)
		echo "HOTDATA_TEST_SNOWFLAKE_EMULATOR=$bin"
		;;
	*)
		log "unknown emulator $w (bigquery, snowflake)"
		exit 2
		;;
	esac
done
