#!/usr/bin/env bash
# Runs the benchmarks with one command on this machine: picks JDK 25, makes sure PostgreSQL answers on
# 127.0.0.1:5432 and pgbench is installed (from Debian's packages when missing), then runs
#   Benchmarks all|throughput|admin [options]      (default: all; see --help)
# Results: printed, and written as Markdown and CSV to benchmarks/target/benchmark-results/.
# To measure another server: SUPAQUEUE_BENCH_JDBC_URL=jdbc:postgresql://host:5432/db?user=... benchmarks/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=../.ci/prepare.sh
. .ci/prepare.sh

have_pgbench() { command -v pgbench >/dev/null || ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1; }

select_jdk
if [ -z "${SUPAQUEUE_BENCH_JDBC_URL:-}" ]; then
  ensure_postgres
fi
if ! have_pgbench; then
  say "pgbench is missing: installing it from Debian packages (postgresql-contrib, postgresql-client)"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-contrib postgresql-client
fi
have_pgbench || die "pgbench is still missing; install PostgreSQL's client tools"

args="${*:-all}"
./mvnw -B -q -pl benchmarks -am -DskipTests -Djacoco.skip=true package exec:exec -Dbench.args="$args"
