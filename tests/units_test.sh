#!/usr/bin/env bash
# The systemd units of the package, checked by `systemd-analyze verify` as installed: in the
# scratch root package_test.sh unpacked, so that the programs they start are those of the package.
# Usage: units_test.sh BUILD_DIR. Exits 77 (skipped) without systemd-analyze.
set -euo pipefail

build=$(cd "$1" && pwd)
root=$build/package-test/root
work=$build/package-test/units
fail() { echo "units_test: $*" >&2; exit 1; }

if ! command -v systemd-analyze >/dev/null; then
  echo "units_test: systemd-analyze is not installed (apt-get install systemd), so the units are not verified"
  exit 77
fi
[ -f "$root/usr/lib/systemd/system/tablo-hub.service" ] || fail "no unpacked package in $root: run package_test first"

# A root of its own: the package's units and programs, systemd's own units (the targets and
# getty@.service they name), and the shell and kill the units call.
rm -rf "$work"
mkdir -p "$work/usr/lib/systemd/system" "$work/bin"
systemd_units=/usr/lib/systemd/system
[ -d "$systemd_units" ] || systemd_units=/lib/systemd/system
cp -r "$systemd_units/." "$work/usr/lib/systemd/system/"
cp "$root"/usr/lib/systemd/system/tablo-*.service "$work/usr/lib/systemd/system/"
cp -r "$root/usr/bin" "$work/usr/"
cp -L /bin/sh /bin/kill "$work/bin/"

for unit in tablo-hub.service tablo-display.service tablo-web.service; do
  if ! output=$(systemd-analyze verify --root="$work" "/usr/lib/systemd/system/$unit" 2>&1) || [ -n "$output" ]; then
    fail "systemd-analyze verify $unit: ${output:-failed}"
  fi
  # systemd's default soft limit of 1024 open files locks operators out of a hub with ~300 screens.
  grep -q '^LimitNOFILE=[0-9]' "$work/usr/lib/systemd/system/$unit" || fail "$unit sets no LimitNOFILE="
  echo "units_test: $unit verified"
done
