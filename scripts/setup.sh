#!/usr/bin/env bash
# Installs what the platform needs on a fresh machine: Debian packages, then npm packages from the lockfile.
# Idempotent and quiet when everything is already there. Usage: scripts/setup.sh [--with-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=(libsecret-1-dev)
if [[ "${1:-}" == "--with-browser" ]]; then need_pkgs+=(chromium); fi
missing=()
for p in "${need_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "[setup] installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

stamp=node_modules/.tt-installed
if [[ ! -f "$stamp" || package-lock.json -nt "$stamp" || package.json -nt "$stamp" ]]; then
  echo "[setup] installing npm packages from the lockfile…"
  # `npm ci` refuses this lockfile: npm 11 leaves other platforms' optional binaries (@swc/core-*,
  # @unrs/resolver-binding-*) out of it and then calls it out of sync. `npm install --no-save`
  # installs the locked versions and never rewrites package.json or the lockfile.
  npm install --no-save --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
