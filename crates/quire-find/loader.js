// The loader of Quire's search engine on a static host (`quire export`).
// The page's client adds this module when a reader first focuses the
// search box and `/_search/meta.json` names it; it fetches the engine
// (quire-find built as a wasm module with no imports, src/abi.rs), opens
// the index and sets `globalThis.__quireFind.search(query, limit, lang)`,
// which answers with the JSON of `/api/search`, fetching the shards a
// query needs (all of a round at once: postings, then the posts shown).
const FOLDER = "/_search/";
const ROUNDS = 4;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function bytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const ready = (async () => {
  const meta = await bytes(`${FOLDER}meta.json`);
  const { engine } = JSON.parse(decoder.decode(meta));
  const { instance } = await WebAssembly.instantiate(await bytes(engine));
  const x = instance.exports;
  // Copies bytes into the engine's memory: [pointer, length].
  const put = (data) => {
    const pointer = x.quire_alloc(data.length);
    new Uint8Array(x.memory.buffer, pointer, data.length).set(data);
    return [pointer, data.length];
  };
  if (x.quire_open(...put(meta)) !== 1) throw new Error(`${FOLDER}meta.json: not an index of this engine's format`);
  return { x, put };
})();

async function search(query, limit, lang) {
  const { x, put } = await ready;
  for (let round = 0; round < ROUNDS; round++) {
    const length = x.quire_search(...put(encoder.encode(query)), limit, ...put(encoder.encode(lang ?? "")));
    const outcome = JSON.parse(decoder.decode(new Uint8Array(x.memory.buffer, x.quire_output(), length)));
    if (outcome.Found) return JSON.stringify(outcome.Found);
    const files = await Promise.all(outcome.Need.map((file) => bytes(FOLDER + file)));
    outcome.Need.forEach((file, i) => x.quire_add(...put(encoder.encode(file)), ...put(files[i])));
  }
  throw new Error(`search "${query}": still loading after ${ROUNDS} rounds`);
}

ready.then(() => { globalThis.__quireFind = { search }; }, (error) => {
  globalThis.__quireFind = { error: String(error) };
  console.error(`Quire search: ${error}`);
});
