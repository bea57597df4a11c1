"""A child process that holds the instance lock until it is killed (or stdin closes)."""

from __future__ import annotations

import sys

from netinbox.store import Store

store = Store(sys.argv[1], lock=True)
print("locked", flush=True)
sys.stdin.read()
