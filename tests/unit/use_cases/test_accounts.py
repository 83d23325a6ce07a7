"""User administration, the audit log, favourites, API keys and key rotation, called directly."""

from __future__ import annotations

import pytest

from domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from domain.model.api_keys import ProbeOutcome
from domain.model.consensus import Reason
from domain.model.paging import NOT_GIVEN
from domain.model.users import Role
from domain.use_cases.activity_log import ActivityLogCommand
from domain.use_cases.manage_api_keys import ApiKeyCommand
from domain.use_cases.manage_favorites import FavoriteCommand
from domain.use_cases.manage_users import CreateUserCommand, ListUsersCommand, UpdateUserCommand
from tests.fakes import FakeProvider
from tests.unit.use_cases.conftest import CLIENT, PASSWORD


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(world):
    admin = world.user("jefa", Role.ADMIN)
    with pytest.raises(Conflict) as caught:
        world.users.update(UpdateUserCommand(admin, admin.user_id, role="operario"))
    assert caught.value.code == "ultimo_administrador"
    with pytest.raises(Conflict):
        world.users.deactivate(admin, admin.user_id, CLIENT)
    second = world.user("segunda", Role.ADMIN)
    demoted = world.users.update(UpdateUserCommand(admin, second.user_id, role="consultor"))
    assert demoted.role is Role.VIEWER


def test_an_update_changes_only_what_was_sent_and_audits_the_changes(world):
    admin = world.user("jefa", Role.ADMIN)
    ana = world.user("ana")
    cmd = UpdateUserCommand(admin, ana.user_id, active=False, full_name=None, client=CLIENT)
    user = world.users.update(cmd)
    assert (user.active, user.full_name, user.role) == (False, None, Role.OPERATOR)
    entry = world.store.activity[-1]
    assert entry.action == "usuario_actualizado" and entry.user_id == admin.user_id
    assert entry.detail == {"user_id": ana.user_id, "changes": {"active": False, "full_name": None}}
    with pytest.raises(ValidationError) as caught:
        world.users.update(UpdateUserCommand(admin, ana.user_id))
    assert caught.value.details == {"cuerpo": "vacio"}
    with pytest.raises(ValidationError):
        world.users.update(UpdateUserCommand(admin, ana.user_id, active="sí"))


def test_deactivating_revokes_every_session(world):
    admin = world.user("jefa", Role.ADMIN)
    ana = world.user("ana")
    world.users.deactivate(admin, ana.user_id, CLIENT)
    with world.uow() as uow:
        assert uow.tokens.family_revoked("fam-ana")
        assert uow.users.get(ana.user_id).active is False


def test_admin_lists_filters_creates_and_reads_users(world):
    admin = world.user("jefa", Role.ADMIN)
    world.user("ana")
    page = world.users.list(ListUsersCommand(admin, role="operario", per_page="1"))
    assert [u.username for u in page.items] == ["ana"] and page.pages == 1
    assert world.users.list(ListUsersCommand(admin, text="JEF", active="true")).total == 1
    created = world.users.create(
        CreateUserCommand(admin, "nuevo", "nuevo@ejemplo.co", PASSWORD, "consultor")
    )
    assert world.users.get(admin, created.id).role is Role.VIEWER
    assert world.store.activity[-1].action == "usuario_creado"
    with pytest.raises(NotFound):
        world.users.get(admin, 999)
    with pytest.raises(ValidationError):
        world.users.list(ListUsersCommand(admin, role="rey"))
    with pytest.raises(PermissionDenied):
        world.users.list(ListUsersCommand(world.user("x")))


def test_activity_log_own_entries_for_everyone_all_for_admins(world):
    admin = world.user("jefa", Role.ADMIN)
    ana = world.user("ana")
    world.users.deactivate(admin, ana.user_id, CLIENT)
    assert world.activity.own(ActivityLogCommand(ana)).total == 0
    assert world.activity.all(ActivityLogCommand(admin, user=str(admin.user_id))).total == 1
    found = world.activity.all(ActivityLogCommand(admin, action="usuario_desactivado"))
    assert [e.action for e in found.items] == ["usuario_desactivado"]
    with pytest.raises(ValidationError):
        world.activity.all(ActivityLogCommand(admin, action="x" * 51))
    with pytest.raises(PermissionDenied):
        world.activity.all(ActivityLogCommand(ana))


def test_favourites_keep_one_default_and_others_ids_do_not_exist(world):
    ana, luis = world.user("ana"), world.user("luis")
    first = world.favorites.create(FavoriteCommand(ana, "Bogotá", 4.6, -74.1, is_default=True))
    second = world.favorites.create(FavoriteCommand(ana, "Cali", 3.4, -76.5, is_default=True))
    defaults = [f.name for f in world.favorites.list(ana) if f.is_default]
    assert defaults == ["Cali"]
    moved = world.favorites.update(FavoriteCommand(ana, name="Santafé"), first.id)
    assert (moved.name, moved.location.latitude) == ("Santafé", 4.6)
    with pytest.raises(NotFound):
        world.favorites.delete(luis, second.id)
    with pytest.raises(ValidationError):
        world.favorites.create(FavoriteCommand(ana, "Sin coordenadas"))
    world.favorites.delete(ana, second.id)
    assert [f.id for f in world.favorites.list(ana)] == [first.id]


def test_api_keys_are_encrypted_masked_and_only_their_owners(world):
    world.providers["owm"] = FakeProvider("owm", {"temperatura": 1.0}, needs_key=True)
    ana, luis = world.user("ana"), world.user("luis")
    view = world.keys.create(ApiKeyCommand(ana, "owm", "secreto-1234", client=CLIENT))
    assert (view.mask, view.used_today, view.key.daily_limit) == ("****1234", 0, 1000)
    assert world.store.api_keys[view.key.id].key_ciphertext == "enc:secreto-1234"
    changed = world.keys.update(ApiKeyCommand(ana, daily_limit=5, active=False), view.key.id)
    assert (changed.key.daily_limit, changed.key.active) == (5, False)
    with pytest.raises(ValidationError) as caught:
        world.keys.update(ApiKeyCommand(ana, provider="a"), view.key.id)
    assert caught.value.details == {"proveedor": "campo_no_permitido"}
    with pytest.raises(ValidationError):
        world.keys.create(ApiKeyCommand(ana, "a", "x"))  # a provider without keys
    with pytest.raises(NotFound):
        world.keys.get(luis, view.key.id)
    world.keys.delete(ana, view.key.id, CLIENT)
    assert world.keys.list(ana) == []
    assert world.actions()[-3:] == ["api_key_creada", "api_key_actualizada", "api_key_eliminada"]


@pytest.mark.parametrize(
    ("fail", "expected", "code"),
    [
        (None, ProbeOutcome.VALID, None),
        ((Reason.INVALID_KEY, "clave_rechazada"), ProbeOutcome.INVALID, "clave_rechazada"),
        ((Reason.INVALID_KEY, "sin_acceso_al_plan"), ProbeOutcome.PLAN_WITHOUT_ACCESS, None),
        ((Reason.TIMEOUT, "lento"), ProbeOutcome.UNVERIFIABLE, "lento"),
    ],
)
def test_probing_a_key_says_what_the_provider_said(world, fail, expected, code):
    world.providers["owm"] = FakeProvider("owm", {"temperatura": 1.0}, needs_key=True, fail=fail)
    ana = world.user("ana")
    view = world.keys.create(ApiKeyCommand(ana, "owm", "secreto-1234"))
    result = world.keys.probe(ana, view.key.id, CLIENT)
    assert result.outcome is expected
    assert result.code == (code or (fail[1] if fail else None))
    assert world.store.activity[-1].detail["result"] == expected.value


def test_rotation_re_encrypts_every_key_in_batches_and_a_lost_key_is_unverifiable(world):
    world.providers["owm"] = FakeProvider("owm", needs_key=True)
    world.providers["mb"] = FakeProvider("mb", needs_key=True)
    world.providers["ms"] = FakeProvider("ms", needs_key=True)
    ana = world.user("ana")
    ids = [world.keys.create(ApiKeyCommand(ana, p, f"k-{p}-99")).key.id for p in ("owm", "mb")]
    lost = world.keys.create(ApiKeyCommand(ana, "ms", "perdida", api_secret=NOT_GIVEN)).key.id
    assert world.rotate().rotated == 3
    assert [world.store.api_keys[i].key_ciphertext for i in ids] == ["enc:k-owm-99", "enc:k-mb-99"]
    world.store.api_keys[lost].key_ciphertext = "old:perdida"  # under a key no longer held
    result = world.keys.probe(ana, lost, CLIENT)
    assert (result.outcome, result.code) == (ProbeOutcome.UNVERIFIABLE, "clave_no_descifrable")
