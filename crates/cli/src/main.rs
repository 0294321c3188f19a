//! `reciprocity`: the ledger on the command line.

mod storefile;

use storefile::Access;

/// `println!` that ends quietly on a closed pipe (`reciprocity … | head`): output
/// stops, the command goes on to its end (a store is still saved), nothing panics.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if !$crate::STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
            let mut out = std::io::stdout().lock();
            if writeln!(out, $($arg)*).is_err() {
                $crate::STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }};
}

/// Standard output was closed by its reader: say nothing more.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

use clap::{Parser, Subcommand};
use reciprocity_capture::bsky::jetstream;
use reciprocity_capture::{
    archive, envelopes_in, looks_like_envelope, read_body, read_envelope, Reading,
};
use reciprocity_core::model::{PagePosition, Platform};
use reciprocity_core::time::{parse_rfc3339, to_rfc3339};
use reciprocity_core::{AccountId, Lang, Ledger, Store, Time, Viewer};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Whose ledger: an X account's numeric id, or a Bluesky account's DID.
#[derive(Clone, Copy, Debug)]
struct ViewerArg(Viewer);

impl std::str::FromStr for ViewerArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.starts_with("did:") {
            return Ok(ViewerArg(Viewer::bsky(AccountId::of_did(s))));
        }
        s.parse::<AccountId>()
            .ok()
            .filter(|id| id.0 != 0)
            .map(|id| ViewerArg(Viewer::x(id.0)))
            .ok_or_else(|| format!("not an X account id or a Bluesky DID: {s:?}"))
    }
}

#[derive(Parser)]
#[command(
    name = "reciprocity",
    version,
    about = "Who follows you back, since when, and who follows only to unfollow: a local ledger of what x.com showed you."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reads captures into the store: envelope files (one envelope, or JSON Lines of
    /// them; `"platform": "bsky"` for bsky.app's reads), X data archives (.zip, or a
    /// folder holding data/manifest.js), Jetstream JSON Lines (Bluesky follows),
    /// Bluesky repository exports (.car: the owner's follows, with their dates).
    Ingest {
        #[arg(long)]
        store: PathBuf,
        /// The viewer for envelopes that do not name one, and for Jetstream files:
        /// an X id or a Bluesky DID.
        #[arg(long)]
        viewer: Option<ViewerArg>,
        #[arg(required = true)]
        captures: Vec<PathBuf>,
    },
    /// Prints one JSON object per account, in the order asked.
    Annotate {
        #[arg(long)]
        store: PathBuf,
        /// An X account's id or a Bluesky account's DID.
        #[arg(long)]
        viewer: ViewerArg,
        /// The instant to judge at (RFC 3339); by default the ledger's latest.
        #[arg(long)]
        now: Option<String>,
        /// The language of verdicts and evidence (en, fr).
        #[arg(long, default_value = "en")]
        lang: String,
        /// Handles (with or without @) or ids.
        #[arg(required = true)]
        accounts: Vec<String>,
    },
    /// A readable summary: who unfollowed you, who doesn't follow back, brands with
    /// the worst records.
    Report {
        #[arg(long)]
        store: PathBuf,
        /// An X account's id or a Bluesky account's DID.
        #[arg(long)]
        viewer: ViewerArg,
        #[arg(long)]
        now: Option<String>,
        /// Print the summary as JSON instead.
        #[arg(long)]
        json: bool,
        /// The language of verdicts and dates (en, fr).
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Prints every event on the edges to and from each account, one JSON line
    /// each: `from`, `to`, `kind`, `after` (null when unknown), `by`, `confidence`.
    Events {
        #[arg(long)]
        store: PathBuf,
        /// An X account's id or a Bluesky account's DID.
        #[arg(long)]
        viewer: ViewerArg,
        /// Handles (with or without @) or ids.
        #[arg(required = true)]
        accounts: Vec<String>,
    },
    /// Writes the whole store as JSON (docs/ledger-json.md) to standard output.
    Export {
        #[arg(long)]
        store: PathBuf,
    },
    /// Reads a JSON export into the store (merged with what it holds).
    Import {
        #[arg(long)]
        store: PathBuf,
        json: PathBuf,
    },
    /// Prints the accounts a capture or a bare response body shows, one JSON line
    /// each (no store involved).
    Parse {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest {
            store,
            viewer,
            captures,
        } => ingest(&store, viewer, &captures),
        Command::Annotate {
            store,
            viewer,
            now,
            lang,
            accounts,
        } => annotate(&store, viewer, now, Lang::from_tag(&lang), &accounts),
        Command::Report {
            store,
            viewer,
            now,
            json,
            lang,
        } => report(&store, viewer, now, json, Lang::from_tag(&lang)),
        Command::Events {
            store,
            viewer,
            accounts,
        } => events(&store, viewer, &accounts),
        Command::Export { store } => storefile::open(&store, Access::Read).map(|held| {
            println!("{}", held.store.to_json());
            true
        }),
        Command::Import { store, json } => import(&store, &json),
        Command::Parse { files } => parse(&files),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("reciprocity: {e}");
            ExitCode::from(2)
        }
    }
}

type Outcome = Result<bool, String>;

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// An unpacked archive's `data/` folder: files are opened as they are asked for.
struct FolderSource(PathBuf);

impl FolderSource {
    fn path(&self, path: &str) -> PathBuf {
        self.0.join(path.strip_prefix("data/").unwrap_or(path))
    }
}

impl archive::ArchiveSource for FolderSource {
    fn open(
        &mut self,
        path: &str,
    ) -> Result<Option<archive::ArchiveFile<'_>>, reciprocity_capture::CaptureError> {
        let full = self.path(path);
        match std::fs::File::open(&full) {
            Ok(f) => Ok(Some(archive::ArchiveFile {
                size: f.metadata().map_or(0, |m| m.len()),
                reader: Box::new(f),
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(reciprocity_capture::CaptureError::Archive(format!(
                "{}: {e}",
                full.display()
            ))),
        }
    }
    fn size(&mut self, path: &str) -> Option<u64> {
        std::fs::metadata(self.path(path)).ok().map(|m| m.len())
    }
}

/// One capture of a file: where it is (`file:line`) and what it said, or why not.
type Placed = (String, Result<Reading, String>);

/// The readings in one capture file, each with where it came from, as they are
/// read (a Jetstream file of gigabytes is never held whole).
fn readings_of(
    path: &Path,
    viewer: Option<ViewerArg>,
) -> Result<Box<dyn Iterator<Item = Placed>>, String> {
    let shown = path.display().to_string();
    if path.is_dir() {
        // An unpacked archive: the folder holding data/, or data/ itself.
        let data = path.join("data");
        let root = if data.is_dir() {
            data
        } else {
            path.to_path_buf()
        };
        return Ok(Box::new(std::iter::once((
            shown,
            archive::read(&mut FolderSource(root)).map_err(|e| e.to_string()),
        ))));
    }
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        // Read by seeking: the central directory and the few files needed, never
        // the gigabytes of media beside them.
        let file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
        let reading = archive::ZipSource::new(std::io::BufReader::new(file))
            .and_then(|mut zip| archive::read(&mut zip));
        return Ok(Box::new(std::iter::once((
            shown,
            reading.map_err(|e| e.to_string()),
        ))));
    }
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("car"))
    {
        let reading = repo_reading(path, viewer, &shown);
        return Ok(Box::new(std::iter::once((shown, reading))));
    }
    if first_line(path)?.is_some_and(|l| jetstream::looks_like_jetstream(&l)) {
        // A feed names no viewer: whose ledger it goes to is the caller's word.
        let Some(ViewerArg(Viewer {
            platform: Platform::Bsky,
            id,
        })) = viewer
        else {
            return Err(format!(
                "{shown}: a Jetstream file names no viewer; pass --viewer DID"
            ));
        };
        return feed_readings(path, id);
    }
    let text = read_text(path)?;
    let readings: Vec<Placed> = envelopes_in(&text)
        .into_iter()
        .map(|(line, env)| {
            let place = format!("{shown}:{line}");
            let reading = env
                .map_err(|e| e.to_string())
                .and_then(|env| read_envelope(&env).map_err(|e| e.to_string()));
            (place, reading)
        })
        .collect();
    Ok(Box::new(readings.into_iter()))
}

/// A file's lines, numbered from 1, blank ones skipped; a line that cannot be
/// read is its error.
fn lines_of(path: &Path) -> Result<impl Iterator<Item = (usize, Result<String, String>)>, String> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(std::io::BufReader::new(file)
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.map_err(|e| e.to_string())))
        .filter(|(_, l)| l.as_ref().map_or(true, |l| !l.trim().is_empty())))
}

/// A file's first line that is not blank.
fn first_line(path: &Path) -> Result<Option<String>, String> {
    Ok(lines_of(path)?.next().and_then(|(_, l)| l.ok()))
}

/// A Jetstream file, read twice line by line: the subjects of the follows it
/// creates (a delete names none), then each event; only that map is held.
fn feed_readings(
    path: &Path,
    viewer: AccountId,
) -> Result<Box<dyn Iterator<Item = Placed>>, String> {
    let events = |path: &Path| {
        lines_of(path).map(|lines| {
            lines.filter_map(|(n, l)| {
                l.and_then(|l| jetstream::read_line(&l))
                    .transpose()
                    .map(|e| (n, e))
            })
        })
    };
    let mut subjects = jetstream::Subjects::new();
    for e in events(path)?.filter_map(|(_, e)| e.ok()) {
        if let jetstream::Change::Created { subject, .. } = e.change {
            subjects.insert((e.author, e.key), subject);
        }
    }
    let shown = path.display().to_string();
    Ok(Box::new(events(path)?.map(move |(n, e)| {
        (
            format!("{shown}:{n}"),
            e.and_then(|e| jetstream::reading_of(&e, viewer, &subjects)),
        )
    })))
}

/// A Bluesky repository export: its owner's ledger, true at its revision.
fn repo_reading(path: &Path, viewer: Option<ViewerArg>, shown: &str) -> Result<Reading, String> {
    use reciprocity_capture::bsky::car;
    // Refused by its size before it is read: a repository holds no media.
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{shown}: {e}"))?
        .len();
    if size > car::MAX_CAR_BYTES as u64 {
        return Err(format!(
            "{shown}: {} MiB, more than the {} MiB a repository holds",
            size >> 20,
            car::MAX_CAR_BYTES >> 20
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    let export = car::read_repo(&bytes).map_err(|e| e.to_string())?;
    let owner = AccountId::of_did(&export.did);
    if let Some(ViewerArg(v)) = viewer {
        if v.platform != Platform::Bsky || v.id != owner {
            return Err(format!(
                "{shown}: this export is {}'s, not the viewer's",
                export.did
            ));
        }
    }
    let at = export.at().ok_or_else(|| {
        format!(
            "{shown}: its revision {:?} is no record key: nothing says when it was made",
            export.rev
        )
    })?;
    Ok(car::repo_reading(&export, at))
}

fn describe(r: &Reading, learned: &reciprocity_core::Learned) -> String {
    let mut s = format!(
        "{} at {}: {} account(s), {} new sighting(s)",
        r.operation,
        to_rfc3339(r.at),
        r.users.len(),
        learned.sightings
    );
    if let Some((key, pos, n)) = r.page() {
        let kind = format!("{:?}", key.kind).to_lowercase();
        let place = match pos {
            PagePosition::Partial => "a partial page".to_owned(),
            PagePosition::Walk {
                cursor: None,
                is_last: true,
                ..
            } => "the whole list".to_owned(),
            PagePosition::Walk { cursor: None, .. } => "the first page".to_owned(),
            PagePosition::Walk { is_last: true, .. } => "the last page".to_owned(),
            PagePosition::Walk { .. } => "a page".to_owned(),
        };
        s.push_str(&format!(
            "; {place} of {}'s {kind} ({n} entries)",
            key.owner
        ));
    }
    if learned.walks > 0 {
        s.push_str(&format!("; completes {} walk(s) of a list", learned.walks));
    }
    if learned.is_nothing() {
        s.push_str("; nothing new");
    }
    s
}

fn ingest(store_path: &Path, default_viewer: Option<ViewerArg>, captures: &[PathBuf]) -> Outcome {
    let mut held = storefile::open(store_path, Access::Write)?;
    let store = &mut held.store;
    let (mut ok, mut refused) = (0usize, 0usize);
    for path in captures {
        let readings = match readings_of(path, default_viewer) {
            Ok(r) => r,
            Err(e) => {
                println!("{e}: refused");
                refused += 1;
                continue;
            }
        };
        for (place, reading) in readings {
            let outcome = reading.and_then(|r| {
                let viewer = r
                    .viewer
                    .or(default_viewer
                        .map(|v| v.0)
                        .filter(|v| v.platform == r.platform)
                        .map(|v| v.id))
                    .ok_or(
                        "no viewer: the envelope names none; pass --viewer ID (a DID for Bluesky)",
                    )?;
                // Nothing dated after this machine's clock (an archive from the
                // future); checked before the viewer's ledger is even made.
                reciprocity_core::ledger::not_after(
                    r.observations.iter().map(reciprocity_core::Observation::at),
                    clock_now(),
                    "capture",
                )
                .map_err(|e| e.to_string())?;
                let ledger = store.ledger_mut(Viewer {
                    platform: r.platform,
                    id: viewer,
                });
                let learned = ledger
                    .ingest(viewer, &r.observations)
                    .map_err(|e| e.to_string())?;
                ledger.trim_others(viewer, reciprocity_core::ledger::MAX_OTHERS_EDGES);
                Ok(describe(&r, &learned))
            });
            match outcome {
                Ok(msg) => {
                    ok += 1;
                    println!("{place}: {msg}");
                }
                Err(e) => {
                    refused += 1;
                    println!("{place}: refused: {e}");
                }
            }
        }
    }
    storefile::save(store_path, &held)?;
    println!(
        "{ok} capture(s) read, {refused} refused; store {}",
        store_path.display()
    );
    Ok(refused == 0)
}

/// This machine's clock, in seconds: what files may not be dated after.
fn clock_now() -> Time {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(Time(0), |d| {
            Time(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        })
}

fn now_of(ledger: &Ledger, now: Option<String>) -> Result<Time, String> {
    match now {
        Some(s) => parse_rfc3339(&s).ok_or_else(|| format!("--now is not an RFC 3339 time: {s:?}")),
        None => Ok(ledger.latest_instant().unwrap_or(Time(0))),
    }
}

fn ledger_of(store: &Store, viewer: Viewer) -> Ledger {
    store.ledger(viewer).cloned().unwrap_or_default()
}

fn annotate(
    store_path: &Path,
    viewer: ViewerArg,
    now: Option<String>,
    lang: Lang,
    accounts: &[String],
) -> Outcome {
    let ViewerArg(key) = viewer;
    let viewer = key.id;
    let store = storefile::open(store_path, Access::Read)?.store;
    let ledger = ledger_of(&store, key);
    let now = now_of(&ledger, now)?;
    for_each_account(&ledger, accounts, |id| {
        let annotation = ledger.annotate(viewer, id, now, lang);
        println!(
            "{}",
            serde_json::to_string(&annotation).map_err(|e| e.to_string())?
        );
        Ok(())
    })
}

/// Runs `f` on each asked handle or id the ledger knows; each other one gets a
/// JSON line saying so, and the outcome is then "not all found".
fn for_each_account(
    ledger: &Ledger,
    accounts: &[String],
    mut f: impl FnMut(AccountId) -> Result<(), String>,
) -> Outcome {
    let mut all_found = true;
    for asked in accounts {
        if let Some(id) = ledger.resolve(asked) {
            f(id)?;
        } else {
            all_found = false;
            println!(
                "{}",
                json!({"asked": asked, "error": "no account with this handle or id in the ledger"})
            );
        }
    }
    Ok(all_found)
}

fn events(store_path: &Path, viewer: ViewerArg, accounts: &[String]) -> Outcome {
    let ViewerArg(key) = viewer;
    let viewer = key.id;
    let store = storefile::open(store_path, Access::Read)?.store;
    let ledger = ledger_of(&store, key);
    for_each_account(&ledger, accounts, |id| {
        for e in ledger.events_involving(id, viewer) {
            println!("{}", serde_json::to_string(&e).map_err(|e| e.to_string())?);
        }
        Ok(())
    })
}

fn who(ledger: &Ledger, id: AccountId) -> String {
    match ledger.account(id) {
        Some(a) => match (a.handle(), a.name()) {
            (Some(h), Some(n)) => format!("@{h} ({n})"),
            (Some(h), None) => format!("@{h}"),
            _ => format!("account {id}"),
        },
        None => format!("account {id}"),
    }
}

fn report(
    store_path: &Path,
    viewer: ViewerArg,
    now: Option<String>,
    as_json: bool,
    lang: Lang,
) -> Outcome {
    let ViewerArg(key) = viewer;
    let viewer = key.id;
    let store = storefile::open(store_path, Access::Read)?.store;
    let ledger = ledger_of(&store, key);
    let now = now_of(&ledger, now)?;
    let s = ledger.summary(viewer, now, lang);
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&s).map_err(|e| e.to_string())?
        );
        return Ok(true);
    }
    println!(
        "Reciprocity report for {} as of {}",
        who(&ledger, viewer),
        reciprocity_core::words::day(now)
    );
    println!(
        "Seen: {} follow you, you follow {}.\n",
        s.followers, s.following
    );
    if s.undated_pages > 0 {
        println!(
            "{} list pages carried a cursor time that failed the checks (after the capture, or rising down a list): they date nothing.\n",
            s.undated_pages
        );
    }
    println!("Unfollowed you ({}):", s.unfollowed_you.len());
    for u in &s.unfollowed_you {
        println!(
            "  {} — {}, after {}",
            who(&ledger, u.account),
            u.when,
            u.lasted
        );
    }
    if !s.ended_otherwise.is_empty() {
        println!(
            "\nStopped following you, but not by unfollowing ({}):",
            s.ended_otherwise.len()
        );
        for e in &s.ended_otherwise {
            println!(
                "  {} — {}, {}",
                who(&ledger, e.account),
                e.kind_text,
                e.when
            );
        }
    }
    println!(
        "\nYou follow, they don't follow back ({}):",
        s.not_following_back.len()
    );
    for n in &s.not_following_back {
        let checked = n.checked_day.as_deref().unwrap_or("?");
        println!(
            "  {} — {} (checked {checked})",
            who(&ledger, n.account),
            n.status
        );
    }
    let worst: Vec<_> = s
        .brands
        .iter()
        .filter(|b| b.code != reciprocity_core::Code::Unknown)
        .take(10)
        .collect();
    println!(
        "\nBrands, worst records first ({} of {}):",
        worst.len(),
        s.brands.len()
    );
    for b in worst {
        let tl = ledger.timeline(viewer, b.account, now, lang);
        println!(
            "  {} — {}",
            who(&ledger, b.account),
            tl.annotation.verdict.text
        );
        // The looks behind it, and any pair that disagreed on the order.
        for l in &tl.lists {
            println!("      {}", l.text);
        }
    }
    Ok(true)
}

fn import(store_path: &Path, json_path: &Path) -> Outcome {
    let mut held = storefile::open(store_path, Access::Write)?;
    let incoming = Store::from_json(&read_text(json_path)?)
        .map_err(|e| format!("{}: {e}", json_path.display()))?;
    incoming
        .check_not_after(clock_now())
        .map_err(|e| format!("{}: {e}", json_path.display()))?;
    held.store.merge(&incoming);
    storefile::save(store_path, &held)?;
    println!(
        "imported {} viewer ledger(s) from {} into {}",
        incoming.ledgers.len(),
        json_path.display(),
        store_path.display()
    );
    Ok(true)
}

fn parse(files: &[PathBuf]) -> Outcome {
    let mut ok = true;
    for path in files {
        let text = match read_text(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                ok = false;
                continue;
            }
        };
        let users = if looks_like_envelope(&text) {
            let mut users = Vec::new();
            for (line, env) in envelopes_in(&text) {
                match env
                    .map_err(|e| e.to_string())
                    .and_then(|e| read_envelope(&e).map_err(|e| e.to_string()))
                {
                    Ok(r) => users.extend(r.users),
                    Err(e) => {
                        eprintln!("{}:{line}: {e}", path.display());
                        ok = false;
                    }
                }
            }
            users
        } else {
            match read_body(text.as_bytes()) {
                Ok(u) => u,
                Err(e) => {
                    eprintln!("{}: {e}", path.display());
                    ok = false;
                    continue;
                }
            }
        };
        for u in users {
            println!("{}", serde_json::to_string(&u).map_err(|e| e.to_string())?);
        }
    }
    Ok(ok)
}
