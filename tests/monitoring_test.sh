#!/usr/bin/env bash
# The monitoring shipped in packaging/prometheus/, checked as an operator would: promtool (Debian's
# prometheus package) checks the branch's and the region's configuration and the alerting rules,
# and makes each alert fire on the series of tablo-alerts.test.yml; the Grafana dashboard parses;
# and every metric the rules and the dashboard name is on the /metrics page of a real tablo-hub
# or a real headless tablo-display, started here on loopback; and Prometheus itself runs the
# branch's configuration against them and the region's federating from it, which answers each
# of the dashboard's queries.
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

# The shipped configuration run by Prometheus itself: a branch's scrapes this hub and screen, the
# region's federates from it. Only the addresses change, and the intervals (1 s, not 15 s and 60 s).
branch_port=$(free_port) region_port=$(free_port)
python3 - "$shipped" "$dir" "$hub_port" "$screen_port" "$branch_port" <<'EOF' || fail "the shipped configuration could not be adapted (above)"
import shutil, sys, yaml
shipped, work, hub_port, screen_port, branch_port = sys.argv[1:]
def adapt(name, change):
    config = yaml.safe_load(open(f"{shipped}/{name}"))
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    change(config)
    yaml.safe_dump(config, open(f"{work}/{name}", "w"))
def branch(config):
    hub, screens = config["scrape_configs"]
    assert hub["static_configs"][0]["targets"] == ["127.0.0.1:9750"], hub
    hub["static_configs"][0]["targets"] = [f"127.0.0.1:{hub_port}"]
    assert screens["file_sd_configs"][0]["files"] == ["tablo-screens.yml"], screens
def region(config):
    federate = config["scrape_configs"][0]
    federate["scrape_timeout"] = "1s"
    federate["static_configs"][0]["targets"] = [f"127.0.0.1:{branch_port}"]
adapt("prometheus-branch.yml", branch)
adapt("prometheus-region.yml", region)
screens = [{"targets": [f"127.0.0.1:{screen_port}"], "labels": {"screen": "screen-1"}}]
yaml.safe_dump(screens, open(f"{work}/tablo-screens.yml", "w"))
shutil.copy(f"{shipped}/tablo-alerts.yml", work)
EOF
for side in branch region; do
  port_var=${side}_port
  prometheus --config.file="$dir/prometheus-$side.yml" --storage.tsdb.path="$dir/$side-data" \
    --web.listen-address="127.0.0.1:${!port_var}" >"$dir/prometheus-$side.log" 2>&1 & pids+=($!)
done
query() {  # port promql: the API's answer
  curl -sf --get "http://127.0.0.1:$1/api/v1/query" --data-urlencode "query=$2" || true
}
until_found() {  # port promql what: waits (60 s at most) for the query to give a series
  for _ in $(seq 300); do
    [[ $(query "$1" "$2") == *'"result":[{'* ]] && return
    sleep 0.2
  done
  tail -n 5 "$dir"/prometheus-*.log >&2
  fail "$3: Prometheus never had $2"
}
until_found "$region_port" 'tablo_hub_info{branch="branch-01",job="tablo-hub"}' "the region's federation"
until_found "$region_port" 'tablo_display_frames_drawn_total{branch="branch-01",job="tablo-display",screen="screen-1"}' \
  "the region's federation"
until_found "$region_port" 'up{branch="branch-01",job="tablo-display"} == 1' "the region's federation of up"
until_found "$branch_port" 'exposer_scrapes_total{job="tablo-hub"}' "the branch's scrape"
[[ $(query "$branch_port" 'exposer_request_latencies_count') == *'"result":[]'* ]] ||
  fail "the branch kept exposer_request_latencies, which its metric_relabel_configs drop"
[[ $(query "$region_port" 'exposer_scrapes_total') == *'"result":[]'* ]] || fail "the region federated more than tablo_ series"
rules=$(curl -sf "http://127.0.0.1:$region_port/api/v1/rules")
[ "$(grep -o '"type":"alerting"' <<<"$rules" | wc -l)" = 11 ] || fail "the region has not the 11 alerts: $rules"
[[ $rules != *'"health":"err"'* ]] || fail "an alert does not evaluate at the region: $rules"
# Each of the dashboard's queries, asked of the region as Grafana asks them (every branch).
python3 - "$shipped/grafana-tablo.json" "$region_port" <<'EOF' || fail "a query of grafana-tablo.json is refused (above)"
import json, sys, urllib.parse, urllib.request
dashboard, port = json.load(open(sys.argv[1])), sys.argv[2]
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        query = target["expr"].replace("$branch", ".*")
        url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": query})
        try:
            answer = json.load(urllib.request.urlopen(url))
        except urllib.error.HTTPError as e:
            answer = json.load(e)
        assert answer["status"] == "success", f"panel {panel['title']!r}: {query}: {answer.get('error')}"
EOF
echo "monitoring_test: configuration, rules and their tests pass promtool and run in two Prometheus (a branch, a region); the dashboard's and the rules'" \
     "$(grep -ohE '\b(tablo|process|exposer)_[a-z0-9_]+' "$shipped"/tablo-alerts.yml "$shipped"/grafana-tablo.json | sort -u | wc -l)" \
     "metric names are all on a real hub's or screen's page"
