// Browser tests against the real release binary.
//
// Usage: node tests/browser/run.mjs dist/quire [--self-test]
// Starts the binary on a free port with a temporary data dir and a temporary
// copy of content/, drives Debian's Chromium through playwright-core, and
// prints "N passed, N failed". Exit code 1 on any failure.
//
// Checks the runner makes around every test, whatever the test asserts:
// - dist/quire must match its build stamp (scripts/fresh-binary.sh; `make
//   build` writes it); another path is tested as is, with a note;
// - each test has a timeout (60 s unless it says otherwise): a hung test
//   fails with "timed out after N s", its browser contexts and servers are
//   closed, and the run goes on;
// - every browser context a test opens records Content-Security-Policy
//   violations (the securitypolicyviolation event and the console's CSP
//   messages); any fails the test;
// - the log (stdout and stderr) of every server the run starts is scanned
//   after each test and at the end for panics and for ERROR lines not listed
//   in EXPECTED_ERRORS; any fails the test (or the run) that produced it.
// --self-test runs canaries instead: tests that must fail, each for its
// reason (a hang, an inline script, a panic and an ERROR line in the log, a
// stale binary), which shows that each of those checks can fail.

import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SEARCH_BUDGET_MS, describe, instrument, median, searchTimes } from "./search_timing.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const require = createRequire(path.join(repo, ".tools/package.json"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const selfTest = args.includes("--self-test");
/** `--only=<text>`: runs just the tests whose name contains it. */
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const binary = path.resolve(args.find((a) => !a.startsWith("--")) ?? "dist/quire");
const artifacts = path.join(here, "artifacts");
fs.mkdirSync(artifacts, { recursive: true });

const DEFAULT_TIMEOUT_S = Number(process.env.BROWSER_TEST_TIMEOUT ?? 60);
const tests = [];
/** Registers a test; `timeout` in seconds. */
const test = (name, fn, { timeout = DEFAULT_TIMEOUT_S } = {}) => tests.push({ name, fn, timeout });
const canaries = [];
/** Registers a self-test canary: it must fail with an error matching `expect`. */
const canary = (name, fn, { expect, timeout = DEFAULT_TIMEOUT_S }) => canaries.push({ name, fn, timeout, expect });

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Refuses a stale dist/quire; any other binary is used as is. Returns false to stop. */
function binaryIsFresh() {
  const built = path.join(repo, "dist/quire");
  const real = (p) => { try { return fs.realpathSync(p); } catch { return path.resolve(p); } };
  if (real(binary) !== real(built)) {
    console.log(`note: testing ${binary} as is (only dist/quire is checked against its build stamp)`);
    return true;
  }
  const check = spawnSync(path.join(repo, "scripts/fresh-binary.sh"), ["dist/quire"], { encoding: "utf8" });
  if (check.status === 0) return true;
  console.log(`refusing to test: ${(check.stderr || check.stdout || check.error?.message || "").trim()}`);
  return false;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

// ---- Server logs ----------------------------------------------------------------

/** ERROR lines a test provokes on purpose: { pattern, why }. Anything else fails. */
const EXPECTED_ERRORS = [];
const PANIC = /panicked at|RUST_BACKTRACE/;
// tracing's format: "<timestamp>  ERROR <target>: <message>" (colours stripped).
const ERROR_LINE = /^\S+\s+ERROR\s/;
const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, "");

/** The panic and unexpected ERROR lines in a stretch of server log. */
function logProblems(text) {
  const lines = stripAnsi(text).split("\n");
  const found = [];
  lines.forEach((line, i) => {
    if (PANIC.test(line)) found.push(`panic: ${line.trim()}${lines[i + 1] && !PANIC.test(lines[i + 1]) ? ` | ${lines[i + 1].trim()}` : ""}`);
    else if (ERROR_LINE.test(line) && !EXPECTED_ERRORS.some((e) => e.pattern.test(line))) found.push(`unexpected ERROR: ${line.trim()}`);
  });
  return found;
}

/** Every server the run started, so their logs are scanned and none outlives the run. */
const servers = new Set();

/** Starts the binary on a copy of `source`; resolves once it logs that it is serving.
 * `files`: more files by path relative to the site's folder (`quire.toml`,
 * `assets/custom.css`, `content/_partials/footer.md`), written after the copy. */
async function startServer({ source = path.join(repo, "content"), statics = null, env = {}, files = {}, name = "server" } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "quire-browser-"));
  const content = path.join(work, "content");
  fs.cpSync(source, content, { recursive: true });
  // The site's static folder sits beside content/.
  if (statics) fs.cpSync(statics, path.join(work, "static"), { recursive: true });
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
    fs.writeFileSync(path.join(work, name), body);
  }
  const port = await freePort();
  const child = spawn(binary, ["serve", "--content", content, "--data", path.join(work, "data"), "--addr", `127.0.0.1:${port}`], {
    cwd: work,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  const server = {
    name, child, base: `http://127.0.0.1:${port}`, work, content, text: "", scanned: 0,
    log: () => server.text,
    /** Appends to the log as if the server wrote it (self-test canaries only). */
    inject: (line) => { server.text += `${line}\n`; },
    /** Stops the server and waits until it has exited, so its log is complete. */
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      servers.delete(server);
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
  servers.add(server);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${server.text}`)), 60_000);
    const onData = (chunk) => {
      server.text += chunk;
      if (server.text.includes("Quire is serving")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${name} exited with ${code}:\n${server.text}`)));
  }).catch(async (err) => { await server.stop(); throw err; });
  return server;
}

/** The problems in what `server` logged since the last scan. */
function scanLog(server) {
  const text = server.text;
  const cut = text.lastIndexOf("\n") + 1;
  // Only whole lines: a line still being written is scanned next time.
  const fresh = text.slice(server.scanned, cut);
  server.scanned = cut;
  return logProblems(fresh).map((p) => `${server.name} log: ${p}`);
}
function scanLogToEnd(server) {
  server.text += server.text.endsWith("\n") || server.text === "" ? "" : "\n";
  return scanLog(server);
}

// ---- Browser contexts: CSP watch ------------------------------------------------

/** Per-context watch: CSP violations from the page's event and the console. */
async function watchContext(context, record) {
  record.contexts.add(context);
  context.on("close", () => record.contexts.delete(context));
  // Each violation goes out through a binding as it happens (it survives the
  // page navigating away) and stays in the page's __quireCsp list, read at
  // the close (a binding call can still be in flight then); ids dedupe.
  const seen = new Set();
  const report = (page, { id, text }) => {
    if (seen.has(id)) return;
    seen.add(id);
    record.csp.push(`${page?.url() ?? "?"}: ${text}`);
  };
  await context.exposeBinding("__quireCspViolation", ({ page }, violation) => report(page, violation));
  await context.addInitScript(() => {
    window.__quireCsp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      const what = e.blockedURI || "inline";
      const violation = {
        id: `${Date.now()}-${Math.random()}`,
        text: `${e.effectiveDirective || e.violatedDirective} blocked ${what}${e.sample ? ` ${JSON.stringify(e.sample)}` : ""}`,
      };
      window.__quireCsp.push(violation);
      window.__quireCspViolation?.(violation);
    });
  });
  context.on("console", (m) => {
    if (/Content.Security.Policy/i.test(m.text())) record.csp.push(`${m.page()?.url() ?? "?"}: console ${m.type()}: ${m.text()}`);
  });
  // Before closing: let queued violation events fire, then read each page's list.
  const close = context.close.bind(context);
  context.close = async (options) => {
    await Promise.all(context.pages().map(async (page) => {
      const list = await Promise.race([
        page.evaluate(() => new Promise((resolve) => setTimeout(() => resolve(window.__quireCsp ?? []), 50))).catch(() => []),
        new Promise((resolve) => setTimeout(() => resolve([]), 2000)),
      ]);
      for (const violation of list) report(page, violation);
    }));
    return close(options);
  };
}

/** `browser` for one test: its contexts are watched and closed when the test ends. */
function watchedBrowser(browser, record) {
  const newContext = async (options) => {
    const context = await browser.newContext(options);
    await watchContext(context, record);
    return context;
  };
  const newPage = async (options) => {
    const context = await newContext(options);
    const page = await context.newPage();
    page.on("close", () => context.close().catch(() => {}));
    return page;
  };
  return new Proxy(browser, {
    get(target, prop) {
      if (prop === "newContext") return newContext;
      if (prop === "newPage") return newPage;
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Opens a page and records console errors, warnings and page errors. */
async function open(browser, url, { javaScript = true, width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  const response = await page.goto(url);
  return { page, context, response, problems };
}

/** Waits until the client has hydrated (the app marks its root when its first effect runs). */
async function hydrated(page) {
  await page.waitForSelector("div.app[data-hydrated='true']", { timeout: 30_000 });
}

function cleanConsole(problems) {
  assert(problems.length === 0, `console problems:\n${problems.join("\n")}`);
}

const cardCount = (page) => page.locator("article.card").count();

/** What a bookmark, share button or crawler reads from the head. */
const headIdentity = (page) => page.evaluate(() => JSON.stringify({
  title: document.title,
  canonical: document.querySelector("link[rel=canonical]")?.href,
  ogUrl: document.querySelector("meta[property='og:url']")?.content,
  ogTitle: document.querySelector("meta[property='og:title']")?.content,
  twitterTitle: document.querySelector("meta[name='twitter:title']")?.content,
}));

/** Asserts the swapped-in page's head says what the server's page for the same URL says. */
async function assertHeadMatchesServer(browser, page) {
  const served = await open(browser, page.url(), { javaScript: false });
  const [shown, expected] = [await headIdentity(page), await headIdentity(served.page)];
  await served.context.close();
  assert(shown === expected, `head after the swap ${shown}, server's page ${expected}`);
}
const countText = (page) => page.locator("p.count").innerText();
const ARTICLE = "formal-verification-tla-plus-distributed-systems";
const PAGE_SIZE = 20;

/** Runs axe-core on the page; returns the violations as readable lines. */
async function axeViolations(page) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
}

/** Sum of layout-shift scores since the page started (CLS-style). */
async function layoutShift(page) {
  return page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((list) => {
      resolve(list.getEntries().reduce((sum, e) => sum + (e.hadRecentInput ? 0 : e.value), 0));
    }).observe({ type: "layout-shift", buffered: true });
    // No entries at all means no shift; the observer then never calls back.
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(0)));
  }));
}

// ---- Index and listings, JavaScript off -----------------------------------

test("index renders the first page fully with JavaScript disabled", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/`, { javaScript: false });
  assert(response.status() === 200, `status ${response.status()}`);
  assert((await page.title()) === "Blog", `title ${await page.title()}`);
  assert((await countText(page)) === "102 articles", `count ${await countText(page)}`);
  assert((await cardCount(page)) === PAGE_SIZE, `cards ${await cardCount(page)}`);
  assert(await page.locator("a.skip-link").count() === 1, "skip link missing");
  const firstChip = await page.locator("nav.chips a").nth(1).innerText();
  assert(firstChip === "AI/ML", `first category chip ${firstChip}`);
  const card = page.locator("article.card").first();
  for (const part of [".card-category", "time", ".card-title a", ".card-description", "a.tag", "a.read-more"]) {
    assert(await card.locator(part).count() >= 1, `card lacks ${part}`);
  }
  assert(await page.locator("link[rel=alternate][type='application/atom+xml']").count() === 1, "feed autodiscovery missing");
  await context.close();
});

test("pagination links reach every article without JavaScript", async ({ browser, base }) => {
  const { page, context } = await open(browser, `${base}/`, { javaScript: false });
  await page.locator("nav.pagination a[rel=next]").click();
  await page.waitForURL(/\/page\/2$/);
  assert((await cardCount(page)) === PAGE_SIZE, "page 2 is full");
  assert((await page.locator(".page-current").innerText()) === "2", "current page marker");
  const response = await page.goto(`${base}/page/6`);
  assert(response.status() === 200, `page 6 status ${response.status()}`);
  assert((await cardCount(page)) === 102 - 5 * PAGE_SIZE, `last page cards ${await cardCount(page)}`);
  await context.close();
});

test("category chip is a working link without JavaScript", async ({ browser, base }) => {
  const { page, context } = await open(browser, `${base}/`, { javaScript: false });
  await page.locator("nav.chips a", { hasText: /^Databases$/ }).click();
  await page.waitForURL(/category=databases/);
  const text = await countText(page);
  assert(/^\d+ articles? in Databases$/.test(text), `count ${text}`);
  const cards = await cardCount(page);
  assert(cards > 0 && cards < 102, `cards ${cards}`);
  await context.close();
});

test("category and tag pages render with the right count", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/category/databases`, { javaScript: false });
  assert(response.status() === 200, `status ${response.status()}`);
  assert((await page.locator("h1").innerText()) === "Databases", "category heading");
  assert(/^\d+ articles? in Databases$/.test(await countText(page)), await countText(page));
  const tag = await page.goto(`${base}/tags/rust`);
  assert(tag.status() === 200, `tag status ${tag.status()}`);
  assert((await page.locator("h1").innerText()) === "#rust", "tag heading");
  assert((await countText(page)).endsWith("tagged #rust"), await countText(page));
  await context.close();
});

test("the lists of every tag and category link each to its page with its count; the page leads back; Hugo's addresses land on them", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/tags`, { javaScript: false });
  assert(response.status() === 200, `status ${response.status()}`);
  assert((await page.locator("h1").innerText()) === "Tags", "tags heading");
  const rust = page.locator("main li", { has: page.locator('a[href="/tags/rust"]') });
  assert(/^#rust \d+ articles?$/.test((await rust.innerText()).trim()), await rust.innerText());
  await rust.locator("a").click();
  assert(new URL(page.url()).pathname === "/tags/rust", page.url());
  await page.locator("main nav.breadcrumbs a", { hasText: "Tags" }).click();
  assert(new URL(page.url()).pathname === "/tags", `breadcrumb: ${page.url()}`);
  const categories = await page.goto(`${base}/categories/`);
  assert(categories.status() === 200 && new URL(page.url()).pathname === "/category", `/categories/ → ${page.url()}`);
  assert(await page.locator('main a[href="/category/databases"]').count() === 1, "databases listed");
  await page.goto(`${base}/categories/Databases/`);
  assert(new URL(page.url()).pathname === "/category/databases", `/categories/Databases/ → ${page.url()}`);
  await context.close();
});

test("unknown category shows an empty state with status 404", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/?category=no-such-thing`, { javaScript: false });
  assert(response.status() === 404, `status ${response.status()}`);
  assert(await page.locator(".empty a").count() === 1, "no link back");
  const tag = await page.goto(`${base}/tags/no-such-tag`);
  assert(tag.status() === 404, `tag status ${tag.status()}`);
  const mangled = await page.goto(`${base}/?%%%&&=&category`);
  assert(mangled.status() === 200, `malformed query status ${mangled.status()}`);
  await context.close();
});

// ---- Article and 404 ---------------------------------------------------------

test("article renders with JavaScript disabled: TOC, code, related, neighbours, JSON-LD", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/blog/${ARTICLE}`, { javaScript: false });
  assert(response.status() === 200, `status ${response.status()}`);
  const h1 = await page.locator("article.post h1").innerText();
  assert(h1.startsWith("TLA+ for Formal Verification"), `h1 ${h1}`);
  assert((await page.title()) === `${h1} — Blog`, `title ${await page.title()}`);
  assert(await page.locator(".post-body h2").count() >= 3, "article body headings missing");
  assert(await page.locator("nav.toc li").count() >= 3, "table of contents missing");
  assert(await page.locator(".post-body .code-block pre code").count() >= 1, "code block missing");
  assert(await page.locator("section.related li").count() === 3, "three related posts expected");
  assert(await page.locator("nav.post-nav a").count() >= 1, "previous/next missing");
  const ld = JSON.parse(await page.locator("script[type='application/ld+json']").first().textContent());
  const posting = ld["@graph"].find((n) => n["@type"] === "BlogPosting");
  for (const key of ["headline", "datePublished", "dateModified", "author", "url"]) {
    assert(posting[key], `JSON-LD lacks ${key}`);
  }
  await context.close();
});

test("a series box numbers the parts, links the others and marks this one, with and without JavaScript", async ({ browser, startServer }) => {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), "quire-series-"));
  const parts = [["part-one", "Part One", "2026-01-01"], ["part-two", "Part Two", "2026-02-01"], ["part-three", "Part Three", "2026-03-01"]];
  for (const [slug, title, date] of parts) {
    fs.writeFileSync(path.join(source, `${slug}.md`), `+++\ntitle = "${title}"\ndate = ${date}\nseries = "Rust from scratch"\nauthors = ["alice"]\n+++\n\n${title} text.\n`);
  }
  const server = await startServer({ source, name: "series server" });
  try {
    for (const javaScript of [false, true]) {
      const { page, context } = await open(browser, `${server.base}/blog/part-two`, { javaScript });
      if (javaScript) await hydrated(page);
      const box = page.locator("aside.series");
      assert((await box.locator(".series-title").innerText()).startsWith("Part 2 of 3"), `js ${javaScript}: heading`);
      assert(await box.locator("ol li").count() === 3, `js ${javaScript}: three parts`);
      assert(await box.locator("ol li a").count() === 2, `js ${javaScript}: the other two linked`);
      assert((await box.locator("[aria-current='page']").innerText()) === "Part Two", `js ${javaScript}: current part marked`);
      assert(await page.locator("p.byline a[href='/authors/alice']").count() === 1, `js ${javaScript}: byline`);
      await box.locator("ol li a").first().click();
      await page.waitForURL(/\/blog\/part-one$/);
      assert((await page.locator("aside.series .series-title").innerText()).startsWith("Part 1 of 3"), `js ${javaScript}: part one's box`);
      await context.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(source, { recursive: true, force: true });
  }
});

test("callouts from a migrated Hugo site (Docsy's alert, the Learn theme's notice, GitHub's alerts) are boxes in light and dark, axe clean; screenshots kept", async ({ browser, startServer }) => {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), "quire-callouts-"));
  const body = [
    `{{% alert title="Note" %}}\nUse the **v3** API.\n{{% /alert %}}`,
    `{{% alert title="Tip" color="success" %}}\nCompact often.\n{{% /alert %}}`,
    `> [!IMPORTANT]\n> Back up first.`,
    `{{% notice warning "Careful" %}}\nThis deletes keys.\n{{% /notice %}}`,
    `{{< hint danger >}}\nNever run this in production.\n{{< /hint >}}`,
  ].join("\n\n");
  fs.writeFileSync(path.join(source, "callouts.md"), `+++\ntitle = "Callouts"\ndate = 2024-01-15\n+++\n\n${body}\n`);
  const server = await startServer({ source, name: "callouts server" });
  const found = [];
  try {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.base}/blog/callouts`);
      await hydrated(page);
      const boxes = await page.evaluate(() => [...document.querySelectorAll(".post-body .markdown-alert")].map((box) => {
        const title = box.querySelector(".markdown-alert-title");
        return { kind: box.className, title: title?.innerText, colour: getComputedStyle(title).color, border: getComputedStyle(box).borderInlineStartColor, text: box.innerText };
      }));
      assert(boxes.length === 5, `${scheme}: five callouts, got ${JSON.stringify(boxes)}`);
      const kinds = boxes.map((b) => b.kind.replace("markdown-alert markdown-alert-", ""));
      assert(kinds.join(" ") === "note tip important warning caution", `${scheme}: kinds ${kinds}`);
      assert(boxes.map((b) => b.title).join("|") === "Note|Tip|Important|Careful|Caution", `${scheme}: titles ${boxes.map((b) => b.title)}`);
      assert(new Set(boxes.map((b) => b.colour)).size === 5, `${scheme}: each kind its own colour ${boxes.map((b) => b.colour)}`);
      assert(boxes.every((b) => b.colour === b.border), `${scheme}: border in the title's colour`);
      assert(!(await page.locator(".post-body").innerText()).match(/alert|notice|hint|\[!/), `${scheme}: no tag left as written`);
      assert(await page.locator(".post-body .markdown-alert strong").count() === 1, `${scheme}: the body is Markdown`);
      for (const v of await axeViolations(page)) found.push(`${scheme}: ${v}`);
      await page.locator(".post-body").screenshot({ path: path.join(artifacts, `callouts-${scheme}.png`) });
      await context.close();
    }
    assert(found.length === 0, `axe violations:\n${found.join("\n")}`);
  } finally {
    await server.stop();
    fs.rmSync(source, { recursive: true, force: true });
  }
});

test("a migrated post in the browser: its own address, math without JavaScript, a sized image, its section, its author", async ({ browser, startServer }) => {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), "quire-migrated-"));
  const bundle = path.join(source, "notes", "euler");
  fs.mkdirSync(bundle, { recursive: true });
  fs.writeFileSync(path.join(source, "notes", "_index.md"), `+++\ntitle = "Field notes"\nsort_by = "date"\n+++\nShort ones.\n`);
  // Raw HTML as a Zola survey post writes it: a styled table cell, a chart
  // beside the post named relatively, and an image from the old site's static/.
  const raw = `<table><tr><td style="text-align: right; position: fixed">42</td></tr></table>\n\n<div class="chart"><noscript>\n<img alt="chart" src="square.png"/>\n</noscript></div>\n\n![from static](/images/logo.png)\n`;
  fs.writeFileSync(path.join(bundle, "index.md"), `+++\ntitle = "Euler"\npath = "2024/01/15/euler/"\nauthors = ["alice"]\n+++\n\nInline $e^{i\\pi} + 1 = 0$, and displayed:\n\n$$\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}$$\n\n![a red square](square.png)\n\n${raw}`);
  const square = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAACgAAAAoCAIAAAADnC86AAAALklEQVR42u3NsQkAAAgDsB7W//EsnxBcAtmTaV9ELBaLxWKxWCwWi8VisVgsvrMSJtBqHMf0fQAAAABJRU5ErkJggg==", "base64");
  fs.writeFileSync(path.join(bundle, "square.png"), square);
  const statics = fs.mkdtempSync(path.join(os.tmpdir(), "quire-static-"));
  fs.mkdirSync(path.join(statics, "images"));
  fs.writeFileSync(path.join(statics, "images", "logo.png"), square);
  const server = await startServer({ source, statics, name: "migrated server" });
  try {
    for (const javaScript of [false, true]) {
      // The address as the post writes it, with its slash; the other
      // spelling answers one redirect to it.
      const { page, context } = await open(browser, `${server.base}/2024/01/15/euler`, { javaScript });
      if (javaScript) await hydrated(page);
      assert(new URL(page.url()).pathname === "/2024/01/15/euler/", `js ${javaScript}: one redirect to the post's own address, got ${page.url()}`);
      assert(await page.locator(".post-body math").count() === 2, `js ${javaScript}: two formulas as MathML`);
      assert(await page.locator(".post-body math[display='block']").count() === 1, `js ${javaScript}: one displayed`);
      assert(!(await page.locator(".post-body").innerText()).includes("$$"), `js ${javaScript}: no TeX left`);
      const images = page.locator(".post-body img");
      assert(await images.count() === 3, `js ${javaScript}: three images, got ${await images.count()}`);
      for (const image of await images.all()) {
        const src = await image.getAttribute("src");
        assert(await image.getAttribute("width") === "40" && await image.getAttribute("height") === "40", `js ${javaScript}: ${src} is sized before it loads`);
        await image.scrollIntoViewIfNeeded();
        await page.waitForFunction((img) => img.complete, await image.elementHandle());
        assert(await image.evaluate((img) => img.naturalWidth === 40), `js ${javaScript}: ${src} loads`);
      }
      const cell = page.locator(".post-body td");
      assert(await cell.evaluate((td) => getComputedStyle(td).textAlign) === "right", `js ${javaScript}: the cell's style attribute applies under the CSP`);
      assert(await cell.evaluate((td) => getComputedStyle(td).position) === "static", `js ${javaScript}: position is not kept`);
      // The layout-shift observer needs scripts, so only with JavaScript on.
      if (javaScript) assert(await layoutShift(page) === 0, "no layout shift");
      await context.close();
    }
    const { page, context } = await open(browser, `${server.base}/notes`, { javaScript: false });
    assert((await page.locator("h1").innerText()) === "Field notes", "the section's title from its _index.md");
    assert(await page.locator("a[href='/2024/01/15/euler/']").count() >= 1, "the section lists the post at its own address");
    assert(await page.locator("header a[href='/notes']").count() === 1, "the section is in the header");
    await page.goto(`${server.base}/authors/alice`);
    assert(await page.locator(".card a[href='/2024/01/15/euler/']").count() >= 1, "the author's page lists the post");
    await page.locator("nav.breadcrumbs a[href='/authors']").click();
    assert(new URL(page.url()).pathname === "/authors", `the author's page leads to the list of authors: ${page.url()}`);
    assert(await page.locator("main a[href='/authors/alice']").count() === 1, "the list names the author");
    await context.close();
  } finally {
    await server.stop();
    fs.rmSync(source, { recursive: true, force: true });
    fs.rmSync(statics, { recursive: true, force: true });
  }
});

/** A `width`×`height` RGB PNG of a diagonal gradient, made with zlib alone. */
function gradientPng(width, height) {
  const zlib = require("node:zlib");
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "ascii");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rows.set([x % 256, y % 256, (x + y) % 256], y * (width * 3 + 1) + 1 + x * 3);
    }
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

test("a photo in Chromium: sized at once, and its AVIF copy is what loads once made, with and without JavaScript", async ({ browser, startServer }) => {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), "quire-photo-"));
  fs.mkdirSync(path.join(source, "photo"));
  fs.writeFileSync(path.join(source, "photo", "index.md"), `+++\ntitle = "Photo"\ndate = 2026-01-01\n+++\n\nA wide one:\n\n![a gradient](wide.png)\n`);
  fs.writeFileSync(path.join(source, "photo", "wide.png"), gradientPng(1200, 600));
  const server = await startServer({ source, name: "photo server" });
  try {
    const html = await (await fetch(`${server.base}/blog/photo`)).text();
    const avif = html.match(/\/blog\/photo\/_img\/[0-9a-f]{32}-960\.avif/)?.[0];
    assert(avif, `the page offers a 960-pixel AVIF copy: ${html.slice(html.indexOf("<picture"), html.indexOf("</picture>") + 10)}`);
    const deadline = Date.now() + 60_000;
    let cache = "";
    while (Date.now() < deadline && !cache.includes("immutable")) {
      cache = (await fetch(`${server.base}${avif}`)).headers.get("cache-control");
      if (!cache.includes("immutable")) await new Promise((done) => setTimeout(done, 250));
    }
    assert(cache.includes("immutable"), `the AVIF copy is made within a minute, still ${cache}`);
    for (const javaScript of [false, true]) {
      const { page, context } = await open(browser, `${server.base}/blog/photo`, { javaScript });
      const image = page.locator(".post-body picture img");
      assert(await image.count() === 1, `js ${javaScript}: the image is in a picture`);
      assert(await image.getAttribute("width") === "1200" && await image.getAttribute("height") === "600", `js ${javaScript}: sized before it loads`);
      await image.scrollIntoViewIfNeeded();
      await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
      const shown = await image.evaluate((img) => ({ src: img.currentSrc, width: img.naturalWidth }));
      assert(shown.src.endsWith("-960.avif") && shown.width > 0, `js ${javaScript}: Chromium decodes and shows the 960-pixel AVIF copy, got ${JSON.stringify(shown)}`);
      if (javaScript) assert(await layoutShift(page) === 0, "no layout shift");
      await context.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(source, { recursive: true, force: true });
  }
}, { timeout: 120 });

test("unknown slug gets a 404 with the nearest articles", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/blog/tla-plus-formal-verification`, { javaScript: false });
  assert(response.status() === 404, `status ${response.status()}`);
  assert((await page.locator("h1").innerText()) === "Page not found", "404 heading");
  assert(await page.locator("header.site-header").count() === 1, "404 page lacks the site layout");
  const suggested = await page.locator("ul.suggestions a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert(suggested.includes(`/blog/${ARTICLE}`), `suggestions ${suggested}`);
  const other = await page.goto(`${base}/no/such/page`);
  assert(other.status() === 404, `status ${other.status()}`);
  await context.close();
});

// ---- Search --------------------------------------------------------------------

test("search page works without JavaScript and survives hostile queries", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/search?q=postgres`, { javaScript: false });
  assert(response.status() === 200, `status ${response.status()}`);
  assert(await page.locator("ol.results li").count() >= 1, "no results for postgres");
  assert(await page.locator("ol.results mark").count() >= 1, "no highlighted words");
  const typo = await page.goto(`${base}/search?q=postgers`);
  assert(typo.status() === 200 && (await page.locator("ol.results li").count()) >= 1, "one typo finds nothing");
  for (const q of ['"quoted"', "rust AND (wasm OR", "x".repeat(10000), "🦀🔥", "?!*...", "%", "<script>alert(1)</script>"]) {
    const r = await page.goto(`${base}/search?q=${encodeURIComponent(q)}`);
    assert(r.status() === 200, `query ${q.slice(0, 20)} status ${r.status()}`);
    assert(await page.locator("p.count").count() === 1, `query ${q.slice(0, 20)} shows no state`);
  }
  // Past 16 KiB the address is refused before any rendering.
  const long = await page.goto(`${base}/search?q=${"y".repeat(20000)}`);
  assert(long.status() === 414, `a 20 KB address: status ${long.status()}`);
  await context.close();
});

test("search box: results as you type, keys, slash shortcut", async ({ browser, base }) => {
  const { page, context, problems } = await open(browser, `${base}/`);
  await hydrated(page);
  await page.keyboard.press("/");
  assert(await page.evaluate(() => document.activeElement?.id === "search-input"), "/ did not focus the search box");
  await page.keyboard.type("kubernets");
  // How fast is measured in the page by scripts/search-latency.mjs (make audit).
  await page.waitForSelector("#search-results li.search-result");
  assert(await page.locator("#search-results mark").count() >= 1, "no highlighted words");
  await page.keyboard.press("ArrowDown");
  assert((await page.locator("#search-input").getAttribute("aria-activedescendant")) === "search-result-0", "arrow down");
  await page.keyboard.press("Escape");
  assert(await page.locator("#search-results").count() === 0, "Escape did not close the list");
  await page.keyboard.press("ArrowDown");
  await page.waitForSelector("#search-results li.search-result.active");
  const href = await page.locator("#search-results li.active a").getAttribute("href");
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.pathname === href);
  cleanConsole(problems);
  await context.close();
});

test("search box: while a newer query's answer is on its way, the list's \"All N results\" link names the list's own query", async ({ browser, base }) => {
  const { page, context, problems } = await open(browser, `${base}/`);
  await hydrated(page);
  const linked = () => page.evaluate(() => {
    const all = document.querySelector("div.search-results a.search-all");
    return all ? new URL(all.href).searchParams.get("q") : null;
  });
  await page.locator("#search-input").pressSequentially("kube");
  await page.waitForFunction(() => document.querySelector("div.search-results a.search-all"));
  assert((await linked()) === "kube", `the link names ${await linked()}, not kube`);
  // The whole query's answer is held back until it is checked.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let asked;
  const askedWhole = new Promise((resolve) => { asked = resolve; });
  await page.route((url) => url.pathname === "/api/search" && url.searchParams.get("q") === "kubernetes", async (route) => {
    asked();
    await held;
    await route.continue();
  });
  await page.locator("#search-input").pressSequentially("rnetes");
  await withTimeout(askedWhole, 10);
  const shown = await linked();
  assert(shown !== "kubernetes" && "kubernetes".startsWith(shown), `while its answer is held, the link names ${shown}`);
  release();
  await page.waitForFunction(() => new URL(document.querySelector("div.search-results a.search-all").href).searchParams.get("q") === "kubernetes");
  cleanConsole(problems);
  await context.close();
});

test("search page keeps what was typed: c++, & and % survive the form and hydration", async ({ browser, base }) => {
  const { page, context, problems } = await open(browser, `${base}/search`);
  await hydrated(page);
  const typed = "c++ & 100% rust";
  await page.fill("#search-page-input", typed);
  await page.press("#search-page-input", "Enter");
  await page.waitForURL((url) => url.searchParams.get("q") === typed);
  await hydrated(page);
  const shown = await page.inputValue("#search-page-input");
  assert(shown === typed, `the box shows ${JSON.stringify(shown)}`);
  const count = await countText(page);
  assert(count.includes(`“${typed}”`), `the page searched for something else: ${count}`);
  cleanConsole(problems);
  await context.close();
});

// ---- Hydration, filter, theme, copy ------------------------------------------

test("hydrates without console errors, mismatch warnings or layout shift", async ({ browser, base }) => {
  const { page, context, problems } = await open(browser, `${base}/`);
  await hydrated(page);
  const shift = await layoutShift(page);
  assert(shift < 0.01, `layout shift ${shift}`);
  await page.goto(`${base}/blog/${ARTICLE}`);
  await hydrated(page);
  await page.goto(`${base}/search?q=rust`);
  await hydrated(page);
  cleanConsole(problems);
  await context.close();
});

test("the client's JS and wasm are requested only after the first paint", async ({ browser, base }) => {
  const { page, context, problems } = await open(browser, `${base}/`);
  await hydrated(page);
  const timing = await page.evaluate(() => ({
    paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
    client: performance.getEntriesByType("resource")
      .filter((e) => /\/assets\/quire[^/]*\.(js|wasm)$/.test(e.name))
      .map((e) => [e.name.split("/").pop(), e.startTime]),
    preloads: document.querySelectorAll("link[rel=preload][as=script]").length,
  }));
  assert(timing.paint !== undefined, "no first-contentful-paint entry");
  assert(timing.client.length === 2, `client requests ${JSON.stringify(timing.client)}`);
  for (const [file, start] of timing.client) {
    assert(start > timing.paint, `${file} requested at ${start.toFixed(1)} ms, first paint at ${timing.paint.toFixed(1)} ms`);
  }
  assert(timing.preloads === 0, "the client is still preloaded");
  cleanConsole(problems);
  await context.close();
});

test("hydrated chips filter in place, update the URL, and back restores", async ({ browser, base }) => {
  const { page, context, problems } = await open(browser, `${base}/`);
  await hydrated(page);
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.locator("nav.chips a", { hasText: /^Databases$/ }).click();
  await page.waitForURL(/category=databases/);
  await page.waitForFunction(() => document.querySelector("p.count")?.innerText.endsWith("in Databases"));
  assert(await page.evaluate(() => window.__sameDocument === true), "the click reloaded the page");
  const filtered = await cardCount(page);
  assert(filtered > 0 && filtered <= PAGE_SIZE, `cards ${filtered}`);
  await assertHeadMatchesServer(browser, page);
  await page.screenshot({ path: path.join(artifacts, "index-filtered.png") });
  await page.goBack();
  await page.waitForFunction(() => document.querySelector("p.count")?.innerText === "102 articles");
  assert((await cardCount(page)) === PAGE_SIZE, "back did not restore the first page");
  await assertHeadMatchesServer(browser, page);
  assert(await page.evaluate(() => window.__sameDocument === true), "back reloaded the page");
  await page.goForward();
  await page.waitForFunction(() => document.querySelector("p.count")?.innerText.endsWith("in Databases"));
  cleanConsole(problems);
  await context.close();
});

test("the owner's date_format holds in listings the client swaps in, as on the server's pages", async ({ browser, startServer }) => {
  const server = await startServer({ files: { "quire.toml": 'date_format = "%A %-d %B %Y"\n' }, name: "dated server" });
  try {
    const written = /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ \d{4}$/;
    const { page, context, problems } = await open(browser, `${server.base}/`);
    await hydrated(page);
    const dates = () => page.evaluate(() => [...document.querySelectorAll(".card time")].map((t) => t.textContent));
    const first = await dates();
    assert(first.length > 0 && first.every((d) => written.test(d)), `server-rendered dates: ${first.slice(0, 3)}`);
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.locator("nav.chips a", { hasText: /^Databases$/ }).click();
    await page.waitForFunction(() => document.querySelector("p.count")?.innerText.endsWith("in Databases"));
    assert(await page.evaluate(() => window.__sameDocument === true), "the click reloaded the page");
    const swapped = await dates();
    assert(swapped.length > 0 && swapped.every((d) => written.test(d)), `swapped-in dates: ${swapped.slice(0, 3)}`);
    cleanConsole(problems);
    await context.close();
  } finally {
    await server.stop();
  }
});

/**
 * `quire export` of the bundled content into a temporary folder, served the
 * way GitHub Pages serves files: `/x` from `x.html`, `/` from `index.html`,
 * the query string ignored, no rewrite rules. Returns its base and stop().
 */
async function exportedStaticHost() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "quire-export-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const out = path.join(work, "public");
  const run = spawnSync(binary, ["export", out, "--content", path.join(repo, "content"), "--data", path.join(work, "data"), "--base-url", base], { encoding: "utf8", timeout: 120_000 });
  assert(run.status === 0, `quire export failed (${run.status ?? run.error}):\n${run.stderr}`);
  // The bundle carries two engine modules; the export keeps the one its
  // search head names.
  const head = JSON.parse(fs.readFileSync(path.join(out, "_search/meta.json"), "utf8"));
  const modules = fs.readdirSync(path.join(out, "assets")).filter((f) => f.startsWith("quire-find-") && f.endsWith(".wasm"));
  assert(modules.length === 1 && head.engine === `/assets/${modules[0]}`, `engine modules exported: ${modules}, the head names ${head.engine}`);
  const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml", ".xml": "application/xml", ".json": "application/json", ".webp": "image/webp", ".png": "image/png" };
  const http = await import("node:http");
  const server = http.createServer((request, response) => {
    const wanted = decodeURIComponent(new URL(request.url, base).pathname);
    const candidates = wanted === "/" ? ["index.html"] : [wanted.slice(1), `${wanted.slice(1)}.html`];
    const file = candidates.map((c) => path.join(out, c)).find((f) => f.startsWith(out) && fs.existsSync(f) && fs.statSync(f).isFile());
    if (!file) {
      response.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      response.end(fs.readFileSync(path.join(out, "404.html")));
      return;
    }
    response.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    response.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { base, out, stop: () => { server.close(); fs.rmSync(work, { recursive: true, force: true }); } };
}

test("on a static host that ignores query strings, the exported site's chips and pages swap in place, and Back restores", async ({ browser }) => {
  const host = await exportedStaticHost();
  try {
    const { page, context, problems } = await open(browser, `${host.base}/`);
    await hydrated(page);
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.locator("nav.chips a", { hasText: /^Databases$/ }).click();
    await page.waitForURL(/category=databases/);
    await page.waitForFunction(() => document.querySelector("p.count")?.innerText.endsWith("in Databases"), null, { timeout: 10_000 });
    const filtered = await cardCount(page);
    assert(filtered > 0 && filtered <= PAGE_SIZE, `cards ${filtered}`);
    assert(await page.evaluate(() => document.querySelector("nav.chips a[aria-current], nav.chips a.active")?.textContent) === "Databases", "the Databases chip is not the active one");
    // Reloaded (or opened from a bookmark), the host answers the address
    // with the plain index; the island swaps the Databases list in.
    await page.reload();
    await hydrated(page);
    await page.waitForFunction(() => document.querySelector("p.count")?.innerText.endsWith("in Databases"), null, { timeout: 10_000 });
    assert(new URL(page.url()).search === "?category=databases", `the reload moved to ${page.url()}`);
    await page.evaluate(() => { window.__sameDocument = true; });
    // A card's tag here would filter by both on a server; the host cannot,
    // so it leads to the tag's own list (src/server/export/narrow.rs).
    const tag = page.locator("article.card a.tag").first();
    const tagHref = await tag.getAttribute("href");
    assert(/^\/\?tag=[a-z0-9-]+$/.test(tagHref), `a card's tag on the Databases page links ${tagHref}`);
    const tagName = tagHref.slice("/?tag=".length);
    await tag.click();
    await page.waitForURL((url) => url.search === `?tag=${tagName}`);
    await page.waitForFunction(() => document.querySelector("p.count")?.innerText.includes(" tagged #"), null, { timeout: 10_000 });
    assert((await cardCount(page)) > 0, `no cards tagged ${tagName}`);
    await page.goBack();
    await page.waitForFunction(() => document.querySelector("p.count")?.innerText.endsWith("in Databases"));
    await page.goBack();
    await page.waitForFunction(() => document.querySelector("p.count")?.innerText === "102 articles");
    await page.locator("nav.pagination a[rel=next]").click();
    await page.waitForURL(/\/page\/2$/);
    await page.waitForFunction(() => document.title.includes("page 2"));
    assert(await page.evaluate(() => window.__sameDocument === true), "a click reloaded the page");
    // A filter of several facets opened as such: no file holds it, so the
    // index stays, and the page does not load itself again and again.
    await page.goto(`${host.base}/?category=databases&tag=${tagName}`);
    await hydrated(page);
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.waitForTimeout(1500);
    assert(await page.evaluate(() => window.__sameDocument === true), "the several-facet address reloaded itself");
    assert((await countText(page)) === "102 articles", `count ${await countText(page)}`);
    cleanConsole(problems);
    await context.close();
  } finally {
    host.stop();
  }
}, { timeout: 180 });

test("an export with relative links opens from disk (file://): styled pages, articles, images, filtered lists and pages link to one another", async ({ browser }) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "quire-export-file-"));
  try {
    const out = path.join(work, "public");
    const run = spawnSync(binary, ["export", out, "--relative", "--content", path.join(repo, "content"), "--data", path.join(work, "data"), "--base-url", "https://blog.example"], { encoding: "utf8", timeout: 120_000 });
    assert(run.status === 0, `quire export --relative failed (${run.status ?? run.error}):\n${run.stderr}`);
    const { page, context } = await open(browser, `file://${out}/index.html`);
    // A file:// stylesheet's rules cannot be read from its page: its effect can.
    const styled = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() !== "");
    assert(await styled(), "the home page's stylesheet did not load from disk");
    assert((await cardCount(page)) === PAGE_SIZE, `cards on the home page: ${await cardCount(page)}`);
    await page.locator("nav.chips a", { hasText: /^Databases$/ }).click();
    await page.waitForURL(/_filtered\/category\/databases\.html$/);
    assert((await countText(page)).endsWith("in Databases"), `count ${await countText(page)}`);
    await page.locator("article.card h2 a").first().click();
    await page.waitForURL(/\/blog\/[^/]+\.html$/);
    assert(await styled(), "the article's stylesheet did not load from disk");
    const title = await page.locator("h1").first().innerText();
    assert(title.length > 0, "no article title");
    await page.locator("a.site-name").click();
    await page.waitForURL(/\/index\.html$/);
    await page.locator("nav.pagination a[rel=next]").click();
    await page.waitForURL(/\/page\/2\.html$/);
    assert((await cardCount(page)) > 0, "page 2 has no cards");
    // A bundle post's figure, beside it on disk.
    await page.goto(`file://${out}/blog/webcodecs-api-video-processing-browser.html`);
    const figure = page.locator("article img").first();
    await figure.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => { const img = document.querySelector("article img"); return img?.complete && img.naturalWidth > 0; }, null, { timeout: 10_000 });
    assert((await figure.getAttribute("src")).startsWith("../blog/"), "the figure's source is not relative");
    await context.close();
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, { timeout: 180 });

/** The shared list of queries the live and exported searches must answer alike. */
function sharedQueries() {
  const text = fs.readFileSync(path.join(repo, "tests/fixtures/search/queries.txt"), "utf8");
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

test("on a static host the exported site's search box loads its engine on first focus and answers the shared queries as the server does", async ({ browser, startServer }) => {
  const host = await exportedStaticHost();
  const server = await startServer({ name: "live search server" });
  try {
    const { page, context, problems } = await open(browser, `${host.base}/`);
    const fetched = [];
    page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
    await hydrated(page);
    const searchFiles = () => fetched.filter((p) => p.startsWith("/_search/") || p.includes("quire-find-"));
    assert(searchFiles().length === 0, `loaded before any focus: ${searchFiles()}`);
    const engine = page.waitForResponse((r) => r.url().includes("/assets/quire-find-") && r.status() === 200);
    await page.focus("#search-input");
    await engine;
    const shown = () => page.evaluate(() => ({
      urls: [...document.querySelectorAll("#search-results li a")].map((a) => a.getAttribute("href")),
      status: document.querySelector("form.search p[role=status]")?.textContent ?? "",
      empty: document.querySelector("#search-results, .search-results .search-empty") !== null,
    }));
    let compared = 0;
    let found = 0;
    for (const query of sharedQueries()) {
      const api = await fetch(`${server.base}/api/search?q=${encodeURIComponent(query)}&limit=8&lang=en`);
      assert(api.status === 200, `live /api/search ${query}: ${api.status}`);
      const live = await api.json();
      const want = live.hits.map((h) => h.url);
      const started = Date.now();
      await page.fill("#search-input", query);
      const same = await page.waitForFunction((want) => {
        const urls = [...document.querySelectorAll("#search-results li a")].map((a) => a.getAttribute("href"));
        const empty = document.querySelector(".search-results .search-empty") !== null;
        return want.length === 0 ? empty : JSON.stringify(urls) === JSON.stringify(want);
      }, want, { timeout: 10_000 }).then(() => true, () => false);
      const got = await shown();
      assert(same, `"${query}": the export shows ${JSON.stringify(got.urls)}, the server ${JSON.stringify(want)}`);
      if (want.length > 0) {
        assert(got.status === live.status, `"${query}": status "${got.status}", the server's "${live.status}"`);
        found += 1;
      }
      compared += 1;
      if (compared === 1) console.log(`  first query after focus: ${Date.now() - started} ms (unthrottled)`);
    }
    assert(compared >= 30 && found >= 25, `compared ${compared} queries, ${found} with results`);
    // The demo is small: once the engine was open, the loader fetched the
    // posts' packs and every shard (meta.json's background), one at a
    // time; since then a query fetches nothing (no round trip on a phone).
    const background = JSON.parse(fs.readFileSync(path.join(host.out, "_search/meta.json"), "utf8")).background;
    assert(background.some((f) => f.startsWith("docpack-")) && background.some((f) => f.endsWith(".bin")), `background: ${background}`);
    const arrived = await page.waitForFunction((names) => {
      const done = performance.getEntriesByType("resource").filter((e) => e.responseEnd > 0).map((e) => new URL(e.name).pathname);
      return names.every((name) => done.includes(`/_search/${name}`));
    }, background, { timeout: 30_000 }).then(() => true, () => false);
    assert(arrived, `the background's files did not all arrive: ${background.filter((n) => !fetched.includes(`/_search/${n}`))}`);
    const before = fetched.length;
    for (const query of ["kernel", "postgre", "latncy"]) {
      await page.fill("#search-input", "");
      await page.fill("#search-input", query);
      await page.waitForSelector("#search-results li a, .search-results .search-empty");
    }
    const after = fetched.slice(before).filter((p) => p.startsWith("/_search/"));
    assert(after.length === 0, `with the background loaded, queries still fetched ${after}`);
    // The page hands the loader the head it read: one round trip, not two,
    // before the engine can open (on a phone's network, 150 ms).
    const heads = fetched.filter((p) => p === "/_search/meta.json").length;
    assert(heads === 1, `/_search/meta.json asked ${heads} times by one page`);
    // Enter on a result opens it: a page the export has.
    await page.fill("#search-input", "");
    await page.fill("#search-input", "postgres");
    const postgres = (await (await fetch(`${server.base}/api/search?q=postgres&limit=8&lang=en`)).json()).hits.map((h) => h.url);
    await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll("#search-results li a")].map((a) => a.getAttribute("href"))) === JSON.stringify(want), postgres);
    await page.keyboard.press("ArrowDown");
    const href = await page.locator("#search-results li.active a").getAttribute("href");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === href);
    assert(await page.locator("article h1").count() === 1, `${href} is no article`);
    // The search page (the form's Enter, the box's "All results" link):
    // the host sends the empty page, the client fills it as the server does.
    const listed = (p) => p.evaluate(() => ({
      urls: [...document.querySelectorAll("ol.results li h2 a")].map((a) => a.getAttribute("href")),
      count: document.querySelector("section.search-page p.count")?.textContent,
      dates: [...document.querySelectorAll("ol.results time")].map((t) => t.textContent),
    }));
    const live = await open(browser, `${server.base}/search?q=rust%20async`);
    const want = await listed(live.page);
    await live.context.close();
    assert(want.urls.length > 0, "the live search page found nothing");
    await page.goto(`${host.base}/search?q=rust%20async`);
    await page.waitForFunction((n) => document.querySelectorAll("ol.results li").length === n, want.urls.length, { timeout: 10_000 });
    const got = await listed(page);
    assert(JSON.stringify(got) === JSON.stringify(want), `static search page ${JSON.stringify(got)}\nlive ${JSON.stringify(want)}`);
    assert(await page.inputValue("#search-page-input") === "rust async", "the page's box does not show the query");
    cleanConsole(problems);
    await context.close();
  } finally {
    host.stop();
    await server.stop();
  }
}, { timeout: 240 });

test("listing swaps reuse the client's memory: 200 more swaps grow the wasm heap by nothing", async ({ browser, base }) => {
  // The client's allocator (src/main.rs) must free and reuse: a leak of
  // even a few hundred bytes a swap would grow the memory by 64 KiB pages.
  const { page, context, problems } = await open(browser, `${base}/`);
  await hydrated(page);
  const swap = (times) => page.evaluate(async (times) => {
    const countIs = (wanted) => new Promise((resolve) => {
      const check = () => (wanted(document.querySelector("p.count")?.innerText ?? "") ? resolve() : setTimeout(check, 5));
      check();
    });
    const chip = (name) => [...document.querySelectorAll("nav.chips a")].find((a) => a.textContent === name);
    for (let i = 0; i < times; i++) {
      chip("Databases").click();
      await countIs((text) => text.endsWith("in Databases"));
      chip("All").click();
      await countIs((text) => text === "102 articles");
    }
    return globalThis.__dx_mainWasm.memory.buffer.byteLength;
  }, times);
  const warm = await swap(10);
  const after = await swap(100);
  assert(after === warm, `wasm memory grew from ${warm} to ${after} B over 200 swaps`);
  cleanConsole(problems);
  await context.close();
}, { timeout: 120 });

test("tags combine and the count names them", async ({ browser, base }) => {
  const { page, context, problems } = await open(browser, `${base}/?tag=rust`);
  await hydrated(page);
  const before = await cardCount(page);
  assert(before > 1, `rust-tagged cards ${before}`);
  assert((await countText(page)).endsWith("tagged #rust"), await countText(page));
  await page.locator("article.card a.tag", { hasText: /^#webassembly$/ }).first().click();
  await page.waitForURL(/tag=rust&tag=webassembly/);
  await page.waitForFunction(() => document.querySelector("p.count")?.innerText.endsWith("tagged #rust + #webassembly"));
  const after = await cardCount(page);
  assert(after >= 1 && after <= before, `combined cards ${after}`);
  cleanConsole(problems);
  await context.close();
});

test("theme toggle persists and applies before first paint", async ({ browser, base }) => {
  const context = await browser.newContext({ colorScheme: "light" });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await hydrated(page);
  await page.locator("button.theme-toggle").click();
  assert((await page.evaluate(() => document.documentElement.dataset.theme)) === "dark", "toggle did not switch to dark");
  // A fresh load: the inline head script applies the stored theme before
  // any stylesheet paints, so the very first frame is dark.
  await page.goto(`${base}/blog/${ARTICLE}`, { waitUntil: "commit" });
  await page.waitForSelector("body");
  assert((await page.evaluate(() => document.documentElement.dataset.theme)) === "dark", "theme not applied before hydration");
  await page.waitForLoadState("load");
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert(bg === "rgb(18, 20, 23)", `background ${bg}`);
  await context.close();
});

test("copy button copies a code block", async ({ browser, base }) => {
  const { page, context } = await open(browser, `${base}/blog/${ARTICLE}`);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  await hydrated(page);
  const button = page.locator(".code-block .copy-code").first();
  await button.click();
  await page.waitForFunction(() => document.querySelector(".code-block .copy-code")?.textContent === "Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const code = await page.locator(".code-block pre").first().textContent();
  assert(copied === code && copied.length > 0, "clipboard does not hold the code");
  await context.close();
});

// ---- Valid HTML -------------------------------------------------------------------

/** The Nu Html Checker's errors on the pages at `urls` under `base`, each named by its URL. */
async function vnuErrors(base, urls) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quire-vnu-"));
  const files = [];
  for (const [i, url] of urls.entries()) {
    const file = path.join(dir, `page-${i}.html`);
    fs.writeFileSync(file, await (await fetch(`${base}${url}`)).text());
    files.push(file);
  }
  const jar = path.join(repo, ".tools/node_modules/vnu-jar/build/dist/vnu.jar");
  assert(fs.existsSync(jar), `no Nu checker at ${jar} (scripts/setup.sh installs it)`);
  // vnu writes its JSON report on stderr, with exit 1 when it found errors
  // and 0 when not. No Java is a failure, never an empty report.
  const run = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "json", ...files], { encoding: "utf8" });
  if (run.error) throw new Error(`could not run java (scripts/setup.sh --browser installs it): ${run.error.message}`);
  const report = run.stderr || run.stdout;
  let parsed;
  try {
    parsed = JSON.parse(report);
  } catch {
    throw new Error(`the Nu checker gave no JSON report (exit ${run.status}): ${String(report).slice(0, 300)}`);
  }
  assert(Array.isArray(parsed.messages), `the Nu checker gave no report: ${String(report).slice(0, 300)}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return parsed.messages
    .filter((m) => m.type === "error")
    .map((m) => `${urls[files.indexOf(m.url.replace("file:", ""))] ?? m.url}: ${m.message}`);
}

test("the Nu Html Checker finds no errors on index, article, category, tag, their lists, search and 404", async ({ base }) => {
  const errors = await vnuErrors(base, ["/", `/blog/${ARTICLE}`, "/category/databases", "/tags/rust", "/tags", "/category", "/search?q=rust", "/nope"]);
  assert(errors.length === 0, `HTML errors:\n${errors.join("\n")}`);
});

test("an Arabic site reads right to left, its code left to right; axe and the Nu checker find nothing; screenshots kept", async ({ browser, startServer }) => {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), "quire-rtl-"));
  const fixtures = path.join(repo, "tests", "fixtures", "languages");
  fs.copyFileSync(path.join(fixtures, "cairo.ar.md"), path.join(source, "cairo.md"));
  fs.writeFileSync(path.join(source, "nile.md"), `+++\ntitle = "ملاحظات عن النيل"\ndate = 2026-03-11\ncategory = "سفر"\ntags = ["مصر"]\n+++\n\n## على الضفة\n\nيمر النهر بالمدينة من الجنوب إلى الشمال، ويستعمل الأمر \`ls -la\` هنا مثالًا.\n\n> كان الماء هادئًا في المساء.\n\n\`\`\`rust\nfn main() {\n    println!("مرحبا");\n}\n\`\`\`\n\n| اليوم | المسافة |\n|---|---|\n| الأول | ١٢ كم |\n`);
  const english = fs.readFileSync(path.join(fixtures, "postgres-vacuum.md"), "utf8").replace("+++\n", '+++\nlang = "en"\n');
  fs.writeFileSync(path.join(source, "postgres-vacuum.md"), english);
  const toml = `title = "مدونة السفر"\ntagline = "رحلات وملاحظات"\nlanguage = "ar"\n`;
  const server = await startServer({ source, files: { "quire.toml": toml }, name: "Arabic server" });
  try {
    const { page, context } = await open(browser, `${server.base}/blog/nile`, { javaScript: true });
    await hydrated(page);
    const layout = await page.evaluate(() => {
      const style = (selector) => getComputedStyle(document.querySelector(selector));
      const quote = style(".post-body blockquote");
      return {
        dir: document.documentElement.dir, lang: document.documentElement.lang,
        body: style(".post-body p").direction, pre: style(".post-body pre").direction, code: style(".post-body p code").direction,
        quoteRight: quote.borderRightWidth, quoteLeft: quote.borderLeftWidth,
      };
    });
    assert(layout.dir === "rtl" && layout.lang === "ar", `<html lang dir>: ${JSON.stringify(layout)}`);
    assert(layout.body === "rtl" && layout.pre === "ltr" && layout.code === "ltr", `text right to left, code left to right: ${JSON.stringify(layout)}`);
    assert(layout.quoteRight === "3px" && layout.quoteLeft === "0px", `the quote's rule is on its start side, the right: ${JSON.stringify(layout)}`);
    await page.goto(`${server.base}/blog/postgres-vacuum`);
    const english = await page.evaluate(() => ({ lang: document.querySelector("article").lang, dir: getComputedStyle(document.querySelector(".post-body p")).direction }));
    assert(english.lang === "en" && english.dir === "ltr", `an English post in an Arabic site reads left to right: ${JSON.stringify(english)}`);
    await context.close();
    const found = [];
    for (const url of ["/", "/blog/nile", "/blog/postgres-vacuum"]) {
      for (const scheme of ["light", "dark"]) {
        const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
        const page = await context.newPage();
        await page.goto(`${server.base}${url}`);
        await hydrated(page);
        for (const v of await axeViolations(page)) found.push(`${url} (${scheme}): ${v}`);
        await context.close();
      }
    }
    assert(found.length === 0, `axe violations:\n${found.join("\n")}`);
    for (const [name, url] of [["index", "/"], ["article", "/blog/nile"]]) {
      for (const [device, width, height] of [["phone", 360, 780], ["desktop", 1280, 900]]) {
        const { page, context } = await open(browser, `${server.base}${url}`, { width, height });
        await hydrated(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert(overflow <= 0, `${name} at ${width}px scrolls sideways by ${overflow}px`);
        await page.screenshot({ path: path.join(artifacts, `rtl-${name}-${device}.png`), fullPage: false });
        await context.close();
      }
    }
    const errors = await vnuErrors(server.base, ["/", "/blog/nile", "/blog/postgres-vacuum"]);
    assert(errors.length === 0, `HTML errors:\n${errors.join("\n")}`);
  } finally {
    await server.stop();
    fs.rmSync(source, { recursive: true, force: true });
  }
}, { timeout: 180 });

test("a site in four languages: switchers between translations and homes, the filter and search per language, LTR and RTL axe- and Nu-clean; screenshots kept", async ({ browser, startServer }) => {
  const fixture = path.join(repo, "tests", "fixtures", "multilingual");
  // The fixture names a base_url for the HTTP tests; here the server's own address is.
  const toml = fs.readFileSync(path.join(fixture, "quire.toml"), "utf8").replace(/^base_url.*\n/m, "");
  const server = await startServer({ source: path.join(fixture, "content"), files: { "quire.toml": toml }, name: "multilingual server" });
  try {
    const { page, context, problems } = await open(browser, `${server.base}/fr/blog/sourdough`);
    await hydrated(page);
    const fr = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir, h1: document.querySelector("h1").innerText }));
    assert(fr.lang === "fr" && fr.dir !== "rtl" && fr.h1 === "Garder un levain en vie", `the French article: ${JSON.stringify(fr)}`);
    await page.locator("nav.translations a[hreflang=ja]").click();
    await page.waitForURL((url) => url.pathname === "/ja/blog/sourdough");
    await page.waitForFunction(() => document.documentElement.lang === "ja" && document.querySelector("h1").innerText.includes("サワードウ"));
    await hydrated(page);
    await page.locator("nav.languages a[hreflang=ar]").click();
    await page.waitForURL((url) => url.pathname === "/ar");
    await page.waitForFunction(() => document.documentElement.dir === "rtl" && document.documentElement.lang === "ar");
    await hydrated(page);
    const arabic = await page.evaluate(() => [...document.querySelectorAll("article.card h2")].map((h) => h.innerText));
    assert(arabic.length === 2 && arabic.every((t) => /[\u0600-\u06FF]/.test(t)), `the Arabic home lists the Arabic posts only: ${arabic}`);
    await page.goto(`${server.base}/ar/blog/sourdough`);
    await hydrated(page);
    const code = await page.evaluate(() => ({ body: getComputedStyle(document.querySelector(".post-body p")).direction, pre: getComputedStyle(document.querySelector(".post-body pre")).direction }));
    assert(code.body === "rtl" && code.pre === "ltr", `Arabic text right to left, its code left to right: ${JSON.stringify(code)}`);
    // The filter on the French home stays French; search ranks the page's language first.
    await page.goto(`${server.base}/fr`);
    await hydrated(page);
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.locator("nav.chips a", { hasText: /^Kitchen$/ }).click();
    await page.waitForURL((url) => url.pathname === "/fr" && url.search === "?category=kitchen");
    await page.waitForFunction(() => [...document.querySelectorAll("article.card h2")].map((h) => h.innerText).join("|") === "Garder un levain en vie");
    assert(await page.evaluate(() => window.__sameDocument === true), "the French filter reloaded the page instead of swapping the listing in");
    await page.goto(`${server.base}/ja`);
    await hydrated(page);
    await page.locator("#search-input").fill("酵母");
    await page.waitForSelector("#search-results li.search-result");
    const first = await page.locator("#search-results li.search-result a").first().getAttribute("href");
    assert(first === "/ja/blog/sourdough", `酵母 finds the Japanese sourdough post first: ${first}`);
    assert(await page.locator("#search-results mark", { hasText: "酵母" }).count() >= 1, "酵母 highlighted");
    cleanConsole(problems);
    await context.close();
    const pages = ["/fr", "/fr/blog/sourdough", "/ar", "/ar/blog/sourdough", "/ja/blog/workbench", "/notes/pruning"];
    const found = [];
    for (const url of pages) {
      for (const scheme of ["light", "dark"]) {
        // axe is injected as an inline script, which the site's CSP forbids.
        const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
        const page = await context.newPage();
        await page.goto(`${server.base}${url}`);
        await hydrated(page);
        for (const v of await axeViolations(page)) found.push(`${url} (${scheme}): ${v}`);
        await context.close();
      }
    }
    assert(found.length === 0, `axe violations:\n${found.join("\n")}`);
    for (const [name, url] of [["fr-index", "/fr"], ["fr-article", "/fr/blog/sourdough"], ["ar-index", "/ar"], ["ar-article", "/ar/blog/sourdough"], ["ja-article", "/ja/blog/sourdough"]]) {
      for (const [device, width, height] of [["phone", 360, 780], ["desktop", 1280, 900]]) {
        const { page, context } = await open(browser, `${server.base}${url}`, { width, height });
        await hydrated(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert(overflow <= 0, `${name} at ${width}px scrolls sideways by ${overflow}px`);
        await page.screenshot({ path: path.join(artifacts, `languages-${name}-${device}.png`), fullPage: false });
        await context.close();
      }
    }
    const errors = await vnuErrors(server.base, [...pages, "/ja", "/fr/category/garden", "/fr/search?q=levain"]);
    assert(errors.length === 0, `HTML errors:\n${errors.join("\n")}`);
  } finally {
    await server.stop();
  }
}, { timeout: 240 });

// ---- Budgets ------------------------------------------------------------------------

test("the index HTML is within its budget: 40 KiB brotli (docs/BUDGETS.md)", async ({ base }) => {
  const response = await fetch(`${base}/`, { headers: { "Accept-Encoding": "br" } });
  assert(response.headers.get("content-encoding") === "br", `encoding ${response.headers.get("content-encoding")}`);
  const bytes = Number(response.headers.get("content-length"));
  assert(bytes > 0 && bytes <= 40 * 1024, `index HTML is ${bytes} B brotli, over 40,960`);
});

test(`the search box shows results within its budget: median ${SEARCH_BUDGET_MS} ms after the last keystroke (docs/BUDGETS.md)`, async ({ browser, base }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await hydrated(page);
  const queries = ["kubernets", "postgres", "rust wasm", "tla", "formal verif", "sqlite", "quic", "rus", "distribted", "cache"];
  const samples = await searchTimes(page, queries);
  console.log(`    search box, ${samples.length} queries: ${describe(samples)}`);
  assert(median(samples) <= SEARCH_BUDGET_MS, `search box median ${Math.round(median(samples))} ms, over ${SEARCH_BUDGET_MS} ms: ${describe(samples)}`);
  await context.close();
});

// ---- Accessibility and layout --------------------------------------------------

test("axe-core finds no violations on index, article, search, the lists of tags and categories, and 404", async ({ browser, base }) => {
  const found = [];
  for (const [name, url] of [["index", "/"], ["article", `/blog/${ARTICLE}`], ["search", "/search?q=rust"], ["tags", "/tags"], ["categories", "/category"], ["tag", "/tags/rust"], ["404", "/nope"]]) {
    for (const scheme of ["light", "dark"]) {
      // axe is injected as an inline script, which the site's CSP forbids.
      const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${base}${url}`);
      await hydrated(page);
      for (const v of await axeViolations(page)) found.push(`${name} (${scheme}): ${v}`);
      await context.close();
    }
  }
  assert(found.length === 0, `axe violations:\n${found.join("\n")}`);
});

test("fits phone and desktop widths; screenshots kept", async ({ browser, base }) => {
  for (const [name, url] of [["index", "/"], ["article", `/blog/${ARTICLE}`], ["search", "/search?q=postgres"]]) {
    for (const [device, width, height] of [["phone", 360, 780], ["desktop", 1280, 900]]) {
      const { page, context } = await open(browser, `${base}${url}`, { width, height });
      await hydrated(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 0, `${name} at ${width}px scrolls sideways by ${overflow}px`);
      await page.screenshot({ path: path.join(artifacts, `${name}-${device}.png`), fullPage: false });
      await context.close();
    }
  }
});

// ---- Theme (docs/THEMING.md) ------------------------------------------------------

const logoSvg = (ink) => `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="32" viewBox="0 0 160 32"><rect width="32" height="32" rx="6" fill="${ink}"/><text x="42" y="23" font-family="Georgia, serif" font-size="20" fill="${ink}">Restyled</text></svg>`;
/** A 40×40 PNG (the favicon source: Quire makes its sizes from it). */
const SQUARE_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAACgAAAAoCAIAAAADnC86AAAALklEQVR42u3NsQkAAAgDsB7W//EsnxBcAtmTaV9ELBaLxWKxWCwWi8VisVgsvrMSJtBqHMf0fQAAAABJRU5ErkJggg==", "base64");

/** The fixture of the restyled-site test: the demo with a theme and partials. */
const RESTYLED = {
  env: {
    QUIRE_TITLE: "Restyled",
    QUIRE_LOGO: "brand/logo.svg",
    QUIRE_LOGO_DARK: "brand/logo-dark.svg",
    QUIRE_FAVICON: "brand/icon.png",
    QUIRE_ACCENT: "#8a3b12",
    QUIRE_FONT_TEXT: "Georgia, 'Times New Roman', serif",
    QUIRE_FONT_CODE: "'DejaVu Sans Mono', monospace",
    QUIRE_CODE_THEME: "InspiredGitHub",
    QUIRE_CODE_THEME_DARK: "base16-ocean.dark",
    QUIRE_DATE_FORMAT: "%e %B %Y",
    QUIRE_FOOTER: "© 2026 The Restyled · [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)",
    QUIRE_SOCIAL: '[{ kind = "mastodon", url = "https://mastodon.social/@restyled" }, { kind = "github", url = "https://github.com/restyled" }]',
  },
  files: {
    "brand/logo.svg": logoSvg("#1c1e21"),
    "brand/logo-dark.svg": logoSvg("#e7e9ec"),
    "brand/icon.png": SQUARE_PNG,
    "assets/custom.css": ".site-footer { border-top: 3px solid var(--accent); }\n.card { border-radius: 0; }\n",
    "content/_partials/header.md": "**New:** the archive is searchable.\n",
    "content/_partials/footer.md": "Written in Markdown, shown on every page.\n",
    "content/_partials/article_end.html": "<p><strong>Subscribe</strong> to the newsletter: one email a month.</p>\n",
    "content/_partials/404.md": "Nothing lives here. Try the [archive](/) or the search box.\n",
  },
};

test("a restyled site (logo, accent, fonts, custom CSS, partials) renders as set in light and dark: axe clean, no CSP violation, no layout shift", async ({ browser, startServer }) => {
  const server = await startServer({ ...RESTYLED, name: "restyled server" });
  const pages = [["index", "/"], ["article", `/blog/${ARTICLE}`], ["404", "/nope"]];
  try {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems = [];
      page.on("console", (m) => {
        // The 404 page's own status is logged as a failed load: expected.
        if (/status of 404/.test(m.text()) && m.location().url.endsWith("/nope")) return;
        if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      for (const [name, url] of pages) {
        await page.goto(`${server.base}${url}`);
        await hydrated(page);
        const at = `${name} (${scheme})`;
        const shift = await layoutShift(page);
        assert(shift < 0.01, `${at}: layout shift ${shift}`);
        const shown = await page.evaluate(() => {
          const logo = [...document.querySelectorAll("img.site-logo")].find((i) => getComputedStyle(i).display !== "none");
          const style = getComputedStyle(document.documentElement);
          return {
            logo: logo?.getAttribute("src") ?? "", loaded: !!logo && logo.complete && logo.naturalWidth > 0, alt: logo?.alt,
            accent: style.getPropertyValue("--accent").trim(), font: getComputedStyle(document.body).fontFamily,
            border: getComputedStyle(document.querySelector(".site-footer")).borderTopWidth,
            header: document.querySelector(".partial-header")?.innerText ?? "", footer: document.querySelector(".partial-footer")?.innerText ?? "",
            footerText: document.querySelector(".site-footer-text")?.innerText ?? "", icons: document.querySelectorAll("footer svg.social-icon").length,
            favicon: !!document.querySelector("link[rel=icon][sizes='32x32']") && !document.querySelector("link[rel=icon][type='image/svg+xml']"),
            end: document.querySelector(".partial-article-end")?.innerText ?? "", missing: document.querySelector(".partial-404")?.innerText ?? "",
          };
        });
        assert(shown.loaded && shown.alt === "Restyled", `${at}: the logo loads with the title as its alt: ${JSON.stringify(shown)}`);
        assert(shown.logo.includes("logo-dark") === (scheme === "dark"), `${at}: the ${scheme} logo shows, got ${shown.logo}`);
        if (scheme === "light") assert(shown.accent === "#8a3b12", `${at}: accent ${shown.accent}`);
        else assert(/^#[0-9a-f]{6}$/.test(shown.accent) && !["#8a3b12", "#7fb0ff"].includes(shown.accent), `${at}: a lighter twin of the accent, got ${shown.accent}`);
        assert(shown.font.startsWith("Georgia"), `${at}: font ${shown.font}`);
        assert(shown.border === "3px", `${at}: custom.css applies, footer border ${shown.border}`);
        assert(shown.header.includes("searchable") && shown.footer.includes("every page"), `${at}: header and footer partials: ${JSON.stringify(shown)}`);
        assert(shown.footerText.includes("CC BY 4.0") && shown.icons === 2 && shown.favicon, `${at}: footer, icons, favicon: ${JSON.stringify(shown)}`);
        if (name === "article") assert(shown.end.includes("Subscribe"), `${at}: the article-end partial`);
        if (name === "404") assert(shown.missing.includes("Nothing lives here"), `${at}: the 404 partial`);
      }
      cleanConsole(problems);
      await context.close();
    }
    const found = [];
    for (const [name, url] of pages) {
      for (const scheme of ["light", "dark"]) {
        // axe is injected as an inline script, which the site's CSP forbids.
        const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
        const page = await context.newPage();
        await page.goto(`${server.base}${url}`);
        await hydrated(page);
        for (const v of await axeViolations(page)) found.push(`${name} (${scheme}): ${v}`);
        await context.close();
      }
    }
    assert(found.length === 0, `axe violations:\n${found.join("\n")}`);
  } finally {
    await server.stop();
  }
});

/** The demo restyled by quire.toml and custom.css only (docs/THEMING.md shows the screenshots). */
const RESTYLES = [
  {
    name: "paper", scheme: "light",
    toml: `title = "Field Notes"\ntagline = "Slow writing about fast systems."\naccent = "#8a3b12"\nfont_text = "Charter, 'Bitstream Charter', Georgia, 'Times New Roman', serif"\ncard_layout = "list"\ndate_format = "%e %B %Y"\ncode_theme = "InspiredGitHub"\nfooter = "Set in Georgia on warm paper."\n`,
    css: `:root { --bg: #fbf7ef; --card: #fffdf8; --line: #e6dccb; --chip: #f1e8d8; }\n.site-header { height: 4.5rem; }\n.site-name { font-size: 1.5rem; font-style: italic; }\n.card { border-radius: 0; border-width: 0 0 1px; background: transparent; }\n.hero h1 { font-weight: 400; letter-spacing: -.02em; }\n`,
  },
  {
    name: "midnight", scheme: "dark",
    toml: `title = "Midnight Ops"\ntagline = "Infrastructure notes, after hours."\naccent = "#0f766e"\naccent_dark = "#2dd4bf"\ncode_theme_dark = "base16-ocean.dark"\nhome_page_size = 9\n[[social]]\nkind = "github"\nurl = "https://github.com/example"\n[[social]]\nkind = "mastodon"\nurl = "https://mastodon.social/@example"\n`,
    css: `:root[data-theme="dark"] { --bg: #0b1020; --card: #111831; --line: #1f2a4a; --chip: #18223f; }\n@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { --bg: #0b1020; --card: #111831; --line: #1f2a4a; --chip: #18223f; } }\n.card { border-radius: 1.25rem; box-shadow: 0 6px 24px rgb(0 0 0 / .35); }\n.chip { border-radius: .4rem; }\n`,
  },
  {
    name: "mono", scheme: "light",
    toml: `title = "plain.text"\ntagline = "No fonts were downloaded for this page."\naccent = "#b3261e"\nfont_text = "ui-monospace, 'DejaVu Sans Mono', Menlo, monospace"\nfont_code = "ui-monospace, 'DejaVu Sans Mono', monospace"\ncard_layout = "list"\ndate_format = "%Y-%m-%d"\n[[header_links]]\ntitle = "Now"\nurl = "/now"\n`,
    css: `body { font-size: 15px; }\n.card, .chip, .tag { border-radius: 0; }\n.card { border: 2px solid var(--fg); background: var(--bg); }\n.site-header { border-bottom: 2px solid var(--fg); }\n`,
  },
];

test("the demo restyled three ways by quire.toml and custom.css; screenshots kept", async ({ browser, startServer }) => {
  for (const style of RESTYLES) {
    const server = await startServer({ files: { "quire.toml": style.toml, "assets/custom.css": style.css }, name: `${style.name} server` });
    try {
      const context = await browser.newContext({ colorScheme: style.scheme, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.base}/`);
      await hydrated(page);
      const sheets = await page.evaluate(() => [...document.querySelectorAll("link[rel=stylesheet]")].map((l) => new URL(l.href).pathname));
      assert(sheets.some((s) => s.startsWith("/_theme/")) && sheets.at(-1).startsWith("/_custom/"), `${style.name}: stylesheets ${sheets}`);
      await page.screenshot({ path: path.join(artifacts, `theme-${style.name}.png`), fullPage: false });
      await context.close();
    } finally {
      await server.stop();
    }
  }
});

// ---- Hardening (docs/SECURITY.md) ------------------------------------------------

/** Opens `url` recording CSP violations (DOM events and console) and dialogs. */
async function openWatched(browser, url) {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  const page = await context.newPage();
  const messages = [];
  const dialogs = [];
  page.on("console", (m) => messages.push(m.text()));
  page.on("pageerror", (e) => messages.push(e.message));
  page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const response = await page.goto(url);
  return { context, page, response, messages, dialogs };
}

async function cspViolations(page, messages) {
  const events = await page.evaluate(() => window.__csp);
  return [...events, ...messages.filter((m) => /Content.Security.Policy/i.test(m))];
}

test("hydrates under the Content-Security-Policy with no violation", async ({ browser, base }) => {
  for (const url of ["/", `/blog/${ARTICLE}`, "/search?q=rust", "/nope"]) {
    const { context, page, response, messages } = await openWatched(browser, `${base}${url}`);
    const policy = response.headers()["content-security-policy"] ?? "";
    assert(policy.includes("script-src 'self' 'wasm-unsafe-eval'") && policy.includes("'sha256-"), `${url}: policy ${policy}`);
    const inline = policy.split("; ").filter((d) => d.includes("unsafe-inline"));
    assert(inline.join() === "style-src-attr 'unsafe-inline'", `${url}: 'unsafe-inline' in ${policy}`);
    assert(response.headers()["x-content-type-options"] === "nosniff", `${url}: nosniff`);
    await hydrated(page);
    if (url === "/") {
      // Exercise the client: search as you type, a filter chip.
      await page.keyboard.press("/");
      await page.keyboard.type("kubernetes");
      await page.waitForSelector("#search-results li.search-result");
      await page.keyboard.press("Escape");
      await page.locator("nav.chips a", { hasText: /^Databases$/ }).click();
      await page.waitForURL(/category=databases/);
    }
    const violations = await cspViolations(page, messages);
    assert(violations.length === 0, `${url}: CSP violations:\n${violations.join("\n")}`);
    await context.close();
  }
});

test("hostile posts run no script and inject no element, raw HTML dropped or sanitised", async ({ browser, startServer }) => {
  const fixtures = path.join(repo, "tests/fixtures/xss");
  const slugs = fs.readdirSync(fixtures).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3));
  // No embed host: every iframe of the corpus must go (tests/hostile.rs
  // covers the listed host's sandboxed frame without a browser).
  for (const allowRaw of ["drop", "sanitize"]) {
    const hostile = await startServer({ source: fixtures, env: { QUIRE_RAW_HTML: allowRaw }, name: `hostile server (raw HTML ${allowRaw})` });
    try {
      const base = hostile.base;
      const urls = ["/", ...slugs.map((s) => `/blog/${s}`), "/search?q=alert", "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"];
      for (const url of urls) {
        const { context, page, response, messages, dialogs } = await openWatched(browser, `${base}${url}`);
        assert(response.status() === 200, `${url}: status ${response.status()}`);
        await hydrated(page);
        await page.waitForLoadState("load");
        // Give focus, hover and animation handlers their chance to fire.
        await page.mouse.move(200, 300);
        await page.keyboard.press("Tab");
        const injected = await page.evaluate(() => {
          const found = [];
          const known = [/^try\{var t=localStorage/, /^window\.hydrate_queue=/, /^window\.initial_dioxus_hydration_data=/, /^const load=\(\)=>import\("\/\.\/assets\/quire-[\w-]+\.js"\);/];
          for (const s of document.querySelectorAll("script")) {
            const text = s.textContent.trim();
            const ok = (s.src && new URL(s.src).origin === location.origin && text === "") ||
              s.type === "application/ld+json" || known.some((re) => re.test(text));
            if (!ok) found.push(`script: ${s.outerHTML.slice(0, 120)}`);
          }
          for (const el of document.querySelectorAll("iframe, object, embed, frame, base, style, plaintext, xmp, meta[http-equiv]")) {
            found.push(`element: ${el.outerHTML.slice(0, 120)}`);
          }
          for (const el of document.querySelectorAll("*")) {
            for (const attr of el.attributes) {
              const value = attr.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
              if (attr.name.startsWith("on")) found.push(`handler: <${el.localName} ${attr.name}>`);
              if (["href", "src", "action", "formaction", "xlink:href", "data"].includes(attr.name) && /^(javascript|vbscript|data:text)/.test(value)) {
                found.push(`url: <${el.localName} ${attr.name}=${attr.value.slice(0, 60)}>`);
              }
            }
          }
          return found;
        });
        const violations = await cspViolations(page, messages);
        assert(dialogs.length === 0, `${url} (raw HTML ${allowRaw}): dialogs ${dialogs.join(", ")}`);
        assert(injected.length === 0, `${url} (raw HTML ${allowRaw}): injected\n${injected.join("\n")}`);
        assert(violations.length === 0, `${url} (raw HTML ${allowRaw}): CSP violations (blocked injections?)\n${violations.join("\n")}`);
        await context.close();
      }
    } finally {
      await hostile.stop();
    }
  }
}, { timeout: 120 });

// ---- Self-test canaries: each must fail, for its reason -------------------------

canary("a hung test times out and the run goes on", async () => {
  await new Promise(() => {});
}, { timeout: 2, expect: /^timed out after 2 s$/ });

canary("an inline script without a hash is a CSP violation in an ordinary test", async ({ browser, base }) => {
  const { page, context } = await open(browser, `${base}/`);
  await hydrated(page);
  // Evaluated by the driver (not subject to CSP); the script element it adds is.
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__canary = 1";
    document.body.append(s);
  });
  await context.close();
  // Both paths must report it: the page's event and the console message.
}, { expect: /^CSP violations:(?=[\s\S]*: script-src-elem blocked inline)(?=[\s\S]*: console error: .*Content Security Policy)/ });

canary("a panic in the server log fails the test", async ({ server }) => {
  server.inject("thread 'tokio-runtime-worker' panicked at src/server/http.rs:1:1:\ncanary panic\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace");
}, { expect: /panic: thread 'tokio-runtime-worker' panicked at src\/server\/http\.rs/ });

canary("an unexpected ERROR line in the server log fails the test", async ({ server }) => {
  server.inject("\x1b[2m2026-01-01T00:00:00.000000Z\x1b[0m \x1b[31mERROR\x1b[0m quire::server::http: canary error");
}, { expect: /unexpected ERROR: .*ERROR quire::server::http: canary error/ });

canary("a panic in a server the test started itself fails the test", async ({ startServer }) => {
  const own = await startServer({ name: "canary server" });
  own.inject("thread 'main' panicked at src/main.rs:1:1:");
  await own.stop();
}, { expect: /canary server log: panic/ });

canary("a dist/quire without a stamp, or changed after stamping, is refused", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quire-stamp-"));
  const bin = path.join(dir, "quire");
  fs.writeFileSync(bin, "#!/bin/sh\n", { mode: 0o755 });
  const check = () => spawnSync(path.join(repo, "scripts/fresh-binary.sh"), [bin], { encoding: "utf8" });
  const unstamped = check();
  assert(unstamped.status === 1 && /no .*quire\.stamp[\s\S]*make build/.test(unstamped.stderr), `unstamped: ${unstamped.status} ${unstamped.stderr}`);
  for (const step of ["--begin", "--stamp"]) spawnSync(path.join(repo, "scripts/fresh-binary.sh"), [step, bin]);
  assert(check().status === 0, `a just-stamped binary is refused: ${check().stderr}`);
  fs.appendFileSync(bin, "# changed\n");
  const changed = check();
  fs.rmSync(dir, { recursive: true, force: true });
  throw new Error(`refused (${changed.status}): ${changed.stderr.split("\n")[0]}`);
}, { expect: /^refused \(1\): .*not the binary .*stamp describes/ });

canary("control: a clean test still passes (this canary must fail only by its expectation)", async ({ browser, base }) => {
  const { page, context, problems } = await open(browser, `${base}/`);
  await hydrated(page);
  cleanConsole(problems);
  await context.close();
  throw new Error("control passed");
}, { expect: /^control passed$/ });

// ---- Runner -------------------------------------------------------------------

/** Rejects with "timed out after N s" unless `promise` settles first. */
async function withTimeout(promise, seconds) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one test with its timeout and the runner's checks; returns the error or null. */
async function runOne({ fn, timeout }, browser, server) {
  const record = { contexts: new Set(), csp: [], servers: new Set() };
  const ownServer = async (options) => {
    const started = await startServer(options);
    record.servers.add(started);
    return started;
  };
  const problems = [];
  // A hung test keeps running after its timeout; its later rejection is expected.
  const running = Promise.resolve().then(() => fn({ browser: watchedBrowser(browser, record), base: server.base, server, startServer: ownServer }));
  running.catch(() => {});
  try {
    await withTimeout(running, timeout);
  } catch (err) {
    problems.push(err);
  }
  for (const context of record.contexts) await context.close().catch(() => {});
  for (const own of record.servers) {
    await own.stop();
    const found = scanLogToEnd(own);
    if (found.length) problems.push(new Error(found.join("\n")));
  }
  if (record.csp.length) problems.push(new Error(`CSP violations:\n${[...new Set(record.csp)].join("\n")}`));
  const found = scanLog(server);
  if (found.length) problems.push(new Error(found.join("\n")));
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    problems.push(new Error(`the server exited during the test (${server.child.exitCode ?? server.child.signalCode})`));
  }
  if (problems.length === 0) return null;
  // The test's own failure first (with its stack), then the runner's findings.
  const [first, ...rest] = problems;
  return rest.length ? new Error([first.message, ...rest.map((e) => e.message)].join("\n"), { cause: first }) : first;
}

const firstLines = (err) => String(err.cause?.stack ?? err.stack ?? err).split("\n").slice(0, 6)
  .concat(err.cause ? err.message.split("\n").slice(1) : []).join("\n  ");

async function main() {
  if (selfTest) console.log("self-test: each canary must fail, for the reason it names");
  else if (!binaryIsFresh()) {
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  let passed = 0;
  let failed = 0;
  for (const t of (selfTest ? canaries : tests).filter((t) => !only || t.name.includes(only))) {
    const err = await runOne(t, browser, server);
    if (selfTest) {
      if (err && t.expect.test(err.message)) {
        passed += 1;
        console.log(`ok - ${t.name}\n  failed as expected: ${err.message.split("\n").slice(0, 2).join(" | ")}`);
      } else {
        failed += 1;
        console.log(`FAILED - ${t.name}\n  expected a failure matching ${t.expect}, got ${err ? firstLines(err) : "a pass"}`);
      }
    } else if (err) {
      failed += 1;
      console.log(`FAILED - ${t.name}\n  ${firstLines(err)}`);
    } else {
      passed += 1;
      console.log(`ok - ${t.name}`);
    }
  }
  await browser.close();
  const crashed = server.child.exitCode !== null || server.child.signalCode !== null;
  await server.stop();
  for (const other of servers) await other.stop();
  fs.writeFileSync(path.join(artifacts, "server.log"), server.log());
  // What the server logged after the last test, or while shutting down.
  const late = selfTest ? [] : scanLogToEnd(server);
  if (late.length || crashed) {
    failed += 1;
    console.log(`FAILED - the server's log after the last test\n  ${[...late, ...(crashed ? ["the server exited before the end of the run"] : [])].join("\n  ")}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
