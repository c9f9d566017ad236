#!/usr/bin/env bash
# The monitoring shipped in packaging/prometheus/, checked as an operator would: promtool (Debian's
# prometheus package) checks the branch's and the region's configuration and the alerting rules,
# and makes each alert fire on the series of tablo-alerts.test.yml; the Grafana dashboard parses;
# and every metric the rules and the dashboard name is on the /metrics page of a real tablo-hub
# or a real headless tablo-display, started here on loopback.
# Usage: monitoring_test.sh SOURCE_DIR TABLO_HUB TABLO_DISPLAY
set -euo pipefail

shipped=$(cd "$1/packaging/prometheus" && pwd)
hub_bin=$2 display_bin=$3
fail() { echo "monitoring_test: $*" >&2; exit 1; }
command -v promtool >/dev/null || fail "promtool is missing: scripts/install-deps installs it (Debian's prometheus package)"

for config in prometheus-branch.yml prometheus-region.yml; do
  promtool check config "$shipped/$config" || fail "promtool check config $config failed (above)"
done
promtool check rules "$shipped/tablo-alerts.yml" || fail "promtool check rules tablo-alerts.yml failed (above)"
(cd "$shipped" && promtool test rules tablo-alerts.test.yml) || fail "an alert did not fire as tablo-alerts.test.yml says (above)"
python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$shipped/tablo-screens.yml" || fail "tablo-screens.yml is not YAML"

# The dashboard: JSON, and a query in each panel.
python3 - "$shipped/grafana-tablo.json" <<'EOF' || fail "grafana-tablo.json: see above"
import json, sys
dashboard = json.load(open(sys.argv[1]))
assert dashboard["panels"], "no panels"
for panel in dashboard["panels"]:
    assert panel.get("targets") and all(t.get("expr") for t in panel["targets"]), f"panel {panel['title']!r} has no query"
EOF

# A real hub and screen, and the metric names on their pages.
dir=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hub_port=$(free_port) screen_port=$(free_port) media_port=$(free_port)
commands=tcp://127.0.0.1:$(free_port) events=tcp://127.0.0.1:$(free_port)
cat >"$dir/tablo.toml" <<EOF
[hub.metrics]
listen = "127.0.0.1:$hub_port"
[hub.media]
listen = "127.0.0.1:$media_port"
[display.reports]
proof_of_play_dir = "$dir/proof"
[display.fetch]
cache_dir = "$dir/cache"
[display.metrics]
listen = "127.0.0.1:$screen_port"
EOF
"$hub_bin" --config "$dir/tablo.toml" --commands "$commands" --events "$events" --journal "$dir/journal" \
  >"$dir/hub.log" 2>&1 & pids+=($!)
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy "$display_bin" --headless --config "$dir/tablo.toml" --size 640x360 \
  --hub-commands "$commands" --hub-events "$events" >"$dir/screen.log" 2>&1 & pids+=($!)
page() {  # port marker: the page once it has the marker (30 s at most)
  for _ in $(seq 150); do
    if text=$(curl -sf "http://127.0.0.1:$1/metrics") && grep -q "^$2" <<<"$text"; then echo "$text"; return; fi
    sleep 0.2
  done
  cat "$dir/hub.log" "$dir/screen.log" >&2
  fail "no metrics page with $2 on 127.0.0.1:$1"
}
{ page "$hub_port" tablo_hub_epoch; page "$screen_port" tablo_display_info; } >"$dir/pages"
# Every family's name, and a histogram's _bucket, _sum and _count; `up` is Prometheus' own.
names=$(awk '$1 == "#" && $2 == "TYPE" { print $3; if ($4 == "histogram") print $3 "_bucket\n" $3 "_sum\n" $3 "_count" }
             END { print "up" }' "$dir/pages" | sort -u)

missing=0
for file in tablo-alerts.yml tablo-alerts.test.yml grafana-tablo.json; do
  for name in $(grep -oE '\b(tablo|process|exposer)_[a-z0-9_]+' "$shipped/$file" | sort -u); do
    if ! grep -qx "$name" <<<"$names"; then
      echo "monitoring_test: $file names $name, which neither the hub's nor a screen's page has" >&2
      missing=1
    fi
  done
done
[ "$missing" = 0 ] || fail "metric names above are not on the pages"
echo "monitoring_test: configuration, rules and their tests pass promtool; the dashboard's and the rules'" \
     "$(grep -ohE '\b(tablo|process|exposer)_[a-z0-9_]+' "$shipped"/tablo-alerts.yml "$shipped"/grafana-tablo.json | sort -u | wc -l)" \
     "metric names are all on a real hub's or screen's page"
