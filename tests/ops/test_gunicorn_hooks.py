"""The gunicorn hooks of ipcase/gunicorn_conf.py."""

import os
from types import SimpleNamespace

from ipcase import gunicorn_conf


def test_a_dead_workers_live_gauges_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"")
    (tmp_path / "gauge_livesum_4343.db").write_bytes(b"")
    (tmp_path / "counter_4242.db").write_bytes(b"")  # counts stay: they add up over restarts
    gunicorn_conf.child_exit(None, SimpleNamespace(pid=4242))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counter_4242.db", "gauge_livesum_4343.db"]


def test_without_multiprocess_mode_nothing_is_touched(tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    gunicorn_conf.child_exit(None, SimpleNamespace(pid=4242))  # no folder to clean: no error


def test_the_master_tells_the_app_how_many_workers_it_runs(monkeypatch):
    monkeypatch.setenv("IPCASE_WORKERS", "1")  # and back to what it was after the test
    gunicorn_conf.on_starting(SimpleNamespace(cfg=SimpleNamespace(workers=3)))
    assert os.environ["IPCASE_WORKERS"] == "3"
