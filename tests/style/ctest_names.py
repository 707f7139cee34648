#!/usr/bin/env python3
"""ctest_names.py BUILD_DIR -- every CTest test is named AREA.BEHAVIOUR[.VARIANT...]
(docs/style.md): lower-case area, dots between the parts only, words inside a
part joined by '_' (never '-'), and the area is one of the test's labels.
Reads `ctest --show-only=json-v1`; prints each offender and exits 1."""
import json
import re
import subprocess
import sys

NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+$")


def problems(tests):
    """Yields one message per test that breaks the naming rule."""
    for t in tests:
        name = t["name"]
        labels = []
        for p in t.get("properties", []):
            if p["name"] == "LABELS":
                labels = p["value"]
        if not NAME.match(name):
            yield f"{name}: not AREA.BEHAVIOUR[.VARIANT] with '_' inside parts"
        elif name.split(".")[0] not in labels:
            yield f"{name}: area '{name.split('.')[0]}' is not among its labels {labels}"


def main():
    out = subprocess.run(["ctest", "--show-only=json-v1"], cwd=sys.argv[1],
                         check=True, capture_output=True, text=True).stdout
    tests = json.loads(out)["tests"]
    bad = list(problems(tests))
    for b in bad:
        print(b)
    print(f"{len(tests)} tests, {len(bad)} badly named")
    return 1 if bad or not tests else 0


if __name__ == "__main__":
    sys.exit(main())
