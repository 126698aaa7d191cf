#!/usr/bin/env python3
"""Checks what `iamsim collect` wrote from moto against what `.ci/collect-moto-seed.py` put there: the manifest,
then `eval --org`, `who-can` and `audit --org` answers, then that no secret appears in any output.

    collect-moto-check.py IAMSIM RUN_FOLDER

RUN_FOLDER holds state.json (the seed's), org/ (collect's output), requests.log (the front's), secrets (every
secret handed out) and the outputs of the collect runs (*.out, *.err). Prints one line per check, then
`N passed, N failed`; exits 1 when one failed.
"""
import json
import os
import subprocess
import sys

IAMSIM, RUN = sys.argv[1], sys.argv[2]
ORG = os.path.join(RUN, "org")
with open(os.path.join(RUN, "state.json")) as handle:
    STATE = json.load(handle)
ACCOUNTS = STATE["accounts"]
PROD, SANDBOX, PAYMENTS, LEGACY, MANAGEMENT = (ACCOUNTS[name] for name in ["prod", "sandbox", "payments", "legacy", "management"])
EU = ["--context", "aws:RequestedRegion=eu-west-1"]
results = {"passed": 0, "failed": 0}
outputs = []


def check(name, condition, detail=""):
    results["passed" if condition else "failed"] += 1
    print(f"{'ok' if condition else 'FAILED'}: {name}" + ("" if condition else f": {detail}"))


def iamsim(*arguments, status=0):
    run = subprocess.run([IAMSIM, *arguments], capture_output=True, text=True)
    outputs.extend([run.stdout, run.stderr])
    if run.returncode != status:
        check(" ".join(arguments[:3]) + f" exits {status}", False, f"exit {run.returncode}: {run.stderr[-800:]}")
    return run


# --- The manifest ---------------------------------------------------------------------------------------------------
with open(os.path.join(ORG, "collect-manifest.json")) as handle:
    manifest = json.load(handle)
calls = {entry["action"]: entry["calls"] for entry in manifest["calls"]["byAction"]}
with open(os.path.join(RUN, "requests.log")) as handle:
    requests = [line.split() for line in handle if line.strip()]
faults = [line for line in requests if line[2] in ("drop", "error") and line[-1] in (
    "drop", "ThrottlingException", "TooManyRequestsException", "ServiceUnavailableException", "Throttling")]
check("the manifest names the caller and the region", manifest["caller"]["account"] == MANAGEMENT and manifest["region"] == "eu-west-1",
      json.dumps(manifest["caller"]))
check("every injected fault was survived and counted as a retry", len(faults) == 5 and manifest["calls"]["retries"] >= 5,
      f"{len(faults)} faults, {manifest['calls']['retries']} retries")
# The dropped connection may cost one request more than the client counts: the HTTP stack may send it again itself.
extra = len(requests) - manifest["calls"]["total"] - manifest["calls"]["retries"]
check("every request the front saw is a call or a retry in the manifest", extra in (0, 1),
      f"{len(requests)} requests, {manifest['calls']['total']} calls + {manifest['calls']['retries']} retries")
check("assignments are listed only where permission sets are provisioned (4 pairs)", calls.get("sso:ListAccountAssignments") == 4,
      json.dumps(calls))
check("the member role is assumed in each active member account", calls.get("sts:AssumeRole") == 4, json.dumps(calls))
not_collected = {entry["account"]: entry["reason"] for entry in manifest["accounts"]["iamNotCollected"]}
check("the account without a member role is not collected, and says why",
      list(not_collected) == [LEGACY] and "AccessDenied" in not_collected[LEGACY], json.dumps(not_collected))
check("the manifest says answers on it fail closed", (manifest.get("failClosed") or "").startswith("in accounts marked not collected"))

# --- The directory loads --------------------------------------------------------------------------------------------
loaded = iamsim("org", "check", ORG)
check("org check loads it", "loads: 5 accounts, 3 permission sets, 4 assignments, 3 users, 2 groups" in loaded.stdout, loaded.stdout)

# --- eval --org -----------------------------------------------------------------------------------------------------


def decisions(*arguments):
    run = iamsim("eval", "--org", ORG, "--format", "json", *arguments)
    try:
        return [result["decision"] for result in json.loads(run.stdout)["results"]]
    except (ValueError, KeyError):
        return [run.stdout[-300:]]


bob = ["--user", "bob@northwind.example", "--permission-set", "Developer"]
check("bob as Developer in sandbox may start SSM sessions (DevExtras, read through the member role)",
      decisions(*bob, "--account", SANDBOX, "--action", "ssm:StartSession", *EU) == ["allowed"])
check("the Developer inline policy denies IAM",
      decisions(*bob, "--account", SANDBOX, "--action", "iam:CreateUser") == ["explicitDeny"])
check("Production's SCP keeps bob in the EU",
      decisions(*bob, "--account", PROD, "--action", "ec2:RunInstances", "--context", "aws:RequestedRegion=us-east-1") == ["explicitDeny"]
      and decisions(*bob, "--account", PROD, "--action", "ec2:RunInstances", *EU) == ["allowed"])
check("alice as Administrator in prod may create IAM users",
      decisions("--user", "alice@northwind.example", "--permission-set", "Administrator", "--account", PROD, "--action", "iam:CreateUser")
      == ["allowed"])
carol = ["--user", "carol@northwind.example", "--permission-set", "ReadOnly", "--account", PAYMENTS, "--resource",
         "arn:aws:s3:::payments-ledger/2026/01.csv", "--resource-account", PAYMENTS]
check("carol reads but does not write the payments bucket",
      decisions(*carol, "--action", "s3:GetObject", "--action", "s3:PutObject", *EU) == ["allowed", "implicitDeny"])
check("the root's RCP refuses S3 without TLS",
      decisions(*carol, "--action", "s3:GetObject", *EU, "--context", "aws:SecureTransport=false") == ["explicitDeny"])
check("alice may use BreakGlass in prod through account access manager",
      decisions("--user", "alice@northwind.example", "--role", "BreakGlass", "--account", PROD, "--action", "iam:CreateUser") == ["allowed"])
check("the DeployFromCI role deploys code and nothing else",
      decisions("--role", "DeployFromCI", "--account", PROD, "--action", "lambda:UpdateFunctionCode", "--action", "s3:DeleteBucket", *EU)
      == ["allowed", "implicitDeny"])
legacy = iamsim("eval", "--org", ORG, "--role", "OrganizationAccountAccessRole", "--account", LEGACY, "--action", "s3:ListBucket", status=2)
check("a role in the account not collected is refused, saying why (fail closed)",
      legacy.returncode == 2 and "not collected" in legacy.stderr + legacy.stdout, legacy.stderr[-300:])

# --- who-can ----------------------------------------------------------------------------------------------------------


def who_can(action, *arguments):
    run = iamsim("who-can", action, "--org", ORG, "--format", "json", *arguments)
    answer = json.loads(run.stdout)
    return {(entry.get("user"), entry.get("permissionSet") or entry.get("role"), entry["account"]) for entry in answer["allowed"]}, answer


alice, bob_name = "alice@northwind.example", "bob@northwind.example"
allowed, _ = who_can("ssm:StartSession", *EU)
check("who-can ssm:StartSession", allowed == {
    (alice, "Administrator", PROD), (alice, "BreakGlass", PROD), (None, "BreakGlass", PROD),
    (bob_name, "Developer", PROD), (bob_name, "Developer", SANDBOX)}, sorted(map(str, allowed)))
allowed, _ = who_can("lambda:UpdateFunctionCode", *EU)
check("who-can lambda:UpdateFunctionCode adds the DeployFromCI role", allowed == {
    (alice, "Administrator", PROD), (alice, "BreakGlass", PROD), (None, "BreakGlass", PROD), (None, "DeployFromCI", PROD),
    (bob_name, "Developer", PROD), (bob_name, "Developer", SANDBOX)}, sorted(map(str, allowed)))
allowed, answer = who_can("iam:CreateUser")
check("who-can iam:CreateUser leaves out the developers", allowed == {
    (alice, "Administrator", PROD), (alice, "BreakGlass", PROD), (None, "BreakGlass", PROD)}, sorted(map(str, allowed)))

# --- audit --org ----------------------------------------------------------------------------------------------------
audit = json.loads(iamsim("audit", "--org", ORG, "--format", "json").stdout)
subjects = {subject["name"] for subject in audit["subjects"]}
check("audit --org audits each permission set where it is assigned", subjects == {
    f"Administrator@{PROD}", f"Developer@{PROD}", f"Developer@{SANDBOX}", f"ReadOnly@{PAYMENTS}"}, sorted(subjects))
check("audit --org shows the inline deny cutting IAM from Developer", any(
    cut["subject"] == f"Developer@{SANDBOX}" and any(statement.get("sid") == "NoIAM" for statement in cut.get("statements", []))
    for cut in audit["cut"]))
granted = {entry["action"]: set(entry["subjects"]) for entry in audit["granted"] if entry["action"] in ("s3:GetObject", "s3:PutObject")}
check("audit --org: ReadOnly reads S3 objects and does not write them",
      f"ReadOnly@{PAYMENTS}" in granted.get("s3:GetObject", set()) and f"ReadOnly@{PAYMENTS}" not in granted.get("s3:PutObject", set()))

# --- No secret anywhere -------------------------------------------------------------------------------------------------
with open(os.path.join(RUN, "secrets")) as handle:
    secrets = [line.strip() for line in handle if line.strip()]
texts = list(outputs)
for folder in [ORG]:
    for directory, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(directory, name), errors="replace") as handle:
                texts.append(handle.read())
for name in sorted(os.listdir(RUN)):
    if name.endswith((".out", ".err")):
        with open(os.path.join(RUN, name), errors="replace") as handle:
            texts.append(handle.read())
leaked = [secret[:6] + "…" for secret in secrets if any(secret in text for text in texts)]
check(f"no secret ({len(secrets)} handed out) appears in any output or file", secrets != [] and leaked == [], ", ".join(leaked))

print(f"collect-moto: {results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
