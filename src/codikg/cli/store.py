"""``codikg publish --to URL``: load a release into a remote SPARQL 1.1 store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from codikg.cli.common import fail as _fail
from codikg.cli.common import out, print_table


def publish(to: Annotated[str, typer.Option(
                "--to", envvar="CODIKG_STORE_URL",
                help="The store's SPARQL query endpoint, e.g. http://host:7878/query (Oxigraph) "
                     "or http://host:8890/sparql (Virtuoso).")],
            update_endpoint: Annotated[Optional[str], typer.Option(
                envvar="CODIKG_STORE_UPDATE_ENDPOINT",
                help="SPARQL Update endpoint (default: derived from --to for Oxigraph and Virtuoso).")] = None,
            gsp_endpoint: Annotated[Optional[str], typer.Option(
                envvar="CODIKG_STORE_GSP_ENDPOINT",
                help="Graph Store Protocol endpoint (default: derived from --to for Oxigraph and Virtuoso).")] = None,
            user: Annotated[Optional[str], typer.Option(envvar="CODIKG_STORE_USER",
                                                        help="User for basic/digest auth.")] = None,
            password: Annotated[Optional[str], typer.Option(
                envvar="CODIKG_STORE_PASSWORD", help="Password (prefer the environment variable).")] = None,
            token: Annotated[Optional[str], typer.Option(
                envvar="CODIKG_STORE_TOKEN", help="Bearer token (instead of user and password).")] = None,
            auth_scheme: Annotated[str, typer.Option(
                envvar="CODIKG_STORE_AUTH", help="basic or digest (Virtuoso's *-auth endpoints).")] = "basic",
            timeout: Annotated[float, typer.Option(
                help="Seconds each request to the store may take (one graph's upload, the switch).")] = 600.0,
            release: Annotated[Optional[Path], typer.Option(
                "--release", "-r", help="Release folder (default: ./release in the project).")] = None,
            no_build: Annotated[bool, typer.Option(
                "--no-build", help="Publish the release folder as it is; never rebuild it.")] = False) -> None:
    """Load the release into a remote store graph by graph, switch readers to it, verify counts."""
    from codikg.release.pipeline import BuildError, ensure_release
    from codikg.release.reader import read_manifest
    from codikg.ingest import PlanParseError
    from codikg.config.settings import load_settings
    from codikg.store import StoreError
    from codikg.store.publish import PublishError, publish_release
    from codikg.store.remote import store_from_env

    settings = load_settings()
    folder = release or settings.release_dir
    try:
        if no_build:
            if read_manifest(folder) is None:
                raise BuildError(f"{folder}: no release here (run 'codikg build')")
        else:
            ensure_release(settings, folder)
        store = store_from_env(to, update_endpoint, gsp_endpoint, user, password, token,
                               auth_scheme, timeout=timeout)
        report = publish_release(folder, store, settings.base_iri,
                                 progress=out.print,
                                 timeout=timeout)
    except (PlanParseError, BuildError, PublishError, StoreError, ValueError, SyntaxError) as exc:
        raise _fail(str(exc)) from None
    print_table(("named graph", "triples (verified)"), report.graphs.items(),
                title=f"release {report.release} published to {to}", right=("triples (verified)",))
    out.print("seconds: " + ", ".join(f"{step} {s:.2f}" for step, s in report.seconds.items())
              + f"; total {sum(report.seconds.values()):.2f}")


def register(app: typer.Typer) -> None:
    """Add ``publish`` to the ``codikg`` command group."""
    app.command()(publish)
