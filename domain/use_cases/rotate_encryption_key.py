"""Re-encrypt every stored provider key under the newest ENCRYPTION_KEY, in batches.

Idempotent and restartable: each batch commits on its own, and a row already under the newest
key is simply rotated again (MultiFernet decrypts with any configured key), so running it twice
or after an interruption loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.model.api_keys import ApiKey
from ports.repositories import UnitOfWork
from ports.security import SecretBox


@frozen
class RotationReport:
    """How many keys were re-encrypted, and the ids of those no configured key can read."""

    rotated: int
    unreadable: tuple[int, ...]


@frozen
class RotateEncryptionKey:
    """Walk api_keys by id; a row that no longer decrypts is skipped and reported, not fatal."""

    uow: Callable[[], UnitOfWork]
    box: SecretBox
    batch_size: int = 200

    def __call__(self) -> RotationReport:
        last_id, done, unreadable = 0, 0, []
        while True:
            with self.uow() as uow:
                batch = uow.api_keys.batch_after(last_id, self.batch_size)
                if not batch:
                    return RotationReport(done, tuple(unreadable))
                for key in batch:
                    if self._rotated(key):
                        uow.api_keys.update(key)
                        done += 1
                    elif key.id is not None:
                        unreadable.append(key.id)
                uow.commit()
            last_id = batch[-1].id or last_id

    def _rotated(self, key: ApiKey) -> bool:
        try:
            key.key_ciphertext = self.box.rotate(key.key_ciphertext)
            if key.secret_ciphertext:
                key.secret_ciphertext = self.box.rotate(key.secret_ciphertext)
        except ValueError:
            return False
        return True
