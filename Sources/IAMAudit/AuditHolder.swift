import IAMOrganization

/// Someone an organization gives an audited permission set to: a user assigned it directly, or a group
/// assigned it, with the group's members.
public struct AuditHolder: Sendable, Hashable {
  /// Whether the assignment names a user or a group.
  public var principalType: PrincipalType
  /// The user name or group display name, as the identity store has it.
  public var name: String
  /// The user names that get the permission set through this assignment, sorted: the user itself, or the group's
  /// members that the identity store knows.
  public var users: [String]
  /// The subject's accounts this assignment gives the permission set in, in the subject's order.
  public var accounts: [String]

  /// Creates a holder.
  public init(principalType: PrincipalType, name: String, users: [String], accounts: [String]) {
    self.principalType = principalType
    self.name = name
    self.users = users
    self.accounts = accounts
  }
}

extension AuditSubject {
  /// The users and groups that `organization`'s assignments give this subject's permission set to in its accounts
  /// (``accounts``, else ``account``), in the order of their first assignment; empty when the subject is not a
  /// permission set.
  public func holders(in organization: Organization) -> [AuditHolder] {
    guard let permissionSet = permissionSet?.lowercased() else { return [] }
    let accounts = self.accounts.isEmpty ? (account.map { [$0] } ?? []) : self.accounts
    let position = Dictionary(
      accounts.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    var holders: [AuditHolder] = []
    var index: [String: Int] = [:]
    let store = organization.identityStore
    for assignment in organization.assignments
    where assignment.permissionSet.lowercased() == permissionSet && position[assignment.account] != nil {
      let key = assignment.principalType.rawValue + "\u{0}" + assignment.principal
      if let known = index[key] {
        if !holders[known].accounts.contains(assignment.account) { holders[known].accounts.append(assignment.account) }
        continue
      }
      let users: [String]
      switch assignment.principalType {
      case .user:
        users = [store.user(named: assignment.principal)?.userName ?? assignment.principal]
      case .group:
        users = (store.group(named: assignment.principal)?.memberIDs ?? []).compactMap { store.user(id: $0)?.userName }
      }
      index[key] = holders.count
      holders.append(
        AuditHolder(
          principalType: assignment.principalType, name: assignment.principal, users: Array(Set(users)).sorted(),
          accounts: [assignment.account]))
    }
    for offset in holders.indices {
      holders[offset].accounts.sort { position[$0]! < position[$1]! }
    }
    return holders
  }
}
