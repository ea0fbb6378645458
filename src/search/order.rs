//! The order of search results: by score, and posts that score the same
//! as listings order them, newest day first, then slug, both descending
//! ([`TIE_ORDER`]). The order does not depend on when a post was indexed,
//! so an edit does not move it among its equals, and the static export's
//! engine numbers its posts by it (`search::exported`).
//!
//! How, cheaply: the slug is a string column, and tantivy turns each
//! segment's best term numbers into strings by decompressing a block of
//! its dictionary (a new zstd context each time): with 20 results and 8
//! segments, a third of an uncached search at 100,000 posts. So the
//! posts are first collected by score and day only, [`SPARE`] more than
//! asked, and only those get their slug, sorted in full. When posts
//! that tie on score and day reach past the spare ones, the slug decides
//! which of them are in, and the search runs again, ordered in full by
//! tantivy ([`ranked_in_full`]).

use std::cmp::Ordering;

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Order, Score, Searcher};

use super::SearchError;
use crate::model::Date;

/// The fast fields ties are broken by, each descending (the listings'
/// order, `store::reads`): the post's day ([`day_key`]), its slug.
pub const TIE_ORDER: [&str; 2] = ["day", "slug"];

/// Posts collected beyond those asked for, so that ties on score and day
/// at the cut are settled by slug without a second search.
const SPARE: usize = 16;

/// A post's day as a number that sorts as the days do (`20240307`).
pub(super) fn day_key(date: Date) -> u64 {
    u64::from(date.year()) * 10_000 + u64::from(date.month()) * 100 + u64::from(date.day())
}

/// A post's rank: its score, then its [`TIE_ORDER`] values.
pub(super) type Rank = (Score, (Option<u64>, Option<String>));

/// The best `limit` posts for `query` in [`TIE_ORDER`], each as its rank,
/// and how many posts match in all.
pub(super) fn best(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
) -> Result<(Vec<Rank>, usize), SearchError> {
    let limit = limit.max(1);
    let [day, _] = TIE_ORDER;
    let by_score_and_day = TopDocs::with_limit(limit + SPARE).order_by((
        (SortBySimilarityScore, Order::Desc),
        (SortByStaticFastValue::<u64>::for_field(day), Order::Desc),
    ));
    let (found, total) = searcher.search(query, &(by_score_and_day, Count))?;
    if ties_past_the_spare(&found, limit) {
        let ranked = searcher.search(query, &ranked_in_full(limit))?;
        return Ok((ranked.into_iter().map(|(rank, _)| rank).collect(), total));
    }
    let mut ranked = Vec::with_capacity(found.len());
    for ((score, day), address) in found {
        ranked.push((score, (day, slug_of(searcher, address)?)));
    }
    ranked.sort_by(descending);
    ranked.truncate(limit);
    Ok((ranked, total))
}

/// Whether the posts tying with the last one asked for on score and day
/// may not all have been collected: the last one collected ties too.
fn ties_past_the_spare(found: &[((Score, Option<u64>), DocAddress)], limit: usize) -> bool {
    match (found.get(limit - 1), found.last()) {
        (Some((cut, _)), Some((last, _))) => found.len() == limit + SPARE && cut == last,
        _ => false,
    }
}

/// `a` before `b` in [`TIE_ORDER`]: higher score, newer day, greater slug.
fn descending(a: &Rank, b: &Rank) -> Ordering {
    b.0.total_cmp(&a.0).then_with(|| b.1.cmp(&a.1))
}

/// The slug of the post at `address`, from its fast field.
fn slug_of(searcher: &Searcher, address: DocAddress) -> Result<Option<String>, SearchError> {
    let [_, slug] = TIE_ORDER;
    let segment = searcher.segment_reader(address.segment_ord);
    let Some(slugs) = segment.fast_fields().str(slug)? else {
        return Ok(None);
    };
    let Some(ord) = slugs.term_ords(address.doc_id).next() else {
        return Ok(None);
    };
    let mut found = String::new();
    slugs.ord_to_str(ord, &mut found)?;
    Ok(Some(found))
}

/// The best `limit` posts by score, ties in [`TIE_ORDER`], ordered in
/// full by tantivy; each with its slug.
pub(super) fn ranked_in_full(limit: usize) -> impl Collector<Fruit = Vec<(Rank, DocAddress)>> {
    let [day, slug] = TIE_ORDER;
    TopDocs::with_limit(limit.max(1)).order_by((
        (SortBySimilarityScore, Order::Desc),
        (
            (SortByStaticFastValue::<u64>::for_field(day), Order::Desc),
            (SortByString::for_field(slug), Order::Desc),
        ),
    ))
}
