#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for trying the server-restart scenario without restarting a shared server.
# Usage (as root, on Debian with postgresql-15):
#   reliability/scripts/private-cluster.sh start     # initdb + start on port $PORT (default 5499), trust auth
#   reliability/scripts/private-cluster.sh restart   # what --restart-command runs
#   reliability/scripts/private-cluster.sh outage N  # stop, stay down N seconds, start: longer than the retries
#   reliability/scripts/private-cluster.sh remove    # stop and delete it
set -euo pipefail
PORT=${PORT:-5499}
DIR=${DIR:-/tmp/supaqueue-rel-pg}
BIN=${BIN:-/usr/lib/postgresql/15/bin}
as_postgres() { runuser -u postgres -- "$@"; }

case "${1:-}" in
  start)
    if [ ! -d "$DIR/data" ]; then
      mkdir -p "$DIR" && chown postgres: "$DIR"
      as_postgres "$BIN/initdb" -D "$DIR/data" -A trust -U postgres >/dev/null
      # In its own configuration, so that every later start (outage, restart) stays on this port and never
      # reaches for the shared server's.
      printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nmax_connections = 60\n" \
          "$PORT" "$DIR" >>"$DIR/data/postgresql.conf"
    fi
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w start
    echo "Private cluster on 127.0.0.1:$PORT: --jdbc-url jdbc:postgresql://127.0.0.1:$PORT/postgres"
    ;;
  restart)
    # -m fast: open connections are cut, as in a real restart; -w: return once it accepts connections again.
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast -w restart >/dev/null
    ;;
  outage)
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
    sleep "${2:-5}"
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w start >/dev/null
    ;;
  remove)
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *)
    echo "Usage: $0 start|restart|outage SECONDS|remove" >&2
    exit 2
    ;;
esac
