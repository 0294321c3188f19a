//! A single streaming pass over an x.com response that finds every user object,
//! wherever it sits (profiles, list entries, tweet authors, quoted and retweeted
//! tweets, mentions), without building a tree of the whole body.
//!
//! Every JSON object is visited by the same code: it remembers the few keys that
//! matter (flat scalars such as `screen_name`, and the sub-objects a user carries:
//! `legacy`, `core`, `relationship_perspectives`, …), and walks every other value
//! for users nested deeper. When an object turns out to be a user (`__typename`
//! `User` or `UserUnavailable`), its remembered keys become a [`RawUser`]. Key order
//! inside an object never matters.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A scalar the walk kept, typed only when the user is built: `following` is a
/// flag in `legacy` and a count in `relationship_counts`.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Bool(bool),
    Num(u64),
    Str(String),
}

impl Scalar {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Scalar::Num(n) => Some(*n),
            Scalar::Str(s) => s.parse().ok(),
            Scalar::Bool(_) => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
    fn into_string(self) -> Option<String> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The keys of an object that the readers look at. Everything else is walked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Key {
    Typename,
    RestId,
    Reason,
    IsBlueVerified,
    ScreenName,
    Name,
    FollowersCount,
    FriendsCount,
    Followers,
    Following,
    FollowedBy,
    BlockedBy,
    Protected,
    VerifiedType,
    ProfessionalType,
    EntryId,
    CursorType,
    Value,
    // Sub-objects of a user.
    Legacy,
    Core,
    Perspectives,
    Counts,
    Verification,
    Privacy,
    Professional,
    // A notification item (`NotificationsTimeline`).
    NotificationIcon,
    TimestampMs,
    FromUsers,
    RichMessage,
    Text,
    /// A wrapper's `result` (`data.user.result`, `user_results.result`).
    Result,
    // Markers.
    Data,
    Errors,
    Instructions,
    Message,
    Other,
}

fn key_of(s: &str) -> Key {
    match s {
        "__typename" => Key::Typename,
        "rest_id" => Key::RestId,
        "reason" | "unavailable_reason" => Key::Reason,
        "result" => Key::Result,
        "is_blue_verified" => Key::IsBlueVerified,
        "screen_name" => Key::ScreenName,
        "name" => Key::Name,
        "followers_count" => Key::FollowersCount,
        "friends_count" => Key::FriendsCount,
        "followers" => Key::Followers,
        "following" => Key::Following,
        "followed_by" => Key::FollowedBy,
        "blocked_by" => Key::BlockedBy,
        "protected" => Key::Protected,
        "verified_type" => Key::VerifiedType,
        "professional_type" => Key::ProfessionalType,
        "entryId" => Key::EntryId,
        "cursorType" => Key::CursorType,
        "value" => Key::Value,
        "legacy" => Key::Legacy,
        "core" => Key::Core,
        "relationship_perspectives" => Key::Perspectives,
        "relationship_counts" => Key::Counts,
        "verification" => Key::Verification,
        "privacy" => Key::Privacy,
        "professional" => Key::Professional,
        "notification_icon" => Key::NotificationIcon,
        "timestamp_ms" => Key::TimestampMs,
        "from_users" => Key::FromUsers,
        "rich_message" => Key::RichMessage,
        "text" => Key::Text,
        "data" => Key::Data,
        "errors" => Key::Errors,
        "instructions" => Key::Instructions,
        "message" => Key::Message,
        _ => Key::Other,
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E>(self, s: &str) -> Result<Key, E> {
        Ok(key_of(s))
    }
}

/// The remembered keys of one object.
#[derive(Default, Debug)]
pub struct Fields {
    pub typename: Option<String>,
    pub rest_id: Option<Scalar>,
    pub reason: Option<String>,
    pub is_blue_verified: Option<Scalar>,
    pub screen_name: Option<String>,
    pub name: Option<String>,
    pub followers_count: Option<Scalar>,
    pub friends_count: Option<Scalar>,
    pub followers: Option<Scalar>,
    pub following: Option<Scalar>,
    pub followed_by: Option<Scalar>,
    pub blocked_by: Option<Scalar>,
    pub protected: Option<Scalar>,
    pub verified_type: Option<String>,
    pub professional_type: Option<String>,
    pub legacy: Option<Box<Fields>>,
    pub core: Option<Box<Fields>>,
    pub perspectives: Option<Box<Fields>>,
    pub counts: Option<Box<Fields>>,
    pub verification: Option<Box<Fields>>,
    pub privacy: Option<Box<Fields>>,
    pub professional: Option<Box<Fields>>,
    pub notification_icon: Option<String>,
    pub timestamp_ms: Option<Scalar>,
    pub rich_message: Option<Box<Fields>>,
    pub text: Option<String>,
}

/// A notification item: its icon, its time, the users it names (ids of
/// `template.from_users`, in order) and its text ("A and 3 others followed you").
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub icon: String,
    pub timestamp: Scalar,
    pub from_users: Vec<u64>,
    pub text: Option<String>,
}

/// A user object as found, before its layout is read (see `user.rs`).
#[derive(Debug)]
pub struct RawUser {
    pub fields: Fields,
    /// It is the item of a list entry (`entryId` `user-…`), not a user met inside one.
    pub entry: bool,
}

/// What one pass found.
#[derive(Default, Debug)]
pub struct Found {
    pub users: Vec<RawUser>,
    /// `(cursorType, value)` of every cursor object.
    pub cursors: Vec<(String, String)>,
    /// Ids of list entries whose user object was `UserUnavailable` without an id:
    /// the entry's own id (`user-<id>`) names it.
    pub unavailable_entries: Vec<(u64, Option<String>)>,
    /// Reasons of `UserUnavailable` objects that carry no id, in document order.
    pub anonymous_unavailable: Vec<Option<String>>,
    pub has_data: bool,
    pub has_instructions: bool,
    /// Notification items, in document order.
    pub notices: Vec<Notice>,
    /// The users of the last `template.from_users` not yet claimed by its item.
    pending_from_users: Option<Vec<u64>>,
    pub error_messages: Vec<String>,
}

/// Walks one value.
struct Walk<'f> {
    found: &'f mut Found,
    depth: u32,
    /// The holder wants this value if it is a scalar; otherwise strings are skipped
    /// without a copy (most of a body is text nobody here reads).
    keep: bool,
}

impl<'f> Walk<'f> {
    fn new(found: &'f mut Found) -> Self {
        Walk {
            found,
            depth: 0,
            keep: false,
        }
    }
    fn child(&mut self, keep: bool) -> Walk<'_> {
        Walk {
            found: self.found,
            depth: self.depth + 1,
            keep,
        }
    }
}

/// What walking a value gave back to the object holding it.
enum Walked {
    Scalar(Scalar),
    Object(Box<Fields>),
    /// A `UserUnavailable` with no id of its own, and its reason: its wrapper may
    /// name it (`{rest_id, result: {__typename: "UserUnavailable"}}`).
    Unavailable(Option<String>),
    Other,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = Walked;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Walked, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = Walked;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Walked, E> {
        Ok(Walked::Scalar(Scalar::Bool(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Walked, E> {
        Ok(Walked::Scalar(Scalar::Num(v)))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Walked, E> {
        Ok(Walked::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Walked, E> {
        Ok(Walked::Other)
    }
    fn visit_str<E>(self, v: &str) -> Result<Walked, E> {
        Ok(if self.keep {
            Walked::Scalar(Scalar::Str(v.to_owned()))
        } else {
            Walked::Other
        })
    }
    fn visit_unit<E>(self) -> Result<Walked, E> {
        Ok(Walked::Other)
    }
    fn visit_none<E>(self) -> Result<Walked, E> {
        Ok(Walked::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Walked, A::Error> {
        while seq.next_element_seed(self.child(false))?.is_some() {}
        Ok(Walked::Other)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Walked, A::Error> {
        let users_before = self.found.users.len();
        let anonymous_before = self.found.anonymous_unavailable.len();
        let unavailable_before = self.found.unavailable_entries.len();
        let mut f = Fields::default();
        let (mut entry_id, mut cursor_type, mut value) = (None, None, None);
        let mut result_unavailable = None;
        let mut from_users: Option<Vec<u64>> = None;
        let top = self.depth == 0;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            // Keys whose value is a large subtree with nothing for us are still
            // walked: users hide anywhere. Only markers are handled specially.
            match key {
                Key::Errors if top => {
                    let errs: Vec<ErrorItem> = map.next_value()?;
                    self.found
                        .error_messages
                        .extend(errs.into_iter().filter_map(|e| e.message));
                    continue;
                }
                Key::Data if top => self.found.has_data = true,
                Key::Instructions => self.found.has_instructions = true,
                _ => {}
            }
            let keep = !matches!(
                key,
                Key::Other | Key::Data | Key::Errors | Key::Instructions | Key::Message
            );
            let users_here = self.found.users.len();
            let walked = map.next_value_seed(self.child(keep))?;
            if key == Key::FromUsers {
                from_users = Some(
                    self.found.users[users_here..]
                        .iter()
                        .filter_map(|u| u.fields.rest_id.as_ref().and_then(Scalar::as_u64))
                        .collect(),
                );
            }
            let scalar = |w: Walked| match w {
                Walked::Scalar(s) => Some(s),
                _ => None,
            };
            let object = |w: Walked| match w {
                Walked::Object(o) => Some(o),
                _ => None,
            };
            match key {
                Key::Typename => f.typename = scalar(walked).and_then(Scalar::into_string),
                Key::RestId => f.rest_id = scalar(walked),
                Key::Reason => f.reason = scalar(walked).and_then(Scalar::into_string),
                Key::IsBlueVerified => f.is_blue_verified = scalar(walked),
                Key::ScreenName => f.screen_name = scalar(walked).and_then(Scalar::into_string),
                Key::Name => f.name = scalar(walked).and_then(Scalar::into_string),
                Key::FollowersCount => f.followers_count = scalar(walked),
                Key::FriendsCount => f.friends_count = scalar(walked),
                Key::Followers => f.followers = scalar(walked),
                Key::Following => f.following = scalar(walked),
                Key::FollowedBy => f.followed_by = scalar(walked),
                Key::BlockedBy => f.blocked_by = scalar(walked),
                Key::Protected => f.protected = scalar(walked),
                Key::VerifiedType => f.verified_type = scalar(walked).and_then(Scalar::into_string),
                Key::ProfessionalType => {
                    f.professional_type = scalar(walked).and_then(Scalar::into_string);
                }
                Key::EntryId => entry_id = scalar(walked).and_then(Scalar::into_string),
                Key::CursorType => cursor_type = scalar(walked).and_then(Scalar::into_string),
                Key::Value => value = scalar(walked).and_then(Scalar::into_string),
                Key::Legacy => f.legacy = object(walked),
                Key::Core => f.core = object(walked),
                Key::Perspectives => f.perspectives = object(walked),
                Key::Counts => f.counts = object(walked),
                Key::Verification => f.verification = object(walked),
                Key::Privacy => f.privacy = object(walked),
                Key::Professional => f.professional = object(walked),
                Key::NotificationIcon => {
                    f.notification_icon = scalar(walked).and_then(Scalar::into_string);
                }
                Key::TimestampMs => f.timestamp_ms = scalar(walked),
                Key::RichMessage => f.rich_message = object(walked),
                Key::Text => f.text = scalar(walked).and_then(Scalar::into_string),
                Key::Result => {
                    if let Walked::Unavailable(reason) = walked {
                        result_unavailable = Some(reason);
                    }
                }
                Key::FromUsers
                | Key::Data
                | Key::Errors
                | Key::Instructions
                | Key::Message
                | Key::Other => {}
            }
        }

        if let (Some(t), Some(v)) = (cursor_type, value) {
            self.found.cursors.push((t, v));
        }
        // A notification item holds its template (`from_users`) one level down.
        if let (Some(icon), Some(ts)) = (f.notification_icon.take(), f.timestamp_ms.take()) {
            let from_users = from_users
                .take()
                .or_else(|| self.found.pending_from_users.take())
                .unwrap_or_default();
            self.found.notices.push(Notice {
                icon,
                timestamp: ts,
                from_users,
                text: f.rich_message.take().and_then(|m| m.text),
            });
        } else if let Some(ids) = from_users.take() {
            self.found.pending_from_users = Some(ids);
        }
        let is_user = matches!(f.typename.as_deref(), Some("User" | "UserUnavailable"));
        if is_user && f.rest_id.as_ref().and_then(Scalar::as_u64).is_some() {
            self.found.users.push(RawUser {
                fields: f,
                entry: false,
            });
            return Ok(Walked::Other);
        }
        if is_user && f.typename.as_deref() == Some("UserUnavailable") {
            // An unavailable user with no id: its wrapper or a list entry can name it.
            self.found.anonymous_unavailable.push(f.reason.clone());
            return Ok(Walked::Unavailable(f.reason.take()));
        }
        // A wrapper naming the unavailable user its `result` holds (X's profile
        // answers: `data.user` / `data.user_results` with `rest_id`).
        if let (None, Some(reason), Some(id)) = (
            f.typename.as_deref(),
            result_unavailable,
            f.rest_id.as_ref().and_then(Scalar::as_u64),
        ) {
            self.found.unavailable_entries.push((id, reason));
        }
        if let Some(id) = entry_id.as_deref().and_then(|e| e.strip_prefix("user-")) {
            let new = &mut self.found.users[users_before..];
            // The entry's item is its first user with the entry's id (a label or a
            // mention inside it is another account).
            let item = new
                .iter_mut()
                .find(|u| u.fields.rest_id.as_ref().and_then(Scalar::as_str) == Some(id));
            match (item, id.parse::<u64>()) {
                (Some(u), _) => u.entry = true,
                (None, Ok(n)) => {
                    // Named by a wrapper inside this entry: only those are looked
                    // at (a page of 100,000s of entries stays linear).
                    let named = self.found.unavailable_entries[unavailable_before..]
                        .iter()
                        .any(|(id, _)| *id == n);
                    if let (Some(reason), false) = (
                        self.found.anonymous_unavailable.get(anonymous_before),
                        named,
                    ) {
                        self.found.unavailable_entries.push((n, reason.clone()));
                    }
                }
                (None, Err(_)) => {}
            }
        }
        if is_user {
            return Ok(Walked::Other);
        }
        Ok(Walked::Object(Box::new(f)))
    }
}

#[derive(serde::Deserialize, Default)]
struct ErrorItem {
    message: Option<String>,
}

/// Walks a whole body.
pub fn walk_body(bytes: &[u8]) -> Result<Found, serde_json::Error> {
    let mut found = Found::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Walk::new(&mut found).deserialize(&mut de)?;
    de.end()?;
    Ok(found)
}
