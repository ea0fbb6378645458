#!/usr/bin/env python3
"""Writes N synthetic blog posts of realistic size and structure.

Usage: gen-posts.py N QUIRE_CONTENT_DIR HUGO_SITE_DIR

GEN_LANGUAGES=en,fr,ja,zh (default en) writes post i in the i-th language of
the list, round robin, with `lang` in its front matter: French prose from a
French vocabulary, Japanese and Chinese prose without spaces (search indexes
them in character pairs). English posts are the same as without it.

Each post has TOML front matter (title, date, category, tags, description),
~600-900 words of prose in sections, a table, a list, and two code blocks
(Rust and Python). The same files go to both engines; Hugo gets a minimal
site (config and layouts) so it renders every page.
"""
import os
import random
import sys

WORDS = ("latency throughput replica partition index cache shard queue consumer "
         "producer schema migration rollout canary tracing metric span budget "
         "allocator buffer kernel socket handshake certificate token lease quorum "
         "snapshot compaction checkpoint pipeline scheduler worker thread future").split()
CATEGORIES = ["Databases", "Rust", "Infrastructure", "Security", "Frontend", "AI/ML",
              "Networking", "Observability", "Compilers", "Testing"]
TAGS = ["postgres", "rust", "kubernetes", "tls", "react", "llm", "quic", "otel",
        "llvm", "fuzzing", "wasm", "kafka", "redis", "grpc", "ebpf", "sqlite"]

RUST = """```rust
use std::collections::HashMap;

fn tally(words: &[&str]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in words {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}
```"""
PYTHON = """```python
def backoff(attempt: int, base: float = 0.1, cap: float = 5.0) -> float:
    \"\"\"Exponential backoff with a ceiling.\"\"\"
    return min(cap, base * 2 ** attempt)
```"""


FRENCH = ("latence débit réplique partition index cache file consommateur producteur "
          "schéma migration déploiement traçage métrique budget mémoire tampon noyau "
          "certificat jeton bail instantané compactage pipeline planificateur travailleurs "
          "requêtes serveurs chanteuses chevaux").split()
JAPANESE = ("遅延 処理 複製 分割 索引 保存 順番 設計 移行 展開 追跡 指標 予算 記憶 "
            "核心 証明 時間 計画 作業 並列 東京 京都 検索 日本語 文章 週末 散歩").split()
CHINESE = ("延迟 吞吐 副本 分区 索引 缓存 队列 消费 生产 模式 迁移 部署 追踪 指标 "
           "预算 内存 内核 证书 令牌 快照 管道 调度 线程 北京 烤鸭 绿茶 长城").split()
LANGUAGES = os.environ.get("GEN_LANGUAGES", "en").split(",")


def sentence(rng, lang="en"):
    if lang == "ja":
        words = rng.choices(JAPANESE, k=rng.randint(6, 12))
        return "の".join(words[:3]) + "は" + "を".join(words[3:]) + "です。"
    if lang == "zh":
        return "的".join(rng.choices(CHINESE, k=rng.randint(6, 12))) + "。"
    words = rng.choices(FRENCH if lang == "fr" else WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def paragraph(rng, lang="en"):
    return " ".join(sentence(rng, lang) for _ in range(rng.randint(3, 6)))


def post(i, rng):
    lang = LANGUAGES[i % len(LANGUAGES)]
    if lang != "en":
        return foreign_post(i, rng, lang)
    title = f"Post {i}: {' '.join(rng.choices(WORDS, k=4)).title()}"
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    year = 2010 + (i // 336) % 16
    tags = rng.sample(TAGS, 3)
    front = (f'+++\ntitle = "{title}"\ndate = {year:04d}-{month:02d}-{day:02d}\n'
             f'categories = ["{rng.choice(CATEGORIES)}"]\ntags = {tags!r}\n'
             f'description = "{sentence(rng)}"\n+++\n\n').replace("'", '"')
    body = [paragraph(rng), "<!-- more -->"]
    for section in range(4):
        body.append(f"## Section {section + 1}: {rng.choice(WORDS).title()}")
        body.append(paragraph(rng))
        body.append(paragraph(rng))
    body.insert(4, RUST)
    body.insert(8, PYTHON)
    body.append("| metric | before | after |\n|---|---|---|\n| p50 | 12 ms | 9 ms |\n| p99 | 80 ms | 31 ms |")
    body.append("- " + "\n- ".join(sentence(rng) for _ in range(4)))
    return front + "\n\n".join(body) + "\n"


def foreign_post(i, rng, lang):
    """A post in `lang` (fr, ja, zh): the same structure, its own words."""
    vocabulary = {"fr": FRENCH, "ja": JAPANESE, "zh": CHINESE}[lang]
    title = f"Post {i}: {' '.join(rng.choices(vocabulary, k=4))}"
    front = (f'+++\ntitle = "{title}"\ndate = 2020-{1 + i % 12:02d}-{1 + i % 28:02d}\n'
             f'lang = "{lang}"\ntags = ["{rng.choice(TAGS)}"]\n'
             f'description = "{sentence(rng, lang)}"\n+++\n\n')
    body = [paragraph(rng, lang), "<!-- more -->"]
    for section in range(4):
        body.append(f"## {section + 1}. {rng.choice(vocabulary)}")
        body.append(paragraph(rng, lang))
        body.append(paragraph(rng, lang))
    body.insert(4, RUST)
    return front + "\n\n".join(body) + "\n"


def main():
    count, quire_dir, hugo_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rng = random.Random(42)
    os.makedirs(quire_dir, exist_ok=True)
    hugo_posts = os.path.join(hugo_dir, "content", "posts")
    os.makedirs(hugo_posts, exist_ok=True)
    for sub in ("_default",):
        os.makedirs(os.path.join(hugo_dir, "layouts", sub), exist_ok=True)
    with open(os.path.join(hugo_dir, "hugo.toml"), "w") as f:
        f.write('baseURL = "http://127.0.0.1/"\ntitle = "Bench"\ndisableKinds = ["RSS", "sitemap"]\n'
                '[markup.highlight]\nnoClasses = false\n')
    layouts = os.path.join(hugo_dir, "layouts", "_default")
    with open(os.path.join(layouts, "single.html"), "w") as f:
        f.write("<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>"
                "<article><h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}</article></body></html>\n")
    with open(os.path.join(layouts, "list.html"), "w") as f:
        f.write("<!DOCTYPE html><html><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>"
                "{{ end }}</body></html>\n")
    for i in range(count):
        text = post(i, rng)
        name = f"post-{i:05d}.md"
        for directory in (quire_dir, hugo_posts):
            with open(os.path.join(directory, name), "w") as f:
                f.write(text)


if __name__ == "__main__":
    main()
