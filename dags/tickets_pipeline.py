"""Tickets pipeline: raw tickets of the week → preprocess (one task per shard) → label with the
current topic model, or relabel (new TF-IDF + NMF topics) when triggered with `relabel=true` →
train the routing classifier → evaluate against the champion and promote.

relabel fits the topics on a stratified sample of at most `relabel_sample` tickets (only the sample is
held in its pod's memory), then `assign` labels every ticket, one pod per shard (docs/architecture.md,
"Past one machine"): a week of more tickets than one pod holds is relabelled all the same.

After label, the pipeline adapts on its own (docs/novelty.md): label's summary says `next` — `adopt`
(a proposed topic meets INFLOW_TOPICS_AUTO_ADOPT: add it and relabel), `refit` (the share of tickets
no topic explains rose well above the model's own: fit new topics), or `none` — and the
`novelty_decision` task branches on it, logging the decision and pushing it as its XCom.

Weekly by default (`INFLOW_TICKETS_SCHEDULE`, a cron in UTC). Every step reads only data before the
run's logical date, so catchup and backfills reproduce history. Runs may overlap (a backfill runs
several at once): `labelling` waits for the previous run's label/relabel and `evaluate` for the previous
run's evaluate, so each week uses the topic model and champion one-at-a-time runs would. The first run
needs `relabel=true` (there is no topic model yet).

A week without raw tickets (while the raw store holds other days) is nothing to do: `preprocess` exits
3, its tasks and all after them are skipped, the reason in `preprocess`'s XCom, and the run succeeds.
Unpausing runs the latest past week at once, even with catchup off.
"""

from __future__ import annotations

import os

import json
import logging

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Param, task
from inflow_step import AFTER_PREVIOUS_RUN, DEFAULT_ARGS, START_DATE, inflow_sharded_task, inflow_task

# label's `next` → the task that follows it.
NOVELTY_BRANCHES = {"adopt": "adopt_topics", "refit": "refit_topics", "none": "keep_topics"}

with DAG(
    dag_id="tickets_pipeline",
    description="Preprocess (sharded) → label | relabel → train → evaluate/promote",
    schedule=os.environ.get("INFLOW_TICKETS_SCHEDULE", "0 2 * * 1"),
    start_date=START_DATE,
    catchup=os.environ.get("INFLOW_TICKETS_CATCHUP", "false").lower() == "true",
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "shards": Param(
            int(os.environ.get("INFLOW_TICKETS_SHARDS", "4")),
            type="integer",
            minimum=1,
            maximum=256,
            description="Preprocess and assign pods: the raw files of the window are split across this many shards",
        ),
        "window_days": Param(7, type="integer", minimum=1, description="Days of raw tickets read"),
        "relabel": Param(False, type="boolean", description="Fit new topics instead of labelling"),
        # relabel's own default (FIT_SAMPLE_TICKETS in src/tickets/sample.ts): past it the fit's cost stops
        # growing with the week, which the relabel pod's size and timeout (inflow_step.py) assume.
        "relabel_sample": Param(
            50_000,
            type="integer",
            minimum=0,
            description="relabel fits topics on a stratified sample of at most this many tickets (0: all); assign pods label every shard",
        ),
    },
    tags=["inflow", "tickets"],
    doc_md=__doc__,
):
    preprocess = inflow_sharded_task(
        "tickets", "preprocess", "--window-days", "{{ params.window_days }}", shards="{{ params.shards }}"
    )

    # Labelling uses the topic model as of the date and evaluate the champion as of the date: both wait
    # for the previous week's (label/relabel, evaluate) however many runs overlap.
    @task.branch(retries=0, **AFTER_PREVIOUS_RUN)
    def labelling(**context) -> str:
        return "relabel" if context["params"]["relabel"] else "label"

    @task.branch(retries=0)
    def novelty_decision(**context) -> str:
        summary = context["ti"].xcom_pull(task_ids="label") or {}
        chosen = NOVELTY_BRANCHES.get(summary.get("next"), "keep_topics")
        decision = {"next": summary.get("next", "none"), "task": chosen, "reason": summary.get("reason", "")}
        context["ti"].xcom_push(key="decision", value=decision)
        logging.getLogger(__name__).info("novelty decision: %s", json.dumps(decision))
        return chosen

    choose = labelling()
    label = inflow_task("tickets", "label")
    relabel = inflow_task("tickets", "relabel", "--sample", "{{ params.relabel_sample }}", "--no-label")
    assign = inflow_sharded_task("tickets", "assign", shards="{{ params.shards }}")
    decide = novelty_decision()
    adopt = inflow_task("tickets", "topics", "adopt", task_id="adopt_topics")
    refit = inflow_task("tickets", "relabel", task_id="refit_topics")
    keep = EmptyOperator(task_id="keep_topics")
    train = inflow_task("tickets", "train", trigger_rule="none_failed_min_one_success")
    evaluate = inflow_task("tickets", "evaluate", **AFTER_PREVIOUS_RUN)

    preprocess >> choose >> [label, relabel]
    label >> decide >> [adopt, refit, keep] >> train
    relabel >> assign >> train >> evaluate
