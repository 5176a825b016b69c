"""Stop work for a client that has gone.

Starlette does not cancel an endpoint when its client disconnects: a query
would hold its worker to the time limit for nobody. :func:`unless_disconnected`
races the work against the ASGI ``http.disconnect`` message and cancels the
work when the client leaves first (the worker pool then kills the worker).
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, TypeVar

from starlette.requests import Request

T = TypeVar("T")


class ClientGone(Exception):
    """The client disconnected before its answer was ready; the work was cancelled."""


async def _disconnect(request: Request) -> None:
    # Call only once the body has been read: the messages left are the end of
    # an (empty) body and then, when the connection closes, http.disconnect.
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def unless_disconnected(request: Request, work: Awaitable[T]) -> T:
    """The result of ``work`` (a coroutine), unless the client of ``request`` disconnects first.

    Call it only after the request body has been read whole.

    Raises:
        ClientGone: the client left; ``work`` was cancelled and has ended.
        Whatever ``work`` raises.
    """
    task = asyncio.ensure_future(work)
    watch = asyncio.ensure_future(_disconnect(request))
    try:
        await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            return task.result()
        task.cancel()
        await asyncio.wait({task})  # let its clean-up (killing the worker) run now
        if not task.cancelled():
            task.exception()  # nobody is left to tell
        raise ClientGone("the client disconnected; its request was stopped")
    finally:
        for pending in (task, watch):
            if not pending.done():
                pending.cancel()
