#!/usr/bin/env python3
"""How long Quire takes to make every resized image copy of a site, and
what they weigh: WebP first, then AVIF (issue 15, item 7).

    bench/copies.py SITE_DIR [--binary PATH] [--settle S] [--timeout S]

SITE_DIR holds `content/` and optionally `quire.toml` (as bench/migrate.sh
--keep leaves it). The site is served from a fresh data directory on
127.0.0.1; the script watches `<data>/images/` and stops once as many AVIF
copies as WebP ones exist and none has appeared for `--settle` seconds,
or at `--timeout` (then it exits 1). It prints one Markdown table row.
Copies are made on one background thread, so the times are one core's.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def count(images: Path) -> dict:
    """Files and bytes per kind of copy made so far."""
    found = {"webp": [0, 0], "avif": [0, 0]}
    if images.is_dir():
        for entry in os.scandir(images):
            kind = entry.name.rsplit(".", 1)[-1]
            if kind in found:
                found[kind][0] += 1
                found[kind][1] += entry.stat().st_size
    return found


def served_at_avif(images: Path) -> int:
    """Bytes the AVIF addresses answer with: each the smaller of its two copies."""
    sizes: dict = {}
    for entry in os.scandir(images):
        stem, _, kind = entry.name.rpartition(".")
        sizes.setdefault(stem, {})[kind] = entry.stat().st_size
    return sum(min(pair.values()) for pair in sizes.values() if "avif" in pair and "webp" in pair)


def originals(content: Path) -> tuple[int, int]:
    """The raster images under content/ that copies can be made of."""
    files = [p for p in content.rglob("*") if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp")]
    return len(files), sum(p.stat().st_size for p in files)


def serve(binary: str, site: Path, data: Path) -> subprocess.Popen:
    cmd = [binary, "serve", "--content", str(site / "content"), "--data", str(data),
           "--addr", f"127.0.0.1:{free_port()}"]
    if (site / "quire.toml").is_file():
        cmd += ["--config", str(site / "quire.toml")]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def watch(images: Path, settle: float, timeout: float) -> tuple[dict, float, float, bool]:
    """Polls until every WebP copy has its AVIF twin and nothing changes."""
    start = time.monotonic()
    last, last_change, webp_done = None, start, None
    while time.monotonic() - start < timeout:
        now = count(images)
        if now != last:
            last, last_change = now, time.monotonic()
        if webp_done is None and now["avif"][0] > 0:
            webp_done = time.monotonic() - start
        settled = time.monotonic() - last_change >= settle
        if settled and now["webp"][0] > 0 and now["avif"][0] == now["webp"][0]:
            return now, webp_done or 0.0, last_change - start, True
        time.sleep(0.2)
    return last or count(images), webp_done or 0.0, time.monotonic() - start, False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--binary", default=os.environ.get("QUIRE_BIN", "dist/quire"))
    parser.add_argument("--settle", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    n_orig, orig_bytes = originals(args.site / "content")
    with tempfile.TemporaryDirectory(prefix="quire-copies-") as tmp:
        data = Path(tmp) / "data"
        proc = serve(args.binary, args.site, data)
        try:
            found, webp_s, all_s, done = watch(data / "images", args.settle, args.timeout)
            served = served_at_avif(data / "images") if done else 0
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    (n_webp, webp_b), (n_avif, avif_b) = found["webp"], found["avif"]
    print("| originals | bytes | WebP copies | bytes | AVIF copies | bytes | AVIF addresses serve | vs WebP | WebP done | all done |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    ratio = served / webp_b if webp_b else 0.0
    print(f"| {n_orig} | {orig_bytes / 1e6:.1f} MB | {n_webp} | {webp_b / 1e6:.1f} MB | {n_avif} | "
          f"{avif_b / 1e6:.1f} MB | {served / 1e6:.1f} MB | {ratio:.2f} | {webp_s:.0f} s | {all_s:.0f} s |")
    if not done:
        print(f"timed out after {args.timeout:.0f} s before every copy was made", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
