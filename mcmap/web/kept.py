"""Reports and mappings kept for a while after their page was shown, so they can be downloaded.

Only the documents mcmap made are kept (never the uploaded files), in memory, under a random
token, for `ttl` seconds; the oldest go first when more than `size` are kept.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict


class Kept:
    def __init__(self, size: int = 64, ttl: float = 3600):
        self.size, self.ttl = size, ttl
        self._items: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, value: dict) -> str:
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._items[token] = (time.monotonic(), value)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> dict | None:
        with self._lock:
            item = self._items.get(token)
            if item is None:
                return None
            if time.monotonic() - item[0] > self.ttl:
                del self._items[token]
                return None
            return item[1]
