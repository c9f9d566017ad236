#!/usr/bin/python3
"""tablo-web under a branch's load: 20 operators, each with the live board open (server-sent
events) and calling a ticket every 10–30 s, and 5 IT people with the screens' page open, each
wall asking for the screen list, the hub's counters and every screen's thumbnail every 10 s as
screens.js does, against a real hub and real headless screens with a moving ticker. Then the
same with the operators calling every 1–2 s (stress). Before them, the screens alone (the peer
for their frame intervals) and the walls alone (what the thumbnails cost a screen). Prints tablo-web's RSS (VmRSS, VmHWM),
threads and CPU, the hub's and the screens' CPU, the screens' frame intervals and longest stall
while the walls watch, the API's latencies, and the machine's load; never passes or fails.
  TABLO_BUILD=build TABLO_HUB_BIN=build/hub/tablo-hub TABLO_WEB_BIN=build/web/tablo-web \\
  TABLO_DISPLAY_BIN=build/display/tablo-display SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \\
  bench/web_load.py [--http] [--seconds 60] [--screens 3]"""
import argparse
import http.client
import os
import random
import re
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "web"))
from branch import DISPLAY, Branch, Session, free_port  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def proc(pid):
    """(CPU seconds, VmRSS MiB, VmHWM MiB, threads) of a process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status") if ":" in line)
    kib = lambda key: int(status[key].split()[0]) / 1024  # noqa: E731
    return cpu, kib("VmRSS"), kib("VmHWM"), int(status["Threads"])


def machine_busy():
    """(busy, total) seconds of all cores from /proc/stat."""
    values = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    busy = values[0] + values[1] + values[2] + values[5] + values[6]
    return busy / TICK, sum(values[:8]) / TICK


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def histogram(url, name):
    """{upper bound: cumulative count} of a Prometheus histogram, and the page."""
    page = urllib.request.urlopen(url, timeout=10).read().decode()
    buckets = {}
    for m in re.finditer(name + r'_bucket\{le="([^"]+)"\} (\S+)', page):
        buckets[float(m.group(1))] = float(m.group(2))
    return buckets, page


def gauge(page, name):
    m = re.search(r"^" + name + r" (\S+)$", page, re.M)
    return float(m.group(1)) if m else float("nan")


class Load:
    """The operators and walls of one phase, each on a thread of its own, timing every request."""

    def __init__(self, branch, operators, walls, screens, call_every):
        self.branch, self.screens, self.call_every = branch, screens, call_every
        self.stop = threading.Event()
        self.latency = {"call": [], "board event after the call": [], "screens+status": [], "screenshot": []}
        self.failures = {}
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.operator, args=(s, i), daemon=True) for i, s in enumerate(operators)]
        self.threads += [threading.Thread(target=self.wall, args=(s,), daemon=True) for s in walls]
        self.seen = [dict() for _ in operators]  # per operator: ticket → when its own stream showed it

    def note(self, what, seconds=None, failed=None):
        with self.lock:
            if failed is not None:
                self.failures[f"{what}: {failed}"] = self.failures.get(f"{what}: {failed}", 0) + 1
            else:
                self.latency[what].append(seconds * 1000)

    def stream(self, session, index):
        connection = (http.client.HTTPSConnection("127.0.0.1", self.branch.port, context=self.branch.tls, timeout=30)
                      if self.branch.tls else http.client.HTTPConnection("127.0.0.1", self.branch.port, timeout=30))
        connection.request("GET", "/api/events", headers={"Cookie": session.cookie})
        answer = connection.getresponse()
        assert answer.status == 200, answer.status
        while not self.stop.is_set():
            line = answer.fp.readline().decode()
            if not line:
                break
            if line.startswith("data: "):
                now = time.time()
                for ticket in re.findall(r'"ticket":"([^"]+)"', line):
                    self.seen[index].setdefault(ticket, now)
        answer.close()
        connection.close()

    def operator(self, session, index):
        threading.Thread(target=self.stream, args=(session, index), daemon=True).start()
        n = 0
        self.stop.wait(random.uniform(0, self.call_every[1]))  # desks do not start in step
        while not self.stop.is_set():
            n += 1
            ticket = f"Б{index:02d}{n % 100:02d}"
            start = time.time()
            try:
                status, body = session.post("/api/call", {"ticket": ticket})
                if status != 200:
                    self.note("call", failed=status)
                    continue
                self.note("call", time.time() - start)
                deadline = time.time() + 10
                while ticket not in self.seen[index] and time.time() < deadline and not self.stop.is_set():
                    time.sleep(0.005)
                if ticket in self.seen[index]:
                    self.note("board event after the call", self.seen[index].pop(ticket) - start)
            except OSError as e:
                self.note("call", failed=type(e).__name__)
            self.stop.wait(random.uniform(*self.call_every))

    def wall(self, session):
        self.stop.wait(random.uniform(0, 10))
        while not self.stop.is_set():
            start = time.time()
            try:
                ok = session.get("/api/screens")[0] == 200 and session.get("/api/status")[0] == 200
                self.note("screens+status", time.time() - start) if ok else self.note("screens+status", failed="status")
                for name in self.screens:  # the browser loads the thumbnails in parallel; one by one here
                    start = time.time()
                    status, _ = session.get(f"/api/screens/{name}/screenshot?at={time.time()}")
                    self.note("screenshot", time.time() - start) if status == 200 else self.note("screenshot", failed=status)
            except OSError as e:
                self.note("screens+status", failed=type(e).__name__)
            self.stop.wait(10)

    def run(self, seconds):
        for t in self.threads:
            t.start()
        self.stop.wait(seconds)
        self.stop.set()


def start_screens(branch, count):
    """Headless screens hall-1… with their metrics on free ports: {name: (process, metrics url)}."""
    screens = {}
    for i in range(1, count + 1):
        name, port = f"hall-{i}", free_port()
        with open(f"{branch.dir}/{name}.toml", "w") as f:
            f.write(f'[display]\nname = "{name}"\npopup_seconds = 0\nblink_seconds = 0\n[display.metrics]\n'
                    f'listen = "127.0.0.1:{port}"\n[display.reports]\nevery_seconds = 2\n'
                    f'proof_of_play_dir = "{branch.dir}/proof-{name}"\n')
        p = branch.start([DISPLAY, "--headless", "--config", f"{branch.dir}/{name}.toml", "--size", "1280x720",
                          "--hub-commands", branch.commands, "--hub-events", branch.events], name)
        screens[name] = (p, f"http://127.0.0.1:{port}/metrics")
    return screens


def phase(branch, screens, operators, walls, call_every, seconds, label):
    pids = {"tablo-web": branch.web.pid, "tablo-hub": branch.processes[0].pid}
    pids.update({name: p.pid for name, (p, _) in screens.items()})
    before = {k: proc(pid) for k, pid in pids.items()}
    frames_before = {n: histogram(url, "tablo_display_frame_interval_seconds") for n, (_, url) in screens.items()}
    busy0, total0 = machine_busy()
    load0 = os.getloadavg()
    rss_peak = 0.0
    load = Load(branch, operators, walls, list(screens), call_every)
    sampler_stop = threading.Event()

    timeline = []  # tablo-web's RSS through the phase: does it settle or grow?

    def sample():
        nonlocal rss_peak
        while not sampler_stop.wait(0.5):
            rss = proc(branch.web.pid)[1]
            rss_peak = max(rss_peak, rss)
            timeline.append(rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.time()
    load.run(seconds)
    elapsed = time.time() - start
    after = {k: proc(pid) for k, pid in pids.items()}
    sampler_stop.set()
    busy1, total1 = machine_busy()
    web_threads = after["tablo-web"][3]
    time.sleep(1)  # the threads see the stop

    print(f"\n== {label}: {len(operators)} operators (live board open, a call every {call_every[0]:g}–{call_every[1]:g} s), "
          f"{len(walls)} thumbnail walls ({len(screens)} screens, every 10 s), {elapsed:.0f} s, "
          f"{'HTTPS' if branch.tls else 'HTTP'} ==")
    print(f"machine: load average {load0[0]:.1f} before, {os.getloadavg()[0]:.1f} after; "
          f"all cores {100 * (busy1 - busy0) / (total1 - total0):.0f} % busy (2 cores = 100 %)")
    for k in pids:
        cpu = 100 * (after[k][0] - before[k][0]) / elapsed
        extra = f"  RSS {after[k][1]:.1f} MiB (peak seen {rss_peak:.1f}, VmHWM {after[k][2]:.1f}), {web_threads} threads" if k == "tablo-web" else f"  RSS {after[k][1]:.1f} MiB"
        print(f"{k:10s} CPU {cpu:5.1f} % of one core{extra}")
    quarters = [timeline[min(len(timeline) - 1, len(timeline) * q // 4)] for q in (1, 2, 3, 4)] if timeline else []
    print("tablo-web RSS at each quarter of the phase: " + ", ".join(f"{v:.1f}" for v in quarters) + " MiB")
    for what, values in load.latency.items():
        print(f"{what:28s} p50 {percentile(values, 50):7.1f} ms  p99 {percentile(values, 99):7.1f} ms  max "
              f"{max(values) if values else float('nan'):7.1f} ms  ({len(values)})")
    print("failures:", load.failures or "none")
    for name, (_, url) in screens.items():
        b1, page = histogram(url, "tablo_display_frame_interval_seconds")
        b0 = frames_before[name][0]
        diff = {le: b1[le] - b0.get(le, 0) for le in b1}
        count = diff.get(float("inf"), 0)
        over = lambda bound: count - max((v for le, v in diff.items() if le <= bound), default=0)  # noqa: E731
        p99 = next((le for le in sorted(diff) if diff[le] >= 0.99 * count), float("nan")) if count else float("nan")
        print(f"{name}: {int(count)} frame intervals, p99 ≤ {p99 * 1000:.1f} ms, over 50 ms: {int(over(0.05))}, "
              f"over 100 ms: {int(over(0.1))}; longest stall since start {gauge(page, 'tablo_display_longest_stall_seconds') * 1000:.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", action="store_true", help="plain HTTP on loopback instead of HTTPS")
    parser.add_argument("--seconds", type=float, default=60, help="each phase's length")
    parser.add_argument("--screens", type=int, default=3)
    args = parser.parse_args()
    branch = Branch(https=not args.http)
    try:
        screens = start_screens(branch, args.screens)
        for i in range(1, 21):
            branch.adduser(f"op{i:02d}", "operator", ["--window", str(i)])
        for i in range(1, 6):
            branch.adduser(f"it{i}", "admin")
        staff = Session(branch, "staff")
        staff.post("/api/ticker", {"text": "Уважаемые посетители! Центр работает до 20:00. " * 3})  # frames move
        admin = Session(branch, "admin")
        branch.wait(lambda: len(admin.get("/api/screens")[1]["screens"]) == len(screens), "the screens to report", 60)
        time.sleep(3)
        print(f"tablo-web after two logins: RSS {proc(branch.web.pid)[1]:.1f} MiB, VmHWM {proc(branch.web.pid)[2]:.1f} MiB, "
              f"{proc(branch.web.pid)[3]} threads")
        # The morning: everyone logs in at once (argon2id: 64 MiB and a core for a moment each).
        names = [f"op{i:02d}" for i in range(1, 21)] + [f"it{i}" for i in range(1, 6)]
        sessions, took = {}, {}

        def login(name):
            start = time.time()
            sessions[name] = Session(branch, name)
            took[name] = time.time() - start

        start = time.time()
        logins = [threading.Thread(target=login, args=(n,)) for n in names]
        for t in logins:
            t.start()
        for t in logins:
            t.join()
        ms = [v * 1000 for v in took.values()]
        print(f"{len(names)} logins at once: all in {time.time() - start:.1f} s, each p50 {percentile(ms, 50):.0f} ms "
              f"p99 {percentile(ms, 99):.0f} ms; tablo-web VmHWM {proc(branch.web.pid)[2]:.1f} MiB, RSS after "
              f"{proc(branch.web.pid)[1]:.1f} MiB")
        operators = [sessions[n] for n in names[:20]]
        walls = [sessions[n] for n in names[20:]]
        phase(branch, screens, [], [], (10, 30), args.seconds, "the peer: screens alone, no page open")
        phase(branch, screens, [], walls, (10, 30), args.seconds, "the thumbnail walls alone")
        phase(branch, screens, operators, walls, (10, 30), args.seconds, "a branch's day")
        phase(branch, screens, operators, walls, (1, 2), args.seconds, "stress")
    finally:
        branch.stop()


main()
