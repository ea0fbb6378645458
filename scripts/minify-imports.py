#!/usr/bin/env python3
"""Shortens the names the wasm client imports from its JS glue.

wasm-bindgen names every import `__wbg_<method>_<16 hex digits>`
(`__wbg_scrollTo_8447b4fdf830d055`) from the module "./quire_bg.js"; the
names are written twice, in the wasm's import section and as keys of the
glue's imports object, and their hex digits do not compress: about 3 KB
brotli of the client (docs/BUDGETS.md). This renames each import to a short
identifier (`a`, `b`, … `aa`, …) and the module to "w", in both files, after
`dx build` and before the bundle is packed (`make build`). Nothing else in
either file changes: the wasm's other sections are copied byte for byte.

It refuses (exit 1, files untouched) unless every import is a function of
that one module and each name is a key exactly once in the JS (`name:`), so
a new dx or wasm-bindgen that lays the glue out differently fails the build
instead of shipping a client that cannot start.

usage: scripts/minify-imports.py PUBLIC_DIR
"""

import re
import string
import sys
from pathlib import Path

MODULE = "./quire_bg.js"
SHORT_MODULE = "w"
FIRST = string.ascii_letters
REST = string.ascii_letters + string.digits


class Refused(Exception):
    """The files are not laid out as this script expects."""


def leb(data: bytes, i: int) -> tuple[int, int]:
    """An unsigned LEB128 at `i`: its value and the offset after it."""
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def to_leb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def name_bytes(name: str) -> bytes:
    raw = name.encode()
    return to_leb(len(raw)) + raw


def short_names():
    """a … Z, then aa, ab … : identifiers no longer than they need to be."""
    yield from FIRST
    for first in FIRST:
        for second in REST:
            yield first + second


def sections(wasm: bytes):
    """(id, start of the section's header, start of its body, end) for each section."""
    if wasm[:8] != b"\0asm\x01\0\0\0":
        raise Refused("not a wasm module (version 1)")
    i = 8
    while i < len(wasm):
        header = i
        section_id = wasm[i]
        size, body = leb(wasm, i + 1)
        yield section_id, header, body, body + size
        i = body + size


def read_imports(wasm: bytes, body: int, end: int) -> list[tuple[str, str, int]]:
    """(module, name, type index) of each import; only function imports are accepted."""
    count, i = leb(wasm, body)
    imports = []
    for _ in range(count):
        length, i = leb(wasm, i)
        module = wasm[i : i + length].decode()
        i += length
        length, i = leb(wasm, i)
        name = wasm[i : i + length].decode()
        i += length
        kind = wasm[i]
        if kind != 0:
            raise Refused(f"import {module}.{name} is not a function (kind {kind})")
        type_index, i = leb(wasm, i + 1)
        imports.append((module, name, type_index))
    if i != end:
        raise Refused("the import section has bytes after its last import")
    return imports


def rename_in_js(js: str, renames: dict[str, str]) -> str:
    """Each old name must be an object key exactly once (`name:`); so must the module."""
    quoted = f'"{MODULE}":'
    if js.count(quoted) != 1:
        raise Refused(f"the JS names the module {MODULE} {js.count(quoted)} times, not once")
    js = js.replace(quoted, f'"{SHORT_MODULE}":')
    for old, new in renames.items():
        pattern = re.compile(r"(?<![\w$])" + re.escape(old) + r"(?![\w$])")
        found = list(pattern.finditer(js))
        if len(found) != 1 or js[found[0].end() : found[0].end() + 1] != ":":
            raise Refused(f"the JS does not have {old} exactly once as a key ({len(found)} times)")
        js = js[: found[0].start()] + new + js[found[0].end() :]
    return js


def minify(wasm: bytes, js: str) -> tuple[bytes, str, int]:
    """The renamed wasm and JS, and how many imports were renamed."""
    found = [s for s in sections(wasm) if s[0] == 2]
    if len(found) != 1:
        raise Refused("the wasm has no import section")
    _, header, body, end = found[0]
    imports = read_imports(wasm, body, end)
    modules = {module for module, _, _ in imports}
    if modules != {MODULE}:
        raise Refused(f"imports come from {sorted(modules)}, not only {MODULE}")
    renames = dict(zip((name for _, name, _ in imports), short_names()))
    section = to_leb(len(imports)) + b"".join(
        name_bytes(SHORT_MODULE) + name_bytes(renames[name]) + b"\0" + to_leb(type_index)
        for _, name, type_index in imports
    )
    new_wasm = wasm[:header] + b"\x02" + to_leb(len(section)) + section + wasm[end:]
    return new_wasm, rename_in_js(js, renames), len(renames)


def only(folder: Path, pattern: str) -> Path:
    matches = sorted(folder.glob(pattern))
    if len(matches) != 1:
        raise Refused(f"{folder}/{pattern}: {len(matches)} files, expected 1")
    return matches[0]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    assets = Path(sys.argv[1]) / "assets"
    try:
        wasm_path, js_path = only(assets, "*.wasm"), only(assets, "*.js")
        wasm, js = wasm_path.read_bytes(), js_path.read_text()
        new_wasm, new_js, count = minify(wasm, js)
    except Refused as e:
        print(f"minify-imports: {e}; run `make build` from a clean public dir", file=sys.stderr)
        return 1
    wasm_path.write_bytes(new_wasm)
    js_path.write_text(new_js)
    print(f"minify-imports: {count} imports renamed; wasm {len(wasm)} -> {len(new_wasm)} B, "
          f"JS {len(js.encode())} -> {len(new_js.encode())} B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
