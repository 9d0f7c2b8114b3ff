"""Uploads rows with Azure's Python ingestion client through the emulator and reads them back
with Azure's Python query client; prints one line per cell as `Name Column type repr`.

Driven by test/python-sdk.test.ts, which passes the emulator's coordinates in the environment
and the rows as JSON on stdin (Python's json keeps integers exact). Debian's python3-azure:
azure-monitor-ingestion 1.0.0b2, azure-monitor-query 1.1.0, azure-identity 1.13.0b2.
"""

import json
import os
import sys

from azure.identity import ClientSecretCredential
from azure.monitor.ingestion import LogsIngestionClient
from azure.monitor.query import LogsQueryClient, LogsQueryStatus

env = os.environ
origin = env["EMULATOR_ORIGIN"]
rows = json.loads(sys.stdin.read())

credential = ClientSecretCredential(
    env["AZURE_TENANT_ID"],
    env["AZURE_CLIENT_ID"],
    env["AZURE_CLIENT_SECRET"],
    authority=origin,
    # MSAL would otherwise ask login.microsoftonline.com about this authority first.
    instance_discovery=False,
)

# The ingestion client asks for https://monitor.azure.com//.default.
LogsIngestionClient(endpoint=origin, credential=credential).upload(
    rule_id=env["DCR_IMMUTABLE_ID"], stream_name=env["STREAM"], logs=rows
)

# The query client takes the origin, appends /v1 itself and asks for <origin>/.default.
result = LogsQueryClient(credential, endpoint=origin).query_workspace(
    env["WORKSPACE_ID"], env["KQL"], timespan=None
)
if result.status != LogsQueryStatus.SUCCESS:
    sys.exit(f"query failed: {result}")
table = result.tables[0]
for row in table.rows:
    name = row[0]
    for column, value in zip(table.columns[1:], list(row)[1:]):
        text = value.isoformat() if hasattr(value, "isoformat") else repr(value)
        print(f"{name} {column} {type(value).__name__} {text}")
