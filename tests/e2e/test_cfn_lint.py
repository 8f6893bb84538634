"""Every CloudFormation template under examples/ passes cfn-lint, AWS's own template linter (its
resource specifications come from the CloudFormation registry schemas), so that the templates
deploy on real AWS unchanged and not only on Gantry.

cfn-lint is not packaged by Debian: the test runs when the `cfnlint` module or a `cfn-lint`
executable is installed (pip install cfn-lint) and skips with a message otherwise.

Exit status of cfn-lint is a bit mask: 2 errors, 4 warnings, 8 informational. Hand-written
templates must have neither errors nor warnings; a synthesized one (the CDK app's) must have no
errors, its warnings being the CDK's to fix.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples")
SYNTHESIZED = ("WebStack.template.json",)
ERRORS, WARNINGS = 2, 4


def linter():
    """The command that runs cfn-lint, or None."""
    exe = shutil.which("cfn-lint")
    if exe:
        return [exe]
    if importlib.util.find_spec("cfnlint") is not None:
        return [sys.executable, "-c",
                "import sys; from cfnlint.runner import main; sys.exit(main())"]
    return None


def is_template(path):
    """A JSON or YAML file with a top-level Resources section and the template version or a
    Transform: what CloudFormation accepts, not every YAML file (CI configs, compose files)."""
    with open(path, errors="replace") as f:
        text = f.read()
    if path.endswith(".json"):
        try:
            doc = json.loads(text)
        except ValueError:
            return False
        return isinstance(doc, dict) and "Resources" in doc
    lines = text.splitlines()
    return "Resources:" in lines and any(
        line.startswith(("AWSTemplateFormatVersion:", "Transform:")) for line in lines)


def templates():
    found = []
    for top, dirs, files in os.walk(EXAMPLES):
        dirs[:] = [d for d in dirs if d not in ("node_modules", "cdk.out", ".out")]
        for name in files:
            path = os.path.join(top, name)
            if name.endswith((".yaml", ".yml", ".json")) and is_template(path):
                found.append(os.path.relpath(path, ROOT))
    return sorted(found)


TEMPLATES = templates()
LINT = linter()
needs_lint = pytest.mark.skipif(LINT is None, reason="cfn-lint is not installed (Debian has no "
                                "package for it; pip install cfn-lint to run this test)")


def lint(path):
    return subprocess.run(LINT + ["--", path], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_the_seed_templates_are_found():
    # The walk must see the demo's templates, or the lint tests below would pass on nothing.
    for name in ("network.yaml", "app.yaml", "ecr.yaml"):
        assert "examples/seed-architecture/cloudformation/" + name in TEMPLATES, TEMPLATES
    assert "examples/seed-architecture/cdk/WebStack.template.json" in TEMPLATES, TEMPLATES


@needs_lint
@pytest.mark.parametrize("path", TEMPLATES)
def test_template_passes_cfn_lint(path):
    r = lint(path)
    out = r.stdout + r.stderr
    assert not r.returncode & ERRORS, "cfn-lint found errors in %s:\n%s" % (path, out)
    if os.path.basename(path) not in SYNTHESIZED:
        assert not r.returncode & WARNINGS, "cfn-lint warns about %s:\n%s" % (path, out)
    assert r.returncode & ~(ERRORS | WARNINGS | 8) == 0, out


@needs_lint
def test_cfn_lint_rejects_a_broken_template(tmp_path):
    # The linter itself works here: a property the resource type does not have is an error.
    bad = tmp_path / "bad.yaml"
    bad.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Cluster:\n"
                   "    Type: AWS::ECS::Cluster\n    Properties:\n      NoSuchProperty: 1\n")
    r = lint(str(bad))
    assert r.returncode & ERRORS, r.stdout + r.stderr
    assert "NoSuchProperty" in r.stdout
