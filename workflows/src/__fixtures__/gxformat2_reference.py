"""gxformat2 (Galaxy's own workflow-format package) as the reference for fairio's readers and writers.

Usage: python gxformat2_reference.py PATH...
For each workflow file: the verdict of gxformat2's linter (gxwf-lint, best practices
included: exit code and what it printed) and gxformat2's conversion of it to the other
format (.gxwf.yml -> native .ga JSON, .ga -> Format 2). Prints one JSON object keyed by path.
"""

import contextlib
import io
import json
import os
import sys

from gxformat2 import lint
from gxformat2.converter import python_to_workflow
from gxformat2.export import from_galaxy_native
from gxformat2.yaml import ordered_dump, ordered_load

results = {}
for path in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = lint.main(["gxwf-lint", path])
    with open(path) as f:
        workflow = ordered_load(f)
    if workflow.get("class") == "GalaxyWorkflow":
        converted = json.dumps(python_to_workflow(workflow, workflow_directory=os.path.dirname(os.path.abspath(path))), indent=4)
    else:
        converted = ordered_dump(from_galaxy_native(workflow))
    results[path] = {"lint": {"code": code, "output": out.getvalue()}, "converted": converted}

print(json.dumps(results))
