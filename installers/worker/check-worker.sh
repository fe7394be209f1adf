#!/usr/bin/env bash
# Checks the runnable worker end to end on the local PostgreSQL: the self-contained jar runs the example's `add`
# actor from its own jar, processes messages sent with pgmq.send, and stops cleanly on SIGTERM (exit 0).
# Usage (from the repository root): installers/worker/check-worker.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
database=supaqueue_worker_check
namespace=workercheck
count=${1:-20}

./mvnw -B -q -pl worker-dist,examples/supabase-example -am -DskipTests package
psql -h 127.0.0.1 -U postgres -qAtc "DROP DATABASE IF EXISTS $database" postgres
psql -h 127.0.0.1 -U postgres -qAtc "CREATE DATABASE $database" postgres
jar=worker-dist/target/supaqueue-worker.jar
"$JAVA_HOME/bin/java" -cp "$jar" dev.supaqueue.pgmq.PgmqDevSchemaTool install \
    "jdbc:postgresql://127.0.0.1:5432/$database?user=postgres" >/dev/null

log=$(mktemp)
export SUPAQUEUE_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$database"
SUPAQUEUE_WORKER_JAR=$jar SUPAQUEUE_ACTORS=examples/supabase-example/target/supabase-example.jar \
    installers/worker/supaqueue-worker worker --namespace "$namespace" --threads 4 >"$log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 60); do grep -q "Worker started" "$log" && break; sleep 0.5; done
grep -q "Worker started" "$log" || { cat "$log"; echo "FAIL: the worker did not start"; exit 1; }

for i in $(seq "$count"); do
  psql -h 127.0.0.1 -U postgres -qAt "$database" -c "SELECT pgmq.send('${namespace}_default', jsonb_build_object(
      'queue_name', 'default', 'actor_name', 'add', 'args', jsonb_build_array($i, 1000), 'kwargs', '{}'::jsonb,
      'options', '{}'::jsonb, 'message_id', gen_random_uuid()::text,
      'message_timestamp', (extract(epoch FROM clock_timestamp()) * 1000)::bigint))" >/dev/null
done
for _ in $(seq 60); do
  left=$(psql -h 127.0.0.1 -U postgres -qAt "$database" -c "SELECT queue_length FROM pgmq.metrics('${namespace}_default')")
  [ "$left" = 0 ] && break; sleep 0.5
done
kill -TERM $worker
status=0; wait $worker || status=$?
done_count=$(grep -c "^add(" "$log" || true)
echo "sent $count, processed $done_count, left in queue $left, worker exit status $status"
psql -h 127.0.0.1 -U postgres -qAtc "DROP DATABASE $database" postgres
[ "$done_count" = "$count" ] && [ "$left" = 0 ] && [ "$status" = 0 ] && echo "OK" || { cat "$log"; echo "FAIL"; exit 1; }
