"""DynamoDB's PartiQL against Gantry with boto3 and both AWS CLIs: ExecuteStatement's SELECT,
INSERT, UPDATE and DELETE with parameters, conditions, RETURNING and NextToken paging;
BatchExecuteStatement's per-statement errors; ExecuteTransaction's all-or-nothing cancellation.
Written to pass against real DynamoDB too."""
import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, aws_cli
from test_dynamodb import make_table


@pytest.fixture
def ddb(make_client):
    return make_client("dynamodb")


def run(ddb, statement, *params, **kw):
    if params:
        kw["Parameters"] = list(params)
    return ddb.execute_statement(Statement=statement, **kw)


def code_and_message(excinfo):
    e = excinfo.value.response["Error"]
    return e["Code"], e["Message"]


def test_insert_select_update_delete(ddb):
    t = make_table(ddb)
    for i in range(3):
        run(ddb, "INSERT INTO \"%s\" VALUE {'pk': 'a', 'sk': ?, 'n': ?, 'tags': <<'x'>>}" % t,
            {"N": str(i)}, {"N": str(10 * i)})
    with pytest.raises(ClientError) as e:
        run(ddb, "INSERT INTO \"%s\" VALUE {'pk': 'a', 'sk': 1}" % t)
    assert code_and_message(e) == ("DuplicateItemException", "Duplicate primary key exists in table")

    items = run(ddb, 'SELECT sk, n FROM "%s" WHERE pk = ? AND sk >= 1' % t, {"S": "a"})["Items"]
    assert items == [{"sk": {"N": "1"}, "n": {"N": "10"}}, {"sk": {"N": "2"}, "n": {"N": "20"}}]
    items = run(ddb, 'SELECT sk FROM "%s" WHERE pk = \'a\' ORDER BY sk DESC' % t)["Items"]
    assert [i["sk"]["N"] for i in items] == ["2", "1", "0"]

    out = run(ddb, "UPDATE \"%s\" SET n = n + 5 SET note = 'hi' REMOVE tags "
              "WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *" % t)
    assert out["Items"] == [{"pk": {"S": "a"}, "sk": {"N": "1"}, "n": {"N": "15"},
                             "note": {"S": "hi"}}]
    got = ddb.get_item(TableName=t, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]
    assert got["n"] == {"N": "15"} and "tags" not in got

    # UPDATE of a missing item, or with a false condition, fails its condition check.
    with pytest.raises(ClientError) as e:
        run(ddb, "UPDATE \"%s\" SET n = 1 WHERE pk = 'a' AND sk = 9" % t)
    assert e.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    with pytest.raises(ClientError) as e:
        run(ddb, "UPDATE \"%s\" SET n = 1 WHERE pk = 'a' AND sk = 1 AND n = 99" % t)
    assert e.value.response["Error"]["Code"] == "ConditionalCheckFailedException"

    out = run(ddb, "DELETE FROM \"%s\" WHERE pk = 'a' AND sk = 0 RETURNING ALL OLD *" % t)
    assert out["Items"][0]["n"] == {"N": "0"}
    assert "Item" not in ddb.get_item(TableName=t, Key={"pk": {"S": "a"}, "sk": {"N": "0"}})


def test_scan_filters_and_pages_with_next_token(ddb):
    t = make_table(ddb, range_key=False)
    for i in range(7):
        ddb.put_item(TableName=t, Item={"pk": {"S": "k%d" % i}, "n": {"N": str(i)},
                                        "m": {"M": {"deep": {"L": [{"S": "v%d" % i}]}}}})
    seen, token = [], None
    while True:
        kw = {"Limit": 3}
        if token:
            kw["NextToken"] = token
        out = run(ddb, 'SELECT pk, m.deep[0] FROM "%s" WHERE n >= 2' % t, **kw)
        seen += out["Items"]
        token = out.get("NextToken")
        if not token:
            break
    assert sorted(i["pk"]["S"] for i in seen) == ["k2", "k3", "k4", "k5", "k6"]
    assert all(len(i) == 2 for i in seen)


def test_syntax_and_key_errors(ddb):
    t = make_table(ddb)
    with pytest.raises(ClientError) as e:
        run(ddb, 'SELEC * FROM "%s"' % t)
    code, message = code_and_message(e)
    assert code == "ValidationException"
    assert message.startswith("Statement wasn't well formed, can't be processed:")
    with pytest.raises(ClientError) as e:
        run(ddb, "UPDATE \"%s\" SET n = 1 WHERE pk = 'a'" % t)
    assert e.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as e:
        run(ddb, 'SELECT * FROM "nope-%s"' % t)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_batch_reports_errors_per_statement(ddb):
    t = make_table(ddb, range_key=False)
    ddb.put_item(TableName=t, Item={"pk": {"S": "dup"}})
    out = ddb.batch_execute_statement(Statements=[
        {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'new'}" % t},
        {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'dup'}" % t},
    ])["Responses"]
    assert "Error" not in out[0]
    assert out[1]["Error"]["Code"] == "DuplicateItem"
    reads = ddb.batch_execute_statement(Statements=[
        {"Statement": 'SELECT * FROM "%s" WHERE pk = ?' % t, "Parameters": [{"S": "new"}]},
        {"Statement": 'SELECT * FROM "%s" WHERE pk = ?' % t, "Parameters": [{"S": "gone"}]},
    ])["Responses"]
    assert reads[0]["Item"] == {"pk": {"S": "new"}}
    assert "Item" not in reads[1] and "Error" not in reads[1]


def test_transaction_is_all_or_nothing(ddb):
    t = make_table(ddb, range_key=False)
    ddb.put_item(TableName=t, Item={"pk": {"S": "held"}, "n": {"N": "1"}})
    with pytest.raises(ClientError) as e:
        ddb.execute_transaction(TransactStatements=[
            {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'fresh'}" % t},
            {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'held'}" % t},
        ])
    assert e.value.response["Error"]["Code"] == "TransactionCanceledException"
    reasons = [r["Code"] for r in e.value.response["CancellationReasons"]]
    assert reasons == ["None", "DuplicateItem"]
    assert "Item" not in ddb.get_item(TableName=t, Key={"pk": {"S": "fresh"}})
    ddb.execute_transaction(TransactStatements=[
        {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'fresh'}" % t},
        {"Statement": "UPDATE \"%s\" SET n = n + 1 WHERE pk = 'held'" % t},
    ], ClientRequestToken="token-1")
    assert ddb.get_item(TableName=t, Key={"pk": {"S": "held"}})["Item"]["n"] == {"N": "2"}


@pytest.mark.parametrize("cli", CLIS)
def test_cli_execute_statement(cli, endpoint, tmp_path, ddb):
    t = make_table(ddb, range_key=False)
    aws = aws_cli(cli, endpoint, tmp_path, "dynamodb")
    aws("execute-statement", "--statement", "INSERT INTO \"%s\" VALUE {'pk': 'cli', 'n': 7}" % t)
    out = aws("execute-statement", "--statement", 'SELECT n FROM "%s" WHERE pk = ?' % t,
              "--parameters", '[{"S": "cli"}]')
    assert out["Items"] == [{"n": {"N": "7"}}]
