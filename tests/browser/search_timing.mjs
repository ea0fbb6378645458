// Search box latency as a reader sees it: from the last keystroke to the
// results painted, measured inside the page (not through Playwright's round
// trips). Shared by the browser suite (which enforces the budget) and
// scripts/search-latency.mjs (make audit, which reports it).
//
// For each query: empty the box, type the query, and record
// - the last keystroke: the `timeStamp` of the final keydown event, the
//   moment the browser received the key;
// - results on screen: the first frame, after the last keystroke, that
//   shows the answer to the whole query, taken after that frame painted
//   (requestAnimationFrame, then a task). The list names the query it
//   answers in its "All N results" link (a list with no results names
//   none, and counts when it shows): an earlier prefix's list, on screen
//   while the whole query's answer is on its way, does not count.
// Stale answers to earlier prefixes are dropped by the box itself. On a
// static host the box answers every keystroke, and the answer to the
// whole query shows as the link's new address.

/** The budget docs/BUDGETS.md states for the median, in milliseconds. */
export const SEARCH_BUDGET_MS = 100;

/** Installed in the page (addInitScript) before any script runs. */
export function instrument() {
  const marks = { lastKey: 0, shown: 0, query: null };
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
  const answered = () => {
    const list = document.querySelector("div.search-results");
    const all = list?.querySelector("a.search-all");
    if (!list || !all || marks.query === null) return Boolean(list);
    return new URL(all.href).searchParams.get("q") === marks.query;
  };
  new MutationObserver(() => {
    if (!marks.lastKey || marks.shown || !answered()) return;
    const key = marks.lastKey;
    afterPaint().then((at) => {
      if (marks.lastKey === key && !marks.shown) marks.shown = at;
    });
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });
}

/**
 * Milliseconds from the last keystroke to results painted, one per query,
 * sorted. `typingMs` is the pause between keys: 0 sends a query's keys
 * back to back (a paste would be one event), 150 or so is a reader typing.
 */
export async function searchTimes(page, queries, typingMs = 0) {
  const box = page.locator("#search-input");
  const samples = [];
  for (const query of queries) {
    await box.fill("");
    await page.waitForSelector("div.search-results", { state: "detached" });
    await page.evaluate((q) => Object.assign(window.__searchMarks, { lastKey: 0, shown: 0, query: q }), query);
    await box.pressSequentially(query, { delay: typingMs });
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
