#!/usr/bin/env bash
# `npm test`: makes sure the system programs the tests drive are installed (installing the
# missing Debian packages when it can), then lint, typecheck and both vitest projects.
set -euo pipefail
cd "$(dirname "$0")/.."

# command or file that shows the package is there → Debian package
declare -A NEED=(
  [chromium]=chromium
  [soffice]=libreoffice-calc
  [redis-server]=redis-server
  [pdftotext]=poppler-utils
)
missing=()
for cmd in "${!NEED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}")
done
# The CJK font LibreOffice and Chromium render Chinese with.
if [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] &&
  ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family | grep -qi 'noto.*cjk'; }; then
  missing+=(fonts-noto-cjk)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "npm test: installing the missing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "npm test: not root; run this first, then npm test again:" >&2
    echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

npm run lint
npm run typecheck
npx vitest run --project unit
npx vitest run --project e2e
