"""One SPARQL query run the way the endpoint runs it: in a worker process, under a time limit.

pyoxigraph cannot interrupt a running query; a worker process
(:class:`codikg.store.pool.QueryPool`) can be killed, so a time limit or Ctrl-C
really stops the query, whatever it is doing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from codikg.store.pool import QueryPool

#: A result limit no answer reaches: the command line takes whole answers.
NO_RESULT_LIMIT = 2 ** 62


def run_query(files: list[Path], text: str, media_types: dict[str, str], time_limit: float) -> tuple[dict, bytes]:
    """Load ``files`` into a fresh worker, run ``text`` there and return its answer.

    Args:
        files: the TriG files of the release (:func:`codikg.release.layout.store_files`).
        text: the query (already checked by :func:`codikg.sparql.policy.check_query`).
        media_types: ``{"results": …, "boolean": …, "graph": …}``, the media type
            each kind of answer is serialised in (see :mod:`codikg.store.worker`).
        time_limit: seconds the query may run (loading the release is not counted).

    Returns:
        the worker's response header (``status`` 200, 400 for a syntax error,
        500 for an evaluation error, with a ``message``) and body.

    Raises:
        codikg.store.pool.QueryTimeout: the query ran past ``time_limit``; it was stopped.
        codikg.store.pool.WorkerFailed: the worker died (e.g. out of memory).
        KeyboardInterrupt: Ctrl-C; the worker is killed before this propagates.
    """
    pool = QueryPool(files, 1)
    header = {"op": "query", "limit": NO_RESULT_LIMIT, **media_types}
    try:
        return asyncio.run(pool.execute(header, text.encode("utf-8"), time_limit, wait_limit=time_limit))
    finally:
        pool.close()
