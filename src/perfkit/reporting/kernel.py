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

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from perfkit.reporting.render import KERNEL_ARGUMENTS

#: Seconds a kernel may take to start, or to clear its namespace.
READY_TIMEOUT = 60
#: Run in the kernel before each notebook: an empty namespace and a new session.
RESET = "get_ipython().reset(new_session=True)"
#: What a report kernel runs instead of ``-m ipykernel_launcher``: the same launcher, with ipykernel's
#: debugger left out (``debugpy`` cannot be imported, so ipykernel does without it). Nobody steps
#: through a report's cells, and importing the debugger is a fifth of a kernel's start: about
#: 0.1 s of CPU for each report and for each batch worker.
LAUNCHER = (
    "import sys; sys.path[:1] = [p for p in sys.path[:1] if p]; sys.modules['debugpy'] = None; "
    "from ipykernel.kernelapp import launch_new_instance; launch_new_instance()"
)
#: Seconds between checks that a killed kernel is gone (jupyter_client waits 0.1 s, most of a
#: shutdown, which a report waits for).
EXIT_POLL = 0.005


def without_debugger(spec: KernelSpec) -> KernelSpec:
    """Return an ipykernel ``spec`` that starts the kernel with :data:`LAUNCHER`; another kernel's as it is."""
    argv = list(spec.argv)
    for i in range(len(argv) - 1):
        if argv[i : i + 2] == ["-m", "ipykernel_launcher"]:
            argv[i : i + 2] = ["-c", LAUNCHER]
            break
    else:
        return spec
    fields = spec.to_dict()
    fields.update(argv=argv, metadata={**spec.metadata, "debugger": False})
    return KernelSpec(resource_dir=spec.resource_dir, **fields)


class ReportKernelManager(AsyncKernelManager):
    """The manager of a report's kernel: its kernel spec :func:`without_debugger`, and a quick shutdown.

    papermill is given it as ``kernel_manager_class`` for a report's own kernel, and
    :class:`ReportKernel` uses it for the kernel it keeps.
    """

    @property
    def kernel_spec(self) -> KernelSpec | None:
        """The named kernel's spec, started :func:`without_debugger`."""
        if self._kernel_spec is None and self.kernel_name:
            spec = self.kernel_spec_manager.get_kernel_spec(self.kernel_name)
            self._kernel_spec = without_debugger(spec)
        return self._kernel_spec

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        """Wait for the kernel's process to end, checking every :data:`EXIT_POLL` seconds at most."""
        await super()._async_wait(pollinterval=min(pollinterval, EXIT_POLL))


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


class _TrackingKernelManager(ReportKernelManager):
    """A kernel manager that remembers the clients it hands out (nbclient leaves them open)."""

    def __init__(self, *, clients: list[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handed_out = clients

    def client(self, **kwargs: Any) -> Any:
        client = super().client(**kwargs)
        self._handed_out.append(client)
        return client
