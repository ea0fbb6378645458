//! One view per route, plus the layout that wraps them all.

mod article;
mod listing;
mod not_found;
mod search;
mod seo;
mod shell;

pub use article::Article;
pub use listing::{Category, CategoryPage, Index, IndexPage, Tag, TagPage};
pub use not_found::{NotFound, NotFoundBody};
pub use search::Search;
pub use seo::{JsonLd, PageTitle, Seo};
pub use shell::Shell;
