"""Validate launch-metadata files against docs/metadata.schema.json; print one line per file.
Usage: check_schema.py SCHEMA FILE.json... (exit 1 on the first invalid file)."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
    if errors:
        sys.exit(1)
    print(f"valid: {path.rsplit('/', 1)[-1]}")
