#!/usr/bin/env python3
"""Dependencies point down (STYLE.md §1): checks every #include "..." line under src/.

Usage: check_layering.py SRC_DIR. Exits 1 listing each include that climbs a layer, and each
known exception that no longer occurs (so that the list below only shrinks).
"""
import os
import re
import sys

# folder -> folders it may include (besides itself). Tests may also include src/testing.
ALLOWED = {
    "core": set(),
    "store": {"core"},
    "reconcile": {"core"},
    "http": {"core"},
    "protocol": {"core", "http"},
    "netplane": {"core", "reconcile"},
    "runtime": {"core", "reconcile"},
    "dataplane": {"core", "reconcile", "netplane", "http"},
    "module": {"core", "http", "protocol", "store", "reconcile"},
    "services": {"core", "http", "protocol", "store", "reconcile", "module", "netplane",
                 "runtime", "dataplane"},
    "testing": {"core", "protocol", "store", "reconcile", "netplane", "runtime", "dataplane"},
    "server": {"core", "http", "protocol", "store", "reconcile", "module", "services",
               "netplane", "runtime", "dataplane"},
}

# Includes that still climb, each to be removed; empty now that every layer includes only the
# ones below it. A new entry needs a reason and an issue.
KNOWN = set()

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    src = sys.argv[1]
    bad, seen = [], set()
    for root, _, files in os.walk(src):
        for name in files:
            if not name.endswith((".h", ".cc")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            layer = rel.split(os.sep)[0]
            if layer not in ALLOWED:
                continue  # main.cc, generated files
            allowed = ALLOWED[layer] | {layer}
            if name.endswith(("_test.cc", "_test_support.h")):
                allowed = allowed | {"testing"}
            with open(path, encoding="utf-8", errors="replace") as f:
                for target in INCLUDE.findall(f.read()):
                    top = target.split("/")[0]
                    if top not in ALLOWED or top in allowed:
                        continue
                    if (rel, target) in KNOWN:
                        seen.add((rel, target))
                        continue
                    bad.append("%s includes %s (%s may use only: %s)" %
                               (rel, target, layer, ", ".join(sorted(allowed))))
    stale = sorted(KNOWN - seen)
    for line in bad:
        print("layering: " + line)
    for rel, target in stale:
        print("layering: %s no longer includes %s: remove it from KNOWN" % (rel, target))
    if bad or stale:
        return 1
    print("layering: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
