//! The shipped systemd unit (`deploy/quire.service`) stays hardened:
//! `scripts/check-unit.sh` verifies it and requires an exposure of "OK" or
//! better from `systemd-analyze security --offline`, and refuses a unit
//! without the hardening (so the script cannot pass silently).

use std::process::Command;

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
