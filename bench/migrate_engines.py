"""The former addresses of a Zola, Hugo or Jekyll blog, computed from its
source with each engine's own documented URL rules (independently of
Quire), plus the quire.toml that translates the engine's URL settings and
the plan for copying its content into a Quire site.

Zola:   https://www.getzola.org/documentation/content/page/ (path, slug, aliases)
Hugo:   https://gohugo.io/content-management/urls/ (url, [permalinks], slug, aliases, uglyURLs)
Jekyll: https://jekyllrb.com/docs/permalinks/ (permalink, styles, :categories)
        and jekyll-redirect-from (redirect_from)
"""
import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from migrate_source import (as_date, as_list, date_from_name, read_text,
                            split_front_matter, truthy, yaml_load)

MARKDOWN = (".md", ".markdown", ".mdown", ".mkd")


@dataclass
class Item:
    kind: str          # "post" or "page"
    rel: str           # source path inside the repository
    title: str
    url: str           # the former primary address
    aliases: list
    body: str


@dataclass
class Site:
    engine: str
    items: list = field(default_factory=list)
    templates: list = field(default_factory=list)   # no title: not posts, reported
    drafts: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)
    copies: list = field(default_factory=list)      # (source dir or file, destination under content/)
    statics: list = field(default_factory=list)     # (source dir or file, destination under static/)
    config: dict = field(default_factory=dict)      # quire.toml
    notes: list = field(default_factory=list)
    feeds: list = field(default_factory=list)       # the feed addresses readers subscribed to
    lists: list = field(default_factory=list)       # section and taxonomy pages the old site published
    source_config: dict = field(default_factory=dict)  # the old engine's settings, as read


def add_lists(site, urls):
    """Adds list pages' addresses (sections, taxonomies and their terms), each once."""
    for url in urls:
        if url not in site.lists:
            site.lists.append(url)


# The taxonomies Quire has lists for (`/tags`, `/category`, `/authors`);
# another engine's own (jvns.ca's `juliasections`, Zola's docs'
# `theme-tags`) goes to quire.toml's `taxonomies`: its terms are tags, and
# its pages answer in one 301 (`/theme-tags/<t>/` → `/tags/<t>`).
KEPT_TAXONOMIES = ("tags", "categories", "authors")


def other_taxonomies(site, names):
    """Sets quire.toml's `taxonomies` to the old engine's `names` Quire has
    no lists of its own for."""
    others = sorted(set(names) - set(KEPT_TAXONOMIES))
    if others:
        site.config["taxonomies"] = others


def term_pages(taxonomy, terms, slug):
    """The pages of a taxonomy's `terms` (a list, or text split on spaces),
    as `slug` spells a term."""
    names = [str(t) for t in (terms if isinstance(terms, list) else str(terms or "").split()) if str(t).strip()]
    return [slash_path(f"/{taxonomy}/{slug(name)}/") for name in names]


def scalar_params(table, prefix="", depth=1):
    """The text, number and flag values of a settings table, as text: what
    the posts' `{{ site.x }}` or `{{< param "x" >}}` can stand for; those of
    a table inside under dotted names (Hugo's `param "grpc_vers.core"`)."""
    out = {}
    for key, value in (table or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            out[name] = str(value)
        elif isinstance(value, dict) and depth < 5:
            out.update(scalar_params(value, f"{name}.", depth + 1))
    return out


def ascii_slug(text):
    """Zola's default slugify (`slug` crate): ASCII, lower case, '-' between words."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def hugo_urlize(text, lower=True):
    """Hugo's urlize/MakePath: spaces to '-', keep letters, digits and ./_-+~."""
    out = []
    for ch in text.strip():
        if ch.isalnum() or ch in "./_-+~" or unicodedata.category(ch).startswith("M"):
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    path = "".join(out)
    return path.lower() if lower else path


def slash_path(path, trailing=True):
    path = "/" + path.strip().lstrip("/")
    if trailing and not path.endswith("/") and not re.search(r"\.(html?|xml|json|txt)$", path):
        path += "/"
    return re.sub(r"/{2,}", "/", path)


def _markdown_files(root):
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.suffix in MARKDOWN and p.is_file() and not p.is_symlink())


def _hugo_content_files(root):
    """Hugo's content files: Markdown, and HTML files that open with front
    matter (its content format `html`: letsencrypt.org's donate and
    statistics pages); an HTML file without front matter is a file."""
    if not root.is_dir():
        return []
    html = (p for p in root.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file()
            and not p.is_symlink() and split_front_matter(read_text(p)) is not None)
    return sorted(_markdown_files(root) + list(html))


def _read(site, path, repo, default_title=None):
    parsed = split_front_matter(read_text(path))
    rel = str(path.relative_to(repo))
    if parsed is None or parsed[1].get("__unreadable__"):
        site.unreadable.append(rel) if parsed else site.templates.append(rel)
        return None
    fm, body = parsed[1], parsed[2]
    if default_title and not str(fm.get("title") or "").strip():
        fm = {**fm, "title": default_title}
    if not str(fm.get("title") or "").strip():
        site.templates.append(rel)
        return None
    return rel, fm, body


# --- Zola ---

def scan_zola(repo, drafts=False):
    site = Site("zola")
    cfg = tomllib.loads(read_text(repo / "config.toml") or read_text(repo / "zola.toml") or "")
    content = repo / "content"
    site.copies.append((content, "."))
    site.statics.append((repo / "static", "."))
    # Zola's addresses all end in `/` (`path = "x"` is `/x/`).
    site.config = {"base_url": cfg.get("base_url", ""), "trailing_slash": True, "permalink": "/{slug}/",
                   "permalinks": {}}
    names = zola_feed_names(cfg)
    # The site's feed by config.toml, a section's by its `_index.md`.
    site.feeds = [f"/{name}" for name in names] if zola_feeds_on(cfg) else []
    for path in _markdown_files(content):
        rel_dir = path.parent.relative_to(content)
        if path.name == "_index.md":
            section = split_front_matter(read_text(path))
            if str(rel_dir) != ".":
                site.config["permalinks"][str(rel_dir)] = slash_path(f"{rel_dir}/{{slug}}/")
                if not (section and section[1].get("render") is False):
                    add_lists(site, [slash_path(f"/{rel_dir}/")])
            if section and zola_feeds_on(section[1]) and str(rel_dir) != ".":
                site.feeds += [f"/{rel_dir}/{name}" for name in names]
            continue
        got = _read(site, path, repo)
        if not got:
            continue
        rel, fm, body = got
        if truthy(fm.get("draft")) and not drafts:
            site.drafts.append(rel)
            continue
        if fm.get("render") is False:
            # Zola reads it and publishes no page for it: no address to keep.
            site.notes.append(f"{rel}: render = false, Zola published no page for it")
            continue
        site.items.append(Item("post", rel, str(fm["title"]), zola_url(content, path, fm),
                               [slash_path(a) for a in as_list(fm.get("aliases"))], body))
        taxonomies = fm.get("taxonomies") if isinstance(fm.get("taxonomies"), dict) else {}
        for name in zola_taxonomies(site, cfg):
            if taxonomies.get(name):
                add_lists(site, [f"/{name}/"] + term_pages(name, taxonomies[name], ascii_slug))
    return site


def zola_taxonomies(site, cfg):
    """The taxonomies config.toml declares (the others in quire.toml's
    `taxonomies`)."""
    listed = cfg.get("taxonomies") if isinstance(cfg.get("taxonomies"), list) else []
    declared = [str(t.get("name")) for t in listed if isinstance(t, dict)]
    other_taxonomies(site, declared)
    return declared


def zola_feed_names(cfg):
    """The feed files Zola writes (`feed_filenames`, or the older
    `feed_filename`; `atom.xml` by default), the XML ones: those are feeds."""
    names = cfg.get("feed_filenames") or [cfg.get("feed_filename") or "atom.xml"]
    return [name for name in as_list(names) if str(name).endswith(".xml")]


def zola_feeds_on(fm):
    return truthy(fm.get("generate_feeds")) or truthy(fm.get("generate_feed"))


def zola_url(content, path, fm):
    if fm.get("path"):
        return slash_path(str(fm["path"]))
    section = path.parent.relative_to(content)
    if path.stem == "index":
        section, stem = section.parent, path.parent.name
    else:
        stem = path.stem
    _, stem = date_from_name(stem)
    slug = ascii_slug(str(fm.get("slug") or stem))
    prefix = "" if str(section) == "." else str(section)
    return slash_path(f"{prefix}/{slug}")


# --- Hugo ---

HUGO_CONFIG_NAMES = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml", "config.yml")


def _config_file(path):
    text = read_text(path)
    if not text:
        return None
    return tomllib.loads(text) if path.suffix == ".toml" else (yaml_load(text) or {})


def hugo_config(repo):
    """The site's settings: a file at the root, else Hugo's configuration
    folder (`config/_default/hugo.toml`, and one file per key beside it:
    `permalinks.toml`, `languages.ca.toml` for `[languages.ca]`)."""
    for name in HUGO_CONFIG_NAMES:
        cfg = _config_file(repo / name)
        if cfg is not None:
            return cfg
    folder = repo / "config" / "_default"
    cfg = {}
    for name in HUGO_CONFIG_NAMES:
        cfg = _config_file(folder / name) or cfg
        if cfg:
            break
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.name in HUGO_CONFIG_NAMES or path.suffix not in (".toml", ".yaml", ".yml"):
            continue
        key, _, lang = path.stem.partition(".")
        value = _config_file(path) or {}
        if not lang:
            cfg[key] = value
        elif key == "languages":
            cfg.setdefault("languages", {})[lang] = value
    return cfg


def hugo_mount(cfg, target, default):
    """The folder Hugo's `module.mounts` puts at `target` (the Bootstrap
    blog's `src/content` → `content`), else `default`."""
    for mount in (cfg.get("module") or {}).get("mounts") or []:
        if isinstance(mount, dict) and str(mount.get("target", "")).strip("/") == target:
            return str(mount.get("source", default))
    return str(default)


def hugo_languages(repo, cfg):
    """(code, content folder, address prefix) for each language whose files
    are in a folder of its own (`contentDir`), the default's first; empty
    when the site keeps one content folder."""
    default = str(cfg.get("defaultcontentlanguage", "en")).lower()
    in_subdir = truthy(cfg.get("defaultcontentlanguageinsubdir"))
    found = []
    for code, table in (cfg.get("languages") or {}).items():
        table = {k.lower(): v for k, v in (table or {}).items()}
        if table.get("contentdir"):
            code = str(code).lower()
            prefix = "" if code == default and not in_subdir else f"/{code}"
            found.append((code, repo / str(table["contentdir"]), prefix, table))
    return sorted(found, key=lambda lang: lang[0] != default)


def scan_hugo(repo, drafts=False):
    site = Site("hugo")
    cfg = {k.lower(): v for k, v in hugo_config(repo).items()}
    content = repo / hugo_mount(cfg, "content", cfg.get("contentdir", "content"))
    site.copies.append((content, "."))
    site.statics.append((repo / hugo_mount(cfg, "static", cfg.get("staticdir", "static")), "."))
    permalinks = hugo_permalinks(cfg.get("permalinks") or {})
    ugly, lower = truthy(cfg.get("uglyurls")), not truthy(cfg.get("disablepathtolower"))
    unsafe = (((cfg.get("markup") or {}).get("goldmark") or {}).get("renderer") or {}).get("unsafe")
    if not unsafe:
        site.notes.append("hugo: markup.goldmark.renderer.unsafe is off, so the old site omitted raw HTML; Quire is measured with its default, raw_html = 'sanitize'")
    # Hugo's addresses end in `/` unless `uglyURLs` (`url = "/x"` is `/x/`).
    site.source_config = cfg
    # A section's pages without a pattern of their own are at their path,
    # file name as Hugo spells it (`docs/languages/cpp/best_practices.md`
    # is `/docs/languages/cpp/best_practices/`), nested folders too.
    site.config = {"base_url": cfg.get("baseurl", ""), "trailing_slash": not ugly, "permalink": "/{slug}/",
                   "section_permalink": hugo_to_quire("/:sections/:filename/", ugly),
                   "permalinks": {}, "params": scalar_params(cfg.get("params"))}
    other_taxonomies(site, [str(t) for t in (cfg.get("taxonomies") or {}).values()])
    languages = [lang for lang in hugo_languages(repo, cfg) if lang[1].is_relative_to(content)]
    if languages:
        hugo_language_settings(site, cfg, content, languages)
    every_own = len(languages) == len(cfg.get("languages") or {})
    if languages and every_own and all(root != content for _, root, _, _ in languages):
        # Each language in a `contentDir` of its own: Hugo reads those
        # folders only (letsencrypt.org's `content/fa/`, a language it does
        # not configure, and `content/base-l10n/` are never published).
        site.copies = [(root, str(root.relative_to(content))) for _, root, _, _ in languages]
    for _, root, prefix, _ in languages or [("", content, "", {})]:
        hugo_pages(site, repo, root, prefix, (permalinks, ugly, lower), drafts)
    if "page" in permalinks:
        site.config["permalink"] = hugo_to_quire(permalinks["page"], ugly)
    # Hugo writes an RSS feed for the home page (each language's) and every
    # section; those of sections with dated posts are what readers follow
    # (hugo_pages), a section of undated pages has no feed in Quire.
    homes = [prefix for _, _, prefix, _ in languages] or [""]
    site.feeds = [f"{prefix}/index.xml" for prefix in homes] + site.feeds
    return site


def hugo_list_pages(site, fm, section, prefix, lower):
    """The section and taxonomy pages Hugo published that list this page:
    its section's (`/blog/`), and each of its tags' and categories'
    (`/tags/`, `/tags/<urlize(term)>/`), unless `disableKinds` drops them
    (taxonomy pages as a whole: `taxonomy`, or older Hugo's `taxonomyTerm`;
    the terms' pages: `term`)."""
    cfg = site.source_config
    disabled = {str(k).lower() for k in as_list(cfg.get("disablekinds"))}
    pages = [f"{prefix}/{section}/"] if section and "section" not in disabled else []
    if {"taxonomy", "taxonomyterm"} & disabled:
        return pages
    taxonomies = cfg.get("taxonomies") or {"tag": "tags", "category": "categories"}
    for plural in taxonomies.values():
        if fm.get(plural) and "term" not in disabled:
            pages += [f"{prefix}/{plural}/"]
            pages += [prefix + p for p in term_pages(plural, fm[plural], lambda t: hugo_urlize(t, lower))]
    return [slash_path(p) for p in pages]


def hugo_permalinks(table):
    """Each section's pattern: `[permalinks] blog = "…"`, or Hugo 0.112's
    form by page kind, `[permalinks.page] blog = "…"` (linkerd.io), whose
    patterns for pages are the ones a post's address follows."""
    flat = {k: v for k, v in table.items() if isinstance(v, str)}
    pages = table.get("page") if isinstance(table.get("page"), dict) else {}
    return {**flat, **{k: v for k, v in pages.items() if isinstance(v, str)}}


def hugo_language_settings(site, cfg, content, languages):
    """quire.toml's `language`, `language_folder` and `[languages.xx]`."""
    (default, folder, _, _), others = languages[0], languages[1:]
    site.config["language"] = default
    if folder != content:
        # A site of one language whose `contentDir` is `content/en` (etcd):
        # its folder is copied as the whole of content/.
        site.config["language_folder"] = str(folder.relative_to(content))
    site.config["languages"] = {}
    for code, root, _, table in others:
        entry = {"folder": str(root.relative_to(content))}
        for theirs, ours in (("languagename", "name"), ("label", "name"), ("title", "title")):
            if table.get(theirs):
                entry[ours] = str(table[theirs])
        site.config["languages"][code] = entry


def hugo_pages(site, repo, content, prefix, rules, drafts):
    permalinks, ugly, lower = rules
    for path in _hugo_content_files(content):
        section = path.relative_to(content).parts[0] if len(path.relative_to(content).parts) > 1 else ""
        if path.name == "_index.md" or path.name.startswith("_index."):
            continue
        pattern = permalinks.get(section or "page")
        if section and pattern:
            site.config["permalinks"][section] = hugo_to_quire(pattern, ugly)
        folders = quire_section(content, path)
        if pattern and folders != section:
            # Folders under a Hugo section without their own `_index.md`
            # (the Bootstrap blog's `posts/2012/`) are in its section, and
            # have its pattern; in Quire each folder is a section.
            site.config["permalinks"][folders] = hugo_to_quire(pattern, ugly)
        got = _read(site, path, repo)
        if not got:
            continue
        rel, fm, body = got
        if (truthy(fm.get("draft")) and not drafts) or hugo_unrendered(fm):
            site.drafts.append(rel)
            continue
        feed = f"{prefix}/{section}/index.xml"
        dated = fm.get("date") or fm.get("publishdate")
        if section and dated and feed not in site.feeds:
            site.feeds.append(feed)
        url = hugo_url(content, path, fm, pattern, ugly, lower)
        if prefix and not fm.get("url"):
            url = prefix + url
        add_lists(site, hugo_list_pages(site, fm, section, prefix, lower))
        base = url.rsplit("/", 2)[0] if url.endswith("/") else url.rsplit("/", 1)[0]
        # Relative aliases sit beside the page; Hugo writes `<alias>/index.html` unless it ends in .html.
        aliases = [slash_path(a if a.startswith("/") else f"{base}/{a}") for a in as_list(fm.get("aliases"))]
        site.items.append(Item("post", rel, str(fm["title"]), url, aliases, body))


def hugo_unrendered(fm):
    """Whether Hugo writes no page for it: `build` (or `_build`) says
    `render: never`, `link` or false, or the bundle is `headless`."""
    build = fm.get("build") or fm.get("_build") or {}
    render = build.get("render") if isinstance(build, dict) else None
    return render is False or str(render).lower() in ("never", "link", "false") or fm.get("headless") is True


def quire_section(content, path):
    """The section Quire gives the file: every folder above it (above its
    folder, for a bundle's `index.md`)."""
    folder = path.parent.relative_to(content)
    if path.stem == "index":
        folder = folder.parent
    return "" if str(folder) == "." else str(folder)


def hugo_url(content, path, fm, pattern, ugly, lower):
    if fm.get("url"):
        return slash_path(str(fm["url"]), trailing=not ugly)
    rel = path.relative_to(content)
    filename = rel.parent.name if path.stem == "index" else path.stem
    parent = rel.parent.parent if path.stem == "index" else rel.parent
    title = hugo_urlize(str(fm["title"]), lower)
    slug = hugo_urlize(str(fm["slug"]), lower) if fm.get("slug") else None
    if not pattern:
        url = f"/{parent}/{slug or hugo_urlize(filename, lower)}".replace("/./", "/")
    else:
        date = as_date(fm.get("date")) or as_date(fm.get("publishdate"))
        values = {"year": f"{date:%Y}" if date else "", "month": f"{date:%m}" if date else "",
                  "day": f"{date:%d}" if date else "", "title": title, "slug": slug or title,
                  "filename": filename, "slugorfilename": slug or filename,
                  "section": rel.parts[0] if len(rel.parts) > 1 else "",
                  "sections": "/".join(parent.parts), "contentbasename": filename}
        url = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
    url = url.lower() if lower else url
    if ugly and not url.endswith(".html"):
        return slash_path(url.rstrip("/") + ".html", trailing=False)
    return slash_path(url)


def hugo_to_quire(pattern, ugly=False):
    # Hugo's `:title` is the title, `:slug` the `slug` else the title; its
    # file-name placeholders are Quire's `{file}` (the file name as Hugo
    # spells it: `k8s_external`).
    names = {"year": "{year}", "month": "{month}", "day": "{day}", "title": "{title}", "slug": "{slug_or_title}",
             "filename": "{file}", "slugorfilename": "{file}", "section": "{section}",
             "sections": "{section}", "contentbasename": "{file}"}
    out = "/" + re.sub(r":(\w+)", lambda m: names.get(m.group(1), m.group(0)), pattern).lstrip("/")
    return out.rstrip("/") + ".html" if ugly else out


# --- Jekyll ---

JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
SKIPPED_PAGES = {"readme", "license", "contributing", "changelog", "code_of_conduct", "security"}


def jekyll_permalink(cfg, kind):
    pattern = cfg.get("permalink") or "date"
    # `collections: posts: permalink:` sets the posts' own (jekyllrb.com's
    # `/news/:year/:month/:day/:title/`); front matter defaults still win.
    collections = cfg.get("collections")
    collection = collections.get(kind) if isinstance(collections, dict) else None
    if isinstance(collection, dict) and collection.get("permalink"):
        pattern = collection["permalink"]
    for entry in cfg.get("defaults") or []:
        scope = (entry or {}).get("scope") or {}
        values = (entry or {}).get("values") or {}
        wanted = {"posts": ("posts",), "pages": ("pages",)}[kind]
        if values.get("permalink") and (scope.get("type") in wanted or (kind == "posts" and str(scope.get("path", "")).strip("/") == "_posts")):
            pattern = values["permalink"]
    return JEKYLL_STYLES.get(pattern, pattern)


# Settings of Jekyll itself, not values a post shows.
JEKYLL_ENGINE_KEYS = {"permalink", "timezone", "url", "baseurl", "markdown", "highlighter", "encoding", "source",
                      "destination", "future", "paginate", "paginate_path", "excerpt_separator", "lsi", "safe",
                      "incremental", "port", "host", "show_drafts", "limit_posts", "theme", "remote_theme",
                      "collections_dir", "plugins_dir", "layouts_dir", "data_dir", "includes_dir",
                      # Tables of the engine's and its plugins' settings, not the posts' values.
                      "collections", "defaults", "kramdown", "sass", "feed", "jekyll-archives",
                      "pagination", "autopages", "jekyll_compose", "liquid", "webrick", "exclude", "include"}


def scan_jekyll(repo, drafts=False):
    site = Site("jekyll")
    cfg = yaml_load(read_text(repo / "_config.yml")) or {}
    excluded = set(as_list(cfg.get("exclude")))
    post_pattern = jekyll_permalink(cfg, "posts")
    # `_posts/` is not a section in Quire: its posts are at the top of content/.
    site.config = {"base_url": (str(cfg.get("url") or "") + str(cfg.get("baseurl") or "")).rstrip("/"),
                   "permalink": jekyll_to_quire(post_pattern), "permalinks": {},
                   "params": scalar_params({k: v for k, v in cfg.items() if k not in JEKYLL_ENGINE_KEYS})}
    site.statics += jekyll_static_files(repo, excluded)
    for folder in jekyll_post_folders(repo, excluded):
        above = list(folder.relative_to(repo).parts[:-1])
        site.copies.append((folder, str(folder.relative_to(repo))))
        if above:
            # Quire's section is the folders above `_posts/`; Jekyll made
            # them the first categories, which `:categories` writes as they are.
            site.config["permalinks"]["/".join(above)] = jekyll_to_quire(jekyll_folder_pattern(post_pattern, above))
        jekyll_posts(site, repo, folder, cfg, post_pattern, above, drafts)
    for path in sorted(repo.glob("*")):
        if path.suffix not in MARKDOWN or path.name in excluded or path.stem.lower() in SKIPPED_PAGES:
            continue
        site.copies.append((path, path.name))
        if path.stem == "index":
            # The home page: a Liquid template of the index, which Quire
            # makes itself (reported as "not a post"), so not counted.
            site.templates.append(path.name)
            continue
        got = _read(site, path, repo)
        if got:
            rel, fm, body = got
            url = slash_path(fm["permalink"]) if fm.get("permalink") else f"/{path.stem}.html"
            site.items.append(Item("page", rel, str(fm["title"]), url, jekyll_redirects(fm), body))
    jekyll_collection_pages(site, repo, cfg)
    posts = sum(1 for item in site.items if item.kind == "post")
    add_lists(site, jekyll_paginated(cfg, posts))
    if "jekyll-feed" in as_list(cfg.get("plugins")) + as_list(cfg.get("gems")):
        feed = (cfg.get("feed") or {}) if isinstance(cfg.get("feed"), dict) else {}
        site.feeds.append(slash_path(str(feed.get("path") or "feed.xml"), trailing=False))
    # A feed the site writes itself: a Liquid template at the top
    # (swift.org's `atom.xml`).
    for path in sorted(repo.glob("*.xml")):
        if re.search(r"<(feed|rss)\b", read_text(path) or "") and f"/{path.name}" not in site.feeds:
            site.feeds.append(f"/{path.name}")
    return site


def jekyll_collections(cfg):
    """(name, settings) of each collection Jekyll writes pages for
    (`output: true`), its posts aside: what `collections` in quire.toml
    reads. A plain list of names writes none (`output` is false by default)."""
    collections = cfg.get("collections")
    if not isinstance(collections, dict):
        return []
    out = []
    for name, settings in collections.items():
        settings = settings if isinstance(settings, dict) else {}
        if str(name) not in ("posts", "drafts") and truthy(settings.get("output")):
            out.append((str(name), settings))
    return out


def jekyll_collection_pattern(cfg, name, settings):
    """A collection's URL template, as Jekyll's `Collection#url_template`
    makes it: its own `permalink`, a front matter default for it, else
    `/:collection/:path` with the site style's ending (`pretty`: `/`)."""
    pattern = settings.get("permalink")
    for entry in cfg.get("defaults") or []:
        scope = (entry or {}).get("scope") or {}
        values = (entry or {}).get("values") or {}
        ours = scope.get("type") == name or str(scope.get("path", "")).strip("/") == f"_{name}"
        if ours and values.get("permalink"):
            pattern = values["permalink"]
    if pattern:
        return JEKYLL_STYLES.get(pattern, pattern)
    style = str(cfg.get("permalink") or "date")
    ending = "/" if style == "pretty" or (style not in JEKYLL_STYLES and style.endswith("/")) else ":output_ext"
    return "/:collection/:path" + ending


def jekyll_collection_pages(site, repo, cfg):
    """Each page of a collection Jekyll writes (`_docs/`): copied as it is,
    read by Quire once `collections` names it, each at the address its
    `permalink` names or its collection's template gives."""
    top = repo / str(cfg.get("collections_dir") or "").strip("/")
    for name, settings in jekyll_collections(cfg):
        folder = top / f"_{name}"
        if not folder.is_dir():
            continue
        site.copies.append((folder, f"_{name}"))
        site.config.setdefault("collections", []).append(name)
        pattern = jekyll_collection_pattern(cfg, name, settings)
        site.config["permalinks"].update(jekyll_collection_to_quire(pattern, name, folder))
        for path in _markdown_files(folder):
            # Jekyll titles a document that has no title after its file name.
            titled = " ".join(w[:1].upper() + w[1:].lower() for w in path.stem.split("-"))
            got = _read(site, path, repo, titled)
            if not got:
                continue
            rel, fm, body = got
            if fm.get("published") is False:
                site.drafts.append(rel)
                continue
            url = jekyll_document_url(path, folder, fm, pattern, name)
            site.items.append(Item("page", rel, str(fm["title"]), url, jekyll_redirects(fm), body))


def jekyll_collection_to_quire(pattern, name, folder):
    """The `[[permalinks]]` patterns of a collection's sections (its folder,
    and each folder inside, as Quire makes them sections), none where
    Quire's own (`/{section}/{slug}`) gives its template's addresses:
    `/:collection/:path` is that, but for a file named with a date, whose
    date Quire reads and Jekyll keeps in `:path` (kubevirt.io's
    `_galleries/2020-01-31-DevConfCZ2020-in-pictures.md`), and for the
    template's trailing slash (`/:collection/:path/`), which Quire keeps."""
    bare = re.sub(r"(/|:output_ext|\.html)$", "", pattern)
    slash = "/" if pattern.endswith("/") else ""
    if bare == "/:collection/:path":
        dated = any(date_from_name(p.stem)[0] for p in folder.glob("*") if p.suffix in MARKDOWN)
        if dated:
            return {name: f"/{name}/{{year}}-{{month}}-{{day}}-{{name}}{slash}"}
        if not slash:
            return {}
        inside = {p.parent.relative_to(folder) for p in _markdown_files(folder)}
        sections = sorted(name if str(f) == "." else f"{name}/{f}" for f in inside)
        return {section: "/{section}/{slug}/" for section in sections}
    names = {"collection": name, "path": "{slug}", "name": "{slug}", "title": "{name}", "slug": "{slug}",
             "year": "{year}", "month": "{month}", "day": "{day}", "output_ext": ".html"}
    return {name: "/" + re.sub(r":(\w+)", lambda m: names.get(m.group(1), m.group(0)), pattern).lstrip("/")}


def jekyll_document_url(path, folder, fm, pattern, collection):
    """A collection page's address: `:collection`, `:path` (its path in the
    collection, without the extension), `:name` and `:title` (its file's
    name, or the `slug` it sets), `:output_ext`."""
    cleaned = str(path.relative_to(folder).with_suffix(""))
    own = str(fm.get("slug") or path.stem)
    plain = lambda text: re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    values = {"collection": collection, "path": cleaned, "name": plain(path.stem),
              "title": ascii_slug_pretty(own), "slug": plain(own), "output_ext": ".html"}
    url = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), str(fm.get("permalink") or pattern))
    return slash_path(url, trailing=False)


# What Jekyll copies as it is: files outside `_*` and `.*` folders that are
# neither pages (Markdown, HTML: rendered through Liquid) nor the build's own
# (YAML at the top: CI and tool settings; in a folder it is a download,
# kubevirt's `assets/<post>/vm.yaml`).
JEKYLL_NOT_STATIC = {".md", ".markdown", ".html", ".htm", ".liquid", ".scss", ".sass"}
JEKYLL_TOP_NOT_STATIC = {".yml", ".yaml"}
JEKYLL_BUILD_FILES = {"gemfile", "gemfile.lock", "rakefile", "node_modules", "vendor", "package.json",
                      "package-lock.json", "readme.md", "license", "cname"}


# Posts Jekyll renders from other formats (`jekyll-import` writes HTML):
# counted, so a blog of them shows as not served.
JEKYLL_OTHER_POSTS = (".html", ".htm", ".textile")


def jekyll_posts(site, repo, folder, cfg, post_pattern, above, drafts):
    others = sorted(p for p in folder.rglob("*") if p.suffix.lower() in JEKYLL_OTHER_POSTS and p.is_file())
    for path in sorted(_markdown_files(folder) + others):
        # Jekyll titles a post that has no title after its file name.
        slug = jekyll_name(path.stem)[1].rstrip(".")
        got = _read(site, path, repo, " ".join(w[:1].upper() + w[1:].lower() for w in slug.split("-")))
        if not got:
            continue
        rel, fm, body = got
        date = as_date(fm.get("date")) or jekyll_name(path.stem)[0]
        if fm.get("published") is False or (not truthy(cfg.get("future")) and date and date > dt.date.today()):
            site.drafts.append(rel)
            continue
        site.items.append(Item("post", rel, str(fm["title"]), jekyll_post_url(path, fm, post_pattern, above),
                               jekyll_redirects(fm), body))
        add_lists(site, jekyll_archive_pages(cfg, fm))


def jekyll_paginated(cfg, posts):
    """The index's later pages jekyll-paginate wrote (`/page2/`…, by
    `paginate_path`), when the plugin is on."""
    plugins = as_list(cfg.get("plugins")) + as_list(cfg.get("gems"))
    per = cfg.get("paginate")
    if "jekyll-paginate" not in plugins or not isinstance(per, int) or per < 1:
        return []
    pattern = str(cfg.get("paginate_path") or "/page:num/")
    pages = -(-posts // per)
    return [slash_path(pattern.replace(":num", str(n))) for n in range(2, pages + 1)]


def jekyll_archive_pages(cfg, fm):
    """The jekyll-archives pages listing this post (its tags' and
    categories', when the plugin is on and writes them), at the plugin's
    default addresses (`/tag/:name/`, `/category/:name/`) or the site's."""
    if "jekyll-archives" not in as_list(cfg.get("plugins")) + as_list(cfg.get("gems")):
        return []
    archives = cfg.get("jekyll-archives") if isinstance(cfg.get("jekyll-archives"), dict) else {}
    enabled = as_list(archives.get("enabled"))
    links = archives.get("permalinks") if isinstance(archives.get("permalinks"), dict) else {}
    slug = lambda term: re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")
    pages = []
    for kind, key, default in (("tags", "tag", "/tag/:name/"), ("categories", "category", "/category/:name/")):
        if "all" not in enabled and kind not in enabled:
            continue
        terms = fm.get(kind) if isinstance(fm.get(kind), list) else str(fm.get(kind) or "").split()
        pattern = str(links.get(key) or default)
        pages += [slash_path(pattern.replace(":name", slug(str(t)))) for t in terms if slug(str(t))]
    return pages


def jekyll_post_folders(repo, excluded):
    """Every `_posts/` Jekyll reads: the site's own, and one in any folder it
    processes (ruby-lang.org's `en/news/_posts/`, `ja/news/_posts/`…)."""
    found = []
    for folder in sorted(repo.rglob("_posts")):
        above = folder.relative_to(repo).parts[:-1]
        if (not folder.is_dir() or any(p.startswith(("_", ".")) for p in above)
                or (above and (above[0] in excluded or above[0].lower() in JEKYLL_BUILD_FILES))):
            continue
        found.append(folder)
    return found


def jekyll_folder_pattern(pattern, above):
    """The site's pattern for posts under `above/_posts/`: their folders are
    the first of `:categories`; a pattern without it leaves them out."""
    folders = "/".join(part.lower() for part in above)
    return pattern.replace(":categories", folders + "/:categories")


def jekyll_static_files(repo, excluded):
    """(file, its path under static/) for each file Jekyll would copy as it is."""
    out = []
    for path in sorted(repo.rglob("*")):
        rel = path.relative_to(repo)
        top = rel.parts[0]
        if (not path.is_file() or any(p.startswith(("_", ".")) for p in rel.parts)
                or top in excluded or top.lower() in JEKYLL_BUILD_FILES
                or path.suffix.lower() in JEKYLL_NOT_STATIC
                or (len(rel.parts) == 1 and path.suffix.lower() in JEKYLL_TOP_NOT_STATIC)):
            continue
        out.append((path, str(rel)))
    return out


def jekyll_redirects(fm):
    return [slash_path(a, trailing=False) for a in as_list(fm.get("redirect_from"))]


def jekyll_categories(fm):
    cats = []
    for key in ("category", "categories"):
        value = fm.get(key)
        cats += value.split() if isinstance(value, str) and key == "categories" else as_list(value)
    seen = []
    for c in cats:
        if c not in seen:
            seen.append(c)
    return seen


def jekyll_name(stem):
    """Date and title from `_posts/YYYY-M-D-title` (Jekyll accepts one-digit months and days)."""
    m = re.match(r"(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)$", stem)
    if not m:
        return None, stem
    try:
        return dt.date(*map(int, m.groups()[:3])), m.group(4)
    except ValueError:
        return None, m.group(4)


def jekyll_post_url(path, fm, site_pattern, above=()):
    date, name = jekyll_name(path.stem)
    date = as_date(fm.get("date")) or date
    slug_fm = fm.get("slug")
    title = ascii_slug_pretty(str(slug_fm)) if slug_fm else name
    pattern = fm.get("permalink") or site_pattern
    values = {"year": f"{date:%Y}" if date else "", "month": f"{date:%m}" if date else "",
              "day": f"{date:%d}" if date else "", "i_month": str(date.month) if date else "",
              "i_day": str(date.day) if date else "", "short_year": f"{date:%y}" if date else "",
              "y_day": f"{date.timetuple().tm_yday:03d}" if date else "", "title": title,
              "slug": re.sub(r"[^a-z0-9]+", "-", (str(slug_fm) if slug_fm else name).lower()).strip("-"),
              "categories": "/".join(dict.fromkeys(c.lower() for c in [*above, *jekyll_categories(fm)])),
              "output_ext": ".html"}
    url = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), str(pattern))
    return slash_path(url, trailing=False)


def ascii_slug_pretty(text):
    """Jekyll's `slugify(mode: "pretty", cased: true)` for a `slug` override."""
    return re.sub(r"[^\w._~!$&'()+,;=@]+", "-", text).strip("-")


def jekyll_to_quire(pattern):
    # Jekyll's `:title` keeps the file name's case and dots (Quire's
    # `{name}`); its `:slug` is slugified (Quire's `{slug}`).
    names = {"year": "{year}", "month": "{month}", "day": "{day}", "title": "{name}", "slug": "{slug}",
             "categories": "{categories}", "output_ext": ".html"}
    # Jekyll puts a `/` before a pattern written without one (brew.sh's
    # `:year/:month/:day/:title/`).
    return "/" + re.sub(r":(\w+)", lambda m: names.get(m.group(1), m.group(0)), pattern).lstrip("/")


SCANNERS = {"zola": scan_zola, "hugo": scan_hugo, "jekyll": scan_jekyll}


def scan(engine, repo, drafts=False):
    return SCANNERS[engine](Path(repo), drafts)
