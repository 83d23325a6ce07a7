"""Queries whose worker died stay pendiente/procesando: mark them error `abandonada`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from attrs import frozen

from domain.model.queries import ABANDON_MARGIN, abandoned_before
from ports.clock import Clock
from ports.repositories import UnitOfWork


@frozen
class SweepAbandonedQueries:
    """Run at start-up and then periodically in each worker (climaguru.sweeper); returns how
    many queries were abandoned. Listings show stale rows as abandoned meanwhile (`cutoff`)."""

    uow: Callable[[], UnitOfWork]
    clock: Clock
    deadline: float
    margin: float = ABANDON_MARGIN

    def __call__(self) -> int:
        now = self.clock()
        with self.uow() as uow:
            count = uow.queries.abandon_stale(self.cutoff(now), now)
            uow.commit()
        return count

    def cutoff(self, now: datetime) -> datetime:
        """Unfinished queries created before this instant are abandoned."""
        return abandoned_before(now, self.deadline, self.margin)
