#!/usr/bin/env bash
# Records new public API in each package's PublicAPI.Unshipped.txt (RS0016) and drops entries that no longer exist
# (RS0017). Run it after a deliberate API change, review the diff, and commit it with the change.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in ${@:-src/*/*.csproj}; do
  dir=$(dirname "$project")
  log=$(mktemp)
  dotnet build "$project" -c Release --no-incremental -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= >"$log" 2>&1 || true
  python3 - "$dir" "$log" <<'PY'
import re, sys
folder, log = sys.argv[1], sys.argv[2]
text = open(log, encoding="utf-8").read()
mine = lambda line: f"/{folder}/" in line.replace("\\", "/") or line.rstrip().endswith(f"{folder.split('/')[-1]}.csproj]")
added = sorted({m.group(1) for line in text.splitlines() if "RS0016" in line and mine(line)
                for m in [re.search(r"Symbol '(.*)' is not part of the declared public API", line)] if m})
removed = {m.group(1) for line in text.splitlines() if "RS0017" in line and mine(line)
           for m in [re.search(r"Symbol '(.*)' is part of the declared API, but is either not public or could not be found", line)] if m}
path = f"{folder}/PublicAPI.Unshipped.txt"
lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")]
header = [l for l in lines if l.startswith("#")] or ["#nullable enable"]
body = sorted({l for l in lines if l and not l.startswith("#") and l not in removed} | set(added))
open(path, "w", encoding="utf-8").write("\n".join(header + body) + "\n")
print(f"{folder}: +{len(added)} -{len(removed & set(lines))}")
PY
  rm -f "$log"
done
