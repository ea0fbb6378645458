//! Reading an author's file safely: no symbolic link on the way, no FIFO
//! that would stall the watcher, no file over the size cap, no binary
//! data or bad UTF-8. Each refusal names the file and the fix.

use std::path::Path;

use super::{ContentError, MAX_FILE_BYTES, tree};

/// The file's text, with the checks that make reading it safe: no link
/// on the way ([`tree::first_link`]), size, binary data, encoding.
pub fn read_text(root: &Path, path: &Path, relative: &Path) -> Result<String, ContentError> {
    let io_error = |err: std::io::Error| {
        ContentError::new(
            relative,
            None,
            format!("cannot read the file: {err}"),
            "check that it exists and is readable by the user running quire",
        )
    };
    if let Some(link) = tree::first_link(root, relative) {
        return Err(tree::skipped_link(root, relative, &link));
    }
    let bytes = read_capped(path).map_err(io_error)?.map_err(|size| {
        ContentError::new(
            relative,
            None,
            format!(
                "the file is {:.1} MB; posts are limited to {} MB",
                size as f64 / 1e6,
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            "split the post, or move large data into a file beside it (`<slug>/index.md`)",
        )
    })?;
    if bytes.contains(&0) {
        return Err(ContentError::new(
            relative,
            None,
            "looks like a binary file, not Markdown text",
            "rename it so it does not end in `.md`, or replace it with a text file",
        ));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        ContentError::new(
            relative,
            Some(line),
            "the file is not valid UTF-8 text",
            "re-save the file with UTF-8 encoding",
        )
    })
}

/// The bytes of `path`, or its size when that is over [`MAX_FILE_BYTES`].
/// Opened without following a final link, so a link swapped in after
/// [`tree::first_link`] looked is not read either, and without blocking,
/// so a FIFO named `*.md` cannot stall the watcher.
fn read_capped(path: &Path) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Ok(Err(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
}
