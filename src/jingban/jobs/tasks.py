"""The one procrastinate task: execute a run. Found by procrastinate's autodiscovery (``tasks``).

Every job kind goes through this task with the run's id, so the queue only ever carries ids; the
parameters stay on the run, where the page shows them.
"""

from __future__ import annotations

import procrastinate
from django.db import close_old_connections, connection
from procrastinate.contrib.django import app

from jingban.jobs import runner

TASK_NAME = "jingban.jobs.execute"


@app.task(name=TASK_NAME, pass_context=True)
def execute_run(context: procrastinate.JobContext, run_id: int, attempt: int) -> str:
    # The worker runs each job in a thread of its pool: that thread's connection is opened here
    # and closed after the job, never kept between jobs.
    close_old_connections()
    try:
        return runner.execute(run_id, attempt=attempt, should_stop=context.should_abort).value
    finally:
        connection.close()
