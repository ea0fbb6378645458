// Search box latency as a reader sees it: from the last keystroke to the
// results painted, measured inside the page (not through Playwright's round
// trips). Part of `make audit`; prints one line, asserts nothing.
//
// Usage: node scripts/search-latency.mjs BASE_URL QUERY...
//
// For each query: empty the box, type the query, and record
// - the last keystroke: the `timeStamp` of the final keydown event, the
//   moment the browser received the key;
// - results on screen: the first frame after the results list entered the
//   DOM, taken after that frame painted (requestAnimationFrame, then a task).
// The box is emptied between queries, so the list appears once per query
// and the one that appears is the answer to the whole query: stale answers
// to earlier prefixes are dropped by the box itself.

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(repo, ".tools/package.json"));
const { chromium } = require("playwright-core");

const [base, ...queries] = process.argv.slice(2);
if (!base || queries.length === 0) {
  console.error("usage: node scripts/search-latency.mjs BASE_URL QUERY...");
  process.exit(2);
}

/** Installed in the page before any script runs. */
function instrument() {
  const marks = { lastKey: 0, shown: 0 };
  window.__searchMarks = marks;
  document.addEventListener("keydown", (event) => {
    marks.lastKey = event.timeStamp;
    marks.shown = 0;
  }, true);
  const afterPaint = () => new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(null);
    });
  });
  new MutationObserver(() => {
    if (marks.lastKey && !marks.shown && !marks.pending && document.querySelector("div.search-results")) {
      marks.pending = true;
      afterPaint().then((at) => { marks.shown = at; marks.pending = false; });
    }
  }).observe(document, { childList: true, subtree: true });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(instrument);
  await page.goto(`${base}/`);
  await page.waitForSelector("div.app[data-hydrated='true']", { timeout: 30_000 });
  const box = page.locator("#search-input");
  const samples = [];
  for (const query of queries) {
    await box.fill("");
    await page.waitForSelector("div.search-results", { state: "detached" });
    await page.evaluate(() => { window.__searchMarks.lastKey = 0; window.__searchMarks.shown = 0; });
    await box.pressSequentially(query);
    const handle = await page.waitForFunction(() => window.__searchMarks.shown > 0 && window.__searchMarks, null, { timeout: 10_000 });
    const { lastKey, shown } = await handle.jsonValue();
    samples.push(shown - lastKey);
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  const ms = (v) => `${Math.round(v)} ms`;
  console.log(`search box, ${samples.length} queries: results on screen after the last keystroke: median ${ms(at(0.5))}, p90 ${ms(at(0.9))}, max ${ms(samples[samples.length - 1])} (budget 100 ms)`);
} finally {
  await browser.close();
}
