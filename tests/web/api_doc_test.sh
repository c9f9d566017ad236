#!/bin/sh
# Runs the Python client of docs/HTTP-API.md against a real hub and tablo-web with a fresh token.
set -eu
doc="$1"
export TABLO_BUILD="$2"
cd "$(dirname "$0")"
exec /usr/bin/python3 - "$doc" <<'PY'
import os, re, subprocess, sys
from branch import Branch, Session
text = open(sys.argv[1], encoding="utf-8").read()
block = re.search(r"## A Python client.*?```python\n(.*?)```", text, re.S).group(1)
branch = Branch()
try:
    admin = Session(branch, "admin")
    token = admin.post("/api/tokens", {"name": "queue-system", "role": "operator"})[1]["token"]
    run = subprocess.run([sys.executable, "-c", block], env={**os.environ, "TABLO_WEB": branch.url, "TABLO_TOKEN": token},
                         capture_output=True, text=True, timeout=30)
    print(run.stdout, run.stderr)
    assert run.returncode == 0, run.returncode
    assert "on the board: [('А025', '3')]" in run.stdout, run.stdout
    assert admin.get("/api/board")[1]["board"]["calls"] == [], "finish did not take"
finally:
    branch.stop()
PY
