#!/usr/bin/env bash
# Builds the console's .deb, installs it with dpkg, opens the installed console under Xvfb, checks that its window
# appears, takes a screenshot (target/installers/installed-console.png) and removes the package again.
# Needs root (dpkg), fakeroot, xvfb, xdotool and imagemagick; missing tools are installed from Debian packages.
# Usage (from the repository root): installers/check-deb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
[ "$(id -u)" = 0 ] || { echo "check-deb.sh installs a package: run it as root" >&2; exit 2; }

missing=()
command -v fakeroot >/dev/null || missing+=(fakeroot)
command -v xvfb-run >/dev/null || missing+=(xvfb)
command -v xdotool >/dev/null || missing+=(xdotool)
command -v import >/dev/null || missing+=(imagemagick)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

bash installers/build.sh deb
deb=$(ls target/installers/supaqueue-console_*.deb)
# apt-get installs the declared dependencies (libgtk-3-0) with the package; dpkg -i alone would not.
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./$deb"
trap 'dpkg --purge supaqueue-console >/dev/null 2>&1 || true' EXIT
test -x /opt/supaqueue-console/bin/supaqueue-console
# The menu entry ships with the package; postinst registers it where the system has a desktop menu.
entry=/opt/supaqueue-console/lib/supaqueue-console-supaqueue-console.desktop
grep -q '^Exec=/opt/supaqueue-console/bin/supaqueue-console$' "$entry" || { echo "FAIL: no menu entry in $entry"; exit 1; }

home=$(mktemp -d)   # a fresh user: the console must start without any saved profile or setting
log=target/installers/installed-console.log
shot=target/installers/installed-console.png
HOME=$home xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
  /opt/supaqueue-console/bin/supaqueue-console > "$1" 2>&1 &
  app=$!
  for _ in $(seq 60); do
    xdotool search --name "Supaqueue console" >/dev/null 2>&1 && break
    sleep 0.5
  done
  if xdotool search --name "Supaqueue console" >/dev/null 2>&1; then
    sleep 2; import -window root "$2"; echo "window open"
  else
    echo "no window"
  fi
  kill $app 2>/dev/null || true' _ "$log" "$shot" | tee target/installers/window-check.txt
grep -q "window open" target/installers/window-check.txt || { cat "$log"; echo "FAIL: the installed console opened no window"; exit 1; }
rm -rf "$home"
echo "OK: $deb installs, and the installed console opens its window (screenshot: $shot)"
