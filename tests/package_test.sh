#!/usr/bin/env bash
# The Debian package as a branch's machine gets it: built with cpack from this build, unpacked
# into a scratch root (nothing is installed on this machine), its files, its dependencies, its
# maintainer scripts and its programs checked. The hub and a headless screen then run from the
# scratch root on the packaged settings file, and a call goes through them with the packaged tabloctl.
# Usage: package_test.sh BUILD_DIR. Leaves the scratch root in BUILD_DIR/package-test/root for
# units_test.sh.
set -euo pipefail

build=$(cd "$1" && pwd)
work=$build/package-test
root=$work/root
fail() { echo "package_test: $*" >&2; exit 1; }

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT

rm -rf "$work"
mkdir -p "$work"
if ! cpack -G DEB -B "$work/out" --config "$build/CPackConfig.cmake" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  fail "cpack -G DEB failed (the log is above)"
fi
arch=$(dpkg --print-architecture)
deb=$(find "$work/out" -maxdepth 1 -name "tablo_*_$arch.deb")
[ -n "$deb" ] || fail "no tablo_VERSION_$arch.deb in $work/out: $(ls "$work/out")"
echo "package_test: built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

dpkg-deb -x "$deb" "$root"
dpkg-deb -e "$deb" "$work/control"

for file in usr/bin/tablo-hub usr/bin/tablo-display usr/bin/tabloctl usr/bin/tablo-voice-pack; do
  [ -x "$root/$file" ] || fail "/$file is missing or not executable"
done
for file in etc/tablo/tablo.toml \
            usr/lib/systemd/system/tablo-hub.service usr/lib/systemd/system/tablo-display.service \
            usr/share/doc/tablo/README.md usr/share/doc/tablo/OPERATIONS.md usr/share/doc/tablo/CONFIG.md \
            usr/share/doc/tablo/examples/tablo.example.toml usr/share/doc/tablo/copyright \
            usr/share/tablo/voice-packs/ru/manifest.toml usr/share/tablo/voice-packs/en/manifest.toml; do
  [ -f "$root/$file" ] || fail "/$file is missing"
done
# tablo-web: the program, its unit and its pages, found beside it (PREFIX/share/tablo/web).
[ -x "$root/usr/bin/tablo-web" ] || fail "/usr/bin/tablo-web is missing or not executable"
for file in usr/lib/systemd/system/tablo-web.service usr/share/tablo/web/login.html usr/share/tablo/web/js/operator.js \
            usr/share/doc/tablo/HTTP-API.md; do
  [ -f "$root/$file" ] || fail "/$file is missing"
done
for file in usr/share/tablo/prometheus/tablo-alerts.yml usr/share/tablo/prometheus/prometheus-region.yml \
            usr/share/tablo/prometheus/grafana-tablo.json usr/share/tablo/nginx/tablo-media-region.conf; do
  [ -f "$root/$file" ] || fail "/$file is missing"
done
grep -qx /etc/tablo/tablo.toml "$work/control/conffiles" || fail "/etc/tablo/tablo.toml is not a conffile"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "the $script maintainer script is missing or not executable"
done
grep -q '^ExecStart=/usr/bin/tablo-hub --config /etc/tablo/tablo.toml ' "$root/usr/lib/systemd/system/tablo-hub.service" ||
  fail "tablo-hub.service does not start /usr/bin/tablo-hub with /etc/tablo/tablo.toml"

dpkg-deb -I "$deb" >"$work/info.txt"
depends=$(dpkg-deb -f "$deb" Depends)
names=" $(tr ',|' '\n' <<<"$depends" | awk '{print $1}' | tr '\n' ' ') "
for package in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libzmq5 libespeak-ng1 libavcodec59 libprometheus-cpp-pull1.0 \
               libprometheus-cpp-core1.0 fonts-dejavu-core adduser; do
  [[ $names == *" $package "* ]] || fail "Depends lacks $package: $depends"
done
echo "package_test: Depends: $depends"

bin=$root/usr/bin
"$bin/tablo-hub" --version | grep -q '^tablo-hub [0-9]' || fail "tablo-hub --version: $("$bin/tablo-hub" --version 2>&1)"
"$bin/tablo-display" --help | grep -q -- '--config' || fail "tablo-display --help did not print its options"
"$bin/tabloctl" --help >/dev/null || fail "tabloctl --help failed"

# The packaged settings file is what the units start the programs with: both must accept it.
settings=$root/etc/tablo/tablo.toml
commands=ipc://$work/commands events=ipc://$work/events
"$bin/tablo-hub" --config "$settings" --journal "$work/journal" --commands "$commands" --events "$events" \
  >"$work/hub.log" 2>&1 &
pids+=($!)
"$bin/tablo-display" --config "$settings" --headless --size 640x360 --hub-commands "$commands" --hub-events "$events" \
  --audio-out "$work/said.wav" >"$work/display.log" 2>&1 &
pids+=($!)
called=""
for _ in $(seq 50); do
  if called=$("$bin/tabloctl" --hub "$commands" --timeout 200ms call А025 --window 3 2>&1); then break; fi
  called=""
  sleep 0.1
done
[ -n "$called" ] || { cat "$work/hub.log" >&2; fail "the packaged hub did not take a call from the packaged tabloctl"; }
for _ in $(seq 50); do
  grep -q "voice pack 'espeak-ng ru'" "$work/display.log" && break
  sleep 0.1
done
stop_all
pids=()
grep -q "voice pack 'espeak-ng ru'" "$work/display.log" || {
  cat "$work/display.log" >&2
  fail "the packaged screen did not find the packaged Russian voice pack (log above)"
}
echo "package_test: $called; the screen uses the packaged voice pack"

# The packaged tablo-web serves HTTPS: OpenSSL 3 through the libraries it ships for civetweb
# (web/https.hpp), its pages found beside it.
for file in usr/lib/tablo/civetweb-openssl3/libssl.so usr/lib/tablo/civetweb-openssl3/libcrypto.so; do
  [ -f "$root/$file" ] || fail "/$file is missing"
done
[[ $names == *" libssl3 "* ]] || fail "Depends lacks libssl3: $depends"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/web.key" -out "$work/web.pem" 2>/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[web]\nlisten = "127.0.0.1:%s"\ncertificate = "web.pem"\nprivate_key = "web.key"\ndatabase = "web.sqlite"\n' "$port" \
  >"$work/web.toml"
"$bin/tablo-web" --config "$work/web.toml" >"$work/web.log" 2>&1 &
pids+=($!)
page=""
for _ in $(seq 100); do
  if page=$(curl -sf --cacert "$work/web.pem" "https://127.0.0.1:$port/login.html"); then break; fi
  page=""
  sleep 0.1
done
stop_all
pids=()
[[ $page == *"<form"* ]] || { cat "$work/web.log" >&2; fail "the packaged tablo-web did not serve its login page over HTTPS"; }
echo "package_test: the packaged tablo-web serves HTTPS on 127.0.0.1:$port"
