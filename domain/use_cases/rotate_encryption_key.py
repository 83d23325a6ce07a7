"""Re-encrypt every stored provider key under the newest ENCRYPTION_KEY, in batches.

Idempotent and restartable: each batch commits on its own, and a row already under the newest
key is simply rotated again (MultiFernet decrypts with any configured key), so running it twice
or after an interruption loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from ports.repositories import UnitOfWork
from ports.security import SecretBox


@frozen
class RotateEncryptionKey:
    """Walk api_keys by id; returns how many rows were re-encrypted."""

    uow: Callable[[], UnitOfWork]
    box: SecretBox
    batch_size: int = 200

    def __call__(self) -> int:
        last_id, done = 0, 0
        while True:
            with self.uow() as uow:
                batch = uow.api_keys.batch_after(last_id, self.batch_size)
                if not batch:
                    return done
                for key in batch:
                    key.key_ciphertext = self.box.rotate(key.key_ciphertext)
                    if key.secret_ciphertext:
                        key.secret_ciphertext = self.box.rotate(key.secret_ciphertext)
                    uow.api_keys.update(key)
                uow.commit()
            last_id = batch[-1].id or last_id
            done += len(batch)
