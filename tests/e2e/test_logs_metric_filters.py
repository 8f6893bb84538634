"""CloudWatch Logs metric filters through boto3, the AWS CLI v1 (on PATH) and Debian's AWS CLI v2:
filters turn PutLogEvents into CloudWatch metrics; TestMetricFilter; the errors."""
import datetime
import json
import os
import shutil
import time

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, client_for, wait_for

CLIS = [c for c in [shutil.which("aws"), "/usr/bin/aws"] if c and os.path.exists(c)]


@pytest.fixture
def logs(make_client):
    return make_client("logs")


@pytest.fixture
def cw(make_client):
    return make_client("cloudwatch")


def now_ms():
    return int(time.time() * 1000)


def group_with_stream(logs, group):
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")


def stats(cw, ns, name, dimensions=()):
    now = datetime.datetime.now(datetime.timezone.utc)
    points = cw.get_metric_statistics(
        Namespace=ns, MetricName=name, Dimensions=list(dimensions),
        StartTime=now - datetime.timedelta(minutes=10), EndTime=now + datetime.timedelta(minutes=1),
        Period=3600, Statistics=["Sum", "SampleCount", "Maximum"])["Datapoints"]
    return points[0] if points else None


def test_json_filter_publishes_the_field_value(logs, cw):
    group_with_stream(logs, "/app/api")
    logs.put_metric_filter(
        logGroupName="/app/api", filterName="slow", filterPattern="{ $.latency > 100 }",
        metricTransformations=[{"metricName": "SlowLatency", "metricNamespace": "E2E/Api",
                                "metricValue": "$.latency", "unit": "Milliseconds",
                                "dimensions": {"Route": "$.route"}}])
    f = logs.describe_metric_filters(logGroupName="/app/api")["metricFilters"][0]
    assert f["filterName"] == "slow" and f["logGroupName"] == "/app/api"
    assert f["metricTransformations"][0]["dimensions"] == {"Route": "$.route"}

    t = now_ms() - 10
    logs.put_log_events(logGroupName="/app/api", logStreamName="s", logEvents=[
        {"timestamp": t, "message": json.dumps({"latency": 150, "route": "/a"})},
        {"timestamp": t + 1, "message": json.dumps({"latency": 20, "route": "/a"})},
        {"timestamp": t + 2, "message": json.dumps({"latency": 250, "route": "/a"})},
        {"timestamp": t + 3, "message": "not json"}])
    p = stats(cw, "E2E/Api", "SlowLatency", [{"Name": "Route", "Value": "/a"}])
    assert p is not None
    assert (p["Sum"], p["SampleCount"], p["Maximum"]) == (400.0, 2.0, 250.0)
    assert p["Unit"] == "Milliseconds"


def test_delimited_filter_counts_and_default_value(logs, cw):
    group_with_stream(logs, "/app/web")
    logs.put_metric_filter(
        logGroupName="/app/web", filterName="5xx", filterPattern="[ip, user, status=5*, ...]",
        metricTransformations=[{"metricName": "ServerErrors", "metricNamespace": "E2E/Web",
                                "metricValue": "1", "defaultValue": 0}])
    t = now_ms() - 10
    logs.put_log_events(logGroupName="/app/web", logStreamName="s", logEvents=[
        {"timestamp": t + i, "message": m} for i, m in enumerate(
            ["10.0.0.1 alice 200 GET /", "10.0.0.2 bob 503 GET /x", "10.0.0.3 carol 500 POST /y"])])
    p = stats(cw, "E2E/Web", "ServerErrors")
    assert (p["Sum"], p["SampleCount"]) == (2.0, 2.0)

    # A batch without a match reports the default value (once for its minute).
    logs.put_log_events(logGroupName="/app/web", logStreamName="s", logEvents=[
        {"timestamp": now_ms() - 5, "message": "10.0.0.1 alice 200 GET /"}])
    p = stats(cw, "E2E/Web", "ServerErrors")
    assert (p["Sum"], p["SampleCount"]) == (2.0, 3.0)

    logs.delete_metric_filter(logGroupName="/app/web", filterName="5xx")
    logs.put_log_events(logGroupName="/app/web", logStreamName="s", logEvents=[
        {"timestamp": now_ms() - 1, "message": "10.0.0.2 bob 503 GET /x"}])
    assert stats(cw, "E2E/Web", "ServerErrors")["SampleCount"] == 3.0


@pytest.mark.emulator_only  # --time-scale: a minute of alarm evaluation lasts a second
def test_an_alarm_fires_on_an_applications_log_lines(tmp_gantry):
    g = tmp_gantry("--time-scale", "60")
    logs, cw = client_for(g.endpoint, "logs"), client_for(g.endpoint, "cloudwatch")
    group_with_stream(logs, "/app/worker")
    logs.put_metric_filter(
        logGroupName="/app/worker", filterName="errors", filterPattern="?ERROR ?FATAL",
        metricTransformations=[{"metricName": "Errors", "metricNamespace": "E2E/Worker",
                                "metricValue": "1", "defaultValue": 0}])
    cw.put_metric_alarm(
        AlarmName="worker-errors", Namespace="E2E/Worker", MetricName="Errors",
        Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=3,
        ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="notBreaching")
    # A period of a minute lasts a second here: four failures a few seconds ahead, so that the
    # evaluator has not passed their second yet when they arrive.
    t = (int(time.time()) + 3) * 1000
    logs.put_log_events(logGroupName="/app/worker", logStreamName="s", logEvents=[
        {"timestamp": t + i, "message": m} for i, m in enumerate(
            ["INFO start", "ERROR db down", "ERROR db down", "FATAL giving up", "ERROR again"])])
    a = wait_for(lambda: cw.describe_alarms(StateValue="ALARM")["MetricAlarms"], timeout=30,
                 what="alarm state ALARM")[0]
    assert a["AlarmName"] == "worker-errors"
    assert a["StateReason"].startswith("Threshold Crossed: 1 datapoint [4.0 ("), a["StateReason"]


def test_test_metric_filter_reports_extracted_values(logs):
    line = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534'
    r = logs.test_metric_filter(filterPattern="[..., status_code=200, size]",
                                logEventMessages=[line, line.replace(" 200 ", " 500 ")])
    assert r["matches"] == [{
        "eventNumber": 0, "eventMessage": line,
        "extractedValues": {"$1": "127.0.0.1", "$2": "-", "$3": "frank",
                            "$4": "10/Oct/2000:13:25:15 -0700",
                            "$5": "GET /apache_pb.gif HTTP/1.0",
                            "$status_code": "200", "$size": "1534"}}]
    r = logs.test_metric_filter(filterPattern="{ $.latency > 100 }",
                                logEventMessages=['{"latency": 5}', '{"latency": 150}'])
    assert [(m["eventNumber"], m["extractedValues"]) for m in r["matches"]] == \
        [(1, {"$.latency": "150"})]


def test_errors(logs):
    def code(fn, **kw):
        with pytest.raises(ClientError) as e:
            fn(**kw)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]

    t = [{"metricName": "M", "metricNamespace": "E2E", "metricValue": "1"}]
    assert code(logs.put_metric_filter, logGroupName="/nope", filterName="f",
                filterPattern="ERROR", metricTransformations=t)[0] == "ResourceNotFoundException"
    logs.create_log_group(logGroupName="/app/err")
    assert code(logs.put_metric_filter, logGroupName="/app/err", filterName="f",
                filterPattern="{ $.a = ", metricTransformations=t) == \
        ("InvalidParameterException", "Invalid metric filter pattern")
    assert code(logs.put_metric_filter, logGroupName="/app/err", filterName="f",
                filterPattern="ERROR",
                metricTransformations=[dict(t[0], metricValue="$.latency")])[0] == \
        "InvalidParameterException"
    assert code(logs.put_metric_filter, logGroupName="/app/err", filterName="f",
                filterPattern="ERROR",
                metricTransformations=[dict(t[0], dimensions={"A": "$.a"})]) == \
        ("InvalidParameterException", "The specified filter pattern does not support dimensions")
    assert code(logs.delete_metric_filter, logGroupName="/app/err",
                filterName="f")[0] == "ResourceNotFoundException"
    assert code(logs.test_metric_filter, filterPattern="{ $.a = ",
                logEventMessages=["x"])[0] == "InvalidParameterException"
    for i in range(100):
        logs.put_metric_filter(logGroupName="/app/err", filterName=f"f{i}",
                               filterPattern="ERROR", metricTransformations=t)
    assert code(logs.put_metric_filter, logGroupName="/app/err", filterName="f100",
                filterPattern="ERROR", metricTransformations=t)[0] == "LimitExceededException"
    pages = logs.get_paginator("describe_metric_filters").paginate(logGroupName="/app/err")
    assert sum(len(p["metricFilters"]) for p in pages) == 100
    logs.delete_log_group(logGroupName="/app/err")
    logs.create_log_group(logGroupName="/app/err")
    assert logs.describe_metric_filters(logGroupName="/app/err")["metricFilters"] == []


@pytest.mark.parametrize("cli", CLIS)
def test_cli_put_test_describe(cli, endpoint, tmp_path, cw):
    run = aws_cli(cli, endpoint, tmp_path, "logs")
    run("create-log-group", "--log-group-name", "/cli/app")
    run("create-log-stream", "--log-group-name", "/cli/app", "--log-stream-name", "s")
    run("put-metric-filter", "--log-group-name", "/cli/app", "--filter-name", "errors",
        "--filter-pattern", "ERROR",
        "--metric-transformations",
        "metricName=Errors,metricNamespace=E2E/Cli,metricValue=1,unit=Count")
    assert [f["filterName"] for f in
            run("describe-metric-filters", "--metric-name", "Errors",
                "--metric-namespace", "E2E/Cli")["metricFilters"]] == ["errors"]
    r = run("test-metric-filter", "--filter-pattern", "ERROR",
            "--log-event-messages", "ERROR one", "fine")
    assert [m["eventNumber"] for m in r["matches"]] == [0]
    t = now_ms() - 5
    run("put-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "s",
        "--log-events", f"timestamp={t},message=ERROR boom", f"timestamp={t + 1},message=ok")
    p = stats(cw, "E2E/Cli", "Errors")
    assert (p["Sum"], p["SampleCount"], p["Unit"]) == (1.0, 1.0, "Count")
    run("delete-metric-filter", "--log-group-name", "/cli/app", "--filter-name", "errors")
    assert run("describe-metric-filters", "--log-group-name", "/cli/app")["metricFilters"] == []
