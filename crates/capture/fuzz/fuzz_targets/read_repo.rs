//! Any bytes as a Bluesky repository export: its follows or an error, never a
//! panic (seed the corpus with tests/fixtures/bluesky/jetstream/*.car).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = reciprocity_capture::bsky::car::read_repo(data);
});
