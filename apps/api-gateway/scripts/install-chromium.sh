#!/bin/sh
# Installs Debian's chromium for the status page's browser test (playwright-core drives it
# through executablePath; playwright's own browser download cannot work here: only the package
# registries are reachable). Idempotent: does nothing when /usr/bin/chromium is already there.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: $CHROMIUM is missing and apt-get is not available; install Debian's 'chromium' package by hand" >&2
  exit 1
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-chromium: $CHROMIUM is missing and this user is not root (and has no passwordless sudo); run as root: apt-get update && apt-get install -y --no-install-recommends chromium" >&2
    exit 1
  fi
fi

echo "install-chromium: installing Debian's chromium (one-time, takes a minute or two)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null

if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
