#!/usr/bin/env bash
# The benchmark's own venv: OpenFisca-core and NumPy, kept out of the project venv.
#   bash benchmarks/setup_openfisca.sh          (idempotent; PYTHON=python3.11 by default)
# polars and PyYAML are pinned to the project's versions: generate.py and numpy_impl.py import the
# policy's entity lists from src/ (zhijiao itself is not installed here).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${VENV:-$HERE/.venv-openfisca}"
PYTHON="${PYTHON:-python3.11}"
if ! command -v "$PYTHON" >/dev/null; then PYTHON=python3; fi
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
    || { echo "needs Python 3.11 (set PYTHON=...)" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "openfisca-core[web-api]==46.0.1" numpy==2.4.6 polars==2.1.0 pyyaml==6.0.4
"$VENV/bin/python" -c 'import openfisca_core, numpy, polars; print("benchmark venv ready:", numpy.__version__, polars.__version__)'
