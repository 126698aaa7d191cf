import IAMEvaluation

/// An AWS Organization as iamsim knows it: the OU tree with its SCPs and RCPs, IAM Identity Center (permission
/// sets, assignments, the identity store, attributes for access control), each account's IAM, and account access
/// manager grants.
///
/// Every entity keeps its AWS identifier next to its name. Build one with ``OrganizationDirectory/load(_:)``;
/// a loaded organization is consistent: every reference resolves (see `Documentation/OrganizationFormat.md`).
public struct Organization: Sendable {
  /// The organization's ID (`o-…`), when known.
  public var id: String?
  /// The management account's ID, which SCPs and RCPs do not affect.
  public var managementAccount: String?
  /// The control policy types enabled on the root; a type that is not enabled applies nowhere.
  public var enabledPolicyTypes: Set<ControlPolicyType>
  /// The Identity Center instance.
  public var identityCenter: IdentityCenterInstance
  /// Accounts registered as delegated administrators.
  public var delegatedAdministrators: [DelegatedAdministrator]
  /// The root of the OU tree.
  public var root: OrganizationalUnit
  /// Permission sets, sorted by name.
  public var permissionSets: [PermissionSet]
  /// Account assignments.
  public var assignments: [Assignment] { didSet { principals = PrincipalIndex() } }
  /// Users and groups.
  public var identityStore: IdentityStore { didSet { principals = PrincipalIndex() } }
  /// The attributes for access control, when ABAC is on.
  public var accessControl: AccessControlConfiguration?
  /// Account access manager grants.
  public var accountAccess: AccountAccess { didSet { principals = PrincipalIndex() } }
  /// Warnings found while loading (never errors: an organization with errors does not load).
  public var findings: [Diagnostic]

  /// AWS managed policy documents, parsed once for every session.
  var managed: ManagedDocuments = ManagedDocuments.shared

  /// Who reaches which assignment and grant, built on first use and rebuilt when those change.
  var principals = PrincipalIndex()
  /// Customer managed policy documents by content, for ``policyKey(permissionSet:account:resourceOwner:controlPath:)``.
  let documents = DocumentNumbers()

  /// Where each account sits: the OUs from the root to its parent, and the account.
  let accountIndex: [String: AccountLocation]
  let permissionSetIndex: [String: Int]

  struct AccountLocation: Sendable {
    var nodes: [OrganizationalUnit]
    var account: Account
  }

  /// Creates an organization and indexes it.
  public init(
    id: String? = nil, managementAccount: String?, enabledPolicyTypes: Set<ControlPolicyType> = Set(ControlPolicyType.allCases),
    identityCenter: IdentityCenterInstance = IdentityCenterInstance(), delegatedAdministrators: [DelegatedAdministrator] = [],
    root: OrganizationalUnit, permissionSets: [PermissionSet], assignments: [Assignment], identityStore: IdentityStore,
    accessControl: AccessControlConfiguration? = nil, accountAccess: AccountAccess = AccountAccess(), findings: [Diagnostic] = []
  ) {
    self.id = id
    self.managementAccount = managementAccount
    self.enabledPolicyTypes = enabledPolicyTypes
    self.identityCenter = identityCenter
    self.delegatedAdministrators = delegatedAdministrators
    self.root = root
    self.permissionSets = permissionSets.sorted { $0.name < $1.name }
    self.assignments = assignments
    self.identityStore = identityStore
    self.accessControl = accessControl
    self.accountAccess = accountAccess
    self.findings = findings
    var index: [String: AccountLocation] = [:]
    func walk(_ node: OrganizationalUnit, _ trail: [OrganizationalUnit]) {
      let trail = trail + [node]
      for account in node.accounts where index[account.id] == nil { index[account.id] = AccountLocation(nodes: trail, account: account) }
      for child in node.children { walk(child, trail) }
    }
    walk(root, [])
    accountIndex = index
    var sets: [String: Int] = [:]
    for (position, permissionSet) in self.permissionSets.enumerated() { sets[permissionSet.name.lowercased()] = position }
    permissionSetIndex = sets
  }

  /// Every account, in tree order.
  public var accounts: [Account] {
    func collect(_ node: OrganizationalUnit) -> [Account] { node.accounts + node.children.flatMap(collect) }
    return collect(root)
  }

  /// The account with this ID, if it is in the tree.
  public func account(_ id: String) -> Account? { accountIndex[id]?.account }

  /// The OUs from the root to the account's parent (root first), if the account is in the tree.
  public func ancestors(of account: String) -> [OrganizationalUnit]? { accountIndex[account]?.nodes }

  /// The permission set with this name (compared case-insensitively, as Identity Center does).
  public func permissionSet(named name: String) -> PermissionSet? {
    permissionSetIndex[name.lowercased()].map { permissionSets[$0] }
  }

  /// The SCP levels that apply to principals of `account`, root first; empty for the management account and when
  /// SCPs are not enabled.
  public func serviceControlLevels(for account: String) -> [[PolicyDocument]] {
    controlLevels(account, .serviceControlPolicy) { $0.serviceControlPolicies } account: { $0.serviceControlPolicies }
  }

  /// The RCP levels that apply to resources of `account`, root first; empty for the management account, for
  /// accounts outside the organization, and when RCPs are not enabled.
  public func resourceControlLevels(for account: String) -> [[PolicyDocument]] {
    controlLevels(account, .resourceControlPolicy) { $0.resourceControlPolicies } account: { $0.resourceControlPolicies }
  }

  private func controlLevels(
    _ account: String, _ type: ControlPolicyType, _ node: (OrganizationalUnit) -> [ControlPolicy],
    account leaf: (Account) -> [ControlPolicy]
  ) -> [[PolicyDocument]] {
    guard enabledPolicyTypes.contains(type), account != managementAccount, let location = accountIndex[account] else {
      return []
    }
    return location.nodes.map { node($0).map(\.document) } + [leaf(location.account).map(\.document)]
  }
}

/// A control policy type of AWS Organizations that iamsim evaluates.
public enum ControlPolicyType: String, Sendable, Hashable, CaseIterable {
  case serviceControlPolicy = "SERVICE_CONTROL_POLICY"
  case resourceControlPolicy = "RESOURCE_CONTROL_POLICY"
}

/// The IAM Identity Center instance.
public struct IdentityCenterInstance: Sendable, Hashable {
  /// The region segment of the provisioned roles' path; `nil` for an instance in us-east-1.
  public var region: String?
  public var instanceArn: String?
  public var identityStoreId: String?

  /// Creates an instance description; the region defaults to the spec's example region.
  public init(region: String? = IdentityCenterSession.defaultRegion, instanceArn: String? = nil, identityStoreId: String? = nil) {
    self.region = region
    self.instanceArn = instanceArn
    self.identityStoreId = identityStoreId
  }
}

/// An account registered as delegated administrator for a service.
public struct DelegatedAdministrator: Sendable, Hashable {
  public var account: String
  public var servicePrincipal: String

  public init(account: String, servicePrincipal: String) {
    self.account = account
    self.servicePrincipal = servicePrincipal
  }
}

/// The root or an OU, with the control policies attached to it.
public struct OrganizationalUnit: Sendable {
  /// `r-…` for the root, `ou-…` for an OU, when known.
  public var id: String?
  public var name: String
  /// SCPs attached here (AWS's FullAWSAccess when the directory names none).
  public var serviceControlPolicies: [ControlPolicy]
  /// RCPs attached here (AWS's RCPFullAWSAccess when the directory names none).
  public var resourceControlPolicies: [ControlPolicy]
  public var accounts: [Account]
  public var children: [OrganizationalUnit]

  public init(
    id: String? = nil, name: String, serviceControlPolicies: [ControlPolicy], resourceControlPolicies: [ControlPolicy],
    accounts: [Account], children: [OrganizationalUnit]
  ) {
    self.id = id
    self.name = name
    self.serviceControlPolicies = serviceControlPolicies
    self.resourceControlPolicies = resourceControlPolicies
    self.accounts = accounts
    self.children = children
  }
}

/// An SCP or RCP attached somewhere.
public struct ControlPolicy: Sendable, Hashable {
  /// `p-…`, when known.
  public var id: String?
  public var name: String
  public var document: PolicyDocument

  public init(id: String? = nil, name: String, document: PolicyDocument) {
    self.id = id
    self.name = name
    self.document = document
  }
}

/// A member account (or the management account), with its directly attached control policies and its IAM.
public struct Account: Sendable {
  public var id: String
  public var name: String
  public var email: String?
  public var serviceControlPolicies: [ControlPolicy]
  public var resourceControlPolicies: [ControlPolicy]
  /// The opaque suffixes of the account's `AWSReservedSSO_` roles, by permission-set name, when known.
  public var roleSuffixes: [String: String]
  /// The account's roles, users and customer managed policies; `nil` when they were not collected.
  public var iam: AccountIAM?

  public init(
    id: String, name: String, email: String? = nil, serviceControlPolicies: [ControlPolicy],
    resourceControlPolicies: [ControlPolicy], roleSuffixes: [String: String] = [:], iam: AccountIAM? = AccountIAM()
  ) {
    self.id = id
    self.name = name
    self.email = email
    self.serviceControlPolicies = serviceControlPolicies
    self.resourceControlPolicies = resourceControlPolicies
    self.roleSuffixes = roleSuffixes
    self.iam = iam
  }
}

/// An account assignment: a user or group may use a permission set in an account.
public struct Assignment: Sendable, Hashable {
  public var principalType: PrincipalType
  /// The user name or group display name, as the identity store has it.
  public var principal: String
  /// The identity-store ID of the user or group, when known.
  public var principalId: String?
  /// The permission set's name, as the organization has it.
  public var permissionSet: String
  public var permissionSetArn: String?
  public var account: String

  public init(
    principalType: PrincipalType, principal: String, principalId: String? = nil, permissionSet: String,
    permissionSetArn: String? = nil, account: String
  ) {
    self.principalType = principalType
    self.principal = principal
    self.principalId = principalId
    self.permissionSet = permissionSet
    self.permissionSetArn = permissionSetArn
    self.account = account
  }
}

/// Whether an assignment or grant names a user or a group.
public enum PrincipalType: String, Sendable, Hashable {
  case user = "USER"
  case group = "GROUP"
}

/// Account access manager's grants and the application they belong to.
public struct AccountAccess: Sendable, Hashable {
  /// The account access manager application's ARN, which the roles' trust policies test with `aws:SourceArn`.
  public var applicationArn: String?
  public var grants: [AccountAccessGrant]

  public init(applicationArn: String? = nil, grants: [AccountAccessGrant] = []) {
    self.applicationArn = applicationArn
    self.grants = grants
  }
}

/// An account access manager grant: a user or group may use an existing IAM role of an account.
public struct AccountAccessGrant: Sendable, Hashable {
  public var id: String?
  public var principalType: PrincipalType
  public var principal: String
  public var principalId: String?
  public var account: String
  /// The role's name.
  public var role: String

  public init(
    id: String? = nil, principalType: PrincipalType, principal: String, principalId: String? = nil, account: String,
    role: String
  ) {
    self.id = id
    self.principalType = principalType
    self.principal = principal
    self.principalId = principalId
    self.account = account
    self.role = role
  }
}
