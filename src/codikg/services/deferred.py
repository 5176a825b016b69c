"""Release resources loaded on first use, and warmed up once the server listens.

``codikg serve`` must answer within two seconds of starting (issue 7), on any
size of store. The search index (about 1 s to analyse its labels), the Thai
word dictionary (about 0.6 s), the catalog graph and the vocabulary graphs
(rdflib parses, about 0.25 s each) are needed only by a few routes, so the app
holds them as :class:`Deferred` values. :func:`warm_up` loads them in a
background thread after start-up; a request that comes first loads what it
needs itself (routes that use them are sync, so this runs in Starlette's
thread pool, never on the event loop).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")
_log = logging.getLogger("codikg.web")


class Deferred(Generic[T]):
    """A value computed by ``load()`` at the first :meth:`get`, once, thread-safely.

    Args:
        name: what the value is, for the log (``"search index"``).
        load: a callable with no arguments that returns the value.

    A ``load`` that raises is not cached: the next :meth:`get` tries again and
    raises again, so a broken file keeps giving its own error message.
    """

    def __init__(self, name: str, load: Callable[[], T]):
        self.name, self._load = name, load
        self._lock = threading.Lock()
        self._loaded = False
        self._value: T | None = None

    def get(self) -> T:
        """The value, loading it first if no call did yet.

        Raises:
            Whatever ``load`` raises.
        """
        if self._loaded:
            return self._value  # type: ignore[return-value]
        with self._lock:
            if not self._loaded:
                self._value = self._load()
                self._loaded = True
        return self._value  # type: ignore[return-value]

    @property
    def loaded(self) -> bool:
        """Whether the value is loaded (for tests and the warm-up)."""
        return self._loaded


def warm_up(values: Iterable[Deferred], extra: Iterable[Callable[[], object]] = ()) -> threading.Thread:
    """Load ``values`` and run ``extra`` callables in one background (daemon) thread.

    A failure is logged with the value's name and left for the route that needs
    it to report; the other values still load.

    Returns:
        The started thread.
    """
    values, extra = list(values), list(extra)

    def run() -> None:
        for value in values:
            try:
                value.get()
            except Exception:  # noqa: BLE001 - the route that needs it raises it again, to its client
                _log.exception("loading the %s failed", value.name)
        for call in extra:
            try:
                call()
            except Exception:  # noqa: BLE001 - as above: the first search raises it
                _log.exception("warm-up step %r failed", call)

    thread = threading.Thread(target=run, name="codikg-warm-up", daemon=True)
    thread.start()
    return thread
