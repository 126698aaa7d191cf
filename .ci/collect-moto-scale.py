#!/usr/bin/env python3
"""A synthetic AWS for the scale mode of `.ci/collect-moto`: an organization of ACCOUNTS accounts (10 OUs) and
PERMISSION_SETS permission sets, each provisioned to every account with one group assigned, answered from
formulas rather than stored (moto would need an hour of seeding for 100,000 assignments). Every operation
`iamsim collect` calls is served in AWS's wire format: json 1.1 for Organizations, SSO Admin and the identity
store, rest-json for account access manager, query XML for STS and IAM, with pagination as AWS pages.

    collect-moto-scale.py --port N --accounts 1000 --permission-sets 100

`GET /counts` answers the requests served, by operation.
"""
import argparse
import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--accounts", type=int, default=1000)
parser.add_argument("--permission-sets", type=int, default=100)
args = parser.parse_args()

A, P, UNITS = args.accounts, args.permission_sets, 10
MANAGEMENT = "100000000000"
ACCOUNTS = [f"{100000000000 + index}" for index in range(A)]
ROOT = "r-sc01"
UNIT_IDS = [f"ou-sc01-{index:08d}" for index in range(UNITS)]
INSTANCE = "arn:aws:sso:::instance/ssoins-5ca1e00000000001"
STORE = "d-5ca1e00001"
SETS = [f"arn:aws:sso:::permissionSet/ssoins-5ca1e00000000001/ps-5ca1e{index:011d}" for index in range(P)]
USERS = [f"5ca1e000-0000-4000-8000-{index:012d}" for index in range(P)]
GROUPS = [f"5ca1e000-0000-4000-9000-{index:012d}" for index in range(P)]
APPLICATION = f"arn:aws:account-access:eu-west-1:{MANAGEMENT}:application/aam-5ca1e00000000001"
COUNTS = {}
LOCK = threading.Lock()


# The management account is in the root; the others are spread over the OUs.
PARENT = {account: ROOT if index == 0 else UNIT_IDS[(index - 1) % UNITS] for index, account in enumerate(ACCOUNTS)}


def account_entry(account):
    return {"Id": account, "Arn": f"arn:aws:organizations::{MANAGEMENT}:account/o-5ca1e00001/{account}",
            "Email": f"aws-{account}@scale.example", "Name": f"account-{account}", "Status": "ACTIVE", "State": "ACTIVE",
            "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000000.0}


def page(items, key, payload, token="NextToken", limit="MaxResults", default=20):
    start = int(payload.get(token) or 0)
    size = int(payload.get(limit) or default)
    answer = {key: items[start:start + size]}
    if start + size < len(items):
        answer[token] = str(start + size)
    return answer


def document(statement):
    return urllib.parse.quote(json.dumps({"Version": "2012-10-17", "Statement": [statement]}), safe="")


ALL_TARGETS = ([{"TargetId": ROOT, "Arn": f"arn:aws:organizations::{MANAGEMENT}:root/o-5ca1e00001/{ROOT}", "Name": "Root", "Type": "ROOT"}]
               + [{"TargetId": unit, "Arn": f"arn:aws:organizations::{MANAGEMENT}:ou/o-5ca1e00001/{unit}", "Name": f"Unit{index}",
                   "Type": "ORGANIZATIONAL_UNIT"} for index, unit in enumerate(UNIT_IDS)]
               + [{"TargetId": account, "Arn": f"arn:aws:organizations::{MANAGEMENT}:account/o-5ca1e00001/{account}",
                   "Name": f"account-{account}", "Type": "ACCOUNT"} for account in ACCOUNTS])
POLICIES = {
    "SERVICE_CONTROL_POLICY": [
        {"Id": "p-FullAWSAccess", "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
         "Name": "FullAWSAccess", "Description": "Allows access to every operation", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": True},
        {"Id": "p-scdeny0001", "Arn": f"arn:aws:organizations::{MANAGEMENT}:policy/o-5ca1e00001/service_control_policy/p-scdeny0001",
         "Name": "DenyLeavingTheOrganization", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": False}],
    "RESOURCE_CONTROL_POLICY": [
        {"Id": "p-RCPFullAWSAccess", "Arn": "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess",
         "Name": "RCPFullAWSAccess", "Description": "Allows access to every operation", "Type": "RESOURCE_CONTROL_POLICY", "AwsManaged": True}],
}
CONTENT = {
    "p-FullAWSAccess": {"Effect": "Allow", "Action": "*", "Resource": "*"},
    "p-scdeny0001": {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
    "p-RCPFullAWSAccess": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
}


def json_answer(operation, payload):
    if operation == "DescribeOrganization":
        return {"Organization": {"Id": "o-5ca1e00001", "Arn": f"arn:aws:organizations::{MANAGEMENT}:organization/o-5ca1e00001",
                                 "FeatureSet": "ALL", "MasterAccountId": MANAGEMENT, "MasterAccountEmail": "aws-root@scale.example"}}
    if operation == "ListRoots":
        return {"Roots": [{"Id": ROOT, "Arn": ALL_TARGETS[0]["Arn"], "Name": "Root",
                           "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"},
                                           {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"}]}]}
    if operation == "ListAccounts":
        return page([account_entry(account) for account in ACCOUNTS], "Accounts", payload)
    if operation == "ListOrganizationalUnitsForParent":
        units = [{"Id": unit, "Arn": ALL_TARGETS[1 + index]["Arn"], "Name": f"Unit{index}"} for index, unit in enumerate(UNIT_IDS)]
        return page(units if payload["ParentId"] == ROOT else [], "OrganizationalUnits", payload)
    if operation == "ListAccountsForParent":
        return page([account_entry(a) for a in ACCOUNTS if PARENT[a] == payload["ParentId"]], "Accounts", payload)
    if operation == "ListPolicies":
        return page(POLICIES[payload["Filter"]], "Policies", payload)
    if operation == "DescribePolicy":
        summary = next(p for policies in POLICIES.values() for p in policies if p["Id"] == payload["PolicyId"])
        return {"Policy": {"PolicySummary": summary,
                           "Content": json.dumps({"Version": "2012-10-17", "Statement": [CONTENT[summary["Id"]]]})}}
    if operation == "ListTargetsForPolicy":
        targets = ALL_TARGETS if payload["PolicyId"] in ("p-FullAWSAccess", "p-RCPFullAWSAccess") else ALL_TARGETS[:1]
        return page(targets, "Targets", payload)
    if operation == "ListDelegatedAdministrators":
        return {"DelegatedAdministrators": []}
    if operation == "ListInstances":
        return {"Instances": [{"InstanceArn": INSTANCE, "IdentityStoreId": STORE, "OwnerAccountId": MANAGEMENT, "Status": "ACTIVE",
                               "CreatedDate": 1700000000.0}]}
    if operation == "ListPermissionSets":
        return page(SETS, "PermissionSets", payload, default=100)
    index = SETS.index(payload["PermissionSetArn"]) if "PermissionSetArn" in payload else None
    if operation == "DescribePermissionSet":
        return {"PermissionSet": {"Name": f"Team{index:02d}", "PermissionSetArn": SETS[index], "SessionDuration": "PT1H",
                                  "CreatedDate": 1700000000.0}}
    if operation == "ListManagedPoliciesInPermissionSet":
        return {"AttachedManagedPolicies": [{"Name": "ReadOnlyAccess", "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}
    if operation == "ListCustomerManagedPolicyReferencesInPermissionSet":
        return {"CustomerManagedPolicyReferences": []}
    if operation == "GetInlinePolicyForPermissionSet":
        return {"InlinePolicy": ""}
    if operation in ("GetPermissionsBoundaryForPermissionSet", "DescribeInstanceAccessControlAttributeConfiguration"):
        return None
    if operation == "ListAccountsForProvisionedPermissionSet":
        return page(ACCOUNTS[1:], "AccountIds", payload, default=100)
    if operation == "ListAccountAssignments":
        return {"AccountAssignments": [{"AccountId": payload["AccountId"], "PermissionSetArn": SETS[index], "PrincipalType": "GROUP",
                                        "PrincipalId": GROUPS[index]}]}
    if operation == "ListUsers":
        users = [{"IdentityStoreId": STORE, "UserId": user, "UserName": f"user{number:03d}@scale.example",
                  "DisplayName": f"User {number}", "Name": {"GivenName": "User", "FamilyName": f"{number}"},
                  "Emails": [{"Value": f"user{number:03d}@scale.example", "Type": "work", "Primary": True}]}
                 for number, user in enumerate(USERS)]
        return page(users, "Users", payload, default=100)
    if operation == "ListGroups":
        groups = [{"GroupId": group, "DisplayName": f"Team{number:02d}-group", "IdentityStoreId": STORE} for number, group in enumerate(GROUPS)]
        return page(groups, "Groups", payload, default=100)
    if operation == "ListGroupMemberships":
        number = GROUPS.index(payload["GroupId"])
        return {"GroupMemberships": [{"IdentityStoreId": STORE, "MembershipId": f"m-{number}", "GroupId": GROUPS[number],
                                      "MemberId": {"UserId": USERS[number]}}]}
    raise KeyError(operation)


def iam_details(account):
    trust = document({"Effect": "Allow", "Principal": {"Federated": f"arn:aws:iam::{account}:saml-provider/AWSSSO_5ca1e00000000001_DO_NOT_DELETE"},
                      "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]})
    roles = "".join(
        f"<member><Path>/aws-reserved/sso.amazonaws.com/eu-west-1/</Path><RoleName>AWSReservedSSO_Team{index:02d}_{index:016x}</RoleName>"
        f"<RoleId>AROA5CA1E{index:011d}</RoleId><Arn>arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/eu-west-1/"
        f"AWSReservedSSO_Team{index:02d}_{index:016x}</Arn><CreateDate>2023-11-14T22:13:20Z</CreateDate>"
        f"<AssumeRolePolicyDocument>{trust}</AssumeRolePolicyDocument><InstanceProfileList/><RolePolicyList/>"
        f"<AttachedManagedPolicies><member><PolicyName>ReadOnlyAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn>"
        f"</member></AttachedManagedPolicies><Tags/></member>" for index in range(P))
    return ('<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult>'
            f"<IsTruncated>false</IsTruncated><UserDetailList/><GroupDetailList/><RoleDetailList>{roles}</RoleDetailList><Policies/>"
            "</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>5ca1e</RequestId></ResponseMetadata>"
            "</GetAccountAuthorizationDetailsResponse>")


class Scale(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: without this, Nagle's algorithm holds the body until the client's
    # delayed ACK, 40 ms a response.
    disable_nagle_algorithm = True

    def log_message(self, *_):
        pass

    def do_GET(self):
        with LOCK:
            counts = json.dumps(COUNTS, indent=1, sort_keys=True).encode()
        self.reply(200, counts, "application/json")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = (re.search(r"Credential=([^/]+)/", self.headers.get("Authorization", "")) or [None, ""])[1]
        target = self.headers.get("X-Amz-Target", "")
        if target:
            operation = target.split(".")[-1]
        elif self.path in ("/applications-list", "/entitlements-list"):
            operation = self.path
        else:
            form = urllib.parse.parse_qs(body.decode())
            operation = form.get("Action", [""])[0]
        with LOCK:
            COUNTS[operation] = COUNTS.get(operation, 0) + 1
        if operation == "GetCallerIdentity":
            return self.xml(f'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
                            f"<Arn>arn:aws:iam::{MANAGEMENT}:user/collector</Arn><UserId>AIDA5CA1E0000000001</UserId><Account>{MANAGEMENT}</Account>"
                            "</GetCallerIdentityResult><ResponseMetadata><RequestId>5ca1e</RequestId></ResponseMetadata></GetCallerIdentityResponse>")
        if operation == "AssumeRole":
            role = form["RoleArn"][0]
            account = role.split(":")[4]
            return self.xml(f'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>'
                            f"<AccessKeyId>ASIASCALE{account}</AccessKeyId><SecretAccessKey>scale-secret-{account}</SecretAccessKey>"
                            f"<SessionToken>scale-token-{account}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                            f"<AssumedRoleUser><Arn>arn:aws:sts::{account}:assumed-role/iamsim-collect/iamsim-collect</Arn>"
                            "<AssumedRoleId>AROA5CA1E:iamsim-collect</AssumedRoleId></AssumedRoleUser></AssumeRoleResult>"
                            "<ResponseMetadata><RequestId>5ca1e</RequestId></ResponseMetadata></AssumeRoleResponse>")
        if operation == "GetAccountAuthorizationDetails":
            return self.xml(iam_details(key[len("ASIASCALE"):] if key.startswith("ASIASCALE") else MANAGEMENT))
        payload = json.loads(body or b"{}")
        if operation == "/applications-list":
            return self.json({"applications": [{"applicationArn": APPLICATION, "createdAt": 1700000000.0, "updatedAt": 1700000000.0}]})
        if operation == "/entitlements-list":
            return self.json({"entitlements": []})
        answer = json_answer(operation, payload)
        if answer is None:
            return self.reply(400, json.dumps({"__type": "ResourceNotFoundException", "Message": "not found"}).encode(),
                              "application/x-amz-json-1.1")
        self.json(answer)

    def json(self, answer):
        self.reply(200, json.dumps(answer).encode(), "application/x-amz-json-1.1")

    def xml(self, text):
        self.reply(200, text.encode(), "text/xml")

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "5ca1e")
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


Server(("127.0.0.1", args.port), Scale).serve_forever()
