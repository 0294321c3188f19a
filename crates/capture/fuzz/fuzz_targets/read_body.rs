//! Any bytes as a response body: a value or an error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = reciprocity_capture::read_body(data);
});
