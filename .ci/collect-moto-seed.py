#!/usr/bin/env python3
"""Seeds moto's server, through boto3, with the organization `.ci/collect-moto` collects.

    collect-moto-seed.py ENDPOINT STATE.json

Writes STATE.json: the IDs moto gave (accounts, OUs, policies, permission sets, users, groups) for the checks,
and what the stub in collect-moto-front.py serves for the operations moto lacks (permission-set boundaries,
the accounts each permission set is provisioned to, the attributes for access control, account access manager).

    Root                                SCP FullAWSAccess             RCP RCPFullAWSAccess, EnforceTLS
    +-- 123456789012 management (moto's default account, the caller)
    +-- OU Production                   SCP FullAWSAccess, DenyOutsideEU
    |   +-- prod
    |   +-- OU PCI
    |       +-- payments
    +-- OU Sandbox
        +-- sandbox                     (Identity Center's delegated administrator)
        +-- legacy                      (no member role: collect cannot read its IAM)

Identity Center (eu-west-1): Administrator (AdministratorAccess) to group Admins (alice) in prod; Developer
(PowerUserAccess, inline deny iam:*, customer managed DevExtras, boundary PowerUserAccess) to group Developers
(bob) in prod and sandbox; ReadOnly (ReadOnlyAccess) to carol in payments. Account access manager: alice may
use the role BreakGlass in prod.
"""
import json
import sys

import boto3

ENDPOINT, STATE = sys.argv[1], sys.argv[2]
REGION = "eu-west-1"
MEMBER_ROLE = "iamsim-collect"
KEYS = dict(aws_access_key_id="AKIAIOSFODNN7SEEDING", aws_secret_access_key="seeding-secret-not-collects")


def client(service, **credentials):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=REGION, **(credentials or KEYS))


def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def aws_arn(arn):
    """A permission set's ARN as AWS spells it; moto 5.2.6 writes `instance/` for `permissionSet/`."""
    return arn.replace(":sso:::instance/", ":sso:::permissionSet/", 1) if "/ps-" in arn else arn


def in_account(account, service):
    """A client with the member role's credentials: moto maps them to the account."""
    credentials = client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/{MEMBER_ROLE}",
                                            RoleSessionName="seed")["Credentials"]
    return client(service, aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                  aws_session_token=credentials["SessionToken"])


orgs = client("organizations")
orgs.create_organization(FeatureSet="ALL")
management = client("sts").get_caller_identity()["Account"]
root = orgs.list_roots()["Roots"][0]["Id"]
orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
orgs.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")


def unit(name, parent):
    return orgs.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]


def account(name, parent):
    status = orgs.create_account(AccountName=name, Email=f"aws-{name}@northwind.example")["CreateAccountStatus"]
    orgs.move_account(AccountId=status["AccountId"], SourceParentId=root, DestinationParentId=parent)
    return status["AccountId"]


units = {"Production": unit("Production", root), "Sandbox": unit("Sandbox", root)}
units["PCI"] = unit("PCI", units["Production"])
accounts = {"management": management, "prod": account("prod", units["Production"]), "payments": account("payments", units["PCI"]),
            "sandbox": account("sandbox", units["Sandbox"]), "legacy": account("legacy", units["Sandbox"])}

deny_outside_eu = orgs.create_policy(
    Name="DenyOutsideEU", Description="Production stays in the EU", Type="SERVICE_CONTROL_POLICY",
    Content=document({"Sid": "DenyOutsideEU", "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "organizations:*", "support:*"],
                      "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}),
)["Policy"]["PolicySummary"]["Id"]
orgs.attach_policy(PolicyId=deny_outside_eu, TargetId=units["Production"])
enforce_tls = orgs.create_policy(
    Name="EnforceTLS", Description="S3 only over TLS", Type="RESOURCE_CONTROL_POLICY",
    Content=document({"Sid": "EnforceTLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
)["Policy"]["PolicySummary"]["Id"]
orgs.attach_policy(PolicyId=enforce_tls, TargetId=root)

# --- IAM in the accounts: what get-account-authorization-details returns ----------------------------------------
application_arn = f"arn:aws:account-access:{REGION}:{management}:application/aam-5e2c8a1f7b3d9046"
dev_extras = document({"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"})
for name in ["prod", "sandbox"]:
    in_account(accounts[name], "iam").create_policy(PolicyName="DevExtras", PolicyDocument=dev_extras)
prod_iam = in_account(accounts["prod"], "iam")
prod_iam.create_role(
    RoleName="BreakGlass",
    AssumeRolePolicyDocument=document({
        "Effect": "Allow", "Principal": {"Service": "account-access.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:SetContext", "sts:TagSession"],
        "Condition": {"StringEquals": {"aws:SourceAccount": management}, "ArnLike": {"aws:SourceArn": application_arn}}}))
prod_iam.attach_role_policy(RoleName="BreakGlass", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
# A role that trusts the whole organization's CI account: who-can lists it.
prod_iam.create_role(
    RoleName="DeployFromCI",
    AssumeRolePolicyDocument=document({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{management}:root"}, "Action": "sts:AssumeRole"}))
prod_iam.put_role_policy(RoleName="DeployFromCI", PolicyName="Deploy",
                         PolicyDocument=document({"Effect": "Allow", "Action": ["lambda:UpdateFunctionCode", "s3:PutObject"], "Resource": "*"}))
in_account(accounts["sandbox"], "iam").create_role(
    RoleName="AWSReservedSSO_Developer_3c4d5e6f708192a3", Path="/aws-reserved/sso.amazonaws.com/eu-west-1/",
    AssumeRolePolicyDocument=document({"Effect": "Allow",
                                       "Principal": {"Federated": f"arn:aws:iam::{accounts['sandbox']}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE"},
                                       "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]}))
management_iam = client("iam")
management_iam.create_role(
    RoleName="AuditReader",
    AssumeRolePolicyDocument=document({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{management}:root"}, "Action": "sts:AssumeRole"}))
management_iam.attach_role_policy(RoleName="AuditReader", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")

# --- Identity store -------------------------------------------------------------------------------------------------
sso = client("sso-admin")
instance = sso.list_instances()["Instances"][0]
instance_arn, store_id = instance["InstanceArn"], instance["IdentityStoreId"]
store = client("identitystore")


def user(name, given, family):
    return store.create_user(IdentityStoreId=store_id, UserName=f"{name}@northwind.example", DisplayName=f"{given} {family}",
                             Name={"GivenName": given, "FamilyName": family},
                             Emails=[{"Value": f"{name}@northwind.example", "Type": "work", "Primary": True}])["UserId"]


users = {"alice": user("alice", "Alice", "Ahlberg"), "bob": user("bob", "Bob", "Bauer"), "carol": user("carol", "Carol", "Castro")}
groups = {name: store.create_group(IdentityStoreId=store_id, DisplayName=name)["GroupId"] for name in ["Admins", "Developers"]}
store.create_group_membership(IdentityStoreId=store_id, GroupId=groups["Admins"], MemberId={"UserId": users["alice"]})
store.create_group_membership(IdentityStoreId=store_id, GroupId=groups["Developers"], MemberId={"UserId": users["bob"]})

# --- Identity Center ------------------------------------------------------------------------------------------------


def permission_set(name, managed, session="PT1H"):
    arn = sso.create_permission_set(Name=name, InstanceArn=instance_arn, SessionDuration=session)["PermissionSet"]["PermissionSetArn"]
    sso.attach_managed_policy_to_permission_set(InstanceArn=instance_arn, PermissionSetArn=arn, ManagedPolicyArn=managed)
    return arn


sets = {"Administrator": permission_set("Administrator", "arn:aws:iam::aws:policy/AdministratorAccess"),
        "Developer": permission_set("Developer", "arn:aws:iam::aws:policy/PowerUserAccess", "PT8H"),
        "ReadOnly": permission_set("ReadOnly", "arn:aws:iam::aws:policy/ReadOnlyAccess", "PT2H")}
sso.put_inline_policy_to_permission_set(InstanceArn=instance_arn, PermissionSetArn=sets["Developer"],
                                        InlinePolicy=document({"Sid": "NoIAM", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}))
sso.attach_customer_managed_policy_reference_to_permission_set(
    InstanceArn=instance_arn, PermissionSetArn=sets["Developer"], CustomerManagedPolicyReference={"Name": "DevExtras", "Path": "/"})
assignments = [("Administrator", "GROUP", groups["Admins"], "prod"), ("Developer", "GROUP", groups["Developers"], "prod"),
               ("Developer", "GROUP", groups["Developers"], "sandbox"), ("ReadOnly", "USER", users["carol"], "payments")]
provisioned = {}
for name, kind, principal, target in assignments:
    sso.create_account_assignment(InstanceArn=instance_arn, TargetId=accounts[target], TargetType="AWS_ACCOUNT",
                                  PermissionSetArn=sets[name], PrincipalType=kind, PrincipalId=principal)
    provisioned.setdefault(aws_arn(sets[name]), []).append(accounts[target])

state = {
    "region": REGION, "memberRole": MEMBER_ROLE, "root": root, "units": units, "accounts": accounts,
    "policies": {"DenyOutsideEU": deny_outside_eu, "EnforceTLS": enforce_tls},
    "instanceArn": instance_arn, "identityStoreId": store_id, "permissionSets": {name: aws_arn(arn) for name, arn in sets.items()}, "users": users, "groups": groups,
    # The accounts whose member role exists; AssumeRole anywhere else is refused by the front.
    "memberRoles": [accounts[name] for name in ["prod", "payments", "sandbox"]],
    "stub": {
        "provisioned": provisioned,
        # moto registers delegated administrators only for a few services, not sso.amazonaws.com.
        "delegatedAdministrators": [{"Id": accounts["sandbox"], "Arn": f"arn:aws:organizations::{management}:account/o-moto/{accounts['sandbox']}",
                                     "Email": "aws-sandbox@northwind.example", "Name": "sandbox", "Status": "ACTIVE", "State": "ACTIVE",
                                     "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000200.5, "DelegationEnabledDate": 1700000900.0}],
        "boundaries": {aws_arn(sets["Developer"]): {"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}},
        "accessControl": {"AccessControlAttributes": [{"Key": "Department", "Value": {"Source": ["${path:enterprise.department}"]}}]},
        "application": application_arn,
        "entitlements": [{"entitlementId": "ent-2f8a4c6e1b9d3570", "createdAt": 1700004100.0, "entitlement": {"principalRole": {
            "principal": {"identityCenter": {"userId": users["alice"]}}, "roleArn": f"arn:aws:iam::{accounts['prod']}:role/BreakGlass",
            "account": accounts["prod"], "accountName": "prod"}}}],
    },
}
with open(STATE, "w") as handle:
    json.dump(state, handle, indent=2)
print(f"seeded moto: {len(accounts)} accounts, {len(sets)} permission sets, {len(users)} users, {len(assignments)} assignments")
