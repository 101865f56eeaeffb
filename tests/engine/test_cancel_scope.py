"""The cancel flag and job scope every model backend shares (engine/cancel_scope.py)."""

from __future__ import annotations

import threading

import pytest

from engine.cancel_scope import CancelScope
from engine.errors import Cancelled


def test_a_lone_call_drops_a_stale_cancel():
    scope = CancelScope(threading.RLock())
    scope.set()
    scope.start_call()  # does not raise: the cancel was left from before
    assert not scope.is_set()


def test_inside_a_job_a_cancel_between_calls_stops_the_next_call():
    scope = CancelScope(threading.RLock())
    with scope.job():
        scope.start_call()
        scope.set()
        with pytest.raises(Cancelled):
            scope.start_call()
        assert scope.is_set()


def test_a_job_drops_a_cancel_from_before_it_started_and_nested_jobs_keep_the_outer_scope():
    scope = CancelScope(threading.RLock())
    scope.set()
    with scope.job():
        assert not scope.is_set()
        with scope.job():
            scope.set()
        with pytest.raises(Cancelled):  # the inner job's end does not clear it
            scope.start_call()
    scope.start_call()  # outside the job again: a lone call clears it
    assert not scope.is_set()


def test_a_cancel_while_a_lone_call_waits_for_the_model_is_kept():
    # the call is asked for (arm), waits (a background calibration holds the model), is cancelled
    # meanwhile: it stops at its start instead of running to its end
    import threading

    scope = CancelScope(threading.RLock())
    scope.set()  # stale, from an earlier call: dropped when the next call is asked for
    scope.arm()
    scope.set()  # the user's cancel while the call waits
    with pytest.raises(Cancelled):
        scope.start_call()
    scope.arm()  # the next call starts clean
    scope.start_call()
