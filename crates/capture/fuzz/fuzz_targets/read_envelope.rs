//! Any text as a capture file (envelopes, JSON Lines) and any bytes as an archive;
//! every envelope goes the way the worker sends it: the URL check, then the reader.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for (_, env) in reciprocity_capture::envelopes_in(text) {
            if let Ok(env) = env {
                let _ = reciprocity_capture::collected(&env.url);
                let _ = reciprocity_capture::read_envelope(&env);
            }
        }
    }
    let _ = reciprocity_capture::archive::read_zip(data);
});
