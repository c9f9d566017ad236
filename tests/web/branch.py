"""A real branch for the console's tests: tablo-hub, tablo-web and, when asked, a headless
tablo-display, each on free loopback ports in a scratch folder; stopped on exit. With https,
tablo-web serves HTTPS with a self-signed certificate made by `openssl req`, which the
requests trust (and verify)."""
import json
import os
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

BUILD = os.environ["TABLO_BUILD"]
HUB = os.environ["TABLO_HUB_BIN"]
WEB = os.environ["TABLO_WEB_BIN"]
DISPLAY = os.environ["TABLO_DISPLAY_BIN"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Branch:
    def __init__(self, screen=False, web_config="", hub_media="", screen_config="", https=False, host="127.0.0.1"):
        """`hub_media`: more lines of the hub's [hub.media]; `screen_config`: more of the screen's settings."""
        self.dir = tempfile.mkdtemp(prefix="tablo-web-test-")
        self.commands = f"tcp://127.0.0.1:{free_port()}"
        self.events = f"tcp://127.0.0.1:{free_port()}"
        self.port = free_port()
        self.url = f"{'https' if https else 'http'}://127.0.0.1:{self.port}"
        self.tls = None
        if https:
            self.certificate, self.private_key = self.make_certificate("web")
            web_config += f'\ncertificate = "{self.certificate}"\nprivate_key = "{self.private_key}"\n'
            self.tls = ssl.create_default_context(cafile=self.certificate)
        self.processes = []
        # The hub's media endpoint on a port of its own, so hubs of tests side by side do not contend.
        with open(f"{self.dir}/hub.toml", "w") as f:
            f.write(f'[hub.media]\nlisten = "127.0.0.1:{free_port()}"\n{hub_media}\n[hub.metrics]\nlisten = ""\n')
        self.start([HUB, "--config", f"{self.dir}/hub.toml", "--commands", self.commands, "--events", self.events,
                    "--journal", f"{self.dir}/journal"], "hub")
        with open(f"{self.dir}/tablo.toml", "w") as f:
            f.write(f'[hub]\ncommands = "{self.commands}"\nevents = "{self.events}"\n[web]\nlisten = "{host}:{self.port}"\n'
                    f'database = "{self.dir}/web.sqlite"\nscreenshot_seconds = 1\n{web_config}\n')
        self.screen_config = screen_config
        self.users = {}
        for name, role, extra in [("admin", "admin", []), ("op3", "operator", ["--window", "3"]), ("staff", "staff", [])]:
            self.adduser(name, role, extra)
        self.web = self.start([WEB, "--config", f"{self.dir}/tablo.toml"], "web")
        self.wait(lambda: self.get("/login.html")[0] == 200, "tablo-web to serve")
        if screen:
            self.start_screen()

    def make_certificate(self, name):
        """A self-signed certificate for 127.0.0.1 and its key: (certificate, key) files."""
        certificate, key = f"{self.dir}/{name}.pem", f"{self.dir}/{name}.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                        "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        return certificate, key

    def add_media(self, name, colour="red"):
        """A one-second clip of one colour, made with ffmpeg and added to the hub's library."""
        clip = f"{self.dir}/{name}"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c={colour}:size=320x240:rate=25",
                        "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip], check=True)
        subprocess.run([f"{BUILD}/tools/tabloctl", "--hub", self.commands, "--timeout", "10", "media", "add", clip],
                       check=True, capture_output=True)

    def adduser(self, name, role, extra=()):
        password = f"{name}-password-1"
        subprocess.run([WEB, "--config", f"{self.dir}/tablo.toml", "adduser", name, "--role", role, *extra],
                       input=password + "\n", text=True, check=True, capture_output=True)
        self.users[name] = password

    def start(self, argv, name):
        log = open(f"{self.dir}/{name}.log", "w")
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(p)
        return p

    def start_screen(self):
        with open(f"{self.dir}/screen.toml", "w") as f:
            f.write('[display]\nname = "hall-1"\npopup_seconds = 0\nblink_seconds = 0\n[display.reports]\n'
                    f'every_seconds = 1\nproof_of_play_dir = "{self.dir}/proof"\n{self.screen_config}\n')
        self.start([DISPLAY, "--headless", "--config", f"{self.dir}/screen.toml", "--size", "640x360",
                    "--hub-commands", self.commands, "--hub-events", self.events, "--screenshot-dir", self.dir,
                    "--screenshot-every", "0.2"], "display")

    def log(self, name):
        with open(f"{self.dir}/{name}.log") as f:
            return f.read()

    @staticmethod
    def wait(ok, what, seconds=15):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                if ok():
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        raise AssertionError(f"never happened: {what}")

    def request(self, method, path, body=None, headers=None, raw=False):
        """(status, headers, body: JSON when it is, else bytes)."""
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        if isinstance(body, (dict, list)):
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=20, context=self.tls) as r:
                status, h, content = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, h, content = e.code, e.headers, e.read()
        if not raw and h.get("Content-Type", "").startswith("application/json"):
            content = json.loads(content)
        return status, h, content

    def get(self, path, headers=None):
        s, _, b = self.request("GET", path, headers=headers)
        return s, b

    def stop(self):
        for p in reversed(self.processes):
            p.terminate()
        for p in self.processes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


class Session:
    """A browser's session as the API sees it: the cookie, and its CSRF token on changes."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    def __init__(self, branch, name, password=None):
        self.branch = branch
        status, headers, body = branch.request("POST", "/api/login", {"name": name, "password": password or branch.users[name]})
        assert status == 200, (status, body)
        cookie = headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie
        self.cookie = cookie.split(";")[0]
        self.csrf = body["csrf"]

    def request(self, method, path, body=None, csrf=True, raw=False):
        headers = {"Cookie": self.cookie}
        if csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        return self.branch.request(method, path, body, headers, raw)

    def get(self, path):
        s, _, b = self.request("GET", path)
        return s, b

    def post(self, path, body=None):
        s, _, b = self.request("POST", path, body if body is not None else {})
        return s, b
