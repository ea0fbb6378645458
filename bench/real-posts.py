#!/usr/bin/env python3
"""Posts of real prose, for what generated posts hide: a real vocabulary.

bench/gen-posts.py writes posts from a few hundred words, so a search
index over them is small whatever the post count. Real posts use tens of
thousands of words, most of them rare. This script writes posts from the
Markdown files and doc comments (`//!`, `///`) of the crates in cargo's
registry, which every machine that builds Quire has: technical prose with
code, links, tables and raw HTML, as engineering blogs have.

Usage: bench/real-posts.py N CONTENT_DIR [REGISTRY_SRC]

N is a maximum: a registry holds as many texts as it holds. Each post is
one file's text (a README, a module's docs), with a title naming the crate
and file, a date, a category and the crate as its tag. The same registry
and N give the same posts.
"""

import os
import random
import re
import sys

MIN_MARKDOWN_WORDS = 200
MIN_DOC_WORDS = 300
CATEGORIES = ["Rust", "Systems", "Web", "Databases", "Tooling", "Async"]
DOC_COMMENT = re.compile(r"^\s*//[!/] ?(.*)$")


def texts(root):
    """(path, text) of every long enough Markdown file and module's docs."""
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            path = os.path.join(folder, name)
            text = text_of(path)
            if text:
                yield path, text


def text_of(path):
    """The prose of `path`, or None when it has too little."""
    try:
        with open(path, errors="ignore") as file:
            if path.endswith(".md"):
                text = file.read()
                return text if len(text.split()) > MIN_MARKDOWN_WORDS else None
            if path.endswith(".rs"):
                lines = (DOC_COMMENT.match(line) for line in file)
                text = "\n".join(m.group(1) for m in lines if m)
                return text if len(text.split()) > MIN_DOC_WORDS else None
    except OSError:
        return None
    return None


def post(i, crate, path, text):
    """Post `i`: front matter, then the text (shortcode openers spaced out,
    so a text about templates is not read as Quire's shortcodes)."""
    title = f"{crate}: {os.path.basename(path)}".replace('"', "")
    date = f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    tag = crate.split("-")[0].lower()
    body = text.replace("{{", "{ {").replace("{%", "{ %")
    return (
        f'---\ntitle: "{title}"\ndate: {date}\ncategory: {CATEGORIES[i % 6]}\n'
        f'tags: [{tag}]\ndescription: "Notes from {crate}"\n---\n\n{body}\n'
    )


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().split("\n\n")[2])
    count, out = int(sys.argv[1]), sys.argv[2]
    registry = os.path.expanduser("~/.cargo/registry/src")
    root = sys.argv[3] if len(sys.argv) == 4 else registry
    found = list(texts(root))
    random.Random(1).shuffle(found)
    os.makedirs(out, exist_ok=True)
    for i, (path, text) in enumerate(found[:count]):
        crate = os.path.relpath(path, root).split(os.sep)[1]
        with open(os.path.join(out, f"p{i:05d}.md"), "w") as file:
            file.write(post(i, crate, path, text))
    print(f"{min(count, len(found))} posts in {out} (of {len(found)} texts in {root})")


if __name__ == "__main__":
    main()
