"""Bad input across every wire protocol gets the error a real service gives, never a crash.

Each case goes through the real binary: decoding, model validation and error encoding happen
before any handler runs, so these hold for every service the models describe.
"""
import http.client
import json
import os
import subprocess

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.model
import botocore.parsers
import botocore.serialize
import botocore.session
import pytest
from botocore.exceptions import ClientError

from conftest import client_for


def post(port, path, body, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def error_code(e):
    return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]


# --- query (STS) ---------------------------------------------------------------------------

@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_query_unknown_action_is_invalid_action(gantry):
    status, _, body = post(gantry.port, "/", "Action=FlyToTheMoon&Version=2011-06-15",
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    assert b"<Code>InvalidAction</Code>" in body
    assert b"<Type>Sender</Type>" in body


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_query_non_numeric_integer_is_a_validation_error(gantry):
    status, _, body = post(
        gantry.port, "/",
        "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=abc",
        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    assert b"<Code>ValidationError</Code>" in body


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_query_error_carries_request_id(gantry):
    status, headers, body = post(gantry.port, "/", "Action=AssumeRole&Version=2011-06-15",
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    assert b"<RequestId>" + headers["x-amzn-requestid"].encode() + b"</RequestId>" in body


# --- JSON 1.1 (ECS) ------------------------------------------------------------------------

JSON11 = {"Content-Type": "application/x-amz-json-1.1"}


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_json_malformed_body_is_a_serialization_exception(gantry):
    status, _, body = post(gantry.port, "/", b"{not json",
                           dict(JSON11, **{"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.ListClusters"}))
    assert status == 400
    assert json.loads(body)["__type"].endswith("SerializationException")


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_json_array_body_is_a_serialization_exception(gantry):
    status, _, body = post(gantry.port, "/", b"[1,2,3]",
                           dict(JSON11, **{"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.ListClusters"}))
    assert status == 400
    assert json.loads(body)["__type"].endswith("SerializationException")


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_json_unknown_operation(gantry):
    status, _, body = post(gantry.port, "/", b"{}",
                           dict(JSON11, **{"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.Teleport"}))
    assert status == 400
    assert json.loads(body)["__type"].endswith("UnknownOperationException")


def test_json_wrong_member_type_is_a_serialization_exception(make_client):
    ecs = make_client("ecs")
    with pytest.raises(ClientError) as e:
        ecs.list_clusters(maxResults="ten")
    assert error_code(e) == ("SerializationException", 400)


def test_json_bad_enum_is_an_invalid_parameter_exception(make_client):
    ecs = make_client("ecs")
    with pytest.raises(ClientError) as e:
        ecs.list_tasks(desiredStatus="SLEEPING")
    code, status = error_code(e)
    assert (code, status) == ("InvalidParameterException", 400)
    assert "enum value set" in e.value.response["Error"]["Message"]


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_json_deep_nesting_is_refused_not_a_crash(gantry):
    body = b'{"a":' + b"[" * 100000 + b"]" * 100000 + b"}"
    status, _, out = post(gantry.port, "/", body,
                          dict(JSON11, **{"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.ListClusters"}))
    assert status == 400
    assert json.loads(out)["__type"].endswith("SerializationException")


# --- ec2 -----------------------------------------------------------------------------------

def test_ec2_missing_parameter(make_client):
    ec2 = make_client("ec2")
    with pytest.raises(ClientError) as e:
        ec2.delete_vpc()
    assert error_code(e) == ("MissingParameter", 400)
    assert e.value.response["Error"]["Message"] == "The request must contain the parameter VpcId"


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_ec2_unknown_action(gantry):
    status, _, body = post(gantry.port, "/", "Action=LaunchRocket&Version=2016-11-15",
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    assert b"<Code>InvalidAction</Code>" in body
    assert b"<Response><Errors><Error>" in body


# --- Smithy RPC v2 CBOR (CloudWatch) -------------------------------------------------------

def cbor_request(operation, params):
    session = botocore.session.get_session()
    model = botocore.model.ServiceModel(session.get_service_data("cloudwatch"), "cloudwatch")
    op = model.operation_model(operation)
    req = botocore.serialize.create_serializer("smithy-rpc-v2-cbor", include_validation=False).serialize_to_request(params, op)
    return req["url_path"], req["body"], req["headers"]


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_cbor_missing_parameter(gantry):
    path, body, headers = cbor_request("GetMetricStatistics", {"Namespace": "AWS/ECS"})
    status, out_headers, out = post(gantry.port, path, body, dict(headers))
    assert status == 400
    assert out_headers["smithy-protocol"] == "rpc-v2-cbor"
    # The shape id in the body, the query-era code in x-amzn-query-error (botocore reads both).
    assert b"com.amazonaws.cloudwatch#MissingRequiredParameterException" in out
    assert out_headers["x-amzn-query-error"] == "MissingParameter;Sender"


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_cbor_truncated_body_is_refused(gantry):
    path, body, headers = cbor_request("ListMetrics", {"Namespace": "AWS/ECS"})
    status, _, out = post(gantry.port, path, body[:-3], dict(headers))
    assert status == 400
    assert b"SerializationException" in out


def test_json_mode_cloudwatch_missing_parameter(make_client):
    # botocore 1.43 talks JSON 1.0 to CloudWatch; the code stays the query-era one.
    cw = make_client("cloudwatch")
    with pytest.raises(ClientError) as e:
        cw.get_metric_statistics(Namespace="AWS/ECS")
    assert error_code(e) == ("MissingParameter", 400)


# --- CloudWatch: each protocol its clients send, whatever model Gantry was built from -------
# Debian 12's AWS CLI v2 sends query, botocore 1.43 JSON 1.0, the Smithy-based SDKs RPC v2 CBOR.
# An operation CloudWatch has no handler for (metric streams) gets NotImplemented once it
# decodes and validates, encoded in the protocol it came in.

def signed_post(port, path, body, headers, service="monitoring"):
    req = botocore.awsrequest.AWSRequest(method="POST", url="http://127.0.0.1:%d%s" % (port, path),
                                         data=body, headers=headers)
    botocore.auth.SigV4Auth(botocore.credentials.Credentials("test", "test"), service,
                            "us-east-1").add_auth(req)
    return post(port, path, body, dict(req.headers.items()))


@pytest.mark.emulator_only
def test_cloudwatch_cbor_request_is_answered_in_cbor(gantry):
    path, body, headers = cbor_request("ListMetricStreams", {"MaxResults": 10})
    status, out_headers, out = signed_post(gantry.port, path, body, dict(headers))
    assert status == 501
    assert out_headers["smithy-protocol"] == "rpc-v2-cbor"
    assert out_headers["content-type"] == "application/cbor"
    assert out_headers["x-amzn-query-error"] == "NotImplemented;Receiver"
    session = botocore.session.get_session()
    model = botocore.model.ServiceModel(session.get_service_data("cloudwatch"), "cloudwatch")
    parsed = botocore.parsers.create_parser("smithy-rpc-v2-cbor").parse(
        {"status_code": status, "headers": out_headers, "body": out},
        model.operation_model("ListMetricStreams").output_shape)
    assert parsed["Error"]["Code"] == "NotImplemented"
    assert "ListMetricStreams" in parsed["Error"]["Message"]


@pytest.mark.emulator_only
def test_cloudwatch_cbor_service_named_by_its_shape_id(gantry):
    path, body, headers = cbor_request("ListMetricStreams", {"MaxResults": 10})
    path = path.replace("/service/", "/service/com.amazonaws.cloudwatch.")
    status, out_headers, _ = signed_post(gantry.port, path, body, dict(headers))
    assert status == 501
    assert out_headers["smithy-protocol"] == "rpc-v2-cbor"


@pytest.mark.emulator_only
def test_cloudwatch_json10_request_is_answered_in_json(gantry):
    status, out_headers, out = signed_post(
        gantry.port, "/", b'{"MaxResults":10}',
        {"Content-Type": "application/x-amz-json-1.0",
         "X-Amz-Target": "GraniteServiceVersion20100801.ListMetricStreams"})
    assert status == 501
    assert out_headers["content-type"] == "application/x-amz-json-1.0"
    assert out_headers["x-amzn-query-error"] == "NotImplemented;Receiver"
    assert json.loads(out)["__type"] == "NotImplemented"


@pytest.mark.emulator_only
def test_cloudwatch_json10_from_boto3(make_client):
    with pytest.raises(ClientError) as e:
        make_client("cloudwatch").list_metric_streams(MaxResults=10)
    assert error_code(e) == ("NotImplemented", 501)


@pytest.mark.emulator_only
def test_cloudwatch_query_request_is_answered_in_xml(gantry):
    status, out_headers, out = signed_post(
        gantry.port, "/", b"Action=ListMetricStreams&Version=2010-08-01&MaxResults=10",
        {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    assert status == 501
    assert out_headers["content-type"].startswith("text/xml")
    assert b'<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">' in out
    assert b"<Code>NotImplemented</Code>" in out
    assert b"<Type>Receiver</Type>" in out


@pytest.mark.emulator_only  # CloudWatch's NotImplemented
def test_cloudwatch_query_and_json_decode_their_parameters(gantry):
    # A missing required member is found only once the body is decoded.
    status, _, out = signed_post(
        gantry.port, "/", b"Action=GetMetricStatistics&Version=2010-08-01&Namespace=AWS%2FEC2",
        {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    assert status == 400
    assert b"<Code>MissingParameter</Code>" in out
    status, headers, out = signed_post(
        gantry.port, "/", b'{"Namespace":"AWS/EC2"}',
        {"Content-Type": "application/x-amz-json-1.0",
         "X-Amz-Target": "GraniteServiceVersion20100801.GetMetricStatistics"})
    assert status == 400
    assert headers["x-amzn-query-error"] == "MissingParameter;Sender"


@pytest.mark.emulator_only
def test_cloudwatch_from_debian_aws_cli_v2_which_sends_query(gantry):
    exe = "/usr/bin/aws"
    if not os.path.exists(exe):
        pytest.skip("Debian's AWS CLI v2 (/usr/bin/aws) is not installed")
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
    out = subprocess.run([exe, "--endpoint-url", "http://127.0.0.1:%d" % gantry.port,
                          "cloudwatch", "list-metric-streams"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "NotImplemented" in out.stderr, out.stderr


# --- rest-json (Lambda) and rest-xml (S3) --------------------------------------------------

@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_rest_json_malformed_body(gantry):
    status, headers, out = post(gantry.port, "/2015-03-31/functions", b"{oops",
                          {"Content-Type": "application/json", "X-Amz-Date": "20250101T000000Z",
                           "Authorization": "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=" + "0" * 64})
    assert status == 400
    assert headers["x-amzn-errortype"] == "SerializationException"


def test_rest_xml_malformed_body(make_client):
    s3 = make_client("s3")
    conn_headers = {"Content-Type": "application/xml", "X-Amz-Date": "20250101T000000Z",
                    "Authorization": "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=" + "0" * 64,
                    "x-amz-content-sha256": "UNSIGNED-PAYLOAD"}
    conn = http.client.HTTPConnection("127.0.0.1", int(s3.meta.endpoint_url.rsplit(":", 1)[1]),
                                      timeout=10)
    conn.request("PUT", "/bucket?tagging", body=b"<Tagging><TagSet><Tag>", headers=conn_headers)
    r = conn.getresponse()
    out = r.read()
    assert r.status == 400
    assert b"<Code>MalformedXML</Code>" in out


@pytest.mark.emulator_only
def test_modelled_but_unimplemented_operation_says_so(make_client):
    with pytest.raises(ClientError) as e:
        make_client("lambda").list_functions()
    assert error_code(e) == ("NotImplemented", 501)


@pytest.mark.emulator_only  # unsigned, to the one endpoint of every service
def test_no_matching_service_is_refused_cleanly(gantry):
    status, _, out = post(gantry.port, "/", b"hello", {"Content-Type": "text/plain"})
    assert status == 400
    assert b"UnknownOperationException" in out
