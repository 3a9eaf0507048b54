#!/usr/bin/env bash
# Opens the HTML timeline of the incident recorded on a real server (the golden-test fixture) in
# headless Chromium from Debian's packages, and saves a screenshot.
# Installs Chromium when it can (root with apt-get); when it cannot, it says so clearly and exits 0.
# Usage: tools/screenshot-timeline.sh [OUT.png]      (default .tmp/timeline.png)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/.tmp/timeline.png}"
mkdir -p "$(dirname "$out")"

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "screenshot: installing chromium from Debian's packages"
  # Some images' apt cannot run gpgv as its sandbox user (_apt): then the lists are fetched as root.
  ( (apt-get update -qq || apt-get -o APT::Sandbox::User=root update -qq) \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 || true
  browser="$(command -v chromium || true)"
fi
if [ -z "$browser" ]; then
  echo "screenshot: SKIPPED: Chromium is not installed and could not be installed here (needs root and apt-get)"
  exit 0
fi

salvage="$(cd "$root" && swift build --product salvage >/dev/null 2>&1 && swift build --show-bin-path)/salvage"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$salvage" import "$root/Tests/SalvageCLITests/Fixtures/incident-demo.jsonl" --journal "$work/j.sqlite" >/dev/null
"$salvage" timeline --journal "$work/j.sqlite" --format html --out "$work/timeline.html"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1400 \
  --screenshot="$out" "file://$work/timeline.html" >/dev/null 2>&1
size=$(stat -c %s "$out" 2>/dev/null || echo 0)
if [ "$size" -lt 10000 ]; then
  echo "screenshot: FAILED: $out is missing or too small ($size bytes)" >&2
  exit 1
fi
echo "screenshot: saved ${out#"$root"/} ($size bytes) with $("$browser" --version 2>/dev/null | head -1)"
