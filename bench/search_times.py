#!/usr/bin/env python3
"""Search latency: the query mix of bench/run.sh (400 distinct English
queries: whole words, prefixes, one typo, typo + prefix), and with --mixed
200 more against posts made with GEN_LANGUAGES=en,fr,ja,zh: 100 French
(words and other forms of them, found by their stem) and 100 Japanese and
Chinese (two-character words, pairs of them, single characters).

Usage: search_times.py HOST:PORT PATH_PREFIX [--mixed]
Prints: p50 p99 (all queries, ms), then the p50 of each kind.
"""
import http.client, itertools, statistics, sys, time
from urllib.parse import quote
host, port = sys.argv[1].split(":")
prefix = sys.argv[2]
mixed = "--mixed" in sys.argv[3:]
words = ("latency replica partition index cache shard queue schema rollout tracing budget kernel "
         "socket token quorum snapshot pipeline scheduler worker future rust").split()
def typos(w):
    # One edit each, as the index allows (Damerau: a swap is one edit).
    yield w[0] + w[2] + w[1] + w[3:]                    # rust -> rsut
    yield w[:-3] + w[-2] + w[-3] + w[-1]                # swap near the end
    if len(w) >= 5:
        yield w[: len(w) // 2] + w[len(w) // 2 + 1:]    # a letter dropped
    yield w[:2] + chr((ord(w[2]) - 96) % 26 + 97) + w[3:]  # a letter wrong
def prefixes(w):
    return [w[:n] for n in (3, 4, 5) if n < len(w)]
pairs = list(itertools.permutations(words, 2))
kinds = {
    "whole": words + [f"{a} {b}" for a, b in pairs],
    "prefix": [p for w in words for p in prefixes(w)] + [f"{a} {p}" for a, b in pairs for p in prefixes(b)[:1]],
    "typo": [t for w in words for t in typos(w)] + [f"{a} {t}" for a, b in pairs for t in list(typos(b))[:1]],
    "mixed": [f"{t} {p}" for a, b in pairs for t in list(typos(a))[1:2] for p in prefixes(b)[1:2]],
}
if mixed:
    french = ("latence réplique partition cache consommateur schéma migration déploiement "
              "mémoire noyau certificat jeton compactage planificateur").split()
    forms = ["chanteuse", "cheval", "requête", "serveur", "travailleur", "consommateurs",
             "répliques", "migrations", "certificats", "jetons"]
    kinds["french"] = forms + french + [f"{a} {b}" for a, b in itertools.permutations(french, 2)]
    cjk = ("遅延 処理 複製 索引 設計 東京 京都 検索 文章 週末 散歩 延迟 吞吐 副本 索引 缓存 "
           "队列 部署 追踪 北京 烤鸭 绿茶 长城 内核").split()
    kinds["cjk"] = (cjk + ["日本語", "本語", "東", "茶"]
                    + [f"{a} {b}" for a, b in itertools.permutations(cjk, 2)])
seen, chosen = set(), {}
for kind, queries in kinds.items():
    chosen[kind] = [q for q in queries if not (q in seen or seen.add(q))][:100]
    assert len(chosen[kind]) == 100, (kind, len(chosen[kind]))
order = [(kind, chosen[kind][i]) for i in range(100) for kind in chosen]
conn = http.client.HTTPConnection(host, int(port), timeout=10)
times = {kind: [] for kind in chosen}
empty = {kind: 0 for kind in chosen}
for kind, query in order:
    start = time.perf_counter()
    conn.request("GET", prefix + quote(query))
    response = conn.getresponse()
    body = response.read()
    empty[kind] += b'"hits":[]' in body
    if response.status != 200:
        sys.exit(f"bench: {prefix}{query} answered {response.status}")
    times[kind].append((time.perf_counter() - start) * 1000)
every = sorted(t for ts in times.values() for t in ts)
if prefix.startswith("/api/"):
    # A kind that finds nothing would time the index's miss path instead.
    print("bench: search queries with no hits: " + ", ".join(f"{k} {n}/100" for k, n in empty.items()), file=sys.stderr)
    if any(n > 50 for n in empty.values()):
        sys.exit("bench: most queries of a kind found nothing; the query mix does not match the generated posts")
p50 = lambda ts: statistics.median(ts)
print(f"{p50(every):.2f} {every[int(len(every) * 0.99) - 1]:.2f} " + " ".join(f"{p50(times[k]):.2f}" for k in chosen))
