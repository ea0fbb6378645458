#!/usr/bin/env python3
"""Replays the adversarial pass against a Quire binary on 127.0.0.1 only.

    scripts/adversary.py [BINARY]        (make adversary; default dist/quire)

Each attack runs against a fresh site in a temporary directory, bounded in
count and time, and prints one line: the attack, then PASS or FAIL with
what was seen. Exit status 1 when any attack fails. The shapes are the ones
docs/SECURITY.md lists (the hardening rounds), broken ones and held ones
alike; every one also has a test in tests/ (named in docs/SECURITY.md).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "dist/quire")
HOST = "127.0.0.1"
RESULTS = []


def post(title, date="2026-01-02", extra="", body=None):
    body = body if body is not None else f"Intro paragraph for {title}.\n\n## Section\n\nMore text.\n"
    return f'+++\ntitle = "{title}"\ndate = {date}\n{extra}+++\n\n{body}'


def write(root, name, text):
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Site:
    """A server on a fresh temporary content and data directory."""

    def __init__(self, files=None, wrapper=(), env=None, expect_start=True, args=()):
        self.dir = tempfile.mkdtemp(prefix="quire-adversary-")
        self.content = os.path.join(self.dir, "content")
        self.data = os.path.join(self.dir, "data")
        write(self.content, "first.md", post("First", extra='category = "Rust"\ntags = ["rustlang"]\n'))
        write(self.content, "second.md", post("Second", "2026-01-03"))
        if files:
            files(self)
        self.port = free_port()
        self.addr = f"{HOST}:{self.port}"
        self.log_path = os.path.join(self.dir, "quire.log")
        self.started = time.monotonic()
        cmd = list(wrapper) + [BIN, "serve", "--content", self.content, "--data", self.data,
                               "--addr", self.addr] + list(args)
        environ = dict(os.environ, RUST_LOG="info", **(env or {}))
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log, env=environ)
        self.serving = self.wait_serving(30) if expect_start else None

    def wait_serving(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if "Quire is serving" in self.text_log():
                return time.monotonic() - self.started
            if self.proc.poll() is not None:
                return None
            time.sleep(0.05)
        return None

    def text_log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def close(self):
        self.stop()
        self.log.close()
        subprocess.run(["chmod", "-R", "u+w", self.dir], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def exchange(addr, raw, timeout=20.0):
    """Sends raw bytes, reads to EOF; returns (status, head, body) or raises on timeout."""
    host, port = addr.split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        try:
            s.sendall(raw)
        except OSError:
            pass
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1]) if lines and lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = dechunk(body)
    return status, headers, body


def dechunk(raw):
    out = b""
    while raw:
        size_line, _, rest = raw.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        raw = rest[size + 2:]
    return out


def get(addr, path, headers=(), method="GET"):
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers)
    raw = f"{method} {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n{extra}\r\n".encode()
    return exchange(addr, raw)


def attack(name):
    """Decorator: runs the attack, records PASS or FAIL with the detail."""
    def wrap(fn):
        started = time.monotonic()
        try:
            detail = fn()
            verdict = "PASS"
        except AssertionError as err:
            verdict, detail = "FAIL", str(err)
        except Exception as err:  # a crash of the attack is a failure too
            verdict, detail = "FAIL", f"{type(err).__name__}: {err}"
        took = time.monotonic() - started
        line = f"{verdict}  {name:<58} {took:5.1f}s  {detail or ''}"
        print(line, flush=True)
        RESULTS.append(verdict)
        return fn
    return wrap


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def main():
    if not os.access(BIN, os.X_OK):
        sys.exit(f"adversary: no binary at {BIN}; run `make build` first or pass one")
    with Site() as site:
        held_shapes(site.addr)
        cache_attacks(site.addr)
    big_content_attacks()
    file_attacks()
    store_attacks()
    failed = RESULTS.count("FAIL")
    print(f"{len(RESULTS) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def held_shapes(addr):
    @attack("traversal: /blog/first/..%2f..%2f..%2fetc%2fpasswd")
    def _():
        for path in ["/blog/first/..%2f..%2f..%2fetc%2fpasswd", "/blog/..%2f..%2fetc/passwd",
                     "/assets/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd"]:
            status, _, body = get(addr, path)
            expect(status in (400, 404) and b"root:" not in body, f"{path}: {status}")
        return "400/404, no file"

    @attack("request smuggling: Content-Length with Transfer-Encoding")
    def _():
        raw = (b"POST /api/listing HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n")
        status, _, body = exchange(addr, raw)
        expect(status == 400 or b"smuggled" not in body, f"status {status}")
        return f"{status}"

    @attack("pipelining: two requests in one packet")
    def _():
        raw = b"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        host, port = addr.split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(raw)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        expect(data.count(b"HTTP/1.1 ") == 2, f"{data.count(b'HTTP/1.1 ')} answers")
        return "2 answers"

    @attack("100 KB header → 431")
    def _():
        status, _, _ = get(addr, "/", [("X-Big", "a" * 100_000)])
        expect(status == 431, f"status {status}")
        return "431"

    @attack("raw UTF-8 and odd escapes in the path: no panic, no 5xx")
    def _():
        seen = []
        for raw in (b"/blog/caf\xc3\xa9", b"/\xe6\x97\xa5\xe6\x9c\xac?tag=\xc3\xa9", b"/%+1/%zz/%", b"/%62log/first"):
            status, _, _ = exchange(addr, b"GET " + raw + b" HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            expect(0 < status < 500, f"{raw!r}: {status}")
            seen.append(str(status))
        return ", ".join(seen)

    @attack("TRACE → 405")
    def _():
        status, _, _ = get(addr, "/", method="TRACE")
        expect(status == 405, f"status {status}")
        return "405"

    @attack("slowloris: a head never finished is closed (10 s)")
    def _():
        host, port = addr.split(":")
        started = time.monotonic()
        with socket.create_connection((host, int(port)), timeout=15) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n")
            for _ in range(30):
                try:
                    s.sendall(b"X-a: b\r\n")
                except OSError:
                    break
                time.sleep(0.5)
                s.setblocking(False)
                try:
                    if s.recv(1) == b"":
                        break
                except BlockingIOError:
                    pass
                except OSError:
                    break
                finally:
                    s.setblocking(True)
        took = time.monotonic() - started
        expect(took < 14, f"still open after {took:.1f} s")
        return f"closed after {took:.1f} s"


POISON = [("/?%74ag=moved", "/"), ("/?tag%3Dx", "/"), ("/?a=1%26tag%3Dx", "/"),
          ("/page/2?%74ag=rust", "/page/2"), ("/search?%71=ADVERSARY-MARKER", "/search")]


def cache_attacks(addr):
    for bad, page in POISON:
        @attack(f"cache poisoning: {bad}")
        def _():
            get(addr, bad)
            status, _, body = get(addr, page)
            expect(status == 200, f"{page} answered {status}")
            expect(b"0 articles" not in body and b"ADVERSARY-MARKER" not in body, f"{page} poisoned")
            return f"{page} still 200 and clean"

    @attack("cache flood: 2,000 distinct 404s, then / is still a hit")
    def _():
        get(addr, "/")
        for i in range(2000):
            get(addr, f"/flood/{i}/" + "x" * 100)
        status, headers, _ = get(addr, "/")
        expect(status == 200 and headers.get("x-quire-cache") == "hit", f"/ {status} {headers.get('x-quire-cache')}")
        return "/ hit"

    @attack("cache flood: 500 case variants of one tag share an entry")
    def _():
        get(addr, "/?tag=rustlang")
        misses = 0
        for i in range(500):
            variant = "".join(c.upper() if (i >> n) & 1 else c for n, c in enumerate("rustlang"))
            _, headers, _ = get(addr, f"/?tag={variant}&junk={i}")
            misses += headers.get("x-quire-cache") != "hit"
        expect(misses == 0, f"{misses} misses")
        return "all hits"

    @attack("Range on a cached page: 200 from the cache")
    def _():
        get(addr, "/")
        status, headers, _ = get(addr, "/", [("Range", "bytes=0-10")])
        expect(status == 200 and headers.get("x-quire-cache") == "hit", f"{status} {headers.get('x-quire-cache')}")
        status, _, _ = get(addr, "/", [("Range", "bytes=junk")])
        expect(status == 200, f"invalid range: {status}")
        return "200 hit"

    @attack("chunked body over 64 KiB to /api/listing → 413")
    def _():
        raw = (b"POST /api/listing HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        raw += (b"a000\r\n" + b" " * 0xA000 + b"\r\n") * 2 + b"0\r\n\r\n"
        status, _, _ = exchange(addr, raw)
        expect(status == 413, f"status {status}")
        return "413"

    @attack("malformed chunk to /api/listing → 400")
    def _():
        raw = (b"POST /api/listing HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
        status, _, _ = exchange(addr, raw)
        expect(status == 400, f"status {status}")
        return "400"

    @attack("slow body to /api/listing → 408 (10 s)")
    def _():
        raw = (b"POST /api/listing HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
               b"Content-Length: 100\r\nConnection: close\r\n\r\n{\"page\":")
        status, _, _ = exchange(addr, raw, timeout=25)
        expect(status == 408, f"status {status}")
        return "408"

    @attack("60 KB address, ?tag= or ?q=: 414 before any rendering (16 KiB cap)")
    def _():
        long = "".join(f"w{n}-" for n in range(12000))[:60000]
        for path in (f"/{long}", f"/?tag={long}", f"/search?q={long}", f"/api/suggest?path={long}"):
            status, _, body = get(addr, path)
            expect(status == 414 and len(body) < 100, f"{path[:24]}…: {status}, {len(body)} B")
        return "414"

    @attack("4 KB 404 path and /api/suggest?path=<4 KB>: bounded time and size")
    def _():
        get(addr, "/warm-up-the-404-page")
        times, largest = [], 0
        for i in range(10):
            long = "".join(f"w{i}{n}-" for n in range(9000))[:4000]
            for path in (f"/{long}", f"/api/suggest?path={long}"):
                started = time.monotonic()
                _, _, body = get(addr, path)
                times.append(time.monotonic() - started)
                largest = max(largest, len(body))
        times.sort()
        median, slowest = times[len(times) // 2], times[-1]
        expect(median < 0.02 and slowest < 0.2 and largest < 64 * 1024,
               f"median {median * 1000:.1f} ms, slowest {slowest * 1000:.1f} ms, {largest} B")
        return f"median {median * 1000:.1f} ms, slowest {slowest * 1000:.1f} ms, largest {largest:,} B"


def big_content_attacks():
    def files(site):
        headings = "".join(f"## Heading number {i}\n\nText {i}.\n\n" for i in range(40000))
        write(site.content, "headings.md", post("Headings", body=headings))
        write(site.content, "one-line.md", post("One line", body="word " * 800000 + "\n"))

    with Site(files) as site:
        @attack("a post with 40,000 headings is served whole")
        def _():
            status, headers, body = get(site.addr, "/blog/headings")
            expect(status == 200 and int(headers.get("content-length", "0")) == len(body) > 0,
                   f"{status}, content-length {headers.get('content-length')}, {len(body)} bytes")
            expect(b"heading-number-39999" in body, "the last heading is missing")
            return f"200, {len(body):,} bytes"

        @attack("a 4 MB one-line post: feeds stay small and answer 200")
        def _():
            sizes = []
            for feed in ("/atom.xml", "/rss.xml", "/feed.json"):
                status, _, body = get(site.addr, feed)
                expect(status == 200 and len(body) < 512 * 1024, f"{feed}: {status}, {len(body):,} bytes")
                sizes.append(f"{feed} {len(body) // 1024} KB")
            return ", ".join(sizes)


def file_attacks():
    svg = '<svg xmlns="http://www.w3.org/2000/svg">' + '<rect width="1" height="1"/>' * 200 + "</svg>"

    def files(site):
        write(site.content, "big/index.md", post("Big"))
        with open(os.path.join(site.content, "big/data.zip"), "wb") as f:
            f.truncate(300 * 1024 * 1024)
        write(site.content, "big/figure.svg", svg)
        for copy in ("index.md~", "#index.md#", "index.md.bak", "index.MD", ".index.md.swp"):
            write(site.content, f"big/{copy}", post("Copy", body="SOURCE-COPY-MARKER\n"))
        write(site.content, "draft/index.md", post("Draft", extra="draft = true\n"))
        write(site.content, "draft/secret.txt", "DRAFT-MARKER")
        write(site.content, "big/nested/index.md", post("Nested", extra="draft = true\n"))
        write(site.content, "big/nested/secret.txt", "NESTED-MARKER")
        os.symlink("/", os.path.join(site.content, "root-link"))

    with Site(files) as site:
        addr = site.addr

        @attack("a symlink to / in content/: start-up bounded")
        def _():
            expect(site.serving is not None and site.serving < 10, f"serving after {site.serving}")
            return f"serving after {site.serving:.1f} s"

        @attack("8 clients that never read a 300 MB file: bounded memory")
        def _():
            before = site.rss_mb()
            host, port = addr.split(":")
            sockets = []
            for _ in range(8):
                s = socket.create_connection((host, int(port)), timeout=5)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.sendall(b"GET /blog/big/data.zip HTTP/1.1\r\nHost: a\r\n\r\n")
                sockets.append(s)
            time.sleep(3)
            grown = site.rss_mb() - before
            for s in sockets:
                s.close()
            expect(grown < 100, f"RSS grew {grown:.0f} MB")
            return f"RSS grew {grown:.1f} MB"

        @attack("Range on a file beside a post: 206 / 416")
        def _():
            status, headers, body = get(addr, "/blog/big/data.zip", [("Range", "bytes=0-99")])
            expect(status == 206 and len(body) == 100, f"{status}, {len(body)} bytes")
            status, headers, _ = get(addr, "/blog/big/data.zip", [("Range", "bytes=999999999999-")])
            expect(status == 416 and headers.get("content-range", "").startswith("bytes */"), f"{status}")
            return "206, 416"

        @attack("editor/backup copies of a source and hidden posts' files: 404")
        def _():
            leaked = []
            for name in ("index.md~", "%23index.md%23", "index.md.bak", "index.MD", ".index.md.swp", "index.md"):
                status, _, body = get(addr, f"/blog/big/{name}")
                if status != 404 or b"SOURCE-COPY-MARKER" in body:
                    leaked.append(f"{name}: {status}")
            for path in ("/blog/draft/secret.txt", "/blog/big/nested/secret.txt"):
                status, _, _ = get(addr, path)
                if status != 404:
                    leaked.append(f"{path}: {status}")
            expect(not leaked, ", ".join(leaked))
            return "all 404"

        @attack("HEAD with Accept-Encoding: br answers GET's headers")
        def _():
            hdrs = [("Accept-Encoding", "br, gzip")]
            _, get_headers, body = get(addr, "/blog/big/figure.svg", hdrs)
            _, head_headers, _ = get(addr, "/blog/big/figure.svg", hdrs, method="HEAD")
            keys = ("content-encoding", "content-length", "vary", "etag", "content-type")
            diff = [k for k in keys if get_headers.get(k) != head_headers.get(k)]
            expect(not diff, f"differ: {diff}")
            return f"same ({get_headers.get('content-encoding')}, {get_headers.get('content-length')} B)"

        @attack("a renamed post redirects from its old URL")
        def _():
            os.rename(os.path.join(site.content, "second.md"), os.path.join(site.content, "renamed.md"))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                status, headers, _ = get(addr, "/blog/second")
                if status == 301:
                    expect(headers.get("location", "").endswith("/blog/renamed"), headers.get("location"))
                    return "301 → /blog/renamed"
                time.sleep(0.2)
            raise AssertionError(f"/blog/second answered {status}")

        @attack("live ingest still works beside the / link")
        def _():
            write(site.content, "later.md", post("Later"))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if get(addr, "/blog/later")[0] == 200:
                    return "new post served"
                time.sleep(0.2)
            raise AssertionError("the new post never appeared")


def store_attacks():
    if os.geteuid() != 0:
        print("SKIP  disk full and read-only data directory: they mount a tmpfs (run as root)")
        return

    def tmpfs_data(site_dir):
        data = os.path.join(site_dir, "data")
        os.makedirs(data, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", data], check=True)
        return data

    holder = {}

    def files(site):
        holder["data"] = tmpfs_data(site.dir)

    with Site(files) as site:
        try:
            @attack("disk full while serving: last good site, health 503, recovery")
            def _():
                addr = site.addr
                get(addr, "/")
                filler = os.path.join(holder["data"], "filler")
                subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M", "count=64"],
                               stderr=subprocess.DEVNULL, check=False)
                write(site.content, "while-full.md", post("While full"))
                time.sleep(3)
                status, _, body = get(addr, "/")
                expect(status == 200 and b"could not be loaded" not in body, f"/ {status}")
                health, _, hbody = get(addr, "/healthz")
                expect(health == 503, f"/healthz {health} {hbody[:80]!r}")
                os.remove(filler)
                deadline = time.monotonic() + 15
                while time.monotonic() < deadline:
                    if get(addr, "/blog/while-full")[0] == 200 and get(addr, "/healthz")[0] == 200:
                        return "200 while full, /healthz 503, recovered without a restart"
                    time.sleep(0.3)
                raise AssertionError("did not recover within 15 s")
        finally:
            site.close()
            subprocess.run(["umount", "-l", holder["data"]], check=False)

    @attack("read-only data directory with a store: exit 2, nothing deleted")
    def _():
        with Site() as site:
            site.stop()
            store = os.path.join(site.data, "store")
            files_before = sorted(os.listdir(store))
            subprocess.run(["chmod", "-R", "a-w", site.data], check=True)
            run = subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search", BIN,
                                  "serve", "--content", site.content, "--data", site.data,
                                  "--addr", f"{HOST}:{free_port()}"],
                                 timeout=20, capture_output=True, text=True)
            files_after = sorted(os.listdir(store))
        expect(run.returncode == 2, f"exit {run.returncode}: {run.stderr[-200:]}")
        expect("read-only" in run.stderr, run.stderr[-200:])
        expect(files_before and files_before == files_after, "store files changed")
        return "exit 2, 'read-only', store intact"


if __name__ == "__main__":
    main()
