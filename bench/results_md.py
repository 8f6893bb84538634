"""bench/RESULTS.md, shared by the benches that write it: one "## " section per bench."""
import os

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md")


def write_section(section, text):
    """Replaces the section that starts with the heading `section` (up to the next "## ") with
    `text`, or appends `text` when there is no such section."""
    with open(RESULTS) as f:
        old = f.read()
    start = old.find(section + "\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        nxt = old.find("\n## ", start + len(section))
        new = old[:start] + text + ("\n" + old[nxt + 1:] if nxt >= 0 else "")
    with open(RESULTS, "w") as f:
        f.write(new)
