"""Sends one OTLP logs request to a gateway, encoded by Python's protobuf runtime (Debian's
python3-protobuf) with classes protoc generated from the upstream OTLP .proto files: as binary
protobuf, or as the JSON json_format writes by default (enum names, int64 as strings). Prints
the HTTP status. Written for this repository's tests.

Usage: python3 send_otlp.py <directory of the *_pb2 modules> <gateway url> <protobuf|json> <prefix>
"""

import sys
import time
import urllib.request

sys.path.insert(0, sys.argv[1])

from google.protobuf import json_format  # noqa: E402
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2  # noqa: E402
from opentelemetry.proto.logs.v1 import logs_pb2  # noqa: E402

url, encoding, prefix = sys.argv[2], sys.argv[3], sys.argv[4]
AT = time.time_ns() - 3600 * 10**9  # an hour ago: inside the service's TimeGenerated window


def record(scope_logs, name, severity, body, **values):
    r = scope_logs.log_records.add()
    r.time_unix_nano = AT
    r.severity_number = severity
    r.body.string_value = body
    for key, (kind, value) in [("security.event", ("bool", True)), ("name", ("string", prefix + name))] + sorted(
        values.items()
    ):
        a = r.attributes.add()
        a.key = key
        set_value(a.value, kind, value)


def set_value(any_value, kind, value):
    if kind == "string":
        any_value.string_value = value
    elif kind == "int":
        any_value.int_value = value
    elif kind == "double":
        any_value.double_value = value
    elif kind == "bool":
        any_value.bool_value = value
    elif kind == "kvlist":
        for key, (k, v) in value:
            entry = any_value.kvlist_value.values.add()
            entry.key = key
            set_value(entry.value, k, v)
    elif kind == "array":
        for k, v in value:
            set_value(any_value.array_value.values.add(), k, v)


request = logs_service_pb2.ExportLogsServiceRequest()
sl = request.resource_logs.add().scope_logs.add()
record(
    sl,
    "max",
    logs_pb2.SEVERITY_NUMBER_WARN,
    "Gr\u00fc\u00dfe, \u6771\u4eac \U0001f680",
    long=("int", 9223372036854775807),
    int=("int", 2147483647),
    real=("double", 0.1),
    flag=("bool", True),
    when=("string", "2026-12-01T08:15:30.1234567Z"),
    id=("string", "6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c"),
    bag=("kvlist", [("id", ("int", 9223372036854775807)), ("list", ("array", [("int", -9007199254740993), ("double", 1.5), ("string", "\u00e9")]))]),
)
record(
    sl,
    "min",
    logs_pb2.SEVERITY_NUMBER_ERROR2,
    "",
    long=("int", -9223372036854775808),
    int=("int", -2147483648),
    real=("double", -1.5e300),
    flag=("bool", False),
    when=("string", "2000-01-01T00:00:00Z"),
)
record(sl, "above53", logs_pb2.SEVERITY_NUMBER_INFO, "a", long=("int", 9007199254740993))
record(sl, "below53", logs_pb2.SEVERITY_NUMBER_INFO, "b", long=("int", -9007199254740993))

if encoding == "protobuf":
    data, content_type = request.SerializeToString(), "application/x-protobuf"
else:
    data, content_type = json_format.MessageToJson(request).encode("utf-8"), "application/json"
answer = urllib.request.urlopen(
    urllib.request.Request(url + "/v1/logs", data=data, headers={"Content-Type": content_type})
)
print(answer.status)
