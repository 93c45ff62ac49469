"""Run roc-validator (the RO-Crate community validator) on a crate, offline.

Usage: python roc_validate.py JOBS_JSON CONTEXTS_JSON
where JOBS_JSON is a list of [crate, profile, severity] (one Python process for
all of them, as starting the validator costs more than most validations).

roc-validator fetches the JSON-LD contexts a crate names over HTTP (through
its `HttpRequester`). The machines that run fairio's tests may have no route to
w3id.org, so every HTTP(S) request is answered here instead: contexts named in
CONTEXTS_JSON ({url: file}) are served from fairio's bundled copies, anything
else gets a 404 and is listed under "refused" in the output, so a test can see
exactly what the validator wanted from the network.

Prints one JSON list, a result per job: passed (at its severity), issues, refused URLs.
"""

import json
import os
import sys

os.environ.setdefault("ROCRATE_VALIDATOR_AUTO_WARM", "0")

import requests  # noqa: E402
from requests.adapters import BaseAdapter  # noqa: E402
from rocrate_validator import services  # noqa: E402
from rocrate_validator.models.settings import ValidationSettings  # noqa: E402
from rocrate_validator.utils.http import HttpRequester  # noqa: E402

jobs_json, contexts_json = sys.argv[1:3]
contexts = {url.rstrip("/"): path for url, path in json.loads(contexts_json).items()}
refused = []


class BundledContexts(BaseAdapter):
    def send(self, request, **kwargs):
        response = requests.Response()
        response.url = request.url
        response.request = request
        path = contexts.get(request.url.rstrip("/"))
        if path:
            response.status_code = 200
            with open(path, "rb") as f:
                response._content = f.read()
            response.headers["Content-Type"] = "application/ld+json"
        else:
            refused.append(request.url)
            response.status_code = 404
            response._content = b""
        return response

    def close(self):
        pass


def validate(crate, profile, severity):
    refused.clear()
    settings = ValidationSettings(
        rocrate_uri=crate,
        profile_identifier=profile,
        requirement_severity=severity,
        no_cache=True,
    )
    session = HttpRequester().session
    session.mount("http://", BundledContexts())
    session.mount("https://", BundledContexts())
    result = services.validate(settings)
    return {
        "crate": crate,
        "profile": profile,
        "severity": severity,
        "passed": result.passed(),
        "issues": [
            {
                "severity": issue.severity.name,
                "check": issue.check.name,
                "message": issue.message,
                "entity": issue.violatingEntity,
            }
            for issue in result.issues
        ],
        "refused": sorted(set(refused)),
    }


print(json.dumps([validate(*job) for job in json.loads(jobs_json)]))
