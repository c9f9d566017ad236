#!/usr/bin/env bash
# bench/window_renderer_cpu.sh [RENDERER…]: what a hall screen in a real window costs with a
# running ticker (a frame every 16.7 ms), per renderer: tablo-hub and tablo-display (1920×1080,
# windowed) on a private Xvfb, which has no GPU — its OpenGL is Mesa's llvmpipe, as on a
# mini-PC without its GPU driver. CPU of the screen and of the X server over 10 s, from
# /proc/PID/stat. Prints figures; never passes or fails on them. Default: auto opengl software.
set -euo pipefail
cd "$(dirname "$0")/.."
renderers=("$@")
[ ${#renderers[@]} -gt 0 ] || renderers=(auto opengl software)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

for renderer in "${renderers[@]}"; do
  display=":$((90 + RANDOM % 100))"
  Xvfb "$display" -screen 0 1920x1080x24 >/dev/null 2>&1 & xvfb=$!
  sleep 1
  printf '[display]\nrenderer = "%s"\n[announcements]\nmode = "off"\n' "$renderer" >"$work/tablo.toml"
  build/hub/tablo-hub --commands ipc://"$work"/commands --events ipc://"$work"/events --journal "$work/journal" \
    >"$work/hub.log" 2>&1 & hub=$!
  DISPLAY=$display SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy build/display/tablo-display --config "$work/tablo.toml" \
    --windowed --size 1920x1080 --hub-commands ipc://"$work"/commands --hub-events ipc://"$work"/events \
    >"$work/display.log" 2>&1 & screen=$!
  sleep 2
  build/tools/tabloctl --hub ipc://"$work"/commands ticker \
    "Режим работы: пн–сб 8:00–20:00. Записаться на приём можно на портале Госуслуг." >/dev/null
  sleep 2
  s0=$(cpu $screen) x0=$(cpu $xvfb)
  sleep 10
  s1=$(cpu $screen) x1=$(cpu $xvfb)
  chosen=$(grep -o '[a-z0-9]* renderer, x11' "$work/display.log" || echo "?")
  awk -v r="$renderer" -v s=$((s1 - s0)) -v x=$((x1 - x0)) -v t="$ticks" -v c="$chosen" \
    'BEGIN { printf "display.renderer = %-9s tablo-display %5.1f %% of a core, Xvfb %5.1f %%   (%s)\n", r, s * 10 / t, x * 10 / t, c }'
  kill $screen $hub $xvfb
  wait $screen $hub $xvfb 2>/dev/null || true
  rm -rf "$work/journal"
done
