"""Encodes one OTLP logs request with Python's protobuf runtime (Debian python3-protobuf) from
classes protoc generated out of the upstream .proto files, and prints it as one JSON object:
the binary body (base64) and the JSON bodies json_format writes by default (enum names), with
enum numbers, and with the proto field names (snake_case). Written for this repository's tests.

Usage: python3 encode_logs.py <directory of the generated *_pb2 modules>
"""

import base64
import json
import sys

sys.path.insert(0, sys.argv[1])

from google.protobuf import json_format  # noqa: E402
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2  # noqa: E402
from opentelemetry.proto.logs.v1 import logs_pb2  # noqa: E402


def request(with_trace: bool) -> logs_service_pb2.ExportLogsServiceRequest:
    req = logs_service_pb2.ExportLogsServiceRequest()
    rl = req.resource_logs.add()
    attr = rl.resource.attributes.add()
    attr.key, attr.value.string_value = "service.name", "checkout"
    attr = rl.resource.attributes.add()
    attr.key, attr.value.int_value = "host.cpus", 8
    sl = rl.scope_logs.add()
    sl.scope.name, sl.scope.version = "auth", "1.0.0"

    first = sl.log_records.add()
    first.time_unix_nano = 1763885730123456789
    first.observed_time_unix_nano = 1763885731987654321
    first.severity_number = logs_pb2.SEVERITY_NUMBER_WARN
    first.severity_text = "WARN"
    first.body.string_value = "login failed for joebob1"
    if with_trace:
        first.trace_id = bytes.fromhex("5b8efff798038103d269b633813fc60c")
        first.span_id = bytes.fromhex("eee19b7ec3c1b174")
        first.flags = 1

    def add(key):
        a = first.attributes.add()
        a.key = key
        return a.value

    add("user.id").string_value = "joebob1"
    add("security.event").bool_value = True
    add("long.max").int_value = 9223372036854775807
    add("long.min").int_value = -9223372036854775808
    add("past.safe").int_value = 9007199254740993
    add("below.safe").int_value = -9007199254740993
    add("safe.max").int_value = 9007199254740991
    add("risk.score").double_value = 0.75
    add("raw.bytes").bytes_value = b"\x00\x01\xfe\xff"
    items = add("mixed").array_value
    items.values.add().int_value = 1
    items.values.add().string_value = "two"
    items.values.add().bool_value = False
    nested = add("nested").kvlist_value
    inner = nested.values.add()
    inner.key = "outer"
    deep = inner.value.kvlist_value.values.add()
    deep.key, deep.value.string_value = "inner", "yes"

    second = sl.log_records.add()
    second.time_unix_nano = 1
    second.severity_number = logs_pb2.SEVERITY_NUMBER_ERROR2
    second.body.double_value = 42.5
    return req


# json_format writes bytes as base64; OTLP/JSON wants trace and span ids in hex, so the JSON
# bodies carry none (raw.bytes, a bytesValue, is base64 in OTLP/JSON too).
plain = request(with_trace=False)
print(
    json.dumps(
        {
            "protobuf": base64.b64encode(request(with_trace=True).SerializeToString()).decode("ascii"),
            "json_names": json_format.MessageToJson(plain),
            "json_numbers": json_format.MessageToJson(plain, use_integers_for_enums=True),
            "json_snake": json_format.MessageToJson(plain, preserving_proto_field_name=True),
        }
    )
)
