//! Reading the lists: each file streamed through caps and progress, each list
//! element parsed to 8 bytes an account.

use crate::CaptureError;
use reciprocity_core::time::parse_rfc3339;
use reciprocity_core::{AccountId, Time};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;
use std::io::{BufRead, BufReader};

use super::manifest::{small_file, AccountItem, Manifest};
use super::source::{skip_assignment, ArchiveSource, Capped, Progress};
use super::{err, mib, Caps};

/// An account id written as a decimal string, read without allocating.
pub(super) struct IdText(AccountId);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IdText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an account id as a decimal string")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<IdText, E> {
                s.parse()
                    .map(|n| IdText(AccountId(n)))
                    .map_err(|_| E::custom(format!("not an account id: {s:?}")))
            }
        }
        d.deserialize_str(V)
    }
}

/// One item of `follower.js` or `following.js`: only the id is read.
#[derive(Deserialize)]
pub(super) struct ListItem {
    #[serde(alias = "following")]
    follower: Option<ListEntry>,
}

#[derive(Deserialize)]
pub(super) struct ListEntry {
    #[serde(rename = "accountId", default)]
    account_id: Option<IdText>,
}

/// Splits a JSON array, read as a stream, into its elements' bytes, one at a time:
/// a scanner that knows only strings, escapes and nesting, so each element is then
/// parsed from a slice (far faster than a byte-at-a-time reader) while memory
/// holds one element, never the file.
pub(super) struct Elements<R> {
    reader: R,
    item: Vec<u8>,
    started: bool,
    ended: bool,
}

impl<R: BufRead> Elements<R> {
    fn new(reader: R) -> Self {
        Elements {
            reader,
            item: Vec::with_capacity(256),
            started: false,
            ended: false,
        }
    }

    /// The next element's bytes, `None` after the closing `]`.
    fn next_element(&mut self) -> Result<Option<&[u8]>, String> {
        if self.ended {
            return Ok(None);
        }
        self.item.clear();
        let (mut depth, mut in_string, mut escaped) = (0u32, false, false);
        loop {
            let buf = self.reader.fill_buf().map_err(|e| e.to_string())?;
            if buf.is_empty() {
                return Err(if self.started {
                    "the list ends before its closing `]`".into()
                } else {
                    "no list after the `=`".into()
                });
            }
            let mut used = 0;
            let mut done = false;
            for (i, &b) in buf.iter().enumerate() {
                if !self.started {
                    match b {
                        b'[' => self.started = true,
                        b' ' | b'\n' | b'\r' | b'\t' => {}
                        _ => return Err("not a list".into()),
                    }
                    used = i + 1;
                    continue;
                }
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b',' | b']' if depth == 0 => {
                        // The element ends here (an empty one only before `]`).
                        self.item.extend_from_slice(&buf[used..i]);
                        used = i + 1;
                        self.ended = b == b']';
                        done = true;
                        break;
                    }
                    _ => {}
                }
            }
            if !done {
                if self.started {
                    self.item.extend_from_slice(&buf[used..]);
                }
                let n = buf.len();
                self.reader.consume(n);
                continue;
            }
            self.reader.consume(used);
            let trimmed = self.item.trim_ascii();
            if trimmed.is_empty() {
                if self.ended {
                    return Ok(None);
                }
                return Err("an empty item".into());
            }
            let (start, len) = (
                self.item.len() - self.item.trim_ascii_start().len(),
                trimmed.len(),
            );
            return Ok(Some(&self.item[start..start + len]));
        }
    }
}

/// Appends a list file's ids to `ids`, one typed item at a time.
pub(super) fn read_list(
    path: &str,
    kind: &str,
    max: usize,
    reader: impl BufRead,
    ids: &mut Vec<AccountId>,
) -> Result<(), CaptureError> {
    let mut items = Elements::new(reader);
    let mut i = 0usize;
    while let Some(bytes) = items
        .next_element()
        .map_err(|e| err(format!("{path}: {e}")))?
    {
        let item: ListItem =
            serde_json::from_slice(bytes).map_err(|e| err(format!("{path}: item {i}: {e}")))?;
        let id = item
            .follower
            .and_then(|e| e.account_id)
            .ok_or_else(|| err(format!("{path}: item {i} has no `{kind}.accountId`")))?;
        if ids.len() >= max {
            return Err(err(format!("{path}: more than {max} accounts in one list")));
        }
        ids.push(id.0);
        i += 1;
    }
    Ok(())
}

/// One list of the archive as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArchiveList {
    pub ids: Vec<AccountId>,
    /// The list is whole: the archive is not marked partial and every part file
    /// holds the count the manifest gives. Only then can it show who is absent.
    pub complete: bool,
}

/// What an archive says: whose it is, when, and its two lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveContents {
    pub viewer: AccountId,
    pub at: Time,
    pub handle: Option<String>,
    pub name: Option<String>,
    pub followers: ArchiveList,
    pub following: ArchiveList,
}

pub(super) fn part_files<'m>(manifest: &'m Manifest, kind: &str) -> Vec<(String, Option<&'m str>)> {
    let listed = manifest
        .data_types
        .get(kind)
        .map(|t| &t.files[..])
        .unwrap_or_default();
    if listed.is_empty() {
        return vec![(format!("data/{kind}.js"), None)];
    }
    // Each part file once, whatever the manifest repeats.
    let mut seen = BTreeSet::new();
    listed
        .iter()
        .filter(|f| seen.insert(f.file_name.as_str()))
        .map(|f| (f.file_name.clone(), f.count.as_deref()))
        .collect()
}

/// Reads an archive's manifest, account and lists; nothing else of it is read.
/// `progress` hears the bytes decompressed of the list files, and their total.
pub fn scan(
    src: &mut dyn ArchiveSource,
    caps: &Caps,
    progress: Progress<'_>,
) -> Result<ArchiveContents, CaptureError> {
    let manifest: Manifest = small_file(src, "data/manifest.js")?.ok_or_else(|| {
        err("data/manifest.js is missing: it names the viewer and dates the archive (is this an X data archive?)")
    })?;
    let viewer: AccountId = manifest
        .user_info
        .account_id
        .parse()
        .map_err(|_| err("data/manifest.js: userInfo.accountId is not an account id"))?;
    let at = parse_rfc3339(&manifest.archive_info.generation_date).ok_or_else(|| {
        err(format!(
            "data/manifest.js: archiveInfo.generationDate is not a date: {:?}",
            manifest.archive_info.generation_date
        ))
    })?;
    let mut handle = manifest.user_info.user_name.clone();
    let mut name = manifest.user_info.display_name.clone();
    if let Some(items) = small_file::<Vec<AccountItem>>(src, "data/account.js")? {
        if let Some(acc) = items.into_iter().next().and_then(|a| a.account) {
            handle = acc.username.or(handle);
            name = acc.account_display_name.or(name);
        }
    }

    let kinds = [
        ("follower", part_files(&manifest, "follower")),
        ("following", part_files(&manifest, "following")),
    ];
    // Each part file's declared size, asked once: the progress total, and whether
    // there are lists at all.
    let sizes: Vec<u64> = kinds
        .iter()
        .flat_map(|(_, files)| files.iter())
        .filter_map(|(f, _)| src.size(f))
        .collect();
    if sizes.is_empty() {
        return Err(err(
            "this archive holds no follower or following data (data/follower.js, data/following.js)",
        ));
    }
    let total: u64 = sizes.iter().map(|s| (*s).min(caps.file_bytes)).sum();
    let mut done = 0u64;
    let mut lists = Vec::with_capacity(2);
    for (kind, files) in &kinds {
        let mut list = ArchiveList {
            ids: Vec::new(),
            complete: !manifest.archive_info.is_partial_archive,
        };
        for (path, count) in files {
            let file = src.open(path)?.ok_or_else(|| {
                let why = if count.is_some() {
                    " (the manifest lists it)"
                } else {
                    ""
                };
                err(format!("{path} is missing{why}"))
            })?;
            if file.size > caps.file_bytes {
                return Err(err(format!(
                    "{path}: {} once decompressed, more than the {} an X archive's list can be",
                    mib(file.size),
                    mib(caps.file_bytes)
                )));
            }
            let before = list.ids.len();
            let reader = Capped {
                inner: file.reader,
                limit: caps.file_bytes,
                read: 0,
                done: &mut done,
                total,
                progress: &mut *progress,
                reported: 0,
            };
            let reader = skip_assignment(path, BufReader::with_capacity(64 * 1024, reader))?;
            read_list(path, kind, caps.list_items, reader, &mut list.ids)?;
            let read = (list.ids.len() - before) as u64;
            if count.and_then(|c| c.trim().parse::<u64>().ok()) != Some(read) && count.is_some() {
                list.complete = false;
            }
        }
        lists.push(list);
    }
    progress(total, total);
    let following = lists.pop().unwrap_or_default();
    let followers = lists.pop().unwrap_or_default();
    Ok(ArchiveContents {
        viewer,
        at,
        handle,
        name,
        followers,
        following,
    })
}

#[cfg(test)]
mod tests {
    use super::Elements;
    use proptest::prelude::*;
    use serde_json::Value;
    use std::io::BufReader;

    /// JSON values with the characters that could fool a scanner: quotes, escapes,
    /// brackets and commas inside strings, nesting.
    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            any::<i64>().prop_map(Value::from),
            "[\\[\\]{},\"\\\\a-z :]{0,12}".prop_map(Value::from),
            Just(Value::Null),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map("[a-z\",{]{1,6}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn elements_are_the_arrays_items_at_any_buffer_size(
            items in prop::collection::vec(value(), 0..8),
            pretty in any::<bool>(),
            capacity in 1usize..64,
        ) {
            let text = if pretty {
                serde_json::to_string_pretty(&items).unwrap()
            } else {
                serde_json::to_string(&items).unwrap()
            };
            let mut elements = Elements::new(BufReader::with_capacity(capacity, text.as_bytes()));
            let mut got = Vec::new();
            while let Some(bytes) = elements.next_element().unwrap() {
                got.push(serde_json::from_slice::<Value>(bytes).unwrap());
            }
            prop_assert_eq!(got, items);
        }
    }

    #[test]
    fn a_list_cut_short_or_not_a_list_is_an_error() {
        let mut cut = Elements::new(br#"[{"a":1},{"b":"#.as_slice());
        assert_eq!(cut.next_element().unwrap(), Some(br#"{"a":1}"#.as_slice()));
        assert!(cut.next_element().is_err());
        assert!(Elements::new(b"{}".as_slice()).next_element().is_err());
        let mut empty = Elements::new(b" [ ] ;".as_slice());
        assert_eq!(empty.next_element().unwrap(), None);
    }
}
