"""The list of common passwords that registration refuses (shipped, no network needed).

common-passwords.txt.gz is Django's list (BSD licence, 20 000 entries from Royce Williams'
compilation), lower-cased, one per line.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources


@cache
def load_common_passwords() -> frozenset[str]:
    data = resources.files(__package__).joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip() for line in gzip.decompress(data).decode().splitlines() if line)
