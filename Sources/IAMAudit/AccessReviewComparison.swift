import IAMCatalog
import IAMPolicy

/// The changes between two access reviews (last quarter's snapshot and now), in people: who gained or lost which
/// account and permission set (or role), who reaches one through other groups, and how what a kept one grants
/// changed.
///
/// A person's access is keyed by (user name, account, permission set or role). Gained: not reached before, reached
/// now; lost: the reverse; changed: reached in both, but through other groups (or no longer directly), or its grant
/// set grants other actions or has other findings. Grant sets are compared by content (their ids differ between
/// snapshots). Changes that are the same for several people (same account, target, groups and grant sets) are one
/// ``Change`` listing them, so "+40 users gain PowerUserAccess in 111122223333 through AWS-Developers" is one entry.
public struct AccessReviewComparison: Sendable {
  /// How a person's access changed.
  public enum Kind: String, Sendable, Hashable, Comparable {
    case gained
    case lost
    case changed

    public static func < (lhs: Kind, rhs: Kind) -> Bool {
      let order: [Kind] = [.gained, .lost, .changed]
      return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
  }

  /// A change shared by ``users`` in each of ``accounts``.
  public struct Change: Sendable, Hashable {
    public var kind: Kind
    /// The accounts where these people gained, lost or changed the same thing, sorted.
    public var accounts: [String]
    public var target: AccessReview.Target
    /// How the access came before and comes now: group names, `nil` for a direct assignment; empty on the side
    /// where there is none.
    public var viaBefore: [String?]
    public var viaAfter: [String?]
    /// Actions granted now and not before (changed), in the newer review's order.
    public var actionsGained: [String]
    public var actionsLost: [String]
    /// Counts by access level before and now (empty on the side where there is no access or no evaluation).
    public var levelsBefore: [AccessLevel: Int]
    public var levelsAfter: [AccessLevel: Int]
    /// Finding codes that appear or disappear.
    public var findingsGained: [String]
    public var findingsLost: [String]
    /// Whether a side's session could not be evaluated: then nothing is said about its actions.
    public var unavailableBefore: Bool
    public var unavailableAfter: Bool
    /// The people concerned, sorted.
    public var users: [String]

    /// Whether the groups (or a direct assignment) through which the access comes changed.
    public var viaChanged: Bool { kind == .changed && viaBefore != viaAfter }
    /// Whether what the access grants changed.
    public var grantsChanged: Bool {
      kind == .changed && (!actionsGained.isEmpty || !actionsLost.isEmpty || !findingsGained.isEmpty || !findingsLost.isEmpty
        || levelsBefore != levelsAfter || unavailableBefore != unavailableAfter)
    }
  }

  /// The changes: gained first, then lost, then changed; each by target, first account and first user.
  public var changes: [Change]
  /// People in the newer review and not the older one, and the reverse (whatever their access).
  public var peopleAdded: [String]
  public var peopleRemoved: [String]
  /// Account names by id, from both reviews (the newer's first).
  public var accountNames: [String: String]

  /// Compares `before` (the older snapshot) with `after`.
  ///
  /// - Complexity: linear in both reviews' rows; a person whose rows have the same routes and grant sets on both
  ///   sides costs a comparison of integers.
  public init(before: AccessReview, after: AccessReview) {
    // Grant sets numbered by content across both reviews.
    var contents: [AccessReview.GrantSet.Content: Int] = [:]
    func numbers(_ review: AccessReview) -> [Int] {
      review.grantSets.map { set in
        let content = set.content
        if let known = contents[content] { return known }
        contents[content] = contents.count
        return contents.count - 1
      }
    }
    let (numbersBefore, numbersAfter) = (numbers(before), numbers(after))
    // Routes numbered by (principal, account, target) across both reviews.
    var routeIDs: [String: Int32] = [:]
    func routeNumbers(_ review: AccessReview) -> [Int32] {
      review.routes.map { route in
        let key = [route.principalType.rawValue, route.principal, route.account, route.target.kind, route.target.name]
          .joined(separator: "\u{0}")
        if let known = routeIDs[key] { return known }
        routeIDs[key] = Int32(routeIDs.count)
        return Int32(routeIDs.count - 1)
      }
    }
    let (routesBefore, routesAfter) = (routeNumbers(before), routeNumbers(after))
    /// A person's rows as sorted (route, grant content) pairs.
    func signature(_ review: AccessReview, _ person: Int?, _ routes: [Int32], _ numbers: [Int]) -> [Int64] {
      guard let person else { return [] }
      return review.unsortedAccesses(of: person).map { row in
        Int64(routes[row.route]) << 32 | Int64(UInt32(bitPattern: Int32(row.set.map { numbers[$0] } ?? -1)))
      }.sorted()
    }
    struct Side: Hashable {
      var vias: [String?]
      /// Content number of the grant set, -1 when not evaluated, -2 when absent.
      var content: Int
    }
    struct Key: Hashable {
      var kind: Kind
      var account: String
      var target: AccessReview.Target
      var before: Side
      var after: Side
    }
    func reach(_ review: AccessReview, _ person: Int?, _ numbers: [Int]) -> [AccessKey: Side] {
      guard let person else { return [:] }
      var result: [AccessKey: Side] = [:]
      for row in review.accesses(of: person) {
        let route = review.routes[row.route]
        let key = AccessKey(account: route.account, target: route.target)
        var side = result[key] ?? Side(vias: [], content: row.set.map { numbers[$0] } ?? -1)
        if !side.vias.contains(row.group) { side.vias.append(row.group) }
        if side.content == -1, let set = row.set { side.content = numbers[set] }
        result[key] = side
      }
      for key in result.keys { result[key]!.vias.sort { ($0 ?? "") < ($1 ?? "") } }
      return result
    }
    let indexBefore = Dictionary(before.people.enumerated().map { ($1.userName, $0) }, uniquingKeysWith: { first, _ in first })
    let indexAfter = Dictionary(after.people.enumerated().map { ($1.userName, $0) }, uniquingKeysWith: { first, _ in first })
    var grouped: [Key: [String]] = [:]
    for user in Set(indexBefore.keys).union(indexAfter.keys).sorted() {
      let (old, new) = (indexBefore[user], indexAfter[user])
      if signature(before, old, routesBefore, numbersBefore) == signature(after, new, routesAfter, numbersAfter) { continue }
      let was = reach(before, old, numbersBefore)
      let now = reach(after, new, numbersAfter)
      for key in Set(was.keys).union(now.keys) {
        let absent = Side(vias: [], content: -2)
        let (old, new) = (was[key] ?? absent, now[key] ?? absent)
        guard old != new else { continue }
        let kind: Kind = old.content == -2 ? .gained : new.content == -2 ? .lost : .changed
        grouped[Key(kind: kind, account: key.account, target: key.target, before: old, after: new), default: []].append(user)
      }
    }
    // The same change for the same people in several accounts is one change.
    struct Merged: Hashable {
      var kind: Kind
      var target: AccessReview.Target
      var before: Side
      var after: Side
      var users: [String]
    }
    var accountsOf: [Merged: [String]] = [:]
    for (key, users) in grouped {
      accountsOf[Merged(kind: key.kind, target: key.target, before: key.before, after: key.after, users: users.sorted()),
                 default: []].append(key.account)
    }
    // Content numbers back to a grant set of either review.
    var setOfContent: [Int: AccessReview.GrantSet] = [:]
    for (offset, number) in numbersAfter.enumerated() { setOfContent[number] = after.grantSets[offset] }
    for (offset, number) in numbersBefore.enumerated() where setOfContent[number] == nil { setOfContent[number] = before.grantSets[offset] }
    accountNames = Dictionary(
      (after.accounts + before.accounts).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    changes = accountsOf.map { key, accounts in
      let old = setOfContent[key.before.content]
      let new = setOfContent[key.after.content]
      var change = Change(
        kind: key.kind, accounts: accounts.sorted(), target: key.target,
        viaBefore: key.before.vias, viaAfter: key.after.vias, actionsGained: [], actionsLost: [],
        levelsBefore: old?.levels ?? [:], levelsAfter: new?.levels ?? [:], findingsGained: [], findingsLost: [],
        unavailableBefore: key.before.content == -1, unavailableAfter: key.after.content == -1, users: key.users)
      if key.kind == .changed, let old, let new, key.before.content != key.after.content {
        let oldNames = Set(old.actions.map(\.name))
        let newNames = Set(new.actions.map(\.name))
        change.actionsGained = new.actions.map(\.name).filter { !oldNames.contains($0) }
        change.actionsLost = old.actions.map(\.name).filter { !newNames.contains($0) }
        let (oldCodes, newCodes) = (Set(old.findings.map(\.code)), Set(new.findings.map(\.code)))
        change.findingsGained = newCodes.subtracting(oldCodes).sorted()
        change.findingsLost = oldCodes.subtracting(newCodes).sorted()
      } else if key.kind == .gained, let new {
        change.findingsGained = Array(Set(new.findings.map(\.code))).sorted()
      } else if key.kind == .lost, let old {
        change.findingsLost = Array(Set(old.findings.map(\.code))).sorted()
      }
      return change
    }.sorted {
      ($0.kind, $0.target, $0.accounts.first ?? "", $0.users.first ?? "") < ($1.kind, $1.target, $1.accounts.first ?? "", $1.users.first ?? "")
    }
    peopleAdded = Set(indexAfter.keys).subtracting(indexBefore.keys).sorted()
    peopleRemoved = Set(indexBefore.keys).subtracting(indexAfter.keys).sorted()
  }

  struct AccessKey: Hashable {
    var account: String
    var target: AccessReview.Target
  }
}
