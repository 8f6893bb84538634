"""CloudWatch Logs through boto3 and Debian's AWS CLI v2: groups, streams, events, filters, tail."""
import json
import os
import subprocess
import threading
import time

import pytest
from botocore.exceptions import ClientError

from conftest import wait_for

AWS_V2 = "/usr/bin/aws"


@pytest.fixture
def logs(make_client):
    return make_client("logs")


def now_ms():
    return int(time.time() * 1000)


def put(logs, group, stream, messages, start=None):
    t = start if start is not None else now_ms() - len(messages)
    return logs.put_log_events(
        logGroupName=group, logStreamName=stream,
        logEvents=[{"timestamp": t + i, "message": m} for i, m in enumerate(messages)])


def test_group_lifecycle(logs):
    logs.create_log_group(logGroupName="/ecs/web", tags={"team": "core"})
    with pytest.raises(ClientError) as e:
        logs.create_log_group(logGroupName="/ecs/web")
    assert e.value.response["Error"]["Code"] == "ResourceAlreadyExistsException"

    g = logs.describe_log_groups(logGroupNamePrefix="/ecs/")["logGroups"][0]
    assert g["logGroupName"] == "/ecs/web"
    assert g["arn"].endswith(":log-group:/ecs/web:*")
    assert g["logGroupArn"] == g["arn"][:-2]
    assert g["storedBytes"] == 0
    assert "retentionInDays" not in g

    logs.put_retention_policy(logGroupName="/ecs/web", retentionInDays=7)
    assert logs.describe_log_groups()["logGroups"][0]["retentionInDays"] == 7
    with pytest.raises(ClientError) as e:
        logs.put_retention_policy(logGroupName="/ecs/web", retentionInDays=2)
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"
    logs.delete_retention_policy(logGroupName="/ecs/web")
    assert "retentionInDays" not in logs.describe_log_groups()["logGroups"][0]

    assert logs.list_tags_log_group(logGroupName="/ecs/web")["tags"] == {"team": "core"}
    logs.tag_resource(resourceArn=g["logGroupArn"], tags={"env": "dev"})
    assert logs.list_tags_for_resource(resourceArn=g["logGroupArn"])["tags"] == \
        {"team": "core", "env": "dev"}
    logs.untag_resource(resourceArn=g["logGroupArn"], tagKeys=["team"])
    assert logs.list_tags_for_resource(resourceArn=g["logGroupArn"])["tags"] == {"env": "dev"}

    logs.delete_log_group(logGroupName="/ecs/web")
    with pytest.raises(ClientError) as e:
        logs.delete_log_group(logGroupName="/ecs/web")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert e.value.response["Error"]["Message"] == "The specified log group does not exist."


def test_describe_log_groups_paginator(logs):
    for i in range(7):
        logs.create_log_group(logGroupName="/pg/%d" % i)
    pages = list(logs.get_paginator("describe_log_groups").paginate(
        logGroupNamePrefix="/pg/", PaginationConfig={"PageSize": 3}))
    assert [len(p["logGroups"]) for p in pages] == [3, 3, 1]
    assert [g["logGroupName"] for p in pages for g in p["logGroups"]] == \
        ["/pg/%d" % i for i in range(7)]


def test_streams_and_events(logs):
    logs.create_log_group(logGroupName="g")
    logs.create_log_stream(logGroupName="g", logStreamName="s")
    t = now_ms() - 1000
    r = put(logs, "g", "s", ["one", "two", "three"], start=t)
    assert "rejectedLogEventsInfo" not in r
    s = logs.describe_log_streams(logGroupName="g")["logStreams"][0]
    assert s["firstEventTimestamp"] == t and s["lastEventTimestamp"] == t + 2
    assert "lastIngestionTime" in s

    with pytest.raises(ClientError) as e:
        logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[
            {"timestamp": t + 10, "message": "b"}, {"timestamp": t, "message": "a"}])
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"

    r = logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[
        {"timestamp": now_ms() - 14 * 86400 * 1000 - 60000, "message": "ancient"},
        {"timestamp": now_ms() - 14 * 86400 * 1000 + 3600 * 1000, "message": "ok"}])
    assert r["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 1}


def test_get_log_events_tokens(logs):
    logs.create_log_group(logGroupName="g")
    logs.create_log_stream(logGroupName="g", logStreamName="s")
    put(logs, "g", "s", ["m%d" % i for i in range(7)])

    # Newest first by default (still returned oldest first); startFromHead reads from the top.
    assert [e["message"] for e in logs.get_log_events(
        logGroupName="g", logStreamName="s", limit=2)["events"]] == ["m5", "m6"]

    seen, token = [], None
    for _ in range(10):
        kw = {"nextToken": token} if token else {"startFromHead": True}
        r = logs.get_log_events(logGroupName="g", logStreamName="s", limit=3, **kw)
        seen += [e["message"] for e in r["events"]]
        if r["nextForwardToken"] == token:
            break
        token = r["nextForwardToken"]
    assert seen == ["m%d" % i for i in range(7)]
    assert token.startswith("f/")

    # New events show up behind the last forward token.
    put(logs, "g", "s", ["late"], start=now_ms())
    r = logs.get_log_events(logGroupName="g", logStreamName="s", nextToken=token)
    assert [e["message"] for e in r["events"]] == ["late"]


def test_filter_log_events(logs):
    logs.create_log_group(logGroupName="app")
    for s in ("web/1", "web/2", "worker/1"):
        logs.create_log_stream(logGroupName="app", logStreamName=s)
    t = now_ms() - 1000
    put(logs, "app", "web/1", ["INFO up", "ERROR boom", '{"level":"error","ms":250}'], start=t)
    put(logs, "app", "web/2", ["WARN slow"], start=t + 1)
    put(logs, "app", "worker/1", ["ERROR worker", "127.0.0.1 GET /x 404 12"], start=t + 2)

    def msgs(**kw):
        return [e["message"] for e in logs.filter_log_events(logGroupName="app", **kw)["events"]]

    assert msgs(filterPattern="ERROR") == ["ERROR boom", "ERROR worker"]
    assert msgs(filterPattern="?ERROR ?WARN", logStreamNamePrefix="web/") == \
        ["ERROR boom", "WARN slow"]
    assert msgs(filterPattern="{ $.ms > 100 }") == ['{"level":"error","ms":250}']
    assert msgs(filterPattern="[ip, verb, path, status=4*, bytes]") == ["127.0.0.1 GET /x 404 12"]
    assert msgs(logStreamNames=["web/2"]) == ["WARN slow"]
    with pytest.raises(ClientError) as e:
        logs.filter_log_events(logGroupName="app", filterPattern="{ $.x = ")
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"

    pages = list(logs.get_paginator("filter_log_events").paginate(
        logGroupName="app", PaginationConfig={"PageSize": 2}))
    assert sum(len(p["events"]) for p in pages) == 6
    ids = [e["eventId"] for p in pages for e in p["events"]]
    assert len(set(ids)) == 6


@pytest.fixture
def aws_v2(endpoint, tmp_path):
    if not os.path.exists(AWS_V2):
        pytest.skip("AWS CLI v2 not installed at /usr/bin/aws")
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_CONFIG_FILE=str(tmp_path / "c"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
    env.pop("AWS_PROFILE", None)

    def run(*args):
        p = subprocess.run([AWS_V2, "--endpoint-url", endpoint, "--output", "json", "logs"] +
                           list(args), env=env, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout) if p.stdout.strip() else {}
    run.env = env
    return run


def test_cli_v2_put_get_filter(aws_v2):
    aws_v2("create-log-group", "--log-group-name", "/cli/app")
    aws_v2("create-log-stream", "--log-group-name", "/cli/app", "--log-stream-name", "main")
    t = now_ms()
    events = json.dumps([{"timestamp": t, "message": "hello ERROR"},
                         {"timestamp": t + 1, "message": "bye"}])
    aws_v2("put-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "main",
           "--log-events", events)
    got = aws_v2("get-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "main",
                 "--start-from-head")
    assert [e["message"] for e in got["events"]] == ["hello ERROR", "bye"]
    assert got["nextForwardToken"].startswith("f/")
    again = aws_v2("get-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "main",
                   "--next-token", got["nextForwardToken"])
    assert again["events"] == [] and again["nextForwardToken"] == got["nextForwardToken"]
    f = aws_v2("filter-log-events", "--log-group-name", "/cli/app", "--filter-pattern", "ERROR")
    assert [e["message"] for e in f["events"]] == ["hello ERROR"]
    groups = aws_v2("describe-log-groups")["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/cli/app"]


def test_cli_v2_tail_prints_events_and_follows(aws_v2, endpoint, logs):
    logs.create_log_group(logGroupName="/tail/app")
    logs.create_log_stream(logGroupName="/tail/app", logStreamName="web/1")
    put(logs, "/tail/app", "web/1", ["first line", "second line"])

    out = subprocess.run([AWS_V2, "--endpoint-url", endpoint, "logs", "tail", "/tail/app",
                          "--since", "5m", "--format", "short"],
                         env=aws_v2.env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "first line" in out.stdout and "second line" in out.stdout

    # --follow polls FilterLogEvents every 5 s and prints only events it has not shown yet.
    p = subprocess.Popen([AWS_V2, "--endpoint-url", endpoint, "logs", "tail", "/tail/app",
                          "--follow", "--since", "5m"],
                         env=aws_v2.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(iter(p.stdout.readline, "")),
                              daemon=True)
    reader.start()
    try:
        wait_for(lambda: any("second line" in l for l in lines), 30, 0.1, "the first events")
        put(logs, "/tail/app", "web/1", ["late line"], start=now_ms())
        wait_for(lambda: any("late line" in l for l in lines), 30, 0.1, "the late event")
        assert any("web/1 first line" in l for l in lines), lines
        assert sum("second line" in l for l in lines) == 1, lines
        assert any("late line" in l for l in lines), lines
    finally:
        p.terminate()
        p.wait(10)
        reader.join(10)


# At --time-scale 86400 a day of retention lasts a second: the sweeper deletes the events
# soon after, and storedBytes drops with them.
@pytest.mark.emulator_only
def test_retention_is_enforced_at_time_scale(tmp_gantry):
    from conftest import client_for
    g = tmp_gantry("--time-scale", "86400")
    logs = client_for(g.endpoint, "logs")
    logs.create_log_group(logGroupName="short")
    logs.create_log_stream(logGroupName="short", logStreamName="s")
    logs.put_retention_policy(logGroupName="short", retentionInDays=1)
    put(logs, "short", "s", ["soon gone"], start=now_ms())
    assert logs.describe_log_groups()["logGroups"][0]["storedBytes"] == len("soon gone") + 26
    wait_for(lambda: logs.get_log_events(logGroupName="short", logStreamName="s",
                                         startFromHead=True)["events"] == [], 15, 0.2,
             "the expired events deleted")
    assert logs.describe_log_groups()["logGroups"][0]["storedBytes"] == 0
