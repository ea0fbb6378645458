//! The order of search results: by score, and posts that score the same
//! as listings order them, newest day first, then slug, both descending
//! ([`TIE_ORDER`]). The order does not depend on when a post was indexed,
//! so an edit does not move it among its equals, and the static export's
//! engine numbers its posts by it (`search::exported`).

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Collector, TopDocs};
use tantivy::{DocAddress, Order, Score};

use crate::model::Date;

/// The fast fields ties are broken by, each descending (the listings'
/// order, `store::reads`): the post's day ([`day_key`]), its slug.
pub const TIE_ORDER: [&str; 2] = ["day", "slug"];

/// A post's day as a number that sorts as the days do (`20240307`).
pub(super) fn day_key(date: Date) -> u64 {
    u64::from(date.year()) * 10_000 + u64::from(date.month()) * 100 + u64::from(date.day())
}

/// A post's rank: its score, then its [`TIE_ORDER`] values.
pub(super) type Rank = (Score, (Option<u64>, Option<String>));

/// The best `limit` posts by score, ties in [`TIE_ORDER`]; each with its
/// slug (read from the fast field, no stored document opened).
pub(super) fn ranked_by_score(limit: usize) -> impl Collector<Fruit = Vec<(Rank, DocAddress)>> {
    let [day, slug] = TIE_ORDER;
    TopDocs::with_limit(limit.max(1)).order_by((
        (SortBySimilarityScore, Order::Desc),
        (
            (SortByStaticFastValue::<u64>::for_field(day), Order::Desc),
            (SortByString::for_field(slug), Order::Desc),
        ),
    ))
}
