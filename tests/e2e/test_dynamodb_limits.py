"""DynamoDB's limits at their edges: items nested 32 levels deep (and one level more), the
request counts of BatchWriteItem and BatchGetItem, duplicate keys, the 16 MB a BatchGetItem reply
may carry, and UnprocessedItems/UnprocessedKeys always present. Written to pass against real
DynamoDB too."""
import threading
import uuid

import pytest
from botocore.exceptions import ClientError

FAST = {"Delay": 1, "MaxAttempts": 60}
NESTING = ("Nesting Levels have exceeded supported limits: Attributes in the item have nested "
           "levels beyond supported limit")


@pytest.fixture
def ddb(make_client):
    return make_client("dynamodb")


def make_table(ddb):
    name = "limits-" + uuid.uuid4().hex[:8]
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig=FAST)
    return name


@pytest.fixture
def table(ddb):
    name = make_table(ddb)
    yield name
    ddb.delete_table(TableName=name)


@pytest.fixture
def other_table(ddb):
    name = make_table(ddb)
    yield name
    ddb.delete_table(TableName=name)


def nested(levels, wrap="M"):
    """A value `levels` deep: levels - 1 maps (or lists) around a string."""
    v = {"S": "leaf"}
    for _ in range(levels - 1):
        v = {"M": {"a": v}} if wrap == "M" else {"L": [v]}
    return v


def failure(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


# --- nesting ---------------------------------------------------------------------------------

# "Nested attribute depth: DynamoDB supports nested attributes up to 32 levels deep." (Service
# quotas, Attributes). The item's JSON is deeper than 64 levels on the wire.
@pytest.mark.parametrize("wrap", ["M", "L"])
def test_item_nested_32_levels_round_trips(ddb, table, wrap):
    item = {"pk": {"S": "deep"}, "doc": nested(32, wrap)}
    ddb.put_item(TableName=table, Item=item)
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "deep"}})["Item"] == item
    out = ddb.query(TableName=table, KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "deep"}})
    assert out["Items"] == [item]


@pytest.mark.parametrize("levels", [33, 40, 60])
def test_item_nested_deeper_than_32_levels_is_rejected(ddb, table, levels):
    item = {"pk": {"S": "deep"}, "doc": nested(levels)}
    assert failure(lambda: ddb.put_item(TableName=table, Item=item)) == \
        ("ValidationException", NESTING)
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "deep"}})


def test_nesting_limit_applies_in_batches_and_transactions(ddb, table):
    ok = {"pk": {"S": "ok"}, "doc": nested(32)}
    deep = {"pk": {"S": "deep"}, "doc": nested(33)}
    ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": ok}}])
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "ok"}})["Item"] == ok
    code, message = failure(lambda: ddb.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": deep}}]}))
    assert (code, message) == ("ValidationException", NESTING)
    code, message = failure(lambda: ddb.transact_write_items(
        TransactItems=[{"Put": {"TableName": table, "Item": deep}}]))
    assert code == "ValidationException" and NESTING in message


# --- BatchWriteItem --------------------------------------------------------------------------

def puts(n, prefix="k"):
    return [{"PutRequest": {"Item": {"pk": {"S": "%s%d" % (prefix, i)}}}} for i in range(n)]


def test_batch_write_item_reports_empty_unprocessed_items(ddb, table):
    out = ddb.batch_write_item(RequestItems={table: puts(25)})
    assert out["UnprocessedItems"] == {}
    assert ddb.scan(TableName=table, Select="COUNT")["Count"] == 25


def test_batch_write_item_with_more_than_25_requests_is_rejected(ddb, table):
    code, message = failure(lambda: ddb.batch_write_item(RequestItems={table: puts(26)}))
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 25" in message
    code, message = failure(lambda: ddb.batch_write_item(RequestItems={table: []}))
    assert code == "ValidationException"
    assert "Member must have length greater than or equal to 1" in message
    assert ddb.scan(TableName=table, Select="COUNT")["Count"] == 0


def test_batch_write_item_counts_requests_across_tables(ddb, table, other_table):
    assert failure(lambda: ddb.batch_write_item(
        RequestItems={table: puts(13), other_table: puts(13)})) == \
        ("ValidationException", "Too many items requested for the BatchWriteItem call")


def test_batch_write_item_duplicate_keys_are_rejected(ddb, table):
    dup = puts(2) + [{"DeleteRequest": {"Key": {"pk": {"S": "k0"}}}}]
    assert failure(lambda: ddb.batch_write_item(RequestItems={table: dup})) == \
        ("ValidationException", "Provided list of item keys contains duplicates")
    assert ddb.scan(TableName=table, Select="COUNT")["Count"] == 0


def test_batch_writer_of_boto3_writes_every_item(endpoint, table):
    import boto3
    resource = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test")
    with resource.Table(table).batch_writer() as batch:
        for i in range(60):
            batch.put_item(Item={"pk": "b%d" % i, "n": i})
    assert resource.Table(table).scan(Select="COUNT")["Count"] == 60


# --- BatchGetItem ----------------------------------------------------------------------------

def keys(n, prefix="k"):
    return [{"pk": {"S": "%s%d" % (prefix, i)}} for i in range(n)]


def test_batch_get_item_limits_and_duplicates(ddb, table):
    code, message = failure(lambda: ddb.batch_get_item(RequestItems={table: {"Keys": keys(101)}}))
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 100" in message
    code, message = failure(lambda: ddb.batch_get_item(RequestItems={table: {"Keys": []}}))
    assert code == "ValidationException"
    assert "Member must have length greater than or equal to 1" in message
    assert failure(lambda: ddb.batch_get_item(
        RequestItems={table: {"Keys": keys(2) + keys(1)}})) == \
        ("ValidationException", "Provided list of item keys contains duplicates")
    out = ddb.batch_get_item(RequestItems={table: {"Keys": keys(100)}})
    assert out["Responses"] == {table: []} and out["UnprocessedKeys"] == {}


def test_batch_get_item_counts_keys_across_tables(ddb, table, other_table):
    assert failure(lambda: ddb.batch_get_item(
        RequestItems={table: {"Keys": keys(51)}, other_table: {"Keys": keys(50)}})) == \
        ("ValidationException", "Too many items requested for the BatchGetItem call")


# "A single operation can retrieve up to 16 MB of data ... BatchGetItem returns a partial result
# if the response size limit is exceeded" (BatchGetItem). 48 items of ~390 KB are ~18.3 MB.
def test_batch_get_item_past_16_mb_leaves_unprocessed_keys(ddb, table):
    blob = "x" * (390 * 1024)
    for start in range(0, 48, 8):
        ddb.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": {"pk": {"S": "big%d" % i}, "v": {"S": blob}}}}
            for i in range(start, start + 8)]})
    request = {table: {"Keys": keys(48, "big"), "ProjectionExpression": "pk, v",
                       "ConsistentRead": True}}
    first = ddb.batch_get_item(RequestItems=request)
    got = [i["pk"]["S"] for i in first["Responses"][table]]
    left = first["UnprocessedKeys"][table]
    assert 0 < len(got) < 48 and len(got) * 390 * 1024 <= 16 * 1024 * 1024
    assert left["ProjectionExpression"] == "pk, v" and left["ConsistentRead"] is True
    second = ddb.batch_get_item(RequestItems=first["UnprocessedKeys"])
    got += [i["pk"]["S"] for i in second["Responses"][table]]
    assert second["UnprocessedKeys"] == {}
    assert sorted(got) == sorted("big%d" % i for i in range(48))


# --- transactions against other writers ------------------------------------------------------

# Transactions are serializable with every other write: whatever interleaving the server chose,
# a counter raised by concurrent transactions (each with a condition on its previous value) and
# plain UpdateItem ADDs ends at the number of writes that succeeded. A conflicting transaction may
# be cancelled (TransactionCanceledException, TransactionConflict) as AWS may do; it must never be
# half-applied.
def test_concurrent_transactions_and_writes_are_serializable(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "c"}, "n": {"N": "0"}, "adds": {"N": "0"}})
    done = {"tx": 0, "add": 0}
    unexpected = []
    lock = threading.Lock()

    def transact(worker):
        for _ in range(15):
            cur = ddb.get_item(TableName=table, Key={"pk": {"S": "c"}},
                               ConsistentRead=True)["Item"]["n"]["N"]
            try:
                ddb.transact_write_items(TransactItems=[
                    {"Update": {"TableName": table, "Key": {"pk": {"S": "c"}},
                                "UpdateExpression": "SET n = n + :one",
                                "ConditionExpression": "n = :cur",
                                "ExpressionAttributeValues": {":one": {"N": "1"},
                                                              ":cur": {"N": cur}}}},
                    {"Put": {"TableName": table,
                             "Item": {"pk": {"S": "w%d-%s" % (worker, cur)}}}}])
                with lock:
                    done["tx"] += 1
            except ClientError as e:
                if e.response["Error"]["Code"] != "TransactionCanceledException":
                    unexpected.append(e)

    def add():
        for _ in range(30):
            try:
                ddb.update_item(TableName=table, Key={"pk": {"S": "c"}},
                                UpdateExpression="ADD n :one, adds :one",
                                ExpressionAttributeValues={":one": {"N": "1"}})
                with lock:
                    done["add"] += 1
            except ClientError as e:
                if e.response["Error"]["Code"] != "TransactionConflictException":
                    unexpected.append(e)

    threads = [threading.Thread(target=transact, args=(w,)) for w in range(3)]
    threads.append(threading.Thread(target=add))
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert unexpected == []
    item = ddb.get_item(TableName=table, Key={"pk": {"S": "c"}}, ConsistentRead=True)["Item"]
    assert int(item["n"]["N"]) == done["tx"] + done["add"]
    assert int(item["adds"]["N"]) == done["add"]
    markers = ddb.scan(TableName=table, Select="COUNT", FilterExpression="begins_with(pk, :w)",
                       ExpressionAttributeValues={":w": {"S": "w"}}, ConsistentRead=True)
    assert markers["Count"] == done["tx"] and done["tx"] > 0
