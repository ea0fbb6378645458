//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub mod nginx;

pub fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub fn post(title: &str, date: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\n{extra}+++\n\nIntro paragraph for {title}.\n\n## Section\n\nMore text.\n"
    )
}

/// A running `quire serve` child process, killed on drop.
pub struct Server {
    pub child: Child,
    pub addr: String,
    /// The log lines up to and including the "serving" line.
    pub startup: Vec<String>,
    /// The log lines after it, as they come.
    pub log: mpsc::Receiver<String>,
}

impl Server {
    /// Starts the test binary and waits for its "serving" log line.
    pub fn start(content: &Path, data: &Path) -> Self {
        Self::start_with(content, data, &[])
    }

    /// Like [`Server::start`], with extra `serve` arguments.
    pub fn start_with(content: &Path, data: &Path, extra: &[&str]) -> Self {
        Self::start_with_env(content, data, extra, &[])
    }

    /// Like [`Server::start_with`], with extra environment variables.
    pub fn start_with_env(
        content: &Path,
        data: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        Self::start_wrapped(&[], content, data, extra, env)
    }

    /// Like [`Server::start_with_env`], run through `wrapper` (a command
    /// that ends by executing its arguments: `setpriv …`, `sh -c '…; exec
    /// "$@"' sh`).
    pub fn start_wrapped(
        wrapper: &[&str],
        content: &Path,
        data: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        Self::start_on(free_port(), wrapper, content, data, extra, env)
    }

    /// Like [`Server::start_wrapped`], listening on `port` (known before
    /// the server starts: an ACME CA is told where to find it).
    pub fn start_on(
        port: u16,
        wrapper: &[&str],
        content: &Path,
        data: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        let addr = format!("127.0.0.1:{port}");
        let mut child = quire_command(wrapper)
            .args(["serve", "--content"])
            .arg(content)
            .arg("--data")
            .arg(data)
            .args(["--addr", &addr])
            .args(extra)
            .env("DIOXUS_PUBLIC_PATH", data.join("public"))
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::fs::create_dir_all(data.join("public")).unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut startup = Vec::new();
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = rx.recv_timeout(remaining) else {
                panic!(
                    "server printed no serving line within 60 s:\n{}",
                    startup.join("\n")
                );
            };
            let serving = line.contains("Quire is serving");
            startup.push(line);
            if serving {
                break;
            }
        }
        Self {
            child,
            addr,
            startup,
            log: rx,
        }
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        get(&self.addr, path)
    }

    /// Polls `path` until `check` accepts the body; panics after 10 s.
    pub fn wait_for(&self, path: &str, what: &str, check: impl Fn(u16, &str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, body) = self.get(path);
            if check(status, &body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} at {path}; last status {status}"
            );
            std::thread::yield_now();
        }
    }
}

impl Server {
    /// Waits until the search index holds every post (search pages and
    /// 404s are cached only from then on); panics after 10 s.
    pub fn wait_for_search_index(&self) {
        let ready = |l: &str| l.contains("search index ready");
        if !self.startup.iter().any(|l| ready(l)) {
            self.wait_for_log(ready);
        }
    }

    /// The first log line `matches` accepts; panics after 10 s.
    pub fn wait_for_log(&self, matches: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let line = self
                .log
                .recv_timeout(remaining)
                .expect("the expected log line within 10 s");
            if matches(&line) {
                return line;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Opens `path` and returns a reader positioned after the response headers.
pub fn open_stream(addr: &str, path: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.contains(" 200 "), "{path}: {status}");
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
        line.clear();
    }
    reader
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A minimal HTTP/1.1 GET over a fresh connection: status and body.
pub fn get(addr: &str, path: &str) -> (u16, String) {
    let reply = fetch(addr, path);
    (reply.status, reply.body)
}

/// A response with its headers (names lower-cased) and its body, de-chunked.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// GET over a fresh connection, keeping the headers (no redirects followed).
pub fn fetch(addr: &str, path: &str) -> Reply {
    fetch_as(addr, addr, path)
}

/// [`fetch`] with `host` as the `Host` header (a proxy in front would send
/// the public name).
pub fn fetch_as(addr: &str, host: &str, path: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// The `quire` binary as a command, run under `wrapper` (a program and its
/// arguments, e.g. `setpriv …`) when one is given.
#[allow(dead_code)]
pub fn quire_command(wrapper: &[&str]) -> Command {
    let binary = env!("CARGO_BIN_EXE_quire");
    match wrapper.split_first() {
        Some((program, args)) => {
            let mut command = Command::new(program);
            command.args(args).arg(binary);
            command
        }
        None => Command::new(binary),
    }
}
