"""Checks recorded emulator traffic against AWS's own models, with botocore's own code.

Usage: .venv/bin/python tests/conformance/validate_wire.py RECORDS.jsonl

Each line of RECORDS.jsonl is one exchange recorded by tests/support/recordingProxy.ts:
{"request": {"method", "path", "headers", "body"}, "response": {"status", "headers", "body"}}.

For every request: the parameters decoded from the wire are validated with botocore's
ParamValidator (required, unknown, types, minimums), then against the constraints botocore leaves
to the service (max lengths and values, patterns, enums), and serialized again with botocore's
serializer for the protocol, which must give back what the client sent.
For every response: botocore's parser for the protocol reads it with the operation's output shape;
an error must carry a code the model declares for the operation, or one of the common errors the
service's error reference lists; a success body is walked against the output shape and may hold
no member, type or enum value the model does not have.

Prints one JSON summary line; exits 1 when any exchange has a problem.
"""

import json
import re
import sys
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl

# The AWS CLI v1 vendors botocore as awscli.botocore (awscli 1.46.3 installs no separate botocore):
# these are the models and the validator of the CLI that scripts/test pins.
import awscli.botocore.session as botocore_session
from awscli.botocore import parsers, serialize
from awscli.botocore.utils import parse_timestamp
from awscli.botocore.validate import ParamValidator

TARGETS = {
    "AWSPoseidonService_V2015_11_01": "discovery",
    "AWSMigrationHub": "mgh",
    "AWSMigrationHubMultiAccountService": "migrationhub-config",
}

# Errors every JSON service may answer besides its modelled ones: authentication, throttling and
# serialization (https://docs.aws.amazon.com/application-discovery/latest/APIReference/CommonErrors.html,
# https://docs.aws.amazon.com/mgn/latest/APIReference/CommonErrors.html).
COMMON_JSON = {
    "AccessDeniedException",
    "IncompleteSignature",
    "IncompleteSignatureException",
    "InternalFailure",
    "InvalidAction",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "MissingAuthenticationTokenException",
    "NotAuthorized",
    "RequestExpired",
    "SerializationException",
    "ServiceUnavailable",
    "ThrottlingException",
    "UnknownOperationException",
    "UnrecognizedClientException",
    "ValidationError",
    "ValidationException",
}
# MGN's service-wide errors (on its tag operations in the model, raised by every operation).
COMMON_MGN = {"AccessDeniedException", "InternalServerException", "ThrottlingException"}
# EC2 models no errors: every code comes from its error reference
# (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
EC2_CODES = {
    "AuthFailure",
    "DeleteConversionTaskError",
    "DryRunOperation",
    "IdempotentParameterMismatch",
    "IncompleteSignature",
    "InvalidAMIID.Malformed",
    "InvalidAMIID.NotFound",
    "InvalidAction",
    "InvalidConversionTaskId",
    "InvalidConversionTaskId.Malformed",
    "InvalidInstanceID.Malformed",
    "InvalidInstanceID.NotFound",
    "InvalidPaginationToken",
    "InvalidParameter",
    "InvalidParameterCombination",
    "InvalidParameterDependency",
    "InvalidParameterValue",
    "InvalidSnapshot.InUse",
    "InvalidSnapshot.NotFound",
    "InvalidSnapshotID.Malformed",
    "InvalidVolume.NotFound",
    "InvalidVolumeID.Malformed",
    "MalformedQueryString",
    "MissingAction",
    "MissingAuthenticationToken",
    "MissingParameter",
    "RequestExpired",
    "RequestLimitExceeded",
    "SignatureDoesNotMatch",
    "UnauthorizedOperation",
    "UnknownParameter",
    "Unavailable",
    "UnsupportedOperation",
    "VolumeInUse",
}

SESSION = botocore_session.get_session()
MODELS = {}


def model(service):
    if service not in MODELS:
        MODELS[service] = SESSION.get_service_model(service)
    return MODELS[service]


def header(headers, name):
    for k, v in headers.items():
        if k.lower() == name:
            return v
    return None


def identify(req):
    """(service, operation) of a recorded request."""
    target = header(req["headers"], "x-amz-target")
    if target:
        prefix, _, op = target.rpartition(".")
        return TARGETS[prefix], op
    ctype = header(req["headers"], "content-type") or ""
    if ctype.startswith("application/x-www-form-urlencoded"):
        form = dict(parse_qsl(req["body"], keep_blank_values=True))
        return "ec2", form.get("Action", "")
    path = req["path"].split("?")[0]
    mgn = model("mgn")
    for name in mgn.operation_names:
        http = mgn.operation_model(name).http
        if http.get("method") == req["method"] and http.get("requestUri") == path:
            return "mgn", name
    raise ValueError(f"no operation for {req['method']} {path}")


# ---- the constraints botocore's ParamValidator leaves to the service --------------------------


def constraints(shape, value, path, out):
    if value is None:
        return
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        if not isinstance(value, dict):
            return
        for name, member in shape.members.items():
            if name in value:
                constraints(member, value[name], f"{path}.{name}", out)
    elif t == "list":
        if not isinstance(value, list):
            return
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: {len(value)} items, at most {meta['max']}")
        for i, item in enumerate(value):
            constraints(shape.member, item, f"{path}[{i}]", out)
    elif t == "map":
        if not isinstance(value, dict):
            return
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: {len(value)} entries, at most {meta['max']}")
        for k, v in value.items():
            constraints(shape.key, k, f"{path}.{{key}}", out)
            constraints(shape.value, v, f"{path}.{k}", out)
    elif t == "string":
        if not isinstance(value, str):
            return
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: length {len(value)}, at most {meta['max']}")
        if shape.enum and value not in shape.enum:
            out.append(f"{path}: {value!r} is not one of {shape.enum}")
        elif "pattern" in meta and not re.fullmatch(meta["pattern"], value):
            out.append(f"{path}: {value!r} does not match {meta['pattern']}")
    elif t in ("integer", "long", "double", "float"):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "max" in meta and value > meta["max"]:
                out.append(f"{path}: {value} over {meta['max']}")


# ---- EC2 Query: form parameters back into botocore parameters ---------------------------------


def ec2_name(member_name, member):
    return (
        member.serialization.get("queryName")
        or (member.serialization.get("name", member_name)[:1].upper() + member.serialization.get("name", member_name)[1:])
    )


def ec2_decode(shape, form, prefix, used):
    t = shape.type_name
    if t == "structure":
        out = {}
        for name, member in shape.members.items():
            key = ec2_name(name, member) if prefix == "" else f"{prefix}.{ec2_name(name, member)}"
            v = ec2_decode(member, form, key, used)
            if v is not None:
                out[name] = v
        return out if out or prefix == "" else None
    if t == "list":
        indexes = sorted(
            {int(m.group(1)) for k in form for m in [re.match(re.escape(prefix) + r"\.(\d+)(?:\.|$)", k)] if m}
        )
        if not indexes:
            return None
        return [ec2_decode(shape.member, form, f"{prefix}.{i}", used) for i in indexes]
    if prefix not in form:
        return None
    used.add(prefix)
    raw = form[prefix]
    if t in ("integer", "long"):
        return int(raw) if re.fullmatch(r"-?\d+", raw) else raw
    if t in ("double", "float"):
        try:
            return float(raw)
        except ValueError:
            return raw
    if t == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


# ---- success bodies walked against the output shape -------------------------------------------


def walk_json(shape, value, path, out):
    t = shape.type_name
    if value is None:
        return
    if t == "structure":
        if not isinstance(value, dict):
            out.append(f"{path}: {type(value).__name__}, not a structure")
            return
        for name in shape.required_members:
            if name not in value:
                out.append(f"{path}: required member {name} missing")
        for k, v in value.items():
            if k not in shape.members:
                out.append(f"{path}: {k} is not a member of {shape.name}")
            else:
                walk_json(shape.members[k], v, f"{path}.{k}", out)
    elif t == "list":
        if not isinstance(value, list):
            out.append(f"{path}: not a list")
            return
        for i, item in enumerate(value):
            walk_json(shape.member, item, f"{path}[{i}]", out)
    elif t == "map":
        if not isinstance(value, dict):
            out.append(f"{path}: not a map")
            return
        for k, v in value.items():
            walk_json(shape.value, v, f"{path}.{k}", out)
    elif t == "string":
        if not isinstance(value, str):
            out.append(f"{path}: {value!r} is not a string")
        elif shape.enum and value not in shape.enum:
            out.append(f"{path}: {value!r} is not one of {shape.enum}")
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            out.append(f"{path}: {value!r} is not an integer")
    elif t in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            out.append(f"{path}: {value!r} is not a number")
    elif t == "boolean":
        if not isinstance(value, bool):
            out.append(f"{path}: {value!r} is not a boolean")
    elif t == "timestamp":
        try:
            parse_timestamp(value)
        except (TypeError, ValueError):
            out.append(f"{path}: {value!r} is not a timestamp")


def local(tag):
    return tag.split("}", 1)[-1]


def walk_xml(shape, el, path, out):
    t = shape.type_name
    if t == "structure":
        names = {m.serialization.get("name", n): m for n, m in shape.members.items()}
        for child in el:
            tag = local(child.tag)
            if tag not in names:
                out.append(f"{path}: <{tag}> is not a member of {shape.name}")
            else:
                walk_xml(names[tag], child, f"{path}.{tag}", out)
    elif t == "list":
        item = shape.member.serialization.get("name", "member")
        for i, child in enumerate(el):
            if local(child.tag) != item:
                out.append(f"{path}: list item <{local(child.tag)}>, expected <{item}>")
            walk_xml(shape.member, child, f"{path}[{i}]", out)
    else:
        text = el.text or ""
        if t == "string" and shape.enum and text not in shape.enum:
            out.append(f"{path}: {text!r} is not one of {shape.enum}")
        elif t in ("integer", "long") and not re.fullmatch(r"-?\d+", text):
            out.append(f"{path}: {text!r} is not an integer")
        elif t == "boolean" and text not in ("true", "false"):
            out.append(f"{path}: {text!r} is not a boolean")
        elif t in ("double", "float"):
            try:
                float(text)
            except ValueError:
                out.append(f"{path}: {text!r} is not a number")
        elif t == "timestamp":
            try:
                parse_timestamp(text)
            except (TypeError, ValueError):
                out.append(f"{path}: {text!r} is not a timestamp")


# ---- one exchange -----------------------------------------------------------------------------


def check_request(service, op, req, problems, invalid):
    """Serialization problems go to `problems`; constraint violations to `invalid`."""
    svc = model(service)
    om = svc.operation_model(op)
    protocol = svc.protocol
    if protocol == "ec2":
        form = dict(parse_qsl(req["body"], keep_blank_values=True))
        used = set()
        params = ec2_decode(om.input_shape, form, "", used) if om.input_shape else {}
        extra = sorted(k for k in form if k not in ("Action", "Version") and k not in used)
        if extra:
            invalid.append(f"parameters the model does not have: {extra}")
    else:
        params = json.loads(req["body"] or "{}")
    if om.input_shape is not None:
        report = ParamValidator().validate(params, om.input_shape)
        if report.has_errors():
            invalid.append(report.generate_report().replace("\n", " "))
        constraints(om.input_shape, params, "input", invalid)
    # botocore's serializer must give back what the client sent.
    again = serialize.create_serializer(protocol, include_validation=False).serialize_to_request(
        params, om
    )
    if protocol == "ec2":
        sent = dict(parse_qsl(req["body"], keep_blank_values=True))
        # botocore keeps numbers as numbers until the form is encoded.
        mine = {k: str(v) for k, v in again["body"].items()}
        if mine != sent:
            problems.append(f"request: botocore serializes {again['body']}, the client sent {sent}")
    else:
        body = again["body"]
        mine = json.loads((body.decode() if isinstance(body, bytes) else body) or "{}")
        sent = json.loads(req["body"] or "{}")
        if mine != sent:
            problems.append(f"request: botocore serializes {mine}, the client sent {sent}")
        if protocol == "rest-json" and again["url_path"] != req["path"].split("?")[0]:
            problems.append(f"request: path {req['path']}, botocore uses {again['url_path']}")


def check_response(service, op, res, problems):
    svc = model(service)
    om = svc.operation_model(op)
    protocol = svc.protocol
    parser = parsers.create_parser(protocol)
    raw = {
        "status_code": res["status"],
        "headers": res["headers"],
        "body": res["body"].encode(),
    }
    parsed = parser.parse(raw, om.output_shape)
    if res["status"] >= 300:
        code = parsed.get("Error", {}).get("Code", "")
        declared = {e.name for e in om.error_shapes}
        common = EC2_CODES if protocol == "ec2" else COMMON_JSON | (COMMON_MGN if service == "mgn" else set())
        if not code:
            problems.append(f"response {res['status']}: botocore reads no error code")
        elif code not in declared and code not in common:
            problems.append(f"response: {code} is neither declared for {op} ({sorted(declared)}) nor common")
        if protocol != "ec2" and header(res["headers"], "x-amzn-errortype") != code:
            problems.append(f"response: x-amzn-errortype is not {code}")
        return code
    if om.output_shape is None:
        if protocol == "ec2":
            # EC2 answers these with <return>true</return> beside requestId, as its API reference
            # examples show (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSnapshot.html).
            root = ET.fromstring(res["body"])
            extra = [local(c.tag) for c in root if local(c.tag) not in ("requestId", "return")]
            if local(root.tag) != f"{op}Response" or extra:
                problems.append(f"response: unexpected <{local(root.tag)}> children {extra}")
        elif res["body"].strip() not in ("", "{}"):
            problems.append(f"response: a body for an operation without output: {res['body'][:80]}")
        return None
    out = []
    if protocol == "ec2":
        root = ET.fromstring(res["body"])
        if local(root.tag) != f"{op}Response":
            out.append(f"root <{local(root.tag)}>, expected <{op}Response>")
        body = ET.Element("body")
        body.extend(c for c in root if local(c.tag) != "requestId")
        walk_xml(om.output_shape, body, "output", out)
    else:
        walk_json(om.output_shape, json.loads(res["body"] or "{}"), "output", out)
    problems.extend(f"response: {m}" for m in out)
    return None


def main(path):
    records = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    failures = []
    refused = []
    operations = {}
    errors = {}
    for n, rec in enumerate(records, 1):
        problems = []
        invalid = []
        try:
            service, op = identify(rec["request"])
            check_request(service, op, rec["request"], problems, invalid)
            code = check_response(service, op, rec["response"], problems)
            # A request botocore finds invalid must be refused, with a client error.
            if invalid:
                refused.append({"record": n, "operation": f"{service}:{op}", "code": code})
                if not (400 <= rec["response"]["status"] < 500):
                    problems.append(
                        f"request broke the model ({'; '.join(invalid)}) and the emulator answered "
                        f"{rec['response']['status']}"
                    )
        except Exception as err:  # a record botocore cannot read is itself a finding
            service, op, code = "?", "?", None
            problems.append(f"{type(err).__name__}: {err}")
        key = f"{service}:{op}"
        operations[key] = operations.get(key, 0) + 1
        if code:
            errors[f"{key}:{code}"] = errors.get(f"{key}:{code}", 0) + 1
        if problems:
            failures.append({"record": n, "operation": key, "problems": problems})
    print(
        json.dumps(
            {
                "botocore": botocore_session.__version__,
                "records": len(records),
                "operations": operations,
                "errors": errors,
                "refusedInvalid": refused,
                "failures": failures,
            }
        )
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
