import IAMCatalog
import IAMEvaluation
import IAMIdentityCenter
import IAMOrganization
import IAMPolicy

/// A change to an organization reviewed in people: what each user, and each group through its members, gains
/// and loses in each account, with the assignment, membership or policy change that caused it; and what could not
/// be compared (values known only after apply, sessions that cannot be evaluated), which is never reported as
/// unchanged.
public struct ChangeReview: Sendable {
  /// Whether an entry is about a user or about a group (its members, through an assignment to the group).
  public enum PrincipalKind: String, Sendable, Hashable {
    case user
    case group
    /// An IAM role of an account (not one Identity Center provisions: its users are listed instead).
    case role
  }

  /// What one user or group gains or loses in one account through one permission set, or one IAM role in its
  /// account.
  public struct Entry: Sendable, Hashable {
    public var kind: PrincipalKind
    /// The identity-store user name, the group's display name, or the role's name.
    public var name: String
    public var account: String
    /// The permission set; for a role, the role.
    public var via: String
    /// For a user: the group the access comes through (`nil` for a direct assignment).
    public var group: String?
    /// For a group: the members who gain or lose (those listed in ``gained``/``lost`` for at least one action).
    public var members: [String]
    /// Actions newly allowed, or now allowed without the conditions they needed before (``widened``).
    public var gained: [String]
    /// Actions no longer allowed, or now allowed only under conditions (``narrowed``).
    public var lost: [String]
    /// The changes that caused it, in words (`membership of bob@example.com in AWS-DBA added`).
    public var causes: [String]
    /// For each gained action granted only under conditions, the condition keys of the granting statements. For a
    /// group, an action is here when every member who gains it gains it only under conditions.
    public var conditions: [String: [String]] = [:]
    /// The gained actions that were allowed before only under conditions.
    public var widened: [String] = []
    /// The lost actions still allowed under conditions: their keys.
    public var narrowed: [String: [String]] = [:]
    /// Risk finding codes that appear (``RiskRule/standard``), in the rules' order.
    public var findingsGained: [String] = []
    /// Risk finding codes that disappear.
    public var findingsLost: [String] = []
  }

  /// A session (or set of sessions) not compared, and why.
  public struct NotCompared: Sendable, Hashable {
    public var kind: PrincipalKind?
    public var name: String?
    public var account: String?
    public var via: String?
    /// The group the session comes through, when ``groupKnown`` (`nil` then means a direct assignment).
    public var group: String? = nil
    /// Whether ``group`` is known.
    public var groupKnown: Bool = false
    public var reason: String
    /// Whether the sessions this entry stands for are also listed one by one (an open permission set's users).
    public var listed: Bool = false
  }

  /// User entries, then group entries, each by name, account and permission set, then role entries by account
  /// and name.
  public var entries: [Entry]
  public var notCompared: [NotCompared]
  /// The access level of each action listed, from the catalog.
  public var accessLevels: [String: AccessLevel]

  /// Reviews a change: `open` lists what the change leaves unknown until apply.
  public init(before: Organization, after: Organization, open: [OpenScope] = [], auditor: Auditor) {
    let diff = PeopleDiff(before: before, after: after, auditor: auditor)
    var users: [Entry] = []
    var notCompared: [NotCompared] = []
    for change in diff.changes {
      if let scope = open.first(where: {
        $0.covers(user: change.user, account: change.account, permissionSet: change.permissionSet, group: change.group)
      }) {
        notCompared.append(
          NotCompared(
            kind: .user, name: change.user, account: change.account, via: change.permissionSet,
            group: change.group, groupKnown: true, reason: scope.reason + " (\(scope.origin.address))"))
        continue
      }
      users.append(
        Entry(
          kind: .user, name: change.user, account: change.account, via: change.permissionSet, group: change.group,
          members: [], gained: change.gained, lost: change.lost,
          causes: Self.causes(
            user: change.user, account: change.account, permissionSet: change.permissionSet,
            group: change.group, before, after),
          conditions: change.conditions, widened: change.widened, narrowed: change.narrowed,
          findingsGained: change.findingsGained, findingsLost: change.findingsLost))
    }
    for item in diff.unavailable {
      notCompared.append(
        NotCompared(kind: .user, name: item.user, account: item.account, via: item.permissionSet, reason: item.reason))
    }
    // Every session an open scope covers, on either side, is listed: never taken as unchanged.
    for scope in open {
      var covered: Set<NotCompared> = []
      for organization in [before, after] {
        for user in organization.identityStore.users {
          for grant in organization.grants(for: user.userName)
          where scope.covers(
            user: user.userName, account: grant.assignment.account, permissionSet: grant.assignment.permissionSet,
            group: grant.group)
          {
            covered.insert(
              NotCompared(
                kind: .user, name: user.userName, account: grant.assignment.account,
                via: grant.assignment.permissionSet, group: grant.group, groupKnown: true,
                reason: scope.reason + " (\(scope.origin.address))"))
          }
        }
      }
      let already = Set(notCompared)
      notCompared += covered.subtracting(already).sorted {
        ($0.name ?? "", $0.account ?? "", $0.via ?? "") < ($1.name ?? "", $1.account ?? "", $1.via ?? "")
      }
      let role = scope.role.flatMap { $0.isEmpty ? nil : $0 }
      notCompared.append(
        NotCompared(
          kind: role != nil ? .role : scope.group != nil ? .group : (scope.user != nil ? .user : nil),
          name: role ?? scope.group ?? scope.user,
          account: scope.account, via: scope.permissionSet, group: scope.group, groupKnown: scope.group != nil,
          reason: scope.reason + " (\(scope.origin.address))",
          listed: !covered.isEmpty && scope.group == nil))
    }
    // Groups: what their members gain and lose through an assignment to the group.
    var groups: [String: Entry] = [:]
    // Per group entry: gained actions some member gains without conditions.
    var unconditional: [String: Set<String>] = [:]
    for entry in users {
      guard let group = entry.group else { continue }
      let key = [group, entry.account, entry.via].joined(separator: "\u{0}")
      var merged =
        groups[key]
        ?? Entry(
          kind: .group, name: group, account: entry.account, via: entry.via, group: nil, members: [],
          gained: [], lost: [], causes: [])
      merged.members.append(entry.name)
      merged.gained = Self.union(merged.gained, entry.gained)
      merged.lost = Self.union(merged.lost, entry.lost)
      merged.causes = Self.union(merged.causes, entry.causes)
      unconditional[key, default: []].formUnion(entry.gained.filter { entry.conditions[$0] == nil })
      for (action, keys) in entry.conditions {
        merged.conditions[action] = Array(Set(merged.conditions[action] ?? []).union(keys)).sorted()
      }
      for (action, keys) in entry.narrowed {
        merged.narrowed[action] = Array(Set(merged.narrowed[action] ?? []).union(keys)).sorted()
      }
      merged.widened = Self.union(merged.widened, entry.widened)
      merged.findingsGained = Self.union(merged.findingsGained, entry.findingsGained)
      merged.findingsLost = Self.union(merged.findingsLost, entry.findingsLost)
      groups[key] = merged
    }
    let positions = Dictionary(
      auditor.index.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let ordered = { (actions: [String]) in
      actions.sorted { (positions[$0] ?? Int.max, $0) < (positions[$1] ?? Int.max, $1) }
    }
    let codes = Dictionary(RiskRule.standardCodes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let findingOrder = { (found: [String]) in found.sorted { (codes[$0] ?? Int.max, $0) < (codes[$1] ?? Int.max, $1) } }
    entries =
      users
      + groups.keys.sorted().map { key in
        var entry = groups[key]!
        entry.gained = ordered(entry.gained)
        entry.lost = ordered(entry.lost)
        entry.widened = ordered(entry.widened)
        for action in unconditional[key] ?? [] { entry.conditions[action] = nil }
        entry.findingsGained = findingOrder(entry.findingsGained)
        entry.findingsLost = findingOrder(entry.findingsLost)
        return entry
      }
    // IAM roles: their own sessions.
    for change in diff.roleChanges {
      if let scope = open.first(where: { $0.covers(role: change.user, account: change.account) }) {
        notCompared.append(
          NotCompared(
            kind: .role, name: change.user, account: change.account, via: change.user,
            reason: scope.reason + " (\(scope.origin.address))"))
        continue
      }
      entries.append(
        Entry(
          kind: .role, name: change.user, account: change.account, via: change.user, group: nil, members: [],
          gained: change.gained, lost: change.lost,
          causes: Self.roleCauses(role: change.user, account: change.account, before, after),
          conditions: change.conditions, widened: change.widened, narrowed: change.narrowed,
          findingsGained: change.findingsGained, findingsLost: change.findingsLost))
    }
    for item in diff.unavailableRoles {
      notCompared.append(
        NotCompared(kind: .role, name: item.role, account: item.account, via: item.role, reason: item.reason))
    }
    self.notCompared = notCompared
    var levels: [String: AccessLevel] = [:]
    let mentioned = Set(entries.flatMap { $0.gained + $0.lost })
    for action in mentioned { if let position = positions[action] { levels[action] = auditor.index.levels[position] } }
    accessLevels = levels
  }

  static func union(_ first: [String], _ second: [String]) -> [String] {
    var seen = Set(first)
    return first + second.filter { seen.insert($0).inserted }
  }

  /// The differences between the two versions that bear on a user's session in an account through a permission set.
  static func causes(
    user: String, account: String, permissionSet: String, group: String?, _ before: Organization, _ after: Organization
  )
    -> [String]
  {
    var causes: [String] = []
    func isMember(_ organization: Organization) -> Bool {
      guard let group, let id = organization.identityStore.user(named: user)?.id,
        let found = organization.identityStore.group(named: group)
      else { return false }
      return found.memberIDs.contains(id)
    }
    if let group {
      let (was, now) = (isMember(before), isMember(after))
      if was != now { causes.append("membership of \(user) in \(group) \(now ? "added" : "removed")") }
    }
    func assigned(_ organization: Organization) -> Bool {
      organization.assignments.contains { assignment in
        guard assignment.account == account && assignment.permissionSet.lowercased() == permissionSet.lowercased()
        else { return false }
        if let group {
          return assignment.principalType == .group && assignment.principal.lowercased() == group.lowercased()
        }
        return assignment.principalType == .user && assignment.principal.lowercased() == user.lowercased()
      }
    }
    let (wasAssigned, nowAssigned) = (assigned(before), assigned(after))
    if wasAssigned != nowAssigned {
      causes.append("assignment \(group ?? user) → \(permissionSet) in \(account) \(nowAssigned ? "added" : "removed")")
    }
    let (old, new) = (before.permissionSet(named: permissionSet), after.permissionSet(named: permissionSet))
    if let old, let new {
      var parts: [String] = []
      let added = new.awsManagedPolicies.filter { !old.awsManagedPolicies.contains($0) }
      let removed = old.awsManagedPolicies.filter { !new.awsManagedPolicies.contains($0) }
      if !added.isEmpty { parts.append("attaches " + added.map(Self.shortName).joined(separator: ", ")) }
      if !removed.isEmpty { parts.append("detaches " + removed.map(Self.shortName).joined(separator: ", ")) }
      let addedCustomer = new.customerManagedPolicies.filter { !old.customerManagedPolicies.contains($0) }
      let removedCustomer = old.customerManagedPolicies.filter { !new.customerManagedPolicies.contains($0) }
      if !addedCustomer.isEmpty {
        parts.append("references " + addedCustomer.map(\.description).joined(separator: ", "))
      }
      if !removedCustomer.isEmpty {
        parts.append("no longer references " + removedCustomer.map(\.description).joined(separator: ", "))
      }
      if old.inlinePolicy != new.inlinePolicy {
        parts.append(
          old.inlinePolicy == nil
            ? "inline policy added" : new.inlinePolicy == nil ? "inline policy removed" : "inline policy changed")
      }
      if old.permissionsBoundary != new.permissionsBoundary { parts.append("permissions boundary changed") }
      if !parts.isEmpty { causes.append("permission set \(permissionSet): " + parts.joined(separator: "; ")) }
    } else if old == nil && new != nil {
      causes.append("permission set \(permissionSet) created")
    } else if old != nil && new == nil {
      causes.append("permission set \(permissionSet) deleted")
    }
    if before.serviceControlLevels(for: account) != after.serviceControlLevels(for: account) {
      causes.append("SCPs over \(account) changed")
    }
    if before.resourceControlLevels(for: account) != after.resourceControlLevels(for: account) {
      causes.append("RCPs over \(account) changed")
    }
    causes += changedCustomerPolicies(account: account, before, after) { name in
      (old ?? new)?.customerManagedPolicies.contains { $0.description == name } ?? false
        || (old ?? new).map { set in
          if case .customerManaged(let reference)? = set.permissionsBoundary { return reference.description == name }
          return false
        } ?? false
    }
    if causes.isEmpty { causes.append("policies \(permissionSet) reads in \(account) changed") }
    return causes
  }

  /// `customer managed policy PATH/NAME in ACCOUNT changed` (or created, deleted) for the policies `uses` names,
  /// by path and name.
  static func changedCustomerPolicies(
    account: String, _ before: Organization, _ after: Organization, uses: (String) -> Bool
  ) -> [String] {
    let old = before.account(account)?.iam?.policies ?? []
    let new = after.account(account)?.iam?.policies ?? []
    var causes: [String] = []
    for policy in new where uses(policy.path + policy.name) {
      let previous = old.first { $0.path == policy.path && $0.name == policy.name }
      if previous == nil {
        causes.append("customer managed policy \(policy.path)\(policy.name) in \(account) created")
      } else if !previous!.document.says(theSameAs: policy.document) {
        causes.append("customer managed policy \(policy.path)\(policy.name) in \(account) changed")
      }
    }
    for policy in old where uses(policy.path + policy.name) && !new.contains(where: { $0.path == policy.path && $0.name == policy.name }) {
      causes.append("customer managed policy \(policy.path)\(policy.name) in \(account) deleted")
    }
    return causes
  }

  /// The differences between the two versions that bear on an IAM role's session.
  static func roleCauses(role name: String, account: String, _ before: Organization, _ after: Organization) -> [String] {
    let old = before.account(account)?.iam?.role(named: name)
    let new = after.account(account)?.iam?.role(named: name)
    guard let old, let new else { return ["role \(name) in \(account) \(new == nil ? "deleted" : "created")"] }
    var parts: [String] = []
    let added = new.attachedPolicyArns.filter { !old.attachedPolicyArns.contains($0) }
    let removed = old.attachedPolicyArns.filter { !new.attachedPolicyArns.contains($0) }
    if !added.isEmpty { parts.append("attaches " + added.map(Self.shortName).joined(separator: ", ")) }
    if !removed.isEmpty { parts.append("detaches " + removed.map(Self.shortName).joined(separator: ", ")) }
    let (oldInline, newInline) = (old.inlinePolicies, new.inlinePolicies)
    for policy in newInline {
      if let previous = oldInline.first(where: { $0.name == policy.name }) {
        if !previous.document.says(theSameAs: policy.document) { parts.append("inline policy \(policy.name) changed") }
      } else {
        parts.append("inline policy \(policy.name) added")
      }
    }
    for policy in oldInline where !newInline.contains(where: { $0.name == policy.name }) {
      parts.append("inline policy \(policy.name) removed")
    }
    switch (old.permissionsBoundary, new.permissionsBoundary) {
    case (nil, nil): break
    case (let was?, let now?) where was.says(theSameAs: now): break
    default: parts.append("permissions boundary changed")
    }
    if !old.trustPolicy.says(theSameAs: new.trustPolicy) { parts.append("trust policy changed") }
    if old.tags != new.tags { parts.append("tags changed") }
    var causes = parts.isEmpty ? [] : ["role \(name): " + parts.joined(separator: "; ")]
    let arns = Set(old.attachedPolicyArns + new.attachedPolicyArns)
    causes += changedCustomerPolicies(account: account, before, after) { pathName in
      arns.contains { $0.hasSuffix(":policy" + pathName) }
    }
    if before.serviceControlLevels(for: account) != after.serviceControlLevels(for: account) {
      causes.append("SCPs over \(account) changed")
    }
    if causes.isEmpty { causes.append("policies role \(name) reads in \(account) changed") }
    return causes
  }


  /// `AdministratorAccess` of `arn:aws:iam::aws:policy/AdministratorAccess`.
  static func shortName(_ arn: String) -> String {
    arn.split(separator: "/").last.map(String.init) ?? arn
  }
}
