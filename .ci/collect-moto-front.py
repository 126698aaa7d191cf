#!/usr/bin/env python3
"""The front `iamsim collect` talks to in `.ci/collect-moto`: a proxy to moto's server that

  - serves, from the seed's state file, the operations moto lacks or answers otherwise than AWS:
      sso-admin GetPermissionsBoundaryForPermissionSet          (moto 5.2.6 has no such operation)
      sso-admin DescribeInstanceAccessControlAttributeConfiguration (none either)
      sso-admin ListAccountsForProvisionedPermissionSet         (moto lists only the caller's own account)
      organizations ListDelegatedAdministrators for sso.amazonaws.com (moto refuses that service principal)
      account-access ListApplications, ListEntitlements         (moto has no account access manager)
  - injects faults a real client must survive, once each: HTTP 400 ThrottlingException, HTTP 429, HTTP 503, a
    query-protocol Throttling error, and a connection dropped before any response;
  - gives permission sets the ARNs AWS gives them (`arn:aws:sso:::permissionSet/ssoins-…/ps-…`; moto 5.2.6
    answers `arn:aws:sso:::instance/ssoins-…/ps-…`), and turns them back into moto's on the way in;
  - answers `get-account-authorization-details` as AWS does where moto 5.2.6 does not: each managed policy has its
    `PolicyName` and `PolicyId`, and `Policies` lists AWS managed policies only when something in the account
    uses them (moto lists all 1,300, unattached, with MOTO_IAM_LOAD_MANAGED_POLICIES);
  - refuses sts:AssumeRole of the member role in accounts that have none (as AWS does), and answers
    ExpiredToken to the access key AKIAEXPIREDEXAMPLE00 (an expired session);
  - records every request's operation and status (--log), and the secrets moto hands out in AssumeRole
    responses (--secrets), so that the script can check no output holds one.

    collect-moto-front.py --port N --moto URL --state STATE.json --log FILE --secrets FILE [--faults]
"""
import argparse
import http.client
import json
import re
import socket
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--moto", required=True)
parser.add_argument("--state", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--secrets", required=True)
parser.add_argument("--faults", action="store_true")
args = parser.parse_args()

with open(args.state) as handle:
    STATE = json.load(handle)
STUB = STATE["stub"]
MOTO = urllib.parse.urlsplit(args.moto)
EXPIRED_KEY = "AKIAEXPIREDEXAMPLE00"
LOCK = threading.Lock()
# The faults, each injected once, on the first request of its operation.
FAULTS = {
    "ListAccounts": "throttling-400",
    "ListPermissionSets": "http-429",
    "ListGroups": "http-503",
    "DescribeOrganization": "drop",
    "GetAccountAuthorizationDetails": "query-throttling",
} if args.faults else {}
LOCAL = threading.local()
STARTED = time.monotonic()


def log(line):
    with LOCK, open(args.log, "a") as handle:
        handle.write(f"{time.monotonic() - STARTED:8.3f} {line}\n")


def from_moto(body):
    """Permission-set ARNs as AWS spells them."""
    return re.sub(rb":sso:::instance/(ssoins-[0-9a-z]+)/ps-", rb":sso:::permissionSet/\1/ps-", body)


def to_moto(body):
    """Permission-set ARNs as moto spells them."""
    return re.sub(rb":sso:::permissionSet/(ssoins-[0-9a-z]+)/ps-", rb":sso:::instance/\1/ps-", body)


def authorization_details(body):
    """moto's GetAccountAuthorizationDetails answer, with `Policies` as AWS gives it."""
    text = body.decode()
    start, end = text.find("<Policies>"), text.find("</Policies>")
    if start < 0 or end < 0:
        return body
    used = set(re.findall(r"<(?:PolicyArn|PermissionsBoundaryArn)>([^<]+)</", text))
    policies = ElementTree.fromstring(text[start:end + len("</Policies>")])
    for member in list(policies):
        arn = member.findtext("Arn") or ""
        if arn.startswith("arn:aws:iam::aws:policy/") and arn not in used:
            policies.remove(member)
            continue
        if member.find("PolicyName") is None:
            name = ElementTree.Element("PolicyName")
            name.text = arn.rsplit("/", 1)[-1]
            member.insert(0, name)
        if member.find("PolicyId") is None:
            identifier = ElementTree.Element("PolicyId")
            identifier.text = "ANPA" + re.sub(r"[^A-Z0-9]", "", arn.upper())[-17:].rjust(17, "0")
            member.insert(1, identifier)
    return (text[:start] + ElementTree.tostring(policies, encoding="unicode") + text[end + len("</Policies>"):]).encode()


def remember_secrets(body):
    found = re.findall(r"<(?:SecretAccessKey|SessionToken)>([^<]+)</", body)
    if found:
        with LOCK, open(args.secrets, "a") as handle:
            handle.write("".join(secret + "\n" for secret in found))


class Front(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: without this, Nagle's algorithm holds the body until the client's
    # delayed ACK, 40 ms a response.
    disable_nagle_algorithm = True

    def log_message(self, *_):
        pass

    def do_GET(self):
        self.reply(200, b"front", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        authorization = self.headers.get("Authorization", "")
        scope = re.search(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request", authorization)
        key, service = (scope.group(1), scope.group(3)) if scope else ("", "")
        target = self.headers.get("X-Amz-Target", "")
        form = urllib.parse.parse_qs(body.decode()) if not target and service in ("sts", "iam") else {}
        operation = target.split(".")[-1] if target else (form.get("Action", [""])[0] or self.path)
        payload = json.loads(body or b"{}") if target or service == "account-access" else {}

        if key == EXPIRED_KEY:
            return self.error(403, "ExpiredToken" if form else "ExpiredTokenException",
                              "The security token included in the request is expired", operation, query=bool(form))
        with LOCK:
            fault = FAULTS.pop(operation, None)
        if fault:
            if fault == "drop":
                log(f"{operation} drop")
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault == "throttling-400":
                return self.error(400, "ThrottlingException", "Rate exceeded", operation)
            if fault == "http-429":
                return self.error(429, "TooManyRequestsException", "Too many requests", operation)
            if fault == "http-503":
                return self.error(503, "ServiceUnavailableException", "Service unavailable", operation)
            return self.error(400, "Throttling", "Rate exceeded", operation, query=True)
        if operation == "AssumeRole":
            account = form.get("RoleArn", [""])[0].split(":")[4:5]
            if account and account[0] not in STATE["memberRoles"]:
                return self.error(403, "AccessDenied", f"User is not authorized to perform: sts:AssumeRole on resource: {form['RoleArn'][0]}",
                                  operation, query=True)
        stubbed = self.stub(operation, service, payload)
        if stubbed is not None:
            status, answer = stubbed
            log(f"{operation} stub {status}")
            return self.reply(status, json.dumps(answer).encode(), "application/x-amz-json-1.1")
        self.forward(body, operation)

    def stub(self, operation, service, payload):
        """The answer for an operation moto lacks, or None to forward it."""
        if operation == "GetPermissionsBoundaryForPermissionSet":
            boundary = STUB["boundaries"].get(payload.get("PermissionSetArn"))
            if boundary is None:
                return 400, {"__type": "ResourceNotFoundException", "Message": "The permission set has no permissions boundary."}
            return 200, {"PermissionsBoundary": boundary}
        if operation == "DescribeInstanceAccessControlAttributeConfiguration":
            return 200, {"Status": "ENABLED", "StatusReason": "", "InstanceAccessControlAttributeConfiguration": STUB["accessControl"]}
        if operation == "ListAccountsForProvisionedPermissionSet":
            return 200, {"AccountIds": STUB["provisioned"].get(payload.get("PermissionSetArn"), [])}
        if operation == "ListDelegatedAdministrators" and payload.get("ServicePrincipal") == "sso.amazonaws.com":
            return 200, {"DelegatedAdministrators": STUB["delegatedAdministrators"]}
        if service == "account-access" and operation == "/applications-list":
            return 200, {"applications": [{"applicationArn": STUB["application"], "createdAt": 1700004000.0, "updatedAt": 1700004000.0}]}
        if service == "account-access" and operation == "/entitlements-list":
            account = ((payload.get("filter") or {}).get("principalRole") or {}).get("account")
            if payload.get("applicationArn") != STUB["application"]:
                return 404, {"message": "The application does not exist."}
            return 200, {"entitlements": [e for e in STUB["entitlements"] if e["entitlement"]["principalRole"]["account"] == account]}
        return None

    def forward(self, body, operation):
        if getattr(LOCAL, "moto", None) is None:
            LOCAL.moto = http.client.HTTPConnection(MOTO.hostname, MOTO.port, timeout=60)
        headers = {name: value for name, value in self.headers.items() if name.lower() not in ("connection", "keep-alive", "content-length")}
        try:
            LOCAL.moto.request("POST", self.path, body=to_moto(body), headers=headers)
            response = LOCAL.moto.getresponse()
        except (http.client.HTTPException, OSError):
            LOCAL.moto = http.client.HTTPConnection(MOTO.hostname, MOTO.port, timeout=60)
            LOCAL.moto.request("POST", self.path, body=to_moto(body), headers=headers)
            response = LOCAL.moto.getresponse()
        answer = from_moto(response.read())
        if operation == "AssumeRole":
            remember_secrets(answer.decode(errors="replace"))
        if operation == "GetAccountAuthorizationDetails" and response.status == 200:
            answer = authorization_details(answer)
        log(f"{operation} moto {response.status}")
        self.reply(response.status, answer, response.getheader("Content-Type") or "application/json")

    def error(self, status, code, message, operation, query=False):
        log(f"{operation} error {status} {code}")
        if query:
            body = (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>{code}</Code>'
                    f"<Message>{message}</Message></Error><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>")
            return self.reply(status, body.encode(), "text/xml")
        return self.reply(status, json.dumps({"__type": code, "message": message}).encode(), "application/x-amz-json-1.1")

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000")
        self.end_headers()
        self.wfile.write(body)


server = ThreadingHTTPServer(("127.0.0.1", args.port), Front)
server.daemon_threads = True
server.serve_forever()
