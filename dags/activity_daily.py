"""Activity pipeline, daily at 00:01 UTC: ingest the chat up to the logical date → hourly series →
score yesterday's forecast → choose and fit the model → forecast the day → charts.

`ingest_source` is the ingest step's source flag: `--live` (MTProto history of the day before, the
default) or a file (`--export=…`, `--csv=…`, `--jsonl=…`). Days are cut in
INFLOW_ACTIVITY_TIME_ZONE; pick a zone at or east of UTC, or move the schedule past local midnight.

**Needs credentials before you unpause.** `--live` reads the chat named by `INFLOW_ACTIVITY_CHAT`
with `TELEGRAM_API_ID`, `TELEGRAM_API_HASH` and `TELEGRAM_SESSION` in the task's environment (the
`inflow-secrets` Secret, or the worker's environment with the local runner). Unpausing runs the
latest past day at once, even with catchup off: without them that run's `ingest` fails with exit 2
(no retries).
"""

from __future__ import annotations

from airflow.sdk import DAG, Param
from inflow_step import ACTIVITY_DAILY_CRON, DEFAULT_ARGS, START_DATE, inflow_task

with DAG(
    dag_id="activity_daily",
    description="ingest → aggregate → evaluate yesterday → train → forecast → chart (--live needs TELEGRAM_API_ID/HASH/SESSION)",
    schedule=ACTIVITY_DAILY_CRON,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "ingest_source": Param(
            "--live",
            type="string",
            pattern=r"^--(live|export=.+|csv=.+|jsonl=.+)$",
            description="Where ingest reads the chat: --live, --export=PATH, --csv=PATH or --jsonl=PATH",
        ),
    },
    tags=["inflow", "activity"],
    doc_md=__doc__,
):
    (
        inflow_task("activity", "ingest", "{{ params.ingest_source }}")
        >> inflow_task("activity", "aggregate")
        >> inflow_task("activity", "evaluate")
        >> inflow_task("activity", "train")
        >> inflow_task("activity", "forecast")
        >> inflow_task("activity", "chart")
    )
