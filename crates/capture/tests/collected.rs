//! What the browser may keep, as properties: only x.com's and twitter.com's own
//! API, only the listed operations, whatever else a URL carries.

use proptest::prelude::*;
use reciprocity_capture::collected;
use reciprocity_capture::graphql::{LISTS, PROFILES, SIGHTINGS};

fn listed() -> Vec<&'static str> {
    LISTS
        .iter()
        .map(|(op, _, _)| *op)
        .chain(PROFILES.iter().copied())
        .chain(SIGHTINGS.iter().copied())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn an_operation_off_the_list_is_never_collected(op in "[A-Za-z]{1,30}", qid in "[A-Za-z0-9_-]{1,24}", query in "[ -~]{0,80}") {
        prop_assume!(!listed().contains(&op.as_str()));
        let url = format!("https://x.com/i/api/graphql/{qid}/{op}?{query}");
        prop_assert!(!collected(&url));
    }

    #[test]
    fn a_listed_operation_is_collected_only_from_x_itself(
        i in 0usize..100, host in "[a-z0-9.-]{1,30}", query in "[!-~]{0,80}",
    ) {
        let ops = listed();
        let op = ops[i % ops.len()];
        let own = ["x.com", "twitter.com", "api.x.com", "api.twitter.com"].contains(&host.as_str());
        let url = format!("https://{host}/i/api/graphql/q/{op}?{query}");
        prop_assert_eq!(collected(&url), own);
    }
}

#[test]
fn list_pages_are_the_readers_lists_and_nothing_else() {
    use reciprocity_capture::is_list_page;
    let gql = |op: &str| format!("https://x.com/i/api/graphql/abc/{op}?variables=%7B%7D");
    for (op, _, _) in reciprocity_capture::graphql::LISTS {
        assert!(is_list_page(&gql(op)), "{op}");
    }
    assert!(is_list_page(&gql("VerifiedFollowers")));
    assert!(is_list_page(
        "https://x.com/i/api/1.1/followers/ids.json?user_id=1"
    ));
    assert!(is_list_page(
        "https://api.twitter.com/1.1/friends/ids.json?user_id=1"
    ));
    assert!(!is_list_page(&gql("UserByScreenName")));
    assert!(!is_list_page(&gql("CreateTweet")));
    assert!(!is_list_page(
        "https://example.org/i/api/graphql/abc/Followers"
    ));
    assert!(!is_list_page("blob:https://x.com/0b7e8a5c"));
}
