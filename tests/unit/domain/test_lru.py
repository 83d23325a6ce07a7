"""domain.model.lru.Lru: the least recently used entry leaves first."""

from __future__ import annotations

from domain.model.lru import Lru


def test_a_read_keeps_an_entry_and_the_oldest_unread_one_leaves():
    lru: Lru[str, int] = Lru(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "a" is now the most recently used
    lru.put("c", 3)
    assert (lru.get("a"), lru.get("b", "fuera"), lru.get("c")) == (1, "fuera", 3)
    assert len(lru) == 2


def test_entries_are_discarded_by_key_and_value():
    lru: Lru[str, int] = Lru(8)
    for n, key in enumerate("abcd"):
        lru.put(key, n)
    lru.discard_where(lambda key, value: key == "a" or value == 2)
    assert [lru.get(k) for k in "abcd"] == [None, 1, None, 3]
    lru.clear()
    assert len(lru) == 0
