//! Partials: the owner's snippets in `content/_partials/` (`header`,
//! `footer`, `article_end`, `404`, each `.md` or `.html`), shown on every
//! page by `page_rewrite`. Markdown goes through the posts' renderer and
//! raw HTML through the posts' sanitiser (`content::html_policy`), so a
//! partial can do no more than a post. The folder starts with `_`, so
//! `content::paths` never takes a partial for a post, page or section.
//! They are read at start and again whenever the watcher sees the folder
//! change (`Site::partials_changed`); a partial that cannot be used is
//! left out and named by `quire check` with its file and line.

use std::path::{Path, PathBuf};

use crate::content::{ContentError, RenderOptions, html_policy, limits, markdown};

/// The folder under `content/`.
pub const FOLDER: &str = "_partials";
/// The partials there are, by file stem.
pub const NAMES: [&str; 4] = ["header", "footer", "article_end", "404"];

/// The partials of one site, rendered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Partials {
    pub header: Option<String>,
    pub footer: Option<String>,
    pub article_end: Option<String>,
    pub not_found: Option<String>,
    /// What `quire check` reports about them.
    pub problems: Vec<ContentError>,
}

/// Whether `path` (absolute, in the watcher's terms) is in the partials
/// folder of `content_dir`, or is that folder.
pub fn is_partial(path: &Path, content_dir: &Path) -> bool {
    path.strip_prefix(content_dir)
        .ok()
        .and_then(|rel| rel.components().next())
        .is_some_and(|first| first.as_os_str() == FOLDER)
}

/// Reads and renders the partials of `content_dir`.
pub fn load(content_dir: &Path, options: &RenderOptions) -> Partials {
    let folder = content_dir.join(FOLDER);
    let mut partials = Partials::default();
    for name in NAMES {
        let rendered = match one(&folder, name, options) {
            Ok(Some((html, problems))) => {
                partials.problems.extend(problems);
                Some(html)
            }
            Ok(None) => None,
            Err(problem) => {
                partials.problems.push(problem);
                None
            }
        };
        let slot = match name {
            "header" => &mut partials.header,
            "footer" => &mut partials.footer,
            "article_end" => &mut partials.article_end,
            _ => &mut partials.not_found,
        };
        *slot = rendered;
    }
    partials
}

/// The partial `name`, its HTML and what the sanitiser removed; `None`
/// when there is none.
fn one(
    folder: &Path,
    name: &str,
    options: &RenderOptions,
) -> Result<Option<(String, Vec<ContentError>)>, ContentError> {
    let found: Vec<PathBuf> = ["md", "html"]
        .iter()
        .map(|ext| folder.join(format!("{name}.{ext}")))
        .filter(|p| p.is_file())
        .collect();
    let path = match found.as_slice() {
        [] => return Ok(None),
        [one] => one,
        [md, html] => {
            return Err(ContentError::new(
                &shown(html),
                None,
                format!(
                    "both {} and {} exist",
                    shown(md).display(),
                    shown(html).display()
                ),
                "keep one of them; the partial is left out until then",
            ));
        }
        _ => unreachable!("two extensions"),
    };
    let text = read(path)?;
    let rendered = markdown::render(&text, &options_for(options));
    let problems = rendered
        .problems
        .into_iter()
        .map(|mut p| {
            p.path = shown(path);
            p
        })
        .collect();
    let html = if path.extension().is_some_and(|e| e == "html") {
        html_policy::sanitize(&text, &options.embed_hosts)
    } else {
        rendered.html
    };
    Ok(Some((html, problems)))
}

/// The posts' options, without what only a post has (its folder).
fn options_for(options: &RenderOptions) -> RenderOptions {
    RenderOptions {
        raw_html: options.raw_html,
        embed_hosts: options.embed_hosts.clone(),
        image_hosts: options.image_hosts.clone(),
        static_root: options.static_root.clone(),
        ..RenderOptions::default()
    }
}

fn read(path: &Path) -> Result<String, ContentError> {
    let fail = |message: String| {
        ContentError::new(
            &shown(path),
            None,
            message,
            "fix the file; the partial is left out until then",
        )
    };
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read it: {e}")))?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(fail(format!(
            "it is {} bytes, over the limit for a post",
            bytes.len()
        )));
    }
    String::from_utf8(bytes).map_err(|_| fail("it is not UTF-8 text".into()))
}

/// The path as an author knows it: from `_partials/` on.
fn shown(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default();
    Path::new(FOLDER).join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(FOLDER)).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(FOLDER).join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn markdown_and_html_partials_are_rendered_and_sanitised() {
        let dir = site(&[
            ("footer.md", "Licensed **CC BY**."),
            (
                "article_end.html",
                "<div class=\"box\">Subscribe<script>x()</script></div>",
            ),
        ]);
        let partials = load(dir.path(), &RenderOptions::default());
        assert!(
            partials
                .footer
                .as_deref()
                .unwrap()
                .contains("<strong>CC BY</strong>")
        );
        let end = partials.article_end.as_deref().unwrap();
        assert!(
            end.contains("Subscribe") && !end.contains("script"),
            "{end}"
        );
        assert_eq!(partials.header, None);
        let problem = &partials.problems[0];
        assert_eq!(problem.path, Path::new("_partials/article_end.html"));
        assert_eq!(problem.line, Some(1));
    }

    #[test]
    fn two_files_for_one_partial_are_an_error() {
        let dir = site(&[("404.md", "a"), ("404.html", "b")]);
        let partials = load(dir.path(), &RenderOptions::default());
        assert_eq!(partials.not_found, None);
        assert!(
            partials.problems[0].message.contains("both"),
            "{:?}",
            partials.problems
        );
    }

    #[test]
    fn only_the_partials_folder_counts() {
        let root = Path::new("/site/content");
        assert!(is_partial(
            Path::new("/site/content/_partials/footer.md"),
            root
        ));
        assert!(is_partial(Path::new("/site/content/_partials"), root));
        assert!(!is_partial(
            Path::new("/site/content/posts/_partials.md"),
            root
        ));
    }
}
