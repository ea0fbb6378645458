#!/usr/bin/env python3
"""Broken links of a site exported to files, as a reader on a static host meets them.

    bench/export-links.py SITE_DIR [--binary PATH] [--port N] [--list N]

SITE_DIR holds `content/` (and `static/`, `quire.toml` when it has them): a
site migrated with `bench/migrate.sh … --keep`, or any Quire site. The script
runs `quire export` into a fresh folder, serves it with Debian's nginx and
Quire's own `deploy/nginx-static.conf` on 127.0.0.1, and crawls it from `/`
as a browser reads links (relative ones resolved against the page, redirects
followed). It prints the pages and addresses crawled and each broken address,
then stops nginx. Outside CI: it measures real sites, which carry their own
broken links (the counts are what to compare between two binaries).
"""

import argparse
import html.parser
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = pathlib.Path(__file__).resolve().parent.parent


class Links(html.parser.HTMLParser):
    """Every href of a and link, src of media and scripts, srcset candidate."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name == "href" and tag in ("a", "link"):
                self.found.append(value)
            elif name == "src" and tag in ("img", "script", "source", "video", "audio"):
                self.found.append(value)
            elif name == "srcset":
                self.found += [c.strip().split(" ")[0] for c in value.split(",") if c.strip()]


def crawl(base, limit_seconds=900):
    """Pages crawled, addresses seen, and the broken ones by error."""
    seen, todo, broken, pages = set(), ["/"], {}, 0
    started = time.monotonic()
    while todo:
        if time.monotonic() - started > limit_seconds:
            sys.exit(f"export-links: the crawl took over {limit_seconds} s; stopped")
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        url = base + urllib.parse.quote(path, safe="/%?=&#:@+,;~!$'()*")
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                body, kind = answer.read(), answer.headers.get("content-type", "")
        except urllib.error.HTTPError as e:
            broken.setdefault(f"HTTP {e.code}", []).append(path)
            continue
        if "html" not in kind:
            continue
        pages += 1
        links = Links()
        links.feed(body.decode("utf-8", "replace"))
        here = base + urllib.parse.quote(path, safe="/%")
        for link in links.found:
            target = urllib.parse.urldefrag(urllib.parse.urljoin(here, link))[0]
            if target.startswith(base):
                todo.append(urllib.parse.unquote(target[len(base):]) or "/")
    return pages, len(seen), broken


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site")
    parser.add_argument("--binary", default=os.environ.get("QUIRE_BIN", str(REPO / "dist/quire")))
    parser.add_argument("--port", type=int, default=8391)
    parser.add_argument("--list", type=int, default=40, help="broken addresses listed")
    args = parser.parse_args()
    site = pathlib.Path(args.site).resolve()
    work = pathlib.Path(tempfile.mkdtemp(prefix="quire-export-links-"))
    out, data, ngx = work / "out", work / "data", work / "nginx"
    (ngx / "tmp").mkdir(parents=True)
    command = [args.binary, "export", str(out), "--content", "content", "--data", str(data)]
    done = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        sys.exit(f"export-links: quire export failed:\n{done.stderr[-2000:]}")
    print(done.stdout.strip().splitlines()[-1])
    conf = (REPO / "deploy/nginx-static.conf").read_text()
    conf = conf.replace("{{LISTEN}}", f"127.0.0.1:{args.port}").replace("{{ROOT}}", str(out))
    (ngx / "nginx.conf").write_text(conf.replace("{{PREFIX}}", str(ngx)))
    os.chmod(work, 0o755)
    os.chmod(ngx / "tmp", 0o777)
    nginx = ["nginx", "-p", str(ngx), "-c", str(ngx / "nginx.conf")]
    subprocess.run(nginx, check=True)
    try:
        time.sleep(0.5)
        pages, seen, broken = crawl(f"http://127.0.0.1:{args.port}")
    finally:
        subprocess.run(nginx + ["-s", "stop"], check=False)
    total = sum(len(paths) for paths in broken.values())
    print(f"pages {pages}, addresses {seen}, broken {total}")
    for error, paths in sorted(broken.items()):
        print(f"{error}: {len(paths)}")
        for path in sorted(paths)[: args.list]:
            print(f"   {path}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
