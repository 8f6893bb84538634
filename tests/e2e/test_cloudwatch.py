"""CloudWatch metrics, alarms and dashboards: boto3 (botocore 1.43 speaks RPC v2 CBOR), the AWS
CLI v1 on PATH and Debian's AWS CLI v2 at /usr/bin/aws (query)."""
import datetime
import json
import os
import shutil
import subprocess
import time

import pytest
from botocore.exceptions import ClientError
from conftest import client_for

CLIS = [c for c in [shutil.which("aws"), "/usr/bin/aws"] if c and os.path.exists(c)]
CLIS = list(dict.fromkeys(CLIS))


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def minute_floor(t):
    return t.replace(second=0, microsecond=0)


@pytest.fixture
def cw(make_client):
    return make_client("cloudwatch")


def wait_until(predicate, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.2)


def put_minutes(cw, ns, name, values, dims=None, end=None):
    """One datapoint per minute, the last one a minute before `end` (now)."""
    end = minute_floor(end or utcnow())
    data = []
    for i, v in enumerate(values):
        t = end - datetime.timedelta(minutes=len(values) - i)
        data.append({"MetricName": name, "Value": v, "Timestamp": t, "Unit": "Percent",
                     "Dimensions": dims or []})
    cw.put_metric_data(Namespace=ns, MetricData=data)
    return end


def put_scaled_minutes(cw, ns, name, values, ahead=2):
    """For a server at --time-scale 60, whose alarm periods of a minute last a second: one
    datapoint per second, the last `ahead` seconds from now, so that whichever second the
    evaluator looks at next, the last three periods hold the last values."""
    end = utcnow().replace(microsecond=0) + datetime.timedelta(seconds=ahead + 1)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": name, "Value": v, "Unit": "Percent",
         "Timestamp": end - datetime.timedelta(seconds=len(values) - i)}
        for i, v in enumerate(values)])


def test_put_and_get_metric_statistics(cw):
    end = put_minutes(cw, "App/Web", "Latency", [10, 20, 30, 40],
                      dims=[{"Name": "Service", "Value": "web"}])
    r = cw.get_metric_statistics(
        Namespace="App/Web", MetricName="Latency",
        Dimensions=[{"Name": "Service", "Value": "web"}],
        StartTime=end - datetime.timedelta(minutes=10), EndTime=end, Period=60,
        Statistics=["Average", "Maximum", "SampleCount"])
    points = sorted(r["Datapoints"], key=lambda p: p["Timestamp"])
    assert r["Label"] == "Latency"
    assert [p["Average"] for p in points] == [10, 20, 30, 40]
    assert all(p["Unit"] == "Percent" and p["SampleCount"] == 1 for p in points)

    r = cw.get_metric_statistics(
        Namespace="App/Web", MetricName="Latency",
        Dimensions=[{"Name": "Service", "Value": "web"}],
        StartTime=end - datetime.timedelta(minutes=10), EndTime=end, Period=600,
        ExtendedStatistics=["p50", "p99"])
    assert r["Datapoints"][0]["ExtendedStatistics"] == {"p50": 20.0, "p99": 40.0}

    # Other dimensions are another metric.
    r = cw.get_metric_statistics(
        Namespace="App/Web", MetricName="Latency", StartTime=end - datetime.timedelta(hours=1),
        EndTime=end, Period=60, Statistics=["Sum"])
    assert r["Datapoints"] == []


def test_put_metric_data_errors(cw):
    with pytest.raises(ClientError) as e:
        cw.put_metric_data(Namespace="AWS/EC2", MetricData=[{"MetricName": "m", "Value": 1}])
    assert e.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        cw.put_metric_data(Namespace="App", MetricData=[
            {"MetricName": "m", "Value": 1, "StatisticValues": {
                "SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1}}])
    assert e.value.response["Error"]["Code"] == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        cw.put_metric_data(Namespace="App", MetricData=[
            {"MetricName": "m", "Value": 1, "Timestamp": utcnow() - datetime.timedelta(days=15)}])
    assert e.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        cw.put_metric_data(Namespace="App", MetricData=[
            {"MetricName": "m", "Value": 1, "StorageResolution": 5}])
    assert e.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        cw.get_metric_statistics(Namespace="App", MetricName="m", StartTime=utcnow(),
                                 EndTime=utcnow() - datetime.timedelta(hours=1), Period=60,
                                 Statistics=["Sum"])
    assert e.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        cw.get_metric_statistics(Namespace="App", MetricName="m",
                                 StartTime=utcnow() - datetime.timedelta(days=2),
                                 EndTime=utcnow(), Period=60, Statistics=["Sum"])
    assert e.value.response["Error"]["Code"] == "InvalidParameterCombination"


def test_list_metrics_filters(cw):
    cw.put_metric_data(Namespace="App/A", MetricData=[
        {"MetricName": "Requests", "Value": 1, "Dimensions": [{"Name": "Host", "Value": "a"}]},
        {"MetricName": "Requests", "Value": 1, "Dimensions": [{"Name": "Host", "Value": "b"}]},
        {"MetricName": "Errors", "Value": 1}])
    cw.put_metric_data(Namespace="App/B", MetricData=[{"MetricName": "Requests", "Value": 1}])
    assert len(cw.list_metrics(Namespace="App/A")["Metrics"]) == 3
    r = cw.list_metrics(MetricName="Requests", Dimensions=[{"Name": "Host", "Value": "b"}])
    assert r["Metrics"] == [{"Namespace": "App/A", "MetricName": "Requests",
                             "Dimensions": [{"Name": "Host", "Value": "b"}]}]
    assert len(cw.list_metrics(Dimensions=[{"Name": "Host"}])["Metrics"]) == 2
    assert len(cw.list_metrics(RecentlyActive="PT3H")["Metrics"]) == 4


def test_get_metric_data_with_math(cw):
    end = put_minutes(cw, "App/Q", "Hits", [1, 2, 3])
    put_minutes(cw, "App/Q", "Misses", [3, 2, 1], end=end)
    stat = lambda name: {"Metric": {"Namespace": "App/Q", "MetricName": name},  # noqa: E731
                         "Period": 60, "Stat": "Sum"}
    r = cw.get_metric_data(
        StartTime=end - datetime.timedelta(minutes=5), EndTime=end,
        ScanBy="TimestampAscending",
        MetricDataQueries=[
            {"Id": "h", "MetricStat": stat("Hits"), "ReturnData": False},
            {"Id": "m", "MetricStat": stat("Misses"), "ReturnData": False},
            {"Id": "ratio", "Expression": "100 * h / (h + m)", "Label": "Hit ratio"},
            {"Id": "total", "Expression": "SUM(METRICS())"},
        ])
    results = {x["Id"]: x for x in r["MetricDataResults"]}
    assert set(results) == {"ratio", "total"}
    assert results["ratio"]["Label"] == "Hit ratio"
    assert results["ratio"]["Values"] == [25.0, 50.0, 75.0]
    assert results["total"]["Values"] == [4.0, 4.0, 4.0]
    assert results["ratio"]["StatusCode"] == "Complete"

    page = cw.get_metric_data(
        StartTime=end - datetime.timedelta(minutes=5), EndTime=end, MaxDatapoints=2,
        MetricDataQueries=[{"Id": "h", "MetricStat": stat("Hits")}])
    assert page["MetricDataResults"][0]["Values"] == [3.0, 2.0]
    rest = cw.get_metric_data(
        StartTime=end - datetime.timedelta(minutes=5), EndTime=end, MaxDatapoints=2,
        NextToken=page["NextToken"], MetricDataQueries=[{"Id": "h", "MetricStat": stat("Hits")}])
    assert rest["MetricDataResults"][0]["Values"] == [1.0]
    assert "NextToken" not in rest

    with pytest.raises(ClientError):
        cw.get_metric_data(StartTime=end - datetime.timedelta(minutes=5), EndTime=end,
                           MetricDataQueries=[{"Id": "e", "Expression": "nosuch * 2"}])


def alarm_args(name, **kw):
    args = dict(AlarmName=name, Namespace="App/Cpu", MetricName="CPU", Statistic="Average",
                Period=60, EvaluationPeriods=3, DatapointsToAlarm=3, Threshold=70.0,
                ComparisonOperator="GreaterThanThreshold",
                AlarmActions=["arn:aws:sns:us-east-1:123456789012:ops"])
    args.update(kw)
    return args


def test_alarm_crud_and_history(cw):
    cw.put_metric_alarm(**alarm_args("cpu-high", Tags=[{"Key": "team", "Value": "web"}]))
    a = cw.describe_alarms(AlarmNames=["cpu-high"])["MetricAlarms"][0]
    assert a["StateValue"] == "INSUFFICIENT_DATA"
    assert a["AlarmArn"].endswith(":alarm:cpu-high")
    assert a["TreatMissingData"] == "missing"
    assert cw.list_tags_for_resource(ResourceARN=a["AlarmArn"])["Tags"] == \
        [{"Key": "team", "Value": "web"}]
    assert [x["AlarmName"] for x in cw.describe_alarms(AlarmNamePrefix="cpu")["MetricAlarms"]] \
        == ["cpu-high"]
    assert cw.describe_alarms(ActionPrefix="arn:aws:sns")["MetricAlarms"]
    assert cw.describe_alarms(StateValue="ALARM")["MetricAlarms"] == []
    assert cw.describe_alarms_for_metric(
        Namespace="App/Cpu", MetricName="CPU")["MetricAlarms"][0]["AlarmName"] == "cpu-high"

    cw.set_alarm_state(AlarmName="cpu-high", StateValue="ALARM", StateReason="testing")
    assert cw.describe_alarms(StateValue="ALARM")["MetricAlarms"][0]["StateReason"] == "testing"
    items = cw.describe_alarm_history(AlarmName="cpu-high")["AlarmHistoryItems"]
    types = [i["HistoryItemType"] for i in items]
    assert "ConfigurationUpdate" in types and "StateUpdate" in types and "Action" in types
    update = next(i for i in items if i["HistoryItemType"] == "StateUpdate")
    assert update["HistorySummary"] == "Alarm updated from INSUFFICIENT_DATA to ALARM"
    assert json.loads(update["HistoryData"])["newState"]["stateValue"] == "ALARM"

    with pytest.raises(ClientError) as e:
        cw.set_alarm_state(AlarmName="nope", StateValue="OK", StateReason="x")
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"
    cw.delete_alarms(AlarmNames=["cpu-high"])
    assert cw.describe_alarms()["MetricAlarms"] == []


def test_alarm_validation(cw):
    with pytest.raises(ClientError) as e:
        cw.put_metric_alarm(**alarm_args("bad", DatapointsToAlarm=4))
    assert e.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        cw.put_metric_alarm(**alarm_args("bad", ExtendedStatistic="p90"))
    assert e.value.response["Error"]["Code"] == "InvalidParameterCombination"


@pytest.mark.emulator_only  # --time-scale: a minute of alarm evaluation lasts a second
def test_alarm_goes_to_alarm_when_datapoints_breach(tmp_gantry):
    g = tmp_gantry("--time-scale", "60")
    cw = client_for(g.endpoint, "cloudwatch")
    # Once the datapoints are behind it, "ignore" keeps the state they led to.
    cw.put_metric_alarm(**alarm_args("cpu", TreatMissingData="ignore"))
    put_scaled_minutes(cw, "App/Cpu", "CPU", [85.0, 90.0, 95.0, 95.0, 95.0])
    a = wait_until(lambda: cw.describe_alarms(StateValue="ALARM")["MetricAlarms"],
                   what="alarm state ALARM")[0]
    assert a["StateReason"].startswith("Threshold Crossed: 3 out of the last 3 datapoints [95.0 (")
    assert a["StateReason"].endswith(
        "were greater than the threshold (70.0) (minimum 3 datapoints for "
        "INSUFFICIENT_DATA -> ALARM transition).")
    data = json.loads(a["StateReasonData"])
    assert data["recentDatapoints"][0] == 95.0 and data["threshold"] == 70.0
    assert len(data["recentDatapoints"]) == 3 and min(data["recentDatapoints"]) >= 85.0
    actions = wait_until(lambda: cw.describe_alarm_history(
        AlarmName="cpu", HistoryItemType="Action")["AlarmHistoryItems"], what="action item")
    assert actions[0]["HistorySummary"] == \
        "Successfully executed action arn:aws:sns:us-east-1:123456789012:ops"

    # A metric math alarm over the same data.
    cw.put_metric_alarm(
        AlarmName="math", EvaluationPeriods=1, Threshold=100, TreatMissingData="breaching",
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        Metrics=[{"Id": "c", "MetricStat": {"Metric": {"Namespace": "App/Cpu",
                                                       "MetricName": "CPU"},
                                            "Period": 60, "Stat": "Maximum"},
                  "ReturnData": False},
                 {"Id": "e", "Expression": "c * 2", "ReturnData": True}])
    wait_until(lambda: cw.describe_alarms(AlarmNames=["math"])["MetricAlarms"][0]["StateValue"]
               == "ALARM", what="math alarm ALARM")


def test_dashboards(cw):
    body = json.dumps({"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 3,
                                    "properties": {"markdown": "hi"}}]})
    assert cw.put_dashboard(DashboardName="main", DashboardBody=body)[
        "DashboardValidationMessages"] == []
    d = cw.get_dashboard(DashboardName="main")
    assert json.loads(d["DashboardBody"]) == json.loads(body)
    assert d["DashboardArn"].endswith(":dashboard/main")
    assert [e["DashboardName"] for e in cw.list_dashboards()["DashboardEntries"]] == ["main"]
    with pytest.raises(ClientError) as e:
        cw.put_dashboard(DashboardName="bad", DashboardBody='{"foo": 1}')
    assert e.value.response["Error"]["Code"] == "InvalidParameterInput"
    with pytest.raises(ClientError) as e:
        cw.delete_dashboards(DashboardNames=["main", "nope"])
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"
    cw.delete_dashboards(DashboardNames=["main"])
    with pytest.raises(ClientError) as e:
        cw.get_dashboard(DashboardName="main")
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"


@pytest.fixture(params=CLIS)
def aws(request, tmp_path):
    def make(endpoint):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                   AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="",
                   AWS_CONFIG_FILE=str(tmp_path / "c"),
                   AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
        env.pop("AWS_PROFILE", None)

        def run(*args, check=True):
            p = subprocess.run([request.param, "--endpoint-url", endpoint, "--output", "json",
                                "cloudwatch"] + list(args),
                               env=env, capture_output=True, text=True, timeout=60)
            if check:
                assert p.returncode == 0, p.stderr
                return json.loads(p.stdout) if p.stdout.strip() else {}
            return p
        return run
    return make


@pytest.mark.emulator_only  # --time-scale: a minute of alarm evaluation lasts a second
def test_cli_metrics_alarm_and_wait(aws, tmp_gantry):
    g = tmp_gantry("--time-scale", "60")
    run = aws(g.endpoint)
    run("put-metric-alarm", "--alarm-name", "load-high", "--namespace", "Cli/App",
        "--metric-name", "Load", "--dimensions", "Name=Host,Value=h1", "--statistic", "Average",
        "--period", "60", "--evaluation-periods", "2", "--threshold", "50",
        "--comparison-operator", "GreaterThanThreshold", "--treat-missing-data", "ignore")
    # One datapoint per second (a minute at this scale), in one call, from two seconds ago to
    # thirteen ahead: the CLI's calls take seconds on a loaded host, and the alarm must still find
    # two breaching periods in its window when it evaluates after them.
    end = utcnow().replace(microsecond=0) + datetime.timedelta(seconds=3)
    data = [{"MetricName": "Load", "Dimensions": [{"Name": "Host", "Value": "h1"}], "Value": v,
             "Unit": "Count",
             "Timestamp": (end - datetime.timedelta(seconds=5 - i)).strftime("%Y-%m-%dT%H:%M:%SZ")}
            for i, v in enumerate([80, 85] + [90] * 14)]
    run("put-metric-data", "--namespace", "Cli/App", "--metric-data", json.dumps(data))
    listed = run("list-metrics", "--namespace", "Cli/App")["Metrics"]
    assert listed == [{"Namespace": "Cli/App", "MetricName": "Load",
                       "Dimensions": [{"Name": "Host", "Value": "h1"}]}]
    stats = run("get-metric-statistics", "--namespace", "Cli/App", "--metric-name", "Load",
                "--dimensions", "Name=Host,Value=h1", "--statistics", "Maximum",
                "--start-time", (end - datetime.timedelta(minutes=10)).isoformat(),
                "--end-time", end.isoformat(), "--period", "600")
    # CloudWatch rounds StartTime down to the minute, so when `end` falls in a minute's first
    # seconds the five points straddle two 600 s periods: the largest of them is 90 either way.
    assert max(d["Maximum"] for d in stats["Datapoints"]) == 90.0

    run("wait", "alarm-exists", "--alarm-names", "load-high")
    wait_until(lambda: run("describe-alarms", "--alarm-names", "load-high")["MetricAlarms"][0][
        "StateValue"] == "ALARM", what="CLI alarm ALARM")
    history = run("describe-alarm-history", "--alarm-name", "load-high",
                  "--history-item-type", "StateUpdate")["AlarmHistoryItems"]
    assert history[0]["HistorySummary"] == "Alarm updated from INSUFFICIENT_DATA to ALARM"
    p = run("describe-alarm-history", "--alarm-name", "load-high", "--max-records", "1")
    assert len(p["AlarmHistoryItems"]) >= 1
    bad = run("put-metric-data", "--namespace", "AWS/EC2", "--metric-name", "x", "--value", "1",
              check=False)
    assert bad.returncode != 0 and "InvalidParameterValue" in bad.stderr


# botocore gzips PutMetricData bodies over 10 KiB (the model's requestcompression trait).
def test_large_put_metric_data_is_compressed_and_accepted(cw):
    end = minute_floor(utcnow())
    start = end - datetime.timedelta(minutes=1000)
    cw.put_metric_data(Namespace="App/Big", MetricData=[
        {"MetricName": "Load", "Value": float(i % 10), "Unit": "Count",
         "Dimensions": [{"Name": "Host", "Value": "h"}],
         "Timestamp": start + datetime.timedelta(minutes=i)} for i in range(1000)])
    r = cw.get_metric_statistics(Namespace="App/Big", MetricName="Load",
                                 Dimensions=[{"Name": "Host", "Value": "h"}], StartTime=start,
                                 EndTime=end, Period=3600, Statistics=["SampleCount", "Sum"])
    assert sum(p["SampleCount"] for p in r["Datapoints"]) == 1000
    assert sum(p["Sum"] for p in r["Datapoints"]) == 4500
