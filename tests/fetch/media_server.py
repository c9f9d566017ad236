#!/usr/bin/env python3
"""A media source that misbehaves on purpose, for tests/fetch: serves FOLDER/<sha256> at
/media/<sha256> with Range like the hub's endpoint, and can corrupt the bytes, drop the
connection part way, answer 503 with Retry-After, refuse a token, or send slowly.
Each finished request is one line of --log: "<sha256> start=<N> status=<code> sent=<bytes>"."""
import argparse
import http.server
import os
import socket
import sys
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--folder", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--corrupt", action="store_true", help="flip one byte in the middle of every file")
parser.add_argument("--drop-after", type=int, default=0, help="close the connection after this many bytes of body")
parser.add_argument("--busy", type=int, default=0, help="answer the first N requests 503, Retry-After: 1")
parser.add_argument("--token", default="", help="only this ?t= is taken; others get 403")
parser.add_argument("--rate", type=int, default=0, help="bytes a second, at most")
args = parser.parse_args()

lock = threading.Lock()
served = {"busy": 0}


def log(line):
    with lock, open(args.log, "a") as out:
        out.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def refuse(self, status, text, extra=()):
        body = text.encode()
        self.send_response(status)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        sha = url.path.rsplit("/", 1)[-1]
        token = urllib.parse.parse_qs(url.query).get("t", [""])[0]
        with lock:
            busy = served["busy"] < args.busy
            served["busy"] += 1
        if busy:
            log(f"{sha} start=0 status=503 sent=0")
            return self.refuse(503, "busy", [("Retry-After", "1")])
        if args.token and token != args.token:
            log(f"{sha} start=0 status=403 sent=0")
            return self.refuse(403, "token expired")
        path = os.path.join(args.folder, sha)
        if not os.path.isfile(path):
            log(f"{sha} start=0 status=404 sent=0")
            return self.refuse(404, "no such file")
        size = os.path.getsize(path)
        start = 0
        ranged = self.headers.get("Range", "")
        if ranged.startswith("bytes="):
            start = int(ranged[6:].split("-")[0])
        if start >= size:
            return self.refuse(416, "range not satisfiable", [("Content-Range", f"bytes */{size}")])
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(size - start))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", f'"{sha}"')
        if start:
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.end_headers()
        sent = 0
        status = 206 if start else 200
        middle = size // 2
        began = time.monotonic()
        piece = max(1024, min(16384, args.rate // 10)) if args.rate else 16384
        try:
            with open(path, "rb") as f:
                f.seek(start)
                while sent < size - start:
                    chunk = f.read(piece)
                    if args.corrupt and start + sent <= middle < start + sent + len(chunk):
                        i = middle - start - sent
                        chunk = chunk[:i] + bytes([chunk[i] ^ 0xFF]) + chunk[i + 1:]
                    if args.drop_after and sent + len(chunk) > args.drop_after:
                        chunk = chunk[: args.drop_after - sent]
                        self.wfile.write(chunk)
                        sent += len(chunk)
                        self.wfile.flush()
                        self.connection.shutdown(socket.SHUT_RDWR)
                        self.close_connection = True
                        break
                    self.wfile.write(chunk)
                    sent += len(chunk)
                    if args.rate:
                        ahead = sent / args.rate - (time.monotonic() - began)
                        if ahead > 0:
                            time.sleep(ahead)
        except (BrokenPipeError, ConnectionResetError):
            pass
        log(f"{sha} start={start} status={status} sent={sent}")


server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
server.daemon_threads = True
print("serving", flush=True)
server.serve_forever()
