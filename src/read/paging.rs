//! Listing pages: which visible posts a query selects, and one page of them.
//!
//! A query with one filter (a category, a tag, a section, an author) or
//! none reads its list from the snapshot's [`Facets`](super::positions::Facets)
//! and cuts the page by indexing: a deep page costs what the first does.
//! Only a query with several filters (a category and tags) filters, and
//! then only the shortest of their lists.

use crate::model::{ListingPage, ListingQuery};

use super::catalog::Snapshot;
use super::positions::Positions;

/// The posts a query selects, newest first.
enum Selected<'a> {
    /// Exactly these positions.
    Only(&'a [u32]),
    /// These positions, filtered (several filters at once).
    Filtered(Positions),
}

impl Selected<'_> {
    fn len(&self) -> usize {
        match self {
            Self::Only(list) => list.len(),
            Self::Filtered(list) => list.len(),
        }
    }

    fn position(&self, i: usize) -> Option<usize> {
        match self {
            Self::Only(list) => list.get(i).map(|&p| p as usize),
            Self::Filtered(list) => list.get(i).map(|&p| p as usize),
        }
    }
}

/// One page of posts matching a category, tags and a section, clamped to
/// the last page.
pub fn paginate(snapshot: &Snapshot, query: ListingQuery, page_size: usize) -> ListingPage {
    let facets = snapshot.edition(&query.edition);
    let category = query
        .category
        .as_ref()
        .map(|slug| facets.category_list.iter().find(|c| &c.slug == slug));
    let known_tags = query.tags.iter().all(|tag| facets.tags.contains_key(tag));
    let selected = select(snapshot, &query);
    let page = cut(snapshot, query, page_size, &selected);
    ListingPage {
        unknown_filter: matches!(category, Some(None)) || !known_tags,
        category_name: category.flatten().map(|c| c.name.clone()),
        ..page
    }
}

/// One page of the posts at `positions` (newest first): an author's.
pub fn paginate_positions(
    snapshot: &Snapshot,
    query: ListingQuery,
    page_size: usize,
    positions: &[u32],
) -> ListingPage {
    cut(snapshot, query, page_size, &Selected::Only(positions))
}

/// The facet lists `query` names; one list is exact, several are narrowed
/// to the posts matching every filter.
fn select<'a>(snapshot: &'a Snapshot, query: &ListingQuery) -> Selected<'a> {
    const NONE: &[u32] = &[];
    let facets = snapshot.edition(&query.edition);
    let lookup = |map: &'a std::collections::HashMap<String, Positions>, key: &str| {
        map.get(key).map_or(NONE, Vec::as_slice)
    };
    let mut lists: Vec<&[u32]> = Vec::new();
    if let Some(category) = &query.category {
        lists.push(lookup(&facets.categories, category));
    }
    for tag in &query.tags {
        lists.push(lookup(&facets.tags, tag));
    }
    if let Some(section) = &query.section {
        lists.push(lookup(&facets.sections, section));
    }
    match lists.len() {
        0 => Selected::Only(&facets.posts),
        1 => Selected::Only(lists[0]),
        _ => {
            let shortest = lists
                .iter()
                .min_by_key(|l| l.len())
                .copied()
                .unwrap_or(NONE);
            // Every list is in position order: a post matches every
            // filter when each list holds it.
            let keep = |p: &&u32| lists.iter().all(|l| l.binary_search(p).is_ok());
            Selected::Filtered(shortest.iter().filter(keep).copied().collect())
        }
    }
}

fn cut(
    snapshot: &Snapshot,
    query: ListingQuery,
    page_size: usize,
    selected: &Selected<'_>,
) -> ListingPage {
    let page_size = page_size.max(1);
    let total = selected.len();
    let pages = total.div_ceil(page_size).max(1);
    let page = (query.page.max(1) as usize).min(pages);
    let posts = ((page - 1) * page_size..(page * page_size).min(total))
        .filter_map(|i| selected.position(i))
        .map(|p| snapshot.listings.summary(p))
        .collect();
    ListingPage {
        unknown_filter: false,
        category_name: None,
        total: total as u32,
        pages: pages as u32,
        posts,
        categories: snapshot.edition(&query.edition).category_list.clone(),
        query: ListingQuery {
            page: page as u32,
            ..query
        },
    }
}
