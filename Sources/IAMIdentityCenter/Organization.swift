import IAMFederation
import IAMPolicy

/// An AWS organization as Identity Center sees it: OUs and accounts with their SCPs and RCPs, the permission
/// sets, the assignments, the identity store and the attributes for access control.
public struct Organization: Sendable {
  /// The management account, which SCPs and RCPs do not affect.
  public var managementAccount: String?
  /// The Identity Center region segment of role paths; `nil` for instances in us-east-1 (rule F-1, D-13).
  public var identityCenterRegion: String?
  /// The root of the organization tree.
  public var root: OrganizationNode
  /// Permission sets by name.
  public var permissionSets: [String: PermissionSet]
  /// Who may use which permission set in which account.
  public var assignments: [Assignment]
  /// Users and groups as provisioned by SCIM.
  public var identityStore: IdentityStore
  /// The Identity Center attribute mapping for ABAC, if enabled.
  public var accessControl: AccessControlConfiguration?

  /// Creates an organization.
  public init(
    managementAccount: String?, identityCenterRegion: String?, root: OrganizationNode,
    permissionSets: [String: PermissionSet], assignments: [Assignment], identityStore: IdentityStore,
    accessControl: AccessControlConfiguration?
  ) {
    self.managementAccount = managementAccount
    self.identityCenterRegion = identityCenterRegion
    self.root = root
    self.permissionSets = permissionSets
    self.assignments = assignments
    self.identityStore = identityStore
    self.accessControl = accessControl
  }

  /// The nodes from the root to the account's parent, and the account; `nil` when the account is not in the tree.
  public func path(to account: String) -> (nodes: [OrganizationNode], account: OrganizationAccount)? {
    func search(_ node: OrganizationNode, _ trail: [OrganizationNode]) -> ([OrganizationNode], OrganizationAccount)? {
      let trail = trail + [node]
      if let found = node.accounts.first(where: { $0.id == account }) { return (trail, found) }
      for child in node.children {
        if let result = search(child, trail) { return result }
      }
      return nil
    }
    return search(root, [])
  }

  /// The SCP levels that apply to principals of `account`, root first; empty for the management account.
  public func serviceControlLevels(for account: String) -> [[PolicyDocument]] {
    guard account != managementAccount, let (nodes, leaf) = path(to: account) else { return [] }
    return nodes.map(\.serviceControlPolicies) + [leaf.serviceControlPolicies]
  }

  /// The RCP levels that apply to resources of `account`, root first; empty for the management account.
  public func resourceControlLevels(for account: String) -> [[PolicyDocument]] {
    guard account != managementAccount, let (nodes, leaf) = path(to: account) else { return [] }
    return nodes.map(\.resourceControlPolicies) + [leaf.resourceControlPolicies]
  }

  /// Every account in the tree, in tree order.
  public var accounts: [OrganizationAccount] {
    func collect(_ node: OrganizationNode) -> [OrganizationAccount] { node.accounts + node.children.flatMap(collect) }
    return collect(root)
  }

  /// The assignments a user reaches, directly or through a group they are a direct member of (rule S-10:
  /// nested groups are not provisioned, so membership is never followed further).
  public func grants(for userName: String) -> [AccessGrant] {
    guard let user = identityStore.user(named: userName) else { return [] }
    var grants: [AccessGrant] = []
    for assignment in assignments {
      switch assignment.principalType {
      case .user where assignment.principal.lowercased() == user.userName.lowercased():
        grants.append(AccessGrant(assignment: assignment, group: nil))
      case .group:
        guard let group = identityStore.group(named: assignment.principal), let id = user.id,
          group.memberIDs.contains(id)
        else { continue }
        grants.append(AccessGrant(assignment: assignment, group: group.displayName))
      default:
        continue
      }
    }
    return grants
  }
}

/// An organizational unit or the root, with the policies attached to it.
public struct OrganizationNode: Sendable {
  public var name: String
  /// SCPs attached here (AWS's FullAWSAccess when the file names none).
  public var serviceControlPolicies: [PolicyDocument]
  /// RCPs attached here (AWS's RCPFullAWSAccess when the file names none).
  public var resourceControlPolicies: [PolicyDocument]
  public var accounts: [OrganizationAccount]
  public var children: [OrganizationNode]

  /// Creates a node.
  public init(name: String, serviceControlPolicies: [PolicyDocument], resourceControlPolicies: [PolicyDocument],
              accounts: [OrganizationAccount], children: [OrganizationNode]) {
    self.name = name
    self.serviceControlPolicies = serviceControlPolicies
    self.resourceControlPolicies = resourceControlPolicies
    self.accounts = accounts
    self.children = children
  }
}

/// A member account with the policies attached to it directly.
public struct OrganizationAccount: Sendable {
  public var id: String
  public var name: String
  public var serviceControlPolicies: [PolicyDocument]
  public var resourceControlPolicies: [PolicyDocument]
  /// The opaque suffixes of the account's `AWSReservedSSO_` roles, by permission-set name, when known.
  public var roleSuffixes: [String: String]

  /// Creates an account.
  public init(id: String, name: String, serviceControlPolicies: [PolicyDocument],
              resourceControlPolicies: [PolicyDocument], roleSuffixes: [String: String]) {
    self.id = id
    self.name = name
    self.serviceControlPolicies = serviceControlPolicies
    self.resourceControlPolicies = resourceControlPolicies
    self.roleSuffixes = roleSuffixes
  }
}

/// An account assignment: a user or group may use a permission set in an account.
public struct Assignment: Sendable, Hashable {
  /// Whether the assignment names a user or a group.
  public enum PrincipalType: String, Sendable, Hashable {
    case user = "USER"
    case group = "GROUP"
  }

  public var principalType: PrincipalType
  /// The user name or the group's display name.
  public var principal: String
  public var permissionSet: String
  public var account: String

  /// Creates an assignment.
  public init(principalType: PrincipalType, principal: String, permissionSet: String, account: String) {
    self.principalType = principalType
    self.principal = principal
    self.permissionSet = permissionSet
    self.account = account
  }
}

/// An assignment a user reaches, and the group it came through (`nil` for a direct assignment).
public struct AccessGrant: Sendable, Hashable {
  public var assignment: Assignment
  public var group: String?
}
