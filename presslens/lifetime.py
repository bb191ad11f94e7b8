"""Helper processes that end with the run that started them, however it ends (``kill -9`` included).

A run starts Prefect's temporary API server and a process pool (its forkserver, workers and
multiprocessing's resource tracker). Killed with SIGKILL, a run runs no cleanup, so each helper
watches for it itself:

- :func:`parent_death_signal` — for a command started with ``subprocess.Popen`` (the API server):
  Linux's parent-death signal (``prctl(PR_SET_PDEATHSIG)``) set in the child before it runs the
  command, so the kernel signals it when the run ends.
- :func:`exit_with` — for a pool worker: a thread that waits on the run's process (a pidfd on Linux,
  else a check every half second) and ends the worker when the run is gone. The forkserver and the
  resource tracker then end by themselves: each exits when no process holding its pipe is left.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 0.5  # where there is no pidfd: how often a worker checks that its run is still there


def parent_death_signal(sig: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess.Popen`` that has the child sent ``sig`` when this process ends;
    None where the system has no parent-death signal (the child is then stopped only by a normal exit).

    Linux sends it when the *thread* that started the child ends, so call Popen from a thread that lives
    as long as the process (the main thread)."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def set_signal() -> None:
        prctl(PR_SET_PDEATHSIG, sig)
        if os.getppid() != parent:  # the run ended before the signal was armed
            os.kill(os.getpid(), sig)

    return set_signal


def exit_with(pid: int, code: int = 1) -> threading.Thread | None:
    """End this process (``os._exit(code)``) as soon as process ``pid`` ends; None when ``pid`` is this
    process or is already gone (then this process ends at once)."""
    if pid == os.getpid():
        return None
    pidfd = None
    with contextlib.suppress(AttributeError, OSError):
        pidfd = os.pidfd_open(pid)
    if pidfd is None and not _alive(pid):
        os._exit(code)

    def watch() -> None:
        if pidfd is not None:
            select.select([pidfd], [], [])  # readable once the process has ended
        else:
            while _alive(pid):
                time.sleep(POLL_SECONDS)
        os._exit(code)

    thread = threading.Thread(target=watch, name=f"exit-with-{pid}", daemon=True)
    thread.start()
    return thread


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
