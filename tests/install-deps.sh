#!/bin/sh
# Installs what lockinstr needs to build and test on Debian 12, and nothing
# more. Packages already present are not touched, so running it again is
# cheap. Needs root (or sudo) only when something is missing.
set -eu

PKGS="gcc g++ make cmake ninja-build meson pkg-config dpkg-dev python3 git
clang-14 libclang-14-dev libclang-rt-14-dev
libcmocka-dev uthash-dev libjansson-dev zlib1g-dev
libprotobuf-c-dev protobuf-c-compiler
golang-go chromium graphviz help2man"

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "lockinstr: error: missing packages:$missing; run this as root" >&2
  exit 1
fi
echo "lockinstr: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q $missing
