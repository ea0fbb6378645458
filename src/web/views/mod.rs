//! One view per route, plus the layout that wraps them all.

mod article;
mod index;
mod not_found;
mod shell;

pub use article::Article;
pub use index::Index;
pub use not_found::{NotFound, NotFoundBody};
pub use shell::Shell;
