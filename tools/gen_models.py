#!/usr/bin/env python3
"""Turns AWS service models (botocore's service-2.json) into C++ tables for src/protocol/model.h.

Usage: gen_models.py --out DIR [--botocore DIR]... [--namespace NS] SERVICE...

Each service's model is the newest one on the machine (newest_model() gives the rule) among
every botocore found: the one this python3 imports, Debian's python3-botocore, the botocore the
AWS CLI v2 bundles, and npm's aws-sdk apis/ under a node_modules. --botocore (repeatable) reads
only the trees it names. Whatever the model, each service also answers the protocols that clients
in use send (CLIENT_PROTOCOLS). Nothing is copied into the repository: the output goes to the
build tree, and a file is rewritten only when its text changes. The source, API version and
protocols of each model are written into the tables and served by /_gantry/health.
"""
import argparse
import glob
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


# --- Where models come from ---------------------------------------------------------------
#
# A Source is one tree of service models: a botocore package (the python3 running this script,
# Debian's python3-botocore, any other python's), the botocore that the AWS CLI v2 bundles, or the
# `apis/` directory of npm's aws-sdk (v2). Each service is taken from the source that has its
# newest model; see newest_model().

KIND_RANK = {"botocore": 2, "aws-cli": 1, "aws-sdk": 0}


class Source:
    def __init__(self, kind, version, root):
        self.kind, self.version, self.root = kind, version, os.path.realpath(root)

    @property
    def label(self):
        return "%s %s" % (self.kind, self.version)

    def load(self, service, service_id=None):
        """The newest API version of `service` in this tree, or None."""
        if self.kind == "aws-sdk":
            return load_aws_sdk(self.root, service, service_id)
        base = os.path.join(self.root, "data", service)
        if not os.path.isdir(base):
            return None
        versions = sorted(v for v in os.listdir(base) if os.path.isdir(os.path.join(base, v)))
        for version in reversed(versions):
            for name in ("service-2.json.gz", "service-2.json"):
                path = os.path.join(base, version, name)
                if os.path.exists(path):
                    opener = gzip.open if name.endswith(".gz") else open
                    with opener(path, "rt", encoding="utf-8") as f:
                        return json.load(f)
        return None


def read_version(path, pattern=r"__version__\s*=\s*['\"]([^'\"]+)"):
    try:
        with open(path, encoding="utf-8") as f:
            m = re.search(pattern, f.read())
    except OSError:
        return "unknown"
    return m.group(1) if m else "unknown"


def botocore_source(root):
    if not os.path.isdir(os.path.join(root, "data")):
        return None
    parent = os.path.dirname(os.path.realpath(root))
    if os.path.basename(parent) == "awscli":
        # AWS CLI v2 vendors a botocore fork ("2.0.0devN"); its version is the CLI's.
        return Source("aws-cli", read_version(os.path.join(parent, "__init__.py")), root)
    return Source("botocore", read_version(os.path.join(root, "__init__.py")), root)


def aws_sdk_source(apis):
    if not os.path.isfile(os.path.join(apis, "metadata.json")):
        return None
    pkg = os.path.join(os.path.dirname(apis), "package.json")
    return Source("aws-sdk", read_version(pkg, r'"version"\s*:\s*"([^"]+)"'), apis)


def site_dirs():
    """Python package directories of this python3 and the system's (Debian and /usr/local)."""
    dirs = []
    try:
        import botocore
        dirs.append(os.path.dirname(os.path.dirname(botocore.__file__)))
    except ImportError:
        pass
    for pattern in ("/usr/lib/python3/dist-packages", "/usr/lib/python3*/dist-packages",
                    "/usr/lib/python3*/site-packages", "/usr/local/lib/python3*/dist-packages",
                    "/usr/local/lib/python3*/site-packages"):
        dirs.extend(sorted(glob.glob(pattern)))
    return dirs


def node_module_dirs():
    dirs = [d for d in os.environ.get("NODE_PATH", "").split(os.pathsep) if d]
    here = os.getcwd()
    while True:
        dirs.append(os.path.join(here, "node_modules"))
        if os.path.dirname(here) == here:
            break
        here = os.path.dirname(here)
    dirs += ["/usr/lib/node_modules", "/usr/local/lib/node_modules"]
    return dirs


def find_sources(explicit):
    """Every model tree on the machine, in a fixed order, without duplicates. `explicit`
    (--botocore, repeatable) replaces the search: only those trees are read."""
    found = []
    if explicit:
        for root in explicit:
            src = aws_sdk_source(root) or botocore_source(root)
            if src is None:
                sys.exit("gen_models.py: %s holds no service models" % root)
            found.append(src)
    else:
        for site in site_dirs():
            for sub in ("botocore", os.path.join("awscli", "botocore")):
                src = botocore_source(os.path.join(site, sub))
                if src is not None:
                    found.append(src)
        # The AWS CLI v2 installer's layout.
        for root in sorted(glob.glob("/usr/local/aws-cli/v2/*/dist/awscli/botocore")):
            src = botocore_source(root)
            if src is not None:
                found.append(src)
        for nm in node_module_dirs():
            src = aws_sdk_source(os.path.join(nm, "aws-sdk", "apis"))
            if src is not None:
                found.append(src)
    seen, sources = set(), []
    for src in found:
        if src.root not in seen:
            seen.add(src.root)
            sources.append(src)
    if not sources:
        sys.exit("gen_models.py: no service models found (apt-get install python3-botocore)")
    return sources


# npm aws-sdk (v2) ships its models as apis/<prefix>-<apiVersion>.min.json: botocore's format
# with documentation and constraints stripped and most shapes inlined. metadata.json maps the
# SDK's service keys to those prefixes; models match botocore's by serviceId.
def load_aws_sdk(apis, service, service_id):
    with open(os.path.join(apis, "metadata.json"), encoding="utf-8") as f:
        index = json.load(f)
    # The SDK's key is botocore's name without '-' ("elbv2") or the squashed serviceId
    # ("cloudwatchlogs" for logs); files are named by the key's prefix.
    keys = {service.replace("-", ""), (service_id or "").replace(" ", "").lower()}
    prefixes = sorted({v.get("prefix") or k for k, v in index.items()
                       if k in keys or v.get("prefix") == service})
    best = None
    for prefix in prefixes:
        for path in sorted(glob.glob(os.path.join(apis, prefix + "-*.json"))):
            m = re.fullmatch(re.escape(prefix) + r"-(\d{4}-\d{2}-\d{2})\.(min|normal)\.json",
                             os.path.basename(path))
            if not m:
                continue
            with open(path, encoding="utf-8") as f:
                model = json.load(f)
            meta = model.get("metadata", {})
            if service_id and meta.get("serviceId") not in (None, service_id):
                continue
            rank = (m.group(1), m.group(2) == "normal")
            if best is None or rank > best[0]:
                best = (rank, model)
    return hoist_shapes(best[1]) if best else None


def hoist_shapes(model):
    """Names the inline shapes of a .min.json model, so that every reference is {"shape": N}."""
    shapes = dict(model.get("shapes", {}))
    counter = [0]

    def ref(r):
        r = dict(r or {})
        if "shape" in r:
            return r
        inline = {k: v for k, v in r.items() if k not in MEMBER_REF_KEYS}
        inline.setdefault("type", "string")
        r = {k: v for k, v in r.items() if k in MEMBER_REF_KEYS}
        counter[0] += 1
        name = "Inline%d" % counter[0]
        shapes[name] = inline
        walk(inline)
        r["shape"] = name
        return r

    def walk(s):
        if "members" in s:
            s["members"] = {k: ref(v) for k, v in s["members"].items()}
        for k in ("member", "key", "value"):
            if k in s:
                s[k] = ref(s[k])

    for s in list(shapes.values()):
        walk(s)
    for op in model.get("operations", {}).values():
        for k in ("input", "output"):
            if k in op:
                op[k] = ref(op[k])
        op["errors"] = [ref(e) for e in op.get("errors", [])]
    model["shapes"] = shapes
    return model


MEMBER_REF_KEYS = {"location", "locationName", "queryName", "flattened", "xmlAttribute",
                   "idempotencyToken", "hostLabel", "jsonvalue", "xmlNamespace",
                   "timestampFormat", "resultWrapper", "streaming", "eventpayload"}


def version_tuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v))


def newest_model(service, sources, explain=False):
    """The newest model of `service` among `sources`, as (model, source).

    Versions are only comparable within one family (botocore 1.x and the AWS CLI's vendored
    2.0.0devN are not), so the rule compares the models first and the packages last:
      1. the API version (data/<service>/<YYYY-MM-DD>): a newer API is a newer model;
      2. how many wire protocols the model lists: lists only grow (CloudWatch: query, then
         smithy-rpc-v2-cbor, json and query);
      3. how many operations, then distinct member names, it has: models grow by adding them
         (shape counts are not comparable: aws-sdk's .min.json inlines and repeats shapes);
      4. the family: botocore, then the AWS CLI's, then aws-sdk (whose .min.json has no
         enums, lengths or patterns, so the validator checks less when it wins);
      5. the package version within the family;
      6. the search order (this python3 first).
    """
    best = None
    service_id = None
    for i, src in enumerate(sources):
        model = src.load(service, service_id)
        if model is None:
            continue
        meta = model["metadata"]
        service_id = service_id or meta.get("serviceId")
        protocols = set(meta.get("protocols") or [meta.get("protocol")]) & set(PROTOCOLS)
        members = {m for shape in model["shapes"].values() for m in shape.get("members", {})}
        key = (meta.get("apiVersion", ""), len(protocols), len(model["operations"]),
               len(members), KIND_RANK[src.kind], version_tuple(src.version), -i)
        if explain:
            print("gen_models.py: %s: %s %s" % (service, src.label, key[:-1]), file=sys.stderr)
        if best is None or key > best[0]:
            best = (key, model, src)
    if best is None:
        sys.exit("gen_models.py: no model for %s in %s" %
                 (service, ", ".join(s.root for s in sources)))
    return best[1], best[2]


# --- What clients send ------------------------------------------------------------------------
#
# A model lists the protocols of the SDKs generated from it, but SDKs of every age are in use:
# Debian 12's AWS CLI v2 (2.9) sends CloudWatch query, botocore 1.43 JSON 1.0, the Smithy-based
# SDKs RPC v2 CBOR. So Gantry answers, per service, every protocol below whatever model it is
# built from; the model's own list comes first and these are added after it. The metadata is
# what those protocols need and an older model lacks; the model's own values win.
CLIENT_PROTOCOLS = {
    "cloudwatch": {
        "protocols": ["smithy-rpc-v2-cbor", "json", "query"],
        "targetPrefix": "GraniteServiceVersion20100801",  # JSON X-Amz-Target, CBOR service name
        "jsonVersion": "1.0",
        "awsQueryCompatible": {},  # errors carry the query code in x-amzn-query-error
        "xmlNamespace": "http://monitoring.amazonaws.com/doc/2010-08-01/",
    },
    # Not generated today; the models moved from query to JSON only, clients before botocore
    # 1.31.x still send query.
    "sqs": {
        "protocols": ["json", "query"],
        "targetPrefix": "AmazonSQS",
        "jsonVersion": "1.0",
        "awsQueryCompatible": {},
        "xmlNamespace": "http://queue.amazonaws.com/doc/2012-11-05/",
    },
}
CLIENT_METADATA = ("targetPrefix", "jsonVersion", "awsQueryCompatible", "xmlNamespace")


def merge_client_protocols(service, model):
    """Returns (protocols, model_protocols): the model's protocols, then those clients send
    that it lacks. Fills the metadata they need into model["metadata"]."""
    meta = model["metadata"]
    own = [p for p in (meta.get("protocols") or [meta["protocol"]]) if p in PROTOCOLS]
    extra = CLIENT_PROTOCOLS.get(service)
    if not extra:
        return own, own
    for key in CLIENT_METADATA:
        if key in extra and meta.get(key) is None:
            meta[key] = extra[key]
        elif key in extra and meta[key] != extra[key]:
            print("gen_models.py: warning: %s %s is %r in the model, %r in CLIENT_PROTOCOLS; "
                  "using the model's" % (service, key, meta[key], extra[key]), file=sys.stderr)
    added = [p for p in extra["protocols"] if p not in own]
    if "query" in added:
        # awsQuery wraps each output in <OperationResult>; JSON-era models do not say so.
        for name, op in model["operations"].items():
            if op.get("output") and not op["output"].get("resultWrapper"):
                op["output"]["resultWrapper"] = name + "Result"
    return own + added, own


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


def generate(service, model, out_dir, namespace):
    protocols, model_protocols = merge_client_protocols(service, model)
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

    ident = re.sub(r"[^A-Za-z0-9]", "_", service)
    signing = meta.get("signingName") or meta.get("endpointPrefix")
    lines = [
        # The source is in models.cc: a model file changes only when its tables do.
        "// Generated by tools/gen_models.py from the botocore model of %s. Do not edit." % service,
        '#include "protocol/model.h"',
        "namespace %s {" % namespace,
    ] + (["using namespace protocol;"] if namespace != "protocol" else []) + [
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
        "}  // namespace %s" % namespace,
        "",
    ]
    write_if_changed(os.path.join(out_dir, "model_%s.cc" % ident), "\n".join(lines))
    return ident, protocols, model_protocols


def write_if_changed(path, text):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def protocol_list(protocols):
    return "{%s}" % ", ".join("Protocol::" + PROTOCOLS[p] for p in protocols)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--botocore", action="append",
                    help="read only this botocore (or aws-sdk apis/) tree; repeatable")
    ap.add_argument("--namespace", default="protocol",
                    help="C++ namespace of the tables (tests link a second set)")
    ap.add_argument("--explain", action="store_true",
                    help="print each candidate model's ranking key to stderr")
    ap.add_argument("services", nargs="+")
    args = ap.parse_args()
    sources = find_sources(args.botocore)
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for service in sorted(args.services):
        model, src = newest_model(service, sources, args.explain)
        ident, protocols, own = generate(service, model, args.out, args.namespace)
        rows.append((service, ident, src, model["metadata"].get("apiVersion"), protocols, own))
    # The summary names each source once, the most used first: "botocore 1.43.11".
    counts = {}
    for row in rows:
        counts[row[2].label] = counts.get(row[2].label, 0) + 1
    summary = ", ".join(sorted(counts, key=lambda label: (-counts[label], label)))
    ns = args.namespace
    reg = ["// Generated by tools/gen_models.py. Do not edit.", '#include "protocol/model.h"',
           '#include "protocol/model_origin.h"', "namespace %s {" % ns, "using namespace protocol;",
           "using namespace std::string_view_literals;"]
    reg += ["extern const ServiceModel kModel_%s;" % row[1] for row in rows]
    reg += ["namespace {", "constexpr const ServiceModel* kAll[] = {%s};" %
            ", ".join("&kModel_%s" % row[1] for row in rows)]
    for service, ident, src, api, protocols, own in rows:
        reg.append("constexpr Protocol kOwn_%s[] = %s;" % (ident, protocol_list(own)))
    reg.append("constexpr ModelOrigin kOrigins[] = {\n%s\n};" % ",\n".join(
        "  {%s, %s, %s, kOwn_%s}" % (cstr(service), cstr(src.label), cstr(api), ident)
        for service, ident, src, api, protocols, own in rows))
    reg += ["}  // namespace",
            "std::span<const ServiceModel* const> all_models() { return kAll; }",
            "std::span<const ModelOrigin> model_origins() { return kOrigins; }",
            "std::string_view models_source() { return %s; }" % cstr(summary),
            "}  // namespace %s" % ns, ""]
    write_if_changed(os.path.join(args.out, "models.cc"), "\n".join(reg))
    for service, ident, src, api, protocols, own in rows:
        added = [p for p in protocols if p not in own]
        print("gen_models.py: %s %s from %s (%s)%s" % (
            service, api, src.label, src.root,
            "; clients also send " + ", ".join(added) if added else ""))


if __name__ == "__main__":
    main()
