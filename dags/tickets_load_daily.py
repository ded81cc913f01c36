"""Ticket load, daily at 04:00 UTC: forecast each department's tickets for every UTC hour of the
logical date (50/80/95% bands) and per day for the 7 days from it, from the labelled tickets that
arrived before it (`inflow tickets forecast`).

The forecast needs the logical date's labelled partition (the tickets up to midnight): run the
tickets pipeline daily (`INFLOW_TICKETS_SCHEDULE="0 2 * * *"`) with preprocess carrying the arrival
time (`--carry date_received`). Until that partition exists the step fails retryably.
"""

from __future__ import annotations

from airflow.sdk import DAG
from inflow_step import DEFAULT_ARGS, START_DATE, TICKETS_LOAD_CRON, inflow_task

with DAG(
    dag_id="tickets_load_daily",
    description="Tickets per department per hour of the day, with calibrated bands, and for 7 days",
    schedule=TICKETS_LOAD_CRON,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["inflow", "tickets"],
    doc_md=__doc__,
):
    inflow_task("tickets", "forecast")
