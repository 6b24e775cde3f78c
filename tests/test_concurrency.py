"""ForkedCall: values and errors come back from the forked process; without a fork it runs in place."""

from __future__ import annotations

import os
import threading

import pytest

from perfkit.concurrency import ForkedCall, can_fork
from perfkit.errors import DataError, PerfkitError, Problem

needs_fork = pytest.mark.skipif(not can_fork(), reason="this platform has no fork")


def _pid_and(value):
    return os.getpid(), value


class _UnpicklableError(Exception):
    def __init__(self, a, b):  # pickles as _UnpicklableError(message): fails to unpickle...
        super().__init__(f"{a}/{b}")
        # ...and holds a lock, which does not pickle: the error does not travel even where
        # tblib's pickling (installed by dask.distributed) rebuilds exceptions without __init__
        self.lock = threading.Lock()


def _raise_unpicklable():
    raise _UnpicklableError("lost", "arguments")


def _raise_data_error():
    problem = Problem("results", 3, "actual", "abc", "a number")
    raise DataError([problem])


def _crash():
    os._exit(3)


@needs_fork
def test_the_call_runs_in_another_process_and_its_value_comes_back():
    big = list(range(100_000))  # shared with the child, not pickled
    pid, value = ForkedCall(_pid_and, big).result()
    assert pid != os.getpid()
    assert value == big


def test_without_fork_the_call_runs_here_once():
    calls = []

    def count():
        calls.append(1)
        return os.getpid()

    call = ForkedCall(count, fork=False)
    assert calls == []  # on demand
    assert call.result() == os.getpid()
    assert call.result() == os.getpid()
    assert calls == [1]


@needs_fork
def test_the_childs_error_is_raised_in_the_caller():
    with pytest.raises(DataError, match="abc"):
        ForkedCall(_raise_data_error).result()


@needs_fork
def test_an_error_that_does_not_unpickle_arrives_as_its_message():
    with pytest.raises(PerfkitError, match="_UnpicklableError: lost/arguments"):
        ForkedCall(_raise_unpicklable).result()


@needs_fork
def test_a_child_that_dies_is_reported_with_its_exit_code():
    with pytest.raises(PerfkitError, match="exit code 3"):
        ForkedCall(_crash).result()


@needs_fork
def test_close_stops_a_call_whose_result_is_not_wanted():
    import time

    call = ForkedCall(time.sleep, 30)
    call.close()
    call.close()  # idempotent


@needs_fork
def test_a_nice_call_runs_at_lower_priority():
    here = os.nice(0)
    assert ForkedCall(os.nice, 0, nice=5).result() == min(here + 5, 19)
    assert os.nice(0) == here


@needs_fork
def test_the_child_collects_garbage_even_when_its_parent_paused_collecting():
    import gc

    gc.disable()
    try:
        assert ForkedCall(gc.isenabled).result() is True
    finally:
        gc.enable()


def test_without_helpers_a_call_runs_in_place():
    from perfkit.concurrency import allow_helpers

    allow_helpers(False)
    try:
        assert not can_fork()
        assert ForkedCall(os.getpid).result() == os.getpid()
    finally:
        allow_helpers(True)
