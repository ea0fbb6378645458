//! Read queries, shaped as the wire types the pages need. Everything reads
//! the catalog snapshot (visible posts) and, for bodies, the store.

use std::collections::HashSet;

use crate::model::{
    ListingPage, ListingQuery, Post, PostLink, PostSummary, SearchHit, SearchResults, Series,
    SiteLanguage, SiteMeta, Translation, slugify,
};
use crate::search::{self, SearchError};
use crate::store::{Listing, StoreError};

use super::Blog;
use super::catalog::Snapshot;
use super::paging::paginate;
use super::positions::Facets;

/// Results a search page shows; the hydrated box shows fewer.
pub const SEARCH_PAGE_RESULTS: usize = 20;
/// Extra candidates fetched beyond what is shown, for posts the index has
/// but readers may not see yet (scheduled).
const SEARCH_SPARE: usize = 10;
const RELATED_POSTS: usize = 3;

impl Blog {
    /// Title, tagline, links: what the layout shows on every page, with
    /// absolute URLs for a request whose `Host` is `host`.
    /// The pages of language `edition` ("": the default's) show it in
    /// that language ([`SiteMeta::in_edition`]).
    pub fn site_meta(&self, host: Option<&str>, edition: &str) -> SiteMeta {
        let meta = SiteMeta {
            base_url: self.base_url.resolve(host),
            nav: self.nav(edition),
            languages: self.site_languages(),
            default_language: self.meta.language.clone(),
            ..self.meta.clone()
        };
        meta.in_edition(edition)
    }

    /// The site's other languages: those `[languages]` names, then those
    /// only a visible `slug.fr.md` is in (named by their code).
    pub fn site_languages(&self) -> Vec<SiteLanguage> {
        let mut languages = self.meta.languages.clone();
        let Ok(snapshot) = self.snapshot() else {
            return languages;
        };
        let mut found: Vec<&str> = snapshot.other_editions().collect();
        found.sort_unstable();
        for code in found {
            if !languages.iter().any(|l| l.code == code) {
                let known = crate::urls::languages::Language::of_code(code);
                languages.push(SiteLanguage {
                    name: crate::i18n::language_name(code).unwrap_or(known.name),
                    code: known.code,
                    prefix: known.prefix,
                    ..SiteLanguage::default()
                });
            }
        }
        languages
    }

    /// The site's languages as addresses see them ([`Self::site_languages`]).
    pub fn languages(&self) -> crate::urls::languages::Languages {
        crate::urls::languages::Languages::of(&SiteMeta {
            language: self.meta.language.clone(),
            languages: self.site_languages(),
            ..SiteMeta::default()
        })
    }

    /// One page of posts matching a category and tags.
    pub fn listing(&self, query: ListingQuery) -> Result<ListingPage, StoreError> {
        let snapshot = self.snapshot()?;
        let home = query.category.is_none() && query.tags.is_empty() && query.section.is_none();
        let size = match self.home_page_size {
            n if home && n > 0 => n,
            _ => self.page_size,
        };
        let mut page = paginate(&snapshot, query, size);
        self.add_bylines(&snapshot, &mut page);
        Ok(page)
    }
}

impl Blog {
    /// Names the authors of every post on `page`, for the cards' bylines.
    pub(super) fn add_bylines(&self, snapshot: &Snapshot, page: &mut ListingPage) {
        for post in &mut page.posts {
            if let Some(listing) = snapshot.get(&post.slug) {
                post.authors = self.authors.links(&listing.authors);
            }
        }
    }
}

impl Blog {
    /// One visible post by slug, with its neighbours, related posts and
    /// translations.
    pub fn post(&self, slug: &str) -> Result<Option<Post>, StoreError> {
        let snapshot = self.snapshot()?;
        let Some(position) = snapshot.position(slug) else {
            return Ok(None);
        };
        let Some(doc) = self.store.post(slug)? else {
            return Ok(None);
        };
        let listing = &snapshot.listings.get(position);
        let (newer, older) = neighbours(&snapshot, listing, position);
        Ok(Some(Post {
            newer,
            older,
            related: related(&snapshot, position, RELATED_POSTS),
            authors: self.authors.links(&doc.authors),
            series: series(&snapshot, listing),
            translations: self.translations(&snapshot, listing),
            summary: doc.summary(),
            html: doc.html,
            toc: doc.toc,
            word_count: doc.word_count,
            image: doc.cover,
            lang: doc.lang,
            edition: doc.edition,
        }))
    }

    /// `listing` and its translations, the default language's first, then
    /// in the order of the site's `languages`; empty without any.
    pub(super) fn translations(&self, snapshot: &Snapshot, listing: &Listing) -> Vec<Translation> {
        let mut found: Vec<Listing> = snapshot.translations(listing).collect();
        if found.len() < 2 {
            return Vec::new();
        }
        let languages = self.languages();
        let order = |edition: &str| match edition {
            "" => 0,
            code => {
                1 + languages
                    .others
                    .iter()
                    .position(|l| l.code == code)
                    .unwrap_or(usize::MAX - 1)
            }
        };
        found.sort_by(|a, b| {
            order(&a.edition)
                .cmp(&order(&b.edition))
                .then(a.edition.cmp(&b.edition))
        });
        found.dedup_by(|a, b| a.edition == b.edition);
        found
            .into_iter()
            .map(|l| Translation {
                lang: l.lang.unwrap_or_else(|| languages.default.clone()),
                edition: l.edition,
                url: l.summary.url,
                title: l.summary.title,
            })
            .collect()
    }
}

/// The posts before and after `listing` (at `position`) among its
/// language's posts.
fn neighbours(
    snapshot: &Snapshot,
    listing: &Listing,
    position: usize,
) -> (Option<PostLink>, Option<PostLink>) {
    let posts = &snapshot.edition(&listing.edition).posts;
    let Ok(at) = posts.binary_search(&(position as u32)) else {
        return (None, None);
    };
    let link = |index: usize| {
        posts.get(index).map(|&p| {
            let summary = snapshot.listings.summary(p as usize);
            PostLink {
                slug: summary.slug,
                url: summary.url,
                title: summary.title,
            }
        })
    };
    (at.checked_sub(1).and_then(link), link(at + 1))
}

/// The series box of `post`: every visible post of its series, oldest
/// first (then by title), and where `post` is among them.
pub fn series(snapshot: &Snapshot, post: &Listing) -> Option<Series> {
    let name = post
        .series
        .as_ref()
        .filter(|name| !name.trim().is_empty())?;
    let positions = snapshot.edition(&post.edition).series.get(name)?;
    let mut parts: Vec<PostSummary> = positions
        .iter()
        .map(|&p| snapshot.listings.summary(p as usize))
        .collect();
    parts.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
    let current = parts.iter().position(|p| p.slug == post.summary.slug)?;
    Some(Series {
        name: name.clone(),
        current: current as u32,
        parts: parts
            .into_iter()
            .map(|p| PostLink {
                slug: p.slug,
                url: p.url,
                title: p.title,
            })
            .collect(),
    })
}

/// The `count` posts most related to the one at `position`: those sharing
/// the most tags (two points a shared tag, one more for the same
/// category), then the newest of its category. Scores are counted in a
/// slot per position, from the tags' and the category's own lists: a
/// post's carriers number in the thousands at 100,000 posts, and reading
/// each one's summary to compare it (a cache miss or two apiece) cost more
/// than the rest of the article's page.
pub fn related(snapshot: &Snapshot, position: usize, count: usize) -> Vec<PostSummary> {
    let listings = &snapshot.listings;
    let listing = listings.get(position);
    let post = &listing.summary;
    let facets = snapshot.edition(&listing.edition);
    let category = facets.categories.get(&slugify(&post.category));
    let category = category.map_or(&[][..], Vec::as_slice);
    // The category's list holds every spelling of its slug; the score
    // asks for the same name as written.
    let same_category = |p: u32| listings.category(p as usize) == post.category;
    let mut scores = shared_tags(facets, post, listings.len());
    for &p in category {
        if scores.slots[p as usize] > 0 && same_category(p) {
            scores.slots[p as usize] = scores.slots[p as usize].saturating_add(1);
        }
    }
    let own = position as u32;
    let lowest = scores.lowest_kept(own, count);
    let mut scored: Vec<(usize, u32)> = scores
        .carriers
        .iter()
        .filter(|p| **p != own && scores.slots[**p as usize] >= lowest)
        .map(|p| (usize::from(scores.slots[*p as usize]), *p))
        .collect();
    keep_best(&mut scored, count);
    // The category alone scores 1, below any shared tag: its newest posts
    // fill what the tags left.
    let fill = category
        .iter()
        .copied()
        .filter(|p| *p != own && scores.slots[*p as usize] == 0 && same_category(*p));
    let fill: Vec<u32> = fill.take(count - scored.len()).collect();
    scored
        .iter()
        .map(|(_, p)| *p)
        .chain(fill)
        .map(|p| listings.summary(p as usize))
        .collect()
}

/// Scores by position: two points for each of a post's tags another post
/// carries (a tag a post names twice counts twice, as it did when every
/// post was compared), and the positions that carry one.
struct Scores {
    slots: Vec<u16>,
    carriers: Vec<u32>,
}

impl Scores {
    /// The lowest score among the `count` best carriers but `own`: those
    /// below it cannot be kept, so they are never gathered and sorted (at
    /// 10,000 posts an article has some 2,000 carriers, most sharing one
    /// tag, and keeps 3).
    fn lowest_kept(&self, own: u32, count: usize) -> u16 {
        let others = self.carriers.iter().filter(|p| **p != own);
        let mut histogram: Vec<usize> = Vec::new();
        for &p in others {
            let score = usize::from(self.slots[p as usize]);
            if histogram.len() <= score {
                histogram.resize(score + 1, 0);
            }
            histogram[score] += 1;
        }
        let mut kept = 0;
        for (score, carriers) in histogram.iter().enumerate().rev() {
            kept += carriers;
            if kept >= count {
                return score as u16;
            }
        }
        0
    }
}

/// The [`Scores`] of `post`'s tags over the catalog's `positions`: a
/// popular tag's posts number in the tens of thousands at 100,000 posts,
/// too many to hash on every article.
fn shared_tags(facets: &Facets, post: &PostSummary, positions: usize) -> Scores {
    let tags: HashSet<&String> = post.tags.iter().collect();
    let mut slots = vec![0u16; positions];
    let mut carriers = Vec::new();
    for tag in tags {
        for p in facets.tags.get(tag.as_str()).into_iter().flatten() {
            let slot = &mut slots[*p as usize];
            if *slot == 0 {
                carriers.push(*p);
            }
            *slot = slot.saturating_add(2);
        }
    }
    Scores { slots, carriers }
}

/// Keeps the `count` best of `scored` (highest score first, then the
/// lower position, the newer post), in that order, without sorting the
/// others.
fn keep_best(scored: &mut Vec<(usize, u32)>, count: usize) {
    let order = |a: &(usize, u32), b: &(usize, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if count > 0 && scored.len() > count {
        scored.select_nth_unstable_by(count - 1, order);
    }
    scored.truncate(count);
    scored.sort_unstable_by(order);
}

impl Blog {
    /// Ranked, highlighted results among the visible posts.
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResults, SearchError> {
        self.search_in(query, limit, None)
    }

    /// [`Blog::search`], the posts in the reader's `language` first.
    pub fn search_in(
        &self,
        query: &str,
        limit: usize,
        language: Option<&str>,
    ) -> Result<SearchResults, SearchError> {
        let snapshot = self.snapshot()?;
        let terms = self.search.terms(query);
        let spare = limit + SEARCH_SPARE;
        let (ranked, total) = self.search.search_in(&terms, spare, language)?;
        let visible: Vec<usize> = ranked
            .iter()
            .filter_map(|(slug, _)| snapshot.position(slug))
            .collect();
        let mut hits = Vec::with_capacity(limit.min(visible.len()));
        for &position in visible.iter().take(limit) {
            let summary = snapshot.listings.summary(position);
            let body = self
                .store
                .post(&summary.slug)?
                .map(|doc| doc.plain_text)
                .filter(|text| !text.trim().is_empty())
                .unwrap_or_else(|| summary.description.clone());
            hits.push(SearchHit {
                slug: summary.slug.clone(),
                url: summary.url.clone(),
                title: search::highlight(&summary.title, &terms),
                category: summary.category.clone(),
                date: summary.date,
                snippet: search::snippet(&body, &terms, quire_find::highlight::SNIPPET_WORDS),
                shown: String::new(),
            });
        }
        // The index holds no drafts (unless shown), so its count is what
        // readers can find, scheduled posts aside.
        let hidden = ranked.len() - visible.len();
        Ok(SearchResults {
            query: query.to_string(),
            total: total.saturating_sub(hidden) as u32,
            hits,
            ..SearchResults::default()
        })
    }
}

/// The part of a mistyped address that suggestions read: its last
/// segment, cut to this many bytes. A 60 KB path costs what a short one
/// does (words beyond the eighth are ignored by the query parser too).
const MAX_SUGGESTION_INPUT_BYTES: usize = 128;

impl Blog {
    /// Posts whose names resemble a path that does not exist (for the 404 page).
    /// Bounded work whatever the path and however many posts: one word query
    /// and one fuzzy slug lookup in the search index.
    pub fn suggestions(&self, path: &str, count: usize) -> Result<Vec<PostSummary>, SearchError> {
        let snapshot = self.snapshot()?;
        let last = suggestion_input(path);
        let words = last.replace(['-', '_', '.', '+'], " ");
        let terms = self.search.terms(&words);
        // Posts sharing the most words with the address first, then, if too
        // few, posts whose slug is spelled most like it.
        let by_words = self.search.search_any(&terms, count * 4)?;
        let by_spelling = self.search.similar_slugs(&slugify(last), count * 4)?;
        let mut out: Vec<PostSummary> = Vec::with_capacity(count);
        let slugs = by_words
            .into_iter()
            .map(|(slug, _)| slug)
            .chain(by_spelling);
        for slug in slugs {
            if out.len() == count {
                break;
            }
            if let Some(listing) = snapshot.get(&slug)
                && !out.iter().any(|p| p.slug == slug)
            {
                out.push(listing.summary);
            }
        }
        Ok(out)
    }
}

/// The last segment of `path`, at most [`MAX_SUGGESTION_INPUT_BYTES`].
fn suggestion_input(path: &str) -> &str {
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let mut end = last.len().min(MAX_SUGGESTION_INPUT_BYTES);
    while !last.is_char_boundary(end) {
        end -= 1;
    }
    &last[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostSummary;

    fn listing(slug: &str, category: &str, tags: &[&str]) -> Listing {
        Listing::public(PostSummary {
            slug: slug.to_string(),
            url: crate::urls::post(slug),
            title: slug.to_uppercase(),
            date: crate::model::Date::new(2026, 1, 1).unwrap(),
            updated: None,
            category: category.to_string(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            description: String::new(),
            reading_minutes: 1,
            authors: Vec::new(),
        })
    }

    fn snapshot() -> Snapshot {
        Snapshot::from_listings(vec![
            listing("a", "Databases", &["postgres", "sql"]),
            listing("b", "Rust", &["rust"]),
            listing("c", "Databases", &["sql"]),
            listing("d", "Rust", &["rust", "wasm"]),
            listing("e", "Databases", &["postgres", "sql", "rust"]),
        ])
    }

    fn query(category: Option<&str>, tags: &[&str], page: u32) -> ListingQuery {
        ListingQuery {
            category: category.map(str::to_string),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            section: None,
            edition: String::new(),
            page,
        }
    }

    fn slugs(posts: &[PostSummary]) -> Vec<&str> {
        posts.iter().map(|p| p.slug.as_str()).collect()
    }

    #[test]
    fn pages_cut_the_filtered_list() {
        let page = paginate(&snapshot(), query(None, &[], 2), 2);
        assert_eq!((page.total, page.pages, page.query.page), (5, 3, 2));
        assert_eq!(slugs(&page.posts), ["c", "d"]);
        let last = paginate(&snapshot(), query(None, &[], 99), 2);
        assert_eq!(
            (last.query.page, slugs(&last.posts)),
            (3, vec!["e"]),
            "past the end clamps"
        );
    }

    #[test]
    fn filters_by_category_and_every_tag() {
        let page = paginate(&snapshot(), query(Some("databases"), &["postgres"], 1), 10);
        assert_eq!(slugs(&page.posts), ["a", "e"]);
        assert_eq!(page.category_name.as_deref(), Some("Databases"));
        assert!(!page.unknown_filter);
        let unknown = paginate(&snapshot(), query(Some("cooking"), &[], 1), 10);
        assert!(unknown.unknown_filter && unknown.total == 0);
        let unknown_tag = paginate(&snapshot(), query(None, &["nope"], 1), 10);
        assert!(unknown_tag.unknown_filter);
    }

    /// Every post scored against every other: the rule `related` reads
    /// off the tag and category lists instead.
    fn related_by_scoring_all(snapshot: &Snapshot, post: &PostSummary) -> Vec<String> {
        let tags: HashSet<&String> = post.tags.iter().collect();
        let mut scored: Vec<(usize, usize, String)> = snapshot
            .listings
            .iter()
            .enumerate()
            .filter(|(_, l)| l.summary.slug != post.slug)
            .map(|(position, l)| {
                let shared = l.summary.tags.iter().filter(|t| tags.contains(t)).count();
                let same = usize::from(l.summary.category == post.category);
                (shared * 2 + same, position, l.summary.slug)
            })
            .filter(|(score, _, _)| *score > 0)
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(3).map(|s| s.2).collect()
    }

    #[test]
    fn related_posts_are_those_scoring_every_post_would_pick() {
        let categories = ["Databases", "databases", "Rust", ""];
        let tags = ["sql", "rust", "wasm", "postgres", "SQL"];
        let listings: Vec<Listing> = (0..60)
            .map(|i: usize| {
                let mut own: Vec<&str> = (0..i % 4).map(|k| tags[(i * 7 + k * 3) % 5]).collect();
                if i.is_multiple_of(11) {
                    own.push("sql"); // named twice: counts twice
                }
                listing(&format!("p{i}"), categories[(i * 5) % 4], &own)
            })
            .collect();
        let snapshot = Snapshot::from_listings(listings);
        for (position, listing) in snapshot.listings.iter().enumerate() {
            let post = &listing.summary;
            let fast = related(&snapshot, position, 3);
            let fast: Vec<&str> = slugs(&fast);
            assert_eq!(
                fast,
                related_by_scoring_all(&snapshot, post),
                "{}",
                post.slug
            );
        }
    }

    #[test]
    fn related_posts_share_the_most_tags() {
        let snapshot = snapshot();
        assert_eq!(slugs(&related(&snapshot, 0, 3)), ["e", "c"]);
        assert_eq!(slugs(&related(&snapshot, 3, 3)), ["b", "e"]);
    }
}
