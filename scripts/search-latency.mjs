// Search box latency as a reader sees it (tests/browser/search_timing.mjs
// says how it is measured). Part of `make audit`: prints one line, and
// exits 1 when the median is over the budget.
//
// Usage: node scripts/search-latency.mjs BASE_URL QUERY...

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SEARCH_BUDGET_MS, describe, instrument, median, searchTimes } from "../tests/browser/search_timing.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(repo, ".tools/package.json"));
const { chromium } = require("playwright-core");

const [base, ...queries] = process.argv.slice(2);
if (!base || queries.length === 0) {
  console.error("usage: node scripts/search-latency.mjs BASE_URL QUERY...");
  process.exit(2);
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
  const samples = await searchTimes(page, queries);
  console.log(`search box, ${samples.length} queries: results on screen after the last keystroke: ${describe(samples)} (budget ${SEARCH_BUDGET_MS} ms)`);
  if (median(samples) > SEARCH_BUDGET_MS) process.exitCode = 1;
} finally {
  await browser.close();
}
