#!/usr/bin/env python3
"""Unit tests of tools/gen_models.py: which model is the newest, what clients add to it, and
that the output is deterministic and written only when it changes. Run by CTest (label unit).

The trees are built in a temporary directory in botocore's and npm aws-sdk's layouts, so the
tests do not depend on what is installed.
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_models  # noqa: E402


def model(protocols, operations=("ListMetrics",), api="2010-08-01", **meta):
    md = {"apiVersion": api, "protocol": protocols[0], "endpointPrefix": "monitoring",
          "serviceId": "CloudWatch"}
    if len(protocols) > 1:
        md["protocols"] = list(protocols)
    md.update(meta)
    shapes = {"Input": {"type": "structure", "members": {"Namespace": {"shape": "Str"}}},
              "Output": {"type": "structure", "members": {}}, "Str": {"type": "string"}}
    ops = {o: {"name": o, "http": {"method": "POST", "requestUri": "/"},
               "input": {"shape": "Input"}, "output": {"shape": "Output"}} for o in operations}
    return {"metadata": md, "shapes": shapes, "operations": ops}


def botocore_tree(base, name, version, models, parent=None):
    root = os.path.join(base, parent or "", name)
    for service, m in models.items():
        d = os.path.join(root, "data", service, m["metadata"]["apiVersion"])
        os.makedirs(d)
        with open(os.path.join(d, "service-2.json"), "w") as f:
            json.dump(m, f)
    with open(os.path.join(root, "__init__.py"), "w") as f:
        f.write("__version__ = '%s'\n" % version)
    return root


class NewestModel(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.base = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def sources(self, *roots):
        return gen_models.find_sources(list(roots))

    def test_more_operations_beat_a_higher_package_version_of_another_family(self):
        old = botocore_tree(self.base, "botocore", "1.29.27", {"cloudwatch": model(["query"])})
        cli = os.path.join(self.base, "awscli")
        os.makedirs(cli)
        with open(os.path.join(cli, "__init__.py"), "w") as f:
            f.write("__version__ = '2.9.19'\n")
        bundled = botocore_tree(self.base, "botocore", "2.0.0dev155",
                                {"cloudwatch": model(["query"], ("ListMetrics", "PutMetricData"))},
                                parent="awscli")
        m, src = gen_models.newest_model("cloudwatch", self.sources(old, bundled))
        self.assertEqual(src.label, "aws-cli 2.9.19")
        self.assertIn("PutMetricData", m["operations"])

    def test_more_protocols_beat_more_operations(self):
        a = botocore_tree(self.base, "a", "1.29.27",
                          {"cloudwatch": model(["query"], ("ListMetrics", "PutMetricData"))})
        b = botocore_tree(self.base, "b", "1.43.11",
                          {"cloudwatch": model(["smithy-rpc-v2-cbor", "json", "query"])})
        _, src = gen_models.newest_model("cloudwatch", self.sources(a, b))
        self.assertEqual(src.label, "botocore 1.43.11")

    def test_newer_api_version_wins(self):
        a = botocore_tree(self.base, "a", "1.43.11",
                          {"cloudwatch": model(["query"], ("A", "B", "C"), api="2010-08-01")})
        b = botocore_tree(self.base, "b", "1.29.27",
                          {"cloudwatch": model(["query"], api="2021-01-01")})
        m, _ = gen_models.newest_model("cloudwatch", self.sources(a, b))
        self.assertEqual(m["metadata"]["apiVersion"], "2021-01-01")

    def test_same_content_takes_the_higher_version_then_the_first_source(self):
        a = botocore_tree(self.base, "a", "1.29.27", {"cloudwatch": model(["query"])})
        b = botocore_tree(self.base, "b", "1.30.0", {"cloudwatch": model(["query"])})
        _, src = gen_models.newest_model("cloudwatch", self.sources(a, b))
        self.assertEqual(src.label, "botocore 1.30.0")
        c = botocore_tree(self.base, "c", "1.30.0", {"cloudwatch": model(["query"])})
        _, src = gen_models.newest_model("cloudwatch", self.sources(b, c))
        self.assertEqual(src.root, os.path.realpath(b))

    def test_aws_sdk_min_json_with_inline_shapes(self):
        apis = os.path.join(self.base, "node_modules", "aws-sdk", "apis")
        os.makedirs(apis)
        with open(os.path.join(self.base, "node_modules", "aws-sdk", "package.json"), "w") as f:
            json.dump({"name": "aws-sdk", "version": "2.1692.0"}, f)
        with open(os.path.join(apis, "metadata.json"), "w") as f:
            json.dump({"cloudwatch": {"prefix": "monitoring", "name": "CloudWatch"}}, f)
        mini = {"version": "2.0",
                "metadata": {"apiVersion": "2010-08-01", "protocol": "query",
                             "serviceId": "CloudWatch", "endpointPrefix": "monitoring"},
                "operations": {
                    "ListMetrics": {"input": {"type": "structure", "members": {
                        "Namespace": {}, "Dimensions": {"shape": "S2"}}},
                        "output": {"resultWrapper": "ListMetricsResult", "type": "structure",
                                   "members": {"NextToken": {}}}},
                    "PutMetricData": {"input": {"type": "structure", "members": {}}},
                    "DeleteAlarms": {"input": {"type": "structure", "members": {}}}},
                "shapes": {"S2": {"type": "list", "member": {
                    "type": "structure", "members": {"Name": {}, "Value": {}}}}}}
        with open(os.path.join(apis, "monitoring-2010-08-01.min.json"), "w") as f:
            json.dump(mini, f)
        old = botocore_tree(self.base, "botocore", "1.29.27", {"cloudwatch": model(["query"])})
        m, src = gen_models.newest_model("cloudwatch", self.sources(old, apis))
        self.assertEqual(src.label, "aws-sdk 2.1692.0")
        op = m["operations"]["ListMetrics"]
        self.assertEqual(op["output"]["resultWrapper"], "ListMetricsResult")
        shape = m["shapes"][op["input"]["shape"]]
        self.assertEqual(m["shapes"][shape["members"]["Namespace"]["shape"]]["type"], "string")
        member = m["shapes"]["S2"]["member"]
        self.assertEqual(m["shapes"][member["shape"]]["type"], "structure")
        # The hoisted model generates.
        out = os.path.join(self.base, "out")
        os.makedirs(out)
        gen_models.generate("cloudwatch", m, out, "protocol")


class ClientProtocols(unittest.TestCase):
    def test_old_cloudwatch_gains_cbor_and_json_with_their_metadata(self):
        m = model(["query"])
        protocols, own = gen_models.merge_client_protocols("cloudwatch", m)
        self.assertEqual(own, ["query"])
        self.assertEqual(protocols, ["query", "smithy-rpc-v2-cbor", "json"])
        md = m["metadata"]
        self.assertEqual(md["targetPrefix"], "GraniteServiceVersion20100801")
        self.assertEqual(md["jsonVersion"], "1.0")
        self.assertEqual(md["awsQueryCompatible"], {})

    def test_new_cloudwatch_is_left_as_it_is(self):
        m = model(["smithy-rpc-v2-cbor", "json", "query"],
                  targetPrefix="GraniteServiceVersion20100801", jsonVersion="1.0",
                  awsQueryCompatible={})
        protocols, own = gen_models.merge_client_protocols("cloudwatch", m)
        self.assertEqual(protocols, own)
        self.assertEqual(protocols, ["smithy-rpc-v2-cbor", "json", "query"])

    def test_json_only_model_gains_query_result_wrappers(self):
        m = model(["json"], ("SendMessage",), api="2012-11-05", targetPrefix="AmazonSQS",
                  jsonVersion="1.0", awsQueryCompatible={})
        protocols, _ = gen_models.merge_client_protocols("sqs", m)
        self.assertEqual(protocols, ["json", "query"])
        self.assertEqual(m["operations"]["SendMessage"]["output"]["resultWrapper"],
                         "SendMessageResult")

    def test_services_not_listed_keep_their_protocols(self):
        m = model(["query"], api="2011-06-15")
        protocols, own = gen_models.merge_client_protocols("sts", m)
        self.assertEqual(protocols, ["query"])
        self.assertNotIn("targetPrefix", m["metadata"])


class Output(unittest.TestCase):
    def test_deterministic_and_written_only_when_changed(self):
        with tempfile.TemporaryDirectory() as base:
            a = botocore_tree(base, "a", "1.29.27", {"cloudwatch": model(["query"])})
            b = botocore_tree(base, "b", "1.30.0", {"sts": model(["query"], api="2011-06-15")})
            out = os.path.join(base, "out")
            argv = ["gen_models.py", "--out", out, "--botocore", a, "--botocore", b,
                    "cloudwatch", "sts"]

            def run():
                old = sys.argv
                sys.argv = argv
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        gen_models.main()
                finally:
                    sys.argv = old
                files = {}
                for n in sorted(os.listdir(out)):
                    with open(os.path.join(out, n)) as f:
                        files[n] = (f.read(), os.stat(os.path.join(out, n)).st_mtime_ns)
                return files

            first = run()
            self.assertEqual(sorted(first), ["model_cloudwatch.cc", "model_sts.cc", "models.cc"])
            for n in first:
                os.utime(os.path.join(out, n), ns=(1, 1))
            second = run()
            for n in first:
                self.assertEqual(first[n][0], second[n][0], n)
                self.assertEqual(second[n][1], 1, "%s was rewritten" % n)
            registry = first["models.cc"][0]
            self.assertIn('{"cloudwatch"sv, "botocore 1.29.27"sv, "2010-08-01"sv, kOwn_cloudwatch}',
                          registry)
            self.assertIn("constexpr Protocol kOwn_cloudwatch[] = {Protocol::Query};", registry)
            # One source per service; the summary names the two, ties by name.
            self.assertIn('models_source() { return "botocore 1.29.27, botocore 1.30.0"sv; }',
                          registry)
            self.assertIn("Protocol::SmithyRpcV2Cbor", first["model_cloudwatch.cc"][0])


if __name__ == "__main__":
    unittest.main()
