//! The catalog's posts, packed: each post's slug and address in one text
//! buffer apiece, the rest of its listing encoded (bincode, with
//! variable-length integers) into a third.
//!
//! Why: as structs, a post's [`Listing`] cost about 800 bytes (a
//! 336-byte struct, then a heap block for each string and tag), most of
//! the catalog's memory, which grows with the post count (issue 18: about
//! 1.8 KB a post in all at 100,000 posts). Packed, a post costs what its
//! text weighs and twelve bytes of offsets. Reading a whole post decodes
//! it ([`Packed::get`], about a microsecond, for the few posts a page
//! shows); what a request compares across many posts (slug, address,
//! category) is read in place.

use std::borrow::Cow;

use bincode::Options;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::content::Kind;
use crate::model::{AuthorLink, Date, PostSummary};
use crate::store::Listing;

/// Posts newest first, as the snapshot lists them.
#[derive(Default)]
pub struct Packed {
    slugs: Column,
    urls: Column,
    /// Each post's [`Record`].
    records: Column,
}

impl Packed {
    pub fn of(listings: &[Listing]) -> Self {
        let mut packed = Self::default();
        for listing in listings {
            packed.push(listing);
        }
        packed.shrink();
        packed
    }

    /// Adds `listing` after the others.
    pub fn push(&mut self, listing: &Listing) {
        self.slugs.push(listing.summary.slug.as_bytes());
        self.urls.push(listing.summary.url.as_bytes());
        self.records.push(&encode(listing));
    }

    /// Adds post `i` of `other` after the others, copied as it is.
    pub fn push_from(&mut self, other: &Packed, i: usize) {
        self.slugs.push(other.slugs.get(i));
        self.urls.push(other.urls.get(i));
        self.records.push(other.records.get(i));
    }

    /// The same posts in `order` (positions in this one), copied as they
    /// are.
    pub fn reordered(&self, order: &[u32]) -> Self {
        let mut packed = Self::default();
        for &i in order {
            packed.push_from(self, i as usize);
        }
        packed.shrink();
        packed
    }

    /// Lets go of the room kept for more posts.
    pub fn shrink(&mut self) {
        self.slugs.shrink();
        self.urls.shrink();
        self.records.shrink();
    }

    pub fn len(&self) -> usize {
        self.slugs.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Post `i`'s listing, decoded.
    pub fn get(&self, i: usize) -> Listing {
        let record: Record = options()
            .deserialize(self.records.get(i))
            .expect("a packed record decodes as it was encoded");
        record.listing(self.slug(i).to_string(), self.url(i).to_string())
    }

    /// Post `i`'s summary, decoded.
    pub fn summary(&self, i: usize) -> PostSummary {
        self.get(i).summary
    }

    /// Every post, decoded one by one, newest first.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Listing> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    pub fn slug(&self, i: usize) -> &str {
        text(self.slugs.get(i))
    }

    /// Post `i`'s address, percent-encoded, as its summary has it.
    pub fn url(&self, i: usize) -> &str {
        text(self.urls.get(i))
    }

    /// Post `i`'s category as written, read in place (it leads the record).
    pub fn category(&self, i: usize) -> &str {
        let (category,): (&str,) = options()
            .allow_trailing_bytes()
            .deserialize(self.records.get(i))
            .expect("a packed record starts with its category");
        category
    }

    /// The bytes the posts take, offsets included.
    pub fn bytes(&self) -> usize {
        [&self.slugs, &self.urls, &self.records]
            .iter()
            .map(|c| c.bytes.capacity() + c.ends.capacity() * size_of::<u32>())
            .sum()
    }
}

/// Entries back to back; `ends[i]` is where entry `i` ends.
#[derive(Default)]
struct Column {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl Column {
    fn push(&mut self, entry: &[u8]) {
        self.bytes.extend_from_slice(entry);
        let end = u32::try_from(self.bytes.len());
        self.ends
            .push(end.expect("a catalog column holds at most 4 GiB (some 10 million posts)"));
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.bytes[start as usize..self.ends[i] as usize]
    }

    fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// Text pushed from a `&str`, so always UTF-8.
fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("a packed text column holds what a &str gave it")
}

fn options() -> impl Options {
    bincode::DefaultOptions::new()
}

/// A listing but its slug and address, in the order it is encoded; the
/// category first, so that [`Packed::category`] reads it alone. Its own
/// type, not [`Listing`]'s serde form: that one skips empty fields,
/// which only a self-describing format such as the store's JSON can read
/// back. The [`Cow`]s borrow while encoding and own once decoded.
#[derive(Serialize, Deserialize)]
struct Record<'a> {
    category: Cow<'a, str>,
    title: Cow<'a, str>,
    date: (u16, u8, u8),
    updated: Option<(u16, u8, u8)>,
    tags: Vec<Cow<'a, str>>,
    description: Cow<'a, str>,
    reading_minutes: u32,
    bylines: Cow<'a, [AuthorLink]>,
    draft: bool,
    publish_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    render: bool,
    authors: Cow<'a, [String]>,
    series: Option<Cow<'a, str>>,
    kind: Kind,
    nav: bool,
    edition: Cow<'a, str>,
    translation: Cow<'a, str>,
    lang: Option<Cow<'a, str>>,
}

fn encode(listing: &Listing) -> Vec<u8> {
    let summary = &listing.summary;
    let record = Record {
        category: summary.category.as_str().into(),
        title: summary.title.as_str().into(),
        date: day(summary.date),
        updated: summary.updated.map(day),
        tags: summary.tags.iter().map(|t| t.as_str().into()).collect(),
        description: summary.description.as_str().into(),
        reading_minutes: summary.reading_minutes,
        bylines: summary.authors.as_slice().into(),
        draft: listing.draft,
        publish_at: listing.publish_at,
        expires_at: listing.expires_at,
        render: listing.render,
        authors: listing.authors.as_slice().into(),
        series: listing.series.as_deref().map(Into::into),
        kind: listing.kind,
        nav: listing.nav,
        edition: listing.edition.as_str().into(),
        translation: listing.translation.as_str().into(),
        lang: listing.lang.as_deref().map(Into::into),
    };
    options()
        .serialize(&record)
        .expect("a listing's record always encodes")
}

impl Record<'_> {
    fn listing(self, slug: String, url: String) -> Listing {
        let own = |text: Cow<'_, str>| text.into_owned();
        Listing {
            summary: PostSummary {
                slug,
                url,
                title: own(self.title),
                date: from_day(self.date),
                updated: self.updated.map(from_day),
                category: own(self.category),
                tags: self.tags.into_iter().map(own).collect(),
                description: own(self.description),
                reading_minutes: self.reading_minutes,
                authors: self.bylines.into_owned(),
            },
            draft: self.draft,
            publish_at: self.publish_at,
            expires_at: self.expires_at,
            render: self.render,
            authors: self.authors.into_owned(),
            series: self.series.map(own),
            kind: self.kind,
            nav: self.nav,
            edition: own(self.edition),
            translation: own(self.translation),
            lang: self.lang.map(own),
        }
    }
}

fn day(date: Date) -> (u16, u8, u8) {
    (date.year(), date.month(), date.day())
}

fn from_day((year, month, day): (u16, u8, u8)) -> Date {
    Date::new(year, month, day).expect("a packed date was a valid Date")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> Listing {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        Listing {
            summary: PostSummary {
                slug: "notes/été".into(),
                url: "/notes/%C3%A9t%C3%A9".into(),
                title: "Été ✓".into(),
                date: Date::new(2026, 2, 28).unwrap(),
                updated: Date::new(2026, 3, 1),
                category: "Big Data".into(),
                tags: vec!["rust".into(), "".into(), "日本".into()],
                description: "A description.".into(),
                reading_minutes: 7,
                authors: vec![AuthorLink {
                    slug: "ann".into(),
                    name: "Ann".into(),
                }],
            },
            draft: true,
            publish_at: Some(at("2026-03-01T10:00:00Z")),
            expires_at: Some(at("2027-01-01T00:00:00Z")),
            render: false,
            authors: vec!["Ann".into(), "bo".into()],
            series: Some("Deep dives".into()),
            kind: Kind::Page,
            nav: true,
            edition: "fr".into(),
            translation: "notes/ete".into(),
            lang: Some("fr-CA".into()),
        }
    }

    /// Every field comes back as it went in, set or empty; the undated
    /// day of pages and sections too.
    #[test]
    fn every_listing_comes_back_as_it_was_packed() {
        let mut empty = Listing::public(PostSummary {
            date: crate::content::UNDATED,
            ..full().summary
        });
        empty.summary.tags.clear();
        empty.summary.authors.clear();
        empty.summary.category.clear();
        let listings = vec![full(), empty, full()];
        let packed = Packed::of(&listings);
        assert_eq!(packed.len(), 3);
        for (i, listing) in listings.iter().enumerate() {
            assert_eq!(&packed.get(i), listing);
            assert_eq!(packed.slug(i), listing.summary.slug);
            assert_eq!(packed.url(i), listing.summary.url);
            assert_eq!(packed.category(i), listing.summary.category);
        }
        assert_eq!(packed.iter().collect::<Vec<_>>(), listings);
    }

    /// The point of packing: a post takes what its text weighs, and a
    /// few bytes of lengths, dates, flags and offsets; as structs it took
    /// over 336 bytes before its first character.
    #[test]
    fn a_post_takes_what_its_text_weighs() {
        let listing = full();
        let json = serde_json::to_value(&listing).unwrap();
        let text = strings(&json);
        let packed = Packed::of(&vec![listing; 1000]);
        let per_post = packed.bytes() / 1000;
        assert!(
            per_post <= text + 80,
            "{per_post} bytes a post for {text} of text"
        );
        assert!(Packed::of(&[]).is_empty());
    }

    /// The bytes of every string in `value`.
    fn strings(value: &serde_json::Value) -> usize {
        match value {
            serde_json::Value::String(s) => s.len(),
            serde_json::Value::Array(items) => items.iter().map(strings).sum(),
            serde_json::Value::Object(fields) => fields.values().map(strings).sum(),
            _ => 0,
        }
    }
}
