//! The files the binary carries: the client bundle (`public/`: index.html,
//! wasm, JS, CSS) and a default copy of the demo content.
//!
//! They are appended to the executable after it is built (the way `deno
//! compile` and `bun build --compile` ship their payloads): a sequence of
//! `(path, bytes)` entries, then the payload length and a magic trailer. The
//! loader maps only the ELF segments, so the appended bytes are inert until
//! Quire reads them back from its own file.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

const MAGIC: &[u8; 8] = b"QUIREPK1";
const TRAILER_LEN: u64 = 16;

/// One embedded file: a relative path such as `public/index.html`.
pub struct Entry {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything appended to the running executable, if anything was.
pub struct Bundle {
    pub entries: Vec<Entry>,
    /// Short hash of the payload, naming its extraction directory.
    pub id: String,
}

impl Bundle {
    /// Reads the payload from the running executable; `None` for a plain build.
    pub fn from_current_exe() -> io::Result<Option<Self>> {
        let exe = std::env::current_exe()?;
        Self::from_file(&exe)
    }

    pub fn from_file(path: &Path) -> io::Result<Option<Self>> {
        let mut file = fs::File::open(path)?;
        let size = file.metadata()?.len();
        if size < TRAILER_LEN {
            return Ok(None);
        }
        file.seek(SeekFrom::End(-(TRAILER_LEN as i64)))?;
        let mut trailer = [0u8; TRAILER_LEN as usize];
        file.read_exact(&mut trailer)?;
        if &trailer[8..] != MAGIC {
            return Ok(None);
        }
        let payload_len = u64::from_le_bytes(trailer[..8].try_into().expect("8 bytes"));
        let start = size
            .checked_sub(TRAILER_LEN + payload_len)
            .ok_or_else(|| invalid("payload length exceeds file size"))?;
        file.seek(SeekFrom::Start(start))?;
        let mut payload =
            vec![0u8; usize::try_from(payload_len).map_err(|_| invalid("payload too large"))?];
        file.read_exact(&mut payload)?;
        let id = blake3::hash(&payload).to_hex()[..12].to_string();
        Ok(Some(Self {
            entries: decode(&payload)?,
            id,
        }))
    }

    /// Files under `prefix/` with the prefix removed.
    pub fn files_under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a [u8])> + 'a {
        self.entries.iter().filter_map(move |e| {
            e.path
                .strip_prefix(prefix)
                .and_then(|p| p.strip_prefix('/'))
                .map(|p| (p, e.bytes.as_slice()))
        })
    }

    /// Writes the files under `prefix/` into `dir` unless a previous run did.
    /// Writes go to a temporary sibling that is renamed into place, so an
    /// interrupted extraction is never mistaken for a complete one.
    pub fn extract(&self, prefix: &str, dir: &Path) -> io::Result<()> {
        if dir.exists() {
            return Ok(());
        }
        let staging = dir.with_extension("partial");
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        for (relative, bytes) in self.files_under(prefix) {
            let target = staging.join(safe_relative(relative)?);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(target, bytes)?;
        }
        fs::create_dir_all(&staging)?;
        fs::rename(&staging, dir)
    }
}

/// What a binary carries: the client, the demo content, and the demo's
/// settings (`demo/quire.toml`), read when the demo content is served
/// without a settings file of the owner's.
pub struct Packed<'a> {
    pub public: &'a Path,
    pub content: &'a Path,
    pub demo: Option<&'a Path>,
}

/// The demo's settings file inside a bundle, as text.
pub const DEMO_SETTINGS: &str = "quire.toml";

impl Bundle {
    /// The text of the demo's settings, when the binary carries them.
    pub fn demo_settings(&self) -> Option<String> {
        let (_, bytes) = self
            .files_under("demo")
            .find(|(name, _)| *name == DEMO_SETTINGS)?;
        String::from_utf8(bytes.to_vec()).ok()
    }
}

/// Copies `exe` to `out` and appends every file of `public` (as `public/…`),
/// `content` (as `content/…`) and `demo` (as `demo/…`). The page template is packed with the
/// client deferred to after first paint ([`super::page_template::defer_client`]).
/// Links are not followed, as everywhere in content ([`crate::content::tree`]).
pub fn pack(exe: &Path, dirs: &Packed, out: &Path) -> io::Result<u64> {
    let mut payload = Vec::new();
    let mut all = vec![("public", dirs.public), ("content", dirs.content)];
    all.extend(dirs.demo.map(|demo| ("demo", demo)));
    for (prefix, dir) in all {
        let entries = walkdir::WalkDir::new(dir)
            .follow_links(crate::content::tree::FOLLOW_LINKS)
            .sort_by_file_name();
        for entry in entries {
            let entry = entry.map_err(io::Error::other)?;
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
            let name = format!("{prefix}/{}", relative.to_string_lossy().replace('\\', "/"));
            let mut bytes = fs::read(entry.path())?;
            if name == "public/index.html" {
                let template = String::from_utf8(bytes).map_err(io::Error::other)?;
                bytes = super::page_template::defer_client(&template)
                    .map_err(io::Error::other)?
                    .into_bytes();
            }
            payload.extend_from_slice(&(name.len() as u32).to_le_bytes());
            payload.extend_from_slice(name.as_bytes());
            payload.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            payload.extend_from_slice(&bytes);
        }
    }
    let mut binary = fs::read(exe)?;
    if let Some(existing) = Bundle::from_file(exe)? {
        // Packing a packed binary replaces its payload instead of stacking another.
        let payload_len: usize = existing
            .entries
            .iter()
            .map(|e| 12 + e.path.len() + e.bytes.len())
            .sum();
        binary.truncate(binary.len() - payload_len - TRAILER_LEN as usize);
    }
    // Written beside the target and renamed over it: a copy of the binary
    // that is running (a server left up) is replaced, never half-written.
    let partial = out.with_extension("partial");
    let mut file = fs::File::create(&partial)?;
    file.write_all(&binary)?;
    file.write_all(&payload)?;
    file.write_all(&(payload.len() as u64).to_le_bytes())?;
    file.write_all(MAGIC)?;
    file.sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&partial, fs::Permissions::from_mode(0o755))?;
    }
    fs::rename(&partial, out)?;
    Ok(payload.len() as u64)
}

fn decode(mut payload: &[u8]) -> io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    while !payload.is_empty() {
        let name_len = take_u32(&mut payload)? as usize;
        let name = take(&mut payload, name_len)?;
        let path =
            String::from_utf8(name.to_vec()).map_err(|_| invalid("entry name is not UTF-8"))?;
        let len =
            usize::try_from(take_u64(&mut payload)?).map_err(|_| invalid("entry too large"))?;
        let bytes = take(&mut payload, len)?.to_vec();
        entries.push(Entry { path, bytes });
    }
    Ok(entries)
}

fn take<'a>(input: &mut &'a [u8], len: usize) -> io::Result<&'a [u8]> {
    if input.len() < len {
        return Err(invalid("payload is truncated"));
    }
    let (head, tail) = input.split_at(len);
    *input = tail;
    Ok(head)
}

fn take_u32(input: &mut &[u8]) -> io::Result<u32> {
    Ok(u32::from_le_bytes(
        take(input, 4)?.try_into().expect("4 bytes"),
    ))
}

fn take_u64(input: &mut &[u8]) -> io::Result<u64> {
    Ok(u64::from_le_bytes(
        take(input, 8)?.try_into().expect("8 bytes"),
    ))
}

/// Refuses entry names that would escape the extraction directory.
fn safe_relative(name: &str) -> io::Result<PathBuf> {
    let path = PathBuf::from(name);
    if path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(path)
    } else {
        Err(invalid("entry name escapes its directory"))
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("embedded bundle: {message}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_then_read_back_and_extract() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("exe");
        fs::write(&exe, b"\x7fELF pretend binary").unwrap();
        let public = dir.path().join("public");
        fs::create_dir_all(public.join("assets")).unwrap();
        fs::write(
            public.join("index.html"),
            "<div id=\"main\"></div><script type=\"module\" async src=\"/app.js\"></script>",
        )
        .unwrap();
        fs::write(public.join("assets/app.wasm"), [0u8, 1, 2]).unwrap();
        let content = dir.path().join("content");
        fs::create_dir_all(&content).unwrap();
        fs::write(content.join("a.md"), "+++\ntitle = \"A\"\n+++\n").unwrap();
        let demo = dir.path().join("demo");
        fs::create_dir_all(&demo).unwrap();
        fs::write(demo.join("quire.toml"), "tagline = \"Demo\"\n").unwrap();
        let dirs = Packed {
            public: &public,
            content: &content,
            demo: Some(&demo),
        };

        let out = dir.path().join("packed");
        pack(&exe, &dirs, &out).unwrap();
        // Packing again replaces the payload rather than appending a second one.
        let twice = dir.path().join("twice");
        pack(&out, &dirs, &twice).unwrap();
        assert_eq!(
            fs::metadata(&out).unwrap().len(),
            fs::metadata(&twice).unwrap().len()
        );

        let bundle = Bundle::from_file(&twice).unwrap().expect("payload present");
        let names: Vec<_> = bundle.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "public/assets/app.wasm",
                "public/index.html",
                "content/a.md",
                "demo/quire.toml"
            ]
        );
        assert_eq!(
            bundle.demo_settings().as_deref(),
            Some("tagline = \"Demo\"\n")
        );
        let target = dir.path().join("extracted");
        bundle.extract("public", &target).unwrap();
        assert_eq!(fs::read(target.join("assets/app.wasm")).unwrap(), [0, 1, 2]);
        let template = fs::read_to_string(target.join("index.html")).unwrap();
        assert!(
            template.contains("import(\"/app.js\")") && !template.contains("src="),
            "the packed template loads the client after first paint: {template}"
        );
        assert!(Bundle::from_file(&exe).unwrap().is_none());
    }

    #[test]
    fn refuses_paths_that_escape() {
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("a/b").is_ok());
    }
}
