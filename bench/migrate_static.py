"""A migrated blog exported (`quire export`) and read as a static host
with no redirect rules serves it (bench/migrate.py --host static): GitHub
Pages, an object store, `file://`. Its answers follow GitHub Pages' rules
as measured by slorber/trailing-slash-guide: a path's own file, else its
`.html` file, else a folder: a 301 to the slashed address without the
slash, its `index.html` with it; a path with a slash and no folder is a
404 (`404.html`). Query strings are ignored. A redirect page (a
`<meta http-equiv="refresh">`) counts as the 301 it stands for, since
readers and search engines follow it as one. Standard library only.
"""
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote

REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)"')


class StaticHost:
    """`quire export` of the laid-out site into `work/public`, then read
    from the folder: the same `get` as migrate.py's Server."""

    def __init__(self, binary, work, drafts, timeout):
        self.root = work / "public"
        cmd = [binary, "export", str(self.root), "--content", str(work / "content"),
               "--data", str(work / "data"), "--config", str(work / "quire.toml")]
        started = time.monotonic()
        with open(work / "export.log", "w") as log:
            done = subprocess.run(cmd + (["--drafts"] if drafts else []), cwd=work, stdout=log,
                                  stderr=subprocess.STDOUT, timeout=timeout)
        if done.returncode != 0:
            tail = (work / "export.log").read_text(errors="replace").splitlines()[-5:]
            raise RuntimeError(f"quire export exited with {done.returncode}:\n" + "\n".join(tail))
        self.ingest_s = time.monotonic() - started

    def get(self, path):
        """(status, location, body) as the host answers `path`."""
        path = unquote(path.split("?", 1)[0])
        status, file = self.resolve(path)
        if status == 301:
            return 301, path + "/", ""
        if file is None:
            missing = self.root / "404.html"
            return 404, None, missing.read_text(errors="replace") if missing.is_file() else ""
        body = file.read_text(errors="replace") if file.suffix in (".html", ".xml", ".json", ".txt") else ""
        refresh = REFRESH.search(body[:4000]) if file.suffix == ".html" else None
        if refresh:
            return 301, refresh.group(1).replace("&amp;", "&"), ""
        return 200, None, body

    def resolve(self, path):
        """(200, file), (301, None) for a folder asked without its slash,
        or (404, None)."""
        relative = path.lstrip("/")
        if ".." in relative.split("/"):
            return 404, None
        target = self.root / relative
        if path.endswith("/"):
            index = target / "index.html"
            return (200, index) if index.is_file() else (404, None)
        for candidate in (target, Path(f"{target}.html")):
            if candidate.is_file():
                return 200, candidate
        return (301, None) if target.is_dir() else (404, None)

    def stop(self):
        pass
