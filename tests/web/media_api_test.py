"""The staff's media API against a real tablo-hub and tablo-web: an upload in 1 MiB chunks
that survives a connection dropped mid-chunk and one dropped before its answer (the hub ends up
with exactly one complete file, its SHA-256 checked), the hub's reasons for refused files, a
file in use that cannot be removed, what a known playlist plays when, and every media route
refused to an operator."""
import glob
import hashlib
import http.client
import os
import socket
import subprocess
import sys
import urllib.parse

from branch import Branch, Session

CHUNK = 1024 * 1024


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def chunk_request(branch, session, sha, data, first, total, csrf=True):
    last = first + len(data) - 1
    headers = {"Cookie": session.cookie, "Content-Type": "application/octet-stream", "Content-Range": f"bytes {first}-{last}/{total}"}
    if csrf:
        headers["X-CSRF-Token"] = session.csrf
    return branch.request("POST", f"/api/media/uploads/{sha}", data, headers)


def raw_chunk(branch, session, sha, data, first, total, send):
    """A chunk sent by hand on a socket that closes without reading the answer; `send` bytes of the body go."""
    head = (f"POST /api/media/uploads/{sha} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {session.cookie}\r\n"
            f"X-CSRF-Token: {session.csrf}\r\nContent-Type: application/octet-stream\r\nContent-Length: {len(data)}\r\n"
            f"Content-Range: bytes {first}-{first + len(data) - 1}/{total}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", branch.port)) as s:
        s.sendall(head.encode() + data[:send])


def make(branch, name, *ffmpeg):
    path = f"{branch.dir}/{name}"
    subprocess.run(["ffmpeg", "-v", "error", "-y", *ffmpeg, path], check=True)
    with open(path, "rb") as f:
        return f.read()


def upload(branch, session, name, data):
    """The whole file through the API, chunk by chunk; the last answer."""
    sha = hashlib.sha256(data).hexdigest()
    status, body = session.post("/api/media/uploads", {"name": name, "sha256": sha, "size": len(data)})
    while status == 200 and "item" not in body:
        status, _, body = chunk_request(branch, session, sha, data[body["have"]:body["have"] + CHUNK], body["have"], len(data))
    return status, body


def main():
    branch = Branch(hub_media="max_item_mb = 8\nlibrary_mb = 6")
    try:
        staff, op3, admin = Session(branch, "staff"), Session(branch, "op3"), Session(branch, "admin")
        library = f"{branch.dir}/journal/media"

        # An operator is refused every media route, and the media page.
        for method, path in [("GET", "/api/media"), ("POST", "/api/media/uploads"), ("POST", "/api/media/uploads/" + "0" * 64),
                             ("DELETE", "/api/media/x.mp4"), ("GET", "/api/publishing"), ("GET", "/api/preview"), ("POST", "/api/preview")]:
            status, _, body = op3.request(method, path, {} if method != "GET" else None)
            check(status == 403 and "operator role may not" in body["error"], f"operator {method} {path}: {status} {body}")
        check(op3.request("GET", "/media.html")[0] == 403, "operator opened the media page")
        check(staff.request("GET", "/media.html")[0] == 200, "staff's media page")

        # A clip of five seconds, four chunks: two go well, the third is cut off mid-body.
        clip = make(branch, "clip.mp4", "-f", "lavfi", "-i", "testsrc2=size=640x480:rate=25", "-t", "5", "-c:v", "libx264",
                    "-preset", "ultrafast", "-b:v", "6M", "-pix_fmt", "yuv420p")
        sha, size = hashlib.sha256(clip).hexdigest(), len(clip)
        check(3 * CHUNK < size <= 4 * CHUNK, f"the clip is {size} bytes, not four chunks")
        status, body = staff.post("/api/media/uploads", {"name": "clip.mp4", "sha256": sha, "size": size})
        check(status == 200 and body["have"] == 0 and body["size"] == size, (status, body))
        for first in (0, CHUNK):
            status, _, body = chunk_request(branch, staff, sha, clip[first:first + CHUNK], first, size)
            check(status == 200 and body["have"] == first + CHUNK and "item" not in body, (status, body))
        # Without the session's CSRF token a chunk is refused.
        status, _, body = chunk_request(branch, staff, sha, clip[2 * CHUNK:3 * CHUNK], 2 * CHUNK, size, csrf=False)
        check(status == 403 and "X-CSRF-Token" in body["error"], (status, body))
        # More than a chunk in one request is refused before it is read.
        status, _, body = chunk_request(branch, staff, sha, clip[:CHUNK + 1], 0, size)
        check(status == 413, (status, body))
        raw_chunk(branch, staff, sha, clip[2 * CHUNK:3 * CHUNK], 2 * CHUNK, size, send=CHUNK // 2)
        # As after a reload: ask where to go on. The cut chunk never reached the hub.
        status, body = staff.post("/api/media/uploads", {"name": "clip.mp4", "sha256": sha, "size": size})
        check(status == 200 and body["have"] == 2 * CHUNK, (status, body))
        # The third chunk sent whole, but its connection dropped before the answer: the hub has it.
        raw_chunk(branch, staff, sha, clip[2 * CHUNK:3 * CHUNK], 2 * CHUNK, size, send=CHUNK)
        branch.wait(lambda: staff.post("/api/media/uploads", {"name": "clip.mp4", "sha256": sha, "size": size})[1]["have"] == 3 * CHUNK,
                    "the hub to have the third chunk")
        # The same chunk again is refused in the hub's words; the uploader asks again and goes on.
        status, _, body = chunk_request(branch, staff, sha, clip[2 * CHUNK:3 * CHUNK], 2 * CHUNK, size)
        check(status == 409 and body["error"], (status, body))
        status, _, body = chunk_request(branch, staff, sha, clip[3 * CHUNK:], 3 * CHUNK, size)
        check(status == 200 and body["have"] == size and body["item"]["name"] == "clip.mp4", (status, body))
        # Exactly one complete file, the bytes sent, and no part left over.
        files = glob.glob(f"{library}/files/*")
        check(files == [f"{library}/files/{sha}"], files)
        with open(files[0], "rb") as f:
            check(hashlib.sha256(f.read()).hexdigest() == sha, "the hub's file is not the clip")
        check(glob.glob(f"{library}/parts/*") == [], glob.glob(f"{library}/parts/*"))

        # The library: what each file is.
        status, body = staff.get("/api/media")
        check(status == 200 and len(body["media"]) == 1, body)
        item = body["media"][0]
        check(item["kind"] == "video" and item["width"] == 640 and item["height"] == 480 and 4.5 < item["duration"] < 5.5
              and item["size"] == size and item["used_by"] == [], item)

        # Refused files, with the hub's reason: not a video or picture; larger than the hub takes;
        # more than the library has room for.
        status, body = upload(branch, staff, "notes.mp4", os.urandom(200_000))
        check(status == 409 and "'notes.mp4' cannot play on the screens" in body["error"], (status, body))
        status, body = staff.post("/api/media/uploads", {"name": "huge.mp4", "sha256": "1" * 64, "size": 9_000_000})
        check(status == 409 and "max_item_mb" in body["error"], (status, body))
        status, body = staff.post("/api/media/uploads", {"name": "second.mp4", "sha256": "2" * 64, "size": 3_000_000})
        check(status == 409 and "the library would grow past its limit" in body["error"], (status, body))  # full
        check([i["name"] for i in staff.get("/api/media")[1]["media"]] == ["clip.mp4"], "a refused file is in the library")

        # A picture, then a playlist: the clip always, the lunch picture on weekdays 12:30–13:30.
        picture = make(branch, "обед.png", "-f", "lavfi", "-i", "color=c=green:size=64x48", "-frames:v", "1")
        status, body = upload(branch, staff, "обед.png", picture)
        check(status == 200 and body["item"]["name"] == "обед.png", (status, body))
        check(next(i for i in staff.get("/api/media")[1]["media"] if i["name"] == "обед.png")["kind"] == "picture", "picture kind")
        playlist = ('[[item]]\nfile = "clip.mp4"\n\n[[item]]\nfile = "обед.png"\nduration = 20\n'
                    'days = ["mon", "tue", "wed", "thu", "fri"]\nfrom = "12:30"\nuntil = "13:30"\n')
        status, body = staff.post("/api/preview", {"text": playlist, "day": "2026-12-02", "at": "12:31"})  # a Wednesday
        check(status == 200 and body["source"] == "draft" and body["weekday"] == "wed", (status, body))
        check([i["file"] for i in body["items"]] == ["clip.mp4", "обед.png"] and body["items"][1]["seconds"] == 20, body["items"])
        check(4.5 < body["items"][0]["seconds"] < 5.5, body["items"])
        parts = [(p["from"], p["until"], p["items"]) for p in body["parts"]]
        check(parts == [("00:00", "12:30", [0]), ("12:30", "13:30", [0, 1]), ("13:30", "24:00", [0])], parts)
        check(24.5 < body["parts"][1]["round_seconds"] < 25.5, body["parts"][1])
        check(body["at"] == {"time": "12:31", "part": 1, "item": 1}, body["at"])  # 60 s into rounds of 25 s: the picture
        status, body = staff.post("/api/preview", {"text": playlist, "day": "2026-12-06"})  # a Sunday
        check([(p["from"], p["until"], p["items"]) for p in body["parts"]] == [("00:00", "24:00", [0])], body["parts"])
        status, body = staff.post("/api/preview", {"text": '[[item]]\nfile = "clip.mp4"\nduration = "long"\n'})
        check(status == 422 and body["error"].startswith("the playlist for zone main:3:12: item[1].duration"), (status, body))
        status, body = staff.get("/api/preview?zone=main")
        check(status == 404 and "no pushed playlist" in body["error"], (status, body))

        # Published: the library says which zone uses the files, and they cannot be removed.
        status, body = staff.post("/api/playlist", {"text": playlist})
        check(status == 200, (status, body))
        seq = body["seq"]
        # The console learns of the push from the hub's events, as the screens do: a moment later.
        branch.wait(lambda: next(i for i in staff.get("/api/media")[1]["media"] if i["name"] == "clip.mp4")["used_by"] == ["main"],
                    "the library to say zone main uses clip.mp4")
        status, _, body = staff.request("DELETE", "/api/media/clip.mp4")
        check(status == 409 and "in the playlist in force in zone 'main'" in body["error"], (status, body))
        status, body = staff.get("/api/preview?zone=main&day=2026-12-02&at=13:00")
        check(status == 200 and body["source"] == "pushed" and body["at"]["part"] == 1, (status, body))
        # No screen in this branch: nothing to follow, and never "all in step".
        status, body = staff.get(f"/api/publishing?zone=main&seq={seq}")
        check(status == 200 and body["screens"] == [] and body["all_in_step"] is False, (status, body))
        check(staff.post("/api/playlist", {"text": ""})[0] == 200, "withdraw")
        status, _, body = staff.request("DELETE", "/api/media/clip.mp4")
        check(status == 200, (status, body))
        check([i["name"] for i in staff.get("/api/media")[1]["media"]] == ["обед.png"], "clip.mp4 still listed")
        status, _, body = staff.request("DELETE", "/api/media/" + urllib.parse.quote("обед.png"))  # as the page sends a name
        check(status == 200 and staff.get("/api/media")[1]["media"] == [], (status, body))
        check(any(a["what"] == "media add clip.mp4" for a in admin.get("/api/audit")[1]["audit"]), "upload not audited")
        print("media_api_test: all checks passed")
    except Exception:
        for name in ("hub", "web"):
            print(f"--- {name}.log\n{branch.log(name)[-4000:]}", file=sys.stderr)
        raise
    finally:
        branch.stop()


main()
