#!/usr/bin/env bash
# Every performance goal in one run, and the scaling plot (docs/performance.md): installs the command-line tools the
# anchors use when they are missing (Debian packages), starts the local servers, and runs the throughput harness.
#   scripts/benchmark-e2e.sh                 # the formatter cases (2,000,000 generated rows), then PostgreSQL → CSV.gz →
#                                            # local, S3 (fauxqs), SFTP (sshd) vs psql | gzip/pigz | aws/rclone (5,000,000 rows),
#                                            # the SDK's process both on the JIT and published native (AOT)
#   scripts/benchmark-e2e.sh --scale-pg      # rows/s and peak RSS from 100k to 50M rows, drawn into docs/performance/scaling.png
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for tool in psql pigz rclone sftp; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -x /usr/bin/aws ] || missing+=(aws)
# Native AOT links with clang and needs zlib's headers.
command -v clang >/dev/null || missing+=(clang)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql-client pigz rclone openssh-client awscli clang zlib1g-dev
fi
bash scripts/services.sh start
# Debian's AWS CLI, not one a Python environment may put first on the PATH.
export PATH="/usr/bin:$PATH"
dotnet build -c Release benchmarks/Exports.Sdk.Throughput >/dev/null
if [ "${1:-}" = "--scale-pg" ]; then
  exec dotnet run -c Release --no-build --project benchmarks/Exports.Sdk.Throughput -- --scale-pg --sizes 100000,1000000,10000000,50000000 --plot docs/performance/scaling.png "${@:2}"
fi
# The SDK's end-to-end process published native as well: the harness runs it beside the JIT build.
if ! publish=$(dotnet publish -c Release -r linux-x64 benchmarks/Exports.Sdk.EndToEnd -o benchmarks/Exports.Sdk.EndToEnd/bin/native 2>&1); then
  echo "$publish" | tail -30
  exit 1
fi
exec dotnet run -c Release --no-build --project benchmarks/Exports.Sdk.Throughput -- --e2e --rows 2000000 --e2e-rows 5000000 --runs 3 "$@"
