#!/usr/bin/python3
"""Operator's click → the screen: a call through tablo-web's API (POST /api/call, as the
operator's page sends it) until a real headless tablo-display logs it shown (the board it draws
its next frame from), beside the same call sent by tabloctl straight to the hub. Prints p50/p99
of each and their ratio; never passes or fails. --https: tablo-web serves HTTPS (a certificate
made by openssl req; each call a new TLS connection, as the page's fetch with keep-alive off).
  TABLO_BUILD=build TABLO_HUB_BIN=build/hub/tablo-hub TABLO_WEB_BIN=build/web/tablo-web \\
  TABLO_DISPLAY_BIN=build/display/tablo-display SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \\
  bench/web_call_latency.py [CALLS] [--https]"""
import datetime
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "web"))
from branch import Branch, Session  # noqa: E402

HTTPS = "--https" in sys.argv
numbers = [a for a in sys.argv[1:] if a.isdigit()]
CALLS = int(numbers[0]) if numbers else 50


def shown_at(branch, ticket):
    """Unix seconds of the screen's log line saying the call was shown."""
    pattern = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) .*call " + re.escape(ticket) + r" → window \d+ shown", re.M)
    deadline = time.time() + 10
    while time.time() < deadline:
        m = pattern.search(branch.log("display"))
        if m:
            return datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        time.sleep(0.01)
    raise RuntimeError(f"the screen never showed {ticket}")


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    branch = Branch(screen=True, https=HTTPS)
    try:
        branch.wait(lambda: "started" in branch.log("display"), "the screen", 30)
        time.sleep(2)
        op = Session(branch, "op3")
        ctl = os.path.join(os.path.dirname(os.environ["TABLO_HUB_BIN"]), "..", "tools", "tabloctl")
        through = {"tablo-web": [], "tabloctl": []}
        for i in range(CALLS):
            for way in through:
                ticket = f"{'Б' if way == 'tablo-web' else 'Д'}{i:03d}"  # letters the hub keeps as they are
                start = time.time()
                if way == "tablo-web":
                    op.post("/api/call", {"ticket": ticket})
                else:
                    subprocess.run([ctl, "--hub", branch.commands, "call", ticket, "--window", "3"], check=True, capture_output=True)
                through[way].append(shown_at(branch, ticket) - start)
                time.sleep(0.1)
        for way, values in through.items():
            ms = [v * 1000 for v in values]
            print(f"{way + (' (HTTPS)' if HTTPS and way == 'tablo-web' else ''):18s} click → shown on the screen: p50 {percentile(ms, 50):6.1f} ms  p99 {percentile(ms, 99):6.1f} ms  ({len(ms)} calls)")
        ratio = percentile(through["tablo-web"], 50) / percentile(through["tabloctl"], 50)
        print(f"tablo-web / tabloctl p50: {ratio:.2f} (tabloctl's figure includes starting the process)")
    finally:
        branch.stop()


main()
