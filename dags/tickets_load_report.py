"""Ticket-load morning report, daily at 07:00 UTC: once that day's load forecast exists (the forecast
task of the 04:00 tickets_load_daily run succeeded), post the busiest departments' charts and the
expected tickets per department to the Telegram channel. The report step is idempotent per chat and
date (sent markers), so retries never post twice.

**Needs credentials before you unpause.** The report posts with the bot `TELEGRAM_BOT_TOKEN` to the chat
`INFLOW_REPORT_CHAT_ID`, both in the task's environment (the `inflow-secrets` Secret, or the worker's
environment with the local runner). Without them the run's `report` fails with exit 2 (no retries),
naming what is missing.
"""

from __future__ import annotations

from airflow.sdk import DAG
from inflow_step import (
    DEFAULT_ARGS,
    START_DATE,
    TICKETS_LOAD_REPORT_AFTER_FORECAST,
    TICKETS_LOAD_REPORT_CRON,
    inflow_task,
    wait_for,
)

with DAG(
    dag_id="tickets_load_report",
    description="wait for the day's load forecast → Telegram report (needs TELEGRAM_BOT_TOKEN, INFLOW_REPORT_CHAT_ID)",
    schedule=TICKETS_LOAD_REPORT_CRON,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["inflow", "tickets"],
    doc_md=__doc__,
):
    forecast = wait_for("forecast", "tickets_load_daily", "forecast", TICKETS_LOAD_REPORT_AFTER_FORECAST)
    forecast >> inflow_task("tickets", "report")
