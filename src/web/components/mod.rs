//! Pieces of the pages that both builds render: the server in every
//! page, the islands client when it brings them to life (the search box,
//! the theme button) or fills them (highlighted fragments). Pieces only
//! the server renders are in `views`.

mod fragments;
mod route_link;
mod search_box;
mod search_results;
mod theme_toggle;

pub use fragments::Fragments;
pub use route_link::RouteLink;
#[cfg(not(target_arch = "wasm32"))]
pub use route_link::href;
pub use search_box::{SearchBox, SearchFields, SearchText};
pub use search_results::{ResultItems, ResultItemsProps};
pub use theme_toggle::ThemeToggle;
