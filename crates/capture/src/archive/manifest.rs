//! `data/manifest.js`: whose archive, when, and which part files hold each list.

use crate::CaptureError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::{BufReader, Read};

use super::source::{json_error, skip_assignment, ArchiveSource};
use super::{err, MAX_SMALL_FILE_BYTES};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Manifest {
    pub(super) user_info: UserInfo,
    pub(super) archive_info: ArchiveInfo,
    #[serde(default)]
    pub(super) data_types: BTreeMap<String, DataType>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserInfo {
    pub(super) account_id: String,
    pub(super) user_name: Option<String>,
    pub(super) display_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ArchiveInfo {
    pub(super) generation_date: String,
    /// X marks an archive it could not finish; its lists prove presence only.
    #[serde(default)]
    pub(super) is_partial_archive: bool,
}

#[derive(Deserialize, Default)]
pub(super) struct DataType {
    #[serde(default)]
    pub(super) files: Vec<DataFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DataFile {
    pub(super) file_name: String,
    /// How many items the file holds, as a decimal string.
    #[serde(default)]
    pub(super) count: Option<String>,
}

/// One item of `account.js`: the handle and the display name.
#[derive(Deserialize)]
pub(super) struct AccountItem {
    pub(super) account: Option<AccountFields>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AccountFields {
    pub(super) username: Option<String>,
    pub(super) account_display_name: Option<String>,
}

/// A small file (manifest, account) read whole, capped.
pub(super) fn small_file<T: serde::de::DeserializeOwned>(
    src: &mut dyn ArchiveSource,
    path: &str,
) -> Result<Option<T>, CaptureError> {
    let Some(file) = src.open(path)? else {
        return Ok(None);
    };
    if file.size > MAX_SMALL_FILE_BYTES {
        return Err(err(format!(
            "{path}: {} bytes; far more than an X archive's {path}",
            file.size
        )));
    }
    let reader = BufReader::new(file.reader.take(MAX_SMALL_FILE_BYTES));
    let reader = skip_assignment(path, reader)?;
    let mut de = serde_json::Deserializer::from_reader(reader);
    T::deserialize(&mut de)
        .map(Some)
        .map_err(|e| json_error(path, e))
}
