"""A tiny local stand-in for the few AWS API calls `terraform plan` makes (provider set-up and data
sources), so that plan JSON fixtures can be generated with no network and no credentials.

Only what planning our fixtures needs is answered, with fixed values (account 123456789012):

* STS `GetCallerIdentity` (the provider's credential check and account lookup,
  `data "aws_caller_identity"`);
* DynamoDB `DescribeTable`, `DescribeContinuousBackups`, `DescribeTimeToLive`,
  `ListTagsOfResource` (`data "aws_dynamodb_table"`: any table name exists, PITR off, no tags).

Every other call gets an HTTP 400 that names the operation, so an unsupported data source fails the
plan loudly instead of hanging. The provider is pointed here through the `AWS_ENDPOINT_URL*`
environment variables; the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_ID = "123456789012"
_REGION = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/")

_STS_IDENTITY = f"""<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::{ACCOUNT_ID}:user/plan-fixtures</Arn>
    <UserId>AIDAPLANFIXTURES</UserId>
    <Account>{ACCOUNT_ID}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>
"""


def _table(request: dict[str, object], region: str) -> dict[str, object]:
    name = str(request.get("TableName", "table"))
    arn = f"arn:aws:dynamodb:{region}:{ACCOUNT_ID}:table/{name}"
    return {"Table": {
        "TableName": name,
        "TableArn": arn,
        "TableId": "00000000-0000-0000-0000-000000000000",
        "TableStatus": "ACTIVE",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
        "CreationDateTime": 1577836800,
        "ItemCount": 0,
        "TableSizeBytes": 0,
    }}


def _continuous_backups(_request: dict[str, object], _region: str) -> dict[str, object]:
    return {"ContinuousBackupsDescription": {
        "ContinuousBackupsStatus": "ENABLED",
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"},
    }}


def _ttl(_request: dict[str, object], _region: str) -> dict[str, object]:
    return {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}


def _tags(_request: dict[str, object], _region: str) -> dict[str, object]:
    return {"Tags": []}


DYNAMODB: dict[str, Callable[[dict[str, object], str], dict[str, object]]] = {
    "DescribeTable": _table,
    "DescribeContinuousBackups": _continuous_backups,
    "DescribeTimeToLive": _ttl,
    "ListTagsOfResource": _tags,
}


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        region = _region(self.headers.get("Authorization", ""))
        target = self.headers.get("X-Amz-Target", "")
        if target.startswith("DynamoDB_"):
            self._dynamodb(target.split(".", 1)[-1], body, region)
        else:
            self._query(body)

    def _dynamodb(self, operation: str, body: bytes, region: str) -> None:
        answer = DYNAMODB.get(operation)
        if answer is None:
            return self._send(400, "application/x-amz-json-1.0", json.dumps({
                "__type": "com.amazonaws.dynamodb.v20120810#ValidationException",
                "message": f"offline_aws: DynamoDB {operation} is not simulated",
            }))
        request = json.loads(body or b"{}")
        self._send(200, "application/x-amz-json-1.0", json.dumps(answer(request, region)))

    def _query(self, body: bytes) -> None:
        action = parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
        if action == "GetCallerIdentity":
            return self._send(200, "text/xml", _STS_IDENTITY)
        self._send(400, "text/xml", f"<ErrorResponse><Error><Type>Sender</Type>"
                   f"<Code>InvalidAction</Code><Message>offline_aws: {action} is not simulated"
                   f"</Message></Error></ErrorResponse>")

    def _send(self, status: int, content_type: str, text: str) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the plan's own error names any unsupported call."""


def _region(authorization: str) -> str:
    match = _REGION.search(authorization)
    return match.group(1) if match else "us-east-1"


def serving() -> AbstractContextManager[str]:
    """Run the stand-in on a free local port for the duration; yields its base URL."""
    return serve(_Handler)


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free local port for the duration; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
