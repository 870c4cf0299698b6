#!/usr/bin/env bash
# Set up the Präventionsmonitor: uv, the locked Python environment, the headless browser that the
# static exports (kaleido) and the site test (Playwright) use, and headless LibreOffice Calc, which the
# register tests open the annotated register workbook with. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v uv >/dev/null 2>&1 || command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian packages: ${missing[*]} ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "please install these Debian packages: ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v uv >/dev/null 2>&1; then
  # the official installer into ~/.local/bin: `pip install uv` into the system Python fails on Debian 12
  # (PEP 668, externally managed environment)
  echo "installing uv (Python package manager) ..."
  curl -LsSf https://astral.sh/uv/install.sh | env UV_NO_MODIFY_PATH=1 sh
  export PATH="$HOME/.local/bin:$PATH"
fi

# compiled once here: this environment may set PYTHONDONTWRITEBYTECODE, and `uv run` must not recompile
uv sync --frozen --compile-bytecode
echo "setup done: try 'uv run praevention demo --out reports/demo'"
