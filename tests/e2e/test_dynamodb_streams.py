"""DynamoDB Streams against Gantry with boto3's dynamodbstreams client and the AWS CLI: records of
each view type in commit order, the four iterator types, paging, disabling and re-enabling,
batches, transactions and TTL deletes, and the errors. Written to pass against real DynamoDB too
(records appear there within a second or so, hence read_until), except where marked
emulator_only."""
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, aws_cli, client_for, wait_for
from secrets_env import error, error_message

FAST = {"Delay": 1, "MaxAttempts": 60}


@pytest.fixture
def ddb(make_client):
    return make_client("dynamodb")


@pytest.fixture
def streams(make_client):
    return make_client("dynamodbstreams")


def make_table(ddb, view_type="NEW_AND_OLD_IMAGES", **kw):
    name = "s-" + uuid.uuid4().hex[:8]
    spec = {"StreamEnabled": True, "StreamViewType": view_type} if view_type else None
    extra = {"StreamSpecification": spec} if spec else {}
    d = ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST", **extra, **kw)["TableDescription"]
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig=FAST)
    return name, d.get("LatestStreamArn")


def shard_of(streams, arn):
    return streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]


def iterator(streams, arn, kind="TRIM_HORIZON", **kw):
    return streams.get_shard_iterator(StreamArn=arn, ShardId=shard_of(streams, arn),
                                      ShardIteratorType=kind, **kw)["ShardIterator"]


def read_until(streams, it, count, timeout=20):
    """Records from `it` on until `count` have arrived (or the deadline passes)."""
    got, deadline = [], time.monotonic() + timeout
    while it and len(got) < count and time.monotonic() < deadline:
        page = streams.get_records(ShardIterator=it)
        got += page["Records"]
        it = page.get("NextShardIterator")
    return got


def update_stream(ddb, name, spec):
    ddb.update_table(TableName=name, StreamSpecification=spec)
    wait_for(lambda: ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE",
             timeout=60, what="the table to be ACTIVE")


def changes(ddb, name):
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})  # no change: no record
    ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"N": "2"}})
    ddb.delete_item(TableName=name, Key={"pk": {"S": "a"}})
    ddb.delete_item(TableName=name, Key={"pk": {"S": "a"}})  # nothing deleted: no record


V1 = {"pk": {"S": "a"}, "v": {"N": "1"}}
V2 = {"pk": {"S": "a"}, "v": {"N": "2"}}


@pytest.mark.parametrize("view_type,images", [
    ("KEYS_ONLY", [(None, None), (None, None), (None, None)]),
    ("NEW_IMAGE", [(None, V1), (None, V2), (None, None)]),
    ("OLD_IMAGE", [(None, None), (V1, None), (V2, None)]),
    ("NEW_AND_OLD_IMAGES", [(None, V1), (V1, V2), (V2, None)]),
])
def test_records_of_each_view_type_in_commit_order(ddb, streams, view_type, images):
    name, arn = make_table(ddb, view_type)
    changes(ddb, name)
    records = read_until(streams, iterator(streams, arn), 3)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    for r, (old, new) in zip(records, images):
        assert r["eventSource"] == "aws:dynamodb" and r["awsRegion"] == "us-east-1"
        assert r["eventVersion"] == "1.1" and r["eventID"]
        body = r["dynamodb"]
        assert body["Keys"] == {"pk": {"S": "a"}}
        assert body.get("OldImage") == old and body.get("NewImage") == new
        assert body["StreamViewType"] == view_type and body["SizeBytes"] > 0
        assert body["SequenceNumber"].isdecimal() and len(body["SequenceNumber"]) >= 21
        assert "ApproximateCreationDateTime" in body
    seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3


def test_describe_and_list_streams(ddb, streams, account):
    name, arn = make_table(ddb, "KEYS_ONLY")
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["LatestStreamArn"] == arn
    assert arn == "arn:aws:dynamodb:us-east-1:%s:table/%s/stream/%s" % (
        account, name, t["LatestStreamLabel"])
    assert t["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["StreamStatus"] in ("ENABLING", "ENABLED")
    assert (d["StreamArn"], d["StreamLabel"], d["TableName"]) == (arn, t["LatestStreamLabel"], name)
    assert d["StreamViewType"] == "KEYS_ONLY" and d["KeySchema"] == t["KeySchema"]
    assert "CreationRequestDateTime" in d
    shard = d["Shards"][0]
    assert shard["ShardId"].startswith("shardId-") and len(shard["ShardId"]) <= 65
    assert shard["SequenceNumberRange"]["StartingSequenceNumber"].isdecimal()
    listed = streams.list_streams(TableName=name)["Streams"]
    assert listed == [{"StreamArn": arn, "TableName": name, "StreamLabel": t["LatestStreamLabel"]}]
    assert streams.describe_stream(StreamArn=arn,
                                   ExclusiveStartShardId=shard["ShardId"])[
        "StreamDescription"]["Shards"] == []


def test_list_streams_pages_with_limit(ddb, streams):
    arns = {make_table(ddb, "KEYS_ONLY")[1] for _ in range(3)}
    seen, kw = [], {"Limit": 1}
    while True:
        page = streams.list_streams(**kw)
        assert len(page["Streams"]) <= 1
        seen += [s["StreamArn"] for s in page["Streams"]]
        if "LastEvaluatedStreamArn" not in page:
            break
        kw["ExclusiveStartStreamArn"] = page["LastEvaluatedStreamArn"]
    assert arns <= set(seen) and len(seen) == len(set(seen))


def test_iterator_types_and_paging(ddb, streams):
    name, arn = make_table(ddb, "KEYS_ONLY")
    for k in "123":
        ddb.put_item(TableName=name, Item={"pk": {"S": k}})
    records = read_until(streams, iterator(streams, arn), 3)
    seq = [r["dynamodb"]["SequenceNumber"] for r in records]
    at = streams.get_records(ShardIterator=iterator(streams, arn, "AT_SEQUENCE_NUMBER",
                                                    SequenceNumber=seq[1]))["Records"]
    assert [r["dynamodb"]["SequenceNumber"] for r in at] == seq[1:]
    after = streams.get_records(ShardIterator=iterator(streams, arn, "AFTER_SEQUENCE_NUMBER",
                                                       SequenceNumber=seq[1]))["Records"]
    assert [r["dynamodb"]["SequenceNumber"] for r in after] == seq[2:]
    paged, it = [], iterator(streams, arn)
    while len(paged) < 3:
        page = streams.get_records(ShardIterator=it, Limit=1)
        assert len(page["Records"]) <= 1
        paged += page["Records"]
        it = page["NextShardIterator"]
    assert [r["dynamodb"]["SequenceNumber"] for r in paged] == seq
    latest = iterator(streams, arn, "LATEST")
    assert streams.get_records(ShardIterator=latest)["Records"] == []


def test_disable_then_enable_makes_a_new_stream(ddb, streams):
    name, arn = make_table(ddb, "NEW_IMAGE")
    ddb.put_item(TableName=name, Item={"pk": {"S": "before"}})
    assert len(read_until(streams, iterator(streams, arn), 1)) == 1
    update_stream(ddb, name, {"StreamEnabled": False})
    t = ddb.describe_table(TableName=name)["Table"]
    assert "StreamSpecification" not in t and t["LatestStreamArn"] == arn
    wait_for(lambda: streams.describe_stream(StreamArn=arn)["StreamDescription"][
        "StreamStatus"] == "DISABLED", timeout=60, what="the stream to be DISABLED")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    assert "EndingSequenceNumber" in shard["SequenceNumberRange"]
    page = streams.get_records(ShardIterator=iterator(streams, arn))
    assert [r["dynamodb"]["NewImage"]["pk"]["S"] for r in page["Records"]] == ["before"]
    assert "NextShardIterator" not in page
    with pytest.raises(ClientError) as e:
        ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert error_message(e) == ("ValidationException",
                                "Table has no stream to disable: TableName: " + name)
    update_stream(ddb, name, {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    arn2 = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    assert arn2 != arn
    assert {s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]} == {arn, arn2}
    with pytest.raises(ClientError) as e:
        ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True,
                                                              "StreamViewType": "NEW_IMAGE"})
    assert error_message(e) == ("ValidationException",
                                "Table already has an enabled stream: TableName: " + name)


def test_batches_and_transactions_write_records(ddb, streams):
    name, arn = make_table(ddb, "KEYS_ONLY")
    ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"pk": {"S": "b1"}}}},
                                              {"PutRequest": {"Item": {"pk": {"S": "b2"}}}}]})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": {"S": "t1"}}}},
        {"Delete": {"TableName": name, "Key": {"pk": {"S": "b1"}}}}])
    records = read_until(streams, iterator(streams, arn), 4)
    got = sorted((r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records)
    assert got == [("INSERT", "b1"), ("INSERT", "b2"), ("INSERT", "t1"), ("REMOVE", "b1")]


def test_errors(ddb, streams, account):
    name, arn = make_table(ddb, "KEYS_ONLY")
    missing = "arn:aws:dynamodb:us-east-1:%s:table/%s/stream/2020-01-01T00:00:00.000" % (
        account, name)
    with pytest.raises(ClientError) as e:
        streams.describe_stream(StreamArn=missing)
    assert error(e) == ("ResourceNotFoundException", 400)
    with pytest.raises(ClientError) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId="shardId-00000000000000000000-0000abcd",
                                   ShardIteratorType="LATEST")
    assert error(e) == ("ResourceNotFoundException", 400)
    shard = shard_of(streams, arn)
    with pytest.raises(ClientError) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                   ShardIteratorType="AT_SEQUENCE_NUMBER")
    assert error(e) == ("ValidationException", 400)
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator="x" * 40)
    assert error(e) == ("ValidationException", 400)
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator=iterator(streams, arn, "LATEST"), Limit=1001)
    assert error(e) == ("ValidationException", 400)
    with pytest.raises(ClientError) as e:
        streams.list_streams(Limit=0)
    assert error(e) == ("ValidationException", 400)
    with pytest.raises(ClientError) as e:
        make_table(ddb, None, StreamSpecification={"StreamEnabled": True})
    assert error(e) == ("ValidationException", 400)


@pytest.mark.parametrize("cli", CLIS)
def test_cli_reads_the_stream(cli, endpoint, tmp_path, ddb):
    name, arn = make_table(ddb, "NEW_IMAGE")
    ddb.put_item(TableName=name, Item={"pk": {"S": "cli"}})
    run = aws_cli(cli, endpoint, tmp_path, "dynamodbstreams")
    assert arn in [s["StreamArn"] for s in run("list-streams", "--table-name", name)["Streams"]]
    shard = run("describe-stream", "--stream-arn", arn)["StreamDescription"]["Shards"][0]
    it = run("get-shard-iterator", "--stream-arn", arn, "--shard-id", shard["ShardId"],
             "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
    records = run("get-records", "--shard-iterator", it)["Records"]
    assert [r["dynamodb"]["NewImage"] for r in records] == [{"pk": {"S": "cli"}}]


@pytest.mark.emulator_only
def test_deleted_tables_stream_stays_readable(ddb, streams):
    name, arn = make_table(ddb, "KEYS_ONLY")
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}})
    ddb.delete_table(TableName=name)
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["StreamStatus"] in ("DISABLING", "DISABLED")
    assert [r["eventName"] for r in streams.get_records(
        ShardIterator=iterator(streams, arn))["Records"]] == ["INSERT"]


@pytest.mark.emulator_only
def test_ttl_delete_record_names_the_service(tmp_gantry):
    # The TTL sweep runs every 10 s of AWS time: 0.2 s at --time-scale 50.
    g = tmp_gantry("--time-scale", "50")
    ddb, streams = client_for(g.endpoint, "dynamodb"), client_for(g.endpoint, "dynamodbstreams")
    name, arn = make_table(ddb, "NEW_AND_OLD_IMAGES")
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True,
                                                                     "AttributeName": "exp"})
    ddb.put_item(TableName=name, Item={"pk": {"S": "old"}, "exp": {"N": str(int(time.time()) - 60)}})
    records = read_until(streams, iterator(streams, arn), 2)
    assert [r["eventName"] for r in records] == ["INSERT", "REMOVE"]
    assert "userIdentity" not in records[0]
    assert records[1]["userIdentity"] == {"Type": "Service",
                                          "PrincipalId": "dynamodb.amazonaws.com"}
    assert records[1]["dynamodb"]["OldImage"]["pk"] == {"S": "old"}


@pytest.mark.emulator_only
def test_records_are_trimmed_after_a_day_of_aws_time(tmp_gantry):
    # At --time-scale 20000 a day of AWS time is 4.3 s and the trim sweep runs every 3 ms; a
    # shard iterator lives 45 ms, so each read takes a fresh one.
    g = tmp_gantry("--time-scale", "20000")
    ddb, streams = client_for(g.endpoint, "dynamodb"), client_for(g.endpoint, "dynamodbstreams")
    name, arn = make_table(ddb, "KEYS_ONLY")
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}})

    def records():
        # A loaded machine may take longer than 45 ms between the two calls: take a fresh one.
        for _ in range(20):
            try:
                return streams.get_records(ShardIterator=iterator(streams, arn))["Records"]
            except ClientError as e:
                if error(e)[0] != "ExpiredIteratorException":
                    raise
        raise AssertionError("every shard iterator expired before it was used")
    assert len(records()) == 1
    wait_for(lambda: records() == [], timeout=30, interval=0.2, what="the record to be trimmed")
