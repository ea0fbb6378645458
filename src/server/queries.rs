//! Read queries over the store, shaped as the wire types pages need.

use chrono::Utc;

use crate::model::{IndexData, Post, PostLink};
use crate::store::{self, StoreError};

use super::site;

pub fn index_data() -> Result<IndexData, StoreError> {
    let site = site();
    let listings = site.store.visible_listings(Utc::now(), site.show_drafts)?;
    Ok(IndexData {
        site_title: site.config.title.clone(),
        tagline: site.config.tagline.clone(),
        categories: store::category_facets(&listings),
        posts: listings.into_iter().map(|l| l.summary).collect(),
    })
}

pub fn post(slug: &str) -> Result<Option<Post>, StoreError> {
    let site = site();
    let now = Utc::now();
    let Some(doc) = site
        .store
        .post(slug)?
        .filter(|doc| doc.is_visible(now, site.show_drafts))
    else {
        return Ok(None);
    };
    let listings = site.store.visible_listings(now, site.show_drafts)?;
    let position = listings.iter().position(|l| l.summary.slug == doc.slug);
    let link = |index: usize| {
        listings.get(index).map(|l| PostLink {
            slug: l.summary.slug.clone(),
            title: l.summary.title.clone(),
        })
    };
    Ok(Some(Post {
        newer: position.and_then(|p| p.checked_sub(1)).and_then(link),
        older: position.and_then(|p| link(p + 1)),
        summary: doc.summary(),
        html: doc.html,
        toc: doc.toc,
        word_count: doc.word_count,
    }))
}
