"""Types AWS has but Gantry cannot create yet fail CreateStack with the reason, never skipped:
nested stacks (their TemplateURL lives in S3) and custom resources (backed by Lambda or SNS).
ValidateTemplate accepts them, as AWS does: the template is valid."""
import json

import pytest
from botocore.exceptions import ClientError


def template(resource):
    return json.dumps({"Resources": {
        "Logs": {"Type": "AWS::Logs::LogGroup"},
        "It": resource}})


@pytest.mark.parametrize("resource,why", [
    ({"Type": "AWS::CloudFormation::Stack",
      "Properties": {"TemplateURL": "https://s3.amazonaws.com/bucket/net.yaml"}},
     "nested stacks read their TemplateURL from S3, which Gantry does not have yet"),
    ({"Type": "AWS::CloudFormation::CustomResource",
      "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:f"}},
     "custom resources are backed by a Lambda function or an SNS topic (ServiceToken), which "
     "Gantry does not have yet"),
    ({"Type": "Custom::SeedData",
      "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:f"}},
     "custom resources are backed by a Lambda function or an SNS topic (ServiceToken), which "
     "Gantry does not have yet"),
])
def test_refused_at_create_stack_with_the_reason(make_client, resource, why):
    cfn, logs = make_client("cloudformation"), make_client("logs")
    body = template(resource)
    assert "Parameters" in cfn.validate_template(TemplateBody=body)
    for call in (lambda: cfn.create_stack(StackName="unsupported", TemplateBody=body),
                 lambda: cfn.create_change_set(StackName="unsupported", TemplateBody=body,
                                               ChangeSetName="c", ChangeSetType="CREATE")):
        with pytest.raises(ClientError) as e:
            call()
        err = e.value.response["Error"]
        assert err["Code"] == "ValidationError"
        assert err["Message"] == "Resource It of type %s cannot be created: %s" % (
            resource["Type"], why)
    # Nothing was created, not even the stack's other resource.
    assert logs.describe_log_groups()["logGroups"] == []
    with pytest.raises(ClientError):
        cfn.describe_stacks(StackName="unsupported")
