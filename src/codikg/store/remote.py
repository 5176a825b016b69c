"""A remote SPARQL 1.1 store (Oxigraph server, Virtuoso, Fuseki, GraphDB, Neptune).

Reached by the SPARQL 1.1 Protocol (query and update endpoints,
https://www.w3.org/TR/sparql11-protocol/) and the SPARQL 1.1 Graph Store HTTP
Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) through httpx.
Answers are parsed with pyoxigraph's parsers into the same result types the
embedded store returns (see :mod:`codikg.store.protocol`).

The release's named graphs are sent with every query that does not name its
own dataset, as ``default-graph-uri`` *and* ``named-graph-uri``: the default
graph is then their merge and ``GRAPH ?g`` ranges over them, exactly as in
:class:`codikg.store.EmbeddedStore`, whatever the store's own
"union default graph" setting (Oxigraph's ``--union-default-graph`` would
make it ignore ``FROM``; Virtuoso's default graph also holds its system
graphs). A query that names its dataset (``FROM``/``FROM NAMED`` or the
protocol parameters) gets only the release's graphs among those it names, sent
as protocol parameters (which override ``FROM``, SPARQL 1.1 Protocol §2.1.4):
a store shared with other data never shows that data through codikg, and a
graph outside the release is empty, as in the embedded store.

Engine differences handled here (``dialect="virtuoso"``, detected from the
``Server`` header): Virtuoso answers ``ASK`` as a one-row ``SELECT`` of
``?__ASK_RETVAL`` (turned back into a boolean for every dialect), and its
default ``DESCRIBE`` adds triples about the resource from elsewhere (13
instead of Oxigraph's 11 for an indicator; its ``CBD`` mode adds the
``rdf:Statement`` reifications too): we ask for
``define sql:describe-mode "SPO"``, the resource's own triples, which is what
Oxigraph returns. Language tags come back lower-cased from Virtuoso, as
pyoxigraph normalises them too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from codikg.sparql.formats import (JSON_LD, N_QUADS, N_TRIPLES, RDF_XML, RESULTS_JSON, RESULTS_TSV,
                                   RESULTS_XML, TURTLE)
from codikg.store.protocol import StoreFailed, StoreTimeout, StoreUnavailable, StoreUnsupported
from codikg.sparql.policy import check_query
from codikg.sparql.binding import bind_variables, term_text, values_clause
from codikg.sparql.query_text import dataset_clauses, declares_dataset, query_form
from codikg.sparql.texts import query_text

# What a store may answer in (CSV loses the terms' kinds, so it is never asked for).
_RESULTS = {fmt.media_type: fmt.oxigraph for fmt in (RESULTS_JSON, RESULTS_XML, RESULTS_TSV)}
_GRAPHS = {media_type: fmt.oxigraph for fmt in (N_TRIPLES, TURTLE, RDF_XML, N_QUADS, JSON_LD)
           for media_type in (fmt.media_types if fmt is N_TRIPLES else (fmt.media_type,))}
_ACCEPT = {"SELECT": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
           "ASK": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
           "CONSTRUCT": "application/n-triples, text/turtle;q=0.9",
           "DESCRIBE": "application/n-triples, text/turtle;q=0.9"}
_ANY = ", ".join(list(_RESULTS) + ["application/n-triples", "text/turtle;q=0.9"])
# Transport errors after which the request surely never reached the store.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)
# Errors that may happen after a request was sent: retried only for reads.
_BROKEN = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
# A graph IRI no release uses: sent when a query names only graphs outside the
# release, so that its dataset is empty (an empty parameter list would mean
# "the store's own dataset").
NO_GRAPH = "urn:x-codikg:no-graph"
# Error positions (Oxigraph "at 2:10", Virtuoso "line 2") in a store's message.
_POSITION = re.compile(r"\b(at |line )(\d+)(?=[:\s,.)]|$)")
# Functions only the embedded store has (codikg.sparql.functions).
_EMBEDDED_ONLY = re.compile(r"textMatch\b")


@dataclass(frozen=True)
class Endpoints:
    """Where a remote store answers.

    Attributes:
        query: SPARQL 1.1 query endpoint URL.
        update: SPARQL 1.1 update endpoint URL (``None``: read-only use).
        gsp: Graph Store Protocol endpoint URL (``None``: read-only use).
    """

    query: str
    update: str | None = None
    gsp: str | None = None

    @classmethod
    def from_url(cls, url: str, update: str | None = None, gsp: str | None = None) -> "Endpoints":
        """Endpoints from a query endpoint URL; the others are derived when not given.

        Known layouts: ``…/query`` → ``…/update`` and ``…/store`` (Oxigraph
        server); ``…/sparql`` → ``…/sparql`` and ``…/sparql-graph-crud``
        (Virtuoso). Anything else needs ``update``/``gsp`` explicitly for writing.

        Raises:
            ValueError: ``url`` is not an absolute http(s) URL.
        """
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"store URL must be an http(s) URL, not {url!r}")
        stem, _, last = url.rstrip("/").rpartition("/")
        derived = {"query": (f"{stem}/update", f"{stem}/store"),
                   "sparql": (f"{stem}/sparql", f"{stem}/sparql-graph-crud")}.get(last, (None, None))
        return cls(url, update or derived[0], gsp or derived[1])


def make_auth(user: str | None = None, password: str | None = None, token: str | None = None,
              scheme: str = "basic") -> httpx.Auth | None:
    """HTTP authentication for the store: a bearer ``token``, or ``user``/``password``.

    Args:
        scheme: ``basic`` (RFC 7617) or ``digest`` (RFC 7616, e.g. Virtuoso's
            ``/sparql-auth`` and ``/sparql-graph-crud-auth``); ignored with a token.

    Raises:
        ValueError: both a token and a user are given, a user without a
            password, or an unknown scheme.
    """
    if token and user:
        raise ValueError("give either a bearer token or a user and password for the store, not both")
    if token:
        return _Bearer(token)
    if user is None:
        return None
    if password is None:
        raise ValueError(f"store user {user!r} has no password (set CODIKG_STORE_PASSWORD)")
    if scheme == "basic":
        return httpx.BasicAuth(user, password)
    if scheme == "digest":
        return httpx.DigestAuth(user, password)
    raise ValueError(f"store auth scheme must be basic or digest, not {scheme!r}")


class _Bearer(httpx.Auth):
    def __init__(self, token: str):
        self._header = f"Bearer {token}"

    def auth_flow(self, request):
        request.headers["Authorization"] = self._header
        yield request


class RemoteStore:
    """A SPARQL 1.1 store over HTTP holding a release (implements :class:`codikg.store.Store`).

    Args:
        endpoints: where it answers (:class:`Endpoints`).
        graphs: the release's named graph IRIs; queries without their own
            dataset run over them (see the module docstring). ``None`` leaves
            the dataset to the store.
        auth: from :func:`make_auth`, or ``None``.
        timeout: seconds per request unless a call gives its own.
        retries: extra attempts after a connection error (reads are also
            retried when the connection broke mid-answer).
        backoff: seconds before the first retry, doubled each time.
        dialect: ``auto`` (from the ``Server`` header), ``sparql11`` or ``virtuoso``.
    """

    def __init__(self, endpoints: Endpoints, graphs: list[str] | None = None,
                 auth: httpx.Auth | None = None, timeout: float = 30.0, retries: int = 3,
                 backoff: float = 0.25, dialect: str = "auto"):
        if dialect not in ("auto", "sparql11", "virtuoso"):
            raise ValueError(f"store dialect must be auto, sparql11 or virtuoso, not {dialect!r}")
        self.endpoints, self.graphs = endpoints, list(graphs) if graphs is not None else None
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self._dialect = None if dialect == "auto" else dialect
        self._client = httpx.Client(auth=auth, follow_redirects=False,
                                    headers={"User-Agent": "codikg"})

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query!r})"

    # ---- reading ---------------------------------------------------------

    def query(self, sparql: str, default_graph_uris: list[str] | None = None,
              named_graph_uris: list[str] | None = None, base_iri: str | None = None,
              timeout: float | None = None, *, substitutions: Mapping | None = None):
        """Run a SPARQL 1.1 query on the store (same contract as the embedded store).

        Args:
            timeout: seconds for this request (default: the store's).
            substitutions: ``{pyoxigraph.Variable: NamedNode or Literal}``, written
                into the query by :func:`codikg.sparql.binding.bind_variables`.

        Returns:
            ``pyoxigraph.QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``.

        Raises:
            SyntaxError: the store rejected the query (HTTP 400; its message,
                positions counted in ``sparql``).
            codikg.sparql.policy.QueryRefused: the query breaks the policy
                (``SERVICE``, nesting, operators, an undeclared prefix): it is not sent.
            StoreUnsupported: the query uses ``cdk:textMatch`` and the store failed.
            StoreTimeout, StoreUnavailable, StoreFailed: see :mod:`codikg.store.protocol`.
            ValueError, TypeError: ``substitutions`` the query cannot take (see
                :func:`codikg.sparql.binding.bind_variables`), or ``base_iri`` is
                not an IRI (as pyoxigraph raises for the embedded store).
        """
        return self.parse_answer(*self.query_raw(sparql, default_graph_uris, named_graph_uris,
                                                 base_iri, timeout, substitutions=substitutions))

    def query_raw(self, sparql: str, default_graph_uris=None, named_graph_uris=None,
                  base_iri=None, timeout=None, *, substitutions=None) -> tuple[str | None, str, bytes]:
        """Send a query; return ``(form, content type, body)`` for :meth:`parse_answer`.

        Raises:
            as :meth:`query`; the policy is checked here, on the text with its
            values bound, before anything is sent, because a store fetches what
            ``SERVICE`` names.
        """
        sparql = bind_variables(sparql, substitutions)
        check_query(sparql)
        form = query_form(sparql)
        text, added_lines = sparql, 0
        if base_iri:
            text, added_lines = f"BASE {term_text(ox.NamedNode(base_iri))}\n{text}", added_lines + 1
        if form == "DESCRIBE" and self.dialect == "virtuoso":
            text, added_lines = f'define sql:describe-mode "SPO"\n{text}', added_lines + 1
        data: dict[str, str | list[str]] = {"query": text}
        data.update(self._dataset(sparql, default_graph_uris, named_graph_uris, base_iri))
        response = self._send("POST", self.endpoints.query, read=True, timeout=timeout, data=data,
                              headers={"Accept": _ACCEPT.get(form, _ANY)})
        if response.status_code >= 400 and _EMBEDDED_ONLY.search(sparql):
            raise StoreUnsupported("cdk:textMatch is only available on the embedded store; "
                                   "this endpoint's store does not offer it (it answered HTTP "
                                   f"{response.status_code})")
        if response.status_code == 400:
            message = _POSITION.sub(lambda m: f"{m[1]}{max(1, int(m[2]) - added_lines)}",
                                    _excerpt(response)) if added_lines else _excerpt(response)
            raise SyntaxError(f"the store rejected the query: {message}")
        self._check(response, "query")
        return form, response.headers.get("content-type", ""), response.content

    def _dataset(self, sparql: str, default_graph_uris, named_graph_uris,
                 base_iri) -> dict[str, list[str]]:
        """The ``default-graph-uri``/``named-graph-uri`` parameters of a query
        (see the module docstring); without release graphs, those asked for."""
        if self.graphs is None:
            if default_graph_uris or named_graph_uris:
                return {"default-graph-uri": list(default_graph_uris or ()),
                        "named-graph-uri": list(named_graph_uris or ())}
            return {}
        if default_graph_uris or named_graph_uris:
            default, named = list(default_graph_uris or ()), list(named_graph_uris or ())
        elif declares_dataset(sparql):
            # A FROM that rdflib cannot read falls back to the whole release.
            default, named = dataset_clauses(sparql, base_iri) or (self.graphs, self.graphs)
        else:
            return {"default-graph-uri": self.graphs, "named-graph-uri": self.graphs}
        release = set(self.graphs)
        return {"default-graph-uri": [g for g in default if g in release] or [NO_GRAPH],
                "named-graph-uri": [g for g in named if g in release] or [NO_GRAPH]}

    def parse_answer(self, form: str | None, content_type: str, body: bytes):
        """Parse a store's answer into pyoxigraph results (see :meth:`query`).

        Raises:
            StoreFailed: the answer's type is unknown or it does not parse.
        """
        media_type = content_type.split(";")[0].strip().lower()
        try:
            if media_type in _RESULTS:
                result = ox.parse_query_results(body, format=_RESULTS[media_type])
                if form == "ASK" and isinstance(result, ox.QuerySolutions):
                    return _boolean_from_row(result)
                return result
            if media_type in _GRAPHS:
                return _as_query_triples(ox.parse(body, format=_GRAPHS[media_type]))
        except (SyntaxError, ValueError) as exc:
            raise StoreFailed(f"the store at {self.endpoints.query} sent an unreadable "
                              f"{media_type} answer: {exc}") from None
        raise StoreFailed(f"the store at {self.endpoints.query} answered with "
                          f"{content_type or 'no Content-Type'}, which is no SPARQL answer")

    def named_graphs(self) -> list[str]:
        """The release's named graphs (as configured), or every named graph of the store."""
        if self.graphs is not None:
            return sorted(self.graphs)
        rows = self.query(query_text("named-graphs"))
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))

    def count_triples(self, graphs: list[str]) -> dict[str, int]:
        """Triples in each of ``graphs`` as the store counts them (absent graphs: 0).

        Raises:
            ValueError: a graph name is not an IRI.
            StoreError: see :mod:`codikg.store.protocol`.
        """
        names = [ox.NamedNode(g) for g in graphs]
        rows = self.query(f"{query_text('graph-sizes')}\n{values_clause('g', names)}",
                          named_graph_uris=list(graphs))
        counts = {g: 0 for g in graphs}
        counts.update({row["g"].value: int(row["n"].value) for row in rows})
        return counts

    def graphs_under(self, prefix: str) -> list[str]:
        """Named graphs of the store whose IRI starts with ``prefix`` (whole store)."""
        rows = self.query(query_text("graphs-under"),
                          substitutions={ox.Variable("prefix"): ox.Literal(prefix)})
        return sorted(row["g"].value for row in rows)

    @property
    def dialect(self) -> str:
        """``virtuoso`` or ``sparql11``; probed once from the ``Server`` header."""
        if self._dialect is None:
            response = self._send("GET", self.endpoints.query, read=True, timeout=None,
                                  params={"query": query_text("probe")},
                                  headers={"Accept": _ACCEPT["ASK"]})
            server = response.headers.get("server", "").lower()
            self._dialect = "virtuoso" if "virtuoso" in server else "sparql11"
        return self._dialect

    # ---- writing ---------------------------------------------------------

    def put_graph(self, graph: str, ntriples: bytes, timeout: float | None = None) -> None:
        """Replace ``graph`` with the N-Triples ``ntriples`` (Graph Store Protocol PUT).

        Raises:
            StoreFailed: no GSP endpoint, or the store refused (names the status).
            StoreUnavailable, StoreTimeout: see :mod:`codikg.store.protocol`.
        """
        if not self.endpoints.gsp:
            raise StoreFailed("no Graph Store Protocol endpoint is configured (--gsp-endpoint)")
        response = self._send("PUT", self.endpoints.gsp, read=True, timeout=timeout,
                              params={"graph": graph}, content=ntriples,
                              headers={"Content-Type": "application/n-triples"})
        self._check(response, f"PUT of graph <{graph}>")

    def update(self, sparql: str, timeout: float | None = None) -> None:
        """Run a SPARQL 1.1 Update request (one request: one transaction where the store has them).

        Not retried once sent: an update may not be idempotent.

        Raises:
            SyntaxError: the store rejected the update (HTTP 400).
            StoreFailed, StoreUnavailable, StoreTimeout: see :mod:`codikg.store.protocol`.
        """
        if not self.endpoints.update:
            raise StoreFailed("no SPARQL update endpoint is configured (--update-endpoint)")
        response = self._send("POST", self.endpoints.update, read=False, timeout=timeout,
                              data={"update": sparql})
        if response.status_code == 400:
            raise SyntaxError(f"the store rejected the update: {_excerpt(response)}")
        self._check(response, "update")

    def close(self) -> None:
        self._client.close()

    # ---- HTTP ------------------------------------------------------------

    def _send(self, method: str, url: str, read: bool, timeout: float | None, **kwargs) -> httpx.Response:
        seconds = self.timeout if timeout is None else timeout
        limits = httpx.Timeout(seconds, connect=min(seconds, 5.0))
        retryable = _NOT_SENT + (_BROKEN if read else ())
        delay, last = self.backoff, None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(delay)
                delay *= 2
            try:
                return self._client.request(method, url, timeout=limits, **kwargs)
            except retryable as exc:
                last = exc
            except httpx.TimeoutException:
                raise StoreTimeout(f"the store at {url} did not answer within {seconds:g} s") from None
            except httpx.HTTPError as exc:
                raise StoreFailed(f"the request to the store at {url} failed: {exc!r}") from None
        raise StoreUnavailable(f"the store at {url} is unreachable ({type(last).__name__}: {last}; "
                               f"{self.retries + 1} attempts)")

    def _check(self, response: httpx.Response, what: str) -> None:
        status = response.status_code
        if status < 300:
            return
        where = f"the store at {response.request.url.copy_with(query=None)}"
        if status in (401, 403):
            raise StoreFailed(f"{where} refused the {what} (HTTP {status}): check the store's "
                              f"credentials and permissions. {_excerpt(response)}")
        if status == 503:
            raise StoreUnavailable(f"{where} is unavailable (HTTP 503). {_excerpt(response)}")
        raise StoreFailed(f"{where} failed the {what} (HTTP {status}). {_excerpt(response)}")


def _excerpt(response: httpx.Response, size: int = 500) -> str:
    text = response.content[:size].decode("utf-8", "replace").strip()
    return text + ("…" if len(response.content) > size else "")


def _boolean_from_row(solutions) -> ox.QueryBoolean:
    """A one-row answer to ASK (Virtuoso's ``?__ASK_RETVAL``) as a real boolean."""
    row = next(iter(solutions), None)
    value = row[0] if row is not None else None
    truth = value is not None and value.value.lower() in ("1", "true")
    return ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if truth else b"false"),
                                  format=ox.QueryResultsFormat.JSON)


def _as_query_triples(quads) -> ox.QueryTriples:
    """Parsed triples as ``pyoxigraph.QueryTriples``, the embedded store's CONSTRUCT type."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    return scratch.query(query_text("all-triples"))


def store_from_env(url: str, update: str | None = None, gsp: str | None = None,
                   user: str | None = None, password: str | None = None, token: str | None = None,
                   auth_scheme: str | None = None, dialect: str | None = None,
                   timeout: float | None = None, environ=None) -> RemoteStore:
    """A :class:`RemoteStore` from explicit values, else the environment.

    Variables: ``CODIKG_STORE_UPDATE_ENDPOINT``, ``CODIKG_STORE_GSP_ENDPOINT``,
    ``CODIKG_STORE_USER``, ``CODIKG_STORE_PASSWORD``, ``CODIKG_STORE_TOKEN``
    (bearer), ``CODIKG_STORE_AUTH`` (``basic``/``digest``), ``CODIKG_STORE_DIALECT``
    (``auto``/``sparql11``/``virtuoso``), ``CODIKG_STORE_TIMEOUT`` (seconds).

    Raises:
        ValueError: a bad URL, auth combination, dialect or timeout (names it).
    """
    import os

    env = os.environ if environ is None else environ
    try:
        seconds = timeout if timeout is not None else float(env.get("CODIKG_STORE_TIMEOUT", 30))
    except ValueError:
        raise ValueError(f"CODIKG_STORE_TIMEOUT={env['CODIKG_STORE_TIMEOUT']!r} is not a number") from None
    endpoints = Endpoints.from_url(url, update or env.get("CODIKG_STORE_UPDATE_ENDPOINT"),
                                   gsp or env.get("CODIKG_STORE_GSP_ENDPOINT"))
    auth = make_auth(user or env.get("CODIKG_STORE_USER"), password or env.get("CODIKG_STORE_PASSWORD"),
                     token or env.get("CODIKG_STORE_TOKEN"),
                     auth_scheme or env.get("CODIKG_STORE_AUTH", "basic"))
    return RemoteStore(endpoints, auth=auth, timeout=seconds,
                       dialect=dialect or env.get("CODIKG_STORE_DIALECT", "auto"))
