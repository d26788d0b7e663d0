"""The daily queue rules, driven by a fake clock across day boundaries."""

from __future__ import annotations

from datetime import datetime, timezone

from cxotutor.models import Selection
from cxotutor.srs import AGAIN, EASY, GOOD, study_day


def keys_until_empty(tutor, limit=50):
    seen = []
    for _ in range(limit):
        card = tutor.next_card()
        if card is None:
            break
        seen.append(card.key)
        tutor.rate(card.id, EASY)
    return seen


def test_new_cards_come_in_deck_order(tutor):
    assert tutor.next_card().key == "microservices-challenges"
    assert tutor.remaining() == 3


def test_new_card_limit_holds_until_the_next_study_day(tutor, clock):
    tutor.update_settings(new_per_day=2)
    introduced = keys_until_empty(tutor)
    assert introduced == ["microservices-challenges", "tech-debt"]
    assert tutor.next_card() is None
    assert tutor.today().new_available == 0

    clock.advance(hours=17, minutes=30)  # 03:30 next calendar day: still the same study day
    assert tutor.next_card() is None
    clock.advance(minutes=31)  # 04:01: a new study day
    assert tutor.next_card().key == "cfo-collaboration"


def test_day_starts_at_the_configured_hour(tutor, clock):
    moment = datetime(2026, 1, 6, 3, 59, tzinfo=timezone.utc)
    assert study_day(moment, 4, timezone.utc).isoformat() == "2026-01-05"
    assert study_day(moment, 0, timezone.utc).isoformat() == "2026-01-06"
    tutor.update_settings(day_start_hour=0)
    assert tutor.today().study_day == "2026-01-05"


def test_learning_cards_come_before_new_cards(tutor, clock):
    first = tutor.next_card()
    tutor.rate(first.id, AGAIN)  # back in a minute
    clock.advance(minutes=2)
    assert tutor.next_card().id == first.id


def test_learning_card_not_yet_due_waits_behind_new_cards(tutor, clock):
    first = tutor.next_card()
    tutor.rate(first.id, GOOD)  # next learning step in 10 minutes
    assert tutor.next_card().key == "tech-debt"


def test_learn_ahead_shows_learning_cards_when_nothing_else_is_left(tutor, clock):
    tutor.update_settings(new_per_day=1)
    first = tutor.next_card()
    tutor.rate(first.id, GOOD)  # due in 10 minutes, within the 20-minute learn-ahead
    assert tutor.next_card().id == first.id


def test_due_reviews_come_most_overdue_first(tutor, clock):
    for _ in range(3):
        card = tutor.next_card()
        tutor.rate(card.id, EASY)  # straight to review, due in days
    states = {c.key: tutor.card(c.id).due for c in map(tutor.card, [1, 2, 3])}
    assert all(due > clock.now for due in states.values())
    clock.now = max(states.values()) + (max(states.values()) - clock.now)  # everything overdue
    order = []
    for _ in range(3):
        card = tutor.next_card()
        order.append(card.due)
        tutor.rate(card.id, EASY)
    assert order == sorted(order)


def test_review_cards_due_later_today_are_shown_today(tutor, clock):
    card = tutor.next_card()
    tutor.rate(card.id, EASY)
    due = tutor.card(card.id).due
    assert due.hour == 10  # reviewed at 10:00, interval in whole days
    clock.now = due.replace(hour=7)  # same study day, three hours early
    assert tutor.next_card().id == card.id
    clock.now = due.replace(hour=3)  # 03:00 belongs to the previous study day
    assert tutor.next_card().state == "new"


def test_max_reviews_per_day_caps_review_cards(tutor, clock):
    for _ in range(3):
        card = tutor.next_card()
        tutor.rate(card.id, EASY)
    clock.advance(days=400)
    tutor.update_settings(max_reviews_per_day=1, new_per_day=0)
    card = tutor.next_card()
    assert card.state == "review"
    tutor.rate(card.id, EASY)
    assert tutor.next_card() is None
    clock.advance(days=1)
    assert tutor.next_card() is not None


def test_selection_restricts_the_queue(tutor):
    assert tutor.next_card(Selection(tags=("collaboration",))).key == "cfo-collaboration"
    assert tutor.next_card(Selection(roles=("ciso",))) is None
    assert tutor.next_card(Selection(decks=("mini",))).key == "microservices-challenges"
    assert tutor.remaining(Selection(tags=("engineering",))) == 1


def test_counts_for_today(tutor, clock):
    card = tutor.next_card()
    tutor.rate(card.id, EASY)
    today = tutor.today()
    assert (today.reviews, today.new_seen) == (1, 1)
    assert today.by_deck["mini"] == (0, 2)
    assert today.streak == 1
    clock.advance(days=1)
    assert tutor.today().streak == 1  # yesterday counts until today ends
    clock.advance(days=1)
    assert tutor.today().streak == 0
