#!/usr/bin/env bash
# The transparency-log benchmarks on SQLite and on a throwaway PostgreSQL
# server (tests/store/pg_server.sh; fsync on, same disk): library appends,
# latency and proofs (tlog_bench), POST /add through `custody log serve`
# (tlog_http_bench), and memory while appending (tlog_bench --memory).
# Usage: bench/tlog_postgres_bench.sh BUILD_DIR [MEMORY_ENTRIES (default 1000000)]
set -euo pipefail
build=$(realpath "$1")
memory=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../tests/store/pg_server.sh"
pg_start
trap pg_stop EXIT
uri() { echo "postgresql:///$1?host=$PG_DIR&user=postgres"; }
for db in lib http mem; do psql -X -q "$PG_URI" -c "CREATE DATABASE bench_$db" >/dev/null; done
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') at $PG_DIR (fsync on)"
CUSTODY_BENCH_POSTGRES=$(uri bench_lib) "$build/bench/tlog_bench"
CUSTODY_BENCH_POSTGRES=$(uri bench_http) "$build/bench/tlog_http_bench"
CUSTODY_BENCH_POSTGRES=$(uri bench_mem) "$build/bench/tlog_bench" --memory "$memory"
