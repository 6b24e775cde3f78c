"""Work beside the calling process: a function run in a forked process, its result sent back.

perfkit's long jobs are a few independent pieces of pandas work on one client (the KPI audit and
the rater diagnostics beside the scoring; the plan workbook beside the feedback sheets). Threads
would hold the GIL; a *forked* process shares the client with the caller without copying or
pickling it, starts in milliseconds and uses the other core. Only the (small) result travels back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable
from typing import Any

from perfkit.errors import PerfkitError

#: Whether this process forks its helpers; see :func:`allow_helpers`.
_helpers = {"allowed": True}


def allow_helpers(allowed: bool) -> None:
    """Let :class:`ForkedCall` fork helper processes (the default), or have it run every call in place.

    Helpers use the cores a process leaves idle. A batch worker that shares the machine with as
    many workers as there are cores has none to give: forking would only add processes that
    compete for the same cores (and copy-on-write faults), so :mod:`perfkit.reporting.batch`
    turns them off there.
    """
    _helpers["allowed"] = allowed


def can_fork() -> bool:
    """Whether this process may fork a helper: a POSIX ``fork``, not a daemonic process (a Dask
    worker), and helpers allowed (:func:`allow_helpers`)."""
    return (
        _helpers["allowed"]
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


class ForkedCall:
    """Call ``function(*args)`` in a forked process; :meth:`result` waits for its return value.

    The child sees the caller's memory as it was at the call (copy-on-write): arguments are not
    pickled, only the return value (or the exception) is. Without ``fork`` (Windows), in a
    daemonic process (a Dask worker) or when ``fork=False``, the function runs in the calling
    process, when :meth:`result` is first asked for.

    Parameters
    ----------
    function : callable
        Must return something picklable. It should not use the caller's threads, kernels or
        sockets: the child has none of them.
    *args
        Its arguments.
    fork : bool, default True
        False runs it in the calling process (small inputs, where a fork costs more than it saves).
    nice : int, default 0
        Added to the forked process's niceness: a positive value lets it use only the CPU that
        the caller and its other processes leave idle (work done ahead of need).

    Examples
    --------
    >>> ForkedCall(sum, [1, 2, 3]).result()
    6
    """

    def __init__(
        self, function: Callable[..., Any], *args: Any, fork: bool = True, nice: int = 0
    ) -> None:
        self._call = (function, args)
        self._process = None
        self._done = False
        self._value: Any = None
        if not (fork and can_fork()):
            return
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_run, args=(child, function, args, nice), daemon=True
        )
        gc.freeze()  # the child's garbage collector leaves the shared objects alone: no copy-on-write of them
        try:
            self._process.start()
        finally:
            gc.unfreeze()
        child.close()

    def result(self) -> Any:
        """Return the function's value; raise the exception that stopped it."""
        if self._done:
            return self._value
        if self._process is None:
            function, args = self._call
            self._value, self._done = function(*args), True
            return self._value
        try:
            ok, value = pickle.loads(self._conn.recv_bytes())
        except EOFError:
            self._process.join()
            raise PerfkitError(
                f"{_name(self._call[0])} stopped in its process (exit code {self._process.exitcode})"
            ) from None
        finally:
            self.close()
        if not ok:
            raise value
        self._value, self._done = value, True
        return value

    def close(self) -> None:
        """Stop the process if it still runs (after a failure elsewhere); idempotent."""
        if self._process is None:
            return
        self._process.join(0.5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._conn.close()
        self._process = None


def _name(function: Callable[..., Any]) -> str:
    return getattr(function, "__qualname__", repr(function))


def _run(conn, function: Callable[..., Any], args: tuple, nice: int = 0) -> None:  # noqa: ANN001
    """The forked process: call, then send back ``(True, value)`` or ``(False, error)``."""
    gc.enable()  # the child collects its own garbage, whether or not its parent paused collecting
    if nice:
        os.nice(nice)
    try:
        reply = (True, function(*args))
    except BaseException as exc:  # noqa: BLE001 - handed to the calling process, raised there
        reply = (False, exc)
    try:
        payload = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        if not reply[0]:
            pickle.loads(payload)  # an exception may pickle but not unpickle
    except Exception as exc:  # a value or exception that does not travel: its message does
        error = reply[1] if not reply[0] else exc
        payload = pickle.dumps((False, PerfkitError(f"{type(error).__name__}: {error}")))
    conn.send_bytes(payload)
    conn.close()
