#!/usr/bin/env bash
# Builds the console's native packages with jlink and jpackage (JDK 25).
#
#   installers/build.sh app-image    a self-contained folder with the console and its own Java runtime
#   installers/build.sh deb          a Debian package (Linux; needs fakeroot and dpkg-deb)
#   installers/build.sh msi          a Windows installer (Windows; needs the WiX Toolset on the PATH)
#   installers/build.sh dmg          a macOS disk image (macOS)
#
# Output goes to target/installers/. jpackage cannot cross-build: each type is built on its own platform
# (see .github/workflows/installers.yml for Windows and macOS).
set -euo pipefail
cd "$(dirname "$0")/.."
type=${1:-app-image}
: "${JAVA_HOME:?set JAVA_HOME to a JDK 25}"
# Git Bash on Windows gets JAVA_HOME as C:\...; the tools are called through a POSIX path.
command -v cygpath >/dev/null 2>&1 && JAVA_HOME=$(cygpath -u "$JAVA_HOME")
jdk_bin="$JAVA_HOME/bin"
out=target/installers
input=$out/input
runtime=$out/runtime

case "$(uname -s)" in
  MINGW*|MSYS*|CYGWIN*) sep=';' ; platform=windows ;;
  Darwin) sep=':' ; platform=macos ;;
  *) sep=':' ; platform=linux ;;
esac
case "$type" in
  app-image) args=(@installers/jpackage/$platform-app-image.args) ;;
  deb) [ "$platform" = linux ] || { echo "deb packages are built on Linux" >&2; exit 2; }
       args=(@installers/jpackage/linux-deb.args) ;;
  msi) [ "$platform" = windows ] || { echo "msi installers are built on Windows" >&2; exit 2; }
       args=(@installers/jpackage/windows-msi.args) ;;
  dmg) [ "$platform" = macos ] || { echo "dmg images are built on macOS" >&2; exit 2; }
       args=(@installers/jpackage/macos-dmg.args) ;;
  *) echo "Unknown package type '$type' (app-image, deb, msi or dmg)" >&2; exit 2 ;;
esac

echo "== Building the console and collecting its jars"
rm -rf "$out" && mkdir -p "$input"
# One reactor run, so broker-lib comes from this build, not from a repository; copy-dependencies also runs on
# broker-lib, whose runtime jars are a subset of the console's.
./mvnw -B -q -pl admin-app -am -DskipTests -Djacoco.skip=true package dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$PWD/$input"
cp admin-app/target/admin-app-*.jar "$input/admin-app.jar"

echo "== Finding the JDK modules it needs (jdeps) and linking a runtime (jlink)"
modules=$("$jdk_bin/jdeps" --multi-release 25 --ignore-missing-deps --recursive --print-module-deps \
  --class-path "$input/*" "$input/admin-app.jar" | tail -1)
# Not visible to jdeps: TLS to Supabase (EC keys), JDBC's optional JNDI lookups, and locale data for dates.
modules="$modules,jdk.crypto.ec,java.naming,jdk.localedata,jdk.unsupported"
echo "   modules: $modules"
"$jdk_bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress zip-6 \
  --output "$runtime"

echo "== Packaging ($type)"
if [ "$type" = app-image ]; then
  "$jdk_bin/jpackage" --type app-image @installers/jpackage/common.args "${args[@]}" \
    --input "$input" --runtime-image "$runtime" --dest "$out"
else
  "$jdk_bin/jpackage" --type "$type" @installers/jpackage/common.args "${args[@]}" \
    --input "$input" --runtime-image "$runtime" --dest "$out"
fi
echo "== Done:"
ls -1 "$out" | grep -v -e '^input$' -e '^runtime$'
