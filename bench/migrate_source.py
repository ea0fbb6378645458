"""Reading a blog's source the way its engine does: front matter (TOML,
YAML or JSON, with a small YAML subset reader because the measurement uses
the Python standard library only), titles, dates and drafts.

Used by bench/migrate.py and bench/migrate_engines.py; see docs/MIGRATING.md.
"""
import datetime as dt
import json
import re
import tomllib


# --- a YAML subset: block mappings and lists, flow lists, quoted scalars ---

def _strip_comment(line):
    out, quote = [], None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def _scalar(text):
    text = text.strip()
    if not text:
        return None
    if text[0] in "'\"" and text[-1] == text[0] and len(text) >= 2:
        inner = text[1:-1]
        return inner.replace("''", "'") if text[0] == "'" else _unescape(inner)
    if text[0] == "[" and text.endswith("]"):
        return [_scalar(p) for p in _split_flow(text[1:-1]) if p.strip()]
    if text[0] == "{" and text.endswith("}"):
        pairs = [p.split(":", 1) for p in _split_flow(text[1:-1]) if ":" in p]
        return {k.strip(): _scalar(v) for k, v in pairs}
    low = text.lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    if low in ("null", "~"):
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def _unescape(text):
    try:
        return json.loads('"' + text + '"')
    except ValueError:
        return text


def _split_flow(text):
    parts, depth, quote, cur = [], 0, None, []
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts


def _lines(text):
    rows = []
    for raw in text.splitlines():
        if raw.strip() in ("---", "...") and not raw.startswith(" "):
            continue
        line = _strip_comment(raw)
        if line.strip():
            rows.append((len(line) - len(line.lstrip(" ")), line.strip()))
    return rows


def yaml_load(text):
    """A mapping or list from a YAML document (the subset blogs use)."""
    rows = _lines(text)
    value, _ = _block(rows, 0, rows[0][0] if rows else 0)
    return value if value is not None else {}


def _block(rows, i, indent):
    if i >= len(rows):
        return None, i
    if rows[i][1].startswith("- ") or rows[i][1] == "-":
        return _list(rows, i, indent)
    return _mapping(rows, i, indent)


def _list(rows, i, indent):
    out = []
    while i < len(rows) and rows[i][0] == indent and (rows[i][1].startswith("- ") or rows[i][1] == "-"):
        rest = rows[i][1][1:].strip()
        if not rest:
            value, i = _block(rows, i + 1, rows[i + 1][0] if i + 1 < len(rows) else indent + 2)
            out.append(value)
        elif re.match(r"^[^'\"\[{][^:]*:(\s|$)", rest):
            inner = [(indent + 2, rest)]
            j = i + 1
            while j < len(rows) and rows[j][0] > indent:
                inner.append(rows[j])
                j += 1
            value, _ = _mapping(inner, 0, indent + 2)
            out.append(value)
            i = j
        else:
            out.append(_scalar(rest))
            i += 1
    return out, i


def _closed(text, quote=None):
    """Whether a quoted scalar that starts `text` (or, given `quote`, the
    line `text` that continues one) ends there."""
    if quote is None:
        quote, text = text[0], text[1:]
    text = text.replace("\\\\", "") if quote == '"' else text.replace("''", "")
    return text.rstrip().endswith(quote) and not (quote == '"' and text.rstrip().endswith('\\"'))


def _mapping(rows, i, indent):
    out = {}
    while i < len(rows) and rows[i][0] == indent:
        key, sep, rest = rows[i][1].partition(":")
        if not sep:
            i += 1
            continue
        key = key.strip().strip("'\"")
        rest = rest.strip()
        i += 1
        if rest in ("|", ">", "|-", ">-", "|+", ">+"):
            parts = []
            while i < len(rows) and rows[i][0] > indent:
                parts.append(rows[i][1])
                i += 1
            out[key] = ("\n" if rest[0] == "|" else " ").join(parts)
        elif rest and rest[0] in "'\"" and not _closed(rest):
            # A quoted scalar goes on until its closing quote, folded.
            more = []
            while i < len(rows) and not _closed(rows[i][1], rest[0]):
                more.append(rows[i][1])
                i += 1
            if i < len(rows):
                more.append(rows[i][1])
                i += 1
            out[key] = _scalar(" ".join([rest] + more))
        elif rest:
            # A plain scalar may go on over more indented lines, folded.
            more = []
            while (i < len(rows) and rows[i][0] > indent and rest[0] not in "'\"[{"
                   and not rows[i][1].startswith("- ")):
                more.append(rows[i][1])
                i += 1
            out[key] = _scalar(" ".join([rest] + more))
        elif i < len(rows) and (rows[i][0] > indent or (rows[i][0] == indent and rows[i][1].startswith("- "))):
            out[key], i = _block(rows, i, rows[i][0])
        else:
            out[key] = None
        while i < len(rows) and rows[i][0] > indent:
            i += 1
    return out, i


# --- front matter ---

def split_front_matter(text):
    """(format, front matter dict, body) or None when the file has none."""
    text = text.lstrip("\ufeff")
    # Zola and Hugo skip blank lines before the opening fence.
    text = re.sub(r"\A(?:[ \t]*\r?\n)+(?=\+\+\+|---)", "", text)
    for fence, fmt in (("+++", "toml"), ("---", "yaml")):
        first = text.split("\n", 1)[0].rstrip()
        if first != fence:
            continue
        start = text.index("\n") + 1 if "\n" in text else len(text)
        end = re.search(r"^" + re.escape(fence) + r"[ \t]*\r?$", text[start:], re.M)
        if not end:
            return None
        raw = text[start:start + end.start()]
        body = text[start + end.end():].lstrip("\r\n")
        return fmt, _parse(fmt, raw), body
    if text.startswith("{"):
        try:
            obj, end = json.JSONDecoder().raw_decode(text)
            return "json", obj, text[end:].lstrip("\r\n")
        except ValueError:
            return None
    return None


def _parse(fmt, raw):
    try:
        data = tomllib.loads(raw) if fmt == "toml" else yaml_load(raw)
    except (tomllib.TOMLDecodeError, IndexError, ValueError):
        return {"__unreadable__": True}
    return data if isinstance(data, dict) else {}


def read_text(path):
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def as_date(value):
    """A `datetime.date` from a front matter date (TOML date, string), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
        if m:
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError:
                return None
    return None


def date_from_name(name):
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})[-_]", name)
    if not m:
        return None, name
    try:
        return dt.date(*map(int, m.groups())), name[m.end():]
    except ValueError:
        return None, name


def as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def truthy(value):
    return value is True or (isinstance(value, str) and value.lower() == "true")
