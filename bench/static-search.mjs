// Search on a static host as a reader on a mid-range phone meets it: an
// exported site (`quire export`) served as files over HTTP/2 and TLS, as
// static hosts serve them (GitHub Pages, Netlify, Cloudflare Pages; a
// throwaway self-signed certificate), brotli copies when the browser
// accepts them (as nginx's `brotli_static` does), in Chromium
// throttled as Lighthouse's mobile profile is (150 ms round trip,
// 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower). Run by bench/export.sh
// on its 10,000-post export; prints a Markdown table.
//
// It focuses the search box, times the engine's arrival (the loader,
// the wasm module and `_search/meta.json`), then types each query and
// times the last keystroke to results painted (tests/browser/
// search_timing.mjs), counting the bytes each step fetched.
//
// Usage: node bench/static-search.mjs [--typing MS] EXPORT_DIR QUERY... [-- QUERY...]
// --typing MS: the pause between keys (default 0: a query's keys back to
// back; 150 or so is a reader typing, whose earlier keystrokes' queries
// fetch while they type).

import { createRequire } from "node:module";
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import http2 from "node:http2";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { instrument, searchTimes } from "../tests/browser/search_timing.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(repo, ".tools/package.json"));
const { chromium } = require("playwright-core");

const argv = process.argv.slice(2);
const typingAt = argv.indexOf("--typing");
const typingMs = typingAt < 0 ? 0 : Number(argv.splice(typingAt, 2)[1]);
const [dir, ...args] = argv;
const split = args.indexOf("--");
const queries = split < 0 ? args : args.slice(0, split);
const settled = split < 0 ? [] : args.slice(split + 1);
if (!dir || queries.length === 0 || !(typingMs >= 0)) {
  console.error("usage: node bench/static-search.mjs [--typing MS] EXPORT_DIR QUERY... [-- QUERY...]");
  process.exit(2);
}

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml" };
let searchBytes = 0;
// The files the head names for the background (the posts' packs, and the
// whole index's shards when it fits), which the loader fetches between
// queries once the engine is open: counted apart when asked while no
// query is timed (a query fetching one of them counts it as its own).
const backgroundNames = new Set((JSON.parse(fs.readFileSync(path.join(dir, "_search/meta.json"), "utf8")).background ?? []).map((n) => `/_search/${n}`));
const fetchedAhead = [];
let timing = false;
// Every address asked, to wait for the head's whole background.
const requested = new Set();
// A certificate for 127.0.0.1, made for this run.
const keys = fs.mkdtempSync(path.join(os.tmpdir(), "static-search-"));
execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
  "-subj", "/CN=127.0.0.1", "-days", "1", "-keyout", path.join(keys, "key.pem"), "-out", path.join(keys, "cert.pem")], { stdio: "ignore" });
const tls = { key: fs.readFileSync(path.join(keys, "key.pem")), cert: fs.readFileSync(path.join(keys, "cert.pem")) };
fs.rmSync(keys, { recursive: true });
const server = http2.createSecureServer(tls, (request, response) => {
  const wanted = decodeURIComponent(new URL(request.url, "http://x").pathname);
  const candidates = wanted === "/" ? ["index.html"] : [wanted.slice(1), `${wanted.slice(1)}.html`];
  const file = candidates.map((c) => path.join(dir, c)).find((f) => f.startsWith(dir) && fs.existsSync(f) && fs.statSync(f).isFile());
  if (!file) {
    response.writeHead(404).end();
    return;
  }
  const headers = { "content-type": types[path.extname(file)] ?? "application/octet-stream" };
  let body = fs.readFileSync(file);
  if ((request.headers["accept-encoding"] ?? "").includes("br") && fs.existsSync(`${file}.br`)) {
    body = fs.readFileSync(`${file}.br`);
    headers["content-encoding"] = "br";
  }
  requested.add(wanted);
  if (backgroundNames.has(wanted) && !timing) fetchedAhead.push({ bytes: body.length, at: Date.now(), pack: wanted.startsWith("/_search/docpack-") });
  else if (wanted.startsWith("/_search/") || wanted.includes("/quire-find-")) searchBytes += body.length;
  response.writeHead(200, headers).end(body);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `https://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.addInitScript(instrument);
  await page.goto(`${base}/`);
  await page.waitForSelector("div.app[data-hydrated='true']", { timeout: 60_000 });
  const focused = Date.now();
  await page.focus("#search-input");
  await page.waitForFunction(() => typeof globalThis.__quireFind?.search === "function", null, { timeout: 60_000 });
  const ready = Date.now() - focused;
  const atFocus = searchBytes;
  const rows = [];
  for (const query of queries) {
    const before = searchBytes;
    timing = true;
    const [ms] = await searchTimes(page, [query], typingMs).finally(() => { timing = false; });
    rows.push({ query, ms, bytes: searchBytes - before });
  }
  // Then, once every pack is in, other queries: what a reader who typed
  // more slowly, or paused to read, meets from then on.
  const background = JSON.parse(fs.readFileSync(path.join(dir, "_search/meta.json"), "utf8")).background ?? [];
  const named = background.filter((name) => name.startsWith("docpack-"));
  const settledRows = [];
  if (settled.length > 0) {
    const waitFrom = Date.now();
    const missing = () => background.filter((name) => !requested.has(`/_search/${name}`));
    while (missing().length > 0 && Date.now() - waitFrom < 60_000) await new Promise((r) => setTimeout(r, 100));
    if (missing().length > 0) throw new Error(`the background's ${missing()} not fetched after 60 s`);
    await page.waitForFunction(() => performance.getEntriesByType("resource").filter((e) => e.name.includes("/_search/")).every((e) => e.responseEnd > 0));
    await new Promise((r) => setTimeout(r, 500));
    for (const query of settled) {
      const before = searchBytes;
      timing = true;
      const [ms] = await searchTimes(page, [query], typingMs).finally(() => { timing = false; });
      settledRows.push({ query, ms, bytes: searchBytes - before });
    }
  }
  const later = rows.slice(1).map((r) => r.ms).sort((a, b) => a - b);
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  const typed = typingMs > 0 ? `, typed ${typingMs} ms a key` : ", each query typed at once";
  console.log(`| static search over HTTP/2, throttled (150 ms RTT, 1.6 Mbit/s, CPU 4×)${typed} | time | fetched meanwhile (brotli) |`);
  console.log("|---|---|---|");
  console.log(`| engine ready after the box's first focus | ${ready} ms | ${kb(atFocus)} |`);
  for (const row of rows) console.log(`| "${row.query}" (last keystroke to results painted) | ${Math.round(row.ms)} ms | ${kb(row.bytes)} |`);
  console.log(`| queries after the first: median / max | ${Math.round(later[Math.floor(later.length / 2)])} / ${Math.round(later[later.length - 1])} ms | |`);
  // Without queries once the background is in, it was not waited for.
  if (named.length > 0 && settled.length > 0) {
    const packs = fetchedAhead.filter((f) => f.pack);
    const aheadBytes = fetchedAhead.reduce((sum, f) => sum + f.bytes, 0);
    const lastAt = fetchedAhead.length ? Math.max(...fetchedAhead.map((f) => f.at)) - focused : 0;
    const shards = background.length - named.length;
    const also = shards > 0 ? `, then the ${shards} shards of the whole index` : "";
    console.log(`| the posts' packs${also}, fetched between queries (${packs.length} of ${named.length} packs and ${fetchedAhead.length - packs.length} of ${shards} shards not already fetched by a query; the last asked ${lastAt} ms after focus) | | ${kb(aheadBytes)} |`);
  }
  for (const row of settledRows) console.log(`| "${row.query}", once the background is in | ${Math.round(row.ms)} ms | ${kb(row.bytes)} |`);
  if (settledRows.length > 0) {
    const sorted = settledRows.map((r) => r.ms).sort((a, b) => a - b);
    console.log(`| queries once the background is in: median / max | ${Math.round(sorted[Math.floor(sorted.length / 2)])} / ${Math.round(sorted[sorted.length - 1])} ms | |`);
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}
