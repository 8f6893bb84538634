"""DynamoDB against Gantry: tables (waiters, validation, indexes, UpdateTable), items with
conditions and exact numbers, Query and Scan paging, batches, transactions, the boto3 resource API
with boto3.dynamodb.conditions, the AWS CLI, and writes that survive kill -9. Written to pass
against real DynamoDB too (except where marked emulator_only)."""
import decimal
import json
import signal
import uuid
from unittest.mock import ANY

import boto3
import botocore.config
import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from conftest import CLIS, aws_cli, client_for
from secrets_env import error, error_message

FAST = {"Delay": 1, "MaxAttempts": 60}


@pytest.fixture
def ddb(make_client):
    return make_client("dynamodb")


@pytest.fixture
def resource(endpoint):
    cfg = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
    return boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test", config=cfg)


def make_table(ddb, name=None, range_key=True, **kw):
    name = name or "t-" + uuid.uuid4().hex[:8]
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    defs = [{"AttributeName": "pk", "AttributeType": "S"}]
    if range_key:
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
        defs.append({"AttributeName": "sk", "AttributeType": "N"})
    defs += kw.pop("extra_defs", [])
    ddb.create_table(TableName=name, KeySchema=keys, AttributeDefinitions=defs,
                     BillingMode="PAY_PER_REQUEST", **kw)
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig=FAST)
    return name


# --- tables ---------------------------------------------------------------------------------

def test_create_describe_list_delete_with_waiters(ddb, account):
    name = "orders-" + uuid.uuid4().hex[:6]
    d = ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
        Tags=[{"Key": "team", "Value": "a"}])["TableDescription"]
    assert d["TableStatus"] == "CREATING"
    assert d["TableArn"] == "arn:aws:dynamodb:us-east-1:%s:table/%s" % (account, name)
    assert d["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig=FAST)
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["TableStatus"] == "ACTIVE" and t["ItemCount"] == 0 and t["TableSizeBytes"] == 0
    assert t["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert name in ddb.list_tables()["TableNames"]
    assert ddb.list_tags_of_resource(ResourceArn=t["TableArn"])["Tags"] == \
        [{"Key": "team", "Value": "a"}]
    assert ddb.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"
    ddb.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig=FAST)
    with pytest.raises(ClientError) as e:
        ddb.describe_table(TableName=name)
    assert error(e) == ("ResourceNotFoundException", 400)


def test_list_tables_pages(ddb):
    names = sorted("page-%d-%s" % (i, uuid.uuid4().hex[:4]) for i in range(3))
    for n in names:
        ddb.create_table(TableName=n, KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
    listed = ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 1}) \
        .build_full_result()["TableNames"]
    assert [n for n in listed if n in names] == names
    first = ddb.list_tables(Limit=1)
    assert len(first["TableNames"]) == 1 and "LastEvaluatedTableName" in first


@pytest.mark.parametrize("kw,message", [
    (dict(KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}],
          AttributeDefinitions=[{"AttributeName": "b", "AttributeType": "S"}]),
     "One or more parameter values were invalid: Some index key attributes are not defined in "
     "AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]"),
    (dict(KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}],
          AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"},
                                {"AttributeName": "b", "AttributeType": "S"}]),
     "One or more parameter values were invalid: Number of attributes in KeySchema does not "
     "exactly match number of attributes defined in AttributeDefinitions"),
    (dict(KeySchema=[{"AttributeName": "a", "KeyType": "RANGE"}],
          AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}]),
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
])
def test_create_table_validation_messages(ddb, kw, message):
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName="bad-table", BillingMode="PAY_PER_REQUEST", **kw)
    assert error_message(e) == ("ValidationException", message)


def test_create_table_twice_is_in_use(ddb):
    name = make_table(ddb)
    with pytest.raises(ClientError) as e:
        make_table(ddb, name=name)
    assert error(e) == ("ResourceInUseException", 400)


def test_update_table_adds_a_backfilled_gsi(ddb):
    name = make_table(ddb)
    for i in range(5):
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": str(i)},
                                           "color": {"S": "red" if i % 2 else "blue"}})
    ddb.update_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "color", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "by_color",
            "KeySchema": [{"AttributeName": "color", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig=FAST)

    def active():
        gsis = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
        return gsis[0]["IndexStatus"] == "ACTIVE"
    from conftest import wait_for
    wait_for(active, timeout=60, interval=0.5, what="index ACTIVE")
    out = ddb.query(TableName=name, IndexName="by_color",
                    KeyConditionExpression="color = :c",
                    ExpressionAttributeValues={":c": {"S": "red"}})
    assert out["Count"] == 2
    assert sorted(i["sk"]["N"] for i in out["Items"]) == ["1", "3"]
    assert set(out["Items"][0]) == {"pk", "sk", "color"}


# --- items ----------------------------------------------------------------------------------

def test_put_get_update_delete_with_conditions(ddb):
    name = make_table(ddb)
    key = {"pk": {"S": "u1"}, "sk": {"N": "1"}}
    out = ddb.put_item(TableName=name, Item={**key, "n": {"N": "0.1"}, "b": {"B": b"\x00\xff"}},
                       ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 1.0}
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=name, Item=key, ConditionExpression="attribute_not_exists(pk)",
                     ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert error(e) == ("ConditionalCheckFailedException", 400)
    assert e.value.response["Item"]["n"] == {"N": "0.1"}
    # With the item, DynamoDB's body says "Message": botocore then adds no top-level "message".
    assert e.value.response["Error"]["Message"] == "The conditional request failed"
    assert "message" not in e.value.response
    out = ddb.update_item(TableName=name, Key=key, UpdateExpression="ADD n :d SET s = :s",
                          ExpressionAttributeValues={":d": {"N": "0.2"}, ":s": {"S": "x"}},
                          ReturnValues="UPDATED_NEW")
    assert out["Attributes"] == {"n": {"N": "0.3"}, "s": {"S": "x"}}
    got = ddb.get_item(TableName=name, Key=key, ConsistentRead=True,
                       ReturnConsumedCapacity="TOTAL")
    assert got["Item"]["b"] == {"B": b"\x00\xff"}
    assert got["ConsumedCapacity"]["CapacityUnits"] == 1.0
    assert ddb.get_item(TableName=name, Key=key)["Item"]["s"] == {"S": "x"}
    assert ddb.get_item(TableName=name, Key=key,
                        ProjectionExpression="#n", ExpressionAttributeNames={"#n": "n"})["Item"] \
        == {"n": {"N": "0.3"}}
    old = ddb.delete_item(TableName=name, Key=key, ReturnValues="ALL_OLD")["Attributes"]
    assert old["s"] == {"S": "x"}
    assert "Item" not in ddb.get_item(TableName=name, Key=key)


def test_item_errors(ddb):
    name = make_table(ddb)
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=name, Key={"pk": {"S": "a"}})
    assert error_message(e) == ("ValidationException",
                                "The provided key element does not match the schema")
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=name, Item={"pk": {"S": "a"}})
    assert error_message(e) == ("ValidationException",
                                "One or more parameter values were invalid: Missing the key sk "
                                "in the item")
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}},
                        UpdateExpression="SET pk = :v",
                        ExpressionAttributeValues={":v": {"S": "b"}})
    assert error_message(e) == ("ValidationException",
                                "One or more parameter values were invalid: Cannot update "
                                "attribute pk. This attribute is part of the key")
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName="no-such-table", Key={"pk": {"S": "a"}})
    assert error(e) == ("ResourceNotFoundException", 400)


# --- queries and scans ----------------------------------------------------------------------

def test_query_sort_conditions_order_and_paging(ddb):
    name = make_table(ddb)
    for i in range(10):
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": str(i * 10 - 20)}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "other"}, "sk": {"N": "0"}})
    q = dict(TableName=name, KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
             ExpressionAttributeValues={":p": {"S": "p"}, ":a": {"N": "-15"}, ":b": {"N": "40"}})
    out = ddb.query(**q)
    assert [i["sk"]["N"] for i in out["Items"]] == ["-10", "0", "10", "20", "30", "40"]
    out = ddb.query(ScanIndexForward=False, **q)
    assert [i["sk"]["N"] for i in out["Items"]][:2] == ["40", "30"]
    pages = list(ddb.get_paginator("query").paginate(PaginationConfig={"PageSize": 4}, **q))
    assert [p["Count"] for p in pages][:2] == [4, 2]
    assert pages[0]["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "20"}}
    assert ddb.query(Select="COUNT", **q)["Count"] == 6
    assert "Items" not in ddb.query(Select="COUNT", **q)
    ddb.update_item(TableName=name, Key={"pk": {"S": "p"}, "sk": {"N": "20"}},
                    UpdateExpression="SET flag = :t", ExpressionAttributeValues={":t": {"BOOL": True}})
    filtered = ddb.query(FilterExpression="attribute_exists(flag)", **q)
    assert filtered["Count"] == 1 and filtered["ScannedCount"] == 6


def test_scan_segments_cover_every_item_once(ddb):
    name = make_table(ddb, range_key=False)
    with_batches = [{"PutRequest": {"Item": {"pk": {"S": "k%03d" % i}, "v": {"N": str(i)}}}}
                    for i in range(60)]
    for i in range(0, 60, 25):
        ddb.batch_write_item(RequestItems={name: with_batches[i:i + 25]})
    seen = []
    for seg in range(3):
        for page in ddb.get_paginator("scan").paginate(TableName=name, Segment=seg,
                                                       TotalSegments=3,
                                                       PaginationConfig={"PageSize": 7}):
            seen += [i["pk"]["S"] for i in page["Items"]]
    assert sorted(seen) == ["k%03d" % i for i in range(60)]
    out = ddb.scan(TableName=name, FilterExpression="v < :n",
                   ExpressionAttributeValues={":n": {"N": "5"}})
    assert out["Count"] == 5 and out["ScannedCount"] == 60
    assert ddb.describe_table(TableName=name)["Table"]["ItemCount"] == 60


def test_scan_visits_partitions_in_dynamodbs_order(ddb):
    """DynamoDB's partitions come in the order of its key hash ("A" before "B"), each in sort-key
    order, as moto's AWS-verified test_scan_with_alternating_hash_keys saw on AWS."""
    name = "t-" + uuid.uuid4().hex[:8]
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}])
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig=FAST)
    keys = [("A", s) for s in ["1", "3", "5", "7", "16", "17", "18", "19", "20"]]
    keys += [("B", s) for s in ["0", "2", "4", "6"]]
    for pk, sk in sorted(keys, key=lambda k: k[1]):
        ddb.put_item(TableName=name, Item={"pk": {"S": pk}, "sk": {"S": sk}})
    pages = [[i["pk"]["S"] + i["sk"]["S"] for i in page["Items"]]
             for page in ddb.get_paginator("scan").paginate(
                 TableName=name, PaginationConfig={"PageSize": 3})]
    assert pages == [["A1", "A16", "A17"], ["A18", "A19", "A20"], ["A3", "A5", "A7"],
                     ["B0", "B2", "B4"], ["B6"]]


@pytest.mark.parametrize("operation", ["query", "scan"])
def test_select_checks_against_index_and_projection(ddb, operation):
    """Select's rules, in DynamoDB's words (moto's AWS-verified test_dynamodb_select.py): Query
    counts them as one validation error, Scan does not."""
    name = make_table(ddb, range_key=False)
    prefix = "1 validation error detected: " if operation == "query" else ""

    def read(**kw):
        req = dict(TableName=name, **kw)
        if operation == "query" and "AttributesToGet" in kw:  # legacy with legacy
            req["KeyConditions"] = {"pk": {"ComparisonOperator": "EQ",
                                           "AttributeValueList": [{"S": "x"}]}}
        elif operation == "query":
            req.update(KeyConditionExpression="pk = :k",
                       ExpressionAttributeValues={":k": {"S": "x"}})
        return getattr(ddb, operation)(**req)

    assert read(Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="pk")["Count"] == 0
    for kw, message in [
            (dict(Select="ALL_PROJECTED_ATTRIBUTES"),
             "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"),
            (dict(Select="SPECIFIC_ATTRIBUTES"),
             "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
             "SPECIFIC_ATTRIBUTES"),
            (dict(Select="COUNT", ProjectionExpression="pk"),
             "Cannot specify the ProjectionExpression when choosing to get only the Count"),
            (dict(Select="ALL_ATTRIBUTES", AttributesToGet=["pk"]),
             "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES")]:
        with pytest.raises(ClientError) as e:
            read(**kw)
        assert error_message(e) == ("ValidationException", prefix + message), kw
    with pytest.raises(ClientError) as e:
        read(Select="count")
    assert error_message(e) == (
        "ValidationException",
        "1 validation error detected: Value 'count' at 'select' failed to satisfy constraint: "
        "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, "
        "ALL_PROJECTED_ATTRIBUTES]")


def test_query_reports_unused_names_before_key_schema_problems(ddb):
    name = make_table(ddb, range_key=False)
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=name, KeyConditionExpression="(#0 = x) AND (begins_with(#1, a))",
                  ExpressionAttributeNames={"#0": "pk", "#1": "sk", "#count": "count"})
    assert error_message(e) == (
        "ValidationException",
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#count}")


def test_multi_attribute_global_index_keys(ddb):
    """A global index keyed on one partition and two sort attributes (multi-attribute keys):
    items need every key attribute to be indexed, a Query matches the sort attributes from the
    first on with only the last one a range, and sorts by both."""
    name = "t-" + uuid.uuid4().hex[:8]
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in
                              [("pk", "S"), ("g", "S"), ("s1", "S"), ("s2", "N")]],
        GlobalSecondaryIndexes=[{"IndexName": "multi", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                               {"AttributeName": "s1", "KeyType": "RANGE"},
                                               {"AttributeName": "s2", "KeyType": "RANGE"}]}])
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig=FAST)
    index = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
    assert [k["KeyType"] for k in index["KeySchema"]] == ["HASH", "RANGE", "RANGE"]
    rows = [("1", "a", 100), ("2", "a", 200), ("3", "a", 300), ("4", "b", 150),
            ("5", "a\x00", 5), ("6", None, 7), ("7", "c", None)]
    for pk, s1, s2 in rows:
        item = {"pk": {"S": pk}, "g": {"S": "x"}}
        if s1 is not None:
            item["s1"] = {"S": s1}
        if s2 is not None:
            item["s2"] = {"N": str(s2)}
        ddb.put_item(TableName=name, Item=item)

    def query(cond, values, **kw):
        values = dict(values, **{":g": {"S": "x"}})
        out = ddb.query(TableName=name, IndexName="multi",
                        KeyConditionExpression="g = :g" + cond,
                        ExpressionAttributeValues=values, **kw)
        return [i["pk"]["S"] for i in out["Items"]], out

    assert query("", {})[0] == ["1", "2", "3", "5", "4"]  # by (s1, s2); 6 and 7 lack a key
    assert query("", {}, ScanIndexForward=False)[0] == ["4", "5", "3", "2", "1"]
    assert query(" AND s1 = :a", {":a": {"S": "a"}})[0] == ["1", "2", "3"]
    assert query(" AND s1 > :a", {":a": {"S": "a"}})[0] == ["5", "4"]
    assert query(" AND begins_with(s1, :a)", {":a": {"S": "a"}})[0] == ["1", "2", "3", "5"]
    assert query(" AND s1 = :a AND s2 > :n", {":a": {"S": "a"}, ":n": {"N": "100"}})[0] == \
        ["2", "3"]
    assert query(" AND s1 = :a AND s2 BETWEEN :l AND :h",
                 {":a": {"S": "a"}, ":l": {"N": "150"}, ":h": {"N": "300"}})[0] == ["2", "3"]
    with pytest.raises(ClientError) as e:
        query(" AND s2 > :n", {":n": {"N": "100"}})
    assert error(e) == ("ValidationException", 400) and "s1" in error_message(e)[1]
    with pytest.raises(ClientError) as e:
        query(" AND s1 > :a AND s2 = :n", {":a": {"S": "a"}, ":n": {"N": "1"}})
    assert error(e) == ("ValidationException", 400)
    legacy = ddb.query(TableName=name, IndexName="multi", KeyConditions={
        "g": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]},
        "s1": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
        "s2": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "200"}]}})
    assert [i["pk"]["S"] for i in legacy["Items"]] == ["2", "3"]
    pages, start = [], None
    while True:
        kw = {"Limit": 2}
        if start:
            kw["ExclusiveStartKey"] = start
        ids, out = query("", {}, **kw)
        pages.append(ids)
        start = out.get("LastEvaluatedKey")
        if not start:
            break
        assert set(start) == {"pk", "g", "s1", "s2"}
    assert [i for p in pages for i in p] == ["1", "2", "3", "5", "4"]


def test_resource_policy_revisions(ddb, account):
    name = make_table(ddb, range_key=False)
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    doc = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": account}, "Action": ["dynamodb:GetItem"],
         "Resource": "*"}]})
    rev = ddb.put_resource_policy(ResourceArn=arn, Policy=doc,
                                  ExpectedRevisionId="NO_POLICY")["RevisionId"]
    assert ddb.put_resource_policy(ResourceArn=arn, Policy=doc)["RevisionId"] == rev
    assert ddb.get_resource_policy(ResourceArn=arn) == {
        "Policy": doc, "RevisionId": rev, "ResponseMetadata": ANY}
    with pytest.raises(ClientError) as e:
        ddb.delete_resource_policy(ResourceArn=arn, ExpectedRevisionId="1")
    assert error(e) == ("PolicyNotFoundException", 400)
    assert ddb.delete_resource_policy(ResourceArn=arn)["RevisionId"] == rev
    with pytest.raises(ClientError) as e:
        ddb.get_resource_policy(ResourceArn=arn)
    assert error_message(e) == (
        "PolicyNotFoundException",
        "Resource-based policy not found for the provided ResourceArn: " + arn)


def test_batch_get_and_write(ddb):
    name = make_table(ddb, range_key=False)
    ddb.batch_write_item(RequestItems={name: [
        {"PutRequest": {"Item": {"pk": {"S": "a"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "b"}}}}]})
    out = ddb.batch_get_item(RequestItems={name: {"Keys": [{"pk": {"S": "a"}},
                                                           {"pk": {"S": "zz"}}]}})
    assert out["Responses"][name] == [{"pk": {"S": "a"}}] and out["UnprocessedKeys"] == {}
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={name: {"Keys": [{"pk": {"S": "a"}}] * 2}})
    assert error_message(e) == ("ValidationException",
                                "Provided list of item keys contains duplicates")


def test_transact_write_cancellation_and_idempotency(ddb):
    name = make_table(ddb, range_key=False)
    ddb.put_item(TableName=name, Item={"pk": {"S": "acct"}, "bal": {"N": "10"}})
    items = [
        {"Update": {"TableName": name, "Key": {"pk": {"S": "acct"}},
                    "UpdateExpression": "SET bal = bal - :a",
                    "ConditionExpression": "bal >= :a",
                    "ExpressionAttributeValues": {":a": {"N": "30"}}}},
        {"Put": {"TableName": name, "Item": {"pk": {"S": "log"}}}},
    ]
    with pytest.raises(ClientError) as e:
        ddb.transact_write_items(TransactItems=items)
    assert error(e) == ("TransactionCanceledException", 400)
    assert [r["Code"] for r in e.value.response["CancellationReasons"]] == \
        ["ConditionalCheckFailed", "None"]
    assert "Item" not in ddb.get_item(TableName=name, Key={"pk": {"S": "log"}})
    items[0]["Update"]["ExpressionAttributeValues"] = {":a": {"N": "3"}}
    token = uuid.uuid4().hex
    ddb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    ddb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    got = ddb.transact_get_items(TransactItems=[{"Get": {"TableName": name,
                                                         "Key": {"pk": {"S": "acct"}}}}])
    assert got["Responses"][0]["Item"]["bal"] == {"N": "7"}


# --- resource API, CLI, durability ----------------------------------------------------------

def test_resource_api_with_conditions(ddb, resource):
    name = make_table(ddb)
    table = resource.Table(name)
    with table.batch_writer() as batch:
        for i in range(5):
            batch.put_item(Item={"pk": "user", "sk": i, "score": decimal.Decimal("1.5") * i,
                                 "tags": {"a", "b"}})
    out = table.query(KeyConditionExpression=Key("pk").eq("user") & Key("sk").gte(2),
                      FilterExpression=Attr("score").lt(6))
    assert [int(i["sk"]) for i in out["Items"]] == [2, 3]
    assert out["Items"][0]["score"] == decimal.Decimal("3")
    assert out["Items"][0]["tags"] == {"a", "b"}
    table.update_item(Key={"pk": "user", "sk": 0}, UpdateExpression="SET score = score + :d",
                      ExpressionAttributeValues={":d": decimal.Decimal("0.1")})
    assert table.get_item(Key={"pk": "user", "sk": 0})["Item"]["score"] == \
        decimal.Decimal("0.1")


@pytest.mark.parametrize("cli", CLIS)
def test_cli_put_and_get(cli, endpoint, tmp_path, ddb):
    name = make_table(ddb, range_key=False)
    run = aws_cli(cli, endpoint, tmp_path, "dynamodb")
    run("put-item", "--table-name", name, "--item", '{"pk": {"S": "cli"}, "n": {"N": "42"}}')
    out = run("get-item", "--table-name", name, "--key", '{"pk": {"S": "cli"}}')
    assert out["Item"] == {"pk": {"S": "cli"}, "n": {"N": "42"}}
    assert name in run("list-tables")["TableNames"]


@pytest.mark.emulator_only
def test_acknowledged_writes_survive_kill_9(tmp_gantry, tmp_path):
    d = str(tmp_path / "g")
    g = tmp_gantry(data_dir=d)
    ddb = client_for(g.endpoint, "dynamodb")
    name = make_table(ddb, range_key=False)
    for i in range(50):
        ddb.put_item(TableName=name, Item={"pk": {"S": "k%d" % i}})
    g.stop(signal.SIGKILL)
    g2 = tmp_gantry(data_dir=d)
    ddb2 = client_for(g2.endpoint, "dynamodb")
    assert ddb2.scan(TableName=name, Select="COUNT")["Count"] == 50


@pytest.mark.emulator_only
def test_ttl_deletes_expired_items_in_the_background(tmp_gantry):
    # DynamoDB deletes expired items "within a few days"; here the sweep runs every 10 s of AWS
    # time, which --time-scale 50 makes 0.2 s.
    from conftest import wait_for
    g = tmp_gantry("--time-scale", "50")
    ddb = client_for(g.endpoint, "dynamodb")
    name = make_table(ddb, range_key=False)
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True,
                                                                     "AttributeName": "exp"})
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == \
        {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}
    import time as _time
    past, future = int(_time.time()) - 60, int(_time.time()) + 3600
    ddb.put_item(TableName=name, Item={"pk": {"S": "old"}, "exp": {"N": str(past)}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "new"}, "exp": {"N": str(future)}})
    wait_for(lambda: "Item" not in ddb.get_item(TableName=name, Key={"pk": {"S": "old"}}),
             timeout=30, interval=0.1, what="the expired item to go")
    assert "Item" in ddb.get_item(TableName=name, Key={"pk": {"S": "new"}})


def test_backup_is_a_copy_and_restores_into_a_new_table(ddb):
    name = make_table(ddb, range_key=False)
    ddb.put_item(TableName=name, Item={"pk": {"S": "kept"}})
    arn = ddb.create_backup(TableName=name, BackupName="nightly")["BackupDetails"]["BackupArn"]
    ddb.put_item(TableName=name, Item={"pk": {"S": "after"}})
    ddb.delete_item(TableName=name, Key={"pk": {"S": "kept"}})
    described = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    assert described["BackupDetails"]["BackupStatus"] == "AVAILABLE"
    assert described["SourceTableDetails"]["TableName"] == name
    assert [b["BackupArn"] for b in ddb.list_backups(TableName=name)["BackupSummaries"]] == [arn]
    target = name + "-restored"
    ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    ddb.get_waiter("table_exists").wait(TableName=target, WaiterConfig=FAST)
    assert [i["pk"]["S"] for i in ddb.scan(TableName=target)["Items"]] == ["kept"]
    with pytest.raises(ClientError) as e:
        ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    assert error(e) == ("TableAlreadyExistsException", 400)
    ddb.delete_backup(BackupArn=arn)
    with pytest.raises(ClientError) as e:
        ddb.describe_backup(BackupArn=arn)
    assert error(e) == ("BackupNotFoundException", 400)


def test_legacy_parameters(ddb):
    name = make_table(ddb)
    for i in range(4):
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": str(i)},
                                           "v": {"S": "x%d" % i}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": "0"}, "v": {"S": "y"}},
                 Expected={"v": {"Value": {"S": "x0"}}})
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": "0"}},
                     Expected={"v": {"Exists": False}})
    assert error(e) == ("ConditionalCheckFailedException", 400)
    out = ddb.query(TableName=name, KeyConditions={
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
        "sk": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "2"}]}},
        AttributesToGet=["v"])
    assert out["Items"] == [{"v": {"S": "x2"}}, {"v": {"S": "x3"}}]
    ddb.update_item(TableName=name, Key={"pk": {"S": "p"}, "sk": {"N": "1"}},
                    AttributeUpdates={"n": {"Action": "ADD", "Value": {"N": "5"}}})
    out = ddb.scan(TableName=name, ScanFilter={
        "n": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "5"}]}})
    assert [i["sk"]["N"] for i in out["Items"]] == ["1"]
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=name, KeyConditionExpression="pk = :p", AttributesToGet=["v"],
                  ExpressionAttributeValues={":p": {"S": "p"}})
    assert error_message(e) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{KeyConditionExpression}")
