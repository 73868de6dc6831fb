#!/usr/bin/env bash
# Records regression-digests.json: runs every case of regression-cases.json with BINARY (a
# scaletile built from the commit whose output is the reference) and digests each output
# folder with output_digest.py in the client environment.
#
#   Tests/Fixtures/record_regression.sh BINARY [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/../.."
binary="$1"; python="${2:-${SCALETILE_PYTHON:-.venv-clients/bin/python}}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$python" - "$binary" "$python" "$work" <<'PY'
import json, subprocess, sys
binary, python, work = sys.argv[1:4]
cases = json.load(open("Tests/Fixtures/regression-cases.json"))["cases"]
digests = {}
for name, argv in sorted(cases.items()):
    out = f"{work}/{name}"
    run = subprocess.run([binary] + [out if a == "OUT" else a for a in argv] + ["--quiet"] * (argv[0] != "analyze"),
                         capture_output=True, text=True)
    assert run.returncode == 0, (name, run.stderr)
    if argv[0] == "analyze":
        import os; os.makedirs(out); open(f"{out}/stdout.json", "w").write(run.stdout)
    digest = subprocess.run([python, "Tests/Fixtures/output_digest.py", out, "."], capture_output=True, text=True, check=True)
    digests[name] = json.loads(digest.stdout)
json.dump(digests, open("Tests/Fixtures/regression-digests.json", "w"), sort_keys=True, indent=1)
print(f"recorded {len(digests)} cases, {sum(map(len, digests.values()))} files")
PY
