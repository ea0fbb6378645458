//! The icons of the social link kinds (`config::theme::SOCIAL_KINDS`),
//! inline SVG in the footer: no request, no font, nothing the
//! Content-Security-Policy has to allow, coloured by `currentColor`.

/// The `<svg>` of `kind`, hidden from assistive technology (the link's
/// text names it); `None` for a kind without one.
pub fn svg(kind: &str) -> Option<String> {
    let (view_box, path) = match kind {
        "github" => ("0 0 16 16", GITHUB),
        "mastodon" => ("0 0 24 24", MASTODON),
        "bluesky" => ("0 0 24 24", BLUESKY),
        "linkedin" => ("0 0 24 24", LINKEDIN),
        "rss" => ("0 0 24 24", RSS),
        "email" => ("0 0 24 24", EMAIL),
        _ => return None,
    };
    Some(format!(
        "<svg class=\"social-icon\" viewBox=\"{view_box}\" width=\"16\" height=\"16\" aria-hidden=\"true\" focusable=\"false\"><path fill-rule=\"evenodd\" d=\"{path}\"/></svg>"
    ))
}

const GITHUB: &str = "M8 0C3.58 0 0 3.58 0 8c0 3.54 2.29 6.53 5.47 7.59.4.07.55-.17.55-.38 0-.19-.01-.82-.01-1.49-2.01.37-2.53-.49-2.69-.94-.09-.23-.48-.94-.82-1.13-.28-.15-.68-.52-.01-.53.63-.01 1.08.58 1.23.82.72 1.21 1.87.87 2.33.66.07-.52.28-.87.51-1.07-1.78-.2-3.64-.89-3.64-3.95 0-.87.31-1.59.82-2.15-.08-.2-.36-1.02.08-2.12 0 0 .67-.21 2.2.82.64-.18 1.32-.27 2-.27.68 0 1.36.09 2 .27 1.53-1.04 2.2-.82 2.2-.82.44 1.1.16 1.92.08 2.12.51.56.82 1.27.82 2.15 0 3.07-1.87 3.75-3.65 3.95.29.25.54.73.54 1.48 0 1.07-.01 1.93-.01 2.2 0 .21.15.46.55.38A8.01 8.01 0 0 0 16 8c0-4.42-3.58-8-8-8z";
const MASTODON: &str = "M5 2h14a3 3 0 0 1 3 3v10a3 3 0 0 1-3 3h-8l-5 4v-4H5a3 3 0 0 1-3-3V5a3 3 0 0 1 3-3zm2 13V9a2.5 2.5 0 0 1 5-.5A2.5 2.5 0 0 1 17 9v6h-2V9a.5.5 0 0 0-1 0v6h-2V9a.5.5 0 0 0-1 0v6H9V9a.5.5 0 0 0-1 0v6z";
const BLUESKY: &str = "M12 11C10 7 6.5 4 4 4c-1.5 0-2 1-2 2.5S3 11 5 11.5c-2 .5-3 2.5-1 4s4.5-.5 6-2.5c.7-1 1.5-2 2-2zm0 0c2-4 5.5-7 8-7 1.5 0 2 1 2 2.5S21 11 19 11.5c2 .5 3 2.5 1 4s-4.5-.5-6-2.5c-.7-1-1.5-2-2-2z";
const LINKEDIN: &str = "M5 2h14a3 3 0 0 1 3 3v14a3 3 0 0 1-3 3H5a3 3 0 0 1-3-3V5a3 3 0 0 1 3-3zm2 8v8h2.5v-8zm1.25-4a1.45 1.45 0 1 0 0 2.9 1.45 1.45 0 0 0 0-2.9zM11 10v8h2.5v-4.2c0-1.1.4-1.8 1.3-1.8s1.2.7 1.2 1.8V18h2.5v-4.8c0-2.4-1-3.4-2.8-3.4-1.1 0-1.9.5-2.3 1.2V10z";
const RSS: &str = "M4 4a16 16 0 0 1 16 16h-3A13 13 0 0 0 4 7zm0 6a10 10 0 0 1 10 10h-3a7 7 0 0 0-7-7zm2 6a2 2 0 1 1 0 4 2 2 0 0 1 0-4z";
const EMAIL: &str = "M3 5h18a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1 2.2V17h16V7.2l-8 5.3z";

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_has_an_icon() {
        for (kind, _) in crate::server::config::SOCIAL_KINDS {
            let svg = super::svg(kind).unwrap();
            assert!(svg.starts_with("<svg") && svg.contains("aria-hidden=\"true\""));
        }
        assert_eq!(super::svg("myspace"), None);
    }
}
