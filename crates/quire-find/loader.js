// The loader of Quire's search engine on a static host (`quire export`).
// The page's client adds this module when a reader first focuses the
// search box and `/_search/meta.json` names it; it fetches the engine
// (quire-find built as a wasm module with no imports, src/abi.rs), opens
// the index and sets `globalThis.__quireFind.search(query, limit, lang)`,
// which answers with the JSON of `/api/search`, fetching the shards a
// query needs (all of a round at once: postings, then the posts shown).
// What the head names for the background (the posts' packs, and when the
// whole index fits the owner's `search_prefetch_kb`, every shard) is
// fetched once the engine is open, in pauses of the reader's queries
// (loadBackground): then a query waits on one round trip (its postings),
// or on none.
const FOLDER = "/_search/";
const ROUNDS = 4;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function bytes(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// A file of the index, fetched once however many queries ask for it
// meanwhile (each keystroke is a query).
const files = new Map();
function file(name, init) {
  if (!files.has(name)) {
    const loading = bytes(FOLDER + name, init);
    loading.catch(() => files.delete(name));
    files.set(name, loading);
  }
  return files.get(name);
}

const ready = (async () => {
  // The client asked for every file meta.json names as it added this
  // script (link rel=preload): they arrive side by side, and these
  // fetches take them from the preload cache.
  // The page hands over the meta.json it read (a round trip saved); a
  // page of an older client does not, and it is asked for again.
  const given = globalThis.__quireFindHead;
  const head = JSON.parse(typeof given === "string" ? given : decoder.decode(await bytes(`${FOLDER}meta.json`)));
  const loading = Promise.all([head.index, ...head.norms].map((name) => file(name)));
  const { instance } = await WebAssembly.instantiate(await bytes(head.engine));
  const x = instance.exports;
  // Copies bytes into the engine's memory: [pointer, length].
  const put = (data) => {
    const pointer = x.quire_alloc(data.length);
    new Uint8Array(x.memory.buffer, pointer, data.length).set(data);
    return [pointer, data.length];
  };
  const [index, ...norms] = await loading;
  if (x.quire_open(...put(index)) !== 1) throw new Error(`${FOLDER}${head.index}: not an index of this engine's format`);
  // Every query scores by each post's length in the fields.
  head.norms.forEach((name, i) => x.quire_add(...put(encoder.encode(name)), ...put(norms[i])));
  return { x, put, head };
})();

// Queries fetching now, what waits for them to be done, and when a query
// last started or got its files: the background waits for a pause in
// typing (QUIET_MS), so it never holds up a reader who is typing.
const QUIET_MS = 300;
let fetching = 0;
let waiters = [];
let lastQuery = 0;
async function idle() {
  for (;;) {
    if (fetching > 0) {
      await new Promise((resolve) => waiters.push(resolve));
      continue;
    }
    const wait = lastQuery + QUIET_MS - performance.now();
    if (wait <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

// The background's files, only in a pause of the queries: the packs one
// at a time (some 20 KB each), the shards eight at a time (a few KB each,
// where a round trip costs more than the bytes), so on a slow link a
// query's files never share it with more than one batch. A file a query
// fetched is not asked again; once added to the engine, it is not kept
// here. One that fails is left: queries fetch what they need, as without.
// When the background names shards, it is the whole index (the export
// names all or none): once it is in, a query fetches nothing.
async function loadBackground({ x, put, head }) {
  // A reader who asked to save data (Chrome's Lite mode, Android's
  // Data Saver) fetches only what their queries need.
  if (navigator.connection?.saveData) return;
  const waiting = [...(head.background ?? [])];
  while (waiting.length > 0) {
    await idle();
    const batch = waiting.splice(0, waiting[0].startsWith("docpack-") ? 1 : 8).filter((name) => !files.has(name));
    await Promise.all(batch.map(async (name) => {
      try {
        const data = await file(name, { priority: "low" });
        if (x.quire_add(...put(encoder.encode(name)), ...put(data)) !== 1) throw new Error("not a file of this engine's format");
        files.delete(name);
      } catch (error) {
        console.warn(`Quire search: ${FOLDER}${name}: ${error}`);
      }
    }));
  }
}

async function search(query, limit, lang) {
  const { x, put } = await ready;
  lastQuery = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    const length = x.quire_search(...put(encoder.encode(query)), limit, ...put(encoder.encode(lang ?? "")));
    const outcome = JSON.parse(decoder.decode(new Uint8Array(x.memory.buffer, x.quire_output(), length)));
    if (outcome.Found) return JSON.stringify(outcome.Found);
    fetching += 1;
    const loaded = await Promise.all(outcome.Need.map((name) => file(name))).finally(() => {
      fetching -= 1;
      lastQuery = performance.now();
      if (fetching === 0) waiters.splice(0).forEach((resolve) => resolve());
    });
    outcome.Need.forEach((name, i) => x.quire_add(...put(encoder.encode(name)), ...put(loaded[i])));
  }
  throw new Error(`search "${query}": still loading after ${ROUNDS} rounds`);
}

ready.then((engine) => {
  globalThis.__quireFind = { search };
  // The box was just focused: a reader's first query, typed now, has the
  // link to itself; the background begins after a pause.
  lastQuery = performance.now();
  loadBackground(engine);
}, (error) => {
  globalThis.__quireFind = { error: String(error) };
  console.error(`Quire search: ${error}`);
});
