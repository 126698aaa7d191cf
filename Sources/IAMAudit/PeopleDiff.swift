import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// Who gains and who loses which actions between two versions of an organization, in people: each Identity
/// Center user, in each account, through each permission set.
///
/// A user's access in an account is the union of what the permission sets they reach there grant (each audited
/// as ``Auditor`` audits it, with the standard risk rules: an action counts when the policies allow it on some
/// resource, and is conditional when every permission set that grants it grants it only under conditions). An action
/// that loses its conditions counts as gained, one that gains them as lost; finding codes are compared the same way. The work follows what
/// is distinct, not the organization's size: every (permission set, account) pair gets a key that is equal, across
/// both versions, exactly when the policies of its sessions are the same and read nothing of the caller that
/// differs (principal tags are part of the key when the policies read them; the user when they read more); users
/// whose keys are the same in every account before and after are unchanged and cost a comparison; only the keys
/// of changed users are audited, each once, and users whose sessions in an account have the same keys through the
/// same groups are compared once.
public struct PeopleDiff: Sendable {
  /// What one user gains or loses in one account through one permission set.
  public struct Change: Sendable, Hashable {
    /// The identity-store user name.
    public var user: String
    public var account: String
    /// The permission set the access comes through (after) or came through (before).
    public var permissionSet: String
    /// The group the assignment comes (or came) through; `nil` for a direct assignment.
    public var group: String?
    /// Catalog actions the user can call in the account now and could not before, that this permission set grants.
    public var gained: [String]
    /// Catalog actions the user could call before and cannot now, that this permission set granted; and actions the
    /// user could call without conditions before and now only under them (``narrowed``).
    public var lost: [String]
    /// For each gained action this permission set grants only under conditions (every statement that grants it has a
    /// Condition), the condition keys of those statements; absent for an action granted unconditionally.
    public var conditions: [String: [String]] = [:]
    /// The gained actions the user could call before, but only under conditions: now granted without them.
    public var widened: [String] = []
    /// The lost actions the user can still call, but only under conditions now: their condition keys.
    public var narrowed: [String: [String]] = [:]
    /// Risk finding codes (``RiskRule/standard``) of the user's access in the account that appear with this
    /// permission set's session, in the order of ``RiskRule/standardCodes``.
    public var findingsGained: [String] = []
    /// Risk finding codes the user's access in the account had, through this permission set, and no longer has.
    public var findingsLost: [String] = []
  }

  /// Every change, by user name, account and permission set.
  public var changes: [Change]
  /// What each IAM role (not the roles Identity Center provisions) gains or loses through its own session, by
  /// account and role name: `user` and `permissionSet` are the role's name, `group` is `nil`; findings include the
  /// `external-access.*` codes of its trust policy.
  public var roleChanges: [Change] = []
  /// Roles whose session could not be evaluated on a side: left out of the comparison, never taken as no access.
  public var unavailableRoles: [(role: String, account: String, reason: String)] = []
  /// Sessions that could not be evaluated (an account whose IAM was not collected, policies in the wrong slot):
  /// their accounts are left out of the comparison for that user, never taken as no access.
  public var unavailable: [(user: String, account: String, permissionSet: String, reason: String)]

  /// Compares two versions of an organization.
  public init(before: Organization, after: Organization, auditor: Auditor) {
    var keys = Keys()
    var sides = [keys.reach(before), keys.reach(after)]
    let pairs = Keys.rank(&sides)
    var audits = Audits(auditor: auditor)
    var memo: [Memo: [Change]] = [:]
    changes = []
    unavailable = []
    for user in Set(sides[0].entries.keys).union(sides[1].entries.keys).sorted() {
      let (was, now) = (sides[0].reached(user, pairs), sides[1].reached(user, pairs))
      guard was != now else { continue }
      let wasByAccount = Dictionary(grouping: was, by: \.account)
      let nowByAccount = Dictionary(grouping: now, by: \.account)
      for account in Set(wasByAccount.keys).union(nowByAccount.keys).sorted() {
        let (wasHere, nowHere) = (wasByAccount[account] ?? [], nowByAccount[account] ?? [])
        guard wasHere != nowHere else { continue }
        var granted: [Int: Result<Grants, SessionUnavailable>] = [:]
        for entry in wasHere { granted[entry.key] = audits.granted(entry, before) }
        for entry in nowHere { granted[entry.key] = audits.granted(entry, after) }
        let failed = (wasHere + nowHere).compactMap { entry -> (Reach, SessionUnavailable)? in
          if case .failure(let reason) = granted[entry.key] { return (entry, reason) }
          return nil
        }
        if !failed.isEmpty {
          unavailable += failed.map { (user, account, $0.0.permissionSet, $0.1.message) }
          continue
        }
        // Users whose sessions in the account have the same keys, through the same groups, change the same way.
        let memoKey = Memo(was: wasHere, now: nowHere, groups: (wasHere + nowHere).map(\.group))
        if let known = memo[memoKey] {
          changes += known.map { change in
            var change = change
            change.user = user
            return change
          }
          continue
        }
        let grants = { (entry: Reach) in (try? granted[entry.key]?.get()) ?? Grants() }
        // The user's access in the account: an action is unconditional when one permission set grants it so.
        let merged = { (entries: [Reach]) -> (actions: [String: Grant], findings: Set<String>) in
          var actions: [String: Grant] = [:]
          var findings: Set<String> = []
          for entry in entries {
            let own = grants(entry)
            findings.formUnion(own.findings)
            for (action, grant) in own.actions { actions[action] = actions[action].map { $0.merged(grant) } ?? grant }
          }
          return (actions, findings)
        }
        let (was, now) = (merged(wasHere), merged(nowHere))
        let (gained, lost) = Grant.delta(was.actions, now.actions)
        let (findingsGained, findingsLost) = (now.findings.subtracting(was.findings), was.findings.subtracting(now.findings))
        var byPermissionSet: [String: Change] = [:]
        func change(_ entry: Reach) -> Change {
          byPermissionSet[entry.permissionSet]
            ?? Change(user: user, account: account, permissionSet: entry.permissionSet, group: entry.group, gained: [], lost: [])
        }
        for entry in nowHere {
          let own = grants(entry)
          // A widened action comes through the permission sets that grant it without conditions.
          let via = gained.filter { action in
            own.actions[action].map { was.actions[action] == nil || !$0.conditional } ?? false
          }
          let findings = findingsGained.intersection(own.findings)
          guard !via.isEmpty || !findings.isEmpty else { continue }
          var made = change(entry)
          made.gained = audits.ordered(via)
          made.widened = made.gained.filter { was.actions[$0] != nil }
          for action in via { if let grant = own.actions[action], grant.conditional { made.conditions[action] = grant.keys } }
          made.findingsGained = audits.orderedFindings(findings)
          byPermissionSet[entry.permissionSet] = made
        }
        for entry in wasHere {
          let own = grants(entry)
          let via = lost.filter { action in
            own.actions[action].map { now.actions[action] == nil || !$0.conditional } ?? false
          }
          let findings = findingsLost.intersection(own.findings)
          guard !via.isEmpty || !findings.isEmpty else { continue }
          var made = change(entry)
          made.lost = audits.ordered(via)
          for action in via { if let grant = now.actions[action] { made.narrowed[action] = grant.keys } }
          made.findingsLost = audits.orderedFindings(findings)
          byPermissionSet[entry.permissionSet] = made
        }
        let made = byPermissionSet.keys.sorted().map { byPermissionSet[$0]! }
        memo[memoKey] = made
        changes += made
      }
    }
    compareRoles(before, after, &audits)
  }

  /// Compares every IAM role of both versions: a role whose session (policies, boundary, SCPs, tags) and trust
  /// policy say the same on both sides is unchanged and is not audited; the others are audited on each side.
  private mutating func compareRoles(_ before: Organization, _ after: Organization, _ audits: inout Audits) {
    let sides = [RoleSide(before), RoleSide(after)]
    for account in Set(sides[0].roles.keys).union(sides[1].roles.keys).sorted() {
      let names = Set((sides[0].roles[account] ?? [:]).keys).union((sides[1].roles[account] ?? [:]).keys)
      for key in names.sorted() {
        let sessions = sides.map { side in side.roles[account]?[key].map { side.session($0, account: account) } }
        let name = (sides[1].roles[account]?[key] ?? sides[0].roles[account]?[key])!.name
        if let failed = sessions.lazy.compactMap({ $0?.failure }).first {
          unavailableRoles.append((name, account, failed.message))
          continue
        }
        if let first = sessions[0], let second = sessions[1], first.key == second.key { continue }
        let granted = sessions.map { session in session.map { $0.grants(&audits) } }
        guard granted.allSatisfy({ $0 == nil || $0! != nil }) else {
          unavailableRoles.append((name, account, "its policies cannot be audited"))
          continue
        }
        let (old, new) = ((granted[0] ?? nil) ?? Grants(), (granted[1] ?? nil) ?? Grants())
        var change = Change(user: name, account: account, permissionSet: name, group: nil, gained: [], lost: [])
        let (gained, lost) = Grant.delta(old.actions, new.actions)
        change.gained = audits.ordered(gained)
        change.lost = audits.ordered(lost)
        change.widened = change.gained.filter { old.actions[$0] != nil }
        for action in gained { if let grant = new.actions[action], grant.conditional { change.conditions[action] = grant.keys } }
        for action in lost { if let grant = new.actions[action] { change.narrowed[action] = grant.keys } }
        change.findingsGained = audits.orderedFindings(new.findings.subtracting(old.findings))
        change.findingsLost = audits.orderedFindings(old.findings.subtracting(new.findings))
        guard !change.gained.isEmpty || !change.lost.isEmpty || !change.findingsGained.isEmpty
          || !change.findingsLost.isEmpty
        else { continue }
        roleChanges.append(change)
      }
    }
  }
}

/// One version's IAM roles (not Identity Center's, not service-linked), by account and lower-cased name.
struct RoleSide {
  let organization: Organization
  var roles: [String: [String: IAMRole]] = [:]
  let accounts: [String]

  init(_ organization: Organization) {
    self.organization = organization
    accounts = organization.accounts.map(\.id)
    for account in organization.accounts {
      for role in account.iam?.roles ?? [] where !role.isIdentityCenterRole && !role.isServiceLinked {
        roles[account.id, default: [:]][role.name.lowercased()] = role
      }
    }
  }

  /// A role's session and what decides it; its audit is made only when asked (``RoleSession/grants(_:)``).
  func session(_ role: IAMRole, account: String) -> RoleSession {
    do {
      let session = try organization.session(for: .role(account: account, name: role.name))
      let policies = organization.policySet(for: session, resource: "*", resourceAccount: account)
      return RoleSession(
        role: role, account: account, session: session, policies: policies,
        key: RoleKey(account: account, role: role, policies: policies),
        zone: ZoneOfTrust(account: account, organizationID: organization.id, accounts: accounts), failure: nil)
    } catch {
      return RoleSession(
        role: role, account: account, session: nil, policies: PolicySet(),
        key: RoleKey(account: account, role: role, policies: PolicySet()),
        zone: ZoneOfTrust(account: account), failure: error)
    }
  }
}

/// An IAM role's session in one version.
struct RoleSession {
  let role: IAMRole
  let account: String
  let session: OrganizationSession?
  let policies: PolicySet
  let key: RoleKey
  let zone: ZoneOfTrust
  let failure: SessionUnavailable?

  /// What the session is granted and its findings, with the trust policy's external access. Roles whose policies
  /// say the same and read nothing of the caller that differs share one audit, as Identity Center sessions do.
  /// `nil` when the audit fails (policies in the wrong slot).
  func grants(_ audits: inout Audits) -> Grants? {
    guard let session else { return nil }
    let caller = CallerDependence(policies).auditKey(
      "", namesAccounts: CallerDependence.namesAccounts(policies), account: account
    ) { role.tags.map { ($0.key, $0.value) } }
    let shared = SharedRoleAudit(policies: key.policies, caller: caller ?? "\u{2}" + role.arn)
    var grants: Grants
    if let known = audits.roles[shared] {
      guard let known else { return nil }
      grants = known
    } else {
      let subject = AuditSubject(
        name: "role \(role.name)@\(account)", account: account, principal: session.principal, policies: policies,
        accounts: [account])
      guard let report = try? audits.auditor.audit(subject) else {
        audits.roles[shared] = .some(nil)
        return nil
      }
      grants = Grants(findings: Set(report.findings.map(\.code)))
      for action in report.granted {
        grants.actions[action.action] = Grant(
          conditional: action.conditional, keys: action.conditional ? action.conditionKeys : [])
      }
      audits.roles[shared] = grants
    }
    // The trust policy is the role's own: its external access is not shared.
    if let trust = try? audits.auditor.externalAccess(role.trustPolicy, zone: zone) {
      grants.findings.formUnion(trust.findings.map(\.code))
    }
    return grants
  }
}

/// What a role's session is decided on, by what its policies say: identity policies, boundary, SCP and RCP levels,
/// and whether the account is the management account.
struct RolePolicyContent: Hashable {
  var identity: [PolicyDocument.Content]
  var boundary: PolicyDocument.Content?
  var serviceControl: [[PolicyDocument.Content]]
  var resourceControl: [[PolicyDocument.Content]]
  var management: [Bool]
}

/// What decides an IAM role's grants and findings: the role (its ARN and tags, as principal), its policies and its
/// trust policy, by what the policies say. Equal on both sides for a role nothing changed, even when the two
/// versions were read from different files, so that such a role is not audited.
struct RoleKey: Hashable {
  var account: String
  var arn: String
  var tags: [IAMTag]
  var trust: PolicyDocument.Content
  var policies: RolePolicyContent

  init(account: String, role: IAMRole, policies: PolicySet) {
    self.account = account
    arn = role.arn
    tags = role.tags
    trust = role.trustPolicy.content
    self.policies = RolePolicyContent(
      identity: policies.identityPolicies.map(\.content), boundary: policies.permissionsBoundary?.content,
      serviceControl: policies.serviceControlPolicies.map { $0.map(\.content) },
      resourceControl: policies.resourceControlPolicies.map { $0.map(\.content) },
      management: [policies.principalAccountIsManagement, policies.resourceAccountIsManagement])
  }
}

/// The audit roles share: the same policies, and the same of what they read of the caller
/// (``CallerDependence/auditKey(_:namesAccounts:account:tags:)``; the role's ARN when they read more).
struct SharedRoleAudit: Hashable {
  var policies: RolePolicyContent
  var caller: String
}

/// A user's sessions in one account before and after (keys, permission sets and the groups they come through).
struct Memo: Hashable {
  var was: [Reach]
  var now: [Reach]
  var groups: [String?]
}

/// One permission set a user reaches in an account, and the key of what its session is allowed.
struct Reach: Sendable, Hashable {
  var user: String
  var permissionSet: String
  var account: String
  var group: String?
  var key: Int

  static func == (lhs: Reach, rhs: Reach) -> Bool {
    lhs.account == rhs.account && lhs.permissionSet == rhs.permissionSet && lhs.key == rhs.key
  }
  func hash(into hasher: inout Hasher) {
    hasher.combine(account)
    hasher.combine(permissionSet)
    hasher.combine(key)
  }
}

/// Numbers the policy sets of both versions by content, with what of the caller they read.
struct Keys {
  /// Policy sets by content (hashed once per distinct set of each version).
  private var policies: [PolicySet: Int] = [:]
  /// Keys by policy set number and what of the caller its policies read.
  private var numbers: [Content: Int] = [:]

  struct Content: Hashable {
    var policies: Int
    /// The principal tag values the policies read, or the caller when they read more; empty when nothing.
    var caller: String
  }

  /// What one version's users reach.
  struct Side {
    /// The (permission set, account) pairs assigned.
    var pairs: [(permissionSet: String, account: String)] = []
    /// By user name: the pairs reached, each once with its key and the group of the first assignment that gives it
    /// (-1 for a direct one), in the order of ``Keys/rank(_:)`` once ranked.
    var entries: [String: [(pair: Int32, key: Int32, group: Int32)]] = [:]
    var groups: [String] = []
    /// Each pair's rank in both versions' pairs sorted by account and permission set.
    var ranks: [Int32] = []

    /// A user's reach, by account and permission set.
    func reached(_ user: String, _ ranked: [(permissionSet: String, account: String)]) -> [Reach] {
      (entries[user] ?? []).map { entry in
        let (permissionSet, account) = ranked[Int(ranks[Int(entry.pair)])]
        return Reach(user: user, permissionSet: permissionSet, account: account,
                     group: entry.group < 0 ? nil : groups[Int(entry.group)], key: Int(entry.key))
      }
    }
  }

  private mutating func number(_ policies: Int, _ caller: String) -> Int32 {
    let content = Content(policies: policies, caller: caller)
    if let known = numbers[content] { return Int32(known) }
    numbers[content] = numbers.count
    return Int32(numbers.count - 1)
  }

  /// Every user's (permission set, account) pairs, joined through integer indexes: each pair's policies are
  /// assembled and numbered once, and only pairs whose policies read principal tags look at the user.
  mutating func reach(_ organization: Organization) -> Side {
    var side = Side()
    let store = organization.identityStore
    side.groups = store.groups.map(\.displayName)
    var userByID: [String: Int32] = [:]
    for (position, user) in store.users.enumerated() where user.id != nil && userByID[user.id!] == nil {
      userByID[user.id!] = Int32(truncatingIfNeeded: position)
    }
    var groupPosition: [String: Int32] = [:]
    for (position, group) in store.groups.enumerated() { groupPosition[group.displayName.lowercased()] = Int32(truncatingIfNeeded: position) }
    // By ``Organization/policyKey(permissionSet:account:resourceOwner:controlPath:)``: the number of the policy set
    // (-1 when no session forms) and what it reads of the caller.
    var sets: [String: (policies: Int, dependence: CallerDependence?, namesAccounts: Bool)] = [:]
    var pairIDs: [String: Int32] = [:]
    // `account`: what the key adds for the pair's account, when a Resource names a concrete account
    // (``CallerDependence/namesAccounts(_:)``): such policies decide differently per account, as in `audit --org`.
    var pairSets: [(policies: Int, dependence: CallerDependence?, uniform: Int32?, account: String)] = []
    var paths: [String: String] = [:]
    var reached = [[(pair: Int32, group: Int32)]](repeating: [], count: store.users.count)
    for assignment in organization.assignments {
      let members: [(user: Int32, group: Int32)]
      switch assignment.principalType {
      case .user:
        members = store.user(named: assignment.principal).flatMap { $0.id }.flatMap { userByID[$0] }.map { [(user: $0, group: Int32(-1))] } ?? []
      case .group:
        guard let group = groupPosition[assignment.principal.lowercased()] else { continue }
        members = Set(store.groups[Int(group)].memberIDs).compactMap { userByID[$0].map { ($0, group) } }
      }
      guard let first = members.min(by: { store.users[Int($0.user)].userName < store.users[Int($1.user)].userName }),
        let permissionSet = organization.permissionSet(named: assignment.permissionSet)
      else { continue }
      let account = assignment.account
      let pairKey = permissionSet.name + "\u{0}" + account
      let pair: Int32
      if let known = pairIDs[pairKey] {
        pair = known
      } else {
        let setKey = organization.policyKey(permissionSet: permissionSet, account: account, resourceOwner: account) { account, resources in
          let cacheKey = (resources ? "r" : "s") + account
          if let known = paths[cacheKey] { return known }
          let path = organization.controlPath(account, resources: resources)
          paths[cacheKey] = path
          return path
        }
        if sets[setKey] == nil {
          let caller = Caller.identityCenter(user: store.users[Int(first.user)].userName, permissionSet: permissionSet.name, account: account)
          if let session = try? organization.session(for: caller) {
            let set = organization.policySet(for: session, resource: "*", resourceAccount: account)
            let number = policies[set] ?? policies.count
            policies[set] = number
            sets[setKey] = (number, CallerDependence(set), CallerDependence.namesAccounts(set))
          } else {
            sets[setKey] = (-1, nil, false)
          }
        }
        let (number, dependence, namesAccounts) = sets[setKey]!
        let accountPart = namesAccounts ? "\u{3}" + account : ""
        pair = Int32(pairSets.count)
        pairIDs[pairKey] = pair
        side.pairs.append((permissionSet.name, account))
        pairSets.append(
          (number, dependence, dependence == CallerDependence.none ? self.number(number, accountPart) : nil, accountPart))
      }
      for (user, group) in members { reached[Int(user)].append((pair, group)) }
    }
    for (position, user) in store.users.enumerated() where !reached[position].isEmpty {
      var tags: [SessionTag]?
      var seen: Set<Int32> = []
      var entries: [(pair: Int32, key: Int32, group: Int32)] = []
      for (pair, group) in reached[position] where seen.insert(pair).inserted {
        let set = pairSets[Int(pair)]
        let key: Int32
        if let uniform = set.uniform {
          key = uniform
        } else if case .tags(let keys)? = set.dependence {
          if tags == nil { tags = organization.accessControl?.resolve(for: user).tags ?? [] }
          key = number(set.policies, set.account + CallerDependence.tagValues(keys, in: tags!.map { ($0.key, $0.value) }))
        } else {
          // Read per caller, or not evaluable (the audit says why): a key of its own.
          key = number(set.policies, "\u{2}" + user.userName + "\u{0}" + side.pairs[Int(pair)].account)
        }
        entries.append((pair, key, group))
      }
      side.entries[user.userName] = entries
    }
    return side
  }

  /// Ranks both versions' pairs by account and permission set, sorts each user's entries by rank, and returns the
  /// ranked pairs.
  static func rank(_ sides: inout [Side]) -> [(permissionSet: String, account: String)] {
    var all: [String: (permissionSet: String, account: String)] = [:]
    for side in sides {
      for pair in side.pairs { all[pair.account + "\u{0}" + pair.permissionSet] = pair }
    }
    let names = all.keys.sorted()
    let ranks = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
    for index in sides.indices {
      sides[index].ranks = sides[index].pairs.map { ranks[$0.account + "\u{0}" + $0.permissionSet]! }
      let order = sides[index].ranks
      for user in sides[index].entries.keys { sides[index].entries[user]!.sort { order[Int($0.pair)] < order[Int($1.pair)] } }
    }
    return names.map { all[$0]! }
  }
}

/// How a session is granted an action: only under conditions (with the keys of the granting statements) or not.
struct Grant: Sendable, Hashable {
  var conditional: Bool
  var keys: [String]

  /// Actions granted after and not before, or now without the conditions they needed; and the reverse.
  static func delta(_ was: [String: Grant], _ now: [String: Grant]) -> (gained: Set<String>, lost: Set<String>) {
    let gained = Set(now.compactMap { action, grant in
      was[action].map { $0.conditional && !grant.conditional } ?? true ? action : nil
    })
    let lost = Set(was.compactMap { action, grant in
      now[action].map { !grant.conditional && $0.conditional } ?? true ? action : nil
    })
    return (gained, lost)
  }

  /// The action granted by two sessions: unconditional when either grants it so, else under either's keys.
  func merged(_ other: Grant) -> Grant {
    guard conditional && other.conditional else { return Grant(conditional: false, keys: []) }
    return Grant(conditional: true, keys: Array(Set(keys).union(other.keys)).sorted())
  }
}

/// What one key's sessions are granted, and the risk finding codes of their audit.
struct Grants: Sendable {
  var actions: [String: Grant] = [:]
  var findings: Set<String> = []
}

/// The actions each key's sessions are granted, and their risk findings, audited once per key.
struct Audits {
  let auditor: Auditor
  private var granted: [Int: Result<Grants, SessionUnavailable>] = [:]
  /// IAM roles' audits, by what decides them.
  var roles: [SharedRoleAudit: Grants?] = [:]
  /// Catalog positions, to list actions in catalog order.
  private let positions: [String: Int]
  /// Positions of the finding codes in ``RiskRule/standardCodes``.
  private let codes: [String: Int]

  init(auditor: Auditor) {
    self.auditor = auditor
    positions = Dictionary(auditor.index.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    codes = Dictionary(RiskRule.standardCodes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  mutating func granted(_ entry: Reach, _ organization: Organization) -> Result<Grants, SessionUnavailable> {
    if let known = granted[entry.key] { return known }
    let result: Result<Grants, SessionUnavailable>
    do {
      let session = try organization.session(for: .identityCenter(user: entry.user, permissionSet: entry.permissionSet, account: entry.account))
      let subject = AuditSubject(
        name: "\(entry.permissionSet)@\(entry.account)", permissionSet: entry.permissionSet, account: entry.account,
        principal: session.principal, policies: organization.policySet(for: session, resource: "*", resourceAccount: entry.account),
        accounts: [entry.account])
      let report = try auditor.audit(subject)
      var grants = Grants(findings: Set(report.findings.map(\.code)))
      for action in report.granted {
        grants.actions[action.action] = Grant(conditional: action.conditional, keys: action.conditional ? action.conditionKeys : [])
      }
      result = .success(grants)
    } catch let error as SessionUnavailable {
      result = .failure(error)
    } catch {
      result = .failure(SessionUnavailable("organization.invalid-policies", "\(error)"))
    }
    granted[entry.key] = result
    return result
  }

  /// Actions in catalog order.
  func ordered(_ actions: Set<String>) -> [String] {
    actions.sorted { (positions[$0] ?? Int.max, $0) < (positions[$1] ?? Int.max, $1) }
  }

  /// Finding codes in the order of the standard rules.
  func orderedFindings(_ findings: Set<String>) -> [String] {
    findings.sorted { (codes[$0] ?? Int.max, $0) < (codes[$1] ?? Int.max, $1) }
  }
}
