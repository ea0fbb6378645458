"""A small Rust source reader shared by scripts/code-shape.py and
scripts/layers.py (stdlib only; not a parser).

`code_only(text)` blanks comments (line, nested block, doc), string
literals (plain, byte, C, raw with any number of #) and char literals,
keeping every newline and every column, so that what is left is code:
braces can be matched and paths searched with regular expressions, and an
offset still maps to the same line. A lifetime ('a) is code, not a char.
"""
import re

_CHAR = re.compile(r"'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,8}\}|.)|[^\\'\n])'")
_RAW = re.compile(r'(?:br|cr|r)(#*)"')
_IDENT = re.compile(r"[A-Za-z0-9_]")


def code_only(text):
    out = list(text)
    i, n = 0, len(text)

    def blank(start, end):
        for k in range(start, end):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif c == "/" and text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif c in "bcr" and (i == 0 or not _IDENT.match(text[i - 1])) and _RAW.match(text, i):
            m = _RAW.match(text, i)
            close = '"' + m.group(1)
            end = text.find(close, m.end())
            end = n if end < 0 else end + len(close)
            blank(m.end(), end - len(close))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, min(j, n))
            i = j + 1
        elif c == "'":
            m = _CHAR.match(text, i)
            if m:
                blank(i + 1, m.end() - 1)
                i = m.end()
            else:  # a lifetime or a label
                i += 1
        else:
            i += 1
    return "".join(out)


def line_starts(text):
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def line_of(starts, offset):
    """1-based line number of `offset`."""
    lo, hi = 0, len(starts)
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid
    return lo + 1


def matching_brace(code, open_at):
    """Offset of the brace closing the one at `open_at` (in code_only text)."""
    depth = 0
    for k in range(open_at, len(code)):
        if code[k] == "{":
            depth += 1
        elif code[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return len(code) - 1


_TEST_MOD = re.compile(r"#\s*\[\s*cfg\s*\(\s*test\s*\)\s*\]\s*(?:#\s*\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{")


def test_blocks(code):
    """(start, end) offsets of each `#[cfg(test)] mod name { ... }` block."""
    blocks = []
    for m in _TEST_MOD.finditer(code):
        if any(s <= m.start() <= e for s, e in blocks):
            continue
        blocks.append((m.start(), matching_brace(code, m.end() - 1)))
    return blocks
