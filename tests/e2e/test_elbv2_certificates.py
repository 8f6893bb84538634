"""An HTTPS listener's certificate list: AddListenerCertificates, RemoveListenerCertificates and
DescribeListenerCertificates with boto3 and the AWS CLI, ELB's errors, and
AWS::ElasticLoadBalancingV2::ListenerCertificate in a stack. Gantry has no ACM: certificate ARNs
are stored, not checked, so any well-formed ARN is accepted."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, aws_cli
from test_elbv2 import ec2, elbv2, network, make_tg  # noqa: F401 (fixtures)

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/"


@pytest.fixture
def listeners(elbv2, network):
    """An ALB with an HTTPS listener (default certificate CERT + "default") and an HTTP one."""
    lb = elbv2.create_load_balancer(Name="cert-alb", Subnets=network["subnets"])[
        "LoadBalancers"][0]["LoadBalancerArn"]
    tg = make_tg(elbv2, "cert-web", network["vpc"])["TargetGroupArn"]
    forward = [{"Type": "forward", "TargetGroupArn": tg}]
    https = elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443,
                                  Certificates=[{"CertificateArn": CERT + "default"}],
                                  DefaultActions=forward)["Listeners"][0]["ListenerArn"]
    http = elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80,
                                 DefaultActions=forward)["Listeners"][0]["ListenerArn"]
    return {"lb": lb, "https": https, "http": http, "tg": tg}


def certs(elbv2, listener, **kw):
    return [(c["CertificateArn"], c["IsDefault"]) for c in
            elbv2.describe_listener_certificates(ListenerArn=listener, **kw)["Certificates"]]


def error_of(fn, **kw):
    with pytest.raises(ClientError) as e:
        fn(**kw)
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


def test_the_list_holds_the_default_certificate_and_the_added_ones(elbv2, listeners):
    https = listeners["https"]
    assert certs(elbv2, https) == [(CERT + "default", True)]

    out = elbv2.add_listener_certificates(ListenerArn=https,
                                          Certificates=[{"CertificateArn": CERT + "a"}])
    assert out["Certificates"] == [{"CertificateArn": CERT + "a", "IsDefault": False}]
    # "If the certificate in already in the certificate list, the call is successful but the
    # certificate is not added again."
    elbv2.add_listener_certificates(ListenerArn=https, Certificates=[{"CertificateArn": CERT + "a"}])
    elbv2.add_listener_certificates(ListenerArn=https, Certificates=[{"CertificateArn": CERT + "b"}])
    assert certs(elbv2, https) == [(CERT + "default", True), (CERT + "a", False),
                                   (CERT + "b", False)]
    # DescribeListeners keeps showing the default certificate only.
    listener = elbv2.describe_listeners(ListenerArns=[https])["Listeners"][0]
    assert listener["Certificates"] == [{"CertificateArn": CERT + "default"}]

    # Pages of one.
    first = elbv2.describe_listener_certificates(ListenerArn=https, PageSize=1)
    assert [c["CertificateArn"] for c in first["Certificates"]] == [CERT + "default"]
    rest = elbv2.describe_listener_certificates(ListenerArn=https, Marker=first["NextMarker"])
    assert [c["CertificateArn"] for c in rest["Certificates"]] == [CERT + "a", CERT + "b"]
    assert "NextMarker" not in rest

    elbv2.remove_listener_certificates(ListenerArn=https,
                                       Certificates=[{"CertificateArn": CERT + "a"}])
    assert certs(elbv2, https) == [(CERT + "default", True), (CERT + "b", False)]

    # ModifyListener replaces the default; the list stays.
    elbv2.modify_listener(ListenerArn=https, Certificates=[{"CertificateArn": CERT + "new"}])
    assert certs(elbv2, https) == [(CERT + "new", True), (CERT + "b", False)]

    # Deleting the listener takes its list with it.
    elbv2.delete_listener(ListenerArn=https)
    assert error_of(elbv2.describe_listener_certificates, ListenerArn=https)[0] == \
        "ListenerNotFound"


def test_errors_are_elbs(elbv2, listeners):
    https, http = listeners["https"], listeners["http"]
    # "You can't remove the default certificate for a listener."
    assert error_of(elbv2.remove_listener_certificates, ListenerArn=https,
                    Certificates=[{"CertificateArn": CERT + "default"}]) == \
        ("OperationNotPermitted", "Default certificate cannot be removed")
    assert certs(elbv2, https) == [(CERT + "default", True)]
    code, message = error_of(elbv2.add_listener_certificates, ListenerArn=http,
                             Certificates=[{"CertificateArn": CERT + "a"}])
    assert code == "ValidationError" and "HTTPS" in message
    assert error_of(elbv2.add_listener_certificates, ListenerArn=https,
                    Certificates=[{"CertificateArn": CERT + "a", "IsDefault": False}]) == \
        ("ValidationError", "You cannot set the isDefault parameter for a certificate.")
    missing = https.rsplit("/", 1)[0] + "/0123456789abcdef"
    for fn in (elbv2.add_listener_certificates, elbv2.remove_listener_certificates):
        assert error_of(fn, ListenerArn=missing,
                        Certificates=[{"CertificateArn": CERT + "a"}])[0] == "ListenerNotFound"
    assert error_of(elbv2.describe_listener_certificates, ListenerArn=missing)[0] == \
        "ListenerNotFound"
    # The certificate list of an HTTP listener is empty.
    assert certs(elbv2, http) == []


def test_too_many_certificates(elbv2, listeners):
    https = listeners["https"]
    for i in range(25):
        elbv2.add_listener_certificates(ListenerArn=https,
                                        Certificates=[{"CertificateArn": CERT + str(i)}])
    assert error_of(elbv2.add_listener_certificates, ListenerArn=https,
                    Certificates=[{"CertificateArn": CERT + "26"}])[0] == "TooManyCertificates"
    assert len(certs(elbv2, https)) == 26  # the default and 25


@pytest.mark.parametrize("cli", CLIS)
def test_cli(cli, endpoint, tmp_path, elbv2, listeners):
    aws = aws_cli(cli, endpoint, tmp_path, "elbv2")
    https = listeners["https"]
    aws("add-listener-certificates", "--listener-arn", https,
        "--certificates", "CertificateArn=" + CERT + "cli")
    out = aws("describe-listener-certificates", "--listener-arn", https)
    assert [(c["CertificateArn"], c["IsDefault"]) for c in out["Certificates"]] == \
        [(CERT + "default", True), (CERT + "cli", False)]
    aws("remove-listener-certificates", "--listener-arn", https,
        "--certificates", "CertificateArn=" + CERT + "cli")
    assert certs(elbv2, https) == [(CERT + "default", True)]


def test_listener_certificate_in_a_stack(make_client, elbv2, listeners):
    cfn = make_client("cloudformation")
    https = listeners["https"]

    def template(*names):
        return json.dumps({"Resources": {"Extra": {
            "Type": "AWS::ElasticLoadBalancingV2::ListenerCertificate",
            "Properties": {"ListenerArn": https,
                           "Certificates": [{"CertificateArn": CERT + n} for n in names]}}}})

    waiter = {"Delay": 1, "MaxAttempts": 60}
    cfn.create_stack(StackName="certs", TemplateBody=template("x", "y"))
    cfn.get_waiter("stack_create_complete").wait(StackName="certs", WaiterConfig=waiter)
    assert certs(elbv2, https) == [(CERT + "default", True), (CERT + "x", False),
                                   (CERT + "y", False)]
    resource = cfn.describe_stack_resource(StackName="certs", LogicalResourceId="Extra")[
        "StackResourceDetail"]
    physical = resource["PhysicalResourceId"]

    # Certificates: "Update requires: No interruption".
    cfn.update_stack(StackName="certs", TemplateBody=template("y", "z"))
    cfn.get_waiter("stack_update_complete").wait(StackName="certs", WaiterConfig=waiter)
    assert certs(elbv2, https) == [(CERT + "default", True), (CERT + "y", False),
                                   (CERT + "z", False)]
    assert cfn.describe_stack_resource(StackName="certs", LogicalResourceId="Extra")[
        "StackResourceDetail"]["PhysicalResourceId"] == physical

    cfn.delete_stack(StackName="certs")
    cfn.get_waiter("stack_delete_complete").wait(StackName="certs", WaiterConfig=waiter)
    assert certs(elbv2, https) == [(CERT + "default", True)]
