"""ventanas_consultas stays small: a window's first query drops the user's older windows."""

from __future__ import annotations

import sqlalchemy as sa

from adapters.sql.engine import make_engine
from adapters.sql.tables import ventanas_consultas
from adapters.sql.uow import SqlAlchemyUnitOfWork
from tests.conftest import truncate
from tests.contract.conftest import stored_user


def test_old_windows_are_dropped_when_a_new_window_starts(sql_url):
    engine = make_engine(sql_url)
    truncate(engine)
    factory = lambda: SqlAlchemyUnitOfWork(engine)  # noqa: E731
    ana = stored_user(factory)

    def hit(window: int) -> None:
        with factory() as uow:
            uow.usage.try_hit(ana, window, 5)
            uow.commit()

    def windows() -> list[int]:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(ventanas_consultas.c.minuto).order_by("minuto"))
            return [row.minuto for row in rows]

    for window in (100, 100, 101, 102):
        hit(window)
    assert windows() == [101, 102]  # 100 went when 102 began: older than the previous one
    hit(102)
    hit(102)
    assert windows() == [101, 102]
    hit(110)
    assert windows() == [110]
    engine.dispose()
