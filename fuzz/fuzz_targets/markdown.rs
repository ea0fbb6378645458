//! cargo fuzz target: see `checks::markdown` (tests/support/fuzz_checks.rs).
#![no_main]

#[path = "../../tests/support/fuzz_checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::markdown(data));
