//! Full-text search over the posts: a tantivy index of title, description,
//! tags, category and body, queried with prefix matching and one-typo
//! tolerance, plus each post stemmed in its language (`stem.rs`) and
//! Chinese, Japanese and Korean text in character pairs (`tokenizer.rs`);
//! and the highlighted snippets shown with each result. A reader's
//! language ranks the posts in it first.
//!
//! The index is derived data, like the store. `serve` keeps it on disk
//! (`<data>/search/`, [`SearchIndex::open`] in `disk.rs`) and opens it at
//! start; it is rebuilt from the store only when missing, damaged, of
//! another format, or built from a store that has changed since (each
//! commit records the store's digest it was built from, [`built_from`]).
//! [`SearchIndex::update`] keeps it current as content changes. Tests and
//! `quire check` hold one in memory ([`SearchIndex::new`]). It knows
//! nothing of visibility; callers filter hits against what readers may see.
//!
//! Posts that score the same are ranked as listings are (`order.rs`).

mod bulk;
mod disk;
pub mod exported;
pub mod fold;
mod highlight;
mod order;
mod query;
mod reader;
mod stem;
mod tokenizer;

use std::sync::Mutex;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

use quire_find::query::{EXACT_FIELDS, LANGUAGE_FIRST};

use crate::content::Document;
use crate::store::{Store, StoreError};

pub use bulk::Bulk;
pub use disk::{FORMAT_VERSION, Opened, Plan, plan};
pub use highlight::{highlight, snippet};
pub use order::TIE_ORDER;
use order::day_key;
pub use query::QueryTerms;
pub use reader::{accepted_language, language_parameter};

const TOKENIZER: &str = "quire";
/// tantivy's minimum writer budget is 15 MB per thread; one thread is enough
/// for a blog and keeps resident memory low.
const WRITER_BUDGET: usize = 20_000_000;
/// Posts handed to the writer between two waits for it to index them.
/// tantivy queues up to 10,000 documents for its indexing thread, and the
/// store reads posts faster than one thread indexes them: rebuilding
/// 100,000 posts held 100 MB of queued documents at its peak (heaptrack).
/// A commit is the one way to wait; those in between record nothing
/// ([`SearchIndex::commit`] does), so an index stopped halfway is rebuilt
/// at the next start.
const INDEXING_BATCH: usize = 2_000;
/// A mistyped slug longer than this is compared by its start only: no slug
/// worth suggesting is longer, and the automaton grows with the length.
const MAX_SIMILAR_SLUG_CHARS: usize = 48;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("search index directory {0}")]
    Disk(String),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
}

/// The fields of one indexed post.
#[derive(Clone, Copy)]
struct Fields {
    slug: Field,
    /// The post's day as `YYYYMMDD` ([`day_key`]), for [`TIE_ORDER`].
    day: Field,
    title: Field,
    description: Field,
    category: Field,
    tags: Field,
    body: Field,
    /// Everything above, stemmed in the post's language ([`stem`]).
    stemmed: Field,
    /// The post's primary language subtag (`fr`), for the reader's first.
    lang: Field,
}

/// A slug and its score, best first.
pub type Ranked = Vec<(String, f32)>;

pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// Set once every post is indexed ([`SearchIndex::rebuild`], or an
    /// index opened up to date): until then results (and 404 suggestions)
    /// are incomplete, and the page cache does not keep pages made from them.
    complete: std::sync::atomic::AtomicBool,
    /// Kept on disk: each commit records what it was built from.
    on_disk: bool,
    /// The languages whose stemmers a query goes through.
    languages: stem::IndexedLanguages,
}

/// What an index built from `store` now records in its commits: the
/// store's digest and whether drafts were indexed.
pub fn built_from(store: &Store, include_drafts: bool) -> Result<String, SearchError> {
    Ok(stamp(&store.digest()?, include_drafts))
}

/// [`built_from`] for a store digest taken earlier ([`Store::digest`]).
pub fn stamp(digest: &str, include_drafts: bool) -> String {
    format!("{digest} drafts={include_drafts}")
}

/// The index writer, created on a thread at background priority: tantivy
/// spawns its merge threads with the writer, and they inherit it. (Its
/// indexing threads are spawned again at every commit, by the committing
/// thread: the start-up indexer and the watcher lower their own priority.)
fn writer_in_the_background(index: &Index) -> tantivy::Result<IndexWriter> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                crate::background::lower_current_thread_priority();
                index.writer_with_num_threads(1, WRITER_BUDGET)
            })
            .join()
            .expect("creating the index writer does not panic")
    })
}

impl SearchIndex {
    /// An empty index held in memory.
    pub fn new() -> Result<Self, SearchError> {
        let index = Index::create_in_ram(schema().0);
        register_tokenizers(&index);
        let reader = reader_of(&index)?;
        Self::from_index(&index, reader, false)
    }

    fn from_index(index: &Index, reader: IndexReader, on_disk: bool) -> Result<Self, SearchError> {
        let writer = writer_in_the_background(index)?;
        Ok(Self {
            reader,
            writer: Mutex::new(writer),
            fields: schema().1,
            complete: std::sync::atomic::AtomicBool::new(false),
            on_disk,
            languages: stem::IndexedLanguages::default(),
        })
    }

    /// Marks the index complete without a rebuild (it was opened up to date).
    pub fn mark_complete(&self) {
        self.complete
            .store(true, std::sync::atomic::Ordering::Release);
    }

    /// Indexes every post in the store (start-up); drafts only when they
    /// are shown (`--drafts`), so they never count among the results.
    pub fn rebuild(&self, store: &Store, include_drafts: bool) -> Result<usize, SearchError> {
        // What the index is built from, read before the posts: a change
        // made meanwhile leaves it out of step (caught at the next start),
        // never marked up to date with a change it lacks.
        let built = self.built_from(store, include_drafts)?;
        let mut writer = self.lock_writer();
        writer.delete_all_documents()?;
        let mut count = 0;
        for doc in store.all_posts() {
            let doc = doc?;
            if doc.is_searchable(include_drafts) {
                writer.add_document(self.document(&doc))?;
                count += 1;
                wait_every_batch(&mut writer, count)?;
            }
        }
        self.commit(&mut writer, built)?;
        self.mark_complete();
        Ok(count)
    }

    /// How many posts the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no post.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every post has been indexed (see `complete`).
    pub fn is_complete(&self) -> bool {
        self.complete.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Re-indexes the posts whose slugs changed; a slug no longer in the
    /// store leaves the index.
    pub fn update<'a>(
        &self,
        store: &Store,
        slugs: impl IntoIterator<Item = &'a String>,
        include_drafts: bool,
    ) -> Result<(), SearchError> {
        let built = self.built_from(store, include_drafts)?;
        let mut writer = self.lock_writer();
        for (n, slug) in slugs.into_iter().enumerate() {
            writer.delete_term(Term::from_field_text(self.fields.slug, slug));
            if let Some(doc) = store.post(slug)?
                && doc.is_searchable(include_drafts)
            {
                writer.add_document(self.document(&doc))?;
            }
            wait_every_batch(&mut writer, n + 1)?;
        }
        self.commit(&mut writer, built)
    }

    /// The digest commits record, for an index on disk.
    fn built_from(
        &self,
        store: &Store,
        include_drafts: bool,
    ) -> Result<Option<String>, SearchError> {
        Ok(match self.on_disk {
            true => Some(built_from(store, include_drafts)?),
            false => None,
        })
    }

    /// Commits (atomically with what it was built from) and shows the
    /// result to searches.
    fn commit(&self, writer: &mut IndexWriter, built: Option<String>) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        if let Some(built) = built {
            prepared.set_payload(&built);
        }
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The best `limit` posts matching every word of `terms`, and how many
    /// matched in all.
    pub fn search(&self, terms: &QueryTerms, limit: usize) -> Result<(Ranked, usize), SearchError> {
        self.search_in(terms, limit, None)
    }

    /// [`SearchIndex::search`], the posts in the reader's `language` (a
    /// tag, `fr-CA`) first, then the others, each by score.
    pub fn search_in(
        &self,
        terms: &QueryTerms,
        limit: usize,
        language: Option<&str>,
    ) -> Result<(Ranked, usize), SearchError> {
        self.run(terms, limit, true, language)
    }

    /// The best `limit` posts matching any word, most words first (404
    /// suggestions, where the words come from a mistyped URL).
    pub fn search_any(&self, terms: &QueryTerms, limit: usize) -> Result<Ranked, SearchError> {
        Ok(self.run(terms, limit, false, None)?.0)
    }

    fn run(
        &self,
        terms: &QueryTerms,
        limit: usize,
        all: bool,
        language: Option<&str>,
    ) -> Result<(Ranked, usize), SearchError> {
        let searcher = self.reader.searcher();
        let Some(query) = self.query(&searcher, terms, all) else {
            return Ok((Vec::new(), 0));
        };
        let query = match language {
            Some(language) => self.language_first(query, language),
            None => query,
        };
        let (top, total) = order::best(&searcher, &*query, limit)?;
        let ranked = top
            .into_iter()
            .filter_map(|(score, (_, slug))| Some((slug?, score)))
            .collect();
        Ok((ranked, total))
    }

    /// `terms` as a query on `searcher`'s index (see [`QueryTerms::to_query`]).
    fn query(
        &self,
        searcher: &tantivy::Searcher,
        terms: &QueryTerms,
        all: bool,
    ) -> Option<Box<dyn Query>> {
        let fields = self.query_fields();
        let in_index = |field: Field, text: &str| {
            searcher
                .doc_freq(&Term::from_field_text(field, text))
                .is_ok_and(|n| n > 0)
        };
        let indexed = |word: &str| fields.iter().any(|&(field, _)| in_index(field, word));
        // A stem no post has would add a clause that finds nothing.
        let stemmed = self.fields.stemmed;
        let has_stem = |stem: &str| in_index(stemmed, stem);
        query::to_query(terms, &fields, stemmed, all, &indexed, &has_stem)
    }

    /// `query`, with the posts in `language` scored above every other:
    /// a constant far above any text score is added to theirs.
    fn language_first(&self, query: Box<dyn Query>, language: &str) -> Box<dyn Query> {
        let term = Term::from_field_text(
            self.fields.lang,
            &crate::content::language::primary(language),
        );
        let same = TermQuery::new(term, IndexRecordOption::Basic);
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(same), LANGUAGE_FIRST)),
            ),
        ]))
    }

    /// Up to `limit` slugs within two edits of `slug` (a mistyped address),
    /// closest first. tantivy walks its term dictionary with a Levenshtein
    /// automaton, so this costs the same at a hundred posts or a hundred
    /// thousand; `slug` is cut to [`MAX_SIMILAR_SLUG_CHARS`] first.
    pub fn similar_slugs(&self, slug: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        let slug: String = slug.chars().take(MAX_SIMILAR_SLUG_CHARS).collect();
        if slug.is_empty() {
            return Ok(Vec::new());
        }
        let term = Term::from_field_text(self.fields.slug, &slug);
        let query = tantivy::query::FuzzyTermQuery::new(term, 2, true);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut slugs = Vec::with_capacity(top.len());
        for (_, address) in top {
            let stored: TantivyDocument = searcher.doc(address)?;
            if let Some(found) = stored.get_first(self.fields.slug).and_then(|v| v.as_str()) {
                slugs.push(found.to_string());
            }
        }
        Ok(slugs)
    }

    /// Splits and normalises a query the way the index tokenised the posts.
    pub fn terms(&self, query: &str) -> QueryTerms {
        let languages = self.languages.of(&self.reader.searcher(), self.fields.lang);
        let codes: Vec<&str> = languages.iter().map(|(code, _)| *code).collect();
        QueryTerms::parse(query, fold::table(), &codes)
    }

    /// The exact fields and their boosts (`quire_find`'s table).
    fn query_fields(&self) -> Vec<(Field, f32)> {
        let f = self.fields;
        let by_name = [f.title, f.tags, f.category, f.description, f.body];
        by_name
            .into_iter()
            .zip(EXACT_FIELDS)
            .map(|(field, (_, boost))| (field, boost))
            .collect()
    }

    fn document(&self, doc: &Document) -> TantivyDocument {
        let f = self.fields;
        // A post with no language is stemmed as English, and ranked so.
        let lang = doc
            .lang
            .as_deref()
            .map_or_else(|| "en".to_string(), crate::content::language::primary);
        let mut indexed = doc!(
            f.slug => doc.slug.as_str(),
            f.day => day_key(doc.date),
            f.title => doc.title.as_str(),
            f.description => doc.description.as_str(),
            f.category => doc.category.as_str(),
            f.tags => doc.tags.join(" "),
            f.body => doc.plain_text.as_str(),
            f.lang => lang,
        );
        if let Some(stemmed) = stem::stemmed(doc) {
            indexed.add_text(f.stemmed, stemmed);
        }
        indexed
    }

    fn lock_writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while indexing leaves the writer usable: tantivy rolls
        // back uncommitted work, so a poisoned lock is safe to take over.
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |positions: bool| {
        let record = if positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        slug: builder.add_text_field("slug", STRING | STORED | FAST),
        day: builder.add_u64_field("day", FAST),
        title: builder.add_text_field("title", text(false)),
        description: builder.add_text_field("description", text(false)),
        category: builder.add_text_field("category", text(false)),
        tags: builder.add_text_field("tags", text(false)),
        body: builder.add_text_field("body", text(false)),
        stemmed: builder.add_text_field(
            "stemmed",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(stem::TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        lang: builder.add_text_field("lang", STRING),
    };
    (builder.build(), fields)
}

/// After every [`INDEXING_BATCH`] posts, waits until the writer has
/// indexed them (a commit that records nothing and that searches do not
/// see: the reader reloads only at [`SearchIndex::commit`]).
pub(super) fn wait_every_batch(writer: &mut IndexWriter, handed: usize) -> tantivy::Result<()> {
    if handed.is_multiple_of(INDEXING_BATCH) {
        writer.commit()?;
    }
    Ok(())
}

fn reader_of(index: &Index) -> tantivy::Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
}

/// Quire's two tokenizers: words and pairs for the exact fields, the
/// post's own stemmer for `stemmed`.
fn register_tokenizers(index: &Index) {
    index.tokenizers().register(TOKENIZER, analyzer());
    index
        .tokenizers()
        .register(stem::TOKENIZER, stem::ByLanguage::default());
}

/// Words (CJK text in character pairs), lower-cased, accents folded
/// ("Café" finds "cafe").
fn analyzer() -> TextAnalyzer {
    analyzer_of(tokenizer::WordsAndPairs { query: false })
}

fn analyzer_of(words: tokenizer::WordsAndPairs) -> TextAnalyzer {
    TextAnalyzer::builder(words)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

#[cfg(test)]
mod tests;
