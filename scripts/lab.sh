#!/usr/bin/env bash
# Start JupyterLab on the course root with nbgrader's extensions, as `make lab` does (the tests use it too).
# Extra arguments go to `jupyter lab`, e.g. --port=8890 --no-browser.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"   # nbgrader runs the `alembic` of its own environment
root_flag=()
if [ "$(id -u)" = 0 ]; then root_flag=(--allow-root); fi   # JupyterLab refuses root without it
root_dir=(--ServerApp.root_dir="$PWD")   # the course root, unless the caller names another folder (the tests do)
for arg in "$@"; do
  case "$arg" in --ServerApp.root_dir=*|--ServerApp.notebook_dir=*|--notebook-dir=*) root_dir=() ;; esac
done
exec jupyter lab "${root_dir[@]}" "${root_flag[@]}" "$@"
