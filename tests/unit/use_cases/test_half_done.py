"""Issue 12.7: a rotation that meets an unreadable key skips it; a probe never uses the cache."""

from __future__ import annotations

from domain.model.paging import NOT_GIVEN
from domain.use_cases.manage_api_keys import ApiKeyCommand
from tests.fakes import FakeProvider
from tests.unit.use_cases.conftest import CLIENT


def test_rotation_skips_and_reports_a_key_that_no_longer_decrypts(world):
    for name in ("owm", "mb", "ms"):
        world.providers[name] = FakeProvider(name, needs_key=True)
    ana = world.user("ana")
    ids = [
        world.keys.create(ApiKeyCommand(ana, p, f"k-{p}-99", api_secret=NOT_GIVEN)).key.id
        for p in ("owm", "mb", "ms")
    ]
    world.store.api_keys[ids[1]].key_ciphertext = "old:perdida"  # under a key no longer held
    report = world.rotate()
    assert (report.rotated, report.unreadable) == (2, (ids[1],))
    assert world.store.api_keys[ids[2]].key_ciphertext == "enc:k-ms-99"  # the walk went on
    assert world.store.api_keys[ids[1]].key_ciphertext == "old:perdida"  # left as it was


def test_a_probe_asks_for_a_real_call(world):
    world.providers["owm"] = FakeProvider("owm", {"temperatura": 1.0}, needs_key=True)
    ana = world.user("ana")
    view = world.keys.create(ApiKeyCommand(ana, "owm", "secreto-1234"))
    world.keys.probe(ana, view.key.id, CLIENT)
    (_, credentials), *_ = world.providers["owm"].calls
    assert credentials.fresh
