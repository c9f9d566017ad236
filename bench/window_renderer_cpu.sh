#!/usr/bin/env bash
# bench/window_renderer_cpu.sh [RENDERER…]: what a hall screen in a real window costs, per
# renderer, as a hall runs it: tablo-hub and tablo-display (1920×1080, windowed) on a private
# Xvfb, which has no GPU — its OpenGL is Mesa's llvmpipe, as on a mini-PC without its GPU
# driver — first with a running ticker (a frame every 16.7 ms), then with the ticker and a
# 1080p30 H.264 video looping beside the board. CPU of the screen and of the X server over
# 10 s each, from /proc/PID/stat, and the frames the screen presented meanwhile (its frame log):
# a renderer too slow for the ticker's 60 frames/s costs less than it would at full pace. Prints figures; never passes or fails on them.
# Each RENDERER is forced in the screen's config (display.renderer): auto, software, or one of
# SDL's accelerated renderers, which here run on llvmpipe (opengl, opengles2); the line says
# which renderer ran (the screen's own log) and, for OpenGL, on which GL driver.
# Default renderers: auto opengl opengles2 software.
set -euo pipefail
cd "$(dirname "$0")/.."
renderers=("$@")
[ ${#renderers[@]} -gt 0 ] || renderers=(auto opengl opengles2 software)
work=$(mktemp -d)
ffmpeg -v error -f lavfi -i testsrc2=size=1920x1080:rate=30 -t 10 -c:v libx264 -preset veryfast -pix_fmt yuv420p \
  -g 60 "$work/loop1080.mp4"
printf '[[item]]\nfile = "loop1080.mp4"\n' >"$work/loop.toml"
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

for scene in ticker video; do
for renderer in "${renderers[@]}"; do
  display=":$((90 + RANDOM % 100))"
  Xvfb "$display" -screen 0 1920x1080x24 >/dev/null 2>&1 & xvfb=$!
  sleep 1
  printf '[display]\nrenderer = "%s"\n[announcements]\nmode = "off"\n' "$renderer" >"$work/tablo.toml"
  if [ "$scene" = video ]; then printf '[display.media]\nplaylist = "%s"\nregion = "right"\n' "$work/loop.toml" >>"$work/tablo.toml"; fi
  build/hub/tablo-hub --commands ipc://"$work"/commands --events ipc://"$work"/events --journal "$work/journal" \
    >"$work/hub.log" 2>&1 & hub=$!
  DISPLAY=$display SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy build/display/tablo-display --config "$work/tablo.toml" \
    --windowed --size 1920x1080 --hub-commands ipc://"$work"/commands --hub-events ipc://"$work"/events \
    --frame-log "$work/frames.log" >"$work/display.log" 2>&1 & screen=$!
  sleep 2
  build/tools/tabloctl --hub ipc://"$work"/commands ticker \
    "Режим работы: пн–сб 8:00–20:00. Записаться на приём можно на портале Госуслуг." >/dev/null
  sleep 2
  s0=$(cpu $screen) x0=$(cpu $xvfb) f0=$(grep -c '^frame ' "$work/frames.log" || true)
  sleep 10
  s1=$(cpu $screen) x1=$(cpu $xvfb) f1=$(grep -c '^frame ' "$work/frames.log" || true)
  chosen=$(grep -o '[a-z0-9]* renderer.*, x11' "$work/display.log" || echo "?")
  awk -v r="$renderer" -v s=$((s1 - s0)) -v x=$((x1 - x0)) -v t="$ticks" -v c="$chosen" -v f=$((f1 - f0)) \
    -v scene="$scene" 'BEGIN { printf "%-6s display.renderer = %-9s tablo-display %5.1f %% of a core, Xvfb %5.1f %%, %4d frames   (%s)\n", scene, r, s * 10 / t, x * 10 / t, f, c }'
  kill $screen $hub $xvfb
  wait $screen $hub $xvfb 2>/dev/null || true
  rm -rf "$work/journal"
done
done

# The peer, in the same run: mpv playing the same clip alone, full screen, the same way
# (no GPU decoding, X11 output) — a picture the size of the whole screen, not of the region.
if command -v mpv >/dev/null; then
  display=":$((90 + RANDOM % 100))"
  Xvfb "$display" -screen 0 1920x1080x24 >/dev/null 2>&1 & xvfb=$!
  sleep 1
  DISPLAY=$display mpv --really-quiet --vo=x11 --hwdec=no --fs --no-audio --loop-file=inf --no-osc \
    --no-input-terminal "$work/loop1080.mp4" & player=$!
  sleep 2
  p0=$(cpu $player) x0=$(cpu $xvfb)
  sleep 10
  p1=$(cpu $player) x1=$(cpu $xvfb)
  awk -v p=$((p1 - p0)) -v x=$((x1 - x0)) -v t="$ticks" \
    'BEGIN { printf "peer   mpv --vo=x11 --hwdec=no --fs     mpv %5.1f %% of a core, Xvfb %5.1f %%\n", p * 10 / t, x * 10 / t }'
  kill $player $xvfb
  wait $player $xvfb 2>/dev/null || true
else
  echo "peer   mpv is not installed (apt-get install mpv): no peer figure"
fi
