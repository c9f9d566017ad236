#!/usr/bin/env bash
# What a Prometheus scrape costs: a real tablo-hub and a headless tablo-display (one screen
# reporting, 20 calls on the board, the ticker running), each page scraped N times with curl
# over one connection, plain and asking for gzip as Prometheus does. Prints each page's size as
# sent, the scrape time (p50, p99, max) and both programs' resident memory before and after the
# scrapes. Never passes or fails.
#   bench/metrics_scrape.sh [BUILD_DIR] [SCRAPES]     (docs/BENCHMARKS.md, "Metrics")
set -euo pipefail
build=${1:-build}
scrapes=${2:-1000}
dir=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$dir"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hub_port=$(free_port) screen_port=$(free_port) media_port=$(free_port)
commands=tcp://127.0.0.1:$(free_port) events=tcp://127.0.0.1:$(free_port)
cat >"$dir/tablo.toml" <<EOF
[hub.metrics]
listen = "127.0.0.1:$hub_port"
[hub.media]
listen = "127.0.0.1:$media_port"
[display]
name = "bench-screen"
[display.reports]
every_seconds = 1
proof_of_play_dir = "$dir/proof"
[display.metrics]
listen = "127.0.0.1:$screen_port"
EOF
"$build/hub/tablo-hub" --config "$dir/tablo.toml" --commands "$commands" --events "$events" --journal "$dir/journal" \
  2>"$dir/hub.log" & pids+=($!); hub_pid=$!
SDL_AUDIODRIVER=dummy "$build/display/tablo-display" --headless --config "$dir/tablo.toml" --size 640x360 \
  --hub-commands "$commands" --hub-events "$events" 2>"$dir/screen.log" & pids+=($!); screen_pid=$!

ctl() { "$build/tools/tabloctl" --hub "$commands" --timeout 5 "$@" >/dev/null; }
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$hub_port/metrics" | grep -q 'tablo_hub_screens_reporting 1' && break; sleep 0.2; done
for i in $(seq 20); do ctl call "A$((100 + i))" --window "$((i % 9 + 1))"; done
ctl ticker "Приём документов ведётся в окнах 1–4"
sleep 5

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
scrape() {  # name port pid [curl option: --compressed asks for gzip, as Prometheus does]
  local url="http://127.0.0.1:$2/metrics" how=${4:-} rss_before rss_after bytes
  rss_before=$(rss_kb "$3")
  bytes=$(curl -s ${how:+"$how"} -w '%{size_download}' -o /dev/null "$url")
  for _ in $(seq "$scrapes"); do
    echo "url = \"$url\""; echo 'output = "/dev/null"'; [ -n "$how" ] && echo "${how#--}"
  done >"$dir/urls"
  curl -s -K "$dir/urls" -w '%{time_total}\n' | sort -n >"$dir/times"
  rss_after=$(rss_kb "$3")
  awk -v name="$1${how:+ gzip}" -v bytes="$bytes" -v before="$rss_before" -v after="$rss_after" '
    { t[NR] = $1 * 1000 }
    END { printf "%-12s page %6d B  scrape ms p50 %.3f p99 %.3f max %.3f (%d)  RSS %.1f MB before, %.1f MB after\n",
          name, bytes, t[int(NR * 0.5)], t[int(NR * 0.99)], t[NR], NR, before / 1024, after / 1024 }' "$dir/times"
}
scrape hub "$hub_port" "$hub_pid"
scrape hub "$hub_port" "$hub_pid" --compressed
scrape screen "$screen_port" "$screen_pid"
scrape screen "$screen_port" "$screen_pid" --compressed
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
