#!/usr/bin/env bash
# Runs every test project. Starts (and afterwards stops) the local storage servers the integration tests need,
# installing them first when missing. The last line is the total over all test projects.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ -x scripts/services.sh ]; then
  # Set before starting, so servers a failed start left running are stopped too.
  trap 'scripts/services.sh stop >/dev/null 2>&1 || true' EXIT
  scripts/services.sh start || { echo "could not start the test services"; echo "0 passed, 1 failed"; exit 1; }
fi

build_log=$(mktemp)
if ! dotnet build Exports.Sdk.sln -c Release > "$build_log" 2>&1; then
  # A project that does not build would silently drop its tests: name the errors and stop.
  grep -E ' error ' "$build_log" | sort -u | head -40
  rm -f "$build_log"
  echo "0 passed, 1 failed"
  exit 1
fi
tail -3 "$build_log"
rm -f "$build_log"
log=$(mktemp)
# A test host that hangs is stopped after 10 minutes and the test that hung is named, instead of using up CI's time.
dotnet test Exports.Sdk.sln -c Release --no-build --blame-hang-timeout 10m --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12" per test assembly.
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed: ' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
