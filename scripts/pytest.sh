#!/usr/bin/env bash
# Runs pytest with the machine's default python3. That python keeps its own (newer) boto3 and
# botocore; Debian's python3-pytest is found by appending /usr/lib/python3/dist-packages to the
# END of sys.path, after every site directory, so the newer boto3 still wins.
set -euo pipefail
exec python3 -c '
import sys
sys.path.append("/usr/lib/python3/dist-packages")
import pytest
sys.exit(pytest.main(sys.argv[1:]))
' "$@"
