"""The console's JSON API against a real tablo-hub and tablo-web: every route refused without
a session or token, every role refusal, CSRF, an expired session, login throttling, API tokens,
a bad playlist refused in the screens' words, live events, the security headers."""
import http.client
import re
import sqlite3
import sys

from branch import Branch, Session

DOC = sys.argv[1]  # docs/HTTP-API.md: its table of endpoints is the list walked here


def documented_routes():
    routes = []
    for line in open(DOC, encoding="utf-8"):
        m = re.match(r"\| `(GET|POST|DELETE)` \| `(/api/[^`]*)` \| (\w+) \|", line)
        if m:
            routes.append((m.group(1), m.group(2).replace("NAME", "hall-1").replace("ID", "1"), m.group(3)))
    assert len(routes) >= 20, f"{DOC} lists {len(routes)} endpoints"
    return routes


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def main():
    branch = Branch()
    try:
        routes = documented_routes()
        # Nothing but login answers without a session or a token; a made-up cookie or token is none.
        for method, path, role in routes:
            for headers in ({}, {"Cookie": "tablo_session=made-up"}, {"Authorization": "Bearer made-up"}):
                status, _, body = branch.request(method, path, {} if method != "GET" else None, headers)
                expected = 400 if role == "open" else 401
                check(status == expected, f"{method} {path} with {headers}: {status} {body}, not {expected}")

        admin, op3, staff = Session(branch, "admin"), Session(branch, "op3"), Session(branch, "staff")
        # The walk above covers what the server has: every route it serves is in the document.
        served = {(r["method"], r["path"].rstrip("…")) for r in op3.get("/api/routes")[1]["routes"]}
        documented = {(m, re.sub(r"(hall-1|1)(/.*)?$", "", p)) for m, p, _ in routes}
        check(served == documented, f"served but not in {DOC}: {served - documented}; documented, not served: {documented - served}")
        sessions = {"operator": op3, "staff": staff, "admin": admin}
        # Every role refusal, as the table of endpoints says who may.
        rank = {"operator": {"operator", "admin"}, "staff": {"staff", "admin"}, "any": {"operator", "staff", "admin"},
                "announce": {"operator", "staff", "admin"}, "admin": {"admin"}, "open": {"operator", "staff", "admin"}}
        for method, path, role in routes:
            for name, session in sessions.items():
                if name in rank[role] or path == "/api/logout":
                    continue
                status, _, body = session.request(method, path, {} if method != "GET" else None)
                check(status == 403 and "may not" in body["error"], f"{name} {method} {path}: {status} {body}")

        # Headers: a CSP without inline script, no framing, API answers never cached.
        _, headers, _ = op3.request("GET", "/api/board")
        csp = headers["Content-Security-Policy"]
        check("script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, csp)
        check(headers["X-Frame-Options"] == "DENY", headers)
        check(headers["Cache-Control"] == "no-store", headers)
        _, page_headers, _ = branch.request("GET", "/login.html")
        check("unsafe-inline" not in page_headers["Content-Security-Policy"], page_headers)

        # CSRF: a change with the cookie alone is refused, and nothing reaches the board.
        status, _, body = op3.request("POST", "/api/call", {"ticket": "Б001", "window": "3"}, csrf=False)
        check(status == 403 and "X-CSRF-Token" in body["error"], (status, body))
        check(all(c["ticket"] != "Б001" for c in op3.get("/api/board")[1]["board"]["calls"]), "a call without CSRF reached the board")

        # An operator tied to window 3 calls there, only there, and acts on window 3's calls only.
        status, body = op3.post("/api/call", {"ticket": "А025"})
        check(status == 200 and body["ok"], (status, body))
        check(op3.get("/api/board")[1]["board"]["calls"][0] == {**op3.get("/api/board")[1]["board"]["calls"][0], "ticket": "А025", "window": "3"}, "А025 not to window 3")
        status, body = op3.post("/api/call", {"ticket": "А026", "window": "5"})
        check(status == 403 and "window 3 only" in body["error"], (status, body))
        check(admin.post("/api/call", {"ticket": "В007", "window": "5"})[0] == 200, "admin call")
        status, body = op3.post("/api/finish", {"ticket": "В007"})
        check(status == 403 and "window 5" in body["error"], (status, body))
        for path in ("/api/recall", "/api/finish"):
            check(op3.post(path, {"ticket": "А025"})[0] == 200, path)
        status, body = op3.post("/api/recall", {"ticket": "Я999"})
        check(status == 409 and body["error"], (status, body))  # the hub's own refusal, in its words

        # Announcements and templates; the ticker is staff's.
        check(len(op3.get("/api/templates")[1]["templates"]) == 3, "templates")
        check(op3.post("/api/announce", {"text": "Проверка связи", "seconds": 5})[0] == 200, "announce")
        check(staff.post("/api/ticker", {"text": "Добро пожаловать"})[0] == 200, "ticker")
        check(op3.get("/api/board")[1]["board"]["ticker"] == "Добро пожаловать", "ticker on the board")

        # A bad playlist is refused with the words the screens' reader gives for the file, and a
        # good one names files of the hub's media library.
        branch.add_media("red.mp4")
        status, body = staff.post("/api/playlist", {"text": '[[item]]\nfile = "red.mp4"\nvolume = "loud"\n'})
        check(status == 422 and body["error"].startswith("the playlist for zone main:3:10: item[1].volume"), (status, body))
        check(staff.post("/api/playlist", {"text": '[[item]]\nfile = "red.mp4"\nduration = 5\n'})[0] == 200, "good playlist")
        check("playlist" in staff.get("/api/board")[1]["board"], "pushed playlist on the board")
        check(staff.post("/api/playlist", {"text": ""})[0] == 200, "withdraw")

        # IT: the hub's counters; a screen that is not there is named in the refusal.
        status, body = admin.get("/api/status")
        check(status == 200 and body["status"]["counters"]["commands"] > 0, body)
        check(admin.get("/api/screens")[1]["screens"] == [], "no screens")
        status, body = admin.get("/api/screens/nobody/screenshot")
        check(status == 502 and "nobody" in body["error"], (status, body))

        # Live: the board first, then again after a change.
        connection = http.client.HTTPConnection("127.0.0.1", branch.port, timeout=10)
        connection.request("GET", "/api/events", headers={"Cookie": op3.cookie})
        stream = connection.getresponse()
        check(stream.getheader("Content-Type").startswith("text/event-stream"), stream.getheaders())
        first = stream.readline()
        check(first == b"event: board\n", first)
        stream.readline(), stream.readline()
        op3.post("/api/call", {"ticket": "Г044"})
        check(stream.readline() == b"event: board\n" and "Г044" in stream.readline().decode(), "live change")
        connection.close()

        # API tokens: role-limited, without CSRF (no cookie), revocable.
        status, body = admin.post("/api/tokens", {"name": "queue-system", "role": "operator"})
        check(status == 201, body)
        bearer = {"Authorization": "Bearer " + body["token"]}
        status, _, answer = branch.request("POST", "/api/call", {"ticket": "Д010", "window": "2"}, bearer)
        check(status == 200, answer)
        status, _, answer = branch.request("POST", "/api/ticker", {"text": "x"}, bearer)
        check(status == 403, answer)
        check(admin.request("DELETE", f"/api/tokens/{body['id']}")[0] == 200, "revoke")
        check(branch.request("POST", "/api/call", {"ticket": "Д011", "window": "2"}, bearer)[0] == 401, "revoked token")

        # Accounts: add, a new password, remove; all in the audit log.
        check(admin.post("/api/accounts", {"name": "op7", "password": "op7-password", "role": "operator", "window": "7"})[0] == 201, "add")
        status, body = admin.post("/api/accounts", {"name": "op7", "password": "op7-password", "role": "operator"})
        check(status == 400 and "already" in body["error"], body)
        check(admin.post("/api/accounts/op7", {"password": "op7-password-2"})[0] == 200, "password")
        check(Session(branch, "op7", "op7-password-2").get("/api/me")[1]["window"] == "7", "op7")
        check(admin.request("DELETE", "/api/accounts/op7")[0] == 200, "remove")
        audit = admin.get("/api/audit")[1]["audit"]
        whats = [f"{a['who']} {a['what']}" for a in audit]
        check(any(w.startswith("op3 zone main: call") for w in whats), whats)
        check(any(w.startswith("token:queue-system zone main: call") for w in whats), whats)
        check(any(w == "admin remove account op7" for w in whats), whats)

        # A session that expired is no session.
        late = Session(branch, "staff")
        with sqlite3.connect(f"{branch.dir}/web.sqlite") as db:
            db.execute("UPDATE sessions SET expires = 0 WHERE account = 'staff'")
        check(late.get("/api/me")[0] == 401, "an expired session")

        # Login throttling: five wrong passwords, then even the right one waits.
        for _ in range(5):
            check(branch.request("POST", "/api/login", {"name": "admin", "password": "wrong-guess"})[0] == 401, "wrong")
        status, headers, body = branch.request("POST", "/api/login", {"name": "admin", "password": branch.users["admin"]})
        check(status == 429 and int(headers["Retry-After"]) > 0, (status, body))
        check(any(a["what"] == "login" and a["result"] == "throttled" for a in Session(branch, "op3").branch.request(
            "GET", "/api/audit", headers={"Cookie": admin.cookie})[2]["audit"]), "throttled login audited")

        # Pages: each for its roles; an operator is refused the staff's, IT's and admin's pages.
        for page in ("/staff.html", "/screens.html", "/admin.html"):
            check(op3.request("GET", page)[0] == 403, page)
        check(op3.request("GET", "/operator.html")[0] == 200, "operator page")
        check(branch.request("GET", "/operator.html")[0] in (303, 200), "no session: to the login page")
        print("api_test: all checks passed")
    except Exception:
        for name in ("hub", "web"):
            print(f"--- {name}.log\n{branch.log(name)}", file=sys.stderr)
        raise
    finally:
        branch.stop()


main()
