"""The one fixture every contract test runs on: memory, SQLite and MariaDB units of work."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.memory.store import MemoryStore
from adapters.memory.uow import InMemoryUnitOfWork
from adapters.sql.engine import make_engine
from adapters.sql.uow import SqlAlchemyUnitOfWork
from domain.model.users import Role, User

T0 = datetime(2026, 5, 4, 10, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(params=["memory", "sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def uow_factory(request):
    if request.param == "memory":
        store = MemoryStore()
        yield lambda: InMemoryUnitOfWork(store)
        return
    if request.param == "sqlite":
        engine = make_engine(request.getfixturevalue("sqlite_url"))
    else:
        engine = request.getfixturevalue("mysql_engine")
    yield lambda: SqlAlchemyUnitOfWork(engine)
    engine.dispose()


def new_user(name: str = "Ana_Rios", email: str = "ana@ejemplo.co") -> User:
    return User(
        id=None,
        username=name,
        email=email,
        password_hash="$2b$04$hash",
        role=Role.OPERATOR,
        active=True,
        created_at=T0,
        full_name="Ana Ríos ñandú 🌧",
    )


def stored_user(uow_factory, name: str = "Ana_Rios", email: str = "ana@ejemplo.co") -> int:
    """A committed user's id."""
    with uow_factory() as uow:
        user = uow.users.add(new_user(name, email))
        uow.commit()
    return user.id
