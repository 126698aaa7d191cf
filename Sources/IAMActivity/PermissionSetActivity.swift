/// The calls made through one permission set in one account, from CloudTrail.
public struct PermissionSetActivity: Sendable, Hashable {
  /// The permission set's name, from its `AWSReservedSSO_` role.
  public var permissionSet: String
  /// The account.
  public var account: String
  /// The actions called successfully, as `service:Action`.
  public var usedActions: Set<String>
  /// The actions refused with an access error.
  public var deniedActions: Set<String>
  /// The users (session names) seen.
  public var users: Set<String>

  /// Groups events by permission set and account; events of other callers are left out.
  ///
  /// - Complexity: O(n) in the number of events.
  public static func group(_ events: [CloudTrailEvent]) -> [PermissionSetActivity] {
    var byKey: [String: PermissionSetActivity] = [:]
    for event in events {
      guard let name = event.permissionSetName, let account = event.account else { continue }
      let key = account + "/" + name
      var activity = byKey[key] ?? PermissionSetActivity(
        permissionSet: name, account: account, usedActions: [], deniedActions: [], users: [])
      if event.wasDenied { activity.deniedActions.insert(event.action) } else { activity.usedActions.insert(event.action) }
      if let user = event.sessionName { activity.users.insert(user) }
      byKey[key] = activity
    }
    return byKey.values.sorted { ($0.account, $0.permissionSet) < ($1.account, $1.permissionSet) }
  }
}
