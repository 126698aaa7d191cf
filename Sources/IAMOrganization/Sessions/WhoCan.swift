import IAMEvaluation

/// A question about one request, asked of every caller: `who-can`.
public struct AccessQuery: Sendable {
  public var action: String
  public var resource: String
  public var resourceAccount: String?
  /// Keys every caller's request carries (`--context`), over the session's own.
  public var context: RequestContext
  public var resourcePolicy: PolicyDocument?

  public init(action: String, resource: String = "*", resourceAccount: String? = nil, context: RequestContext = RequestContext(),
              resourcePolicy: PolicyDocument? = nil) {
    self.action = action
    self.resource = resource
    self.resourceAccount = resourceAccount
    self.context = context
    self.resourcePolicy = resourcePolicy
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
}

/// Everyone's answers to one request.
public struct WhoCanResult: Sendable {
  /// The callers allowed: people first (by user name, each in the order of their assignments, then their account
  /// access grants), then IAM roles and IAM users in tree order; the order of ``Organization/callers``.
  public var allowed: [CallerAnswer]
  /// Callers whose sessions cannot be evaluated (an account whose IAM was not collected), and why.
  public var unknown: [(caller: Caller, reason: SessionUnavailable)]
}

extension Organization {
  /// Decides a request for every caller (``callers``), with the answers that ``session(for:samlAttributes:)``
  /// and ``policySet(for:resource:resourceAccount:resourcePolicy:)`` give one caller at a time, but with the work
  /// shared: sessions with the same policies (permission set, customer managed policies, SCP path, RCP path,
  /// management account, same-account or not) are compiled once; when those policies read nothing that differs
  /// between their callers (``CallerDependence``), the request is decided once for all of them, or once per
  /// combination of the principal tags they read. Account access grants that are unusable are left out (they are
  /// load warnings).
  public func whoCan(_ query: AccessQuery) -> WhoCanResult {
    var shared = SharedDecisions(organization: self, query: query)
    var result = WhoCanResult(allowed: [], unknown: [])
    // Each assignment's (permission set, account) pair, decided once when it can be; the people come after, and only
    // for pairs that are not denied to everyone.
    var pairIDs: [String: Int] = [:]
    var pairOutcomes: [SharedDecisions.PairOutcome] = []
    var reached: [String: [(position: Int, pair: Int, group: String?)]] = [:]
    var users: [String: IdentityStoreUser] = [:]
    for (position, assignment) in assignments.enumerated() {
      let key = assignment.permissionSet + "\u{0}" + assignment.account
      let pair: Int
      if let known = pairIDs[key] {
        pair = known
      } else {
        pair = pairOutcomes.count
        pairIDs[key] = pair
        pairOutcomes.append(shared.pairOutcome(permissionSet: assignment.permissionSet, account: assignment.account,
                                               assignment: assignment))
      }
      if case .deniedToAll = pairOutcomes[pair] { continue }
      for (user, group) in members(of: assignment.principalType, assignment.principal) {
        users[user.userName] = user
        reached[user.userName, default: []].append((position, pair, group))
      }
    }
    var grantsReached: [String: [(grant: AccountAccessGrant, group: String?)]] = [:]
    for grant in accountAccess.grants {
      for (user, group) in members(of: grant.principalType, grant.principal) {
        users[user.userName] = user
        grantsReached[user.userName, default: []].append((grant, group))
      }
    }
    for userName in users.keys.sorted() {
      let user = users[userName]!
      var seen: Set<Int> = []
      for entry in (reached[userName] ?? []).sorted(by: { $0.position < $1.position }) where seen.insert(entry.pair).inserted {
        let assignment = assignments[entry.position]
        let caller = Caller.identityCenter(user: userName, permissionSet: assignment.permissionSet, account: assignment.account)
        result.record(caller, shared.identityCenter(caller, user: user, group: entry.group, pair: pairOutcomes[entry.pair]))
      }
      var seenGrants: Set<Caller> = []
      for (grant, group) in grantsReached[userName] ?? [] {
        let caller = Caller.accountAccess(user: userName, account: grant.account, role: grant.role)
        guard seenGrants.insert(caller).inserted else { continue }
        result.record(caller, shared.alone(caller, group: group))
      }
    }
    for account in accounts {
      for role in account.iam?.roles ?? [] where !role.isIdentityCenterRole {
        let caller = Caller.role(account: account.id, name: role.name)
        result.record(caller, shared.alone(caller, group: nil))
      }
      for user in account.iam?.users ?? [] {
        let caller = Caller.iamUser(account: account.id, name: user.name)
        result.record(caller, shared.alone(caller, group: nil))
      }
    }
    return result
  }

  /// The users an assignment or grant names: the user, or the group's direct members (with the group's name).
  private func members(of type: PrincipalType, _ principal: String) -> [(IdentityStoreUser, String?)] {
    switch type {
    case .user:
      return identityStore.user(named: principal).map { [($0, nil)] } ?? []
    case .group:
      guard let group = identityStore.group(named: principal) else { return [] }
      return Set(group.memberIDs).sorted().compactMap { id in identityStore.user(id: id).map { ($0, group.displayName) } }
    }
  }
}

extension WhoCanResult {
  mutating func record(_ caller: Caller, _ outcome: SharedDecisions.Outcome) {
    switch outcome {
    case .allowed(let answer): allowed.append(answer)
    case .denied: break
    case .unavailable(let reason): unknown.append((caller, reason))
    }
  }
}

/// The compiled policies and decisions `whoCan` shares between callers.
struct SharedDecisions {
  enum Outcome {
    case allowed(CallerAnswer)
    case denied
    case unavailable(SessionUnavailable)
  }

  /// What is known of one (permission set, account) pair before its people are: denied to every caller (the
  /// people need not be looked at), decided for callers one by one (or by their tags), or without a session.
  enum PairOutcome {
    case deniedToAll
    case ready(session: OrganizationSession, set: String)
    case unavailable(SessionUnavailable)
  }

  private struct CompiledSet {
    var authorizer: Result<Authorizer, PolicySetError>
    var dependence: CallerDependence
    /// Decisions by the values of the tags the set reads (`""` when it reads none).
    var decisions: [String: Response] = [:]
  }

  let organization: Organization
  let query: AccessQuery
  private var sets: [String: CompiledSet] = [:]
  private var scpKeys: [String: String] = [:]

  init(organization: Organization, query: AccessQuery) {
    self.organization = organization
    self.query = query
  }

  /// A pair's outcome: its representative session (of the first member, by ID, of the first assignment that names
  /// the pair), its compiled policies, and when the decision does not depend on the caller, the decision.
  mutating func pairOutcome(permissionSet: String, account: String, assignment: Assignment) -> PairOutcome {
    let store = organization.identityStore
    let user: IdentityStoreUser?
    switch assignment.principalType {
    case .user: user = store.user(named: assignment.principal)
    case .group:
      user = store.group(named: assignment.principal).flatMap { group in group.memberIDs.sorted().lazy.compactMap { store.user(id: $0) }.first }
    }
    guard let user else { return .deniedToAll }
    let outcome = pair(.identityCenter(user: user.userName, permissionSet: permissionSet, account: account),
                       permissionSet: permissionSet, account: account)
    guard case .ready(let session, let setKey) = outcome, var compiled = sets[setKey] else { return outcome }
    defer { sets[setKey] = compiled }
    guard case .success(let authorizer) = compiled.authorizer, compiled.dependence == .none else { return outcome }
    if compiled.decisions[""] == nil { compiled.decisions[""] = authorizer.authorize(query.request(session)) }
    return compiled.decisions[""]!.decision == .allowed ? outcome : .deniedToAll
  }

  /// An Identity Center caller's outcome; the session is formed only when the decision depends on who it is.
  mutating func identityCenter(_ caller: Caller, user: IdentityStoreUser, group: String?, pair: PairOutcome) -> Outcome {
    switch pair {
    case .deniedToAll:
      return .denied
    case .unavailable(let reason):
      return .unavailable(reason)
    case .ready(let representative, let setKey):
      var compiled = sets[setKey]!
      defer { sets[setKey] = compiled }
      let authorizer: Authorizer
      switch compiled.authorizer {
      case .success(let compiledAuthorizer): authorizer = compiledAuthorizer
      case .failure(let error): return .unavailable(SessionUnavailable("organization.invalid-policies", error.message))
      }
      switch compiled.dependence {
      case .none, .tags:
        let tags = Self.tagValues(compiled.dependence, user: user, organization: organization)
        if compiled.decisions[tags] == nil {
          let session = tags.isEmpty ? representative : (try? organization.session(for: caller)) ?? representative
          compiled.decisions[tags] = authorizer.authorize(query.request(session))
        }
        let response = compiled.decisions[tags]!
        guard response.decision == .allowed else { return .denied }
        let principal = Organization.sessionARN(representative.principal.roleARN ?? "", user.userName)
        return .allowed(CallerAnswer(caller: caller, group: group, principal: principal, response: response))
      case .everything:
        guard let session = try? organization.session(for: caller) else { return .denied }
        let response = authorizer.authorize(query.request(session))
        guard response.decision == .allowed else { return .denied }
        return .allowed(CallerAnswer(caller: caller, group: group, principal: session.principal.arn, response: response))
      }
    }
  }

  /// A caller decided on its own: account access manager sessions, IAM roles and users.
  mutating func alone(_ caller: Caller, group: String?) -> Outcome {
    let session: OrganizationSession
    do {
      session = try organization.session(for: caller)
    } catch {
      return error.code == .iamNotCollected ? .unavailable(error) : .denied
    }
    let policies = organization.policySet(for: session, resource: query.resource, resourceAccount: query.resourceAccount,
                                          resourcePolicy: query.resourcePolicy)
    let response: Response
    do {
      response = try Authorizer(policies).authorize(query.request(session))
    } catch {
      return .unavailable(SessionUnavailable("organization.invalid-policies", error.message))
    }
    guard response.decision == .allowed else { return .denied }
    return .allowed(CallerAnswer(caller: caller, group: group, principal: session.principal.arn, response: response))
  }

  private mutating func pair(_ caller: Caller, permissionSet: String, account: String) -> PairOutcome {
    let session: OrganizationSession
    do {
      session = try organization.session(for: caller)
    } catch {
      return .unavailable(error)
    }
    let owner = Organization.resourceOwner(resource: query.resource, resourceAccount: query.resourceAccount, callerAccount: account)
    let usesCustomerManaged = session.resolved.map { !$0.permissionSet.customerManagedPolicies.isEmpty || {
      if case .customerManaged = $0.permissionSet.permissionsBoundary { return true } else { return false } }($0) } ?? true
    let setKey = [
      permissionSet, usesCustomerManaged ? account : "", scpKey(account), scpKey(owner, resources: true),
      owner == account ? "same" : "other", account == organization.managementAccount ? "management" : "",
      owner == organization.managementAccount ? "management" : "",
    ].joined(separator: "\u{0}")
    if sets[setKey] == nil {
      let policies = organization.policySet(for: session, resource: query.resource, resourceAccount: query.resourceAccount,
                                            resourcePolicy: query.resourcePolicy)
      sets[setKey] = CompiledSet(authorizer: Result { () throws(PolicySetError) in try Authorizer(policies) },
                                 dependence: CallerDependence(policies))
    }
    return .ready(session: session, set: setKey)
  }

  /// The SCP (or RCP) path of an account, as the control policies at each level, root first.
  private mutating func scpKey(_ account: String, resources: Bool = false) -> String {
    let cacheKey = (resources ? "r" : "s") + account
    if let known = scpKeys[cacheKey] { return known }
    let levels = resources ? organization.resourceControlLevels(for: account) : organization.serviceControlLevels(for: account)
    let key = levels.map { $0.map(\.name).joined(separator: ",") }.joined(separator: "|")
    scpKeys[cacheKey] = key
    return key
  }

  /// The values of the principal tags a set reads, for this user's session (ABAC attributes), as one string.
  private static func tagValues(_ dependence: CallerDependence, user: IdentityStoreUser, organization: Organization) -> String {
    guard case .tags(let keys) = dependence else { return "" }
    let tags = organization.accessControl?.resolve(for: user).tags ?? []
    return keys.sorted().map { key in key + "=" + (tags.last { $0.key.lowercased() == key }?.value ?? "\u{1}") }
      .joined(separator: "\u{0}")
  }
}

extension Organization {
  static func sessionARN(_ roleARN: String, _ sessionName: String) -> String {
    Principal.roleSession(roleARN: roleARN, sessionName: sessionName)?.arn ?? roleARN
  }
}
