"""Counting raw HTML: start tags per element in a post's Markdown source
(outside code: fences, indented blocks, code spans, Liquid highlight blocks)
and in the article body Quire serves (only inside `div.post-body`, the
content element of src/web/views/article.rs), plus reading a served
article's title.
"""
import re
from collections import Counter
from html.parser import HTMLParser

TAG_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LIQUID_CODE = re.compile(r"{%-?\s*(highlight|raw|comment)\b.*?{%-?\s*end(highlight|raw|comment)\s*-?%}", re.S)
HUGO_CODE = re.compile(r"{{<\s*highlight\b.*?{{<\s*/highlight\s*>}}", re.S)
# A shortcode's own tag (`{{<relref community >}}`, no space after `{{<`),
# which an HTML parser would read as an element `<relref>`.
SHORTCODE_TAG = re.compile(r"{{[<%].*?[>%]}}", re.S)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = Counter()

    def handle_starttag(self, tag, attrs):
        if TAG_NAME.match(tag):
            self.tags[tag] += 1

    handle_startendtag = handle_starttag


def strip_code(markdown):
    """The Markdown with code blocks and code spans blanked out."""
    markdown = LIQUID_CODE.sub("", markdown)
    markdown = HUGO_CODE.sub("", markdown)
    markdown = SHORTCODE_TAG.sub("", markdown)
    out, fence, prev_blank, in_indented = [], None, True, False
    for line in markdown.splitlines():
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        indented = line.startswith(("    ", "\t")) and line.strip()
        if indented and (prev_blank or in_indented) and not line.lstrip().startswith("<"):
            in_indented = True
            continue
        in_indented = bool(indented) and in_indented
        prev_blank = not line.strip()
        out.append(line)
    # A code span ends at the next run of as many backticks, within its
    # paragraph (CommonMark); a run without one is text.
    paragraphs = re.split(r"(\n[ \t]*\n)", "\n".join(out))
    return "".join(without_code_spans(p) for p in paragraphs)


def without_code_spans(paragraph):
    """The paragraph with its code spans blanked out."""
    runs = list(re.finditer(r"`+", paragraph))
    kept, start, i = [], 0, 0
    while i < len(runs):
        close = next((j for j in range(i + 1, len(runs)) if len(runs[j].group()) == len(runs[i].group())), None)
        if close is None:
            i += 1
            continue
        kept.append(paragraph[start:runs[i].start()])
        start, i = runs[close].end(), close + 1
    kept.append(paragraph[start:])
    return "".join(kept)


def source_tags(markdown):
    parser = _Tags()
    parser.feed(strip_code(markdown))
    parser.close()
    return parser.tags


class _Article(HTMLParser):
    """The title (`h1` in `article.post`) and the tags inside `div.post-body`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.is_article = False
        self.title_parts = []
        self.in_h1 = False
        self.body_depth = 0
        self.tags = Counter()
        self.stack_div = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "post" in classes:
            self.is_article = True
        if tag == "h1" and self.is_article and not self.title_parts:
            self.in_h1 = True
        if self.body_depth:
            if TAG_NAME.match(tag):
                self.tags[tag] += 1
            if tag == "div":
                self.body_depth += 1
        elif tag == "div" and "post-body" in classes:
            self.body_depth = 1

    def handle_startendtag(self, tag, attrs):
        if self.body_depth and TAG_NAME.match(tag):
            self.tags[tag] += 1

    def handle_endtag(self, tag):
        if tag == "h1":
            self.in_h1 = False
        if tag == "div" and self.body_depth:
            self.body_depth -= 1

    def handle_data(self, data):
        if self.in_h1:
            self.title_parts.append(data)


def served_article(page):
    """(title, Counter of tags in the body), or None when `page` is no article."""
    parser = _Article()
    parser.feed(page)
    parser.close()
    if not parser.is_article:
        return None
    return norm_title("".join(parser.title_parts)), parser.tags


def norm_title(text):
    return " ".join(text.split()).casefold()


# Quire's own wrapper around code blocks (article.rs `with_copy_buttons`).
QUIRE_ADDED = {"button"}
