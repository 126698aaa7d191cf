import Foundation
import IAMEvaluation
import IAMFederation
import IAMIdentityCenter
import IAMPolicy

/// A question about one request, asked of every caller: `who-can`.
public struct AccessQuery: Sendable {
  public var action: String
  public var resource: String
  public var resourceAccount: String?
  /// Keys every caller's request carries (`--context`), over the session's own.
  public var context: RequestContext
  public var resourcePolicy: PolicyDocument?
  /// Whether a caller whom the request is not allowed to, but would be under context the request lacks, is
  /// answered as allowed under that condition (``Response/changesIf``); `false` answers only unconditional allows.
  public var conditional: Bool

  public init(action: String, resource: String = "*", resourceAccount: String? = nil, context: RequestContext = RequestContext(),
              resourcePolicy: PolicyDocument? = nil, conditional: Bool = false) {
    self.action = action
    self.resource = resource
    self.resourceAccount = resourceAccount
    self.context = context
    self.resourcePolicy = resourcePolicy
    self.conditional = conditional
  }

  /// A session's answer, with the condition under which it would be allowed when the query is conditional.
  func decide(_ authorizer: Authorizer, _ session: OrganizationSession) -> Response {
    let request = request(session)
    var response = authorizer.authorize(request)
    if conditional && response.decision != .allowed { response.changesIf = authorizer.decisionCondition(for: request, response: response) }
    return response
  }

  /// The request a session makes.
  public func request(_ session: OrganizationSession) -> AuthorizationRequest {
    AuthorizationRequest(principal: session.principal, action: action, resource: resource, resourceAccount: resourceAccount,
                         context: session.context.merging(context))
  }
}

/// One caller's answer.
public struct CallerAnswer: Sendable {
  public var caller: Caller
  /// The group an Identity Center assignment or account access grant came through, if any.
  public var group: String?
  /// The caller's principal (session) ARN.
  public var principal: String
  public var response: Response

  public init(caller: Caller, group: String?, principal: String, response: Response) {
    self.caller = caller
    self.group = group
    self.principal = principal
    self.response = response
  }
}

/// Everyone's answers to one request.
public struct WhoCanResult: Sendable {
  /// The callers allowed: people first (by user name, each in the order of their assignments, then their account
  /// access grants), then IAM roles and IAM users in tree order; the order of ``Organization/callers``.
  public var allowed: AllowedCallers
  /// Callers whose sessions cannot be evaluated (an account whose IAM was not collected), and why.
  public var unknown: [(caller: Caller, reason: SessionUnavailable)]
}

/// The callers a request is allowed to, kept as small rows that refer to shared tables (user names, group
/// names, (permission set, account) pairs and the distinct responses), so that a million answers cost a few
/// bytes each; ``subscript(_:)`` builds a whole ``CallerAnswer``.
public struct AllowedCallers: RandomAccessCollection, Sendable {
  /// An Identity Center caller (`user` ≥ 0: indexes into the tables), or another caller (`user` < 0: `pair`
  /// indexes ``extras``). `group` is -1 for a direct assignment; `line` indexes ``lines`` (-1 for another caller).
  struct Row: Sendable {
    var user: Int32
    var pair: Int32
    var group: Int32
    var response: Int32
    var line: Int32
  }

  /// A (permission set, account) pair, with its session ARN up to the session name.
  struct Pair: Sendable {
    var permissionSet: String
    var account: String
    var sessionPrefix: String
  }

  /// The user names Identity Center rows refer to (``identityCenterRow(at:)``).
  public internal(set) var userNames: [String] = []
  var groupNames: [String] = []
  var pairs: [Pair] = []
  /// The distinct (pair, group) of Identity Center rows: rows with the same one differ only by user name.
  var lines: [(pair: Int32, group: Int32)] = []
  /// The distinct responses the rows refer to (``responseIndex(at:)``).
  public internal(set) var responses: [Response] = []
  var extras: [CallerAnswer] = []
  var rows: [Row] = []

  public var startIndex: Int { 0 }
  public var endIndex: Int { rows.count }

  public subscript(position: Int) -> CallerAnswer {
    let row = rows[position]
    guard row.user >= 0 else { return extras[Int(row.pair)] }
    return CallerAnswer(caller: caller(at: position), group: group(at: position), principal: principal(at: position),
                        response: responses[Int(row.response)])
  }

  /// The caller of a row, without building its answer.
  public func caller(at position: Int) -> Caller {
    let row = rows[position]
    guard row.user >= 0 else { return extras[Int(row.pair)].caller }
    let pair = pairs[Int(row.pair)]
    return .identityCenter(user: userNames[Int(row.user)], permissionSet: pair.permissionSet, account: pair.account)
  }

  /// The group a row's assignment or grant came through (`nil` for a direct one).
  public func group(at position: Int) -> String? {
    let row = rows[position]
    guard row.user >= 0 else { return extras[Int(row.pair)].group }
    return row.group < 0 ? nil : groupNames[Int(row.group)]
  }

  /// The principal (session) ARN of a row.
  public func principal(at position: Int) -> String {
    let row = rows[position]
    guard row.user >= 0 else { return extras[Int(row.pair)].principal }
    return pairs[Int(row.pair)].sessionPrefix + userNames[Int(row.user)]
  }

  /// An Identity Center row's user (a position in ``userNames``), and its permission set, account and group as a
  /// position in ``identityCenterLine(_:)`` (whose callers differ only by user name); `nil` for other callers.
  public func identityCenterRow(at position: Int) -> (user: Int, shared: Int)? {
    let row = rows[position]
    guard row.user >= 0 else { return nil }
    return (Int(row.user), Int(row.line))
  }

  /// The number of distinct (permission set, account, group) of Identity Center rows.
  public var identityCenterLineCount: Int { lines.count }

  /// The permission set, account and group (`nil`: a direct assignment) that the rows whose `shared` is `shared`
  /// have (``identityCenterRow(at:)``).
  public func identityCenterLine(_ shared: Int) -> (permissionSet: String, account: String, group: String?) {
    let (pair, group) = lines[shared]
    return (pairs[Int(pair)].permissionSet, pairs[Int(pair)].account, group < 0 ? nil : groupNames[Int(group)])
  }

  /// The position in ``responses`` of a row's response: rows with the same index have the same response.
  public func responseIndex(at position: Int) -> Int { Int(rows[position].response) }

  /// The number of rows ``Organization/whoCan(_:batches:)`` hands on at a time (at least).
  static let batchRows = 16_384

  /// The rows from `start` on (and the other callers from `start.extras` on), with the same tables.
  func batch(from start: (rows: Int, extras: Int), responses: [Response]) -> AllowedCallers {
    var batch = AllowedCallers()
    batch.userNames = userNames
    batch.groupNames = groupNames
    batch.pairs = pairs
    batch.lines = lines
    batch.responses = responses
    batch.extras = Array(extras[start.extras...])
    batch.rows = rows[start.rows...].map { row in
      var row = row
      if row.user < 0 { row.pair -= Int32(start.extras) }
      return row
    }
    return batch
  }

  /// Appends a caller that is not an Identity Center user's, whose response is `responses[response]`.
  mutating func append(_ answer: CallerAnswer, response: Int) {
    rows.append(Row(user: -1, pair: Int32(extras.count), group: -1, response: Int32(response), line: -1))
    extras.append(answer)
  }
}

extension Organization {
  /// Decides a request for every caller (``callers``), with the answers that ``session(for:samlAttributes:)``
  /// and ``policySet(for:resource:resourceAccount:resourcePolicy:)`` give one caller at a time, but with the work
  /// shared: sessions with the same policies (permission set, customer managed policies, SCP path, RCP path,
  /// management account, same-account or not) are compiled once; when those policies read nothing that differs
  /// between their callers (``CallerDependence``), the request is decided once for all of them, or once per
  /// combination of the principal tags they read. Users, groups and pairs are joined through integer indexes, each
  /// (permission set, account) pair is looked at once, and a pair denied to everyone costs nothing per person.
  /// Account access grants that are unusable are left out (they are load warnings).
  ///
  /// With `batches`, the allowed callers are also handed on as they are decided, in order: each call is an
  /// ``AllowedCallers`` of the next rows of ``WhoCanResult/allowed`` (with the responses given so far), so that they
  /// can be written, on another thread, while the later ones are decided.
  public func whoCan(_ query: AccessQuery, batches: ((AllowedCallers) -> Void)? = nil) -> WhoCanResult {
    var shared = SharedDecisions(organization: self, query: query)
    var result = WhoCanResult(allowed: AllowedCallers(), unknown: [])
    let users = identityStore.users
    let groups = identityStore.groups
    result.allowed.userNames = users.map(\.userName)
    result.allowed.groupNames = groups.map(\.displayName)
    var userByID: [String: Int32] = [:]
    var userByName: [String: Int32] = [:]
    for (position, user) in users.enumerated() {
      if let id = user.id, userByID[id] == nil { userByID[id] = Int32(position) }
      if userByName[user.userName.lowercased()] == nil { userByName[user.userName.lowercased()] = Int32(position) }
    }
    var groupByName: [String: Int32] = [:]
    for (position, group) in groups.enumerated() where groupByName[group.displayName.lowercased()] == nil {
      groupByName[group.displayName.lowercased()] = Int32(position)
    }
    // The users an assignment or grant names: the user, or the group's direct members (in the order of their IDs,
    // with the group).
    var membersOf: [String: [(user: Int32, group: Int32)]] = [:]
    func members(_ type: PrincipalType, _ principal: String) -> [(user: Int32, group: Int32)] {
      let key = type.rawValue + principal.lowercased()
      if let known = membersOf[key] { return known }
      var found: [(user: Int32, group: Int32)] = []
      switch type {
      case .user:
        if let user = userByName[principal.lowercased()] { found = [(user, -1)] }
      case .group:
        if let group = groupByName[principal.lowercased()] {
          found = Set(groups[Int(group)].memberIDs).sorted().compactMap { id in userByID[id].map { ($0, group) } }
        }
      }
      membersOf[key] = found
      return found
    }
    // Each assignment's (permission set, account) pair, decided once when it can be; the people come after, and only
    // for pairs that are not denied to everyone.
    var pairIDs: [String: Int32] = [:]
    var newPairs: [(assignment: Assignment, first: (user: IdentityStoreUser, group: String?)?)] = []
    var assigned: [(pair: Int32, found: [(user: Int32, group: Int32)])] = []
    assigned.reserveCapacity(assignments.count)
    for assignment in assignments {
      let key = assignment.permissionSet + "\u{0}" + assignment.account
      let pair: Int32
      let found = members(assignment.principalType, assignment.principal)
      if let known = pairIDs[key] {
        pair = known
      } else {
        pair = Int32(newPairs.count)
        pairIDs[key] = pair
        // The member with the smallest ID: members are in the order of their IDs.
        let first = found.first
        newPairs.append((assignment, first.map { first in
          (users[Int(first.user)], first.group < 0 ? nil : groups[Int(first.group)].displayName)
        }))
      }
      assigned.append((pair, found))
    }
    let pairOutcomes = shared.pairOutcomes(newPairs)
    for ((assignment, _), outcome) in zip(newPairs, pairOutcomes) {
      result.allowed.pairs.append(AllowedCallers.Pair(
        permissionSet: assignment.permissionSet, account: assignment.account, sessionPrefix: outcome.sessionPrefix))
    }
    var reached = [[(pair: Int32, group: Int32, line: Int32)]](repeating: [], count: users.count)
    // Each (pair, group) an assignment gives its members: the members' rows share it.
    var lineIDs: [Int64: Int32] = [:]
    for (pair, found) in assigned {
      if case .deniedToAll = pairOutcomes[Int(pair)] { continue }
      // The members of one assignment have the same group (-1 for a user's own).
      guard let group = found.first?.group else { continue }
      let lineKey = Int64(pair) << 32 | Int64(group + 1)
      let line: Int32
      if let known = lineIDs[lineKey] {
        line = known
      } else {
        line = Int32(result.allowed.lines.count)
        lineIDs[lineKey] = line
        result.allowed.lines.append((pair, group))
      }
      for (user, _) in found { reached[Int(user)].append((pair, group, line)) }
    }
    var grantsReached = [[(grant: Int, group: Int32)]](repeating: [], count: users.count)
    for (position, grant) in accountAccess.grants.enumerated() {
      for (user, group) in members(grant.principalType, grant.principal) { grantsReached[Int(user)].append((position, group)) }
    }
    var lastUser = [Int32](repeating: -1, count: pairOutcomes.count)
    // Pairs decided once for all their callers: the response, without looking at the person (-1: per person).
    let uniform = pairOutcomes.map { outcome -> Int32 in
      guard case .ready(let pair) = outcome, let response = pair.set.uniform else { return -1 }
      return Int32(response)
    }
    // Pairs whose set reads principal tags: its decisions by combination of tag values.
    let taggedSets = pairOutcomes.map { outcome -> SharedDecisions.CompiledSet? in
      guard case .ready(let pair) = outcome, pair.set.tags != nil else { return nil }
      return pair.set
    }
    let userNames = result.allowed.userNames
    let groupNames = result.allowed.groupNames
    // At most one row per pair a user reaches.
    result.allowed.rows.reserveCapacity(reached.reduce(0) { $0 + $1.count })
    // The rows and other callers handed on so far.
    var handedOn = (rows: 0, extras: 0)
    func handOn(all: Bool) {
      let waiting = result.allowed.rows.count - handedOn.rows
      guard let batches, waiting >= (all ? 1 : AllowedCallers.batchRows) else { return }
      batches(result.allowed.batch(from: handedOn, responses: shared.responses))
      handedOn = (result.allowed.rows.count, result.allowed.extras.count)
    }
    for user in users.indices.sorted(by: { userNames[$0] < userNames[$1] }) {
      handOn(all: false)
      for (pair, group, line) in reached[user] where lastUser[Int(pair)] != Int32(user) {
        lastUser[Int(pair)] = Int32(user)
        if uniform[Int(pair)] >= 0 {
          // Denied uniform pairs are `deniedToAll` and never reached: this one is allowed (or conditionally).
          result.allowed.rows.append(AllowedCallers.Row(
            user: Int32(user), pair: pair, group: group, response: uniform[Int(pair)], line: line))
          continue
        }
        if let set = taggedSets[Int(pair)], let response = shared.known(user: user, set: set) {
          // Decided for a caller with the same tag values.
          if shared.allowed[response] {
            result.allowed.rows.append(AllowedCallers.Row(
              user: Int32(user), pair: pair, group: group, response: Int32(response), line: line))
          }
          continue
        }
        switch shared.identityCenter(user: user, group: group < 0 ? nil : groupNames[Int(group)], pair: pairOutcomes[Int(pair)]) {
        case .denied: break
        case .unavailable(let reason):
          let assigned = result.allowed.pairs[Int(pair)]
          result.unknown.append((.identityCenter(user: users[user].userName, permissionSet: assigned.permissionSet, account: assigned.account), reason))
        case .allowed(let response):
          result.allowed.rows.append(AllowedCallers.Row(
            user: Int32(user), pair: pair, group: group, response: Int32(response), line: line))
        case .allowedAs(let principal, let response):
          let assigned = result.allowed.pairs[Int(pair)]
          result.allowed.append(CallerAnswer(
            caller: .identityCenter(user: users[user].userName, permissionSet: assigned.permissionSet, account: assigned.account),
            group: group < 0 ? nil : groups[Int(group)].displayName, principal: principal, response: shared.responses[response]),
            response: response)
        }
      }
      var seenGrants: Set<Caller> = []
      for (position, group) in grantsReached[user] {
        let grant = accountAccess.grants[position]
        let caller = Caller.accountAccess(user: users[user].userName, account: grant.account, role: grant.role)
        guard seenGrants.insert(caller).inserted else { continue }
        result.record(caller, group: group < 0 ? nil : groups[Int(group)].displayName, shared.alone(caller), shared)
      }
    }
    for account in accounts {
      for role in account.iam?.roles ?? [] where !role.isIdentityCenterRole {
        let caller = Caller.role(account: account.id, name: role.name)
        result.record(caller, group: nil, shared.alone(caller), shared)
      }
      for user in account.iam?.users ?? [] {
        let caller = Caller.iamUser(account: account.id, name: user.name)
        result.record(caller, group: nil, shared.alone(caller), shared)
      }
    }
    handOn(all: true)
    result.allowed.responses = shared.responses
    return result
  }
}

extension Organization {
  /// A key equal for two sessions exactly when their policy sets are the same, as `policySet(for:…)` builds them:
  /// the permission set, what its customer managed policies resolve to in the account (the same documents in two
  /// accounts give the same key: customer managed policies are named by path and name, not account), the SCP path
  /// of the account and the RCP path of the resource's account, whether they are the same account, and whether
  /// either is the management account.
  public func policyKey(
    permissionSet: PermissionSet, account: String, resourceOwner owner: String,
    controlPath cached: ((String, Bool) -> String)? = nil
  ) -> String {
    var usesCustomerManaged = !permissionSet.customerManagedPolicies.isEmpty
    if case .customerManaged = permissionSet.permissionsBoundary { usesCustomerManaged = true }
    let path = { (account: String, resources: Bool) -> String in
      cached?(account, resources) ?? self.controlPath(account, resources: resources)
    }
    return [
      permissionSet.name, usesCustomerManaged ? customerManagedKey(permissionSet, account: account) : "", path(account, false),
      path(owner, true),
      owner == account ? "same" : "other", account == managementAccount ? "management" : "",
      owner == managementAccount ? "management" : "",
    ].joined(separator: "\u{0}")
  }

  /// What a permission set's customer managed policies (and boundary) resolve to in an account: each reference's
  /// document, by content, or why it does not resolve.
  func customerManagedKey(_ permissionSet: PermissionSet, account: String) -> String {
    guard let iam = self.account(account)?.iam else { return "not-collected:" + account }
    var references = permissionSet.customerManagedPolicies
    if case .customerManaged(let boundary) = permissionSet.permissionsBoundary { references.append(boundary) }
    return references.map { reference in
      iam.policy(path: reference.path, name: reference.name).map { String(documents.number($0.document)) } ?? "missing:" + account
    }.joined(separator: ",")
  }

  /// The SCP (or RCP) path of an account: the control policies at each level, root first.
  public func controlPath(_ account: String, resources: Bool) -> String {
    let levels = resources ? resourceControlLevels(for: account) : serviceControlLevels(for: account)
    return levels.map { $0.map(\.name).joined(separator: ",") }.joined(separator: "|") + (levels.isEmpty ? "none" : "")
  }
}

extension WhoCanResult {
  mutating func record(_ caller: Caller, group: String?, _ outcome: SharedDecisions.Outcome, _ shared: SharedDecisions) {
    switch outcome {
    case .allowedAs(let principal, let response):
      allowed.append(CallerAnswer(caller: caller, group: group, principal: principal, response: shared.responses[response]),
                     response: response)
    case .allowed, .denied: break
    case .unavailable(let reason): unknown.append((caller, reason))
    }
  }
}

/// The compiled policies and decisions `whoCan` shares between callers.
struct SharedDecisions {
  enum Outcome {
    /// Allowed, with the pair's session ARN and this response (an index of ``responses``).
    case allowed(response: Int)
    /// Allowed, with this principal and response.
    case allowedAs(principal: String, response: Int)
    case denied
    case unavailable(SessionUnavailable)
  }

  /// What is known of one (permission set, account) pair before its people are: denied to every caller (the
  /// people need not be looked at), decided for callers one by one (or by their tags), or without a session.
  enum PairOutcome {
    case deniedToAll
    case ready(Pair)
    case unavailable(SessionUnavailable)

    /// The pair's session ARN without the session name (empty when no session formed).
    var sessionPrefix: String {
      if case .ready(let pair) = self { return pair.sessionPrefix }
      return ""
    }
  }

  /// A (permission set, account) pair whose callers may be allowed: the session ARN up to the session name (the
  /// user name), and the compiled policies its sessions share.
  final class Pair {
    let permissionSet: PermissionSet
    let account: String
    let sessionPrefix: String
    let set: CompiledSet

    init(permissionSet: PermissionSet, account: String, sessionPrefix: String, set: CompiledSet) {
      self.permissionSet = permissionSet
      self.account = account
      self.sessionPrefix = sessionPrefix
      self.set = set
    }
  }

  /// The policies shared by every pair with the same permission set, customer managed policies, control policy
  /// paths and account relations, compiled once, with the decisions made so far.
  final class CompiledSet {
    let authorizer: Result<Authorizer, PolicySetError>
    let dependence: CallerDependence
    /// The decision (an index of ``SharedDecisions/responses``) when the set reads nothing of the caller.
    var uniform: Int?
    /// The users' combinations of the tags the set reads, when it reads tags.
    let tags: TagCombinations?
    /// Decisions by combination of tag values (-1: not decided yet).
    var byCombination: [Int32] = []

    /// The decision for a combination of tag values, if made.
    func decided(_ combination: Int32) -> Int? {
      Int(combination) < byCombination.count && byCombination[Int(combination)] >= 0 ? Int(byCombination[Int(combination)]) : nil
    }

    /// Records the decision for a combination of tag values.
    func decide(_ combination: Int32, _ response: Int) {
      if byCombination.count <= Int(combination) {
        byCombination += [Int32](repeating: -1, count: Int(combination) + 1 - byCombination.count)
      }
      byCombination[Int(combination)] = Int32(response)
    }

    init(_ compiled: Compiled, tags: (Set<String>) -> TagCombinations) {
      authorizer = compiled.authorizer
      dependence = compiled.dependence
      if case .tags(let keys) = dependence { self.tags = tags(keys) } else { self.tags = nil }
    }
  }

  /// What compiling a set's policies gives: the authorizer, what the policies read of the caller, and the response
  /// to the first session's request when they read nothing of it.
  struct Compiled: Sendable {
    let authorizer: Result<Authorizer, PolicySetError>
    let dependence: CallerDependence
    let uniform: Response?

    init(_ policies: PolicySet, session: OrganizationSession, query: AccessQuery) {
      authorizer = Result { () throws(PolicySetError) in try Authorizer(policies) }
      dependence = CallerDependence(policies)
      if case .success(let authorizer) = authorizer, dependence == .none {
        uniform = query.decide(authorizer, session)
      } else {
        uniform = nil
      }
    }
  }

  /// For one set of principal tag keys: each user's combination of their values, as a small number; users with
  /// the same values share a number.
  final class TagCombinations {
    let keys: Set<String>
    /// By user position in the identity store; -1 until worked out.
    var byUser: [Int32]
    var numbers: [String: Int32] = [:]

    init(keys: Set<String>, users: Int) {
      self.keys = keys
      byUser = [Int32](repeating: -1, count: users)
    }
  }

  let organization: Organization
  let query: AccessQuery
  /// Every distinct response given so far.
  private(set) var responses: [Response] = []
  /// Whether each of ``responses`` is allowed or conditionally allowed.
  private(set) var allowed: [Bool] = []
  private var sets: [String: CompiledSet] = [:]
  private var tagCombinations: [Set<String>: TagCombinations] = [:]

  init(organization: Organization, query: AccessQuery) {
    self.organization = organization
    self.query = query
  }

  private mutating func register(_ response: Response) -> Int {
    responses.append(response)
    allowed.append(response.allowedOrConditionally)
    return responses.count - 1
  }

  /// The outcomes of new pairs, each from the assignment that names it first and that assignment's first member by
  /// ID (`nil`: nobody), in order; when a pair's decision does not depend on the caller, the decision. A session is
  /// formed only for the first pair of each set. What does not depend on the pairs before (the keys, compiling the
  /// policies) is worked out on every core; the rest in order, so the answers are those of one pair at a time.
  mutating func pairOutcomes(_ pairs: [(assignment: Assignment, first: (user: IdentityStoreUser, group: String?)?)])
    -> [PairOutcome]
  {
    // Each pair's permission set, set key and session ARN prefix (`nil`: denied to all), lanes keeping their own
    // control path caches.
    typealias Keyed = (permissionSet: PermissionSet, key: String, prefix: String)?
    let organization = organization
    let query = query
    let lanes = pairs.count < 256 ? 1 : ProcessInfo.processInfo.activeProcessorCount
    let keyed = ResultBuffer<Keyed>(count: pairs.count, initial: nil)
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
      var paths: [String: String] = [:]
      func path(_ account: String, resources: Bool) -> String {
        let cacheKey = (resources ? "r" : "s") + account
        if let known = paths[cacheKey] { return known }
        let found = organization.controlPath(account, resources: resources)
        paths[cacheKey] = found
        return found
      }
      let range = pairs.count * lane / lanes..<pairs.count * (lane + 1) / lanes
      for index in range {
        let (assignment, first) = pairs[index]
        guard first != nil, let permissionSet = organization.permissionSet(named: assignment.permissionSet)
        else { continue }
        let account = assignment.account
        let owner = Organization.resourceOwner(resource: query.resource, resourceAccount: query.resourceAccount,
                                               callerAccount: account)
        let (scpPath, rcpPath) = (path(account, resources: false), path(owner, resources: true))
        let key = organization.policyKey(permissionSet: permissionSet, account: account, resourceOwner: owner) {
          $1 ? rcpPath : scpPath
        }
        let prefix = organization.identityCenterSession(permissionSet: permissionSet.name, account: account, user: nil)
          .sessionARNPrefix
        keyed[index] = (permissionSet, key, prefix)
      }
    }
    // In order: the set of each pair, known or new; a new set's first session. Sessions of pairs with the same key
    // form alike: what can fail, resolving customer managed policies, is part of the key, and a set is kept only once
    // a session formed.
    enum Found {
      case deniedToAll
      case unavailable(SessionUnavailable)
      case known(CompiledSet, prefix: String)
      case new(Int, prefix: String)
    }
    var found: [Found] = []
    found.reserveCapacity(pairs.count)
    var newKeys: [String: Int] = [:]
    var newSets: [(key: String, policies: PolicySet, session: OrganizationSession)] = []
    for (index, (assignment, first)) in pairs.enumerated() {
      guard let first, let (permissionSet, key, prefix) = keyed[index] else {
        found.append(.deniedToAll)
        continue
      }
      if let known = sets[key] {
        found.append(.known(known, prefix: prefix))
      } else if let new = newKeys[key] {
        found.append(.new(new, prefix: prefix))
      } else {
        do {
          let session = try organization.assignedSession(user: first.user, permissionSet: permissionSet,
                                                         account: assignment.account, group: first.group)
          newKeys[key] = newSets.count
          found.append(.new(newSets.count, prefix: prefix))
          newSets.append((key, organization.policySet(for: session, resource: query.resource,
                                                      resourceAccount: query.resourceAccount,
                                                      resourcePolicy: query.resourcePolicy), session))
        } catch {
          found.append(.unavailable(error))
        }
      }
    }
    // The new sets compiled, on every core.
    let compiled = ResultBuffer<Compiled?>(count: newSets.count, initial: nil)
    let toCompile = newSets
    let compileLanes = newSets.count < 2 ? 1 : ProcessInfo.processInfo.activeProcessorCount
    DispatchQueue.concurrentPerform(iterations: compileLanes) { lane in
      for index in stride(from: lane, to: toCompile.count, by: compileLanes) {
        compiled[index] = Compiled(toCompile[index].policies, session: toCompile[index].session, query: query)
      }
    }
    // In order: the sets kept, and their decisions registered.
    let users = organization.identityStore.users.count
    var made: [CompiledSet] = []
    for (index, new) in newSets.enumerated() {
      let set = CompiledSet(compiled[index]!) { keys in
        if let known = self.tagCombinations[keys] { return known }
        let made = TagCombinations(keys: keys, users: users)
        self.tagCombinations[keys] = made
        return made
      }
      if let uniform = compiled[index]!.uniform { set.uniform = register(uniform) }
      self.sets[new.key] = set
      made.append(set)
    }
    return found.enumerated().map { index, found in
      let set: CompiledSet
      let prefix: String
      switch found {
      case .deniedToAll: return .deniedToAll
      case .unavailable(let reason): return .unavailable(reason)
      case .known(let known, let knownPrefix): (set, prefix) = (known, knownPrefix)
      case .new(let newSet, let newPrefix): (set, prefix) = (made[newSet], newPrefix)
      }
      if let uniform = set.uniform, !allowed[uniform] { return .deniedToAll }
      return .ready(Pair(permissionSet: keyed[index]!.permissionSet, account: pairs[index].assignment.account,
                         sessionPrefix: prefix, set: set))
    }
  }

  /// The response already given to a caller of a pair whose set reads principal tags, for a caller with the same
  /// tag values; `nil` when none was given yet (``identityCenter(user:group:pair:)`` decides it).
  func known(user position: Int, set: CompiledSet) -> Int? {
    guard let tags = set.tags else { return nil }
    return set.decided(combination(tags, user: position))
  }

  /// An Identity Center caller's outcome; a session is formed only when the decision depends on who it is and
  /// no caller with the same tag values was decided before.
  mutating func identityCenter(user position: Int, group: String?, pair outcome: PairOutcome) -> Outcome {
    switch outcome {
    case .deniedToAll:
      return .denied
    case .unavailable(let reason):
      return .unavailable(reason)
    case .ready(let pair):
      let compiled = pair.set
      let response: Int
      if let uniform = compiled.uniform {
        response = uniform
      } else if let tags = compiled.tags, let known = compiled.decided(combination(tags, user: position)) {
        response = known
      } else {
        let authorizer: Authorizer
        let session: OrganizationSession
        switch compiled.authorizer {
        case .success(let compiledAuthorizer): authorizer = compiledAuthorizer
        case .failure(let error): return .unavailable(SessionUnavailable("organization.invalid-policies", error.message))
        }
        do { session = try ownSession(position, pair, group: group) } catch { return .unavailable(error) }
        let decided = query.decide(authorizer, session)
        if let tags = compiled.tags {
          response = register(decided)
          compiled.decide(combination(tags, user: position), response)
          return decided.allowedOrConditionally ? .allowed(response: response) : .denied
        }
        guard decided.allowedOrConditionally else { return .denied }
        return .allowedAs(principal: session.principal.arn, response: register(decided))
      }
      return allowed[response] ? .allowed(response: response) : .denied
    }
  }

  /// The user's own session of a pair.
  private func ownSession(_ user: Int, _ pair: Pair, group: String?) throws(SessionUnavailable) -> OrganizationSession {
    try organization.assignedSession(user: organization.identityStore.users[user], permissionSet: pair.permissionSet,
                                     account: pair.account, group: group)
  }

  /// A caller decided on its own: account access manager sessions, IAM roles and users.
  mutating func alone(_ caller: Caller) -> Outcome {
    let session: OrganizationSession
    do {
      session = try organization.session(for: caller)
    } catch {
      // An unusable account access grant is a load warning; anything else that forms no session is listed as not
      // evaluated, never taken as a denial.
      return error.code == .unusableGrant ? .denied : .unavailable(error)
    }
    let policies = organization.policySet(for: session, resource: query.resource, resourceAccount: query.resourceAccount,
                                          resourcePolicy: query.resourcePolicy)
    let response: Response
    do {
      response = query.decide(try Authorizer(policies), session)
    } catch {
      return .unavailable(SessionUnavailable("organization.invalid-policies", error.message))
    }
    guard response.allowedOrConditionally else { return .denied }
    return .allowedAs(principal: session.principal.arn, response: register(response))
  }

  /// The number of a user's combination of the values of the tags (ABAC attributes) in `tags`.
  private func combination(_ tags: TagCombinations, user position: Int) -> Int32 {
    if tags.byUser[position] >= 0 { return tags.byUser[position] }
    let values = organization.accessControl?.resolve(for: organization.identityStore.users[position]).tags ?? []
    let key = CallerDependence.tagValues(tags.keys, in: values.map { ($0.key, $0.value) })
    let number = tags.numbers[key] ?? Int32(tags.numbers.count)
    tags.numbers[key] = number
    tags.byUser[position] = number
    return number
  }
}
