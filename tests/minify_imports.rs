//! `scripts/minify-imports.py`, which `make build` runs on dx's output: the
//! client's import names shortened in the wasm and its JS glue alike, every
//! other byte of the wasm kept, and a layout it does not expect refused with
//! the files untouched (so a new dx or wasm-bindgen fails the build rather
//! than ship a client that cannot start).

use std::path::Path;
use std::process::{Command, Output};

const MODULE: &str = "./quire_bg.js";
const FIRST: &str = "__wbg_scrollTo_8447b4fdf830d055";
const SECOND: &str = "__wbindgen_cast_0000000000000001";

fn leb(mut value: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        out.push(if value > 0 { byte | 0x80 } else { byte });
        if value == 0 {
            return out;
        }
    }
}

fn name(text: &str) -> Vec<u8> {
    [leb(text.len()), text.as_bytes().to_vec()].concat()
}

fn section(id: u8, body: &[u8]) -> Vec<u8> {
    [vec![id], leb(body.len()), body.to_vec()].concat()
}

/// A module importing two functions from `module`, with a custom section after.
fn wasm(module: &str) -> Vec<u8> {
    let types = section(1, &[1, 0x60, 0, 0]);
    let mut imports = leb(2);
    for field in [FIRST, SECOND] {
        imports.extend([name(module), name(field), vec![0, 0]].concat());
    }
    let custom = section(0, &[name("keep").as_slice(), b"these bytes"].concat());
    [
        b"\0asm\x01\0\0\0".to_vec(),
        types,
        section(2, &imports),
        custom,
    ]
    .concat()
}

fn glue(first_key: &str) -> String {
    format!(
        r#"function P(){{return{{__proto__:null,"{MODULE}":{{__proto__:null,{first_key}:function(t,e,n){{t.scrollTo(e,n)}},{SECOND}:function(t){{return t}}}}}}}}"#
    )
}

fn run(public: &Path) -> Output {
    Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/minify-imports.py"
        ))
        .arg(public)
        .output()
        .expect("python3")
}

fn public_dir(wasm: &[u8], js: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("assets/quire_bg-dxh1.wasm"), wasm).unwrap();
    std::fs::write(dir.path().join("assets/quire-dxh2.js"), js).unwrap();
    dir
}

fn read(dir: &Path) -> (Vec<u8>, String) {
    let wasm = std::fs::read(dir.join("assets/quire_bg-dxh1.wasm")).unwrap();
    let js = std::fs::read_to_string(dir.join("assets/quire-dxh2.js")).unwrap();
    (wasm, js)
}

#[test]
fn renames_each_import_in_the_wasm_and_the_glue_alike() {
    let dir = public_dir(&wasm(MODULE), &glue(FIRST));
    let out = run(dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (wasm_after, js_after) = read(dir.path());
    let mut expected_imports = leb(2);
    for field in ["a", "b"] {
        expected_imports.extend([name("w"), name(field), vec![0, 0]].concat());
    }
    let expected = [
        wasm(MODULE)[..14].to_vec(), // the header and the type section
        section(2, &expected_imports),
        section(0, &[name("keep").as_slice(), b"these bytes"].concat()),
    ]
    .concat();
    assert_eq!(wasm_after, expected);
    assert_eq!(
        js_after,
        r#"function P(){return{__proto__:null,"w":{__proto__:null,a:function(t,e,n){t.scrollTo(e,n)},b:function(t){return t}}}}"#
    );
}

#[test]
fn refuses_a_layout_it_does_not_know_and_leaves_the_files_alone() {
    // The glue names an import twice; then a module other than quire_bg.js.
    let twice = format!("{}/*{FIRST}*/", glue(FIRST));
    for (wasm, js) in [(wasm(MODULE), twice), (wasm("env"), glue(FIRST))] {
        let dir = public_dir(&wasm, &js);
        let out = run(dir.path());
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("minify-imports: "));
        assert_eq!(read(dir.path()), (wasm, js));
    }
}
