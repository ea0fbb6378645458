//! What the store keeps and under which keys: the [`Listing`] and
//! [`SourceRecord`] records, documents deflated, and the key of each tree.
//! One place for the encoding, so a change to it is one place to bump
//! [`super::FORMAT_VERSION`].

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::content::{Document, Kind, Publication};
use crate::model::{Date, Facet, PostSummary, slugify};

/// What the index needs about a post, plus what decides its visibility.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub summary: PostSummary,
    pub draft: bool,
    pub publish_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub render: bool,
    /// Author ids as written (the read model resolves their names).
    pub authors: Vec<String>,
    pub series: Option<String>,
    /// Posts are listed; pages and sections are only found at their address.
    #[serde(default)]
    pub kind: Kind,
    /// A page listed in the header's navigation.
    #[serde(default)]
    pub nav: bool,
    /// The language whose pages list it; empty: the default's
    /// ([`crate::content::Document::edition`]).
    #[serde(default)]
    pub edition: String,
    /// What it shares with its translations ([`crate::content::Document::translation`]).
    #[serde(default)]
    pub translation: String,
    /// Its language tag, for the links its translations make to it.
    #[serde(default)]
    pub lang: Option<String>,
}

impl Listing {
    /// The listing record of `doc`, as [`Store::upsert`] stores it.
    pub fn of(doc: &Document) -> Self {
        Self {
            summary: doc.summary(),
            draft: doc.draft,
            publish_at: doc.publish_at,
            expires_at: doc.expires_at,
            render: doc.render,
            authors: doc.authors.clone(),
            series: doc.series.clone(),
            kind: doc.kind,
            nav: doc.nav,
            edition: doc.edition.clone(),
            translation: doc.translation.clone(),
            lang: doc.lang.clone(),
        }
    }

    /// A published post's listing: no draft, schedule, authors or series.
    pub fn public(summary: PostSummary) -> Self {
        Self {
            summary,
            draft: false,
            publish_at: None,
            expires_at: None,
            render: true,
            authors: Vec::new(),
            series: None,
            kind: Kind::Post,
            nav: false,
            edition: String::new(),
            translation: String::new(),
            lang: None,
        }
    }

    pub fn publication(&self) -> Publication {
        Publication {
            draft: self.draft,
            publish_at: self.publish_at,
            expires_at: self.expires_at,
            render: self.render,
        }
    }

    pub fn is_visible(&self, now: DateTime<Utc>, show_drafts: bool) -> bool {
        self.publication().is_published(now, show_drafts)
    }
}

/// Where a source file's post lives and which content version it had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub hash: String,
    pub slug: String,
}

/// Counts one more post in category `name` in `facets`: fed posts newest
/// first, the categories come ordered by their most recent post.
pub fn count_category(facets: &mut Vec<Facet>, name: &str) {
    match facets.iter_mut().find(|f| f.name == name) {
        Some(facet) => facet.count += 1,
        None => facets.push(Facet {
            name: name.to_string(),
            slug: slugify(name),
            count: 1,
        }),
    }
}

/// Documents are stored deflated. sled's page cache only accounts for a
/// page after 64 accesses to its shard, so one scan of every post (search
/// rebuild, start-up check) keeps every page it read resident: deflated
/// records (HTML compresses about 5×) keep that to tens of MB at 10,000 posts.
pub(super) fn encode_document(doc: &Document) -> Result<Vec<u8>, StoreError> {
    use std::io::Write;
    let json = serde_json::to_vec(doc)?;
    let mut encoder = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(json.len() / 4),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(&json)
        .and_then(|()| encoder.finish())
        .map_err(|e| StoreError::Decode(serde_json::Error::io(e)))
}

pub(super) fn decode_document(bytes: &[u8]) -> Result<Document, StoreError> {
    use std::io::Read;
    let mut json = Vec::with_capacity(bytes.len() * 5);
    flate2::read::DeflateDecoder::new(bytes)
        .read_to_end(&mut json)
        .map_err(|e| StoreError::Decode(serde_json::Error::io(e)))?;
    Ok(serde_json::from_slice(&json)?)
}

/// `YYYY-MM-DD \0 slug`: four-digit years, so byte order is date order.
pub(super) fn date_key(date: Date, slug: &str) -> Vec<u8> {
    let date = date.to_string();
    let mut key = Vec::with_capacity(date.len() + slug.len() + 1);
    key.extend_from_slice(date.as_bytes());
    key.push(0);
    key.extend_from_slice(slug.as_bytes());
    key
}

pub(super) fn source_key(relative: &Path) -> String {
    relative.to_string_lossy().replace('\\', "/")
}

/// Aliases are stored as absolute URL paths without a trailing slash
/// ([`crate::urls::permalink::key`]), in the canonical form of
/// [`crate::urls::permalink::normalize`] when they have one.
pub fn alias_key(alias: &str) -> String {
    use crate::urls::permalink::{key, normalize};
    if let Some(path) = normalize(alias) {
        return key(&path).to_string();
    }
    let trimmed = alias.trim().trim_end_matches('/');
    if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}
