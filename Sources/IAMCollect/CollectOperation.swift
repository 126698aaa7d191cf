import IAMAWS

/// One AWS operation `collect` calls: how it travels and pages, the IAM action it needs, and the AWS CLI command
/// whose output it stands for (whose name starts the export file's name).
public struct CollectOperation: Sendable, Hashable {
  /// The operation, for ``AWSCaller``.
  public let operation: AWSOperation
  /// The AWS CLI command (`list-accounts`), as `Documentation/ImportRecipe.md` names the output files.
  public let command: String
  /// How the output pages (botocore's paginator), or `nil` for an operation that answers in one response.
  let paginator: AWSPaginator?
  /// The page size asked for: the largest the API takes.
  let pageSize: Int?

  /// The IAM action that authorizes the call (`organizations:ListAccounts`), as the collector policy lists it.
  public var action: String { operation.action }

  init(_ service: AWSService, _ name: String, command: String, path: String = "/", pageSize: Int? = nil,
       paginator: AWSPaginator? = nil) {
    operation = AWSOperation(service: service, name: name, path: path)
    self.command = command
    self.paginator = paginator ?? AWSPaginator.known(for: operation)
    self.pageSize = self.paginator == nil ? nil : pageSize
  }
}

extension AWSOperation {
  /// The IAM action that authorizes a call: the service's signing name is its action prefix for every service
  /// `collect` calls (`sso` for SSO Admin, `account-access` for account access manager).
  var action: String { "\(service.signingName):\(name)" }
}

extension AWSService {
  /// Account access manager, rest-json (API Reference: `POST /applications-list`, `POST /entitlements-list`).
  static let collectAccountAccess = AWSService(signingName: "account-access", endpointPrefix: "account-access", wire: .restJSON)
}

/// Account access manager's lists page with `nextToken` and `maxResults`.
private func accountAccessPages(_ list: String) -> AWSPaginator {
  AWSPaginator(inputToken: "nextToken", outputToken: "nextToken", resultKeys: [list], limitKey: "maxResults")
}

/// Every operation `collect` calls. Nothing here writes: the collector policy (`policies/collector-policy.json`)
/// allows exactly these actions.
enum Operations {
  // STS
  static let getCallerIdentity = CollectOperation(.sts, "GetCallerIdentity", command: "get-caller-identity")
  static let assumeRole = CollectOperation(.sts, "AssumeRole", command: "assume-role")

  // Organizations (pages of at most 20)
  static let describeOrganization = CollectOperation(.organizations, "DescribeOrganization", command: "describe-organization")
  static let listRoots = CollectOperation(.organizations, "ListRoots", command: "list-roots", pageSize: 20)
  static let listAccounts = CollectOperation(.organizations, "ListAccounts", command: "list-accounts", pageSize: 20)
  static let listOrganizationalUnitsForParent = CollectOperation(
    .organizations, "ListOrganizationalUnitsForParent", command: "list-organizational-units-for-parent", pageSize: 20)
  static let listAccountsForParent = CollectOperation(.organizations, "ListAccountsForParent", command: "list-accounts-for-parent", pageSize: 20)
  static let listPolicies = CollectOperation(.organizations, "ListPolicies", command: "list-policies", pageSize: 20)
  static let describePolicy = CollectOperation(.organizations, "DescribePolicy", command: "describe-policy")
  static let listTargetsForPolicy = CollectOperation(.organizations, "ListTargetsForPolicy", command: "list-targets-for-policy", pageSize: 20)
  static let listDelegatedAdministrators = CollectOperation(
    .organizations, "ListDelegatedAdministrators", command: "list-delegated-administrators", pageSize: 20)

  // IAM Identity Center (pages of at most 100)
  static let listInstances = CollectOperation(.ssoAdmin, "ListInstances", command: "list-instances", pageSize: 100)
  static let listPermissionSets = CollectOperation(.ssoAdmin, "ListPermissionSets", command: "list-permission-sets", pageSize: 100)
  static let describePermissionSet = CollectOperation(.ssoAdmin, "DescribePermissionSet", command: "describe-permission-set")
  static let listManagedPolicies = CollectOperation(
    .ssoAdmin, "ListManagedPoliciesInPermissionSet", command: "list-managed-policies-in-permission-set", pageSize: 100)
  static let listCustomerManagedReferences = CollectOperation(
    .ssoAdmin, "ListCustomerManagedPolicyReferencesInPermissionSet",
    command: "list-customer-managed-policy-references-in-permission-set", pageSize: 100)
  static let getInlinePolicy = CollectOperation(.ssoAdmin, "GetInlinePolicyForPermissionSet", command: "get-inline-policy-for-permission-set")
  static let getPermissionsBoundary = CollectOperation(
    .ssoAdmin, "GetPermissionsBoundaryForPermissionSet", command: "get-permissions-boundary-for-permission-set")
  static let listAccountsForProvisionedPermissionSet = CollectOperation(
    .ssoAdmin, "ListAccountsForProvisionedPermissionSet", command: "list-accounts-for-provisioned-permission-set", pageSize: 100)
  static let listAccountAssignments = CollectOperation(.ssoAdmin, "ListAccountAssignments", command: "list-account-assignments", pageSize: 100)
  static let describeAccessControlAttributes = CollectOperation(
    .ssoAdmin, "DescribeInstanceAccessControlAttributeConfiguration",
    command: "describe-instance-access-control-attribute-configuration")

  // Identity store (pages of at most 100)
  static let listUsers = CollectOperation(.identityStore, "ListUsers", command: "list-users", pageSize: 100)
  static let listGroups = CollectOperation(.identityStore, "ListGroups", command: "list-groups", pageSize: 100)
  static let listGroupMemberships = CollectOperation(.identityStore, "ListGroupMemberships", command: "list-group-memberships", pageSize: 100)

  // Account access manager (rest-json)
  static let listApplications = CollectOperation(
    .collectAccountAccess, "ListApplications", command: "list-applications", path: "/applications-list", pageSize: 100,
    paginator: accountAccessPages("applications"))
  static let listEntitlements = CollectOperation(
    .collectAccountAccess, "ListEntitlements", command: "list-entitlements", path: "/entitlements-list", pageSize: 100,
    paginator: accountAccessPages("entitlements"))

  // IAM, in each account: pages of up to 1,000 items, chained by `Marker` while `IsTruncated`
  static let getAccountAuthorizationDetails = CollectOperation(
    .iam, "GetAccountAuthorizationDetails", command: "get-account-authorization-details", pageSize: 1000)

  /// Every operation, in the order the collector policy lists them.
  static let all: [CollectOperation] = [
    getCallerIdentity, assumeRole,
    describeOrganization, listRoots, listAccounts, listOrganizationalUnitsForParent, listAccountsForParent, listPolicies,
    describePolicy, listTargetsForPolicy, listDelegatedAdministrators,
    listInstances, listPermissionSets, describePermissionSet, listManagedPolicies, listCustomerManagedReferences,
    getInlinePolicy, getPermissionsBoundary, listAccountsForProvisionedPermissionSet, listAccountAssignments,
    describeAccessControlAttributes,
    listUsers, listGroups, listGroupMemberships,
    listApplications, listEntitlements,
    getAccountAuthorizationDetails,
  ]
}
