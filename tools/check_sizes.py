#!/usr/bin/env python3
"""Small files and small functions (issue 13): no source file under src/ over MAX_FILE_LINES
lines and no function over MAX_FUNCTION_LINES lines, tests aside.

Usage: check_sizes.py SRC_DIR [--all]. Exits 1 listing each file or function over its limit that
is not in KNOWN, each KNOWN entry that grew, and each KNOWN entry that is now within its limit (so
that the list below only shrinks). --all prints every measured function over the limit.

Functions are found by a brace scanner over the source with comments and literals blanked: a
brace whose head ends in a parameter list (and is not if/for/while/switch/catch) opens a function
when no function encloses it; its length counts from that line to the closing brace.
"""
import os
import re
import sys

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80

# "path" or "path:function" -> lines measured when it was listed. Entries must only shrink and
# disappear; a new entry needs a reason.
KNOWN = {
}

CONTROL = re.compile(r"\b(if|for|while|switch|catch)\s*\(.*\)\s*$")
FUNCTION_HEAD = re.compile(
    r"\)\s*(const)?\s*(noexcept)?\s*(override)?\s*(final)?\s*(->\s*[\w:<>,&* ]+)?\s*$")
NAME = re.compile(r"([~\w:]+(?:<[^()]*>)?)\s*\(")


def blank(text):
    """Comments and string/char literals replaced by empty ones, line breaks kept."""
    keep_lines = lambda m: "\n" * m.group(0).count("\n")
    text = re.sub(r"/\*.*?\*/", keep_lines, text, flags=re.S)
    text = re.sub(r'R"(\w*)\((.*?)\)\1"', lambda m: '""' + keep_lines(m), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(\\.|[^"\\\n])*"', '""', text)
    text = re.sub(r"'(\\.|[^'\\\n])*'", "''", text)
    return text


def functions(text):
    """Yields (name, first line, length) of each outermost function body."""
    lines = blank(text).split("\n")
    stack = []  # (line, is_function, name)
    for i, line in enumerate(lines):
        for j, c in enumerate(line):
            if c == "{":
                head = " ".join(lines[max(0, i - 6):i]) + " " + line[:j]
                head = re.split(r"[;{}]", head)[-1].strip()
                is_fn = bool(FUNCTION_HEAD.search(head)) and not CONTROL.search(head)
                m = NAME.search(head)
                stack.append((i, is_fn, m.group(1) if m else "?"))
            elif c == "}" and stack:
                start, is_fn, name = stack.pop()
                if is_fn and not any(s[1] for s in stack):
                    yield name, start + 1, i - start + 1


def measure(src):
    """Yields (key, lines, limit) for every file and function over its limit."""
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".cc", ".h")) or name.endswith(("_test.cc", "_test_support.h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            if rel.startswith("testing" + os.sep):
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            n = text.count("\n")
            if n > MAX_FILE_LINES:
                yield rel, n, MAX_FILE_LINES
            for fn, _, length in functions(text):
                if length > MAX_FUNCTION_LINES:
                    yield "%s:%s" % (rel, fn), length, MAX_FUNCTION_LINES


def main():
    src = sys.argv[1]
    found = {}
    for key, n, _ in measure(src):
        found[key] = max(n, found.get(key, 0))
    if "--all" in sys.argv:
        for key, n in sorted(found.items(), key=lambda kv: -kv[1]):
            print("    %r: %d," % (key, n))
        return 0
    bad = []
    for key, n in sorted(found.items()):
        if key not in KNOWN:
            limit = MAX_FILE_LINES if ":" not in key else MAX_FUNCTION_LINES
            bad.append("%s: %d lines (limit %d): split it" % (key, n, limit))
        elif n > KNOWN[key]:
            bad.append("%s: grew from %d to %d lines" % (key, KNOWN[key], n))
    for key in sorted(KNOWN):
        if key not in found:
            bad.append("%s: now within its limit: remove it from KNOWN in %s" % (key, __file__))
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
