#!/usr/bin/env bash
# System packages the tests need, from Debian: Chromium for the browser tests, Java for owlready2's
# reasoner, OpenLink Virtuoso for the second SPARQL engine's tests. Installs only what is missing; needs
# root (or sudo) the first time.
#
# Virtuoso: only the server binaries (virtuoso-opensource-7-bin: virtuoso-t, isql-vt). The full package
# (virtuoso-opensource) also installs and starts a system service on port 8890/1111 with a debconf-set
# dba password; the tests need none of that (they start their own server with a throw-away database on
# free ports, tests/virtuoso_server.py), so no service is ever installed or started here.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
