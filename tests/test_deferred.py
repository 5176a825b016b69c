"""Resources the app loads on first use (services/deferred.py): once, thread-safely,
errors kept for the route that needs them, a missing index still fails at start-up."""

from __future__ import annotations

import shutil
import threading
import time

import pytest
from fastapi.testclient import TestClient

from codikg.release.layout import INDEX_FILE
from codikg.search.index import SearchIndexError
from codikg.config.limits import Limits
from codikg.web.app import create_app
from codikg.services.deferred import Deferred, warm_up


def test_deferred_loads_once_across_threads():
    calls = []

    def load():
        calls.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive while it loads
        return {"answer": 42}

    value = Deferred("test value", load)
    assert not value.loaded and calls == []
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(value.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and value.loaded
    assert seen == [{"answer": 42}] * 8 and all(s is seen[0] for s in seen)


def test_a_failed_load_is_not_cached_and_raises_each_time():
    attempts = []

    def load():
        attempts.append(1)
        raise OSError("disk on fire")

    value = Deferred("broken", load)
    for n in (1, 2):
        with pytest.raises(OSError, match="disk on fire"):
            value.get()
        assert len(attempts) == n and not value.loaded


def test_warm_up_loads_the_rest_after_one_fails(caplog):
    broken = Deferred("broken index", lambda: 1 / 0)
    fine = Deferred("fine", lambda: "ok")
    extra = []
    warm_up([broken, fine], [lambda: extra.append("dictionary")]).join(5)
    assert fine.loaded and fine.get() == "ok" and not broken.loaded
    assert extra == ["dictionary"]
    assert "loading the broken index failed" in caplog.text


@pytest.fixture()
def release_copy(release, tmp_path):
    folder, _ = release
    copy = tmp_path / "release"
    shutil.copytree(folder, copy)
    return copy


def test_missing_search_index_still_fails_at_start_up(release_copy, settings):
    (release_copy / INDEX_FILE).unlink()
    with pytest.raises(SearchIndexError, match=r"search-index.json: no search index \(rebuild"):
        create_app(release_copy, settings.queries_dir, Limits(workers=1))


def test_unreadable_search_index_is_a_500_that_says_so(release_copy, settings):
    (release_copy / INDEX_FILE).write_text("{not json", encoding="utf-8")
    app = create_app(release_copy, settings.queries_dir, Limits(workers=1))
    try:
        client = TestClient(app)  # no lifespan: nothing warms up; the route loads
        answer = client.get("/search", params={"q": "ชุมชน"}, headers={"Accept": "application/json"})
        assert answer.status_code == 500
        assert answer.json()["error"]["message"].startswith("the search index of this release could not be read")
        assert not app.state.served.search_index.loaded
        # The rest of the server keeps working.
        assert client.get("/catalog", headers={"Accept": "text/turtle"}).status_code == 200
    finally:
        app.state.served.close()


def test_start_up_defers_loading_and_the_lifespan_warms_up(release, settings):
    folder, _ = release
    app = create_app(folder, settings.queries_dir, Limits(workers=1))
    try:
        deferred = (app.state.served.search_index, app.state.served.catalog, app.state.served.vocabulary, app.state.served.quality_report,
                    app.state.served.overview)
        assert not any(value.loaded for value in deferred)
        with TestClient(app) as client:  # runs the startup handlers
            deadline = time.monotonic() + 30
            while not all(value.loaded for value in deferred) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert all(value.loaded for value in deferred)
            hits = client.get("/search", params={"q": "บ้านมั่นคง"}, headers={"Accept": "application/json"})
            assert hits.status_code == 200 and hits.json()["count"] >= 1
    finally:
        app.state.served.close()
