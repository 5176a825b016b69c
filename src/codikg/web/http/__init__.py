"""The HTTP layer every route shares.

- :mod:`~codikg.web.http.negotiation`: the answer's format (``format=``, then
  ``Accept``) and the one 406 rule, over the registry :mod:`codikg.sparql.formats`;
- :mod:`~codikg.web.http.conditional`: validators and 304 (RFC 9110 §13);
- :mod:`~codikg.web.http.errors`: errors as ``text/plain``;
- :mod:`~codikg.web.http.paths`: IRIs under the base as paths on this server;
- :mod:`~codikg.web.http.server`: the HTTP/1.1 protocol ``codikg serve`` runs
  (header size, time-outs, connection cap).

CORS, HEAD, OPTIONS and gzip are middleware (:mod:`codikg.web.middleware`).
"""
