//! The stylesheet and icon every page links, declared once. The server's
//! `App` links them; the islands client only names them, because dx
//! bundles the assets it finds in the client build.

use dioxus::prelude::*;

pub const MAIN_CSS: Asset = asset!("/assets/main.css");
pub const FAVICON: Asset = asset!("/assets/favicon.svg");
