#!/usr/bin/env python3
"""Writes the derived captures for dated follows (run from this folder).

- NotificationsTimeline.DERIVED-from-twitterts-type.json: a NotificationsTimeline
  answer in the shape of the type generated from a real one
  (tests/fixtures/x-notifications/), around real user objects taken from
  tests/fixtures/x-graphql/2026-08-07_followers.json: one "followed you" naming one
  account (timestamp in milliseconds), one grouped ("… and 3 others"), one like
  (not a follow), one "followed you" whose timestamp is an ISO date; the named
  followers' `relationship_perspectives.followed_by` set to true, as the viewer's
  own notifications show them.
- 2025-03-07_following.DERIVED-cursor-3-days-before.json: XDevelopers' real
  Following page with its Bottom cursor's time moved to 2025-03-04T12:00:00Z
  (three days before the page is captured in the tests: 60 follows since then).
- 2025-03-07_user_by_login.DERIVED-following-500.json and -560.json: the real
  profile with its following count set.
"""
import json, os

FIX = os.path.join(os.path.dirname(__file__), '../../../../../tests/fixtures/x-graphql')

def load(name):
    with open(os.path.join(FIX, name)) as f:
        return json.load(f)

def dump(name, doc):
    with open(name, 'w') as f:
        json.dump(doc, f, separators=(',', ':'), ensure_ascii=False)

def walk(o, visit):
    """Calls visit on every object of a JSON document, depth first."""
    if isinstance(o, dict):
        visit(o)
        for v in o.values():
            walk(v, visit)
    elif isinstance(o, list):
        for v in o:
            walk(v, visit)

def users(doc):
    out = []
    def visit(o):
        r = o.get('user_results', {}).get('result')
        if isinstance(r, dict) and r.get('__typename') == 'User':
            out.append(r)
    walk(doc, visit)
    return out

def name_of(u):
    return (u.get('core') or {}).get('name') or (u.get('legacy') or {}).get('name')

def item(n, icon, element, people, text, ts):
    return {
        'content': {
            '__typename': 'TimelineTimelineItem',
            'clientEventInfo': {
                'component': 'urt', 'element': element,
                'details': {'notificationDetails': {'impressionId': 'derived-%d' % n, 'metadata': ''}},
            },
            'entryType': 'TimelineTimelineItem',
            'itemContent': {
                '__typename': 'TimelineNotification', 'id': 'derived-%d' % n,
                'itemType': 'TimelineNotification', 'notification_icon': icon,
                'notification_url': {'url': 'https://x.com/i/timeline?page=followers', 'urlType': 'ExternalUrl'},
                'rich_message': {'entities': [], 'rtl': False, 'text': text},
                'template': {
                    '__typename': 'TimelineNotificationAggregateUserActions',
                    'from_users': [{'__typename': 'TimelineNotificationUserRef', 'user_results': {'result': u}} for u in people],
                    'target_objects': [],
                },
                'timestamp_ms': ts,
            },
        },
        'entryId': 'notification-derived-%d' % n,
        'sortIndex': str(1900000000000000000 - n),
    }

def notifications():
    people = users(load('2026-08-07_followers.json'))
    a, b, c, d, e = people[20:25]
    # As the viewer's own notifications would show them: its followers follow it.
    for u in (a, b, c, e):
        u.setdefault('relationship_perspectives', {})['followed_by'] = True
    entries = [
        item(1, 'person_icon', 'users_followed_you', [a], '%s followed you' % name_of(a), '1795000000123'),
        item(2, 'person_icon', 'users_followed_you', [b, c], '%s and 3 others followed you' % name_of(b), '1795100000000'),
        item(3, 'heart_icon', 'user_liked_tweet', [d], '%s liked your post' % name_of(d), '1795200000000'),
        item(4, 'person_icon', 'users_followed_you', [e], '%s followed you' % name_of(e), '2026-11-20T08:30:00.000Z'),
        {'content': {'__typename': 'TimelineTimelineCursor', 'cursorType': 'Top', 'entryType': 'TimelineTimelineCursor', 'value': 'DAABCgABGU-derived-top'}, 'entryId': 'cursor-top-derived', 'sortIndex': '1900000000000000001'},
    ]
    return {'data': {'viewer_v2': {'user_results': {'result': {
        '__typename': 'User', 'rest_id': '900000000000000001',
        'notification_timeline': {'id': 'derived', 'timeline': {'instructions': [
            {'type': 'TimelineClearCache'},
            {'type': 'TimelineAddEntries', 'entries': entries},
        ]}},
    }}}}}

def following_cursor_moved():
    doc = load('2025-03-07_following.json')
    at_ms = 1741089600000  # 2025-03-04T12:00:00Z
    def visit(o):
        if o.get('cursorType') == 'Bottom':
            low = int(o['value'].split('|')[0]) & ((1 << 20) - 1)
            o['value'] = '%d|%s' % ((at_ms << 20) | low, o['value'].split('|')[1])
    walk(doc, visit)
    return doc

def profile_with_following(n):
    doc = load('2025-03-07_user_by_login.json')
    doc['data']['user']['result']['legacy']['friends_count'] = n
    return doc

dump('NotificationsTimeline.DERIVED-from-twitterts-type.json', notifications())
dump('2025-03-07_following.DERIVED-cursor-3-days-before.json', following_cursor_moved())
dump('2025-03-07_user_by_login.DERIVED-following-500.json', profile_with_following(500))
dump('2025-03-07_user_by_login.DERIVED-following-560.json', profile_with_following(560))
