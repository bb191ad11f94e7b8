"""Prefect's temporary API server, started early by ``presslens run`` (flows/api_server.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from flows.api_server import TemporaryServer, early_api_server, server_command
from tests.conftest import EXAMPLE, REPO

pytestmark = pytest.mark.prefect


@pytest.fixture
def no_api_configured():
    """As on a fresh machine: no PREFECT_API_URL (another test's harness may have set one)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        yield


def test_the_server_runs_as_prefects_own_temporary_server(monkeypatch, no_api_configured):
    """The early server must be the one Prefect would start (same command, same environment): this
    fails when a Prefect upgrade changes how it starts its temporary server."""
    import prefect.server.api.server as prefect_server

    launched = {}
    monkeypatch.setattr(
        prefect_server.subprocess, "Popen", lambda args, env: launched.update(args=args, env=env) or object()
    )
    prefect_server.SubprocessASGIServer(port=8123)._run_uvicorn_command()
    args, env = server_command(8123)
    assert args == launched["args"]
    prefect_keys = {k for k in launched["env"] if k.startswith("PREFECT")}
    assert {k: env.get(k) for k in prefect_keys} == {k: launched["env"][k] for k in prefect_keys}
    # launched before Prefect is imported (presslens run): the same command, the server's own flags, the
    # rest of the settings read by the server from the environment and files it shares with this process
    early_args, early_env = server_command(8123, settings_env=False)
    assert early_args == launched["args"]
    flags = ("PREFECT_UI_ENABLED", "PREFECT__SERVER_EPHEMERAL", "PREFECT__SERVER_FINAL")
    assert {k: early_env.get(k) for k in flags} == {k: launched["env"].get(k) for k in flags}


def test_a_configured_api_starts_no_server():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        assert early_api_server() is None


def test_a_server_launched_on_a_taken_port_moves_to_a_free_one_and_stops():
    """Between choosing a free port and binding it another process may take it: uvicorn then exits
    (code 3) and the server is launched again on another port, as Prefect's own does. Stopping it
    ends the process. (No flow runs here: Prefect's in-process workers would keep what they owe a
    stopped server until the test session ends; the CLI test below runs one end to end.)"""
    import urllib.request

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = TemporaryServer(port=taken.getsockname()[1])
        try:
            server.wait_until_ready(120)
            assert server.port != taken.getsockname()[1]
            with urllib.request.urlopen(f"{server.api_url}/health", timeout=5) as response:
                assert response.status == 200
        finally:
            server.stop()
    assert server.process.poll() is not None


def test_presslens_run_uses_the_early_server(tmp_path):
    """``presslens run`` (the flow) on the example: Prefect never starts a temporary server of its
    own (it logs doing so at INFO), the run completes against the early one, and the flow's logs
    reach it (the server is stopped only after Prefect has sent them). No flow-run heartbeat runs
    against a server that dies with the run: stopping its thread cost up to 1 s at every run's end."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_LOGGING_LEVEL="DEBUG", PREFECT_HOME=str(tmp_path / "prefect-home"))
    cmd = [sys.executable, "-m", "presslens.cli", "run", "--raw", str(EXAMPLE.parent), "--out", str(tmp_path / "out")]
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "7 page(s) processed" in done.stdout
    assert "Starting temporary server" not in done.stdout + done.stderr
    assert "Beginning flow run" in done.stdout + done.stderr  # the flow did run, and logged at INFO
    assert "Error logging to API" not in done.stdout + done.stderr
    assert "Executing flow 'compare-coverage'" in done.stdout + done.stderr  # DEBUG lines are there
    assert "heartbeat" not in done.stdout + done.stderr
