# Shared by .ci/run and benchmarks/run.sh: pick JDK 25 and make sure PostgreSQL answers on 127.0.0.1:5432.
# Source it; it defines functions only.

say() { printf '[ci] %s\n' "$*"; }
die() { printf '[ci] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"; fi
}

# --- JDK ----------------------------------------------------------------------------------------
# The build needs JDK 25 (admin-app uses JavaFX 25; broker-lib is compiled with --release 21).
# Prefer JAVA_HOME, then any JDK under /usr/lib/jvm or on PATH; pick the newest release >= 21.
java_major() {
  local release="$1/release"
  [ -x "$1/bin/javac" ] || return 1
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
  fi
}

select_jdk() {
  local candidates=() best="" best_major=0 dir major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do [ -d "$dir" ] && candidates+=("$dir"); done
  if command -v javac >/dev/null; then candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"); fi
  for dir in "${candidates[@]}"; do
    major=$(java_major "$dir" 2>/dev/null || true)
    if [ -n "$major" ] && [ "$major" -gt "$best_major" ]; then best="$dir"; best_major="$major"; fi
  done
  [ "$best_major" -ge 21 ] || die "no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm, PATH). Install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME."
  [ "$best_major" -ge 25 ] || die "the newest JDK found is $best_major ($best); Supaqueue builds with JDK 25 because the console uses JavaFX 25. Install a JDK 25 and set JAVA_HOME."
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  say "JDK $best_major at $JAVA_HOME"
}

# --- PostgreSQL ---------------------------------------------------------------------------------
# The integration tests need a server on 127.0.0.1:5432 (unless SUPAQUEUE_TEST_JDBC_URL names another).
pg_answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

install_postgres() {
  say "PostgreSQL is not installed: installing it from Debian packages"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib
}

start_postgres() {
  local version
  for version in $(ls /etc/postgresql 2>/dev/null | sort -rV); do
    if pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" && $3 == 5432' | grep -q .; then
      say "starting PostgreSQL $version (cluster main)"
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
      return
    fi
  done
  # Installed, but no cluster on 5432 yet.
  version=$(ls /usr/lib/postgresql 2>/dev/null | sort -rV | head -1)
  [ -n "$version" ] || die "PostgreSQL packages are installed but no server version was found under /usr/lib/postgresql"
  say "creating PostgreSQL $version cluster main on port 5432"
  as_root pg_createcluster --port 5432 "$version" main
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
}

ensure_postgres() {
  if [ -n "${SUPAQUEUE_TEST_JDBC_URL:-}" ]; then
    say "tests use the database in SUPAQUEUE_TEST_JDBC_URL"
    return
  fi
  command -v pg_isready >/dev/null || install_postgres
  if ! pg_answers; then
    command -v pg_ctlcluster >/dev/null || install_postgres
    start_postgres
    for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
  fi
  pg_answers || die "PostgreSQL does not answer on 127.0.0.1:5432 (see /var/log/postgresql/)"
  ensure_superuser_login
  say "PostgreSQL answers on 127.0.0.1:5432 ($(psql -h 127.0.0.1 -U "${PGUSER:-postgres}" -d postgres -Atc 'show server_version'))"
}

# The tests connect over TCP as the superuser. A stock Debian cluster asks for a password there, so
# give the role a random one for this run (kept only in this process's environment, never printed).
ensure_superuser_login() {
  export PGUSER="${PGUSER:-postgres}"
  if psql -h 127.0.0.1 -U "$PGUSER" -d postgres -Atc 'select 1' >/dev/null 2>&1 </dev/null; then
    return
  fi
  command -v runuser >/dev/null || die "cannot log in to PostgreSQL as $PGUSER over TCP; set PGPASSWORD"
  say "setting a fresh random password for role $PGUSER so the tests can log in over TCP"
  PGPASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  export PGPASSWORD
  printf "ALTER ROLE %s PASSWORD '%s';\n" "$PGUSER" "$PGPASSWORD" \
    | as_root runuser -u postgres -- psql -q -d postgres >/dev/null
  psql -h 127.0.0.1 -U "$PGUSER" -d postgres -Atc 'select 1' >/dev/null </dev/null \
    || die "still cannot log in to PostgreSQL as $PGUSER over TCP"
}

