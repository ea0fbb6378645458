//! The shipped systemd unit (`deploy/quire.service`) stays hardened:
//! `scripts/check-unit.sh` verifies it and requires an exposure of "OK" or
//! better from `systemd-analyze security --offline`, and refuses a unit
//! without the hardening (so the script cannot pass silently). And what the
//! unit relies on to bind ports below 1024 without root works: a process of
//! an unprivileged user whose only capability is `CAP_NET_BIND_SERVICE`
//! (ambient, as `AmbientCapabilities=` gives it) serves a low port, and one
//! without it is refused with a clear error.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn check_unit(unit: Option<&std::path::Path>) -> (bool, String) {
    let mut command = Command::new("bash");
    command
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/check-unit.sh"
        ))
        .env("QUIRE_BIN", env!("CARGO_BIN_EXE_quire"));
    if let Some(unit) = unit {
        command.arg(unit);
    }
    let out = command.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn the_shipped_unit_verifies_and_is_rated_ok_or_better() {
    let (ok, text) = check_unit(None);
    assert!(ok, "{text}");
    assert!(
        ["OK", "SAFE", "PERFECT"]
            .iter()
            .any(|l| text.contains(&format!(" {l} ("))),
        "{text}"
    );
}

#[test]
fn a_unit_without_hardening_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("quire.service");
    std::fs::write(&unit, "[Service]\nExecStart=/usr/local/bin/quire serve\n").unwrap();
    let (ok, text) = check_unit(Some(&unit));
    assert!(!ok, "{text}");
    assert!(text.contains("it must be OK or better"), "{text}");
}

/// The user `nobody` with at most `caps` (util-linux `setpriv`), no new
/// privileges, as `NoNewPrivileges=` and `CapabilityBoundingSet=` make it.
fn as_nobody(caps: &str) -> Vec<String> {
    let mut wrapper = vec![
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--no-new-privs",
    ];
    let bounding = format!("--bounding-set=-all{caps}");
    let (inherit, ambient) = (
        format!("--inh-caps=-all{caps}"),
        format!("--ambient-caps=-all{caps}"),
    );
    wrapper.extend([bounding.as_str(), inherit.as_str(), ambient.as_str()]);
    wrapper.into_iter().map(String::from).collect()
}

/// A port below 1024 that nothing on 127.0.0.1 listens on (found as root).
fn free_low_port() -> u16 {
    (900..1024)
        .rev()
        .find(|port| std::net::TcpListener::bind(("127.0.0.1", *port)).is_ok())
        .expect("a free port below 1024")
}

/// `quire serve` on `addr` under `wrapper`, content and data made usable by
/// `nobody`.
fn serve_as(wrapper: &[String], dir: &Path, addr: &str) -> std::process::Child {
    use std::os::unix::fs::PermissionsExt;
    let content = dir.join("content");
    let data = dir.join("data");
    common::write(&content, "a.md", &common::post("A", "2026-01-01", ""));
    std::fs::create_dir_all(data.join("public")).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(&data)
        .status()
        .unwrap();
    let wrapper: Vec<&str> = wrapper.iter().map(String::as_str).collect();
    common::quire_command(&wrapper)
        .args(["serve", "--content"])
        .arg(&content)
        .arg("--data")
        .arg(&data)
        .args(["--addr", addr])
        .env("DIOXUS_PUBLIC_PATH", data.join("public"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn an_unprivileged_user_with_only_cap_net_bind_service_serves_a_low_port() {
    let uid = std::fs::read_to_string("/proc/self/status").unwrap();
    assert!(
        uid.lines().any(|l| l.starts_with("Uid:\t0\t")),
        "this test switches to the user nobody with setpriv: run it as root"
    );
    let dir = tempfile::tempdir().unwrap();
    let addr = format!("127.0.0.1:{}", free_low_port());
    let mut server = serve_as(&as_nobody(",+net_bind_service"), dir.path(), &addr);
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Ok(_probe) = std::net::TcpStream::connect(&addr) {
            break common::get(&addr, "/healthz").0;
        }
        if let Some(exit) = server.try_wait().unwrap() {
            panic!("quire exited with {exit} before serving {addr}");
        }
        assert!(
            Instant::now() < deadline,
            "nothing served {addr} within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(status, 200);

    let denied = tempfile::tempdir().unwrap();
    let out = serve_as(&as_nobody(""), denied.path(), &addr)
        .wait_with_output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Permission denied") && stderr.contains("need CAP_NET_BIND_SERVICE"),
        "{stderr}"
    );
}
