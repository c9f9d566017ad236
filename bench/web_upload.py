#!/usr/bin/python3
"""An upload through tablo-web's API (1 MiB chunks one after another, as the media page sends
them) beside the same size sent by `tabloctl media add` straight to the hub, each of SIZE_MB
random bytes (so both are refused as unplayable once the hub has all of them and has checked
them: the transfer is what is timed; DESK_FIRST=1 sends tabloctl's first). Prints MB/s of
each and tablo-web's RSS before and at most during its upload (it must not grow with the
file); never passes or fails.
  TABLO_BUILD=build TABLO_HUB_BIN=build/hub/tablo-hub TABLO_WEB_BIN=build/web/tablo-web \\
  TABLO_DISPLAY_BIN=build/display/tablo-display bench/web_upload.py [SIZE_MB]"""
import hashlib
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "web"))
from branch import Branch, Session  # noqa: E402

SIZE = int(sys.argv[1] if len(sys.argv) > 1 else 64) * 1024 * 1024
DESK_FIRST = os.environ.get("DESK_FIRST") == "1"
CHUNK = 1024 * 1024


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssWatch(threading.Thread):
    """The most tablo-web's resident memory reached while it runs, looked at every 10 ms (its
    own high-water mark is the login's argon2id, which uses more than an upload)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.most, self.stop = pid, 0.0, False

    def run(self):
        while not self.stop:
            self.most = max(self.most, rss_mb(self.pid))
            time.sleep(0.01)


def main():
    branch = Branch(hub_media=f"max_item_mb = {SIZE // 1_000_000 + 10}")
    try:
        staff = Session(branch, "staff")
        before = rss_mb(branch.web.pid)
        watch = RssWatch(branch.web.pid)

        def through_web():
            data = os.urandom(SIZE)
            sha = hashlib.sha256(data).hexdigest()
            watch.start()
            start = time.monotonic()
            status, body = staff.post("/api/media/uploads", {"name": "web.bin", "sha256": sha, "size": SIZE})
            while status == 200 and body["have"] < SIZE:
                have = body["have"]
                piece = data[have:have + CHUNK]
                status, _, body = branch.request("POST", f"/api/media/uploads/{sha}", piece, {
                    "Cookie": staff.cookie, "X-CSRF-Token": staff.csrf, "Content-Type": "application/octet-stream",
                    "Content-Range": f"bytes {have}-{have + len(piece) - 1}/{SIZE}"})
            assert status == 409 and "cannot play" in body["error"], (status, body)  # all of it arrived and was checked
            watch.stop = True
            return time.monotonic() - start

        def through_desk():
            path = f"{branch.dir}/desk.bin"
            with open(path, "wb") as f:
                f.write(os.urandom(SIZE))
            start = time.monotonic()
            run = subprocess.run([f"{os.environ['TABLO_BUILD']}/tools/tabloctl", "--hub", branch.commands, "--timeout", "30",
                                  "media", "add", path], capture_output=True, text=True)
            assert "cannot play" in run.stderr, run.stderr
            return time.monotonic() - start

        if DESK_FIRST:
            desk_seconds, web_seconds = through_desk(), through_web()
        else:
            web_seconds, desk_seconds = through_web(), through_desk()
        mb = SIZE / 1e6
        print(f"upload of {mb:.0f} MB: tablo-web {mb / web_seconds:.1f} MB/s ({web_seconds:.2f} s), "
              f"tabloctl {mb / desk_seconds:.1f} MB/s ({desk_seconds:.2f} s), ratio {desk_seconds / web_seconds:.2f}")
        print(f"tablo-web RSS: {before:.1f} MB before the upload, at most {watch.most:.1f} MB during it")
        print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    finally:
        branch.stop()


main()
