#!/usr/bin/python3
"""Checks the incident JSON the plan engine writes against docs/schemas/incident.schema.json.

Every incident of the golden files (src/plan/testdata/golden/*.incidents.json, written by
IncidentToJson and pinned by the golden tests) must validate; and a few broken copies must
not, so the schema is known to say something. Usage: validate_incident_schema.py REPO_ROOT
"""
import copy
import glob
import json
import os
import sys

import jsonschema


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    with open(os.path.join(root, "docs/schemas/incident.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    files = sorted(glob.glob(os.path.join(root, "src/plan/testdata/golden/*.incidents.json")))
    if not files:
        print("no golden incident files found under", root)
        return 1
    failures = 0
    incidents = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            for incident in json.load(f):
                incidents.append(incident)
                for error in validator.iter_errors(incident):
                    failures += 1
                    where = "/".join(str(p) for p in error.absolute_path)
                    print(f"{os.path.basename(path)}: incident {incident.get('id')}: {where}: {error.message}")
    print(f"{len(incidents)} incidents in {len(files)} files checked")

    # Broken copies that must be refused.
    sample = incidents[0]
    broken = {
        "state unknown": lambda i: i.update(state="resolved"),
        "time without milliseconds": lambda i: i.update(opened_at="2021-10-04T15:41:00Z"),
        "spend as a number": lambda i: i["figures"].update(spend_protected=86.4),
        "text missing English": lambda i: i["title"].pop("en"),
        "unknown timeline kind": lambda i: i["timeline"][0].update(kind="comment"),
        "action entry without its action": lambda i: next(e for e in i["timeline"] if e["kind"] == "action")["details"].pop("action"),
        "member renamed": lambda i: i.update(opened=i.pop("opened_at")),
        "checklist state unknown": lambda i: i["checklist"].append({"item": "x", "state": "amber", "text": {"es": "", "en": ""}, "details": {}}),
    }
    for name, change in broken.items():
        copy_ = copy.deepcopy(sample)
        change(copy_)
        if validator.is_valid(copy_):
            failures += 1
            print(f"the schema accepts a broken incident: {name}")
    print(f"{len(broken)} broken copies checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
