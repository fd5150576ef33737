#!/bin/sh
# Install the gateway and every first-party plugin, exactly as uv.lock pins them, into a
# new virtual environment at $1, using the Python interpreter $2 (default python3).
#
# The Dockerfile runs this script; CI (.ci/run) runs it too, in a clean virtual
# environment, so the image's install steps are proven where no Docker engine exists.
# Non-editable: the environment does not need the source tree once installed.
set -eu

venv="${1:?usage: install-gateway.sh VENV_DIR [PYTHON]}"
python="${2:-python3}"
cd "$(dirname "$0")/.."

# Build the first-party packages afresh: uv keys a wheel it built from a local folder on
# that folder's pyproject.toml alone, so a cached one would miss edits to the code and to
# ui/ (the dashboard and tile kit, which the core's wheel packs; see core/hatch_build.py).
fresh=""
for pyproject in core/pyproject.toml plugins/*/pyproject.toml; do
    fresh="$fresh --reinstall-package $(sed -n 's/^name = "\(.*\)"$/\1/p' "$pyproject" | head -n 1)"
done

# shellcheck disable=SC2086 # $fresh is a list of options
UV_PROJECT_ENVIRONMENT="$venv" UV_PYTHON_DOWNLOADS=never \
    uv sync --frozen --no-dev --no-editable --compile-bytecode --python "$python" $fresh
