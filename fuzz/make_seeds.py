#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the unit tests' fixtures (copied here, with
the test each comes from). Run from anywhere; rewrites the seed files it owns, leaves others."""
import gzip
import io
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def http(method, target, headers, body=""):
    head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    return head + "\r\n" + body


# --- sigv4 (sigv4_test.cc: the AWS SigV4 test suite and botocore requests) ---
SUITE_AUTH = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
              "SignedHeaders=host;x-amz-date, "
              "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
write("sigv4", "get_vanilla", http("GET", "/", [("Host", "example.amazonaws.com"),
                                                ("X-Amz-Date", "20150830T123600Z"),
                                                ("Authorization", SUITE_AUTH)]))
write("sigv4", "botocore_json_post", http("POST", "/", [
    ("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"),
    ("Content-Type", "application/x-amz-json-1.1"), ("Host", "127.0.0.1:4566"),
    ("X-Amz-Date", "20150830T123600Z"),
    ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ecs/aws4_request, "
     "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
     "Signature=97ea34705c3f4e70754728337023fc34940bee73bb6d85f3674bb0182d6bce1e"),
    ("Content-Length", "17")], '{"maxResults":10}'))
write("sigv4", "query_dot_segments", http("GET", "/a/./b/../c//d?Param2=value2&Param1=value1&b=%20&a", [
    ("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z"),
    ("X-Amz-Security-Token", "tok"), ("My-Header1", "  value1   a  b  "),
    ("Authorization", SUITE_AUTH.replace("host;x-amz-date", "host;my-header1;x-amz-date;x-amz-security-token"))]))
write("sigv4", "presigned", http("GET",
    "/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1"
    "%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    [("Host", "examplebucket.s3.amazonaws.com")]))
write("sigv4", "chunked", http("PUT", "/examplebucket/chunkObject.txt", [
    ("Host", "s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z"),
    ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
    ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
    ("Content-Encoding", "aws-chunked"), ("x-amz-decoded-content-length", "5"),
    ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
     "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
     "x-amz-decoded-content-length;x-amz-storage-class,"
     "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")],
    "5;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\nhello\r\n"
    "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n"
    "x-amz-checksum-crc32:sOO8/Q==\r\nx-amz-trailer-signature:63bddb248ad2590c92712055f51b8e78ab024eead08276b24f010b0efd74843f\r\n\r\n"))

# --- protocol: one selector byte (index into kPairs in protocol_fuzz.cc) + a request ---
PAIRS = ["dynamodb", "ecs", "logs", "ecr", "application-autoscaling", "elbv2", "sts", "iam",
         "cloudformation", "ec2", "lambda", "s3", "cloudwatch-cbor", "cloudwatch-query",
         "cloudwatch-json", "ssm"]


def proto(name, req):
    return bytes([PAIRS.index(name)]) + req.encode("latin-1")


def json_req(target, body, version="1.1"):
    return http("POST", "/", [("X-Amz-Target", target),
                              ("Content-Type", f"application/x-amz-json-{version}")], body)


def form(body):
    return http("POST", "/", [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body)


# json_codec_test.cc
write("protocol", "ecs_register_task_definition", proto("ecs", json_req(
    "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition",
    '{"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], '
    '"cpu": "256", "memory": "512", "containerDefinitions": [{"name": "app", "image": '
    '"nginx:latest", "essential": true, "cpu": 128, "memory": 256, "portMappings": [{'
    '"containerPort": 80, "hostPort": 80, "protocol": "tcp"}], "environment": [{"name": "A", '
    '"value": "1"}], "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": '
    '"/ecs/web", "awslogs-region": "us-east-1"}}, "healthCheck": {"command": ["CMD-SHELL", '
    '"curl -f http://localhost/ || exit 1"], "interval": 30, "retries": 3}, "dockerLabels": '
    '{"k": "v"}}]}')))
write("protocol", "ecs_create_service", proto("ecs", json_req(
    "AmazonEC2ContainerServiceV20141113.CreateService",
    '{"cluster": "c1", "serviceName": "web", "taskDefinition": "web:1", "desiredCount": 2, '
    '"launchType": "FARGATE", "networkConfiguration": {"awsvpcConfiguration": {"subnets": '
    '["subnet-1"], "securityGroups": ["sg-1"], "assignPublicIp": "ENABLED"}}, "loadBalancers": '
    '[{"targetGroupArn": "arn:tg", "containerName": "app", "containerPort": 80}]}')))
write("protocol", "dynamodb_put_item", proto("dynamodb", json_req(
    "DynamoDB_20120810.PutItem",
    '{"TableName": "t", "Item": {"pk": {"S": "a"}, "n": {"N": "1.5"}, "b": {"B": "AAEC"}, '
    '"l": {"L": [{"BOOL": true}, {"NULL": true}]}, "m": {"M": {"x": {"SS": ["1", "2"]}}}}}', "1.0")))
write("protocol", "logs_put_log_events", proto("logs", json_req(
    "Logs_20140328.PutLogEvents",
    '{"logGroupName": "/ecs/web", "logStreamName": "s", "logEvents": '
    '[{"timestamp": 1700000000000, "message": "hello"}]}')))
write("protocol", "ecr_put_image", proto("ecr", json_req(
    "AmazonEC2ContainerRegistry_V20150921.PutImage",
    '{"repositoryName": "web", "imageManifest": "{}", "imageTag": "v1", '
    '"imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json"}')))
write("protocol", "autoscaling_put_policy", proto("application-autoscaling", json_req(
    "AnyScaleFrontendService.PutScalingPolicy",
    '{"PolicyName": "p", "ServiceNamespace": "ecs", "ResourceId": "service/c/web", '
    '"ScalableDimension": "ecs:service:DesiredCount", "PolicyType": "TargetTrackingScaling", '
    '"TargetTrackingScalingPolicyConfiguration": {"TargetValue": 50.0, '
    '"PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}')))
# query_codec_test.cc
write("protocol", "sts_assume_role", proto("sts", form(
    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo"
    "&RoleSessionName=s1&DurationSeconds=900"
    "&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess"
    "&Tags.member.1.Key=team&Tags.member.1.Value=a+b%26c&TransitiveTagKeys="
    "&Policy=%7B%22Version%22%3A%222012-10-17%22%7D")))
write("protocol", "sts_get_caller_identity_get", proto("sts", http(
    "GET", "/?Action=GetCallerIdentity&Version=2011-06-15", [("Host", "localhost")])))
write("protocol", "iam_simulate_custom_policy", proto("iam", form(
    "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%7B%7D"
    "&ActionNames.member.1=s3%3AGetObject&ActionNames.member.2=s3%3APutObject"
    "&ContextEntries.member.1.ContextKeyName=aws%3Ax"
    "&ContextEntries.member.1.ContextKeyValues.member.1=1"
    "&ContextEntries.member.1.ContextKeyType=string")))
write("protocol", "elbv2_create_rule", proto("elbv2", form(
    "Action=CreateRule&Version=2015-12-01&ListenerArn=arn%3Al&Priority=10"
    "&Conditions.member.1.Field=path-pattern"
    "&Conditions.member.1.PathPatternConfig.Values.member.1=%2Fapi%2F%2A"
    "&Conditions.member.2.Field=http-header"
    "&Conditions.member.2.HttpHeaderConfig.HttpHeaderName=X-A"
    "&Conditions.member.2.HttpHeaderConfig.Values.member.1=1"
    "&Actions.member.1.Type=forward"
    "&Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=arn%3Atg1"
    "&Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight=3")))
write("protocol", "cloudformation_create_stack", proto("cloudformation", form(
    "Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=%7B%7D"
    "&Parameters.member.1.ParameterKey=A&Parameters.member.1.ParameterValue=1"
    "&Capabilities.member.1=CAPABILITY_IAM&Tags.member.1.Key=k&Tags.member.1.Value=v")))
write("protocol", "cloudwatch_query_put_metric_data", proto("cloudwatch-query", form(
    "Action=PutMetricData&Version=2010-08-01&Namespace=App&MetricData.member.1.MetricName=Latency"
    "&MetricData.member.1.Value=12.5&MetricData.member.1.Timestamp=2023-11-14T22%3A13%3A20Z"
    "&MetricData.member.1.Dimensions.member.1.Name=Service&MetricData.member.1.Dimensions.member.1.Value=web")))
# ec2_codec_test.cc
write("protocol", "ec2_describe_vpcs", proto("ec2", form(
    "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-123")))
write("protocol", "ec2_authorize_ingress", proto("ec2", form(
    "Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&GroupId=sg-1"
    "&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.ToPort=80"
    "&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0&IpPermissions.1.IpRanges.1.Description=web"
    "&IpPermissions.1.Ipv6Ranges.1.CidrIpv6=%3A%3A%2F0&IpPermissions.1.Groups.1.GroupId=sg-2"
    "&IpPermissions.1.Groups.1.UserId=123456789012&IpPermissions.2.IpProtocol=-1"
    "&IpPermissions.2.PrefixListIds.1.PrefixListId=pl-1")))
write("protocol", "ec2_create_tags", proto("ec2", form(
    "Action=CreateTags&Version=2016-11-15&ResourceId.1=vpc-1&ResourceId.2=subnet-2"
    "&Tag.1.Key=Name&Tag.1.Value=web&Tag.2.Key=env&Tag.2.Value=")))
# rest_json_codec_test.cc
write("protocol", "lambda_invoke", proto("lambda", http(
    "POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-func"
    "/invocations?Qualifier=prod",
    [("X-Amz-Invocation-Type", "Event"), ("X-Amz-Log-Type", "Tail"),
     ("X-Amz-Client-Context", "eyJhIjoxfQ=="), ("Content-Length", "8")], '{"k": 1}')))
write("protocol", "lambda_create_function", proto("lambda", http(
    "POST", "/2015-03-31/functions", [("Content-Type", "application/json")],
    '{"FunctionName": "my-func", "Runtime": "python3.12", '
    '"Role": "arn:aws:iam::123456789012:role/r", "Handler": "app.handler", '
    '"Code": {"ZipFile": "UEsDBHppcA=="}, "Timeout": 30, "MemorySize": 256, '
    '"Publish": true, "Environment": {"Variables": {"A": "1", "B": "two"}}, '
    '"VpcConfig": {"SubnetIds": ["subnet-1", "subnet-2"], "SecurityGroupIds": ["sg-1"]}, '
    '"Tags": {"team": "core"}, "Architectures": ["arm64"]}')))
# rest_xml_codec_test.cc
write("protocol", "s3_put_object", proto("s3", http(
    "PUT", "/my-bucket/dir/my%20file%2B1.txt",
    [("x-amz-meta-Owner", "me"), ("Content-Type", "text/plain"),
     ("Expires", "Wed, 02 Jan 2030 03:04:05 GMT"), ("x-amz-acl", "private"),
     ("Content-Length", "11")], "hello world")))
write("protocol", "s3_list_objects_v2", proto("s3", http(
    "GET", "/my-bucket?list-type=2&prefix=logs%2F2024%2001&max-keys=50&continuation-token="
    "tok%3D%3D&start-after=a&fetch-owner=true&delimiter=%2F", [])))
write("protocol", "s3_put_bucket_tagging", proto("s3", http(
    "PUT", "/my-bucket?tagging", [],
    '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>'
    "env</Key><Value>prod</Value></Tag><Tag><Key>team</Key><Value>a&amp;b "
    "&lt;c&gt;</Value></Tag></TagSet></Tagging>")))
write("protocol", "s3_delete_objects", proto("s3", http(
    "POST", "/my-bucket?delete", [],
    '<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a.txt'
    "</Key></Object><Object><Key>b/c.txt</Key><VersionId>v2</VersionId></Object>"
    "<Quiet>true</Quiet></Delete>")))
# cbor_codec_test.cc
PUT_METRIC_DATA = bytes.fromhex(
    "a2694e616d657370616365634170706a4d65747269634461746181a96a4d65747269634e616d65674c6174656e63"
    "796a44696d656e73696f6e7381a2644e616d6567536572766963656556616c7565637765626954696d657374616d"
    "70c11a6553f1006556616c7565fb402900000000000064556e69746c4d696c6c697365636f6e64736f5374617469"
    "7374696356616c756573a46b53616d706c65436f756e74fb40000000000000006353756dfb403900000000000067"
    "4d696e696d756dfb4024000000000000674d6178696d756dfb402e0000000000006656616c75657382fb3ff00000"
    "00000000fb400400000000000066436f756e747382fb3ff0000000000000fb3ff00000000000007153746f726167"
    "655265736f6c7574696f6e183c")
GET_METRIC_STATISTICS = bytes.fromhex(
    "a7694e616d657370616365674157532f4543536a4d65747269634e616d656e4350555574696c697a6174696f6e6a"
    "44696d656e73696f6e7381a2644e616d656b436c75737465724e616d656556616c75656263316953746172745469"
    "6d65c11a6552b88067456e6454696d65c11a6552c69066506572696f6419012c6a53746174697374696373826741"
    "766572616765674d6178696d756d")
for op, body in [("PutMetricData", PUT_METRIC_DATA), ("GetMetricStatistics", GET_METRIC_STATISTICS)]:
    head = http("POST", f"/service/GraniteServiceVersion20100801/operation/{op}",
                [("smithy-protocol", "rpc-v2-cbor"), ("Content-Type", "application/cbor")])
    write("protocol", f"cbor_{op}", bytes([PAIRS.index("cloudwatch-cbor")]) + head.encode() + body)

# --- manifest: one Content-Type selector byte + the document (manifest_test.cc) ---
DA = "sha256:" + "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
DB = "sha256:" + "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
write("manifest", "oci_manifest", b"\x00" + (
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":'
    '{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":10},'
    '"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":300}],'
    '"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":7},'
    '"artifactType":"application/x-sbom","Entrypoint":["/bin/sh"],"config_":{"Cmd":["-c","x"],'
    '"Env":["A=1"],"WorkingDir":"/w","User":"1:1"},"rootfs":{"type":"layers","diff_ids":["%s"]}}'
    % (DA, DB, DA, DB)).encode())
write("manifest", "docker_manifest_content_type", b"\x01" + (
    '{"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json",'
    '"digest":"%s","size":1},"layers":[]}' % DA).encode())
write("manifest", "oci_index", b"\x04" + (
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":['
    '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":5,'
    '"platform":{"architecture":"arm64","os":"linux"}},'
    '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":6,'
    '"platform":{"architecture":"amd64","os":"linux"}}]}' % (DA, DB)).encode())
write("manifest", "image_config", b"\x05" + (
    '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/docker-entrypoint.sh"],'
    '"Cmd":["nginx","-g","daemon off;"],"Env":["PATH=/usr/bin"],"WorkingDir":"/","User":""},'
    '"rootfs":{"type":"layers","diff_ids":["%s","%s"]}}' % (DA, DB)).encode())

# --- layer_unpacker: tar streams as layer_unpacker_test.cc builds them ---
def tar_bytes(entries, compress=False):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            info = tarfile.TarInfo(e[1])
            kind = e[0]
            if kind == "file":
                info.size = len(e[2])
                info.mode = e[3] if len(e) > 3 else 0o644
                t.addfile(info, io.BytesIO(e[2]))
                continue
            if kind == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            elif kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, e[2]
            elif kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, e[2]
            elif kind == "chr":
                info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, e[2], e[3]
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
            t.addfile(info)
    data = buf.getvalue()
    return gzip.compress(data, mtime=0) if compress else data

write("layer_unpacker", "busybox_like", tar_bytes([
    ("dir", "bin"), ("file", "bin/busybox", b"ELF", 0o755), ("hardlink", "bin/sh", "bin/busybox"),
    ("symlink", "bin/ls", "busybox"), ("file", "./etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
    ("symlink", "bin/abs", "/bin/busybox")]))
write("layer_unpacker", "gzip", tar_bytes([("file", "a", b"x" * 1000), ("dir", "d"), ("fifo", "d/p")], True))
write("layer_unpacker", "whiteouts", tar_bytes([
    ("dir", "etc"), ("file", "etc/.wh.motd", b""), ("dir", "var"), ("file", "var/.wh..wh..opq", b""),
    ("chr", "etc/wo", 0, 0)]))
write("layer_unpacker", "escapes", tar_bytes([
    ("file", "../outside/x", b"no"), ("symlink", "up", "../../outside"), ("file", "up/y", b"no"),
    ("hardlink", "h", "/etc/passwd"), ("chr", "null", 1, 3), ("file", "/abs", b"no")]))

# --- filter_pattern: "<pattern>\n<event>" (filter_pattern_test.cc, the AWS syntax page) ---
patterns = [
    "ERROR Exception", '"INVALID ARGUMENTS"', "ERROR -MISSING", "?ERROR ?WARN", "%ERROR 4[0-9]+%",
    '{ $.eventType = "Update*" }', "{ $.latency >= 120 && $.latency <= 120 }",
    '{ $.items[0].name = "a" }', '{ ($.latency > 500) || $.user.id != "u-1" }', "{ $.ok IS TRUE }",
    "{ $.gone IS NULL }", "{ $.absent NOT EXISTS }", "{ $.eventType = %Update.*% }",
    "[ip, user, timestamp, request, status_code = 4*, bytes > 1000]",
    "[..., status_code = 404, bytes]", "[ip, user, ..., status_code = 404 || status_code = 410, bytes]",
    "%^[A-Z]{3}-\\d+$%", "{ $.m = %(a|aa)*b% }",
]
event = '{"eventType":"UpdateTrail","latency":120,"user":{"id":"u-1"},"items":[{"name":"a"}],"ok":true,"gone":null}'
for i, p in enumerate(patterns):
    write("filter_pattern", f"p{i:02d}", p + "\n" + (event if p.startswith("{") else
                                                      '127.0.0.1 - frank [10/Oct/2000] "GET /" 404 2326'))

# --- alb_request: raw requests (rule_matcher_test.cc, alb_proxy_test.cc) ---
write("alb_request", "api_get", http("GET", "/api/items?version=v2&debug", [
    ("Host", "a-123.us-east-1.elb.localhost"), ("User-Agent", "curl/8.0"),
    ("Cookie", "AWSALB=abc; AWSALBTG=def; SESSION=1"), ("X-Forwarded-For", "198.51.100.1")]))
write("alb_request", "websocket", http("GET", "/v2/items", [
    ("Host", "api.x.test:80"), ("Connection", "Upgrade"), ("Upgrade", "websocket"),
    ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("X-Amzn-Trace-Id", "Root=1-2-3")]))
write("alb_request", "redirect", http("POST", "/old/path?q=1", [
    ("Host", "b-123.us-east-1.elb.localhost"), ("User-Agent", "Mozilla/5.0"),
    ("Content-Length", "3"), ("Expect", "100-continue")], "abc"))
write("alb_request", "http10", "GET /x HTTP/1.0\r\n\r\n")
write("alb_request", "chunked", http("PUT", "/api/up", [
    ("Host", "www.example.com"), ("Transfer-Encoding", "chunked"),
    ("Cookie", "AWSALBAPP-0=_remove_; AWSALBTGCORS=x")], "3\r\nabc\r\n0\r\n\r\n"))

# --- nft_ruleset: selector byte (even ingress, odd egress) + IpPermissions form fields ---
write("nft_ruleset", "ingress_cidr_and_group", b"\x00" + (
    "IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.ToPort=8080"
    "&IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0%2F16&IpPermissions.1.IpRanges.1.Description=web"
    "&IpPermissions.1.Groups.1.GroupId=SG_ALB&IpPermissions.2.IpProtocol=icmp"
    "&IpPermissions.2.FromPort=8&IpPermissions.2.ToPort=-1&IpPermissions.2.IpRanges.1.CidrIp=0.0.0.0%2F0").encode())
write("nft_ruleset", "egress_all_and_udp", b"\x01" + (
    "IpPermissions.1.IpProtocol=-1&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0"
    "&IpPermissions.2.IpProtocol=17&IpPermissions.2.FromPort=53&IpPermissions.2.ToPort=53"
    "&IpPermissions.2.IpRanges.1.CidrIp=10.0.1.2%2F32&IpPermissions.2.Ipv6Ranges.1.CidrIpv6=%3A%3A%2F0"
    "&IpPermissions.3.IpProtocol=50&IpPermissions.3.Groups.1.GroupId=SG_WEB").encode())
write("nft_ruleset", "legacy_members", b"\x00" + (
    "IpProtocol=tcp&FromPort=22&ToPort=22&CidrIp=192.0.2.0%2F24").encode())
write("nft_ruleset", "source_group_name", b"\x00" + (
    "SourceSecurityGroupName=alb&IpPermissions.1.PrefixListIds.1.PrefixListId=pl-1"
    "&IpPermissions.1.IpProtocol=udp&IpPermissions.1.FromPort=0&IpPermissions.1.ToPort=65535").encode())
