//! Thousands of mutated real captures: every reader returns a value or an error,
//! and never panics.

// Made-up sizes, ids and times, far inside every type's range.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]

mod common;

use common::*;
use reciprocity_capture::{read_body, read_envelope, Envelope};

/// xorshift64*: a fixed seed makes every run test the same mutations.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&[u8]] = &[
    b"\"__typename\":\"User\"",
    b"\"__typename\":\"UserUnavailable\"",
    b"\"rest_id\":\"18446744073709551615\"",
    b"\"rest_id\":12",
    b"\"followed_by\":\"yes\"",
    b"\"following\":-1",
    b"\"cursorType\":\"Bottom\",\"value\":\"0|1\"",
    b"\"entryId\":\"user-abc\"",
    b"{\"errors\":[]}",
    b"null",
    b"[[[[[[[[",
    b"\"\\ud800\"",
    b"1e999",
];

fn mutate(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut b = src.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(b.len());
        match rng.below(6) {
            0 => b[at] = rng.next() as u8,
            1 => b.truncate(at),
            2 => {
                let end = (at + rng.below(200)).min(b.len());
                b.drain(at..end);
            }
            3 => {
                let piece = PIECES[rng.below(PIECES.len())];
                b.splice(at..at, piece.iter().copied());
            }
            4 => {
                // Swap two bytes that are structure: quotes, braces, commas.
                let j = rng.below(b.len());
                if at < b.len() && j < b.len() {
                    b.swap(at, j);
                }
            }
            _ => {
                let from = rng.below(b.len());
                let len = rng.below(300).min(b.len() - from);
                let chunk = b[from..from + len].to_vec();
                let at = at.min(b.len());
                b.splice(at..at, chunk);
            }
        }
        if b.is_empty() {
            break;
        }
    }
    b
}

#[test]
fn mutated_real_captures_never_panic() {
    let captures = real_captures();
    // Small captures make mutations cheap; large ones are truncated a little.
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut errors = 0;
    let mut read = 0;
    let rounds = 3000;
    for i in 0..rounds {
        let (name, bytes) = &captures[i % captures.len()];
        let mutated = mutate(&mut rng, bytes);
        match read_body(&mutated) {
            Ok(_) => read += 1,
            Err(e) => {
                assert!(!e.to_string().is_empty());
                errors += 1;
            }
        }
        if i % 5 == 0 {
            let op = operation_of(name);
            let text = envelope(
                op,
                &format!(r#"{{"userId":"{OWNER}"}}"#),
                "2026-11-26T01:02:03Z",
                &mutated,
            );
            if let Ok(env) = Envelope::from_json(&text) {
                let _ = read_envelope(&env);
            }
        }
    }
    assert_eq!(read + errors, rounds);
    assert!(
        errors > rounds / 2,
        "most mutations should break the JSON ({errors} of {rounds})"
    );
    assert!(read > 0, "some mutations should still read");
}
