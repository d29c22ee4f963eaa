"""Bounds on every search: length, count and wall-clock time, and how an answer says it was cut.

Simple paths and cycles grow factorially with the graph (a complete graph of 12 factors holds
over a billion simple paths), so every search here stops at a length, a count and a time, and
its answer carries ``truncated`` and a ``reason`` a person can act on.
"""

from __future__ import annotations

import time

__all__ = ["DEFAULT_SECONDS", "Clock", "reasons"]

#: Wall-clock budget of one search, in seconds (``--timeout``).
DEFAULT_SECONDS = 1.0


class Clock:
    """A deadline that is cheap to ask about in a tight loop (it reads the time every 256 asks).

    >>> clock = Clock(0.0)
    >>> any(clock.out() for _ in range(300))
    True
    >>> Clock(60.0).out()
    False
    """

    __slots__ = ("_asks", "_end", "expired", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self._asks = 0
        self.expired = False

    def check(self) -> bool:
        """True once the time is up, reading the time now: for loops whose every turn is costly."""
        if not self.expired and time.monotonic() > self._end:
            self.expired = True
        return self.expired

    def out(self) -> bool:
        """True once the time is up (and from then on); reads the time every 256 asks."""
        if self.expired:
            return True
        self._asks += 1
        if self._asks & 255 == 0 and time.monotonic() > self._end:
            self.expired = True
        return self.expired


def reasons(*parts: str | None) -> str | None:
    """The reasons a search was cut, joined; None when it was not cut.

    >>> reasons(None, "stopped at --limit 5")
    'stopped at --limit 5'
    >>> reasons(None, None) is None
    True
    """
    found = [p for p in parts if p]
    return "; ".join(found) if found else None
