import IAMCatalog
import IAMEvaluation
import IAMFederation
import IAMOrganization
import IAMPolicy

/// A periodic access review of an organization: for each person, every account and permission set (or IAM role
/// through account access manager) they can use, through which group or direct assignment, and what each grants;
/// for each account, who can reach it.
///
/// The review is kept as the organization keeps it, so that it grows with what is distinct, not with users ×
/// accounts: ``routes`` are the assignments and account access grants (a user or group, an account, a permission
/// set or role), ``people`` and ``groups`` say who each route reaches, and each route refers to the distinct
/// ``grantSets`` its sessions get. A grant set is one audit (``Auditor``) of a session's policies, keyed exactly as
/// `access` keys them: the permission set, what its customer managed policies resolve to, the account's SCP and RCP
/// paths (``Organization/policyKey(permissionSet:account:resourceOwner:controlPath:)``), the account when a Resource
/// names a concrete account, and the principal tags the policies read (or the caller, when they read more). Grant
/// sets whose results are the same are then merged, so an id stands for one distinct set of granted actions and
/// findings. ``accesses(of:)`` expands one person's rows.
public struct AccessReview: Sendable {
  /// What a route gives: a permission set, or an IAM role through an account access manager grant.
  public enum Target: Sendable, Hashable, Comparable {
    case permissionSet(String)
    case role(String)

    /// `permissionSet` or `role`.
    public var kind: String {
      switch self {
      case .permissionSet: "permissionSet"
      case .role: "role"
      }
    }

    /// The permission set's or role's name.
    public var name: String {
      switch self {
      case .permissionSet(let name), .role(let name): name
      }
    }

    /// `PowerUserAccess`, or `role Auditor` for a role.
    public var description: String {
      switch self {
      case .permissionSet(let name): name
      case .role(let name): "role " + name
      }
    }
  }

  /// One granted action of a grant set.
  public struct Action: Sendable, Hashable {
    /// `service:Action`, spelled as in the catalog.
    public var name: String
    public var service: String
    public var accessLevel: AccessLevel
    /// Granted only by statements with a Condition.
    public var conditional: Bool
    /// Granted on every resource (the request on `*` is allowed).
    public var allResources: Bool

    /// Creates an action.
    public init(name: String, service: String, accessLevel: AccessLevel, conditional: Bool, allResources: Bool) {
      self.name = name
      self.service = service
      self.accessLevel = accessLevel
      self.conditional = conditional
      self.allResources = allResources
    }
  }

  /// A risk finding of a grant set.
  public struct Finding: Sendable, Hashable {
    public var code: String
    public var severity: Diagnostic.Severity
    public var message: String

    /// Creates a finding.
    public init(code: String, severity: Diagnostic.Severity, message: String) {
      self.code = code
      self.severity = severity
      self.message = message
    }
  }

  /// What a session is granted, audited once for every session whose policies are the same.
  public struct GrantSet: Sendable {
    /// Its position in ``AccessReview/grantSets``.
    public var id: Int
    /// The first session audited for it, as `PermissionSet@account` or `role Name@account`.
    public var subject: String
    /// The granted actions, in catalog order.
    public var actions: [Action]
    /// How many actions the identity policies grant that a boundary, SCP, RCP or Deny cuts.
    public var cut: Int
    /// The risk findings, the most serious first.
    public var findings: [Finding]

    /// Creates a grant set.
    public init(id: Int, subject: String, actions: [Action], cut: Int, findings: [Finding]) {
      self.id = id
      self.subject = subject
      self.actions = actions
      self.cut = cut
      self.findings = findings
    }

    /// The number of granted actions at each access level.
    public var levels: [AccessLevel: Int] {
      actions.reduce(into: [:]) { $0[$1.accessLevel, default: 0] += 1 }
    }

    /// The number of actions granted only under conditions.
    public var conditional: Int { actions.filter(\.conditional).count }

    /// Per service, in catalog order: the number of granted actions, of conditional ones, and at each level.
    public var services: [(service: String, granted: Int, conditional: Int, levels: [AccessLevel: Int])] {
      var order: [String] = []
      var counts: [String: (granted: Int, conditional: Int, levels: [AccessLevel: Int])] = [:]
      for action in actions {
        if counts[action.service] == nil {
          order.append(action.service)
          counts[action.service] = (0, 0, [:])
        }
        counts[action.service]!.granted += 1
        if action.conditional { counts[action.service]!.conditional += 1 }
        counts[action.service]!.levels[action.accessLevel, default: 0] += 1
      }
      return order.map { ($0, counts[$0]!.granted, counts[$0]!.conditional, counts[$0]!.levels) }
    }

    /// The most serious finding's severity, if any.
    public var worstSeverity: Diagnostic.Severity? { findings.map(\.severity).min() }

    /// What makes two grant sets the same: actions with their flags, the cut count and the findings.
    var content: Content { Content(actions: Set(actions), cut: cut, findings: findings) }

    struct Content: Hashable {
      var actions: Set<Action>
      var cut: Int
      var findings: [Finding]
    }
  }

  /// Which grant set a route's sessions get.
  public enum Grant: Sendable, Hashable {
    /// The same for every person the route reaches.
    case set(Int)
    /// It depends on principal tags the policies read (lower-cased `keys`): one grant set per combination of
    /// values among the people reached (`nil` for a tag the person does not have).
    case byTags(keys: [String], choices: [TagChoice])
    /// It depends on who the caller is: each person's own (``Person/ownGrants``).
    case perPerson
    /// The route reaches nobody (a group without members, a user not in the identity store).
    case nobody
    /// No session can be evaluated (an account whose IAM was not collected, an unusable grant): a stable code and
    /// why. Never taken as no access.
    case unavailable(code: String, message: String)
  }

  /// One combination of principal tag values and the grant set sessions with it get.
  public struct TagChoice: Sendable, Hashable {
    /// The values, in the order of the keys; `nil` when the tag is absent.
    public var values: [String?]
    public var set: Int

    /// Creates a choice.
    public init(values: [String?], set: Int) {
      self.values = values
      self.set = set
    }
  }

  /// An assignment of a permission set, or an account access manager grant of a role: to a user or a group, in
  /// an account.
  public struct Route: Sendable {
    public var principalType: PrincipalType
    /// The user name or group display name, as the assignment writes it.
    public var principal: String
    public var account: String
    public var target: Target
    public var grant: Grant
    /// How many people it reaches.
    public var people: Int

    /// Creates a route.
    public init(principalType: PrincipalType, principal: String, account: String, target: Target, grant: Grant, people: Int) {
      self.principalType = principalType
      self.principal = principal
      self.account = account
      self.target = target
      self.grant = grant
      self.people = people
    }
  }

  /// A person of the identity store.
  public struct Person: Sendable {
    /// The identity-store user name.
    public var userName: String
    public var displayName: String?
    /// The session tags ABAC gives them (attributes for access control), by key.
    public var tags: [(key: String, value: String)]
    /// The groups (positions in ``AccessReview/groups``) they are a direct member of.
    public var groups: [Int]
    /// The routes (positions in ``AccessReview/routes``) that name them directly.
    public var direct: [Int]
    /// For routes whose grant is ``Grant/perPerson``: the route's position and their grant set, or `-1` when their
    /// session cannot be evaluated.
    public var ownGrants: [(route: Int, set: Int)]

    /// Creates a person.
    public init(userName: String, displayName: String? = nil, tags: [(key: String, value: String)] = [], groups: [Int] = [],
                direct: [Int] = [], ownGrants: [(route: Int, set: Int)] = []) {
      self.userName = userName
      self.displayName = displayName
      self.tags = tags
      self.groups = groups
      self.direct = direct
      self.ownGrants = ownGrants
    }
  }

  /// A group of the identity store.
  public struct Group: Sendable {
    public var name: String
    /// Its direct members (positions in ``AccessReview/people``).
    public var members: [Int]
    /// The routes that name it.
    public var routes: [Int]

    /// Creates a group.
    public init(name: String, members: [Int], routes: [Int]) {
      self.name = name
      self.members = members
      self.routes = routes
    }
  }

  /// An account of the organization.
  public struct Account: Sendable {
    public var id: String
    public var name: String
    /// The routes into it.
    public var routes: [Int]
    /// How many distinct people can reach it.
    public var people: Int

    /// Creates an account.
    public init(id: String, name: String, routes: [Int], people: Int) {
      self.id = id
      self.name = name
      self.routes = routes
      self.people = people
    }
  }

  /// One row of a person's review: a route that reaches them, the group it comes through, and its grant set.
  public struct Access: Sendable, Hashable {
    /// The route's position.
    public var route: Int
    /// The group the route names, or `nil` for a direct assignment.
    public var group: String?
    /// The grant set, or `nil` when the session cannot be evaluated (``Grant/unavailable``).
    public var set: Int?
  }

  /// Everyone in the identity store, sorted by user name.
  public var people: [Person]
  /// The identity store's groups, in its order.
  public var groups: [Group]
  /// The organization's accounts, in tree order.
  public var accounts: [Account]
  /// The assignments and account access manager grants, in the organization's order, each once.
  public var routes: [Route]
  /// The distinct grant sets.
  public var grantSets: [GrantSet]

  /// Creates a review from its parts (as ``read(_:file:)`` does).
  public init(people: [Person], groups: [Group], accounts: [Account], routes: [Route], grantSets: [GrantSet]) {
    self.people = people
    self.groups = groups
    self.accounts = accounts
    self.routes = routes
    self.grantSets = grantSets
  }

  /// Every row of a person: their direct routes, then their groups' routes, by account and target.
  public func accesses(of person: Int) -> [Access] {
    var rows = unsortedAccesses(of: person)
    rows.sort {
      let (a, b) = (routes[$0.route], routes[$1.route])
      return (a.account, a.target, $0.group ?? "") < (b.account, b.target, $1.group ?? "")
    }
    return rows
  }

  /// A person's rows, direct routes first, then each group's, in the order the review holds them.
  func unsortedAccesses(of person: Int) -> [Access] {
    let who = people[person]
    var rows: [Access] = []
    rows.reserveCapacity(who.direct.count + who.groups.reduce(0) { $0 + groups[$1].routes.count })
    for route in who.direct { rows.append(Access(route: route, group: nil, set: set(route: route, person: who))) }
    for group in who.groups {
      for route in groups[group].routes {
        rows.append(Access(route: route, group: groups[group].name, set: set(route: route, person: who)))
      }
    }
    return rows
  }

  /// The grant set a route gives a person, or `nil` when their session cannot be evaluated.
  public func set(route position: Int, person: Person) -> Int? {
    switch routes[position].grant {
    case .set(let set): return set
    case .byTags(let keys, let choices):
      let values = Self.values(keys, in: person.tags)
      return choices.first { $0.values == values }?.set
    case .perPerson:
      return person.ownGrants.first { $0.route == position }.flatMap { $0.set < 0 ? nil : $0.set }
    case .nobody, .unavailable:
      return nil
    }
  }

  /// The values of lower-cased tag `keys` among `tags` (of two keys equal regardless of case, the later).
  static func values(_ keys: [String], in tags: [(key: String, value: String)]) -> [String?] {
    keys.map { key in tags.last { $0.key.lowercased() == key }?.value }
  }
}

// MARK: - Building

extension AccessReview {
  /// Reviews an organization: every person's routes, keyed and audited as `access` audits them, each distinct
  /// policy set once.
  ///
  /// - Parameter progress: called with a line before each audit.
  public init(_ organization: Organization, auditor: Auditor, progress: ((String) -> Void)? = nil) {
    var builder = ReviewBuilder(organization: organization, auditor: auditor)
    self = builder.build(progress: progress)
  }
}

/// Builds a review: routes and who they reach through integer indexes, keys per route (and per person only where
/// the policies read the caller), then one audit per key.
struct ReviewBuilder {
  let organization: Organization
  let auditor: Auditor
  /// Audit keys by text, with a caller whose session stands for the key.
  var keys: [String: Int] = [:]
  var keyCallers: [Caller] = []
  var paths: [String: String] = [:]
  /// By policy key: the policies of the first session, what they read of the caller, and whether they name an
  /// account; or why no session forms.
  var sets: [String: Result<(dependence: CallerDependence, namesAccounts: Bool), SessionUnavailable>] = [:]
  var tagsByUser: [[(key: String, value: String)]?]

  init(organization: Organization, auditor: Auditor) {
    self.organization = organization
    self.auditor = auditor
    tagsByUser = Array(repeating: nil, count: organization.identityStore.users.count)
  }

  /// A key's number, remembering a caller that stands for it.
  mutating func key(_ text: String, caller: Caller) -> Int {
    if let known = keys[text] { return known }
    keys[text] = keyCallers.count
    keyCallers.append(caller)
    return keyCallers.count - 1
  }

  /// A user's ABAC session tags, resolved once.
  mutating func tags(_ user: Int) -> [(key: String, value: String)] {
    if let known = tagsByUser[user] { return known }
    let resolved = organization.accessControl?.resolve(for: organization.identityStore.users[user]).tags.map { ($0.key, $0.value) } ?? []
    tagsByUser[user] = resolved
    return resolved
  }

  /// What a key stands for before audits: a number, or a failure.
  enum Keyed {
    case key(Int)
    case failed(SessionUnavailable)
  }

  mutating func build(progress: ((String) -> Void)?) -> AccessReview {
    let store = organization.identityStore
    let users = store.users
    // People sorted by user name; `order[position in store] = position in people`.
    let sorted = users.indices.sorted { users[$0].userName < users[$1].userName }
    var personOf = [Int](repeating: -1, count: users.count)
    for (index, position) in sorted.enumerated() { personOf[position] = index }
    var userByID: [String: Int] = [:]
    var userByName: [String: Int] = [:]
    for (position, user) in users.enumerated() {
      if let id = user.id, userByID[id] == nil { userByID[id] = position }
      if userByName[user.userName.lowercased()] == nil { userByName[user.userName.lowercased()] = position }
    }
    var groupByName: [String: Int] = [:]
    for (position, group) in store.groups.enumerated() where groupByName[group.displayName.lowercased()] == nil {
      groupByName[group.displayName.lowercased()] = position
    }
    var groupMembers: [[Int]] = store.groups.map { group in
      Array(Set(group.memberIDs.compactMap { userByID[$0] })).sorted { personOf[$0] < personOf[$1] }
    }
    var people = sorted.map { position -> AccessReview.Person in
      let user = users[position]
      return AccessReview.Person(userName: user.userName, displayName: user.attributes["displayName"])
    }
    for (group, members) in groupMembers.enumerated() {
      for user in members { people[personOf[user]].groups.append(group) }
    }

    // Routes, each once, in the organization's order.
    struct Pending {
      var route: AccessReview.Route
      /// Store positions of the users reached.
      var members: [Int]
      /// By member: the key, or why it has none.
      var keyed: [Keyed]
      var group: Int?
      /// The principal tags the policies read, when that is all they read of the caller.
      var tagKeys: [String]?
    }
    var pending: [Pending] = []
    var seen: Set<String> = []
    func members(_ type: PrincipalType, _ principal: String) -> (users: [Int], group: Int?) {
      switch type {
      case .user: return (userByName[principal.lowercased()].map { [$0] } ?? [], nil)
      case .group:
        guard let group = groupByName[principal.lowercased()] else { return ([], nil) }
        return (groupMembers[group], group)
      }
    }
    for assignment in organization.assignments {
      let routeKey = ["a", assignment.principalType.rawValue, assignment.principal.lowercased(), assignment.account,
                      assignment.permissionSet.lowercased()].joined(separator: "\u{0}")
      guard seen.insert(routeKey).inserted else { continue }
      let (reached, group) = members(assignment.principalType, assignment.principal)
      let principal = group.map { store.groups[$0].displayName } ?? reached.first.map { users[$0].userName } ?? assignment.principal
      let route = AccessReview.Route(
        principalType: assignment.principalType, principal: principal, account: assignment.account,
        target: .permissionSet(organization.permissionSet(named: assignment.permissionSet)?.name ?? assignment.permissionSet),
        grant: .nobody, people: reached.count)
      let (keyed, tagKeys) = reached.isEmpty ? ([], nil) : identityCenterKeys(assignment, members: reached)
      pending.append(Pending(route: route, members: reached, keyed: keyed, group: group, tagKeys: tagKeys))
    }
    for grant in organization.accountAccess.grants {
      let routeKey = ["g", grant.principalType.rawValue, grant.principal.lowercased(), grant.account, grant.role.lowercased()]
        .joined(separator: "\u{0}")
      guard seen.insert(routeKey).inserted else { continue }
      let (reached, group) = members(grant.principalType, grant.principal)
      let principal = group.map { store.groups[$0].displayName } ?? reached.first.map { users[$0].userName } ?? grant.principal
      let route = AccessReview.Route(
        principalType: grant.principalType, principal: principal, account: grant.account, target: .role(grant.role),
        grant: .nobody, people: reached.count)
      let keyed = reached.map { roleKey(user: $0, account: grant.account, role: grant.role) }
      pending.append(Pending(route: route, members: reached, keyed: keyed, group: group, tagKeys: nil))
    }

    // One audit per key, then grant sets merged by content.
    var setOfKey = [Int](repeating: -1, count: keyCallers.count)
    var grantSets: [AccessReview.GrantSet] = []
    var byContent: [AccessReview.GrantSet.Content: Int] = [:]
    var failedKeys: [Int: SessionUnavailable] = [:]
    for (number, caller) in keyCallers.enumerated() {
      progress?("auditing \(number + 1) of \(keyCallers.count): \(Self.subjectName(caller))")
      switch audit(caller) {
      case .success(var set):
        let content = set.content
        if let known = byContent[content] {
          setOfKey[number] = known
        } else {
          set.id = grantSets.count
          byContent[content] = set.id
          setOfKey[number] = set.id
          grantSets.append(set)
        }
      case .failure(let reason):
        failedKeys[number] = reason
      }
    }

    // Each route's grant: one set, one per tag combination, or each person's own.
    var routes: [AccessReview.Route] = []
    var groupRoutes = [[Int]](repeating: [], count: store.groups.count)
    for item in pending {
      var route = item.route
      let position = routes.count
      if !item.members.isEmpty {
        let outcomes = item.keyed.map { keyed -> Result<Int, SessionUnavailable> in
          switch keyed {
          case .key(let key): failedKeys[key].map { .failure($0) } ?? .success(setOfKey[key])
          case .failed(let reason): .failure(reason)
          }
        }
        let distinct = Set(outcomes.map { (try? $0.get()) ?? -1 })
        if distinct.count == 1, let only = distinct.first {
          if only >= 0 {
            route.grant = .set(only)
          } else if case .failure(let reason) = outcomes[0] {
            route.grant = .unavailable(code: reason.code.rawValue, message: reason.message)
          }
        } else if let keys = item.tagKeys {
          var choices: [AccessReview.TagChoice] = []
          var known: Set<[String?]> = []
          for (offset, user) in item.members.enumerated() {
            let values = AccessReview.values(keys, in: tags(user))
            guard known.insert(values).inserted, case .success(let set) = outcomes[offset] else { continue }
            choices.append(AccessReview.TagChoice(values: values, set: set))
          }
          route.grant = .byTags(keys: keys, choices: choices)
        } else {
          route.grant = .perPerson
          for (offset, user) in item.members.enumerated() {
            people[personOf[user]].ownGrants.append((position, (try? outcomes[offset].get()) ?? -1))
          }
        }
      }
      if let group = item.group {
        groupRoutes[group].append(position)
      } else if let user = item.members.first {
        people[personOf[user]].direct.append(position)
      }
      routes.append(route)
    }
    for index in people.indices where !people[index].groups.isEmpty || !people[index].direct.isEmpty {
      people[index].tags = organization.accessControl == nil ? [] : tags(sorted[index])
    }
    groupMembers = groupMembers.map { $0.map { personOf[$0] }.sorted() }
    let groups = store.groups.enumerated().map { offset, group in
      AccessReview.Group(name: group.displayName, members: groupMembers[offset], routes: groupRoutes[offset])
    }

    // Accounts, and how many distinct people reach each.
    var routesByAccount: [String: [Int]] = [:]
    for (position, route) in routes.enumerated() { routesByAccount[route.account, default: []].append(position) }
    var stamp = [Int](repeating: -1, count: people.count)
    var accounts: [AccessReview.Account] = []
    var listed: Set<String> = []
    for account in organization.accounts {
      listed.insert(account.id)
      accounts.append(AccessReview.Account(id: account.id, name: account.name, routes: routesByAccount[account.id] ?? [], people: 0))
    }
    for account in routesByAccount.keys.sorted() where !listed.contains(account) {
      accounts.append(AccessReview.Account(id: account, name: "", routes: routesByAccount[account] ?? [], people: 0))
    }
    for index in accounts.indices {
      var count = 0
      for position in accounts[index].routes {
        for user in pending[position].members where stamp[personOf[user]] != index {
          stamp[personOf[user]] = index
          count += 1
        }
      }
      accounts[index].people = count
    }
    return AccessReview(people: people, groups: groups, accounts: accounts, routes: routes, grantSets: grantSets)
  }

  /// An account's SCP (or RCP) path, worked out once per account.
  mutating func controlPath(_ account: String, resources: Bool) -> String {
    let cacheKey = (resources ? "r" : "s") + account
    if let known = paths[cacheKey] { return known }
    let path = organization.controlPath(account, resources: resources)
    paths[cacheKey] = path
    return path
  }

  /// The keys of an assignment's members, as `access` keys their sessions.
  mutating func identityCenterKeys(_ assignment: Assignment, members: [Int]) -> (keyed: [Keyed], tagKeys: [String]?) {
    let users = organization.identityStore.users
    guard let permissionSet = organization.permissionSet(named: assignment.permissionSet) else {
      let reason = SessionUnavailable(
        "organization.unknown-permission-set", "the organization has no permission set named `\(assignment.permissionSet)`")
      return (members.map { _ in .failed(reason) }, nil)
    }
    let account = assignment.account
    let (scp, rcp) = (controlPath(account, resources: false), controlPath(account, resources: true))
    let base = organization.policyKey(permissionSet: permissionSet, account: account, resourceOwner: account) { _, resources in
      resources ? rcp : scp
    }
    let first = members[0]
    if sets[base] == nil {
      let caller = Caller.identityCenter(user: users[first].userName, permissionSet: permissionSet.name, account: account)
      do {
        let session = try organization.session(for: caller)
        let policies = organization.policySet(for: session, resource: "*", resourceAccount: account)
        sets[base] = .success((CallerDependence(policies), CallerDependence.namesAccounts(policies)))
      } catch {
        sets[base] = .failure(error)
      }
    }
    switch sets[base]! {
    case .failure(let reason):
      return (members.map { _ in .failed(reason) }, nil)
    case .success(let (dependence, namesAccounts)):
      var keyed: [Keyed] = []
      var shared: Int?  // policies that read nothing of the caller: one key for every member
      for user in members {
        if let shared {
          keyed.append(.key(shared))
          continue
        }
        let text = dependence.auditKey(base, namesAccounts: namesAccounts, account: account) { tags(user) }
          ?? base + "\u{0}" + account + "\u{2}" + users[user].userName
        let number = key(text, caller: .identityCenter(user: users[user].userName, permissionSet: permissionSet.name, account: account))
        if dependence == .none { shared = number }
        keyed.append(.key(number))
      }
      if case .tags(let keys) = dependence { return (keyed, keys.sorted()) }
      return (keyed, nil)
    }
  }

  /// The key of a user's session in a role through account access manager: the role's policies read nothing of the
  /// caller, or only principal tags, or more.
  mutating func roleKey(user: Int, account: String, role: String) -> Keyed {
    let userName = organization.identityStore.users[user].userName
    let caller = Caller.accountAccess(user: userName, account: account, role: role)
    let session: OrganizationSession
    do {
      session = try organization.session(for: caller)
    } catch {
      return .failed(error)
    }
    let policies = organization.policySet(for: session, resource: "*", resourceAccount: account)
    let base = "role\u{0}" + account + "\u{0}" + role.lowercased()
    let text = CallerDependence(policies).auditKey(base, namesAccounts: false, account: account) { session.principal.tags }
    return .key(key(text ?? base + "\u{2}" + userName, caller: caller))
  }

  /// `PermissionSet@account` or `role Name@account`.
  static func subjectName(_ caller: Caller) -> String {
    switch caller {
    case .identityCenter(_, let permissionSet, let account): "\(permissionSet)@\(account)"
    case .accountAccess(_, let account, let role): "role \(role)@\(account)"
    default: caller.description
    }
  }

  /// Audits the session that stands for a key, as `access` audits it.
  func audit(_ caller: Caller) -> Result<AccessReview.GrantSet, SessionUnavailable> {
    do {
      let session = try organization.session(for: caller)
      let subject = AuditSubject(
        name: Self.subjectName(caller), permissionSet: session.resolved?.permissionSet.name, account: caller.account,
        principal: session.principal, policies: organization.policySet(for: session, resource: "*", resourceAccount: caller.account))
      let report = try auditor.audit(subject)
      let actions = report.granted.map {
        AccessReview.Action(name: $0.action, service: $0.service, accessLevel: $0.accessLevel, conditional: $0.conditional,
                            allResources: $0.allResources)
      }
      let findings = report.findings.sorted { ($0.severity, $0.code) < ($1.severity, $1.code) }.map {
        AccessReview.Finding(code: $0.code, severity: $0.severity, message: $0.message)
      }
      return .success(AccessReview.GrantSet(id: -1, subject: subject.name, actions: actions, cut: report.cut.count, findings: findings))
    } catch let error as SessionUnavailable {
      return .failure(error)
    } catch {
      return .failure(SessionUnavailable("organization.invalid-policies", "\(error)"))
    }
  }
}
