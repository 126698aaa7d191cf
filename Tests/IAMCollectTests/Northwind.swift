/// Northwind: a small made-up organization, as AWS's APIs answer for it. Each response is written from the
/// "Response Syntax" of the API Reference (the botocore service models' output shapes): JSON-protocol timestamps
/// are epoch seconds; IAM's answer is what the AWS CLI prints for `get-account-authorization-details` (the client
/// turns the query protocol's XML into it), with one policy document left URL-encoded as the XML carries it.
///
/// ```
/// Root r-nw01                       SCP FullAWSAccess                 RCP RCPFullAWSAccess, EnforceTLS
/// ├── 999900000001 management
/// ├── OU Production ou-nw01-prod0001 SCP FullAWSAccess, DenyOutsideEU
/// │   ├── 111100000001 prod
/// │   └── OU PCI ou-nw01-pci00001
/// │       └── 111100000003 payments
/// └── OU Sandbox ou-nw01-sand0001
///     ├── 111100000002 sandbox
///     └── 111100000004 retired (SUSPENDED)
/// ```
///
/// Identity Center in eu-west-1: Administrator (AdministratorAccess) to group Admins (alice) in prod; Developer
/// (PowerUserAccess, inline deny of iam:*, customer managed DevExtras, boundary PowerUserAccess) to group
/// Developers (bob) in prod and sandbox; ReadOnly (ReadOnlyAccess) to carol in payments. ABAC: Department from the
/// enterprise extension. Account access manager: alice may use the role BreakGlass in prod.
enum Northwind {
  static let management = "999900000001"
  static let prod = "111100000001"
  static let sandbox = "111100000002"
  static let payments = "111100000003"
  static let retired = "111100000004"
  static let callerArn = "arn:aws:sts::999900000001:assumed-role/AWSReservedSSO_Auditor_0f1e2d3c4b5a6978/auditor@northwind.example"
  static let instanceArn = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
  static let applicationArn = "arn:aws:account-access:eu-west-1:999900000001:application/aam-5e2c8a1f7b3d9046"

  /// Responses by operation and the inputs that tell them apart (``FakeAWS/key(_:_:)``).
  static let responses: [String: String] = [
    "GetCallerIdentity": #"""
      {"UserId": "AROAEXAMPLEAUDITOR:auditor@northwind.example", "Account": "999900000001",
       "Arn": "arn:aws:sts::999900000001:assumed-role/AWSReservedSSO_Auditor_0f1e2d3c4b5a6978/auditor@northwind.example"}
      """#,

    // MARK: Organizations
    "DescribeOrganization": #"""
      {"Organization": {"Id": "o-nw7k2q9x4d", "Arn": "arn:aws:organizations::999900000001:organization/o-nw7k2q9x4d",
       "FeatureSet": "ALL", "MasterAccountArn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/999900000001",
       "MasterAccountId": "999900000001", "MasterAccountEmail": "aws-root@northwind.example",
       "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]}}
      """#,
    "ListRoots": #"""
      {"Roots": [{"Id": "r-nw01", "Arn": "arn:aws:organizations::999900000001:root/o-nw7k2q9x4d/r-nw01", "Name": "Root",
                  "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"},
                                  {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"},
                                  {"Type": "TAG_POLICY", "Status": "ENABLED"}]}]}
      """#,
    "ListAccounts": #"""
      {"Accounts": [
        {"Id": "999900000001", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/999900000001", "Email": "aws-root@northwind.example",
         "Name": "management", "Status": "ACTIVE", "State": "ACTIVE", "JoinedMethod": "INVITED", "JoinedTimestamp": 1700000000.0},
        {"Id": "111100000001", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000001", "Email": "aws-prod@northwind.example",
         "Name": "prod", "Status": "ACTIVE", "State": "ACTIVE", "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000100.5},
        {"Id": "111100000002", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000002", "Email": "aws-sandbox@northwind.example",
         "Name": "sandbox", "Status": "ACTIVE", "State": "ACTIVE", "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000200.5},
        {"Id": "111100000003", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000003", "Email": "aws-payments@northwind.example",
         "Name": "payments", "Status": "ACTIVE", "State": "ACTIVE", "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000300.5},
        {"Id": "111100000004", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000004", "Email": "aws-retired@northwind.example",
         "Name": "retired", "Status": "SUSPENDED", "State": "SUSPENDED", "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000400.5}]}
      """#,
    "ListOrganizationalUnitsForParent r-nw01": #"""
      {"OrganizationalUnits": [
        {"Id": "ou-nw01-prod0001", "Arn": "arn:aws:organizations::999900000001:ou/o-nw7k2q9x4d/ou-nw01-prod0001", "Name": "Production"},
        {"Id": "ou-nw01-sand0001", "Arn": "arn:aws:organizations::999900000001:ou/o-nw7k2q9x4d/ou-nw01-sand0001", "Name": "Sandbox"}]}
      """#,
    "ListOrganizationalUnitsForParent ou-nw01-prod0001": #"""
      {"OrganizationalUnits": [
        {"Id": "ou-nw01-pci00001", "Arn": "arn:aws:organizations::999900000001:ou/o-nw7k2q9x4d/ou-nw01-pci00001", "Name": "PCI"}]}
      """#,
    "ListOrganizationalUnitsForParent ou-nw01-pci00001": #"{"OrganizationalUnits": []}"#,
    "ListOrganizationalUnitsForParent ou-nw01-sand0001": #"{"OrganizationalUnits": []}"#,
    "ListAccountsForParent r-nw01": #"""
      {"Accounts": [{"Id": "999900000001", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/999900000001",
                     "Email": "aws-root@northwind.example", "Name": "management", "Status": "ACTIVE", "State": "ACTIVE",
                     "JoinedMethod": "INVITED", "JoinedTimestamp": 1700000000.0}]}
      """#,
    "ListAccountsForParent ou-nw01-prod0001": #"""
      {"Accounts": [{"Id": "111100000001", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000001",
                     "Email": "aws-prod@northwind.example", "Name": "prod", "Status": "ACTIVE", "State": "ACTIVE",
                     "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000100.5}]}
      """#,
    "ListAccountsForParent ou-nw01-pci00001": #"""
      {"Accounts": [{"Id": "111100000003", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000003",
                     "Email": "aws-payments@northwind.example", "Name": "payments", "Status": "ACTIVE", "State": "ACTIVE",
                     "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000300.5}]}
      """#,
    "ListAccountsForParent ou-nw01-sand0001": #"""
      {"Accounts": [
        {"Id": "111100000002", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000002",
         "Email": "aws-sandbox@northwind.example", "Name": "sandbox", "Status": "ACTIVE", "State": "ACTIVE",
         "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000200.5},
        {"Id": "111100000004", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000004",
         "Email": "aws-retired@northwind.example", "Name": "retired", "Status": "SUSPENDED", "State": "SUSPENDED",
         "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000400.5}]}
      """#,
    "ListPolicies SERVICE_CONTROL_POLICY": #"""
      {"Policies": [
        {"Id": "p-FullAWSAccess", "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess", "Name": "FullAWSAccess",
         "Description": "Allows access to every operation", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": true},
        {"Id": "p-nwdenyeu01", "Arn": "arn:aws:organizations::999900000001:policy/o-nw7k2q9x4d/service_control_policy/p-nwdenyeu01",
         "Name": "DenyOutsideEU", "Description": "Production stays in the EU", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false}]}
      """#,
    "ListPolicies RESOURCE_CONTROL_POLICY": #"""
      {"Policies": [
        {"Id": "p-RCPFullAWSAccess", "Arn": "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess",
         "Name": "RCPFullAWSAccess", "Description": "Allows access to every operation", "Type": "RESOURCE_CONTROL_POLICY", "AwsManaged": true},
        {"Id": "p-nwtls00001", "Arn": "arn:aws:organizations::999900000001:policy/o-nw7k2q9x4d/resource_control_policy/p-nwtls00001",
         "Name": "EnforceTLS", "Description": "S3 only over TLS", "Type": "RESOURCE_CONTROL_POLICY", "AwsManaged": false}]}
      """#,
    "DescribePolicy p-FullAWSAccess": #"""
      {"Policy": {"PolicySummary": {"Id": "p-FullAWSAccess", "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
        "Name": "FullAWSAccess", "Description": "Allows access to every operation", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": true},
        "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}}
      """#,
    "DescribePolicy p-nwdenyeu01": #"""
      {"Policy": {"PolicySummary": {"Id": "p-nwdenyeu01", "Arn": "arn:aws:organizations::999900000001:policy/o-nw7k2q9x4d/service_control_policy/p-nwdenyeu01",
        "Name": "DenyOutsideEU", "Description": "Production stays in the EU", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false},
        "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyOutsideEU\",\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\",\"sts:*\",\"organizations:*\",\"support:*\"],\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:RequestedRegion\":[\"eu-west-1\",\"eu-central-1\"]}}}]}"}}
      """#,
    "DescribePolicy p-RCPFullAWSAccess": #"""
      {"Policy": {"PolicySummary": {"Id": "p-RCPFullAWSAccess", "Arn": "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess",
        "Name": "RCPFullAWSAccess", "Description": "Allows access to every operation", "Type": "RESOURCE_CONTROL_POLICY", "AwsManaged": true},
        "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}}
      """#,
    "DescribePolicy p-nwtls00001": #"""
      {"Policy": {"PolicySummary": {"Id": "p-nwtls00001", "Arn": "arn:aws:organizations::999900000001:policy/o-nw7k2q9x4d/resource_control_policy/p-nwtls00001",
        "Name": "EnforceTLS", "Description": "S3 only over TLS", "Type": "RESOURCE_CONTROL_POLICY", "AwsManaged": false},
        "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"EnforceTLS\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"}}
      """#,
    "ListTargetsForPolicy p-FullAWSAccess": Northwind.everyTarget,
    "ListTargetsForPolicy p-RCPFullAWSAccess": Northwind.everyTarget,
    "ListTargetsForPolicy p-nwdenyeu01": #"""
      {"Targets": [{"TargetId": "ou-nw01-prod0001", "Arn": "arn:aws:organizations::999900000001:ou/o-nw7k2q9x4d/ou-nw01-prod0001",
                    "Name": "Production", "Type": "ORGANIZATIONAL_UNIT"}]}
      """#,
    "ListTargetsForPolicy p-nwtls00001": #"""
      {"Targets": [{"TargetId": "r-nw01", "Arn": "arn:aws:organizations::999900000001:root/o-nw7k2q9x4d/r-nw01", "Name": "Root", "Type": "ROOT"}]}
      """#,
    "ListDelegatedAdministrators sso.amazonaws.com": #"{"DelegatedAdministrators": []}"#,

    // MARK: IAM Identity Center
    "ListInstances": #"""
      {"Instances": [{"InstanceArn": "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6", "IdentityStoreId": "d-90671a2b3c",
                      "OwnerAccountId": "999900000001", "Name": "northwind", "CreatedDate": 1700001000.25, "Status": "ACTIVE"}]}
      """#,
    "ListPermissionSets": #"""
      {"PermissionSets": ["arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000001",
                          "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000002",
                          "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000003"]}
      """#,
    "DescribePermissionSet ps-aaaa000000000001": #"""
      {"PermissionSet": {"Name": "Administrator", "PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000001",
                         "Description": "Full access", "CreatedDate": 1700002000.5, "SessionDuration": "PT1H"}}
      """#,
    "DescribePermissionSet ps-aaaa000000000002": #"""
      {"PermissionSet": {"Name": "Developer", "PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000002",
                         "Description": "Builds things, never IAM", "CreatedDate": 1700002100.5, "SessionDuration": "PT8H",
                         "RelayState": "https://console.aws.amazon.com/ec2/home"}}
      """#,
    "DescribePermissionSet ps-aaaa000000000003": #"""
      {"PermissionSet": {"Name": "ReadOnly", "PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000003",
                         "CreatedDate": 1700002200.5, "SessionDuration": "PT2H"}}
      """#,
    "ListManagedPoliciesInPermissionSet ps-aaaa000000000001": #"""
      {"AttachedManagedPolicies": [{"Name": "AdministratorAccess", "Arn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}
      """#,
    "ListManagedPoliciesInPermissionSet ps-aaaa000000000002": #"""
      {"AttachedManagedPolicies": [{"Name": "PowerUserAccess", "Arn": "arn:aws:iam::aws:policy/PowerUserAccess"}]}
      """#,
    "ListManagedPoliciesInPermissionSet ps-aaaa000000000003": #"""
      {"AttachedManagedPolicies": [{"Name": "ReadOnlyAccess", "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}
      """#,
    "ListCustomerManagedPolicyReferencesInPermissionSet ps-aaaa000000000001": #"{"CustomerManagedPolicyReferences": []}"#,
    "ListCustomerManagedPolicyReferencesInPermissionSet ps-aaaa000000000002": #"""
      {"CustomerManagedPolicyReferences": [{"Name": "DevExtras", "Path": "/"}]}
      """#,
    "ListCustomerManagedPolicyReferencesInPermissionSet ps-aaaa000000000003": #"{"CustomerManagedPolicyReferences": []}"#,
    // SSO Admin answers an empty string when a permission set has no inline policy.
    "GetInlinePolicyForPermissionSet ps-aaaa000000000001": #"{"InlinePolicy": ""}"#,
    "GetInlinePolicyForPermissionSet ps-aaaa000000000002": #"""
      {"InlinePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoIAM\",\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}"}
      """#,
    "GetPermissionsBoundaryForPermissionSet ps-aaaa000000000002": #"""
      {"PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}}
      """#,
    "ListAccountsForProvisionedPermissionSet ps-aaaa000000000001": #"{"AccountIds": ["111100000001"]}"#,
    "ListAccountsForProvisionedPermissionSet ps-aaaa000000000002": #"{"AccountIds": ["111100000001", "111100000002"]}"#,
    "ListAccountsForProvisionedPermissionSet ps-aaaa000000000003": #"{"AccountIds": ["111100000003"]}"#,
    "ListAccountAssignments 111100000001 ps-aaaa000000000001": #"""
      {"AccountAssignments": [{"AccountId": "111100000001", "PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000001",
                               "PrincipalType": "GROUP", "PrincipalId": "90671a2b3c-0000-4000-8000-0000000000a1"}]}
      """#,
    "ListAccountAssignments 111100000001 ps-aaaa000000000002": #"""
      {"AccountAssignments": [{"AccountId": "111100000001", "PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000002",
                               "PrincipalType": "GROUP", "PrincipalId": "90671a2b3c-0000-4000-8000-0000000000d1"}]}
      """#,
    "ListAccountAssignments 111100000002 ps-aaaa000000000002": #"""
      {"AccountAssignments": [{"AccountId": "111100000002", "PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000002",
                               "PrincipalType": "GROUP", "PrincipalId": "90671a2b3c-0000-4000-8000-0000000000d1"}]}
      """#,
    "ListAccountAssignments 111100000003 ps-aaaa000000000003": #"""
      {"AccountAssignments": [{"AccountId": "111100000003", "PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-aaaa000000000003",
                               "PrincipalType": "USER", "PrincipalId": "90671a2b3c-0000-4000-8000-000000000c01"}]}
      """#,
    "DescribeInstanceAccessControlAttributeConfiguration": #"""
      {"Status": "ENABLED", "StatusReason": "",
       "InstanceAccessControlAttributeConfiguration": {"AccessControlAttributes": [
         {"Key": "Department", "Value": {"Source": ["${path:enterprise.department}"]}}]}}
      """#,

    // MARK: Identity store
    "ListUsers": #"""
      {"Users": [
        {"IdentityStoreId": "d-90671a2b3c", "UserId": "90671a2b3c-0000-4000-8000-000000000a01", "UserName": "alice@northwind.example",
         "Name": {"Formatted": "Alice Ahlberg", "FamilyName": "Ahlberg", "GivenName": "Alice"}, "DisplayName": "Alice Ahlberg",
         "Emails": [{"Value": "alice@northwind.example", "Type": "work", "Primary": true}], "CreatedAt": 1700003000.0},
        {"IdentityStoreId": "d-90671a2b3c", "UserId": "90671a2b3c-0000-4000-8000-000000000b01", "UserName": "bob@northwind.example",
         "Name": {"Formatted": "Bob Bauer", "FamilyName": "Bauer", "GivenName": "Bob"}, "DisplayName": "Bob Bauer",
         "Emails": [{"Value": "bob@northwind.example", "Type": "work", "Primary": true}],
         "Extensions": {"aws:identitystore:enterprise": {"department": "Engineering", "costCenter": "4711"}}},
        {"IdentityStoreId": "d-90671a2b3c", "UserId": "90671a2b3c-0000-4000-8000-000000000c01", "UserName": "carol@northwind.example",
         "Name": {"Formatted": "Carol Castro", "FamilyName": "Castro", "GivenName": "Carol"}, "DisplayName": "Carol Castro",
         "Emails": [{"Value": "carol@northwind.example", "Type": "work", "Primary": true}]}]}
      """#,
    "ListGroups": #"""
      {"Groups": [
        {"GroupId": "90671a2b3c-0000-4000-8000-0000000000a1", "DisplayName": "Admins", "Description": "Administrators",
         "IdentityStoreId": "d-90671a2b3c"},
        {"GroupId": "90671a2b3c-0000-4000-8000-0000000000d1", "DisplayName": "Developers", "IdentityStoreId": "d-90671a2b3c"}]}
      """#,
    "ListGroupMemberships 90671a2b3c-0000-4000-8000-0000000000a1": #"""
      {"GroupMemberships": [{"IdentityStoreId": "d-90671a2b3c", "MembershipId": "m-a1", "GroupId": "90671a2b3c-0000-4000-8000-0000000000a1",
                             "MemberId": {"UserId": "90671a2b3c-0000-4000-8000-000000000a01"}}]}
      """#,
    "ListGroupMemberships 90671a2b3c-0000-4000-8000-0000000000d1": #"""
      {"GroupMemberships": [{"IdentityStoreId": "d-90671a2b3c", "MembershipId": "m-d1", "GroupId": "90671a2b3c-0000-4000-8000-0000000000d1",
                             "MemberId": {"UserId": "90671a2b3c-0000-4000-8000-000000000b01"}}]}
      """#,

    // MARK: Account access manager
    "ListApplications": #"""
      {"applications": [{"applicationArn": "arn:aws:account-access:eu-west-1:999900000001:application/aam-5e2c8a1f7b3d9046",
                         "createdAt": 1700004000.0, "updatedAt": 1700004000.0}]}
      """#,
    "ListEntitlements 111100000001": #"""
      {"entitlements": [{"entitlementId": "ent-2f8a4c6e1b9d3570", "createdAt": 1700004100.0,
        "entitlement": {"principalRole": {"principal": {"identityCenter": {"userId": "90671a2b3c-0000-4000-8000-000000000a01"}},
                                          "roleArn": "arn:aws:iam::111100000001:role/BreakGlass", "account": "111100000001", "accountName": "prod"}}}]}
      """#,
    "ListEntitlements 999900000001": #"{"entitlements": []}"#,
    "ListEntitlements 111100000002": #"{"entitlements": []}"#,
    "ListEntitlements 111100000003": #"{"entitlements": []}"#,
    "ListEntitlements 111100000004": #"{"entitlements": []}"#,

    // MARK: IAM, account by account
    "GetAccountAuthorizationDetails 999900000001": #"""
      {"UserDetailList": [], "GroupDetailList": [], "Policies": [],
       "RoleDetailList": [{"Path": "/", "RoleName": "AuditReader", "RoleId": "AROAEXAMPLEAUDIT0001",
         "Arn": "arn:aws:iam::999900000001:role/AuditReader", "CreateDate": "2023-11-14T22:13:20+00:00",
         "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::999900000001:root"}, "Action": "sts:AssumeRole"}]},
         "InstanceProfileList": [], "RolePolicyList": [],
         "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}],
         "Tags": [], "RoleLastUsed": {}}]}
      """#,
    "GetAccountAuthorizationDetails 111100000001": #"""
      {"UserDetailList": [], "GroupDetailList": [],
       "RoleDetailList": [
        {"Path": "/", "RoleName": "BreakGlass", "RoleId": "AROAEXAMPLEBREAK0001", "Arn": "arn:aws:iam::111100000001:role/BreakGlass",
         "CreateDate": "2023-11-14T22:13:20+00:00",
         "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
           "Principal": {"Service": "account-access.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:SetContext", "sts:TagSession"],
           "Condition": {"StringEquals": {"aws:SourceAccount": "999900000001"},
                         "ArnLike": {"aws:SourceArn": "arn:aws:account-access:eu-west-1:999900000001:application/aam-5e2c8a1f7b3d9046"}}}]},
         "InstanceProfileList": [], "RolePolicyList": [],
         "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}],
         "Tags": []},
        {"Path": "/aws-reserved/sso.amazonaws.com/eu-west-1/", "RoleName": "AWSReservedSSO_Administrator_1a2b3c4d5e6f7081",
         "RoleId": "AROAEXAMPLESSOADM001", "Arn": "arn:aws:iam::111100000001:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Administrator_1a2b3c4d5e6f7081",
         "CreateDate": "2023-11-14T22:13:20+00:00",
         "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
           "Principal": {"Federated": "arn:aws:iam::111100000001:saml-provider/AWSSSO_7223a1b2c3d4e5f6_DO_NOT_DELETE"},
           "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
           "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]},
         "InstanceProfileList": [], "RolePolicyList": [],
         "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]},
        {"Path": "/aws-reserved/sso.amazonaws.com/eu-west-1/", "RoleName": "AWSReservedSSO_Developer_2b3c4d5e6f708192",
         "RoleId": "AROAEXAMPLESSODEV001", "Arn": "arn:aws:iam::111100000001:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developer_2b3c4d5e6f708192",
         "CreateDate": "2023-11-14T22:13:20+00:00",
         "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
           "Principal": {"Federated": "arn:aws:iam::111100000001:saml-provider/AWSSSO_7223a1b2c3d4e5f6_DO_NOT_DELETE"},
           "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]}]},
         "InstanceProfileList": [], "RolePolicyList": [],
         "AttachedManagedPolicies": [{"PolicyName": "PowerUserAccess", "PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"},
                                     {"PolicyName": "DevExtras", "PolicyArn": "arn:aws:iam::111100000001:policy/DevExtras"}],
         "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::aws:policy/PowerUserAccess"}}],
       "Policies": [
        {"PolicyName": "DevExtras", "PolicyId": "ANPAEXAMPLEDEVEXTRA1", "Arn": "arn:aws:iam::111100000001:policy/DevExtras", "Path": "/",
         "DefaultVersionId": "v1", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
         "CreateDate": "2023-11-14T22:13:20+00:00", "UpdateDate": "2023-11-14T22:13:20+00:00",
         "PolicyVersionList": [{"Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22ssm%3AStartSession%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D",
                                "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2023-11-14T22:13:20+00:00"}]}]}
      """#,
    "GetAccountAuthorizationDetails 111100000002": #"""
      {"UserDetailList": [], "GroupDetailList": [],
       "RoleDetailList": [
        {"Path": "/aws-reserved/sso.amazonaws.com/eu-west-1/", "RoleName": "AWSReservedSSO_Developer_3c4d5e6f708192a3",
         "RoleId": "AROAEXAMPLESSODEV002", "Arn": "arn:aws:iam::111100000002:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developer_3c4d5e6f708192a3",
         "CreateDate": "2023-11-14T22:13:20+00:00",
         "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
           "Principal": {"Federated": "arn:aws:iam::111100000002:saml-provider/AWSSSO_7223a1b2c3d4e5f6_DO_NOT_DELETE"},
           "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]}]},
         "InstanceProfileList": [], "RolePolicyList": [],
         "AttachedManagedPolicies": [{"PolicyName": "PowerUserAccess", "PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}]}],
       "Policies": [
        {"PolicyName": "DevExtras", "PolicyId": "ANPAEXAMPLEDEVEXTRA2", "Arn": "arn:aws:iam::111100000002:policy/DevExtras", "Path": "/",
         "DefaultVersionId": "v2", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
         "PolicyVersionList": [
          {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:StartSession", "ssm:TerminateSession"], "Resource": "*"}]},
           "VersionId": "v2", "IsDefaultVersion": true},
          {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
           "VersionId": "v1", "IsDefaultVersion": false}]}]}
      """#,
    "GetAccountAuthorizationDetails 111100000003": #"""
      {"UserDetailList": [], "GroupDetailList": [], "Policies": [],
       "RoleDetailList": [
        {"Path": "/aws-reserved/sso.amazonaws.com/eu-west-1/", "RoleName": "AWSReservedSSO_ReadOnly_4d5e6f708192a3b4",
         "RoleId": "AROAEXAMPLESSORO0001", "Arn": "arn:aws:iam::111100000003:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ReadOnly_4d5e6f708192a3b4",
         "CreateDate": "2023-11-14T22:13:20+00:00",
         "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
           "Principal": {"Federated": "arn:aws:iam::111100000003:saml-provider/AWSSSO_7223a1b2c3d4e5f6_DO_NOT_DELETE"},
           "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]}]},
         "InstanceProfileList": [], "RolePolicyList": [],
         "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}]}
      """#,
  ]

  /// Every root, OU and account: where AWS attaches its managed FullAWSAccess and RCPFullAWSAccess.
  static let everyTarget = #"""
    {"Targets": [
      {"TargetId": "r-nw01", "Arn": "arn:aws:organizations::999900000001:root/o-nw7k2q9x4d/r-nw01", "Name": "Root", "Type": "ROOT"},
      {"TargetId": "ou-nw01-prod0001", "Arn": "arn:aws:organizations::999900000001:ou/o-nw7k2q9x4d/ou-nw01-prod0001", "Name": "Production", "Type": "ORGANIZATIONAL_UNIT"},
      {"TargetId": "ou-nw01-pci00001", "Arn": "arn:aws:organizations::999900000001:ou/o-nw7k2q9x4d/ou-nw01-pci00001", "Name": "PCI", "Type": "ORGANIZATIONAL_UNIT"},
      {"TargetId": "ou-nw01-sand0001", "Arn": "arn:aws:organizations::999900000001:ou/o-nw7k2q9x4d/ou-nw01-sand0001", "Name": "Sandbox", "Type": "ORGANIZATIONAL_UNIT"},
      {"TargetId": "999900000001", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/999900000001", "Name": "management", "Type": "ACCOUNT"},
      {"TargetId": "111100000001", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000001", "Name": "prod", "Type": "ACCOUNT"},
      {"TargetId": "111100000002", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000002", "Name": "sandbox", "Type": "ACCOUNT"},
      {"TargetId": "111100000003", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000003", "Name": "payments", "Type": "ACCOUNT"},
      {"TargetId": "111100000004", "Arn": "arn:aws:organizations::999900000001:account/o-nw7k2q9x4d/111100000004", "Name": "retired", "Type": "ACCOUNT"}]}
    """#
}
