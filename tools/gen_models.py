#!/usr/bin/env python3
"""Turns AWS service models (botocore's service-2.json) into C++ tables for src/protocol/model.h.

Usage: gen_models.py --out DIR [--botocore DIR] SERVICE...

The models are read from the botocore package that the machine's python3 imports (the same
models its boto3 and AWS CLI use); --botocore overrides the location. Nothing is copied into the
repository: the output goes to the build tree. The version used is written into the tables and
served by /_gantry/health.
"""
import argparse
import gzip
import json
import os
import re
import sys

SHAPE_TYPES = {
    "structure": "Structure", "list": "List", "map": "Map", "string": "String",
    "integer": "Integer", "long": "Long", "float": "Float", "double": "Double",
    "boolean": "Boolean", "timestamp": "Timestamp", "blob": "Blob",
    "biginteger": "BigInteger", "bigdecimal": "BigDecimal",
}
PROTOCOLS = {
    "json": "Json", "query": "Query", "ec2": "Ec2", "rest-json": "RestJson",
    "rest-xml": "RestXml", "smithy-rpc-v2-cbor": "SmithyRpcV2Cbor",
}
LOCATIONS = {
    None: "Body", "uri": "Uri", "querystring": "QueryString", "header": "Header",
    "headers": "Headers", "statusCode": "StatusCode",
}


def find_botocore(explicit):
    if explicit:
        return explicit
    try:
        import botocore  # noqa: F401
        return os.path.dirname(botocore.__file__)
    except ImportError:
        pass
    for cand in ("/usr/lib/python3/dist-packages/botocore",):
        if os.path.isdir(cand):
            return cand
    sys.exit("gen_models.py: botocore is not installed (apt-get install python3-botocore)")


def botocore_version(root):
    with open(os.path.join(root, "__init__.py")) as f:
        m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", f.read())
    return m.group(1) if m else "unknown"


def load_model(root, service):
    base = os.path.join(root, "data", service)
    versions = sorted(v for v in os.listdir(base) if os.path.isdir(os.path.join(base, v)))
    for version in reversed(versions):
        for name in ("service-2.json.gz", "service-2.json"):
            path = os.path.join(base, version, name)
            if os.path.exists(path):
                opener = gzip.open if name.endswith(".gz") else open
                with opener(path, "rt", encoding="utf-8") as f:
                    return json.load(f)
    sys.exit(f"gen_models.py: no model for {service} under {base}")


def cstr(s):
    if s is None:
        s = ""
    out = ['"']
    for b in s.encode("utf-8"):
        c = chr(b)
        if c == '"' or c == "\\":
            out.append("\\" + c)
        elif 32 <= b < 127 and c != "?":
            out.append(c)
        else:
            out.append("\\%03o" % b)
    out.append('"')
    return "".join(out) + "sv"


def cbool(v):
    return "true" if v else "false"


def cnum(v):
    return repr(float(v))


def generate(service, model, out_dir):
    meta = model["metadata"]
    shapes_json = model["shapes"]
    names = sorted(shapes_json)
    index = {n: i for i, n in enumerate(names)}
    shapes, members, strings, ops, error_refs = [], [], [], [], []

    def member_row(mname, ref, required=False, payload=None):
        loc = ref.get("location")
        return "{%s}" % ", ".join([
            cstr(mname), str(index[ref["shape"]]), cstr(ref.get("locationName")),
            cstr(ref.get("queryName")), "Location::" + LOCATIONS.get(loc, "Body"),
            cbool(required), cbool(ref.get("flattened")), cbool(ref.get("xmlAttribute")),
            cbool(ref.get("idempotencyToken")), cbool(ref.get("hostLabel")),
            cbool(payload == mname), cbool(ref.get("jsonvalue")),
            cstr((ref.get("xmlNamespace") or {}).get("uri")), cstr(ref.get("timestampFormat")),
        ])

    for name in names:
        s = shapes_json[name]
        t = s["type"]
        kind = SHAPE_TYPES.get(t, "String")
        if t == "structure" and s.get("document"):
            kind = "Document"
        elif t == "structure" and s.get("union"):
            kind = "Union"
        mb = len(members)
        if t == "structure":
            req = set(s.get("required", []))
            for mname, ref in s.get("members", {}).items():
                members.append(member_row(mname, ref, mname in req, s.get("payload")))
        elif t == "list":
            members.append(member_row("member", s["member"]))
        elif t == "map":
            members.append(member_row("key", s["key"]))
            members.append(member_row("value", s["value"]))
        mc = len(members) - mb
        eb = len(strings)
        for e in s.get("enum", []):
            strings.append(cstr(e))
        ec = len(strings) - eb
        err = s.get("error", {})
        shapes.append("{%s}" % ", ".join([
            cstr(name), "ShapeType::" + kind, str(mb), str(mc), str(eb), str(ec),
            cbool("min" in s), cbool("max" in s), cnum(s.get("min", 0)), cnum(s.get("max", 0)),
            cstr(s.get("pattern")), cstr(s.get("timestampFormat")), cstr(s.get("locationName")),
            cstr((s.get("xmlNamespace") or {}).get("uri")), cbool(s.get("flattened")),
            cbool(s.get("sensitive")), cbool(s.get("streaming")), cbool(s.get("eventstream")),
            cbool(s.get("document")), cbool(s.get("union")), cbool(s.get("exception")),
            cbool(s.get("fault")), cstr(err.get("code")), str(int(err.get("httpStatusCode", 0))),
            cbool(err.get("senderFault", not s.get("fault", False))),
        ]))

    for op_name in sorted(model["operations"]):
        op = model["operations"][op_name]
        http = op.get("http", {})
        inp = op.get("input") or {}
        outp = op.get("output") or {}
        errb = len(error_refs)
        for e in op.get("errors", []):
            error_refs.append(str(index[e["shape"]]))
        auth_none = op.get("authtype") == "none" or op.get("auth") == ["smithy.api#noAuth"]
        ops.append("{%s}" % ", ".join([
            cstr(op_name), cstr(http.get("method", "POST")), cstr(http.get("requestUri", "/")),
            str(int(http.get("responseCode", 200))),
            str(index[inp["shape"]]) if inp else "kNoShape",
            str(index[outp["shape"]]) if outp else "kNoShape",
            cstr(outp.get("resultWrapper")), cstr(inp.get("locationName")),
            cstr((inp.get("xmlNamespace") or {}).get("uri")),
            str(errb), str(len(error_refs) - errb), cbool(auth_none), cbool(op.get("deprecated")),
        ]))

    protocols = meta.get("protocols") or [meta["protocol"]]
    protocols = [p for p in protocols if p in PROTOCOLS]
    ident = re.sub(r"[^A-Za-z0-9]", "_", service)
    signing = meta.get("signingName") or meta.get("endpointPrefix")
    lines = [
        "// Generated by tools/gen_models.py from the botocore model of %s. Do not edit." % service,
        '#include "protocol/model.h"',
        "namespace protocol {",
        "using namespace std::string_view_literals;",
        "namespace {",
        "constexpr Protocol kProtocols[] = {%s};" % ", ".join("Protocol::" + PROTOCOLS[p] for p in protocols),
        "constexpr ShapeDef kShapes[] = {\n%s\n};" % ",\n".join(shapes),
        "constexpr MemberDef kMembers[] = {\n%s\n};" % ",\n".join(members or ["{}"]),
        "constexpr std::string_view kStrings[] = {\n%s\n};" % ",\n".join(strings or ['""sv']),
        "constexpr OperationDef kOperations[] = {\n%s\n};" % ",\n".join(ops),
        "constexpr uint32_t kErrorRefs[] = {%s};" % ", ".join(error_refs or ["0"]),
        "}  // namespace",
        "extern const ServiceModel kModel_%s;" % ident,
        "const ServiceModel kModel_%s{" % ident,
        "  %s, %s, %s, %s," % (cstr(service), cstr(meta.get("apiVersion")),
                               cstr(meta.get("endpointPrefix")), cstr(signing)),
        "  %s, %s, %s," % (cstr(meta.get("targetPrefix")), cstr(meta.get("jsonVersion")),
                           cstr(meta.get("xmlNamespace"))),
        "  %s, %s, %s, %s," % (cstr(meta.get("serviceId")), cstr(meta.get("serviceFullName")),
                               cstr(meta.get("targetPrefix")), cbool(meta.get("awsQueryCompatible") is not None)),
        "  kProtocols, std::span<const ShapeDef>(kShapes), std::span<const MemberDef>(kMembers, %d)," % (len(members)),
        "  std::span<const std::string_view>(kStrings, %d), kOperations, std::span<const uint32_t>(kErrorRefs, %d)};" % (len(strings), len(error_refs)),
        "}  // namespace protocol",
        "",
    ]
    write_if_changed(os.path.join(out_dir, "model_%s.cc" % ident), "\n".join(lines))
    return ident


def write_if_changed(path, text):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--botocore")
    ap.add_argument("services", nargs="+")
    args = ap.parse_args()
    root = find_botocore(args.botocore)
    version = botocore_version(root)
    os.makedirs(args.out, exist_ok=True)
    idents = [generate(s, load_model(root, s), args.out) for s in sorted(args.services)]
    reg = ['// Generated by tools/gen_models.py. Do not edit.', '#include "protocol/model.h"',
           "namespace protocol {"]
    reg += ["extern const ServiceModel kModel_%s;" % i for i in idents]
    reg += ["namespace {", "constexpr const ServiceModel* kAll[] = {%s};" %
            ", ".join("&kModel_%s" % i for i in idents), "}  // namespace",
            "std::span<const ServiceModel* const> all_models() { return kAll; }",
            'std::string_view models_source() { return %s; }' % cstr("botocore " + version)[:-2],
            "}  // namespace protocol", ""]
    write_if_changed(os.path.join(args.out, "models.cc"), "\n".join(reg))
    print("gen_models.py: botocore %s from %s" % (version, root))


if __name__ == "__main__":
    main()
