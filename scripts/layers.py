#!/usr/bin/env python3
"""Checks that src/'s top-level modules only depend downwards.

    scripts/layers.py [SRC]        (default src/; `make layers`)

Layers, lowest first (a module may use its own layer and those below):

    background   a leaf utility: any layer may use it, it uses none
    model
    urls
    i18n
    content
    store
    search
    read
    api
    web
    server

Every file under src/ except main.rs and lib.rs is read for paths that
reach another top-level module: `crate::X...` (also `use crate::{X, Y::z}`)
and `super::` chains that climb out of the file's top-level module. Code in
`#[cfg(test)]` counts; comments (doc comments too) and strings do not.
Prints `file:line: <layer> imports <higher layer> (path)` for each path
into a higher layer, and exits 1 if there is any; a top-level module with
no layer here is an error too (add it to LAYERS).
"""
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rust_source import code_only, line_of, line_starts, matching_brace  # noqa: E402

LAYERS = ["background", "model", "urls", "i18n", "content", "store", "search", "read", "api", "web", "server"]
RANK = {name: i for i, name in enumerate(LAYERS)}
EXEMPT = {"main.rs", "lib.rs"}

_CRATE = re.compile(r"(?<![\w$:])crate\s*::\s*")
_SUPERS = re.compile(r"(?<![\w$:])((?:super\s*::\s*)+)")
_INLINE_MOD = re.compile(r"\bmod\s+(\w+)\s*\{")
_IDENT = re.compile(r"\s*(\w+)")


def module_path(rel):
    """src-relative file path -> its module path, e.g. server/cache/key.rs -> [server, cache, key]."""
    parts = rel[:-3].split(os.sep)
    if parts[-1] == "mod":
        parts.pop()
    return parts


def inline_modules(code):
    """(start, end, name) of each inline `mod name { }`."""
    return [(m.end() - 1, matching_brace(code, m.end() - 1), m.group(1)) for m in _INLINE_MOD.finditer(code)]


def group_heads(code, open_at):
    """The first segment of each item in a `{a, b::c, d::{e}}` use group."""
    close = matching_brace(code, open_at)
    inner, heads, depth, item = code[open_at + 1:close], [], 0, ""
    for ch in inner + ",":
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            m = _IDENT.match(item)
            if m:
                heads.append(m.group(1))
            item = ""
        else:
            item += ch
    return heads


def targets_after(code, at):
    """Top-level module names a path continues with at offset `at`: one, or a group's."""
    rest = code[at:]
    if rest.lstrip().startswith("{"):
        return [h for h in group_heads(code, at + len(rest) - len(rest.lstrip())) if h not in ("self", "super")]
    m = _IDENT.match(rest)
    return [m.group(1)] if m else []


def path_text(code, start):
    """The path as written from `start`: segments, then a `{...}` group or `*`."""
    end = re.compile(r"[\w:\s]*").match(code, start).end()
    if code[end:end + 1] == "{":
        end = matching_brace(code, end) + 1
    elif code[end:end + 1] == "*":
        end += 1
    return " ".join(code[start:end].split()).rstrip(":; ")[:100]


def check(src):
    violations, unknown = [], []
    for directory, _, names in os.walk(src):
        for name in sorted(names):
            path = os.path.join(directory, name)
            rel = os.path.relpath(path, src)
            if not name.endswith(".rs") or rel in EXEMPT:
                continue
            base = module_path(rel)
            layer = base[0]
            if layer not in RANK:
                unknown.append(f"{path}: top-level module `{layer}` has no layer in scripts/layers.py")
                continue
            text = open(path, encoding="utf-8").read()
            code = code_only(text)
            starts = line_starts(text)
            mods = inline_modules(code)
            found = []
            for m in _CRATE.finditer(code):
                found += [(m.start(), t) for t in targets_after(code, m.end())]
            for m in _SUPERS.finditer(code):
                ups = m.group(1).count("super")
                here = base + [n for s, e, n in mods if s < m.start() < e]
                if ups >= len(here):  # climbs to the crate root: the next segment is a top-level module
                    found += [(m.start(), t) for t in targets_after(code, m.end())]
            seen = set()
            for offset, target in found:
                line = line_of(starts, offset)
                if target in RANK and RANK[target] > RANK[layer] and (line, target) not in seen:
                    seen.add((line, target))
                    violations.append(f"{path}:{line}: {layer} imports {target} ({path_text(code, offset)})")
    return violations, unknown


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    if not os.path.isdir(src):
        sys.exit(f"layers: no directory {src}")
    violations, unknown = check(src)
    for line in unknown + violations:
        print(line)
    print(f"layers: {len(violations)} import(s) into a higher layer, {len(unknown)} module(s) without a layer"
          f" (order, lowest first: {' < '.join(LAYERS)})")
    return 1 if violations or unknown else 0


if __name__ == "__main__":
    sys.exit(main())
