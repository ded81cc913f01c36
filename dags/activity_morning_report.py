"""Activity morning report, daily at 09:00 UTC: once that day's charts exist (the chart task of the
00:01 activity_daily run succeeded), post the report to the Telegram channel. The report step is
idempotent per chat and date (sent markers), so retries never post twice.

**Needs credentials before you unpause.** The report posts with the bot `TELEGRAM_BOT_TOKEN` to the chat
`INFLOW_REPORT_CHAT_ID`, both in the task's environment (the `inflow-secrets` Secret, or the worker's
environment with the local runner). Unpausing runs the latest past day at once, even with catchup off:
without them that run's `report` fails with exit 2 (no retries), naming what is missing.
"""

from __future__ import annotations

from airflow.sdk import DAG
from inflow_step import (
    ACTIVITY_REPORT_AFTER_DAILY,
    ACTIVITY_REPORT_CRON,
    DEFAULT_ARGS,
    START_DATE,
    inflow_task,
    wait_for,
)

with DAG(
    dag_id="activity_morning_report",
    description="wait for the day's charts → Telegram report (needs TELEGRAM_BOT_TOKEN, INFLOW_REPORT_CHAT_ID)",
    schedule=ACTIVITY_REPORT_CRON,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["inflow", "activity"],
    doc_md=__doc__,
):
    charts = wait_for("charts", "activity_daily", "chart", ACTIVITY_REPORT_AFTER_DAILY)
    charts >> inflow_task("activity", "report")
