"""A loaded model's calibration: the cached profile it uses, and the background measurement.

Lifecycle: at load the runtime asks `CalibrationState.for_model` which profile (if any) matches
this model file + llama.cpp build + CPU, and loads with its choice (fields the caller set stay
as set). Where there is none, a long-lived engine calls `start_background`: a daemon thread waits
until no request has run for IDLE_SECONDS, measures in contexts of its own, stops the moment a
request arrives (the interrupted setting is measured again at the next idle moment), then saves
the profile and switches the running context to the choice between two requests. Until then the
engine runs with the built-in defaults, or with a cached profile measured by an older version that
lacks a depth now measured (it is measured again, in the background, once).
"""

from __future__ import annotations

import os
import threading
import time

from . import calibrate as cal
from . import hardware

IDLE_SECONDS = 0.5


class CalibrationState:
    def __init__(self, key: str, model_id: dict, build: dict, cpu: dict, profile: cal.Profile | None, use: bool):
        self.key = key
        self.model_id, self.build, self.cpu = model_id, build, cpu
        self.profile = profile
        self.use = use  # False: LoadOptions.calibration == "off"
        self.status = "cached" if profile is not None else "not measured"
        self.applied: list[str] = []
        self.error = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._partial: list[cal.Run] = []

    @classmethod
    def for_model(cls, model) -> "CalibrationState":
        model_id = cal.model_identity(model.info.path)
        build, cpu = cal.build_identity(), cal.cpu_identity()
        key = cal.cache_key(model_id, build, cpu)
        use = model.requested.calibration != "off"
        return cls(key, model_id, build, cpu, cal.load_profile(key) if use else None, use)

    def choice_in_use(self) -> cal.Choice | None:
        return self.profile.choice if (self.use and self.profile is not None) else None

    # -- measuring ----------------------------------------------------------------------------------
    def _measure(self, model, budget: float, stop) -> cal.Profile:
        from .calibrate_measure import calibrate

        default = model.builtin_run()
        runs, depths, seconds = calibrate(model, budget, stop=stop, done_runs=self._partial)
        choice = cal.choose(runs, default)
        self._partial = []
        profile = cal.new_profile(self.key, self.model_id, self.build, self.cpu, runs, choice, depths, seconds)
        cal.save_profile(profile)
        self.profile = profile
        self.status = "measured"
        if self.use:
            self.applied = model.apply_choice(choice)
        return profile

    def run_now(self, model, budget: float) -> dict:
        self.stop(wait=True)
        self._stop.clear()
        self._partial = []
        self.status = "measuring"
        try:
            self._measure(model, budget, stop=self._stop.is_set)
        except Exception as exc:
            self.status, self.error = "failed", str(exc)
            raise
        return self.report(model)

    def start_background(self, model, budget: float, force: bool) -> bool:
        if self._thread is not None and self._thread.is_alive():
            return True
        if self.profile is not None and self.profile.complete() and not force:
            return False
        if os.environ.get("HUSHWRITE_NO_BACKGROUND_CALIBRATION"):
            self.status = "not measured (background calibration off: HUSHWRITE_NO_BACKGROUND_CALIBRATION)"
            return False
        self._stop.clear()
        self.status = "waiting for an idle moment"
        self._thread = threading.Thread(target=self._background, args=(model, budget), name="hushwrite-calibrate", daemon=True)
        self._thread.start()
        return True

    def _background(self, model, budget: float) -> None:
        from .calibrate_measure import Interrupted

        def interrupted() -> bool:
            return self._stop.is_set() or model.busy

        while not self._stop.is_set():
            if model.busy or time.monotonic() - model.last_active < IDLE_SECONDS:
                self._stop.wait(0.1)
                continue
            self.status = "measuring"
            try:
                self._measure(model, budget, stop=interrupted)
                return
            except Interrupted:
                self.status = "paused for a request"
                continue
            except Exception as exc:  # never take the engine down: it keeps its defaults
                self.status, self.error = "failed", str(exc)
                return
        self.status = "cancelled" if self.profile is None else self.status

    def stop(self, wait: bool = True) -> None:
        self._stop.set()
        t = self._thread
        if wait and t is not None and t is not threading.current_thread():
            t.join()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- reporting ------------------------------------------------------------------------------------
    def report(self, model) -> dict:
        explicit = model.requested.explicit()
        p = self.profile
        return {
            "status": self.status,
            "error": self.error,
            "key": self.key,
            "cache_file": str(cal.cache_path()),
            "machine": {
                **self.cpu,
                "extra_buffers": bool(model.options.resolved_extra_buffers()),
                "cpu_variant": hardware.BACKEND_CHOICE.get("variant") or "the build's own (one CPU library)",
                "variants_shipped": list(hardware.BACKEND_CHOICE.get("variants") or []),
                "load_choices": list(model.choices),
            },
            "build": self.build,
            "model": self.model_id,
            "in_use": {
                "flash_attn": bool(model.flash_attn), "prefill_flash_attn": bool(model.prefill_attention),
                "short_below": int(model.short_requests_below),
                "n_threads": int(model.n_threads),
                "n_ubatch": int(model.options.n_ubatch or 512), "n_batch": int(model.options.n_batch),
                "n_gpu_layers": int(model.n_gpu_layers),
                "n_ctx": int(model.n_ctx), "kv_cells": int(getattr(model, "kv_cells", model.n_ctx)),
                "kv_sized": bool(getattr(model, "sizes_kv", False)),
            },
            "explicit": explicit,
            "applied_live": list(self.applied),
            "measured": None if p is None else {
                "runs": [r.as_dict() for r in p.runs], "choice": p.choice.as_dict(), "depths": p.depths,
                "seconds": round(p.seconds, 2), "measured_at": p.measured_at,
            },
        }
