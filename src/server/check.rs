//! `quire check`: parses every file into a throwaway store, then prints
//! what an author should know, grouped, each with its file, line and fix:
//! errors (exit 1), warnings, raw HTML the sanitiser removed, files that
//! are not posts, standalone pages, and notes (custom front matter keys,
//! once per key; `render = false` files). Nothing here writes anywhere.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::cli::CheckArgs;
use super::commands::{CommandResult, load_config};
use super::directories::check_content_dir;
use crate::content::error::Severity;
use crate::content::{self, ContentError, Document, Kind};
use crate::store::Store;
use crate::store::sync::{self, SyncReport};
use crate::urls::permalink::key;

/// What `check` found, grouped as it is printed.
#[derive(Default)]
struct Findings {
    errors: Vec<ContentError>,
    warnings: Vec<ContentError>,
    removals: Vec<ContentError>,
    skipped: Vec<ContentError>,
    /// Notes by message, with every file that has it.
    notes: BTreeMap<String, Vec<ContentError>>,
}

/// Parses every post into a throwaway store and prints every problem.
pub fn check(args: CheckArgs) -> CommandResult {
    let loaded = load_config(args.config.config.as_deref())?;
    let dir = args
        .content
        .content
        .unwrap_or_else(|| PathBuf::from("content"));
    let dir = check_content_dir(&dir)?;
    let store = Store::temporary()?;
    let report = sync::sync_all(&store, &dir, &loaded.config.render_options(&dir), &|| {})?;
    let docs = store.all_posts().collect::<Result<Vec<_>, _>>()?;
    let documents = report.added.len();
    let static_root = loaded.config.static_root(&dir);
    let mut findings = Findings::of(report, &docs, &dir);
    let languages = loaded.config.url_languages();
    let shadowed = super::redirects::language_problems(&docs, &languages, &dir);
    findings.errors.extend(shadowed);
    findings
        .warnings
        .extend(unserved_images(&docs, &dir, static_root.as_deref()));
    for file in withheld_files(&docs, &dir) {
        findings.sort(file);
    }
    findings.theme(&loaded.config, &loaded.path, &dir);
    findings.print(&docs, &loaded.config.collections);
    println!("{}", findings.summary(documents));
    Ok(if findings.errors.is_empty() { 0 } else { 1 })
}

impl Findings {
    fn of(report: SyncReport, docs: &[Document], dir: &Path) -> Self {
        let mut findings = Findings {
            errors: report.errors,
            skipped: report.skipped,
            ..Findings::default()
        };
        findings
            .errors
            .extend(super::redirects::address_problems(docs, dir));
        let empty = super::redirects::empty_own_pages(docs);
        findings.warnings.extend(empty);
        for warning in report.warnings {
            findings.sort(warning);
        }
        findings
    }

    /// Puts one of the sync's warnings in its group. A missing image is an
    /// error here (the server still publishes the post).
    fn sort(&mut self, warning: ContentError) {
        if content::images::is_missing_file(&warning) {
            self.errors.push(warning);
        } else if content::html_policy::report::is_raw_html_message(&warning.message) {
            self.removals.push(warning);
        } else if warning.severity == Severity::Note {
            self.notes
                .entry(warning.message.clone())
                .or_default()
                .push(warning);
        } else {
            self.warnings.push(warning);
        }
    }

    /// The theme's files and partials: a file that cannot be used is an
    /// error, what the sanitiser removed from a partial a removal.
    fn theme(&mut self, config: &super::SiteConfig, config_path: &Path, dir: &Path) {
        match super::theme::Theme::load(config, dir) {
            Ok(theme) => {
                for problem in theme.partials().problems.iter().cloned() {
                    let removal =
                        content::html_policy::report::is_raw_html_message(&problem.message);
                    match removal {
                        true => self.removals.push(problem),
                        false => self.errors.push(problem),
                    }
                }
            }
            Err(message) => self.errors.push(ContentError::new(
                config_path,
                None,
                message,
                "see docs/THEMING.md",
            )),
        }
    }

    fn print(&self, docs: &[Document], collections: &[String]) {
        let groups = [
            ("warning", &self.warnings),
            ("html", &self.removals),
            ("skipped", &self.skipped),
        ];
        for (label, problems) in groups {
            for problem in problems {
                println!("{label}: {problem}");
            }
        }
        for doc in docs.iter().filter(|doc| doc.kind == Kind::Page) {
            println!("{}", page_line(doc, collections));
        }
        for same in self.notes.values() {
            println!("note: {}", note_line(same));
        }
        for doc in docs.iter().filter(|doc| !doc.render) {
            println!(
                "note: {}: not rendered (render = false)",
                doc.source.display()
            );
        }
        for error in &self.errors {
            println!("error: {error}");
        }
    }

    fn summary(&self, documents: usize) -> String {
        format!(
            "{documents} posts OK, {} errors, {} warnings, {} raw HTML removals, {} files that are not posts",
            self.errors.len(),
            self.warnings.len(),
            self.removals.len(),
            self.skipped.len()
        )
    }
}

/// Images named by an address on this site (`/images/x.png`, or a path
/// climbing out of `content/` that the browser resolves against the page)
/// that nothing serves: not the `static/` folder, not a file beside a post.
fn unserved_images(docs: &[Document], dir: &Path, static_root: Option<&Path>) -> Vec<ContentError> {
    let by_url: HashMap<&str, &Document> = docs.iter().map(|d| (key(&d.url), d)).collect();
    let served = |address: &str| {
        static_root.is_some_and(|root| super::static_files::file_at(root, address).is_some())
            || beside_a_post(&by_url, dir, address)
    };
    let mut problems = Vec::new();
    for doc in docs {
        for image in doc.rooted.iter().filter(|i| !served(&i.address)) {
            problems.push(ContentError::new(
                &doc.source,
                image.line,
                format!(
                    "image `{}` is fetched from {}, which this site does not serve",
                    image.written, image.address
                ),
                "put the file in the site's static/ folder at that path (it is served at the site root), or beside the post and point at it from this file's folder",
            ));
        }
    }
    problems
}

/// The files in posts' folders that are not published (HTML, scripts):
/// a warning when the post links to one, which readers would find
/// missing, else a note.
fn withheld_files(docs: &[Document], dir: &Path) -> Vec<ContentError> {
    let mut problems = Vec::new();
    for doc in docs {
        let Some(folder) = &doc.asset_dir else {
            continue;
        };
        for file in super::post_files::withheld(&dir.join(folder)) {
            let file = file.to_string_lossy().replace('\\', "/");
            let linked = doc.html.contains(&format!("/{file}\""))
                || doc.html.contains(&format!("\"{file}\""));
            let mut problem = ContentError::new(
                &doc.source,
                None,
                format!(
                    "`{file}` beside the post is not published: a post's folder serves images, audio, video, fonts and documents (PDF, text, CSV, JSON, archives), never HTML or scripts, which would run as the site's own"
                ),
                format!(
                    "to keep it at {}/{file}, put it in the site's static/ folder at that path",
                    key(&doc.url)
                ),
            );
            if !linked {
                problem.severity = Severity::Note;
            }
            problems.push(problem);
        }
    }
    problems
}

/// Whether `address` is a file published beside a post: the post's
/// address (`by_url`'s keys are [`key`]s: no trailing slash), then the
/// file's path inside its folder.
fn beside_a_post(by_url: &HashMap<&str, &Document>, dir: &Path, address: &str) -> bool {
    let Some(address) = super::redirects::percent_decode(address) else {
        return false;
    };
    address.rmatch_indices('/').any(|(at, _)| {
        let Some(doc) = by_url.get(&address[..at]) else {
            return false;
        };
        let file = Path::new(&address[at + 1..]);
        doc.asset_dir.as_ref().is_some_and(|folder| {
            super::post_files::publishable(file).is_some() && dir.join(folder).join(file).is_file()
        })
    })
}

/// One note for every file that has it: the first file named, the others counted.
fn note_line(same: &[ContentError]) -> String {
    let first = &same[0];
    let others = match same.len() {
        1 => String::new(),
        2 => " and 1 other file".to_string(),
        n => format!(" and {} other files", n - 1),
    };
    format!("{first}{others}")
}

/// What `check` says about a standalone page: where it is served, and,
/// when it is a page only for want of a date, how to make it a post (a
/// page of one of Jekyll's `collections` stays one).
fn page_line(doc: &Document, collections: &[String]) -> String {
    let line = format!(
        "page: {} is a standalone page at {}",
        doc.source.display(),
        doc.url
    );
    let in_pages = doc.section == content::place::PAGES_FOLDER
        || content::paths::in_collection(&doc.source, collections);
    if doc.date == content::UNDATED && !in_pages {
        return format!(
            "{line} (it has no date: with `date = 2026-01-31`, and without `page = true`, it is a post)"
        );
    }
    line
}
