// Search box latency as a reader sees it: from the last keystroke to the
// results painted, measured inside the page (not through Playwright's round
// trips). Shared by the browser suite (which enforces the budget) and
// scripts/search-latency.mjs (make audit, which reports it).
//
// For each query: empty the box, type the query, and record
// - the last keystroke: the `timeStamp` of the final keydown event, the
//   moment the browser received the key;
// - results on screen: the first frame after the results list entered the
//   DOM, taken after that frame painted (requestAnimationFrame, then a task).
// The box is emptied between queries, so the list appears once per query
// and the one that appears is the answer to the whole query: stale answers
// to earlier prefixes are dropped by the box itself. Where a query costs
// no request (a static host's whole index in the engine), the box answers
// every keystroke: the list is there before the last one, and the answer
// to the whole query shows as its "All N results" link's new address.

/** The budget docs/BUDGETS.md states for the median, in milliseconds. */
export const SEARCH_BUDGET_MS = 100;

/** Installed in the page (addInitScript) before any script runs. */
export function instrument() {
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
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });
}

/** Milliseconds from the last keystroke to results painted, one per query, sorted. */
export async function searchTimes(page, queries) {
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
  return samples.sort((a, b) => a - b);
}

/** "median N ms, p90 N ms, max N ms" of sorted samples. */
export function describe(samples) {
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  const ms = (v) => `${Math.round(v)} ms`;
  return `median ${ms(at(0.5))}, p90 ${ms(at(0.9))}, max ${ms(samples[samples.length - 1])}`;
}

export function median(samples) {
  return samples[Math.floor(samples.length / 2)];
}
