# Starts a throwaway PostgreSQL cluster for the tests: Debian's server, a
# cluster in a temp dir, listening on a Unix socket only, trust auth for the
# "postgres" role. PostgreSQL refuses to run as root, so as root the server
# runs as the "postgres" user that Debian's package creates.
# Source it; it defines pg_start (sets PG_URI) and pg_stop. Exits 77 (skip)
# when the server is not installed.

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

pg_start() {
  if [[ -z $pg_bin || ! -x $pg_bin/initdb ]]; then
    echo "SKIP: PostgreSQL is not installed (scripts/bootstrap installs Debian's postgresql)"
    exit 77
  fi
  PG_DIR=$(mktemp -d /tmp/custody-pg-XXXXXX)
  local as=()
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$pg_bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log"; return 1; }
  "${as[@]}" "$pg_bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories=$PG_DIR -c fsync=on" start >/dev/null ||
    { cat "$PG_DIR/server.log"; return 1; }
  PG_AS=("${as[@]}")
  PG_URI="postgresql:///postgres?host=$PG_DIR&user=postgres"
}

pg_stop() {
  if [[ -n ${PG_DIR:-} && -d $PG_DIR/data ]]; then
    "${PG_AS[@]}" "$pg_bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
