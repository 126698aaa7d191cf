import Foundation

/// Writes a synthetic organization directory for the organization-scale benchmarks (issue 15) and the tests that
/// compare the shared `who-can` path with the one-session-at-a-time one. Deterministic: the same sizes give the
/// same bytes.
///
/// - `accounts` member accounts in 10 OUs under the root (plus the management account at the root). Every OU has
///   FullAWSAccess and one deny SCP (OUs take turns among three); every fifth account also has its own deny SCP;
///   one OU has an RCP that denies S3 without TLS.
/// - `permissionSets` permission sets, each an AWS managed job-function or service policy (taking turns among
///   twelve), every fourth with an inline policy that tests the caller's `Department` tag (ABAC: a Deny by condition, an
///   Allow by policy variable), every tenth with a
///   customer managed policy present in every account, every seventh with an AWS managed boundary.
/// - `users` users in `users / 100` groups (each user in two), with a department (the ABAC attribute).
/// - Assignments: group g is assigned permission sets 2g and 2g + 7 (modulo the count), each in every account of
///   OU g % 10.
enum OrganizationGenerator {
  static let ouCount = 10

  /// Writes the directory (replacing it) and returns a one-line summary.
  static func write(users: Int, permissionSets sets: Int, accounts: Int, to out: String) throws -> String {
    let fm = FileManager.default
    try? fm.removeItem(atPath: out)
    for folder in ["permission-sets", "identity-store", "scps", "rcps", "customer-managed-policies"] {
      try fm.createDirectory(atPath: out + "/" + folder, withIntermediateDirectories: true)
    }
    func write(_ path: String, _ text: String) throws { try text.write(toFile: out + "/" + path, atomically: false, encoding: .utf8) }
    func accountID(_ index: Int) -> String { String(format: "1%011d", index + 1) }
    let groups = max(users / 100, 1)

    // Control policies.
    let denySCPs = [
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*","support:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}}]}"#,
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["s3:DeleteBucket","rds:DeleteDBInstance","dynamodb:DeleteTable"],"Resource":"*"}]}"#,
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#,
    ]
    for (index, text) in denySCPs.enumerated() { try write("scps/deny-\(index).json", text) }
    try write("scps/account-deny.json", #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}"#)
    try write("rcps/tls-only.json", #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#)

    var ous: [String] = []
    for ou in 0..<ouCount {
      var members: [String] = []
      for account in stride(from: ou, to: accounts, by: ouCount) {
        let scps = account % 5 == 0 ? #", "scps": ["FullAWSAccess", "scps/account-deny.json"]"# : ""
        members.append(#"{"id": "\#(accountID(account))", "name": "account-\#(account)"\#(scps)}"#)
      }
      let rcps = ou == 0 ? #", "rcps": ["RCPFullAWSAccess", "rcps/tls-only.json"]"# : ""
      ous.append(#"{"id": "ou-ab12-\#(String(format: "%08d", ou))", "name": "OU-\#(ou)", "scps": ["FullAWSAccess", "scps/deny-\#(ou % 3).json"]\#(rcps), "accounts": [\#(members.joined(separator: ", "))]}"#)
    }
    try write("organization.json", #"""
    {"formatVersion": 1, "managementAccount": "999999999999", "identityCenter": {"region": "eu-west-1"},
     "root": {"id": "r-ab12", "name": "Root", "accounts": [{"id": "999999999999", "name": "management"}],
      "organizationalUnits": [\#(ous.joined(separator: ",\n  "))]}}
    """#)

    // Permission sets.
    let managed = [
      "job-function/DatabaseAdministrator", "ReadOnlyAccess", "job-function/ViewOnlyAccess", "job-function/NetworkAdministrator",
      "job-function/SystemAdministrator", "PowerUserAccess", "job-function/DataScientist", "job-function/SupportUser",
      "AmazonS3FullAccess", "AmazonDynamoDBFullAccess", "AmazonEC2FullAccess", "job-function/Billing",
    ]
    for set in 0..<sets {
      var members = [#""Name": "PS-\#(set)""#, #""AwsManagedPolicies": ["arn:aws:iam::aws:policy/\#(managed[set % managed.count])"]"#]
      if set % 4 == 0 {
        members.append(#""InlinePolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalTag/Department": "Storage"}}}, {"Effect": "Allow", "Action": "iam:TagRole", "Resource": "arn:aws:iam::*:role/team-${aws:PrincipalTag/Department}-*"}]}"#)
      }
      if set % 10 == 0 { members.append(#""CustomerManagedPolicyReferences": [{"Name": "TeamExtras", "Path": "/"}]"#) }
      if set % 7 == 0 { members.append(#""PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}"#) }
      try write("permission-sets/PS-\(set).json", "{" + members.joined(separator: ", ") + "}")
    }
    for account in 0..<accounts {
      try fm.createDirectory(atPath: out + "/customer-managed-policies/\(accountID(account))", withIntermediateDirectories: true)
      try write("customer-managed-policies/\(accountID(account))/TeamExtras.json",
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:GetLogEvents","cloudwatch:GetMetricData"],"Resource":"*"}]}"#)
    }

    // Identity store: SCIM payloads as Entra ID sends them, with the department the ABAC attribute reads.
    let departments = ["Databases", "Storage", "Engineering", "Finance"]
    var userEntries: [String] = []
    var members: [[String]] = Array(repeating: [], count: groups)
    for user in 0..<users {
      userEntries.append(#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"], "id": "u-\#(user)", "userName": "user\#(user)@example.com", "displayName": "User \#(user)", "name": {"givenName": "User", "familyName": "N\#(user)"}, "active": true, "emails": [{"value": "user\#(user)@example.com", "primary": true}], "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "\#(departments[user % departments.count])"}}"#)
      for group in Array(Set([user % groups, (user / 3 + 1) % groups])).sorted() { members[group].append("u-\(user)") }
    }
    let list = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": "#
    try write("identity-store/1-users.json", list + "\(users), \"Resources\": [\n" + userEntries.joined(separator: ",\n") + "]}")
    // Groups and memberships as `aws identitystore` prints them (a SCIM request carries at most 100 members).
    let groupEntries = (0..<groups).map { #"{"GroupId": "g-\#($0)", "DisplayName": "Group-\#($0)", "IdentityStoreId": "d-1234567890"}"# }
    try write("identity-store/2-groups.json", #"{"Groups": [\#(groupEntries.joined(separator: ",\n"))]}"#)
    let memberships = members.enumerated().flatMap { group, users in
      users.map { #"{"IdentityStoreId": "d-1234567890", "MembershipId": "m-\#(group)-\#($0)", "GroupId": "g-\#(group)", "MemberId": {"UserId": "\#($0)"}}"# }
    }
    try write("identity-store/3-memberships.json", #"{"GroupMemberships": [\#(memberships.joined(separator: ",\n"))]}"#)
    try write("access-control-attributes.json",
              #"{"InstanceAccessControlAttributeConfiguration": {"AccessControlAttributes": [{"Key": "Department", "Value": {"Source": ["${path:enterprise.department}"]}}]}}"#)

    // Assignments.
    var assignments: [String] = []
    for group in 0..<groups {
      for set in Array(Set([(group * 2) % sets, (group * 2 + 7) % sets])).sorted() {
        for account in stride(from: group % ouCount, to: accounts, by: ouCount) {
          assignments.append(#"{"principalType": "GROUP", "principal": "Group-\#(group)", "permissionSet": "PS-\#(set)", "account": "\#(accountID(account))"}"#)
        }
      }
    }
    try write("assignments.json", "[\n" + assignments.joined(separator: ",\n") + "\n]")
    return "\(out): \(users) users, \(groups) groups, \(sets) permission sets, \(accounts) accounts, \(assignments.count) assignments"
  }
}
