"""A report kernel kept across the reports of one batch worker.

``perfkit report`` starts a ``python3`` kernel for its notebook and shuts it down at once when
the notebook is done. A batch worker renders one client after another: starting a kernel for
each costs half a second of CPU (and almost a second before the first cell runs), which the
worker pays again and again while the other worker competes for the same cores.
:class:`ReportKernel` starts one kernel, hands it to papermill for each notebook, clears its
namespace between them (a fresh session: no variable of the last client, execution counts
from 1) and shuts it down immediately when closed; after a failed notebook it is discarded
and the next report gets a new one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from perfkit.reporting.render import KERNEL_ARGUMENTS

#: Seconds a kernel may take to start, or to clear its namespace.
READY_TIMEOUT = 60
#: Run in the kernel before each notebook: an empty namespace and a new session.
RESET = "get_ipython().reset(new_session=True)"


class ReportKernel:
    """A ``python3`` kernel that executes one report notebook after another.

    Every call that touches the kernel runs on the object's own thread (:meth:`submit`), so
    that the kernel's asynchronous client always lives in the same event loop.

    Examples
    --------
    >>> with ReportKernel() as kernel:  # doctest: +SKIP
    ...     for client in clients:
    ...         render_report(client, out, kernel=kernel)
    """

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="perfkit-kernel")
        self._manager: Any = None
        self._clients: list[Any] = []

    @property
    def pid(self) -> int | None:
        """The kernel's process id, or None when none is started."""
        process = getattr(getattr(self._manager, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def submit(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Run ``function`` on the kernel's thread (papermill's execution of a notebook)."""
        return self._thread.submit(function, *args, **kwargs)

    def manager(self) -> Any:
        """Return the started kernel's manager, its namespace cleared; start one if needed.

        Call it on the kernel's thread (from a function given to :meth:`submit`).
        """
        if self._manager is not None:
            try:
                if not run_sync(self._manager.is_alive)():
                    raise RuntimeError("the kernel died")
                run_sync(self._reset)()
                return self._manager
            except Exception:  # a dead kernel, or one that does not answer, is replaced
                self.discard()
        manager = _TrackingKernelManager(kernel_name="python3", clients=self._clients)
        run_sync(manager.start_kernel)(extra_arguments=KERNEL_ARGUMENTS)
        self._manager = manager
        return manager

    def release(self) -> None:
        """Close the connections opened to the kernel for the last notebook (papermill's too)."""
        while self._clients:
            self._clients.pop().stop_channels()

    def discard(self) -> None:
        """Shut the kernel down at once (after a failed notebook); the next report starts one."""
        self.release()
        manager, self._manager = self._manager, None
        if manager is not None:
            with contextlib.suppress(Exception):  # already dead: nothing left to stop
                run_sync(manager.shutdown_kernel)(now=True)

    def close(self) -> None:
        """Shut the kernel down at once and stop the thread; idempotent."""
        if self._thread is None:
            return
        self._thread.submit(self.discard).result()
        self._thread.shutdown()
        self._thread = None

    def __enter__(self) -> ReportKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def _reset(self) -> None:
        client = self._manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=READY_TIMEOUT)
            reply = await client.execute_interactive(
                RESET, timeout=READY_TIMEOUT, output_hook=lambda message: None
            )
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"the kernel could not be reset: {reply['content']}")
        finally:
            client.stop_channels()
            self._clients.remove(client)


class _TrackingKernelManager(AsyncKernelManager):
    """A kernel manager that remembers the clients it hands out (nbclient leaves them open)."""

    def __init__(self, *, clients: list[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handed_out = clients

    def client(self, **kwargs: Any) -> Any:
        client = super().client(**kwargs)
        self._handed_out.append(client)
        return client
