#!/usr/bin/env python3
"""The shape of the code under src/: how long functions are, which files
are long. Test code does not count: `#[cfg(test)] mod ... { }` blocks and
test modules in files of their own (`tests.rs`, declared `#[cfg(test)] mod
tests;`) are left out (tests/ is not read at all).

    scripts/code-shape.py [--report] [SRC]     (default src/; `make shape`)

Prints the function length distribution (median, p90, max, the 10 longest
by file:line) and every file over 500 lines. Exits 1 if the p90 function is
over 30 lines or a file over 500 lines; --report only prints.

A function runs from the line of its `fn` to the line of its closing brace
(braces matched on the code alone: comments, strings, raw strings and char
literals are skipped); declarations without a body (`fn f();` in a trait)
are not functions here. A file's length is its lines outside test blocks,
comments and blank lines included. p90 is the nearest-rank percentile.
"""
import argparse
import math
import os
import re
import statistics
import sys

sys.dont_write_bytecode = True  # no __pycache__ in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rust_source import code_only, line_of, line_starts, matching_brace, test_blocks  # noqa: E402

MAX_P90 = 30
MAX_FILE_LINES = 500
_FN = re.compile(r"\bfn\s+(r#)?([A-Za-z_]\w*)")


def body_start(code, start):
    """Offset of the `{` opening the body of the fn at `start`, or None for `;`."""
    depth = 0  # () and []: `[u8; 4]` in a signature is not the end
    for k in range(start, len(code)):
        ch = code[k]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and ch == "{":
            return k
        elif depth == 0 and ch == ";":
            return None
    return None


def shape(path):
    text = open(path, encoding="utf-8").read()
    code = code_only(text)
    starts = line_starts(text)
    blocks = test_blocks(code)
    in_tests = lambda offset: any(s <= offset <= e for s, e in blocks)
    test_lines = sum(line_of(starts, e) - line_of(starts, s) + 1 for s, e in blocks)
    total = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    functions = []
    for m in _FN.finditer(code):
        if in_tests(m.start()):
            continue
        open_at = body_start(code, m.end())
        if open_at is None:
            continue
        first = line_of(starts, m.start())
        last = line_of(starts, matching_brace(code, open_at))
        functions.append((last - first + 1, path, first, m.group(2)))
    return total - test_lines, functions


def nearest_rank(sorted_values, p):
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", action="store_true", help="print only, never fail")
    parser.add_argument("src", nargs="?", default="src")
    args = parser.parse_args()
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(args.src) for f in fs
                   if f.endswith(".rs") and f != "tests.rs")
    if not files:
        sys.exit(f"code-shape: no .rs files under {args.src}")
    functions, long_files = [], []
    for path in files:
        lines, found = shape(path)
        functions += found
        if lines > MAX_FILE_LINES:
            long_files.append((lines, path))
    lengths = sorted(f[0] for f in functions)
    p90 = nearest_rank(lengths, 90)
    print(f"functions: {len(lengths)} in {len(files)} files under {args.src}/ (test modules left out)")
    print(f"  lines per function: median {statistics.median(lengths):g}, p90 {p90}, max {lengths[-1]}"
          f"  (limit: p90 <= {MAX_P90})")
    print("  longest:")
    for length, path, line, name in sorted(functions, key=lambda f: (-f[0], f[1], f[2]))[:10]:
        print(f"    {length:4d}  {path}:{line}  {name}")
    print(f"files over {MAX_FILE_LINES} lines (outside test modules): {len(long_files)}")
    for lines, path in sorted(long_files, reverse=True):
        print(f"  {lines:5d}  {path}")
    failures = []
    if p90 > MAX_P90:
        failures.append(f"p90 function length {p90} > {MAX_P90}")
    if long_files:
        failures.append(f"{len(long_files)} file(s) over {MAX_FILE_LINES} lines")
    if failures:
        print(("code-shape (report only): " if args.report else "code-shape: FAILED: ") + "; ".join(failures))
        return 0 if args.report else 1
    print("code-shape: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
