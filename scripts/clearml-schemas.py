"""The request and response JSON schemas of ClearML API endpoints, as ClearML's own SDK declares them.

Usage: .venv-clearml/bin/python scripts/clearml-schemas.py SDK_VERSION API_VERSION SERVICE.ACTION...
Prints {"sdk", "api", "endpoints": {"service.action": {"request", "response", "jsonLines"}}, "taskWebPage"}:
taskWebPage is the SDK's link to a task's results page for a server of that API version, with the
placeholders {web}, {project} and {task}.
The SDK (clearml on PyPI, installed by scripts/setup-clearml.sh) keeps one module per service and API
version (clearml/backend_api/services/v2_23/tasks.py), with a `_schema` on every Request and Response
class. A batch endpoint (events.add_batch) takes json-lines: its request schema is the one of each line.
Fails when the installed SDK is not SDK_VERSION or an endpoint is not in API_VERSION.
"""

import importlib
import json
import sys

import clearml
from clearml.backend_api.session import Session
from clearml.backend_interface.task.task import Task


def endpoint_schemas(api, endpoint):
    service, action = endpoint.split(".", 1)
    module = importlib.import_module(f"clearml.backend_api.services.v{api.replace('.', '_')}.{service}")
    for request, response in module.response_mapping.items():
        if request._action != action:
            continue
        batched = getattr(request, "_batched_request_cls", None)
        return {
            "request": (batched or request)._schema,
            "response": response._schema,
            "jsonLines": batched is not None,
        }
    raise SystemExit(f"{endpoint} is not an endpoint of ClearML's API {api}")


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    sdk, api, endpoints = argv[0], argv[1], argv[2:]
    if clearml.__version__ != sdk:
        raise SystemExit(f"clearml {clearml.__version__} is installed, not {sdk}: run scripts/setup-clearml.sh")
    Session.api_version = Session.max_api_version = api
    web_page = Task.get_task_output_log_web_page(task_id="{task}", project_id="{project}", app_server_host="{web}")
    answer = {
        "sdk": sdk,
        "api": api,
        "endpoints": {e: endpoint_schemas(api, e) for e in endpoints},
        "taskWebPage": web_page,
    }
    json.dump(answer, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
