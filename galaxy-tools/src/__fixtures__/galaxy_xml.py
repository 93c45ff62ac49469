"""Galaxy's own view of fairio's tool XML, for galaxy-tools' tests (run in the project's .venv).

Usage:
  python galaxy_xml.py xsd TOOL.xml...        -> JSON {tool: [schema errors]} after macro expansion, against galaxy.xsd
  python galaxy_xml.py command TOOL.xml CONTEXT_JSON
                                              -> the tool's command as Galaxy's Cheetah renders it, with
                                                 CONTEXT_JSON giving the values of $inputs and each output
                                                 ({"inputs": path, "outputs": {name: path}})
"""

import json
import os
import sys

from galaxy.tool_util.loader import load_tool
from galaxy.util.template import fill_template
from lxml import etree

import galaxy.tool_util


def xsd(paths):
    schema = etree.XMLSchema(etree.parse(os.path.join(os.path.dirname(galaxy.tool_util.__file__), "xsd", "galaxy.xsd")))
    result = {}
    for path in paths:
        tree = load_tool(path)  # macros and tokens expanded, as Galaxy loads the tool
        schema.validate(tree.getroot())
        result[os.path.basename(path)] = [f"line {e.line}: {e.message}" for e in schema.error_log]
    print(json.dumps(result))


class Output(str):
    """An output dataset in Cheetah: its path, with the extra files folder beside it."""

    @property
    def extra_files_path(self):
        return self[: -len(".dat")] + "_files" if self.endswith(".dat") else self + "_files"


def command(path, context_json):
    context = json.loads(context_json)
    tree = load_tool(path)
    template = tree.getroot().find("command").text
    namespace = {"inputs": context["inputs"], **{name: Output(p) for name, p in context["outputs"].items()}}
    # Galaxy joins the command's lines before running it (tools.evaluation): do the same.
    rendered = str(fill_template(template, context=namespace, python_template_version="3"))
    print(json.dumps({"command": rendered.replace("\n", " ").strip()}))


if __name__ == "__main__":
    if sys.argv[1] == "xsd":
        xsd(sys.argv[2:])
    else:
        command(sys.argv[2], sys.argv[3])
