//! The values Hugo's `{{< param "x" >}}` reads for one page, nearest
//! first: the page's own front matter (its fields and its `params`), what
//! the `_index.md` of its sections hand down (`cascade`, the nearest
//! section winning), then the site's `[params]`. etcd's versioned docs
//! write `/docs/{{< param version >}}/…` in every page and set `version`
//! once, in the version's `_index.md`.
//!
//! Apart from the shortcodes because it reads other files than the page:
//! only a page that names `param` pays for it, and the store parses such
//! pages again when a section file above them changes
//! (`store::sync`'s `reparse_cascaded`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::front_matter::{self, Split};
use super::paths::SECTION_FILE;

/// Whether `body` may read a param: the only pages [`of_page`] looks at.
pub fn names_param(body: &str) -> bool {
    body.contains("param")
}

/// The values for the page at `relative` whose front matter is `split`,
/// over `site`'s; `None` when the body names no param (the site's serve).
pub fn of_page(
    relative: &Path,
    split: &Split<'_>,
    site: &Arc<BTreeMap<String, String>>,
    root: Option<&Path>,
) -> Option<Arc<BTreeMap<String, String>>> {
    if !names_param(split.body) {
        return None;
    }
    let mut values = (**site).clone();
    let folders: Vec<&Path> = relative.ancestors().skip(1).collect();
    for folder in folders.into_iter().rev() {
        if let Some(root) = root {
            cascaded(root, folder, &mut values);
        }
    }
    if let Ok(table) = front_matter::table(relative, split) {
        scalars(&table, &mut values);
        if let Some(params) = table.get("params") {
            scalars(params, &mut values);
        }
    }
    Some(Arc::new(values))
}

/// What `folder`'s `_index.md` cascades, into `values`: a table of
/// values (or its `params`), or Hugo's list of them, of which those
/// without a `_target` (the ones for every page below).
fn cascaded(root: &Path, folder: &Path, values: &mut BTreeMap<String, String>) {
    let relative = folder.join(SECTION_FILE);
    let Ok(text) = std::fs::read_to_string(root.join(&relative)) else {
        return;
    };
    let Ok(split) = front_matter::split(&relative, &text) else {
        return;
    };
    let Ok(table) = front_matter::table(&relative, &split) else {
        return;
    };
    let entries = match table.get("cascade") {
        Some(Value::Array(list)) => list.iter().filter(|e| e.get("_target").is_none()).collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    for entry in entries {
        scalars(entry, values);
        if let Some(params) = entry.get("params") {
            scalars(params, values);
        }
    }
}

/// The text, number and true/false values of `table` into `values`, under
/// their names and (as Hugo matches them) their lower-case names; those of
/// a table inside under dotted names, as Hugo's `param "versions.core"`
/// reaches them.
fn scalars(table: &Value, values: &mut BTreeMap<String, String>) {
    scalars_under("", table, values, 0);
}

/// How deep [`scalars`] reads tables inside tables.
const MAX_DEPTH: usize = 4;

fn scalars_under(prefix: &str, table: &Value, values: &mut BTreeMap<String, String>, depth: usize) {
    let Value::Object(map) = table else {
        return;
    };
    for (name, value) in map {
        let name = format!("{prefix}{name}");
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            Value::Object(_) if depth < MAX_DEPTH => {
                scalars_under(&format!("{name}."), value, values, depth + 1);
                continue;
            }
            _ => continue,
        };
        values.insert(name.to_lowercase(), text.clone());
        values.insert(name, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_page_reads_its_own_fields_then_its_nearest_section_s_cascade_then_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "docs/_index.md",
            "---\ncascade:\n  version: v2\n  color: red\n---\n",
        );
        write(
            root,
            "docs/v3.5/_index.md",
            "---\ncascade:\n  version: v3.5\n  git_version_tag: v3.5.21\n---\n",
        );
        write(
            root,
            "docs/v3.5/ops/_index.md",
            "+++\n[[cascade]]\nversion = \"wrong\"\n[cascade._target]\npath = \"/x\"\n[[cascade]]\n[cascade.params]\nshade = \"dark\"\n+++\n",
        );
        let site = Arc::new(BTreeMap::from([
            ("color".into(), "blue".into()),
            ("name".into(), "etcd".into()),
        ]));
        let text = "---\ntitle: T\nOwner: ops\nparams:\n  level: 3\nversions:\n  core: v1.82.0\n---\nSee /docs/{{< param version >}}/.\n";
        let relative = Path::new("docs/v3.5/ops/page.md");
        let split = front_matter::split(relative, text).unwrap();
        let values = of_page(relative, &split, &site, Some(root)).unwrap();
        assert_eq!(values["version"], "v3.5");
        assert_eq!(values["git_version_tag"], "v3.5.21");
        assert_eq!(values["color"], "red");
        assert_eq!(values["name"], "etcd");
        assert_eq!(values["shade"], "dark");
        assert_eq!(values["owner"], "ops");
        assert_eq!(values["level"], "3");
        assert_eq!(values["versions.core"], "v1.82.0");
        assert_eq!(values["title"], "T");
        // A page that names no param reads no other file.
        let plain = front_matter::split(relative, "---\ntitle: T\n---\nNo values.\n").unwrap();
        assert!(of_page(relative, &plain, &site, Some(root)).is_none());
    }
}
