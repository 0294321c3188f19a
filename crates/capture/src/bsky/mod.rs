//! Bluesky: what bsky.app's own XRPC reads say (docs/design.md, "Bluesky"; the
//! sources are in `tests/fixtures/bluesky/SOURCES.md`). bsky.app reads with
//! `GET <host>/xrpc/<nsid>`, the host being the user's own PDS (any domain) or
//! `public.api.bsky.app`: a read is recognised by its path, never its host.
//!
//! Accounts are DIDs. A follow is a record whose key is a TID ([`tid`]): the
//! `viewer.followedBy` of a profile says since when it follows you, to the second;
//! a list under `sort=latest` (or none) comes newest-first by record key and its
//! cursor is the last row's key, dating the page; under `sort=top` it is ranked
//! and dates nothing. Session responses carry tokens: only `did` and `handle` are
//! ever read from them.

pub mod car;
pub mod jetstream;
pub mod tid;

use crate::CaptureError;
use reciprocity_core::model::{
    AccountSighting, ListKey, ListKind, Observation, PageDating, PagePosition,
};
use reciprocity_core::time::{parse_rfc3339, Time};
use reciprocity_core::AccountId;
use serde::Deserialize;

/// Profiles, follow lists, relationships and notifications: what the ledger
/// learns most from.
pub const PROFILES_AND_FOLLOWS: [&str; 6] = [
    "app.bsky.actor.getProfile",
    "app.bsky.actor.getProfiles",
    "app.bsky.graph.getFollowers",
    "app.bsky.graph.getFollows",
    "app.bsky.graph.getRelationships",
    "app.bsky.notification.listNotifications",
];

/// The reads the extension takes from bsky.app's pages, by NSID:
/// [`PROFILES_AND_FOLLOWS`], [`FEEDS`] and [`PROFILE_LISTS`]; nothing else
/// bsky.app loads is kept. The hook's list is this one (a test keeps the two
/// equal).
pub fn from_the_page() -> impl Iterator<Item = &'static str> {
    PROFILES_AND_FOLLOWS
        .iter()
        .chain(&FEEDS)
        .chain(&PROFILE_LISTS)
        .copied()
}

/// Lists of accounts a page shows that are nobody's follows — a search and its
/// typeahead, suggestions, who liked or reposted a post, a curated list's or a
/// starter pack's members and its creator: read for their accounts (what the
/// network says of each and the viewer), never as a list (they prove no follow
/// between others, and an account missing from one says nothing).
pub const PROFILE_LISTS: [&str; 8] = [
    "app.bsky.actor.searchActors",
    "app.bsky.actor.searchActorsTypeahead",
    "app.bsky.actor.getSuggestions",
    "app.bsky.graph.getSuggestedFollowsByActor",
    "app.bsky.feed.getLikes",
    "app.bsky.feed.getRepostedBy",
    "app.bsky.graph.getList",
    "app.bsky.graph.getStarterPack",
];

/// Feeds and threads, a search's posts and a post's quotes: of their posts only
/// the accounts are read — each post's author, a repost's reposter, a reply's
/// parent and root authors, a quoted post's author — with what the network says
/// of each and the viewer (the AppView's own profile views). A post's record is
/// what its author wrote: never read (an object in it shaped like a profile
/// would be anyone's forgery).
pub const FEEDS: [&str; 6] = [
    "app.bsky.feed.getTimeline",
    "app.bsky.feed.getAuthorFeed",
    "app.bsky.feed.getFeed",
    "app.bsky.feed.getPostThread",
    "app.bsky.feed.searchPosts",
    "app.bsky.feed.getQuotes",
];

/// The session's reads, read by the CLI alone and only for `did` and `handle`:
/// their bodies also hold the session's tokens, so the page hook never copies
/// them and the worker refuses them (the viewer's DID comes from the page's own
/// storage).
pub const SESSIONS: [&str; 3] = [
    "com.atproto.server.getSession",
    "com.atproto.server.refreshSession",
    "com.atproto.server.createSession",
];

/// Whether the readers read `nsid`: a page's read or a session's.
pub fn is_read(nsid: &str) -> bool {
    from_the_page().any(|n| n == nsid) || SESSIONS.contains(&nsid)
}

/// The NSID of an XRPC URL (`https://<any host>/xrpc/<nsid>?…`).
pub fn nsid_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let path = rest.split(['?', '#']).next()?;
    let (_host, path) = path.split_once('/')?;
    let nsid = path.strip_prefix("xrpc/")?;
    (!nsid.is_empty() && !nsid.contains('/')).then_some(nsid)
}

/// Whether a response from `url` is one the Bluesky readers collect.
pub fn collected(url: &str) -> bool {
    nsid_of(url).is_some_and(is_read)
}

/// Whether the worker keeps a response from `url` that a bsky.app tab sent: one
/// of [`from_the_page`], from any host (a session's never, whoever sends it).
pub fn collected_from_page(url: &str) -> bool {
    nsid_of(url).is_some_and(|n| from_the_page().any(|read| read == n))
}

/// Whether `url` asks for a page of a follow list (the worker's list rate).
pub fn is_list_page(url: &str) -> bool {
    matches!(
        nsid_of(url),
        Some("app.bsky.graph.getFollowers" | "app.bsky.graph.getFollows")
    )
}

/// A follow record, as a URI names it, and when it began if its key or record
/// can say (see [`tid::follow_started`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Follow {
    pub uri: String,
    /// The DID of who follows.
    pub author: String,
    pub key: String,
    pub started: Option<Time>,
}

impl Follow {
    fn of(uri: &str, created_at: Option<Time>, seen: Time) -> Option<Follow> {
        let (author, key) = tid::key_of(uri)?;
        Some(Follow {
            uri: uri.to_owned(),
            author: author.to_owned(),
            key: key.to_owned(),
            started: tid::follow_started(key, created_at, seen),
        })
    }
}

/// What the signed-in viewer and an account are to each other (a profile's
/// `viewer`): only meaningful signed in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Relation {
    /// The viewer's follow of the account.
    pub following: Option<Follow>,
    /// The account's follow of the viewer.
    pub followed_by: Option<Follow>,
    pub blocked_by: bool,
    pub blocking: bool,
}

/// An account as a response shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub did: String,
    pub handle: Option<String>,
    pub name: Option<String>,
    pub followers: Option<u64>,
    pub follows: Option<u64>,
    /// `None` where the response has no `viewer` (signed out, or not given).
    pub relation: Option<Relation>,
}

/// The order of a list page, from the request's `sort`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// Newest follow first, by record key (no `sort`, or `sort=latest`).
    Latest,
    /// Ranked: no order in time, nothing dated.
    Top,
}

/// One page of an account's followers or follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListPage {
    pub owner: String,
    pub kind: ListKind,
    pub sort: Sort,
    /// The page asked for (`None`: the list's first page).
    pub cursor: Option<String>,
    /// The next page's cursor (`None`: the list ends here).
    pub next_cursor: Option<String>,
    /// Its rows' DIDs, in order.
    pub entries: Vec<String>,
    /// Under `latest`, when its follows were made: each row at or after `after`
    /// (the next cursor's key, the last row's), and at or before `before` (this
    /// page's cursor, or the time it was seen for the first page). `None` under
    /// `top`, or when a cursor is no plausible TID.
    pub dated: Option<(Time, Time)>,
}

/// A "followed you" notification: kept, since Bluesky deletes it when the
/// follower unfollows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowNotice {
    pub follower: Actor,
    pub follow: Follow,
    pub created_at: Option<Time>,
}

/// What one response said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BskyReading {
    pub operation: String,
    pub at: Time,
    /// Accounts shown, in order.
    pub actors: Vec<Actor>,
    pub list: Option<ListPage>,
    pub follow_notices: Vec<FollowNotice>,
    /// Relations between one account (`.0`) and others (`getRelationships`):
    /// each other's DID, whether the account follows it and whether it follows
    /// the account.
    pub relationships: Vec<(String, String, Option<Follow>, Option<Follow>)>,
    /// The signed-in viewer a session response names: `(did, handle)`.
    pub session: Option<(String, Option<String>)>,
}

// ----- the wire: only the fields read; everything else (tokens included) is
// skipped by the parser, never held -----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireViewer {
    following: Option<String>,
    followed_by: Option<String>,
    #[serde(default)]
    blocked_by: bool,
    blocking: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireActor {
    did: String,
    handle: Option<String>,
    display_name: Option<String>,
    followers_count: Option<u64>,
    follows_count: Option<u64>,
    viewer: Option<WireViewer>,
}

#[derive(Deserialize)]
struct WireProfiles {
    profiles: Vec<WireActor>,
}

/// A list of [`PROFILE_LISTS`]: its accounts under the field the NSID names
/// (a like holds its account under `actor`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireProfileList {
    #[serde(default)]
    actors: Vec<WireActor>,
    #[serde(default)]
    suggestions: Vec<WireActor>,
    #[serde(default)]
    reposted_by: Vec<WireActor>,
    #[serde(default)]
    likes: Vec<WireLike>,
    list: Option<WireCreated>,
    #[serde(default)]
    items: Vec<WireListItem>,
    starter_pack: Option<WireCreated>,
}

#[derive(Deserialize)]
struct WireLike {
    actor: WireActor,
}

/// A curated list or a starter pack: its creator and, for a pack, a sample of
/// its members (its `record`, what the creator wrote, is never read).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCreated {
    creator: Option<WireActor>,
    #[serde(default)]
    list_items_sample: Vec<WireListItem>,
}

#[derive(Deserialize)]
struct WireListItem {
    subject: WireActor,
}

impl WireCreated {
    /// The creator, then the members (a pack's sample, or a list's `items`).
    fn members(created: Option<WireCreated>, items: Vec<WireListItem>) -> Vec<WireActor> {
        let (creator, sample) =
            created.map_or((None, Vec::new()), |c| (c.creator, c.list_items_sample));
        creator
            .into_iter()
            .chain(sample.into_iter().chain(items).map(|item| item.subject))
            .collect()
    }
}

#[derive(Deserialize)]
struct WireFollowers {
    subject: WireActor,
    cursor: Option<String>,
    #[serde(default)]
    followers: Vec<WireActor>,
    #[serde(default)]
    follows: Vec<WireActor>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRelationship {
    did: Option<String>,
    following: Option<String>,
    followed_by: Option<String>,
}

#[derive(Deserialize)]
struct WireRelationships {
    actor: Option<String>,
    relationships: Vec<WireRelationship>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRecord {
    created_at: Option<String>,
}

#[derive(Deserialize)]
struct WireNotification {
    uri: String,
    reason: String,
    author: WireActor,
    record: Option<WireRecord>,
}

#[derive(Deserialize)]
struct WireNotifications {
    notifications: Vec<WireNotification>,
}

// Feeds: the profile views at the places the lexicon puts them
// (`app.bsky.feed.defs`), nothing under a post's `record` or a quoted
// record's `value`.

/// A feed's items (`feed`), or bare posts (`posts`: a search's results, a
/// post's quotes).
#[derive(Deserialize)]
struct WireFeed {
    #[serde(default)]
    feed: Vec<WireFeedItem>,
    #[serde(default)]
    posts: Vec<WirePost>,
}

#[derive(Deserialize)]
struct WireFeedItem {
    post: WirePost,
    reply: Option<WireReplyRef>,
    reason: Option<WireReason>,
}

#[derive(Deserialize)]
struct WirePost {
    author: WireActor,
    embed: Option<WireEmbed>,
}

/// A reply's root and parent: a post, or a post not found or blocked (whose
/// author, when it has one, comes without a handle and is skipped).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireReplyRef {
    root: Option<WireMaybePost>,
    parent: Option<WireMaybePost>,
    grandparent_author: Option<WireActor>,
}

#[derive(Deserialize)]
struct WireMaybePost {
    author: Option<WireActor>,
}

#[derive(Deserialize)]
struct WireReason {
    by: Option<WireActor>,
}

/// `app.bsky.embed.record#view` (a view record under `record`) or
/// `recordWithMedia#view` (the same one level down).
#[derive(Deserialize)]
struct WireEmbed {
    record: Option<WireEmbedRecord>,
}

#[derive(Deserialize)]
struct WireEmbedRecord {
    author: Option<WireActor>,
    record: Option<Box<WireEmbedRecord>>,
}

#[derive(Deserialize)]
struct WireThread {
    thread: WireThreadNode,
}

/// A thread's node: a post with its parent and replies, or one not found or
/// blocked (no post).
#[derive(Deserialize)]
struct WireThreadNode {
    post: Option<WirePost>,
    parent: Option<Box<WireThreadNode>>,
    #[serde(default)]
    replies: Vec<WireThreadNode>,
}

impl WirePost {
    fn into_actors(self, out: &mut Vec<WireActor>) {
        out.push(self.author);
        let mut quoted = self.embed.and_then(|e| e.record);
        while let Some(r) = quoted {
            out.extend(r.author);
            quoted = r.record.map(|b| *b);
        }
    }
}

impl WireThreadNode {
    fn into_actors(self, out: &mut Vec<WireActor>) {
        if let Some(post) = self.post {
            post.into_actors(out);
        }
        if let Some(parent) = self.parent {
            parent.into_actors(out);
        }
        for reply in self.replies {
            reply.into_actors(out);
        }
    }
}

/// The accounts a feed or a thread shows, in order, and how many posts a feed
/// holds (a thread's are not counted: a popular post's replies are many).
fn feed_actors(nsid: &str, body: &[u8]) -> Result<(Vec<WireActor>, usize), serde_json::Error> {
    let mut wire = Vec::new();
    let mut posts = 0;
    if nsid == "app.bsky.feed.getPostThread" {
        let t: WireThread = serde_json::from_slice(body)?;
        t.thread.into_actors(&mut wire);
    } else {
        let f: WireFeed = serde_json::from_slice(body)?;
        posts = f.feed.len() + f.posts.len();
        for item in f.feed {
            item.post.into_actors(&mut wire);
            if let Some(reply) = item.reply {
                wire.extend(reply.root.and_then(|p| p.author));
                wire.extend(reply.parent.and_then(|p| p.author));
                wire.extend(reply.grandparent_author);
            }
            wire.extend(item.reason.and_then(|r| r.by));
        }
        for post in f.posts {
            post.into_actors(&mut wire);
        }
    }
    Ok((wire, posts))
}

/// Each account once (the first time it is shown), those with a handle only (a
/// blocked post's author comes without one, and without what it would say of
/// you).
fn shown_once(wire: Vec<WireActor>, at: Time) -> Vec<Actor> {
    let mut seen = std::collections::HashSet::new();
    wire.into_iter()
        .filter(|a| a.handle.is_some() && seen.insert(a.did.clone()))
        .map(|a| actor(a, at))
        .collect()
}

/// bsky.app asks for 30 rows or posts a page (the lexicons allow 100): a page
/// far larger is no page of its own, as on X.
fn at_most_a_page(nsid: &str, entries: usize) -> Result<(), CaptureError> {
    if entries > crate::graphql::MAX_PAGE_ENTRIES {
        return Err(CaptureError::PageTooLarge {
            operation: nsid.to_owned(),
            entries,
            max: crate::graphql::MAX_PAGE_ENTRIES,
        });
    }
    Ok(())
}

#[derive(Deserialize)]
struct WireSession {
    did: String,
    handle: Option<String>,
}

fn actor(w: WireActor, seen: Time) -> Actor {
    let relation = w.viewer.map(|v| Relation {
        following: v.following.and_then(|u| Follow::of(&u, None, seen)),
        followed_by: v.followed_by.and_then(|u| Follow::of(&u, None, seen)),
        blocked_by: v.blocked_by,
        blocking: v.blocking.is_some(),
    });
    Actor {
        did: w.did,
        handle: w.handle,
        name: w.display_name,
        followers: w.followers_count,
        follows: w.follows_count,
        relation,
    }
}

/// A request's query parameter, percent-decoded.
fn param(url: &str, name: &str) -> Option<String> {
    crate::request::query_params(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// When the rows of a `latest` page were followed: between the next cursor's
/// instant and this page's cursor's (or `seen`, for a first page).
fn dating(
    sort: Sort,
    cursor: Option<&str>,
    next: Option<&str>,
    seen: Time,
) -> Option<(Time, Time)> {
    if sort == Sort::Top {
        return None;
    }
    let instant = |c: &str| tid::follow_started(c, None, seen);
    let before = match cursor {
        None => seen,
        Some(c) => instant(c)?,
    };
    // The list's last page has no next cursor: its rows are bounded below by
    // nothing but the network's start.
    let after = match next {
        None => tid::EARLIEST_FOLLOW,
        Some(n) => instant(n)?,
    };
    (after <= before).then_some((after, before))
}

/// Reads one XRPC response of bsky.app, seen at `at`.
pub fn read(url: &str, body: &[u8], at: Time) -> Result<BskyReading, CaptureError> {
    let nsid = nsid_of(url)
        .filter(|n| is_read(n))
        .ok_or_else(|| CaptureError::NotCollected {
            url: url.to_owned(),
        })?;
    let json = |e: serde_json::Error| CaptureError::Json {
        operation: nsid.to_owned(),
        detail: e.to_string(),
    };
    let mut reading = BskyReading {
        operation: nsid.to_owned(),
        at,
        actors: Vec::new(),
        list: None,
        follow_notices: Vec::new(),
        relationships: Vec::new(),
        session: None,
    };
    match nsid {
        "app.bsky.actor.getProfile" => {
            let a: WireActor = serde_json::from_slice(body).map_err(json)?;
            reading.actors.push(actor(a, at));
        }
        "app.bsky.actor.getProfiles" => {
            let p: WireProfiles = serde_json::from_slice(body).map_err(json)?;
            reading.actors = p.profiles.into_iter().map(|a| actor(a, at)).collect();
        }
        "app.bsky.graph.getFollowers" | "app.bsky.graph.getFollows" => {
            let page: WireFollowers = serde_json::from_slice(body).map_err(json)?;
            let kind = if nsid.ends_with("getFollowers") {
                ListKind::Followers
            } else {
                ListKind::Following
            };
            let sort = match param(url, "sort").as_deref() {
                None | Some("latest") => Sort::Latest,
                // `top`, or an order not known yet: no order in time.
                Some(_) => Sort::Top,
            };
            let cursor = param(url, "cursor");
            let rows = if kind == ListKind::Followers {
                page.followers
            } else {
                page.follows
            };
            at_most_a_page(nsid, rows.len())?;
            let owner = actor(page.subject, at);
            let entries: Vec<Actor> = rows.into_iter().map(|a| actor(a, at)).collect();
            reading.list = Some(ListPage {
                owner: owner.did.clone(),
                kind,
                sort,
                dated: dating(sort, cursor.as_deref(), page.cursor.as_deref(), at),
                cursor,
                next_cursor: page.cursor,
                entries: entries.iter().map(|a| a.did.clone()).collect(),
            });
            reading.actors.push(owner);
            reading.actors.extend(entries);
        }
        "app.bsky.graph.getRelationships" => {
            let r: WireRelationships = serde_json::from_slice(body).map_err(json)?;
            let of = r.actor.ok_or(CaptureError::UnknownLayout {
                operation: nsid.to_owned(),
                missing: "actor",
            })?;
            for rel in r.relationships {
                // A `notFoundActor` has no follow fields: nothing to say of it.
                let Some(did) = rel.did else { continue };
                reading.relationships.push((
                    of.clone(),
                    did,
                    rel.following.and_then(|u| Follow::of(&u, None, at)),
                    rel.followed_by.and_then(|u| Follow::of(&u, None, at)),
                ));
            }
        }
        n if FEEDS.contains(&n) => {
            let (wire, posts) = feed_actors(n, body).map_err(json)?;
            at_most_a_page(nsid, posts)?;
            reading.actors = shown_once(wire, at);
        }
        n if PROFILE_LISTS.contains(&n) => {
            let l: WireProfileList = serde_json::from_slice(body).map_err(json)?;
            // Where each NSID's lexicon puts them (a like holds its account
            // under `actor`, a list's item under `subject`; a list or a pack
            // names its creator).
            let wire = match n {
                "app.bsky.graph.getSuggestedFollowsByActor" => l.suggestions,
                "app.bsky.feed.getRepostedBy" => l.reposted_by,
                "app.bsky.feed.getLikes" => l.likes.into_iter().map(|like| like.actor).collect(),
                "app.bsky.graph.getList" => WireCreated::members(l.list, l.items),
                "app.bsky.graph.getStarterPack" => WireCreated::members(l.starter_pack, Vec::new()),
                _ => l.actors,
            };
            at_most_a_page(nsid, wire.len())?;
            reading.actors = shown_once(wire, at);
        }
        "app.bsky.notification.listNotifications" => {
            let n: WireNotifications = serde_json::from_slice(body).map_err(json)?;
            for item in n.notifications.into_iter().filter(|n| n.reason == "follow") {
                let created_at = item
                    .record
                    .and_then(|r| r.created_at)
                    .and_then(|c| parse_rfc3339(&c));
                let follower = actor(item.author, at);
                // The record must be the follower's own: a URI naming another
                // author is not this follow.
                if let Some(follow) =
                    Follow::of(&item.uri, created_at, at).filter(|f| f.author == follower.did)
                {
                    reading.follow_notices.push(FollowNotice {
                        follower: follower.clone(),
                        follow,
                        created_at,
                    });
                }
                reading.actors.push(follower);
            }
        }
        _ => {
            // A session: `did` and `handle`, nothing else of the body is read.
            let s: WireSession = serde_json::from_slice(body).map_err(json)?;
            reading.session = Some((s.did, s.handle));
        }
    }
    Ok(reading)
}

// ----- what the ledger learns -----

/// A record key's instant in milliseconds, when it is a TID.
fn key_ms(key: &str) -> Option<i64> {
    tid::Tid::parse(key).and_then(|t| i64::try_from(t.micros() / 1000).ok())
}

/// What the ledger of `viewer` (the signed-in account) learns from a reading.
pub fn observations(r: &BskyReading, viewer: AccountId) -> Vec<Observation> {
    let mut out = Vec::new();
    let record = |from: AccountId, to: AccountId, f: &Follow| {
        f.started.map(|started| Observation::FollowRecord {
            from,
            to,
            started,
            seen: r.at,
        })
    };
    for a in &r.actors {
        let id = AccountId::of_did(&a.did);
        // Relations are the viewer's: none with itself.
        let rel = a.relation.as_ref().filter(|_| id != viewer);
        out.push(Observation::Account(AccountSighting {
            id,
            at: r.at,
            handle: a.handle.clone(),
            name: a.name.clone(),
            followers: a.followers,
            following: a.follows,
            follows_you: rel.map(|r| r.followed_by.is_some()),
            you_follow: rel.map(|r| r.following.is_some()),
            blocked_you: rel.map(|r| r.blocked_by),
            did: Some(a.did.clone()),
            ..AccountSighting::default()
        }));
        if let Some(rel) = rel {
            out.extend(rel.followed_by.as_ref().and_then(|f| record(id, viewer, f)));
            out.extend(rel.following.as_ref().and_then(|f| record(viewer, id, f)));
        }
    }
    if let Some(page) = &r.list {
        let latest = page.sort == Sort::Latest;
        // Dated only as far as the reader's checks let it (`ListPage::dated`:
        // `latest`, and both cursors plausible record keys); a page that ends the
        // list has no cursor below it to date its last row by.
        let dating = page
            .dated
            .and(page.next_cursor.as_deref())
            .and_then(key_ms)
            .map(|last_ms| PageDating {
                last_ms,
                above_ms: page.cursor.as_deref().and_then(key_ms),
                first_page: page.cursor.is_none(),
            });
        out.push(Observation::ListPage(reciprocity_core::model::ListPage {
            list: ListKey {
                owner: AccountId::of_did(&page.owner),
                kind: page.kind,
            },
            at: r.at,
            // Ranked (`top`): its entries prove presence, never order or absence.
            position: if latest {
                PagePosition::Walk {
                    cursor: page.cursor.clone(),
                    next_cursor: page.next_cursor.clone(),
                    is_last: page.next_cursor.is_none(),
                }
            } else {
                PagePosition::Partial
            },
            entries: page.entries.iter().map(|d| AccountId::of_did(d)).collect(),
            dating,
        }));
    }
    for n in &r.follow_notices {
        out.extend(record(
            AccountId::of_did(&n.follower.did),
            viewer,
            &n.follow,
        ));
    }
    for (of, other, following, followed_by) in &r.relationships {
        let (a, b) = (AccountId::of_did(of), AccountId::of_did(other));
        if a == b {
            continue;
        }
        // Definitive both ways: a missing record is no follow.
        for (from, to, f) in [(a, b, following), (b, a, followed_by)] {
            out.push(Observation::Pair {
                from,
                to,
                at: r.at,
                follows: f.is_some(),
            });
            out.extend(f.as_ref().and_then(|f| record(from, to, f)));
        }
    }
    out
}

/// Reads a `bsky` envelope: its viewer is the signed-in account's DID, its URL the
/// XRPC read, its body the response.
pub fn read_envelope(
    env: &crate::Envelope,
    viewer_did: Option<&str>,
) -> Result<crate::Reading, CaptureError> {
    let r = read(&env.url, &env.body, env.at)?;
    let viewer = viewer_did.map(AccountId::of_did);
    let observations = match viewer {
        Some(v) => observations(&r, v),
        // Signed out: no relation means anything; only accounts and lists.
        None => observations(&r, AccountId(0))
            .into_iter()
            .filter(|o| !matches!(o, Observation::FollowRecord { .. }))
            .collect(),
    };
    let mut dids: Vec<String> = r.actors.iter().map(|a| a.did.clone()).collect();
    if let Some(list) = &r.list {
        dids.push(list.owner.clone());
        dids.extend(list.entries.iter().cloned());
    }
    dids.sort_unstable();
    dids.dedup();
    Ok(crate::Reading {
        operation: r.operation,
        at: env.at,
        platform: reciprocity_core::model::Platform::Bsky,
        viewer,
        users: Vec::new(),
        dids,
        observations,
    })
}
