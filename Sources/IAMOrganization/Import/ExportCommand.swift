/// An AWS CLI command whose JSON output `iamsim import` reads, named as the CLI names it.
enum ExportCommand: String, CaseIterable, Sendable {
  // IAM
  case getAccountAuthorizationDetails = "get-account-authorization-details"
  // IAM Identity Center
  case listInstances = "list-instances"
  case listPermissionSets = "list-permission-sets"
  case describePermissionSet = "describe-permission-set"
  case listManagedPolicies = "list-managed-policies-in-permission-set"
  case listCustomerManagedReferences = "list-customer-managed-policy-references-in-permission-set"
  case getInlinePolicy = "get-inline-policy-for-permission-set"
  case getPermissionsBoundary = "get-permissions-boundary-for-permission-set"
  case listAccountAssignments = "list-account-assignments"
  case listAccountAssignmentsForPrincipal = "list-account-assignments-for-principal"
  case listAccountsForProvisionedPermissionSet = "list-accounts-for-provisioned-permission-set"
  case describeAccessControlAttributes = "describe-instance-access-control-attribute-configuration"
  // Identity store
  case listUsers = "list-users"
  case listGroups = "list-groups"
  case listGroupMemberships = "list-group-memberships"
  // Organizations
  case describeOrganization = "describe-organization"
  case listRoots = "list-roots"
  case listOrganizationalUnitsForParent = "list-organizational-units-for-parent"
  case listAccounts = "list-accounts"
  case listAccountsForParent = "list-accounts-for-parent"
  case listPolicies = "list-policies"
  case listPoliciesForTarget = "list-policies-for-target"
  case describePolicy = "describe-policy"
  case listTargetsForPolicy = "list-targets-for-policy"
  case listDelegatedAdministrators = "list-delegated-administrators"
  // Account access manager
  case listApplications = "list-applications"
  /// Read and checked, but it adds nothing: the application's ARN comes from `list-applications`.
  case getApplication = "get-application"
  case listEntitlements = "list-entitlements"
  case getEntitlement = "get-entitlement"
  /// Not a CLI output: iamsim's own `account-access.json`, copied through.
  case accountAccessFile = "account-access"

  /// The CLI's service name.
  var service: String {
    switch self {
    case .getAccountAuthorizationDetails: "iam"
    case .listInstances, .listPermissionSets, .describePermissionSet, .listManagedPolicies, .listCustomerManagedReferences,
      .getInlinePolicy, .getPermissionsBoundary, .listAccountAssignments, .listAccountAssignmentsForPrincipal,
      .listAccountsForProvisionedPermissionSet, .describeAccessControlAttributes:
      "sso-admin"
    case .listUsers, .listGroups, .listGroupMemberships: "identitystore"
    case .describeOrganization, .listRoots, .listOrganizationalUnitsForParent, .listAccounts, .listAccountsForParent,
      .listPolicies, .listPoliciesForTarget, .describePolicy, .listTargetsForPolicy, .listDelegatedAdministrators:
      "organizations"
    case .listApplications, .getApplication, .listEntitlements, .getEntitlement, .accountAccessFile: "account-access"
    }
  }

  /// How the command is shown: `aws sso-admin list-instances`, or `iamsim account-access.json`.
  var display: String {
    self == .accountAccessFile ? "iamsim account-access.json" : "aws \(service) \(rawValue)"
  }

  /// Commands whose outputs have the same shape: the file name tells them apart.
  var shapeFamily: [ExportCommand] {
    switch self {
    case .listAccounts, .listAccountsForParent: [.listAccounts, .listAccountsForParent]
    case .listPolicies, .listPoliciesForTarget: [.listPolicies, .listPoliciesForTarget]
    case .listAccountAssignments, .listAccountAssignmentsForPrincipal: [.listAccountAssignments, .listAccountAssignmentsForPrincipal]
    default: [self]
    }
  }

  /// Outputs that AWS can return as one object (not a list that pages can extend): two different ones for the
  /// same thing are a conflict, not two pages.
  var isSingular: Bool {
    switch self {
    case .describePermissionSet, .getInlinePolicy, .getPermissionsBoundary, .describeAccessControlAttributes,
      .describeOrganization, .describePolicy, .getEntitlement, .accountAccessFile:
      true
    default: false
    }
  }

  /// AWS CLI commands of the same services whose output `iamsim import` does not read, and what to run instead.
  static let unsupported: [String: String] = [
    "list-permission-sets-provisioned-to-account": "list-permission-sets",
    "list-group-memberships-for-member": "list-group-memberships",
    "describe-user": "list-users",
    "describe-group": "list-groups",
    "list-children": "list-organizational-units-for-parent and list-accounts-for-parent",
    "list-parents": "list-accounts-for-parent",
    "describe-account": "list-accounts",
    "describe-organizational-unit": "list-organizational-units-for-parent",
    "list-organizational-units": "list-organizational-units-for-parent",
    "list-delegated-services-for-account": "list-delegated-administrators --service-principal sso.amazonaws.com",
    "get-account-authorization-details-page": "get-account-authorization-details",
  ]
}

/// What a file's name says: `COMMAND.ID….json`, such as `list-account-assignments.111122223333.ps-1a2b3c4d5e6f7a8b.json`.
///
/// The command is the part before the first dot; the IDs follow, separated by dots; a last part `pageN` (as
/// `iamsim import` names the pages it keeps) is a page label. A name whose first part is no command says nothing.
struct ExportFileName: Sendable {
  /// The base name without `.json`.
  let stem: String
  /// The command the name starts with, if it is one `import` reads.
  let command: ExportCommand?
  /// The command the name starts with, if it is an AWS CLI command `import` does not read.
  let unsupported: String?
  /// The parts after the command, page label removed.
  let parts: [String]

  init(path: String) {
    var base = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    if base.lowercased().hasSuffix(".json") { base.removeLast(5) }
    stem = base
    var pieces = base.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let first = pieces.isEmpty ? "" : pieces.removeFirst()
    if let last = pieces.last, last.hasPrefix("page"), last.count > 4, last.dropFirst(4).allSatisfy(\.isNumber) {
      pieces.removeLast()
    }
    command = ExportCommand(rawValue: first)
    unsupported = ExportCommand.unsupported[first] != nil ? first : nil
    parts = command == nil ? [] : pieces
  }

  /// The first part after the command, if it satisfies `accept`.
  func part(_ index: Int, where accept: (String) -> Bool) -> String? {
    index < parts.count && accept(parts[index]) ? parts[index] : nil
  }
}

/// Patterns of AWS identifiers, as far as file names and checks need them.
enum AWSIdentifier {
  static func isAccount(_ text: String) -> Bool {
    text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
  }

  static func isPermissionSetID(_ text: String) -> Bool { text.hasPrefix("ps-") && text.count > 3 }
  static func isRoot(_ text: String) -> Bool { text.hasPrefix("r-") && text.count > 2 }
  static func isOrganizationalUnit(_ text: String) -> Bool { text.hasPrefix("ou-") && text.count > 3 }
  static func isParent(_ text: String) -> Bool { isRoot(text) || isOrganizationalUnit(text) }
  static func isTarget(_ text: String) -> Bool { isParent(text) || isAccount(text) }
  static func isPolicy(_ text: String) -> Bool { text.hasPrefix("p-") && text.count > 2 }
  static func isRegion(_ text: String) -> Bool {
    let parts = text.split(separator: "-")
    return parts.count >= 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }
      && parts.last!.allSatisfy(\.isNumber)
  }

  /// `ps-…` from a permission-set ARN `arn:aws:sso:::permissionSet/ssoins-…/ps-…`.
  static func permissionSetID(ofArn arn: String) -> String? {
    guard arn.contains(":sso:::permissionSet/"), let last = arn.split(separator: "/").last, last.hasPrefix("ps-") else { return nil }
    return String(last)
  }

  /// `arn:aws:sso:::instance/ssoins-…` from a permission-set ARN.
  static func instanceArn(ofPermissionSetArn arn: String) -> String? {
    let parts = arn.split(separator: "/")
    guard parts.count == 3, let range = arn.range(of: ":sso:::permissionSet/") else { return nil }
    return String(arn[..<range.lowerBound]) + ":sso:::instance/" + parts[1]
  }

  /// The account field of an ARN (`aws` for AWS managed policies), or `nil` when it is not an ARN.
  static func account(ofArn arn: String) -> String? {
    let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard fields.count == 6, fields[0] == "arn" else { return nil }
    return String(fields[4])
  }
}
