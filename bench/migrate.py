#!/usr/bin/env python3
"""Measures how well a real Zola, Hugo or Jekyll blog moves into Quire
(issue 15): posts served / posts in the source, former URLs answering 200
or one 301 / all former URLs, raw HTML elements served / in the source (per
element; removals `quire check` reports counted apart), warnings, errors
and ingest time. Standard library only.

    bench/migrate.sh ENGINE SOURCE_DIR [--binary PATH] [--json] [--markdown]
                     [--drafts] [--urls-out FILE] [--keep] [--name NAME]

ENGINE is zola, hugo or jekyll; SOURCE_DIR is the blog's repository
checkout. The former URLs are computed from the source with the engine's
own rules (bench/migrate_engines.py), never from Quire. See docs/MIGRATING.md.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from migrate_engines import scan  # noqa: E402
from migrate_html import QUIRE_ADDED, norm_title, served_article, source_tags  # noqa: E402
from migrate_static import StaticHost  # noqa: E402

DEFAULT_BINARY = "/work/main/dist/quire"
REMOVAL = re.compile(r"\b(removed|removes|sanitis\w*|sanitiz\w*|stripped|discarded)\b", re.I)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("engine", choices=["zola", "hugo", "jekyll"])
    p.add_argument("source", type=Path)
    p.add_argument("--binary", default=os.environ.get("QUIRE_BIN", DEFAULT_BINARY))
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--markdown", action="store_true",
                   help="print the docs/MIGRATING.md table row (blog, engine, commit, posts, former URLs, "
                        "old lists, old feeds, raw HTML, warnings, errors, ingest or export time)")
    p.add_argument("--drafts", action="store_true", help="count drafts as posts (and serve with --drafts)")
    p.add_argument("--urls-out", type=Path, help="write the expected former URLs here")
    p.add_argument("--config-out", type=Path, help="write the translated quire.toml here")
    p.add_argument("--plan", action="store_true", help="only write --urls-out and --config-out; run no Quire")
    p.add_argument("--keep", action="store_true", help="keep the temporary site")
    p.add_argument("--name", help="the blog's name in the table row (default: the directory name)")
    p.add_argument("--commit", help="the blog's commit in the table row (default: git rev-parse HEAD in SOURCE_DIR)")
    p.add_argument("--timeout", type=float, default=300, help="seconds for each step")
    p.add_argument("--host", choices=["serve", "static"], default="serve",
                   help="serve: `quire serve` answers; static: `quire export`, read as a host "
                        "with no redirect rules (GitHub Pages) serves it (bench/migrate_static.py)")
    return p.parse_args(argv)


# --- laying out the Quire site ---

def toml_value(value):
    return json.dumps(value, ensure_ascii=False)


def write_config(path, config):
    """quire.toml: plain keys, then one `[[permalinks]]` entry per section."""
    lines, tables = [], []
    for key, value in config.items():
        if key == "params":
            if value:
                tables.append("\n[params]")
                tables += [f"{toml_value(name)} = {toml_value(v)}" for name, v in sorted(value.items())]
        elif key == "languages":
            for code, table in value.items():
                tables.append(f"\n[languages.{code}]")
                tables += [f"{name} = {toml_value(v)}" for name, v in table.items()]
        elif isinstance(value, dict):
            for section, pattern in sorted(value.items()):
                tables += [f"\n[[{key}]]", f"section = {toml_value(section)}", f"pattern = {toml_value(pattern)}"]
        elif isinstance(value, list):
            lines.append(f"{key} = [{', '.join(toml_value(v) for v in value)}]")
        elif value not in ("", None):
            lines.append(f"{key} = {toml_value(value)}")
    path.write_text("\n".join(lines + tables) + "\n")


IFRAME_HOST = re.compile(r"""<iframe\b[^>]*\bsrc\s*=\s*["']?https://([^/"'\s>:]+)""", re.I)
IMAGE_HOST = re.compile(r"""(?:!\[[^\]]*\]\(\s*<?|<img\b[^>]*?\bsrc\s*=\s*["']?)(?:https?:)?//([A-Za-z0-9.-]+)""", re.I)


def embedded_hosts(site):
    """The hosts the old site embedded with <iframe>: what its owner allowed, so embed_hosts."""
    return sorted({h.lower() for item in site.items for h in IFRAME_HOST.findall(item.body)})


def image_hosts(site):
    """The hosts the old site showed images from: what its pages loaded, so image_hosts."""
    return sorted({h.lower() for item in site.items for h in IMAGE_HOST.findall(item.body)})


def lay_out(site, work):
    content = work / "content"
    content.mkdir(parents=True)
    for source, dest in site.copies:
        target = content / dest
        if source.is_dir():
            shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, target)
    static = work / "static"
    static.mkdir()
    for source, dest in site.statics:
        target = static / dest
        if source.is_dir():
            shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    # static/ beside content/ is the site's static folder without a setting.
    config = {"base_url": site.config.get("base_url", "").rstrip("/")}
    config.update({k: v for k, v in site.config.items() if k != "base_url"})
    hosts = embedded_hosts(site)
    if hosts:
        config["embed_hosts"] = hosts
    images = image_hosts(site)
    if images:
        config["image_hosts"] = images
    write_config(work / "quire.toml", config)
    return content


# --- quire check ---

def run_check(binary, work, timeout):
    """Runs `quire check`; a key quire.toml refuses is dropped (and reported) so the rest is measured."""
    dropped = []
    for _ in range(10):
        proc = subprocess.run([binary, "check", "--content", str(work / "content"), "--config", str(work / "quire.toml")],
                              capture_output=True, text=True, timeout=timeout, cwd=work)
        out = proc.stdout + proc.stderr
        m = re.search(r"unknown key `([^`]+)` in \S*quire\.toml", out)
        if proc.returncode == 2 and m and drop_key(work / "quire.toml", m.group(1)):
            dropped.append(m.group(1))
            continue
        break
    lines = out.splitlines()
    warnings = [l[len("warning: "):] for l in lines if l.startswith("warning: ")]
    errors = [l[len("error: "):] for l in lines if l.startswith("error: ")]
    if proc.returncode == 2:
        errors.append(out.strip())
    removals = [l[len("html: "):] for l in lines if l.startswith("html: ")]
    removals += [l for l in warnings + errors if REMOVAL.search(message_of(l))]
    errors += [f"quire.toml: unknown key `{k}` (dropped so the rest could be measured)" for k in dropped]
    return {"warnings": warnings, "errors": errors, "removals": removals, "dropped_keys": dropped,
            "exit": proc.returncode}


def message_of(line):
    """A check line's message: without its `file:line:` and its `(fix: …)`."""
    return re.sub(r"^\S+?:(\d+:)?\s", "", line).split("(fix:")[0]


def drop_key(path, key):
    top = key.split(".")[0]
    out, skipping, changed = [], False, False
    for line in path.read_text().splitlines():
        header = re.match(r"^\[([^\]]+)\]", line)
        if header:
            skipping = header.group(1).split(".")[0] == top
            changed |= skipping
        elif re.match(rf"^{re.escape(top)}\s*=", line):
            changed = True
            continue
        if not skipping:
            out.append(line)
    path.write_text("\n".join(out) + "\n")
    return changed


# --- quire serve ---

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, work, drafts, timeout):
        self.port = free_port()
        self.log = open(work / "serve.log", "w")
        cmd = [binary, "serve", "--content", str(work / "content"), "--data", str(work / "data"),
               "--config", str(work / "quire.toml"), "--addr", f"127.0.0.1:{self.port}"]
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd + (["--drafts"] if drafts else []), cwd=work,
                                     stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
        self.conn = None
        self.ingest_s = self.wait_ready(timeout)

    def wait_ready(self, timeout):
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.flush()
                tail = Path(self.log.name).read_text(errors="replace").splitlines()[-5:]
                raise RuntimeError(f"quire serve exited with {self.proc.returncode}:\n" + "\n".join(tail))
            try:
                if self.get("/")[0] == 200:
                    return time.monotonic() - self.started
            except OSError:
                self.conn = None
            time.sleep(0.02)
        raise RuntimeError(f"quire serve answered no 200 on / within {timeout:.0f} s")

    def get(self, path):
        """(status, location, body) without following redirects."""
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request("GET", path)
                resp = self.conn.getresponse()
                body = resp.read().decode("utf-8", "replace")
                if resp.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return resp.status, resp.getheader("location"), body
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def local_path(location):
    return re.sub(r"^[a-z]+://[^/]+", "", location or "") or "/"


def request_path(url):
    """The former URL as a request target (non-ASCII percent-encoded)."""
    return "".join(c if ord(c) < 128 and c != " " else "".join(f"%{b:02X}" for b in c.encode()) for c in url)


def check_url(server, url):
    """("200" | "301" | "chain" | "<status>", the page's body when it answered 200,
    where a 301 led)."""
    status, location, body = server.get(request_path(url))
    if status == 200:
        return "200", body, None
    if status not in (301, 308):
        return str(status), None, None
    status2, location2, body2 = server.get(local_path(location))
    if status2 == 200:
        return "301", body2, local_path(location)
    return ("chain" if status2 in (301, 302, 307, 308) else f"301→{status2}"), None, None


def only_the_slash(url, location):
    """Whether a 301 from `url` to `location` only adds or drops the trailing slash."""
    return location is not None and request_path(url).rstrip("/") == location.rstrip("/")


def served_articles(server):
    """Every article the sitemap lists: {normalised title: [(path, tag Counter)]}."""
    _, _, xml = server.get("/sitemap.xml")
    found = {}
    for loc in re.findall(r"<loc>([^<]+)</loc>", xml):
        path = local_path(loc.replace("&amp;", "&"))
        status, _, body = server.get(path)
        article = served_article(body) if status == 200 else None
        if article:
            found.setdefault(article[0], []).append((path, article[1]))
    return found


# --- measuring ---

def measure(site, server):
    articles = served_articles(server)
    urls = {"200": 0, "301": 0, "chain": 0, "404": 0, "other": 0, "all": 0,
            "published": 0, "primary": 0, "slash_moved": 0}
    failures, bodies = [], {}
    started = time.monotonic()
    for item in site.items:
        for n, url in enumerate([item.url] + item.aliases):
            result, body, location = check_url(server, url)
            article = served_article(body) if body else None
            if body and (not article or article[0] != norm_title(item.title)):
                result = f"{result}, another page"
            urls["all"] += 1
            key = result if result in urls else "other"
            urls[key] += 1
            if key not in ("200", "301"):
                failures.append(f"{result:>5} {url}  ({item.rel}{', alias' if n else ''})")
            elif n == 0:
                bodies[item.rel] = article
            if n == 0:
                urls["primary"] += 1
                urls["published"] += key == "200"
                urls["slash_moved"] += key == "301" and only_the_slash(url, location)
    serve_s = time.monotonic() - started
    return urls, failures, match_posts(site, articles, bodies), serve_s


def check_feeds(site, server):
    """The old feed addresses that answer a feed (200, or one 301 to one),
    and those that do not, with what they answered."""
    ok, failures = 0, []
    for url in site.feeds:
        status, location, body = server.get(request_path(url))
        if status in (301, 308):
            status, _, body = server.get(local_path(location))
        if status == 200 and re.search(r"<(feed|rss)\b", body or ""):
            ok += 1
        else:
            failures.append(f"{status} {url}")
    return ok, failures


def check_lists(site, server):
    """The old section and taxonomy pages that answer a page (200, or one
    301 to one), how many of them at their own address, and the others."""
    ok, itself, failures = 0, 0, []
    for url in site.lists:
        status, location, _ = server.get(request_path(url))
        first = status
        if status in (301, 308):
            status, _, _ = server.get(local_path(location))
        if status == 200:
            ok += 1
            itself += first == 200
        else:
            failures.append(f"{first}{'->' + str(status) if first != status else ''} {url}")
    return ok, itself, failures


def match_posts(site, articles, bodies):
    """Which source items are served (at their former URL, else by title) and their served tags."""
    pool = {title: list(found) for title, found in articles.items()}
    served = {}
    for item in site.items:
        title = norm_title(item.title)
        if item.rel in bodies:
            served[item.rel] = bodies[item.rel][1]
            if pool.get(title):
                pool[title].pop(0)
    for item in site.items:
        title = norm_title(item.title)
        if item.rel not in served and pool.get(title):
            served[item.rel] = pool[title].pop(0)[1]
    return served


def raw_html(site, served):
    source, kept = Counter(), Counter()
    for item in site.items:
        tags = source_tags(item.body)
        out = served.get(item.rel, Counter())
        for name, count in tags.items():
            if name in QUIRE_ADDED:
                continue
            source[name] += count
            kept[name] += min(count, out[name])
    return source, kept


REMOVED_ELEMENT = re.compile(r"raw HTML removed: `<([A-Za-z][A-Za-z0-9-]*)")


def removed_elements(removals):
    """Elements `quire check` reported removed (with their content), by name."""
    return Counter(m.group(1).lower() for line in removals for m in [REMOVED_ELEMENT.search(line)] if m)


def silently_lost(r):
    """Source elements neither served nor reported removed: content lost without a word."""
    removed = removed_elements(r["removals"])
    return sum(max(0, count - r["html_kept"].get(name, 0) - removed[name])
               for name, count in r["html_source"].items())


def pct(a, b):
    return 100.0 if b == 0 else 100.0 * a / b


def result_of(args, site, check, server, measured):
    urls, failures, served, serve_s = measured
    source, kept = raw_html(site, served)
    feeds_ok, feed_failures = check_feeds(site, server)
    lists_ok, lists_itself, list_failures = check_lists(site, server)
    posts = [i for i in site.items if i.kind == "post"]
    pages = [i for i in site.items if i.kind == "page"]
    return {
        "engine": site.engine, "source": str(args.source), "name": args.name or args.source.name,
        "commit": args.commit or git_head(args.source), "binary": args.binary, "host": args.host,
        "posts_source": len(posts), "posts_served": sum(i.rel in served for i in posts),
        "pages_source": len(pages), "pages_served": sum(i.rel in served for i in pages),
        "urls": urls, "urls_ok": urls["200"] + urls["301"], "failures": failures,
        "feeds": len(site.feeds), "feeds_ok": feeds_ok, "feed_failures": feed_failures,
        "lists": len(site.lists), "lists_ok": lists_ok, "lists_itself": lists_itself,
        "list_failures": list_failures,
        "html_source": dict(source), "html_kept": dict(kept),
        "html_source_total": sum(source.values()), "html_kept_total": sum(kept.values()),
        "removals": check["removals"], "warnings": check["warnings"], "errors": check["errors"],
        "dropped_keys": check["dropped_keys"], "ingest_s": round(server.ingest_s, 3),
        "serve_s": round(serve_s, 3), "templates": site.templates, "drafts": site.drafts,
        "unreadable": site.unreadable, "notes": site.notes,
    }


def git_head(path):
    try:
        return subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


# --- reporting ---

def summary(r):
    u = r["urls"]
    per_k = 1000.0 / max(r["posts_source"] + r["pages_source"], 1)
    lines = [
        f"migrate {r['engine']}: {r['name']} @ {r['commit'][:12]} (binary {r['binary']}; "
        + ("answered by quire serve)" if r["host"] == "serve"
           else "exported, read as a host with no redirect rules serves it: bench/migrate_static.py)"),
        f"posts served     {r['posts_served']} / {r['posts_source']}  ({pct(r['posts_served'], r['posts_source']):.1f} %)",
        f"standalone pages {r['pages_served']} / {r['pages_source']}",
        f"former URLs ok   {r['urls_ok']} / {u['all']}  ({pct(r['urls_ok'], u['all']):.1f} %; 200: {u['200']}, one 301: {u['301']}, "
        f"longer chains: {u['chain']}, 404: {u['404']}, other: {u['other']})",
        "                 (a 200 or 301 counts only when it ends on the post's own article)",
        f"as published     {u['published']} / {u['primary']}  (a post's own former address answers 200 itself, "
        f"so its canonical link and feed id stay as they were; moved for the trailing slash alone: {u['slash_moved']})",
        f"old feeds        {r['feeds_ok']} / {r['feeds']} answer a feed (200, or one 301 to Quire's)"
        + "".join(f"; {f}" for f in r["feed_failures"][:5]),
        f"old lists        {r['lists_ok']} / {r['lists']} answer a page (sections, tags, categories; "
        f"{r['lists_itself']} at their own address, the rest in one 301)"
        + "".join(f"; {f}" for f in r["list_failures"][:5]),
        f"raw HTML kept    {r['html_kept_total']} / {r['html_source_total']} elements  ({pct(r['html_kept_total'], r['html_source_total']):.1f} %); "
        f"removals reported by quire check: {len(r['removals'])}; "
        f"elements lost without a report: {silently_lost(r)}",
        f"warnings         {len(r['warnings'])}",
        f"errors           {len(r['errors'])}",
        f"{'pages served' if r['host'] == 'serve' else 'exported in':<16} {r['ingest_s']:.2f} s after start, every file ingested ({r['ingest_s'] * per_k:.2f} s per 1,000 files; target 2)",
        f"address walk     {u['all']} former addresses in {r['serve_s']:.2f} s from one client "
        f"({1000 * r['serve_s'] / max(u['all'], 1):.1f} ms each, redirect and article)",
    ]
    lines += html_table(r)
    lines += listing("not posts (no title): reported, not counted", r["templates"])
    lines += listing("drafts left out", r["drafts"]) + listing("unreadable front matter", r["unreadable"])
    lines += listing("quire.toml keys Quire refused (dropped to measure)", r["dropped_keys"])
    lines += listing("first warnings", r["warnings"]) + listing("first errors", r["errors"])
    lines += listing("first URL failures", r["failures"]) + listing("notes", r["notes"])
    return "\n".join(lines)


def html_table(r):
    rows = sorted(r["html_source"].items(), key=lambda kv: (-kv[1], kv[0]))
    if not rows:
        return []
    out = ["  element        source  served"]
    return out + [f"  {name:<14} {count:>6}  {r['html_kept'].get(name, 0):>6}" for name, count in rows]


def listing(title, items, limit=20):
    if not items:
        return []
    more = f" (first {limit} of {len(items)})" if len(items) > limit else f" ({len(items)})"
    return [f"{title}{more}:"] + [f"  {line[:300]}" for line in items[:limit]]


def markdown_row(r):
    u = r["urls"]
    return (f"| {r['name']} | {r['engine']} | `{r['commit'][:12]}` | {r['posts_served']} / {r['posts_source']} | "
            f"{r['urls_ok']} / {u['all']} ({u['published']} / {u['primary']} as published) | "
            f"{r['lists_ok']} / {r['lists']} | {r['feeds_ok']} / {r['feeds']} | "
            f"{r['html_kept_total']} / {r['html_source_total']} "
            f"({pct(r['html_kept_total'], r['html_source_total']):.1f} %) | {len(r['warnings'])} | "
            f"{len(r['errors'])} | {r['ingest_s']:.2f} s |")


def main(argv):
    args = parse_args(argv)
    # A SIGTERM (a timeout around this script) still stops the server and cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    site = scan(args.engine, args.source, args.drafts)
    if args.urls_out:
        args.urls_out.write_text("".join(f"{u}\n" for i in site.items for u in [i.url] + i.aliases))
    if args.plan:
        with tempfile.TemporaryDirectory(prefix="quire-migrate-") as work:
            lay_out(site, Path(work))
            if args.config_out:
                shutil.copy2(Path(work) / "quire.toml", args.config_out)
        return 0
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"migrate: no executable {args.binary}; pass --binary PATH")
    work = Path(tempfile.mkdtemp(prefix="quire-migrate-"))
    binary = work / "quire"
    shutil.copy2(args.binary, binary)  # a rebuild of the original cannot race this run
    server = None
    try:
        lay_out(site, work)
        if args.config_out:
            shutil.copy2(work / "quire.toml", args.config_out)
        check = run_check(str(binary), work, args.timeout)
        host = StaticHost if args.host == "static" else Server
        server = host(str(binary), work, args.drafts, args.timeout)
        result = result_of(args, site, check, server, measure(site, server))
    finally:
        if server:
            server.stop()
        if args.keep:
            print(f"migrate: the site is kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    try:
        print(json.dumps(result, indent=2) if args.json else markdown_row(result) if args.markdown else summary(result))
    except BrokenPipeError:  # `| head`
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
