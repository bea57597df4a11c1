"""What every layer of the store shares and nothing of it imports: the mark that tells a
netinbox file from any other SQLite file, and the root of the store's errors. Kept apart so
`db`, `schema` and `migrations` all build on it without importing one another in a circle."""

from __future__ import annotations

APPLICATION_ID = 0x4E494E58  # "NINX": tells a netinbox file from any other SQLite file


class StoreError(Exception):
    """Something about the store the user must know; the message says what and what to do."""
