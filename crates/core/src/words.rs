//! Every word the ledger says to people, in the language the caller asks for: dates,
//! time bounds, spans, verdict labels and sentences, evidence lines, event names.
//! The browser and the CLI print these and re-phrase none of them; buttons and
//! headings stay with the pages (`_locales`, `www/i18n.js`).

use crate::history::{Bounds, Span};
use crate::time::{to_rfc3339, whole_days, Time, DAY};
use crate::vocab::{Code, Confidence, EventKind, Severity};
use serde::{Deserialize, Serialize};

/// The languages the ledger speaks. Anything else is spoken to in English.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// From a BCP 47 tag as browsers give it (`fr`, `fr-CA`, `en-US`…).
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    fn pick(self, en: &'static str, fr: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

/// A calendar day, UTC (`2026-11-04`): the precision the looks allow.
pub fn day(t: Time) -> String {
    let s = to_rfc3339(t);
    s.get(..10).unwrap_or(&s).to_owned()
}

/// An instant to the second, UTC (`2026-11-04 14:02:41 UTC`): what the
/// platform's own stamps allow.
pub fn instant(t: Time) -> String {
    let s = to_rfc3339(t);
    match (s.get(..10), s.get(11..19)) {
        (Some(d), Some(h)) => format!("{d} {h} UTC"),
        _ => s,
    }
}

/// When something happened, from its bounds: "between 2026-11-04 and 2026-11-13",
/// "on 2026-11-04", "by 2026-11-13" (the start is unknown).
pub fn when(b: Bounds, lang: Lang) -> String {
    // Dated by the platform to the second.
    if b.after == Some(b.by - 1) {
        return match lang {
            Lang::En => format!("at {}", instant(b.by)),
            Lang::Fr => format!("le {}", instant(b.by)),
        };
    }
    let by = day(b.by);
    match (b.after.map(day), lang) {
        (Some(a), Lang::En) if a != by => format!("between {a} and {by}"),
        (Some(a), Lang::Fr) if a != by => format!("entre le {a} et le {by}"),
        (Some(_), Lang::En) => format!("on {by}"),
        (Some(_), Lang::Fr) => format!("le {by}"),
        (None, Lang::En) => format!("by {by}"),
        (None, Lang::Fr) => format!("au plus tard le {by}"),
    }
}

/// How long something lasted: "9–12 days", "9 days", "at least 9 days", and "an
/// unknown time" rather than "at least 0 days".
pub fn span(s: Span, lang: Lang) -> String {
    let lo = whole_days(s.at_least);
    let hi = s.at_most.map(|m| (m + DAY - 1) / DAY);
    match (hi, lang) {
        (None, _) if lo == 0 => lang
            .pick("an unknown time", "une durée inconnue")
            .to_owned(),
        (Some(hi), Lang::En) if hi > lo => format!("{lo}–{hi} days"),
        (Some(hi), Lang::Fr) if hi > lo => format!("{lo} à {hi} jours"),
        (Some(_), Lang::En) => format!("{lo} days"),
        (Some(_), Lang::Fr) => format!("{lo} jours"),
        (None, Lang::En) => format!("at least {lo} days"),
        (None, Lang::Fr) => format!("au moins {lo} jours"),
    }
}

/// How long a follow that ended had lasted, as a clause after the end: " after
/// 3–11 days"; when its start was never seen, what is known: " (it followed you
/// by 2026-11-02)".
pub fn lasted(started: Bounds, lasted: Span, lang: Lang) -> String {
    if lasted.at_most.is_none() && lasted.at_least < DAY {
        let by = day(started.by);
        return match lang {
            Lang::En => format!(" (it followed you by {by}; since when is unknown)"),
            Lang::Fr => format!(" (il vous suivait le {by} ; depuis quand, on l'ignore)"),
        };
    }
    match lang {
        Lang::En => format!(" after {}", span(lasted, lang)),
        Lang::Fr => format!(", après {}", span(lasted, lang)),
    }
}

/// Beside X's "Follows you", and in the verdict: since when it follows, said by
/// how it is known — dated exactly by X ("Since 2026-11-15"), between two dates
/// ("Since 2026-11-12 – 2026-11-15"), or from the first sighting ("Seen since
/// 2026-11-01").
pub fn follows_since(rel: &crate::record::Relation, lang: Lang) -> String {
    let Some(by) = rel.since else {
        return lang.pick("Just seen", "Vu à l'instant").to_owned();
    };
    match (rel.since_after, lang) {
        (Some(a), Lang::En) if a == by - 1 => format!("Since {}", day(by)),
        (Some(a), Lang::Fr) if a == by - 1 => format!("Depuis le {}", day(by)),
        (Some(a), Lang::En) if day(a) != day(by) => {
            format!("Since {} – {}", day(a), day(by))
        }
        (Some(a), Lang::Fr) if day(a) != day(by) => {
            format!("Abonné entre le {} et le {}", day(a), day(by))
        }
        (Some(_), Lang::En) => format!("Since {}", day(by)),
        (Some(_), Lang::Fr) => format!("Depuis le {}", day(by)),
        (None, Lang::En) => format!("Seen since {}", day(by)),
        (None, Lang::Fr) => format!("Vu depuis le {}", day(by)),
    }
}

/// The verdict's sentence for an account that follows you: since when, and how
/// that is known.
pub fn follows_you_sentence(rel: &crate::record::Relation, lang: Lang) -> String {
    use crate::dating::Dating;
    let Some(by) = rel.since else {
        return lang.pick("Follows you", "Vous suit").to_owned();
    };
    let start = Bounds {
        after: rel.since_after,
        by,
    };
    let source = match (rel.dated, lang) {
        (Some(Dating::Notice), Lang::En) => " (X's notification)",
        (Some(Dating::Notice), Lang::Fr) => " (notification de X)",
        // The same words on both networks: a list's own cursor dated it.
        (Some(Dating::Cursor | Dating::CursorTop), Lang::En) => " (dated by the list itself)",
        (Some(Dating::Cursor | Dating::CursorTop), Lang::Fr) => " (daté par la liste elle-même)",
        (Some(Dating::RecordKey), Lang::En) => " (its follow record)",
        (Some(Dating::RecordKey), Lang::Fr) => " (son enregistrement d’abonnement)",
        _ => "",
    };
    match (rel.since_after, lang) {
        (Some(_), Lang::En) => format!("Follows you: followed {}{source}", when(start, lang)),
        (Some(_), Lang::Fr) => format!("Vous suit : abonné {}{source}", when(start, lang)),
        (None, Lang::En) => format!("Follows you (seen since {})", day(by)),
        (None, Lang::Fr) => format!("Vous suit (vu depuis le {})", day(by)),
    }
}

/// Departures that dated follows and counts prove: "Followed at least 58
/// accounts between 2026-11-08 and 2026-11-22 while its following count rose by
/// 1: at least 57 left its following (unfollowed, or the accounts were closed)".
pub fn departures_sentence(d: &crate::record::Departures, lang: Lang) -> String {
    let window = when(
        Bounds {
            after: Some(d.from),
            by: d.to,
        },
        lang,
    );
    let (joins, n) = (d.joins, d.at_least);
    let change = i128::from(d.count_after) - i128::from(d.count_before);
    let moved = match (change.signum(), lang) {
        (1, Lang::En) => format!("rose by {change}"),
        (1, Lang::Fr) => format!("a augmenté de {change}"),
        (-1, Lang::En) => format!("fell by {}", -change),
        (-1, Lang::Fr) => format!("a baissé de {}", -change),
        (_, Lang::En) => "did not move".to_owned(),
        (_, Lang::Fr) => "n'a pas bougé".to_owned(),
    };
    match lang {
        Lang::En => format!(
            "Followed at least {joins} accounts {window} while its following count {moved}: at least {n} left its following (unfollowed, or the accounts were closed)"
        ),
        Lang::Fr => format!(
            "A suivi au moins {joins} comptes {window} pendant que son nombre d'abonnements {moved} : au moins {n} ont quitté ses abonnements (désabonnement, ou comptes fermés)"
        ),
    }
}

/// When a follow that ended had begun, as a clause for its evidence line:
/// "followed after 2026-11-14", "followed at 2026-11-14 09:00:00 UTC".
pub fn followed_clause(started: Bounds, lang: Lang) -> Option<String> {
    let began = match (started.after, lang) {
        (Some(a), _) if a == started.by - 1 => when(started, lang),
        (Some(a), Lang::En) => format!("after {}", day(a)),
        (Some(a), Lang::Fr) => format!("après le {}", day(a)),
        (None, _) => return None,
    };
    Some(match lang {
        Lang::En => format!("followed {began}"),
        Lang::Fr => format!("suivi {began}"),
    })
}

/// Where an account has no record toward others yet: how to get one.
pub fn no_record_yet(lang: Lang) -> &'static str {
    lang.pick(
        "No record yet: open its Following list; looks a few days apart show who it drops",
        "Pas encore d'historique : ouvrez la liste de ses abonnements ; des visites à quelques jours d'intervalle montrent qui il lâche",
    )
}

/// Beside X's "Follows you", for an account the ledger saw unfollow.
pub fn unfollowed_before(lang: Lang) -> &'static str {
    lang.pick("Unfollowed you before", "Vous avait lâché")
}

/// Beside X's "Follows you", for an account the ledger has not seen follow.
pub fn not_seen_yet(lang: Lang) -> &'static str {
    lang.pick("New: not seen yet", "Nouveau : pas encore vu")
}

/// X's "Follows you" is the fresher word; what the ledger knew before, if anything.
pub fn x_says_follows_now(before: Option<&str>, lang: Lang) -> String {
    match (before, lang) {
        (Some(b), Lang::En) => format!("X shows it follows you now. Before: {b}"),
        (Some(b), Lang::Fr) => format!("X indique qu'il vous suit maintenant. Avant : {b}"),
        (None, Lang::En) => {
            "X shows it follows you now; Reciprocity has not seen it follow you yet".into()
        }
        (None, Lang::Fr) => {
            "X indique qu'il vous suit maintenant ; Reciprocity ne l'a pas encore vu vous suivre"
                .into()
        }
    }
}

/// "Unfollowed you between … and … (it had followed you …)".
pub fn unfollowed_you_sentence(s: &crate::record::Stint, lang: Lang) -> String {
    let when = when(s.ended, lang);
    let lasted = lasted(s.started, s.lasted, lang);
    match lang {
        Lang::En => format!("Unfollowed you {when}{lasted}"),
        Lang::Fr => format!("S'est désabonné de vous {when}{lasted}"),
    }
}

/// Follows dropped soon after, seen in its list alone (an unfollow or a closed
/// account: the list cannot say which).
pub fn quick_drops_sentence(drops: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Dropped {drops} accounts from its following within 30 days of following them (unfollowed, or the accounts were closed)"
        ),
        Lang::Fr => format!(
            "A retiré {drops} comptes de ses abonnements moins de 30 jours après les avoir suivis (désabonnement, ou comptes fermés)"
        ),
    }
}

/// Quick unfollows confirmed (the accounts seen alive after).
pub fn flushes_sentence(n: usize, seen: usize, lang: Lang) -> String {
    match lang {
        Lang::En => {
            format!("Followed then unfollowed {n} accounts within 30 days ({seen} unfollows seen)")
        }
        Lang::Fr => format!(
            "A suivi puis quitté {n} comptes en moins de 30 jours ({seen} désabonnements vus)"
        ),
    }
}

/// Its following count churning.
pub fn churn_sentence(c: &crate::record::Churn, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Follows and drops accounts: {} changes in its following over {} days (net {:+})",
            c.churn, c.days, c.net
        ),
        Lang::Fr => format!(
            "Suit puis lâche des comptes : {} changements d'abonnements en {} jours (solde {:+})",
            c.churn, c.days, c.net
        ),
    }
}

/// An account gone comes before anything it did.
pub fn gone_first(reason: &str, text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Account gone ({reason}). {text}"),
        Lang::Fr => format!("Compte disparu ({reason}). {text}"),
    }
}

/// The badge's few words for a verdict.
pub fn label(code: Code, gone: bool, lang: Lang) -> &'static str {
    if gone {
        return lang.pick("Account gone", "Compte disparu");
    }
    match code {
        Code::UnfollowedYou => lang.pick("Unfollowed you", "Vous a lâché"),
        Code::FlushesOthers => lang.pick("Follows then flushes", "Suit puis lâche"),
        Code::FollowChurn => lang.pick("Churns follows", "Abonnements instables"),
        Code::Mutual => lang.pick("Mutual", "Mutuel"),
        Code::FollowsYou => lang.pick("Follows you", "Vous suit"),
        Code::NotFollowingBack => lang.pick("Doesn't follow back", "Ne vous suit pas"),
        Code::NoRelation => lang.pick("No follow", "Aucun abonnement"),
        Code::Unknown => lang.pick("Not enough seen", "Pas assez vu"),
    }
}

/// One badge of the legend: what it looks like (its key and severity pick the
/// icon and colour), its words, and what it means.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct LegendEntry {
    /// A verdict's code, or `gone`.
    pub key: &'static str,
    pub severity: Severity,
    pub label: &'static str,
    pub meaning: &'static str,
}

/// Every badge, in the order the first-run page explains them.
pub fn legend(lang: Lang) -> Vec<LegendEntry> {
    let entry = |code: Code| LegendEntry {
        key: code.as_str(),
        severity: code.severity(),
        label: label(code, false, lang),
        meaning: meaning(code, lang),
    };
    let mut all: Vec<_> = Code::ALL.into_iter().map(entry).collect();
    all.push(LegendEntry {
        key: "gone",
        severity: Severity::Neutral,
        label: label(Code::Unknown, true, lang),
        meaning: lang.pick(
            "Suspended, deactivated or unavailable: never counted as an unfollow.",
            "Suspendu, désactivé ou indisponible : jamais compté comme un désabonnement.",
        ),
    });
    all
}

/// What a verdict means, in one sentence.
fn meaning(code: Code, lang: Lang) -> &'static str {
    match code {
        Code::UnfollowedYou => lang.pick(
            "It followed you, and x.com has since shown that it no longer does.",
            "Il vous suivait, et x.com a montré depuis qu'il ne vous suit plus.",
        ),
        Code::FlushesOthers => lang.pick(
            "It follows accounts, then unfollows them soon after: seen on its own Following list.",
            "Il suit des comptes, puis cesse de les suivre peu après : vu sur sa propre liste d'abonnements.",
        ),
        Code::FollowChurn => lang.pick(
            "It keeps following new accounts while its following count stays put: as many leave its list.",
            "Il suit sans cesse de nouveaux comptes sans que son nombre d'abonnements bouge : autant quittent sa liste.",
        ),
        Code::Mutual => lang.pick("You follow each other.", "Vous vous suivez mutuellement."),
        Code::FollowsYou => lang.pick(
            "It follows you and you don't follow it; its evidence says since when.",
            "Il vous suit et vous ne le suivez pas ; ses preuves disent depuis quand.",
        ),
        Code::NotFollowingBack => lang.pick(
            "You follow it; it doesn't follow you back.",
            "Vous le suivez ; il ne vous suit pas en retour.",
        ),
        Code::NoRelation => lang.pick(
            "Neither of you follows the other.",
            "Aucun de vous ne suit l'autre.",
        ),
        Code::Unknown => lang.pick(
            "Reciprocity has not seen enough of this account yet to say.",
            "Reciprocity n'en a pas encore assez vu pour le dire.",
        ),
    }
}

/// "Confidence: high".
pub fn confidence(c: Confidence, lang: Lang) -> String {
    let level = match c {
        Confidence::Low => lang.pick("low", "faible"),
        Confidence::Medium => lang.pick("medium", "moyenne"),
        Confidence::High => lang.pick("high", "élevée"),
    };
    format!("{}{level}", lang.pick("Confidence: ", "Confiance : "))
}

/// The name of one kind of evidence.
pub fn evidence_kind(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "followed_you" => lang.pick("Followed you", "Vous a suivi"),
        "unfollowed_you" => lang.pick("Unfollowed you", "S'est désabonné"),
        "you_followed" => lang.pick("You followed", "Vous l'avez suivi"),
        "quick_unfollow" => lang.pick("Quick unfollow", "Désabonnement rapide"),
        "quick_drop" => lang.pick("Dropped quickly", "Retiré rapidement"),
        "departures" => lang.pick(
            "Left its following, at least",
            "Ont quitté ses abonnements, au moins",
        ),
        "following_churn" => lang.pick("Following churn", "Mouvements d'abonnements"),
        "account_gone" => lang.pick("Account gone", "Compte disparu"),
        "blocks_you" => lang.pick("Blocks you", "Vous bloque"),
        "checked" => lang.pick("Last checked", "Dernière vérification"),
        "following_look" => lang.pick("Looked at its following", "Abonnements consultés"),
        "following_count" => lang.pick("Its following count", "Son nombre d'abonnements"),
        _ => lang.pick("Seen", "Vu"),
    }
}

/// One evidence line: "Unfollowed you: between 2026-11-04 and 2026-11-13",
/// "Quick unfollow: on 2026-10-02 (9 days) · @other".
pub fn evidence_line(
    kind: &str,
    after: Option<Time>,
    by: Option<Time>,
    value: Option<i64>,
    other: Option<&str>,
    lang: Lang,
) -> String {
    let mut line = evidence_kind(kind, lang).to_owned();
    if let Some(by) = by {
        line.push_str(": ");
        line.push_str(&when(Bounds { after, by }, lang));
    }
    match (kind, value) {
        ("quick_unfollow" | "quick_drop", Some(d)) => line.push_str(&match lang {
            Lang::En => format!(" (within {d} days)"),
            Lang::Fr => format!(" (en {d} jours au plus)"),
        }),
        (_, Some(v)) => line.push_str(&format!(" ({v})")),
        _ => {}
    }
    if let Some(other) = other {
        line.push_str(" · ");
        line.push_str(other);
    }
    line
}

/// What kind of change an event is, for a timeline.
pub fn event_kind(kind: EventKind, lang: Lang) -> &'static str {
    use EventKind::{
        AccountGone, BlockedYou, Follow, LeftList, NotUnfollow, RemovedByYou, Returned, Unfollow,
    };
    match kind {
        Follow => lang.pick("Started following", "A commencé à suivre"),
        Unfollow => lang.pick("Unfollowed", "S'est désabonné"),
        AccountGone => lang.pick(
            "Follow ended: account gone",
            "Abonnement terminé : compte disparu",
        ),
        BlockedYou => lang.pick(
            "Follow ended: blocked you",
            "Abonnement terminé : vous a bloqué",
        ),
        RemovedByYou => lang.pick(
            "Follow ended: you removed or blocked it",
            "Abonnement terminé : vous l'avez retiré ou bloqué",
        ),
        LeftList => lang.pick(
            "Left the list — unfollowed, or the account was closed",
            "A quitté la liste — désabonnement, ou compte fermé",
        ),
        Returned => lang.pick(
            "Back at its old place in the list (not a new follow)",
            "Revenu à sa place dans la liste (pas un nouvel abonnement)",
        ),
        NotUnfollow => lang.pick(
            "Follow ended: not an unfollow, you said",
            "Abonnement terminé : pas un désabonnement, selon vous",
        ),
    }
}

/// How much of a list was seen: "Its following: seen in 5 looks since
/// 2026-10-01", and why nothing was concluded between looks that disagreed.
pub fn looks(
    kind: crate::model::ListKind,
    looks: usize,
    since: Option<Time>,
    inversions: usize,
    lang: Lang,
) -> String {
    use crate::model::ListKind::{Followers, Following};
    let list = match kind {
        Following => lang.pick("Its following", "Ses abonnements"),
        Followers => lang.pick("Its followers", "Ses abonnés"),
    };
    let since = since.map(day).unwrap_or_default();
    let mut s = match lang {
        Lang::En => format!("{list}: seen in {looks} looks since {since}"),
        Lang::Fr => format!("{list} : vus en {looks} fois depuis le {since}"),
    };
    if inversions > 0 {
        s.push_str(&match lang {
            Lang::En => format!(
                "; {inversions} pairs of looks listed shared accounts in another order, so nothing was concluded between them"
            ),
            Lang::Fr => format!(
                " ; {inversions} paires de vues listaient des comptes communs dans un autre ordre : rien n'en a été conclu"
            ),
        });
    }
    s
}

/// "you", in a timeline line.
pub fn you(lang: Lang) -> &'static str {
    lang.pick("you", "vous")
}

/// The sentence of a verdict whose facts are plain (mutual, no relation, …).
pub(crate) fn plain_sentence(code: Code, never_back: bool, lang: Lang) -> &'static str {
    match code {
        Code::Mutual => lang.pick("You follow each other", "Vous vous suivez mutuellement"),
        Code::NotFollowingBack if never_back => lang.pick(
            "Never followed you back",
            "Ne vous a jamais suivi en retour",
        ),
        Code::NotFollowingBack => {
            lang.pick("Doesn't follow you back", "Ne vous suit pas en retour")
        }
        Code::NoRelation => lang.pick(
            "Neither of you follows the other",
            "Aucun de vous ne suit l'autre",
        ),
        _ => lang.pick("Not enough seen yet", "Pas encore assez d'observations"),
    }
}

/// How much a verdict matters to someone deciding whether to engage.
pub fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Alert => 3,
        Severity::Warning => 2,
        Severity::Good => 1,
        Severity::Neutral => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: Time = Time(1_793_750_400); // 2026-11-04T00:00:00Z

    #[test]
    fn languages_from_browser_tags() {
        assert_eq!(Lang::from_tag("fr-CA"), Lang::Fr);
        assert_eq!(Lang::from_tag("FR"), Lang::Fr);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
    }

    #[test]
    fn bounds_are_phrased_by_what_is_known() {
        let b = Bounds {
            after: Some(D),
            by: D + 9 * DAY,
        };
        assert_eq!(when(b, Lang::En), "between 2026-11-04 and 2026-11-13");
        assert_eq!(when(b, Lang::Fr), "entre le 2026-11-04 et le 2026-11-13");
        let same_day = Bounds {
            after: Some(D),
            by: D + 3600,
        };
        assert_eq!(when(same_day, Lang::En), "on 2026-11-04");
        let open = Bounds { after: None, by: D };
        assert_eq!(when(open, Lang::En), "by 2026-11-04");
        assert_eq!(when(open, Lang::Fr), "au plus tard le 2026-11-04");
    }

    #[test]
    fn a_follow_says_how_its_start_is_known() {
        use crate::record::{Relation, State};
        let rel = |after: Option<Time>, by: Time| Relation {
            state: State::Yes,
            since: Some(by),
            since_after: after,
            checked: Some(by),
            seen: 1,
            dated: None,
        };
        // Dated to the second (a notification, a cursor's own entry).
        let exact = rel(Some(D + 99), D + 100);
        assert_eq!(follows_since(&exact, Lang::En), "Since 2026-11-04");
        assert_eq!(
            when(
                Bounds {
                    after: exact.since_after,
                    by: D + 100
                },
                Lang::En
            ),
            "at 2026-11-04 00:01:40 UTC"
        );
        // Between two dates, and from the first sighting only.
        let between = rel(Some(D), D + 3 * DAY);
        assert_eq!(
            follows_since(&between, Lang::En),
            "Since 2026-11-04 – 2026-11-07"
        );
        assert_eq!(
            follows_since(&between, Lang::Fr),
            "Abonné entre le 2026-11-04 et le 2026-11-07"
        );
        assert_eq!(
            follows_since(&rel(None, D), Lang::En),
            "Seen since 2026-11-04"
        );
        assert_eq!(
            follows_since(&rel(None, D), Lang::Fr),
            "Vu depuis le 2026-11-04"
        );
    }

    #[test]
    fn spans_round_outward() {
        let s = Span {
            at_least: 3 * DAY + 5,
            at_most: Some(10 * DAY + 1),
        };
        assert_eq!(span(s, Lang::En), "3–11 days");
        assert_eq!(span(s, Lang::Fr), "3 à 11 jours");
        let open = Span {
            at_least: 9 * DAY,
            at_most: None,
        };
        assert_eq!(span(open, Lang::En), "at least 9 days");
        // A follow seen only where it ended: nothing is known of how long it lasted.
        let unknown = Span {
            at_least: 0,
            at_most: None,
        };
        assert_eq!(span(unknown, Lang::En), "an unknown time");
        assert_eq!(span(unknown, Lang::Fr), "une durée inconnue");
    }

    #[test]
    fn an_unknown_start_says_what_is_known_rather_than_at_least_zero_days() {
        let started = Bounds { after: None, by: D };
        let nothing = Span {
            at_least: 0,
            at_most: None,
        };
        let en = lasted(started, nothing, Lang::En);
        assert!(en.contains("it followed you by 2026-11-04"), "{en}");
        assert!(!en.contains("0 days"), "{en}");
        assert!(lasted(started, nothing, Lang::Fr).contains("le 2026-11-04"));
    }

    #[test]
    fn evidence_lines_name_the_other_account() {
        let line = evidence_line(
            "quick_unfollow",
            Some(D),
            Some(D + 2 * DAY),
            Some(9),
            Some("@other"),
            Lang::En,
        );
        assert_eq!(
            line,
            "Quick unfollow: between 2026-11-04 and 2026-11-06 (within 9 days) · @other"
        );
    }
}

#[cfg(test)]
mod legend_tests {
    use super::*;

    #[test]
    fn the_legend_says_every_badge_once_in_both_languages() {
        let (en, fr) = (legend(Lang::En), legend(Lang::Fr));
        assert_eq!(en.len(), Code::ALL.len() + 1);
        let keys: std::collections::BTreeSet<_> = en.iter().map(|e| e.key).collect();
        assert_eq!(keys.len(), en.len(), "each badge once");
        for (e, f) in en.iter().zip(&fr) {
            assert_eq!((e.key, e.severity), (f.key, f.severity));
            assert_ne!(e.meaning, f.meaning, "{} is translated", e.key);
            assert_eq!(e.label, label_of(e.key, Lang::En));
        }
    }

    fn label_of(key: &str, lang: Lang) -> &'static str {
        match Code::ALL.into_iter().find(|c| c.as_str() == key) {
            Some(code) => label(code, false, lang),
            None => label(Code::Unknown, true, lang),
        }
    }
}
