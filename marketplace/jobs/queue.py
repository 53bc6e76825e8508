"""The Dramatiq queue on Redis, and ``axbridge worker``.

Why Dramatiq on Redis: Redis already runs on every host for the shared rate limits, Dramatiq retries a
failed job with exponential backoff, and it has an in-memory broker for tests. PostgreSQL-only queues
(Procrastinate) would need the asyncio stack and would not work on the SQLite default.

The worker also schedules the periodic tick: each worker tries ``SET axbridge:tick:<slot> NX`` in
Redis once per TICK_SECONDS and only the first one in a slot queues the tick, so the tick runs once per
slot however many hosts run workers. (Even if two ran, the database claims make it harmless.)
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from flask import Flask

logger = logging.getLogger(__name__)

QUEUE = "axbridge"
#: retries of a job that raised (the database, not SMTP, is down): 1 s, 2 s, 4 s … at most 5 minutes
RETRY_OPTIONS = {"max_retries": 10, "min_backoff": 1_000, "max_backoff": 300_000}

_brokers: dict[tuple[str, str], tuple[RedisBroker, dict[str, dramatiq.Actor]]] = {}
_lock = threading.Lock()
_worker_app: Flask | None = None


def _perform(name: str):
    def perform(**kwargs):
        from marketplace import jobs

        app = _worker_app
        if app is None:  # pragma: no cover - a worker always sets it
            raise RuntimeError("job run outside `axbridge worker`")
        with app.app_context():
            return jobs.run(name, kwargs)

    perform.__name__ = name
    return perform


def broker_for(app: Flask) -> tuple[RedisBroker, dict[str, dramatiq.Actor]]:
    """One broker per Redis URL and namespace (JOBS_NAMESPACE) per process, with an actor per job."""
    from marketplace.jobs import JOBS

    url, namespace = app.config["REDIS_URL"], app.config.get("JOBS_NAMESPACE") or "axbridge-jobs"
    with _lock:
        if (url, namespace) not in _brokers:
            broker = RedisBroker(url=url, namespace=namespace)
            actors = {name: dramatiq.actor(_perform(name), broker=broker, actor_name=f"axbridge.{name}",
                                           queue_name=QUEUE, **RETRY_OPTIONS) for name in JOBS}
            _brokers[url, namespace] = (broker, actors)
        return _brokers[url, namespace]


def send(app: Flask, name: str, kwargs: dict) -> None:
    _broker, actors = broker_for(app)
    actors[name].send(**kwargs)


def claim_tick_slot(client, interval: int, now: float | None = None, *, namespace: str = "axbridge-jobs") -> bool:
    """True for exactly one caller per ``interval``-second slot across all hosts."""
    slot = int((time.time() if now is None else now) // interval)
    return bool(client.set(f"{namespace}:tick:{slot}", f"{socket.gethostname()}:{os.getpid()}", nx=True,
                           ex=interval * 4))


def run_worker(app: Flask, *, threads: int = 2, tick_seconds: int = 30, stop: threading.Event | None = None) -> None:
    """Run jobs until SIGTERM/SIGINT (or ``stop``): Dramatiq worker threads, plus the tick scheduler.

    Without AXBRIDGE_REDIS_URL there is no queue: the worker only runs the tick every ``tick_seconds``.
    """
    global _worker_app
    from marketplace import jobs

    _worker_app = app
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    url = app.config.get("REDIS_URL")
    worker = None
    if url:
        broker, actors = broker_for(app)
        worker = dramatiq.Worker(broker, worker_threads=threads)
        worker.start()
        logger.info("worker %s: %s thread(s) on %s, queue %s", os.getpid(), threads, _safe(url), QUEUE)
    else:
        logger.info("worker %s: no AXBRIDGE_REDIS_URL, running the tick in-process every %s s", os.getpid(),
                    tick_seconds)
    try:
        while not stop.is_set():
            try:
                if url:
                    if claim_tick_slot(broker.client, tick_seconds, namespace=broker.namespace):
                        actors["tick"].send()
                else:
                    with app.app_context():
                        report = jobs.tick()
                    logger.info("tick: %s", report.summary())
            except Exception:  # noqa: BLE001 - keep the worker alive; the next slot retries
                logger.exception("tick scheduling failed")
            stop.wait(_until_next_slot(tick_seconds))
    finally:
        if worker is not None:
            worker.stop()
            broker.close()


def _until_next_slot(interval: int) -> float:
    return interval - (time.time() % interval) + 0.05


def _safe(url: str) -> str:
    return url.split("@")[-1]
