//! The stylesheet and icon every page links, declared once. The server's
//! `App` links them; the islands client only names them, because dx
//! bundles the assets it finds in the client build.

use std::sync::LazyLock;

use dioxus::prelude::*;

pub const MAIN_CSS: Asset = asset!("/assets/main.css");
pub const FAVICON: Asset = asset!("/assets/favicon.svg");

/// Where [`MAIN_CSS`] is served, resolved once: manganis decodes an
/// asset's record every time it is turned into an address, which cost 2%
/// of `quire export`'s time when every page render did it.
pub fn main_css_href() -> &'static str {
    static HREF: LazyLock<String> = LazyLock::new(|| MAIN_CSS.to_string());
    &HREF
}

/// Where [`FAVICON`] is served, resolved once (see [`main_css_href`]).
pub fn favicon_href() -> &'static str {
    static HREF: LazyLock<String> = LazyLock::new(|| FAVICON.to_string());
    &HREF
}
