"""Prefect's temporary API server, started first thing by ``presslens run``.

With no Prefect API configured, Prefect starts a temporary server the first time a flow talks
to it: after the flow module's imports, then importing its server code in this process, then
waiting for the server to boot. ``presslens run`` starts the same server — the
command and flags of Prefect's ``SubprocessASGIServer`` — before anything else, Prefect's own
import included, so it boots while presslens imports, plans and warms its workers, and points
the flow at it. The server
is stopped at exit, as Prefect stops its own, and ends with the run when the run is killed.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from presslens.lifetime import parent_death_signal

PORT_TAKEN = 3  # uvicorn's exit code when it cannot bind its port


class ServerNotReady(RuntimeError):
    """The temporary API server did not answer in time, or exited."""


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(port: int, settings_env: bool = True) -> tuple[list[str], dict[str, str]]:
    """The command and environment Prefect's own temporary server runs with (prefect 3.8.8,
    ``SubprocessASGIServer._run_uvicorn_command``; a test checks they still agree). ``settings_env``
    False: without importing Prefect (~1.3 s), and without the settings this process holds, which the
    server then reads from the same environment and files (``presslens run`` has set none in-process)."""
    if settings_env:
        import prefect

        app_dir = str(Path(prefect.__module_path__).parent)
    else:
        spec = importlib.util.find_spec("prefect")
        if spec is None or not spec.submodule_search_locations:
            raise ServerNotReady("Prefect is not installed")
        app_dir = str(Path(spec.submodule_search_locations[0]).parent)
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        app_dir,
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    if settings_env:
        from prefect.settings import get_current_settings

        env.update(get_current_settings().to_environment_variables(exclude_unset=True))
    return args, env


class TemporaryServer:
    """A booting or running temporary API server on 127.0.0.1."""

    def __init__(self, port: int | None = None, settings_env: bool = True):
        self.settings_env = settings_env
        self._launch(port or _free_port())

    def _launch(self, port: int) -> None:
        self.port = port
        args, env = server_command(port, self.settings_env)
        # the server ends with this process even when it is killed with SIGKILL (no atexit then)
        self.process = subprocess.Popen(args, env=env, preexec_fn=parent_death_signal(signal.SIGTERM))

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait_until_ready(self, timeout: float) -> None:
        """Block until the server answers its health check; ServerNotReady after ``timeout`` s or if it exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() == PORT_TAKEN:  # the port was taken meanwhile: again on another, as Prefect does
                self._launch(_free_port())
            elif self.process.poll() is not None:
                raise ServerNotReady(f"Prefect's temporary API server exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise ServerNotReady(f"Prefect's temporary API server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        """Terminate the server (killed if it does not exit within 5 s), as Prefect stops its own."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def needs_temporary_server() -> bool:
    """True when no Prefect API is configured and Prefect would start a temporary server itself."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    return not settings.api.url and settings.server.ephemeral.enabled


def early_api_server() -> TemporaryServer | None:
    """Start the temporary server first thing, when Prefect would start one later (None when an API is
    configured). Launched before Prefect is imported: whether one is needed is read while it boots, and
    a server not needed is stopped. Point the flow at it with :func:`use_api`. It is stopped at exit, as
    Prefect stops its own: after Prefect's log and event workers have sent what they hold (they drain first)."""
    from presslens.settings import prefect_api_in_environment

    if prefect_api_in_environment():
        return None
    try:
        server = TemporaryServer(settings_env=False)
    except ServerNotReady:  # Prefect is not installed: the flow's import says so
        return None
    atexit.register(server.stop)
    if not needs_temporary_server():  # an API set in a profile or prefect.toml
        server.stop()
        return None
    return server


@contextlib.contextmanager
def use_api(server: TemporaryServer | None) -> Iterator[None]:
    """Flows run inside talk to ``server`` (once it answers), without flow-run heartbeats; nothing
    changes when it is None. Heartbeats let a lasting server mark the runs of a process that died:
    this server dies with the run, and stopping Prefect's heartbeat thread waits out its one-second
    sleep, up to 1 s at the end of every run."""
    if server is None:
        yield
        return
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )

    server.wait_until_ready(get_current_settings().server.ephemeral.startup_timeout_seconds)
    with temporary_settings(updates={PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
