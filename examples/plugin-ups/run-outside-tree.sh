#!/usr/bin/env bash
# Tests this example as an outside author would: a copy of the folder in a temporary
# directory, a fresh virtual environment, the core installed as a package (from the
# path given, by default this checkout's core/; a package index works the same), the
# plugin installed from the copy, and its own tests run there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
core="${1:-$here/../../core}"
core="$(cd "$core" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here" "$work/plugin-ups"
rm -rf "$work/plugin-ups/.venv"
uv venv --quiet --python 3.11 "$work/venv"
uv pip install --quiet --python "$work/venv/bin/python" "$core[testing]" "$work/plugin-ups[test]"
cd "$work/plugin-ups"
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider tests
