"""Open live pages never starve the console: with as many live boards open (server-sent
events, each holding one of civetweb's threads) as tablo-web holds at once, calls, logins and
pages are still answered at once, and every open board shows the call; one page more gets the
board and "come back in 5 s" instead of a thread."""
import http.client
import time

from branch import Branch, Session

HELD = 96  # web/http.hpp: live_streams_at_most


def open_board(branch, session):
    connection = http.client.HTTPConnection("127.0.0.1", branch.port, timeout=30)
    connection.request("GET", "/api/events", headers={"Cookie": session.cookie})
    answer = connection.getresponse()
    assert answer.status == 200, answer.status
    return connection, answer


def until_board(answer, wanted=""):
    """The lines up to the first board event holding `wanted`."""
    lines = []
    deadline = time.time() + 30
    while time.time() < deadline:
        line = answer.fp.readline().decode()
        assert line, f"the stream ended: {lines}"
        lines.append(line)
        if line.startswith("data: ") and wanted in line:
            return lines
    raise AssertionError(f"no board with {wanted!r}: {lines}")


def main():
    branch = Branch()
    try:
        op = Session(branch, "op3")
        boards = [open_board(branch, op) for _ in range(HELD)]
        for _, answer in boards:
            assert not until_board(answer)[0].startswith("retry:")

        # Every thread a live page may hold is held: the rest of the console still answers at once.
        start = time.time()
        assert branch.get("/login.html")[0] == 200
        admin = Session(branch, "admin")
        status, body = op.post("/api/call", {"ticket": "А025"})
        assert status == 200, (status, body)
        assert admin.get("/api/board")[0] == 200
        took = time.time() - start
        assert took < 10, f"the console took {took:.1f} s to answer with {HELD} live pages open"
        for _, answer in boards:
            until_board(answer, "А025")

        # One page more: the board once, "come back in 5 s", and the stream ends.
        extra, answer = open_board(branch, op)
        lines = until_board(answer, "А025")
        assert lines[0] == "retry: 5000\n", lines
        answer.fp.readline()
        assert answer.fp.readline() == b"", "the crowded stream stayed open"
        answer.close()
        extra.close()
        assert "live pages open: more than the 96 held open at once" in branch.log("web")

        # Pages closed: their threads come back (a write to a closed page fails at the second beat,
        # within 10 s), and a new page is held again.
        for connection, answer in boards:
            answer.close()  # the response holds the socket too
            connection.close()
        deadline = time.time() + 30
        while True:
            connection, answer = open_board(branch, op)
            held = not until_board(answer)[0].startswith("retry:")
            answer.close()
            connection.close()
            if held:
                break
            assert time.time() < deadline, "closed pages never gave their threads back"
            time.sleep(1)
        print(f"streams_test: all checks passed ({HELD} live pages held; the console answered in {took:.2f} s)")
    finally:
        branch.stop()


main()
