/// One export file, read and checked: what it describes and the key of that entity.
///
/// A new export replaces every stored export (from the `exports/` folder of the directory added to) that has the
/// same key; new exports with the same key are pages of one output and are merged.
struct ExportRecord: Sendable {
  /// The file read.
  var file: String
  /// The command whose output it is.
  var command: ExportCommand
  /// The entity it describes: the command and the IDs of what it was asked about, such as
  /// `list-account-assignments.111122223333.ps-1a2b3c4d5e6f7a8b`. The file is kept as `exports/KEY.json`.
  var key: String
  /// The content.
  var payload: ExportPayload
  /// What it holds, for the report.
  var summary: String
  /// The file's bytes, kept in `exports/`.
  var bytes: [UInt8]
  /// Whether it came from the `exports/` folder of the directory added to.
  var isStored = false
  /// The file's parsed JSON, to compare outputs that must not differ.
  var json: JSONValue

  var description: ImportedFile {
    ImportedFile(file: file, command: command.display, summary: summary, isStored: isStored)
  }
}

/// The content of one export, reduced to what the organization directory needs.
enum ExportPayload: Sendable {
  case authorizationDetails(AuthorizationPage)
  case instances([SSOInstance], region: String?)
  case permissionSetArns([String])
  case permissionSet(DescribedPermissionSet)
  case managedPolicies(permissionSet: String, arns: [String])
  case customerManagedReferences(permissionSet: String, references: [JSONOutput])
  case inlinePolicy(permissionSet: String, document: JSONOutput?)
  case permissionsBoundary(permissionSet: String, boundary: JSONOutput?)
  case accountAssignments(AssignmentList)
  case provisionedAccounts(permissionSet: String, accounts: [String])
  case accessControl(JSONOutput?)
  case users([IdentityEntry])
  case groups([IdentityEntry])
  case memberships(group: String?, [Membership])
  case organization(OrganizationSummary)
  case roots([RootSummary])
  case organizationalUnits(parent: String, units: [NamedID])
  case accounts(parent: String?, accounts: [AccountSummary])
  case policySummaries(PolicySummaryList)
  case policy(ControlPolicySummary, document: JSONOutput)
  case targets(policy: String, targets: [PolicyTarget])
  case delegatedAdministrators(servicePrincipal: String, accounts: [String])
  case applications([String])
  case entitlements(account: String?, grants: [GrantEntry], applicationArn: String?)
  case accountAccessFile(applicationArn: String?, grants: [JSONOutput])
}

/// One page (or the whole) of an account's `get-account-authorization-details` output.
struct AuthorizationPage: Sendable {
  var account: String
  var users: [JSONValue]
  var groups: [JSONValue]
  var roles: [JSONValue]
  var policies: [JSONValue]
  /// The page says more follow (`IsTruncated`, `Marker` or the CLI's `NextToken`).
  var isTruncated: Bool
}

struct SSOInstance: Sendable, Hashable {
  var arn: String
  var identityStoreId: String?
  var ownerAccount: String?
}

struct DescribedPermissionSet: Sendable {
  var id: String
  var arn: String
  var name: String
  /// The members of `PermissionSet` to write, in AWS's order.
  var members: [(String, JSONOutput)]
}

/// Account assignments, with what the file covers: an account and permission set, or a principal.
struct AssignmentList: Sendable {
  var account: String?
  var permissionSet: String?
  var principal: String?
  var entries: [AssignmentEntry]
}

struct AssignmentEntry: Sendable, Hashable {
  var account: String
  var permissionSetArn: String
  var principalType: String
  var principalId: String
}

/// A user or group of `list-users` or `list-groups`: its ID, name and the entry as AWS gave it.
struct IdentityEntry: Sendable {
  var id: String
  var name: String
  var json: JSONValue
}

struct Membership: Sendable {
  var group: String
  var user: String
  var json: JSONValue
}

struct OrganizationSummary: Sendable {
  var id: String?
  var managementAccount: String?
}

struct RootSummary: Sendable {
  var id: String
  var name: String?
  var enabledTypes: [String]
}

struct NamedID: Sendable, Hashable {
  var id: String
  var name: String?
}

struct AccountSummary: Sendable, Hashable {
  var id: String
  var name: String?
  var email: String?
}

/// `list-policies` (all policies of a type) or `list-policies-for-target` (those attached to a target).
struct PolicySummaryList: Sendable {
  var target: String?
  /// The types the output covers: the `--filter` given in the name, or the types of its policies.
  var types: Set<String>
  var policies: [ControlPolicySummary]
}

struct ControlPolicySummary: Sendable, Hashable {
  var id: String
  var name: String?
  var type: String?
  var awsManaged: Bool
}

struct PolicyTarget: Sendable, Hashable {
  var id: String
  var type: String?
  var name: String?
}

/// An account access manager entitlement: a user or group and a role of an account.
struct GrantEntry: Sendable, Hashable {
  var id: String?
  var principalType: String
  var principalId: String
  var account: String
  var roleArn: String

  /// The role's name: the last part of its ARN.
  var roleName: String { roleArn.split(separator: "/").last.map(String.init) ?? roleArn }
}
