"""ParsedAnswers: kept only for answers from the cache, by stored identity and key, bounded."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from adapters.providers.parsed_answers import MISSING, Parse, ParsedAnswers

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def stored(key: str, created: datetime = WHEN, from_cache: bool = True) -> SimpleNamespace:
    return SimpleNamespace(from_cache=from_cache, cache_key=key, created_at=created, expires=None)


def test_kept_by_stored_identity_and_key_and_shared_as_copies():
    memo, parse = ParsedAnswers(), Parse("k", lambda body: [body], share=list)
    first = memo.keep(stored("a"), parse, 1)
    assert first == [1] and memo.lookup(stored("a"), parse) == [1]
    assert memo.lookup(stored("a"), parse) is not memo.lookup(stored("a"), parse)
    assert memo.lookup(stored("a", datetime(2026, 1, 2, tzinfo=UTC)), parse) is MISSING
    assert memo.lookup(stored("b"), parse) is MISSING
    assert memo.lookup(stored("a"), Parse("otra", lambda body: body)) is MISSING


def test_answers_not_from_the_cache_are_never_kept():
    memo, parse = ParsedAnswers(), Parse("k", lambda body: body * 2)
    assert memo.keep(stored("a", from_cache=False), parse, 2) == 4
    assert memo.lookup(stored("a", from_cache=False), parse) is MISSING and len(memo) == 0


def test_at_most_size_results_least_recently_used_out():
    memo, parse = ParsedAnswers(size=2), Parse("k", lambda body: body)
    for name in "abc":
        memo.keep(stored(name), parse, name)
    assert len(memo) == 2 and memo.lookup(stored("a"), parse) is MISSING
    assert memo.lookup(stored("c"), parse) == "c"
    memo.forget(stored("c"))
    assert memo.lookup(stored("c"), parse) is MISSING and len(memo) == 1
