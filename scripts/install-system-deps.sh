#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the browser tests (driven by Playwright from PyPI) and
# PostgreSQL for the gradebook tests. Quiet and quick when they are already there.
set -euo pipefail
packages=(chromium fonts-dejavu-core postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
sudo=""; if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
