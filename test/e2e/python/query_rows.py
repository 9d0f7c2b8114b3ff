"""Runs one KQL query through Azure's Python query client (Debian's python3-azure:
azure-monitor-query 1.1.0, azure-identity 1.13.0b2) against the emulator and prints one line per
cell after the first column: `<first cell> <column> <python type> <value>`. Written for this
repository's tests; the emulator's coordinates come from the environment.
"""

import os
import sys

from azure.identity import ClientSecretCredential
from azure.monitor.query import LogsQueryClient, LogsQueryStatus

env = os.environ
origin = env["EMULATOR_ORIGIN"]
credential = ClientSecretCredential(
    env["AZURE_TENANT_ID"],
    env["AZURE_CLIENT_ID"],
    env["AZURE_CLIENT_SECRET"],
    authority=origin,
    instance_discovery=False,  # MSAL would ask login.microsoftonline.com about the authority
)
# Takes the origin, appends /v1 itself, asks for a token for <origin>/.default.
result = LogsQueryClient(credential, endpoint=origin).query_workspace(env["WORKSPACE_ID"], env["KQL"], timespan=None)
if result.status != LogsQueryStatus.SUCCESS:
    sys.exit(f"query failed: {result}")
table = result.tables[0]
for row in table.rows:
    for column, value in zip(table.columns[1:], list(row)[1:]):
        text = value.isoformat() if hasattr(value, "isoformat") else repr(value)
        print(f"{row[0]} {column} {type(value).__name__} {text}")
