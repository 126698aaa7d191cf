"""The `authorize` scenario of `iamsim bench`, run through PMapper, to compare the two in one run.

The same decision: DatabaseAdministrator as the only identity policy of a role in 111122223333, rds:CreateDBInstance
on arn:aws:rds:us-east-1:111122223333:db:orders with aws:RequestedRegion=us-east-1 and aws:SecureTransport=true,
decided afresh each time by PMapper's full local evaluation (`local_check_authorization_full`).

Run from the repository's root, in a virtual environment with PMapper (PyPI `principalmapper`, 1.1.5):
    python3 -m venv /tmp/pmapper && /tmp/pmapper/bin/pip install principalmapper
    /tmp/pmapper/bin/python Benchmarks/pmapper-authorize.py
PMapper 1.1.5 imports `Mapping` from `collections`, which Python 3.10 removed: on a newer Python, change that import
in the installed `principalmapper/util/case_insensitive_dict.py` to `collections.abc`. Prints decisions per second
for three runs of about three seconds each, and their median.
"""

import json
import statistics
import time

from principalmapper.common.nodes import Node
from principalmapper.common.policies import Policy
from principalmapper.querying.query_interface import local_check_authorization_full

ARN = "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator"
with open("Benchmarks/aws-managed-policies.json") as file:
    document = next(entry["Document"] for entry in json.load(file) if entry["Arn"] == ARN)

policy = Policy(ARN, "DatabaseAdministrator", document)
role = Node("arn:aws:iam::111122223333:role/DatabaseAdministrator", "AROAEXAMPLEROLEID", [policy], [],
            {"Version": "2012-10-17", "Statement": []}, None, 0, False, False, None, False, {})


def decide():
    return local_check_authorization_full(
        role, "rds:CreateDBInstance", "arn:aws:rds:us-east-1:111122223333:db:orders",
        {"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": "true"})


assert decide(), "PMapper no longer allows the request"
rates = []
for _ in range(3):
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < 3:
        for _ in range(1000):
            decide()
        count += 1000
    rates.append(count / (time.perf_counter() - start))
print("pmapper authorize: runs (ops/s):", ", ".join(f"{rate:,.0f}" for rate in rates),
      f"; median {statistics.median(rates):,.0f}")
