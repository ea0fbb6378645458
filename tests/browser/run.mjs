// Browser tests against the real release binary.
//
// Usage: node tests/browser/run.mjs dist/quire
// Starts the binary on a free port with a temporary data dir and a temporary
// copy of content/, drives Debian's Chromium through playwright-core, and
// prints "N passed, N failed". Exit code 1 on any failure.

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const require = createRequire(path.join(repo, ".tools/package.json"));
const { chromium } = require("playwright-core");

const binary = path.resolve(process.argv[2] ?? "dist/quire");
const artifacts = path.join(here, "artifacts");
fs.mkdirSync(artifacts, { recursive: true });

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

function assert(condition, message) {
  if (!condition) throw new Error(message);
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

/** Starts the binary; resolves once it logs that it is serving. */
async function startServer() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "quire-browser-"));
  const content = path.join(work, "content");
  fs.cpSync(path.join(repo, "content"), content, { recursive: true });
  const port = await freePort();
  const child = spawn(binary, ["serve", "--content", content, "--data", path.join(work, "data"), "--addr", `127.0.0.1:${port}`], {
    cwd: work,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${log}`)), 60_000);
    const onData = (chunk) => {
      log += chunk;
      if (log.includes("Quire is serving")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, work, content, log: () => log };
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
const countText = (page) => page.locator("p.count").innerText();

test("index renders fully with JavaScript disabled", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/`, { javaScript: false });
  assert(response.status() === 200, `status ${response.status()}`);
  assert((await page.title()) === "Blog", `title ${await page.title()}`);
  assert((await countText(page)) === "102 articles", `count ${await countText(page)}`);
  assert((await cardCount(page)) === 102, `cards ${await cardCount(page)}`);
  assert(await page.locator("a.skip-link").count() === 1, "skip link missing");
  const firstChip = await page.locator("nav.chips a").nth(1).innerText();
  assert(firstChip === "AI/ML", `first category chip ${firstChip}`);
  await page.screenshot({ path: path.join(artifacts, "index-nojs.png") });
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

test("article renders with JavaScript disabled", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/blog/formal-verification-tla-plus-distributed-systems`, { javaScript: false });
  assert(response.status() === 200, `status ${response.status()}`);
  const h1 = await page.locator("article.post h1").innerText();
  assert(h1.startsWith("TLA+ for Formal Verification"), `h1 ${h1}`);
  assert(await page.locator(".post-body h2").count() >= 3, "article body headings missing");
  assert(await page.locator(".post-body pre code").count() >= 1, "code block missing");
  await context.close();
});

test("unknown slug gets a styled 404 page", async ({ browser, base }) => {
  const { page, context, response } = await open(browser, `${base}/blog/no-such-post`, { javaScript: false });
  assert(response.status() === 404, `status ${response.status()}`);
  assert((await page.locator("h1").innerText()) === "Page not found", "404 heading");
  assert(await page.locator("header.site-header").count() === 1, "404 page lacks the site layout");
  await context.close();
});

test("hydrates without console errors or mismatch warnings", async ({ browser, base }) => {
  const { page, context, problems } = await open(browser, `${base}/`);
  await hydrated(page);
  await page.goto(`${base}/blog/formal-verification-tla-plus-distributed-systems`);
  await hydrated(page);
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
  assert(filtered > 0 && filtered < 102, `cards ${filtered}`);
  await page.screenshot({ path: path.join(artifacts, "index-filtered.png") });
  await page.goBack();
  await page.waitForFunction(() => document.querySelector("p.count")?.innerText === "102 articles");
  assert((await cardCount(page)) === 102, "back did not restore the full list");
  assert(await page.evaluate(() => window.__sameDocument === true), "back reloaded the page");
  cleanConsole(problems);
  await context.close();
});

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

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  let passed = 0;
  let failed = 0;
  for (const { name, fn } of tests) {
    try {
      await fn({ browser, base: server.base, server });
      passed += 1;
      console.log(`ok - ${name}`);
    } catch (err) {
      failed += 1;
      console.log(`FAILED - ${name}\n  ${String(err.stack ?? err).split("\n").slice(0, 6).join("\n  ")}`);
    }
  }
  await browser.close();
  server.child.kill("SIGTERM");
  fs.writeFileSync(path.join(artifacts, "server.log"), server.log());
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
