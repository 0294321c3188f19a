//! `cargo xtask real-archive`: an X data archive of real size, made at test time and
//! never committed. The gigabytes of media are stored, zero-filled entries written
//! as holes of a sparse file (their CRC computed, not read), so a 5 GB archive takes
//! a few megabytes of disk; entries past 4 GiB use ZIP64, as X's own archives do.
//! Around them: the real manifest of tests/fixtures/x-archive (its counts, date and
//! size rewritten) and follower/following files in X's exact layout, deflated.
//! The file is named `*.DERIVED.zip` by its callers: it is derived, not real.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

/// What to make.
pub struct Spec {
    pub media_bytes: u64,
    pub media_files: u64,
    pub followers: u64,
    pub following: u64,
    /// Every `drop_every`-th follower (from the first) is left out: the accounts
    /// that unfollowed between an archive made with 0 and one made with this.
    pub drop_every: u64,
    pub date: String,
}

/// Follower `i`'s id, and following `i`'s.
pub fn follower_id(i: u64) -> u64 {
    1_000_000_000 + i
}
pub fn following_id(i: u64) -> u64 {
    2_000_000_000 + i
}

fn list_file(kind: &str, ids: impl Iterator<Item = u64>) -> String {
    // X's layout: pretty-printed with " : ", one object per account.
    let items: Vec<String> = ids
        .map(|id| {
            format!(
                "  {{\n    \"{kind}\" : {{\n      \"accountId\" : \"{id}\",\n      \"userLink\" : \"https://twitter.com/intent/user?user_id={id}\"\n    }}\n  }}"
            )
        })
        .collect();
    format!("window.YTD.{kind}.part0 = [\n{}\n]", items.join(",\n"))
}

/// The real manifest with this archive's counts, date and size.
fn manifest(root: &Path, spec: &Spec, followers: u64) -> Result<String, String> {
    let real = root.join("tests/fixtures/x-archive/milahu104-2026-02-20/data/manifest.js");
    let text = std::fs::read_to_string(&real).map_err(|e| format!("{}: {e}", real.display()))?;
    let swap = |text: String, from: &str, to: &str| -> Result<String, String> {
        if !text.contains(from) {
            return Err(format!("the real manifest has no {from:?}"));
        }
        Ok(text.replacen(from, to, 1))
    };
    let text = swap(
        text,
        "\"2026-02-20T09:21:47.114Z\"",
        &format!("{:?}", spec.date),
    )?;
    let text = swap(
        text,
        "\"sizeBytes\" : \"14578562\"",
        &format!("\"sizeBytes\" : \"{}\"", spec.media_bytes),
    )?;
    let text = swap(
        text,
        "\"globalName\" : \"YTD.follower.part0\",\n        \"count\" : \"53\"",
        &format!("\"globalName\" : \"YTD.follower.part0\",\n        \"count\" : \"{followers}\""),
    )?;
    swap(
        text,
        "\"globalName\" : \"YTD.following.part0\",\n        \"count\" : \"140\"",
        &format!(
            "\"globalName\" : \"YTD.following.part0\",\n        \"count\" : \"{}\"",
            spec.following
        ),
    )
}

/// One entry as it goes into the zip.
struct Entry {
    name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

const ZIP64: u64 = 0xFFFF_FFFF;

fn u16le(w: &mut impl Write, v: u16) -> std::io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
fn u32le(w: &mut impl Write, v: u32) -> std::io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
fn u64le(w: &mut impl Write, v: u64) -> std::io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
fn clip(v: u64) -> u32 {
    v.min(ZIP64) as u32
}

/// "Made by" Unix (3, high byte), zip version 4.5 (45, low byte).
const MADE_BY_UNIX_4_5: u16 = 0x032d;

/// A length in a 16-bit field (names and extras here are short).
fn short(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn local_header(w: &mut impl Write, e: &Entry) -> std::io::Result<()> {
    let big = e.size >= ZIP64 || e.compressed >= ZIP64;
    u32le(w, 0x0403_4b50)?;
    u16le(w, if big { 45 } else { 20 })?;
    u16le(w, 0x0800)?; // UTF-8 names
    u16le(w, e.method)?;
    u16le(w, 0)?;
    u16le(w, 0x5b7a)?; // 2025-11-26
    u32le(w, e.crc)?;
    u32le(w, if big { clip(ZIP64) } else { clip(e.compressed) })?;
    u32le(w, if big { clip(ZIP64) } else { clip(e.size) })?;
    u16le(w, short(e.name.len()))?;
    u16le(w, if big { 20 } else { 0 })?;
    w.write_all(e.name.as_bytes())?;
    if big {
        u16le(w, 1)?;
        u16le(w, 16)?;
        u64le(w, e.size)?;
        u64le(w, e.compressed)?;
    }
    Ok(())
}

fn central_header(w: &mut impl Write, e: &Entry) -> std::io::Result<()> {
    let mut extra = Vec::new();
    if e.size >= ZIP64 {
        extra.extend_from_slice(&e.size.to_le_bytes());
    }
    if e.compressed >= ZIP64 {
        extra.extend_from_slice(&e.compressed.to_le_bytes());
    }
    if e.offset >= ZIP64 {
        extra.extend_from_slice(&e.offset.to_le_bytes());
    }
    let zip64 = !extra.is_empty();
    u32le(w, 0x0201_4b50)?;
    u16le(w, MADE_BY_UNIX_4_5)?;
    u16le(w, if zip64 { 45 } else { 20 })?;
    u16le(w, 0x0800)?;
    u16le(w, e.method)?;
    u16le(w, 0)?;
    u16le(w, 0x5b7a)?;
    u32le(w, e.crc)?;
    u32le(w, clip(e.compressed))?;
    u32le(w, clip(e.size))?;
    u16le(w, short(e.name.len()))?;
    u16le(w, if zip64 { short(extra.len() + 4) } else { 0 })?;
    u16le(w, 0)?; // comment
    u16le(w, 0)?; // disk
    u16le(w, 0)?; // internal attributes
    u32le(w, 0o100644 << 16)?;
    u32le(w, clip(e.offset))?;
    w.write_all(e.name.as_bytes())?;
    if zip64 {
        u16le(w, 1)?;
        u16le(w, short(extra.len()))?;
        w.write_all(&extra)?;
    }
    Ok(())
}

/// The CRC-32 of `len` zero bytes, by doubling (never reading gigabytes).
fn crc_of_zeros(len: u64) -> u32 {
    let mut result = crc32fast::Hasher::new();
    let mut block = crc32fast::Hasher::new();
    block.update(&[0]);
    let mut remaining = len;
    while remaining > 0 {
        if remaining & 1 == 1 {
            result.combine(&block);
        }
        let copy = block.clone();
        block.combine(&copy);
        remaining >>= 1;
    }
    result.finalize()
}

/// The deflated bytes and CRC of `text`, by the zip crate.
fn deflated(name: &str, text: &str) -> Result<(Vec<u8>, u32), String> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    w.start_file(name, opts).map_err(|e| e.to_string())?;
    w.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    let bytes = w.finish().map_err(|e| e.to_string())?.into_inner();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut raw = zip.by_index_raw(0).map_err(|e| e.to_string())?;
    let crc = raw.crc32();
    let mut out = Vec::new();
    std::io::copy(&mut raw, &mut out).map_err(|e| e.to_string())?;
    Ok((out, crc))
}

/// Writes the archive to `out`.
pub fn make(root: &Path, out: &Path, spec: &Spec) -> Result<(), String> {
    let followers: Vec<u64> = (0..spec.followers)
        .filter(|i| spec.drop_every == 0 || i % spec.drop_every != 0)
        .map(follower_id)
        .collect();
    let files = [
        (
            "data/manifest.js".to_owned(),
            manifest(root, spec, followers.len() as u64)?,
        ),
        (
            "data/follower.js".to_owned(),
            list_file("follower", followers.iter().copied()),
        ),
        (
            "data/following.js".to_owned(),
            list_file("following", (0..spec.following).map(following_id)),
        ),
    ];
    let io = |e: std::io::Error| format!("{}: {e}", out.display());
    let mut w = BufWriter::new(File::create(out).map_err(io)?);
    let mut entries = Vec::new();
    let mut offset = 0u64;

    // The media: stored zero-filled entries, written as holes.
    let n = spec.media_files.max(1);
    let each = spec.media_bytes / n;
    let crc = crc_of_zeros(each);
    for i in 0..n {
        let e = Entry {
            name: format!(
                "data/tweets_media/{:019}-media{i}.mp4",
                1_900_000_000_000_000_000u64 + i
            ),
            method: 0,
            crc,
            compressed: each,
            size: each,
            offset,
        };
        local_header(&mut w, &e).map_err(io)?;
        let skip = i64::try_from(each).map_err(|_| "a media file too large".to_owned())?;
        offset = w.seek(SeekFrom::Current(skip)).map_err(io)?;
        entries.push(e);
    }
    // The data files, deflated as X deflates them.
    for (name, text) in &files {
        let (bytes, crc) = deflated(name, text)?;
        let e = Entry {
            name: name.clone(),
            method: 8,
            crc,
            compressed: bytes.len() as u64,
            size: text.len() as u64,
            offset,
        };
        local_header(&mut w, &e).map_err(io)?;
        w.write_all(&bytes).map_err(io)?;
        offset = w.stream_position().map_err(io)?;
        entries.push(e);
    }
    let cd_start = offset;
    for e in &entries {
        central_header(&mut w, e).map_err(io)?;
    }
    let cd_end = w.stream_position().map_err(io)?;
    let count = entries.len() as u64;
    if cd_start >= ZIP64 || count >= 0xFFFF {
        // ZIP64 end of central directory record, and its locator.
        u32le(&mut w, 0x0606_4b50).map_err(io)?;
        u64le(&mut w, 44).map_err(io)?;
        u16le(&mut w, MADE_BY_UNIX_4_5).map_err(io)?;
        u16le(&mut w, 45).map_err(io)?;
        u32le(&mut w, 0).map_err(io)?;
        u32le(&mut w, 0).map_err(io)?;
        u64le(&mut w, count).map_err(io)?;
        u64le(&mut w, count).map_err(io)?;
        u64le(&mut w, cd_end - cd_start).map_err(io)?;
        u64le(&mut w, cd_start).map_err(io)?;
        u32le(&mut w, 0x0706_4b50).map_err(io)?;
        u32le(&mut w, 0).map_err(io)?;
        u64le(&mut w, cd_end).map_err(io)?;
        u32le(&mut w, 1).map_err(io)?;
    }
    u32le(&mut w, 0x0605_4b50).map_err(io)?;
    u16le(&mut w, 0).map_err(io)?;
    u16le(&mut w, 0).map_err(io)?;
    u16le(&mut w, count.min(0xFFFF) as u16).map_err(io)?;
    u16le(&mut w, count.min(0xFFFF) as u16).map_err(io)?;
    u32le(&mut w, clip(cd_end - cd_start)).map_err(io)?;
    u32le(&mut w, clip(cd_start)).map_err(io)?;
    u16le(&mut w, 0).map_err(io)?;
    w.flush().map_err(io)?;
    // Where the data files' bytes sit, for the benchmark's baseline (reading just
    // those bytes, with no zip reader at all).
    let data: Vec<serde_json::Value> = entries
        .iter()
        .filter(|e| e.method == 8)
        .map(|e| {
            serde_json::json!({
                "name": e.name,
                "offset": e.offset,
                "compressed": e.compressed + 30 + e.name.len() as u64,
                "size": e.size,
            })
        })
        .collect();
    let sidecar = out.with_extension("entries.json");
    std::fs::write(
        &sidecar,
        serde_json::to_vec_pretty(&data).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("{}: {e}", sidecar.display()))
}
