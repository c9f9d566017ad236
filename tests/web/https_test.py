"""tablo-web serving HTTPS itself (Debian 12's civetweb with OpenSSL 3, through web/https.hpp),
with a certificate made by `openssl req`: on every address without web.allow_insecure, the
session cookie Secure, HSTS, a call and the live board over TLS, plain HTTP and TLS 1.1 getting
nothing, and each bad certificate or key refused at start, naming the file."""
import http.client
import json
import ssl
import subprocess
import time
import warnings

from branch import WEB, Branch, Session, free_port


def refused_start(branch, certificate, key):
    """tablo-web's exit status and standard error with this certificate and key."""
    toml = f"{branch.dir}/bad.toml"
    with open(toml, "w") as f:
        f.write(f'[hub]\ncommands = "{branch.commands}"\nevents = "{branch.events}"\n'
                f'[web]\nlisten = "127.0.0.1:{free_port()}"\ndatabase = "{branch.dir}/web.sqlite"\n'
                f'certificate = "{certificate}"\nprivate_key = "{key}"\n')
    run = subprocess.run([WEB, "--config", toml], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    return run.returncode, run.stderr


def first_board_event(branch, session, wanted):
    """Reads the live board (server-sent events over HTTPS) until it shows `wanted`."""
    connection = http.client.HTTPSConnection("127.0.0.1", branch.port, context=branch.tls, timeout=20)
    connection.request("GET", "/api/events", headers={"Cookie": session.cookie})
    answer = connection.getresponse()
    assert answer.status == 200 and answer.getheader("Content-Type").startswith("text/event-stream"), answer.status
    assert answer.getheader("Strict-Transport-Security"), answer.getheaders()
    deadline = time.time() + 20
    while time.time() < deadline:
        line = answer.fp.readline().decode()
        if line.startswith("data: ") and wanted in line:
            answer.close()
            connection.close()
            return json.loads(line[6:])
    raise AssertionError(f"the live board never showed {wanted}")


def main():
    # On every address, with no web.allow_insecure: a certificate is what lets it.
    branch = Branch(https=True, host="0.0.0.0")
    try:
        assert "the console on https://0.0.0.0:" in branch.log("web"), branch.log("web")
        status, headers, _ = branch.request("GET", "/login.html")
        assert status == 200 and headers["Strict-Transport-Security"] == "max-age=31536000", headers

        op = Session(branch, "op3")
        status, headers, _ = branch.request("POST", "/api/login", {"name": "op3", "password": branch.users["op3"]})
        cookie = headers["Set-Cookie"]
        assert status == 200 and "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie

        status, body = op.post("/api/call", {"ticket": "А025"})
        assert status == 200, (status, body)
        board = first_board_event(branch, op, "А025")
        assert board["board"]["calls"][0]["ticket"] == "А025" and board["board"]["calls"][0]["window"] == "3", board
        status, headers, _ = op.request("POST", "/api/call", {"ticket": "А026"}, csrf=False)
        assert status == 403, status  # CSRF is checked over HTTPS as over HTTP

        # Plain HTTP on the HTTPS port: no answer, so no password crosses in the clear.
        plain = http.client.HTTPConnection("127.0.0.1", branch.port, timeout=10)
        try:
            plain.request("POST", "/api/login", body=b'{"name":"op3","password":"x"}')
            answered = plain.getresponse().status
        except (OSError, http.client.HTTPException):
            answered = None
        assert answered is None, answered

        # TLS 1.1 is refused (the client would allow it).
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.load_verify_locations(branch.certificate)
        old.set_ciphers("DEFAULT@SECLEVEL=0")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_1
        try:
            http.client.HTTPSConnection("127.0.0.1", branch.port, context=old, timeout=10).request("GET", "/login.html")
            raise AssertionError("a TLS 1.1 connection was served")
        except ssl.SSLError as e:  # the server's alert, not the client refusing to offer TLS 1.1
            assert e.reason == "TLSV1_ALERT_PROTOCOL_VERSION", e

        # Bad files are refused at start, naming the file and what to give.
        other_certificate, other_key = branch.make_certificate("other")
        code, err = refused_start(branch, branch.certificate, other_key)
        assert code == 1 and f"web.private_key {other_key} is not the key of web.certificate" in err, err
        code, err = refused_start(branch, f"{branch.dir}/missing.pem", branch.private_key)
        assert code == 1 and f"web.certificate {branch.dir}/missing.pem cannot be used" in err, err
        code, err = refused_start(branch, branch.private_key, branch.private_key)
        assert code == 1 and "web.certificate" in err and "certificate first" in err, err
        locked = f"{branch.dir}/locked.key"
        subprocess.run(["openssl", "pkey", "-in", branch.private_key, "-aes256", "-passout", "pass:secret", "-out", locked],
                       check=True, capture_output=True)
        code, err = refused_start(branch, branch.certificate, locked)  # refused, not asked for on a terminal
        assert code == 1 and f"web.private_key {locked} cannot be used" in err and "passphrase" in err, err

        # Still serving after all that, and it never crashed.
        assert branch.request("GET", "/login.html")[0] == 200 and branch.web.poll() is None
        print("https_test: all checks passed")
    finally:
        branch.stop()


main()
