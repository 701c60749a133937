#!/usr/bin/env bash
# Vendor the browser libraries into the package at build time: `npm ci` installs the versions pinned in
# package-lock.json from the npm registry, then the builds the pages use are copied (or bundled with
# esbuild) into api/static/vendor/, which the server serves from its own origin. Nothing is fetched at
# run time and no page names a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
out=api/static/vendor
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
# SPARQL query editor (YASGUI, MIT)
cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css "$out.tmp/"
# Further bundles (web/*.js entry points, bundled with esbuild) are added below by the pages that need them.
for entry in web/*.js; do
  [ -e "$entry" ] || continue
  npx --no-install esbuild "$entry" --bundle --minify --format=iife --outfile="$out.tmp/$(basename "${entry%.js}").bundle.js" --log-level=warning
done
rm -rf "$out" && mv "$out.tmp" "$out"
