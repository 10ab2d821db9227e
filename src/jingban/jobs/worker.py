"""Running the procrastinate worker for this project: `jingban worker`, and the tests."""

from __future__ import annotations

from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector

from jingban.jobs import runner

# Seconds a stopping worker lets a running job finish before asking it to stop; the job stops at
# its next progress report (JobInterrupted), its transaction rolls back and it can be retried.
GRACEFUL_STOP_SECONDS = 5.0


def run_worker(
    *,
    wait: bool = True,
    install_signal_handlers: bool = True,
    concurrency: int = 1,
    name: str = "jingban",
    recover: bool = True,
) -> list[int]:
    """Run jobs from the queue until stopped (SIGINT, SIGTERM), or, with ``wait=False``, until
    the queue is empty. First marks failed the runs a dead process left behind (see
    ``runner.recover_interrupted``) and returns their ids once the worker stops."""
    recovered = runner.recover_interrupted() if recover else []
    if not connection.in_atomic_block:
        # This thread only waits from now on: it keeps no connection open for the worker's life
        # (each job opens and closes its own in the worker's thread pool).
        connection.close()
    # The Django connector runs on Django's connection and cannot listen for new jobs; the
    # worker gets a psycopg connector to the same database for the time it runs.
    with app.replace_connector(DjangoConnector().get_worker_connector()):
        app.run_worker(
            name=name,
            concurrency=concurrency,
            wait=wait,
            install_signal_handlers=install_signal_handlers,
            shutdown_graceful_timeout=GRACEFUL_STOP_SECONDS,
            delete_jobs="successful",
        )
    return recovered
