#!/usr/bin/env bash
# Builds the client environment, .venv-clients/, from scripts/requirements-clients.txt: the
# trainers' own libraries that the tests use to load what ScaleTile writes. Rebuilt only when
# the requirements file changed since the last build.
#
#   scripts/client-venv.sh        prints the environment's python on success
#
# torch is pinned to the local CPU wheel (pip's find-links on these machines); unpinned, pip
# would pull gigabytes of CUDA wheels.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-clients
requirements=scripts/requirements-clients.txt
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$PWD/$venv/bin/python"
  exit 0
fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  scripts/install-system-packages.sh python3-venv
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
echo "$want" > "$stamp"
echo "$PWD/$venv/bin/python"
