#!/usr/bin/env bash
# Installs the Debian packages the tests need, when missing: Chromium (drives the VS Code
# workbench), the libraries code-server builds against, ripgrep, Dovecot (IMAP peer), isync
# (mbsync, the benchmark peer), xmllint, and the Python clients of Exchange (exchangelib) and of the
# Microsoft identity platform (msal) that run against the fakes, Redis and PostgreSQL (the distributed
# mode's peers). Quick no-op when everything is
# there. Needs root. With arguments, only those packages (e.g. `npm run test:integration` asks for
# what it needs); as another user it names what is missing and exits 1.
set -euo pipefail
PACKAGES=(chromium ripgrep libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev dovecot-imapd isync libxml2-utils openssl python3-exchangelib python3-msal redis-server postgresql)
if [ $# -gt 0 ]; then PACKAGES=("$@"); fi
MISSING=()
for pkg in "${PACKAGES[@]}"; do
  # dpkg -s also succeeds for a removed package whose config files remain: look at its Status.
  status="$(dpkg -s "$pkg" 2>/dev/null || true)"
  [[ "$status" == *"Status: install ok installed"* ]] || MISSING+=("$pkg")
done
if [ ${#MISSING[@]} -eq 0 ]; then
  echo "Debian packages: all installed (${PACKAGES[*]})"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Debian packages missing: ${MISSING[*]}; run as root or: sudo apt-get install ${MISSING[*]}" >&2
  exit 1
fi
echo "Debian packages: installing ${MISSING[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q "${MISSING[@]}" </dev/null
