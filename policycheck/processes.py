"""Worker processes that stop when asked and do not outlive the process that made them."""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # imported where used: the pool alone costs 50 ms at start-up
    from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger(__name__)

# prctl(2) option: the signal a process gets when the thread that made it ends.
PR_SET_PDEATHSIG = 1
SIGKILL = 9


def can_fork() -> bool:
    """Whether this process may fork workers that run Python without exec.

    Forking is safe only from a process with one thread (a forked child gets no other
    threads, but any lock they held), and is not used on macOS, where system libraries
    refuse to run after a fork.
    """
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's workers now, without waiting for what they are doing."""
    kill_workers = getattr(pool, "kill_workers", None)  # Python 3.14 and later
    if kill_workers is not None:
        kill_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)


def die_with_parent(parent_pid: int) -> None:
    """In a worker: be killed when the parent dies, even by SIGKILL or the out-of-memory
    killer, instead of reading on alone and then waiting forever to hand in the result.

    Linux only (prctl); elsewhere a worker still ends when it next talks to its parent.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0:
            log.debug("prctl failed (errno %d)", ctypes.get_errno())
            return
    except (OSError, AttributeError) as exc:
        log.debug("prctl unavailable: %s", exc)
        return
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def exit_at_once(status: int) -> NoReturn:
    """Flush the output and end the process now, skipping the exit handlers.

    After Ctrl-C the worker processes are already stopped (or die with this one), but the
    handlers concurrent.futures and multiprocessing run at exit join their threads and
    processes, and a pool cut short at the wrong moment can leave one waiting forever.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)
