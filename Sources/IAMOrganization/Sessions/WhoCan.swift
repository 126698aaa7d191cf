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
    var membersOf: [String: [(user: IdentityStoreUser, group: String?)]] = [:]
    func members(_ type: PrincipalType, _ principal: String) -> [(user: IdentityStoreUser, group: String?)] {
      let key = type.rawValue + principal
      if let known = membersOf[key] { return known }
      let found = self.principalMembers(type, principal)
      membersOf[key] = found
      return found
    }
    for (position, assignment) in assignments.enumerated() {
      let key = assignment.permissionSet + "\u{0}" + assignment.account
      let pair: Int
      if let known = pairIDs[key] {
        pair = known
      } else {
        pair = pairOutcomes.count
        pairIDs[key] = pair
        pairOutcomes.append(shared.pairOutcome(assignment: assignment, members: members(assignment.principalType, assignment.principal)))
      }
      if case .deniedToAll = pairOutcomes[pair] { continue }
      for (user, group) in members(assignment.principalType, assignment.principal) {
        users[user.userName] = user
        reached[user.userName, default: []].append((position, pair, group))
      }
    }
    var grantsReached: [String: [(grant: AccountAccessGrant, group: String?)]] = [:]
    for grant in accountAccess.grants {
      for (user, group) in members(grant.principalType, grant.principal) {
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
  private func principalMembers(_ type: PrincipalType, _ principal: String) -> [(user: IdentityStoreUser, group: String?)] {
    switch type {
    case .user:
      return identityStore.user(named: principal).map { [($0, nil)] } ?? []
    case .group:
      guard let group = identityStore.group(named: principal) else { return [] }
      return Set(group.memberIDs).sorted().compactMap { id in identityStore.user(id: id).map { ($0, group.displayName) } }
    }
  }
}

extension Organization {
  /// A key equal for two sessions exactly when their policy sets are the same, as `policySet(for:…)` builds them:
  /// the permission set, the account when the set has customer managed policies (resolved per account), the SCP
  /// path of the account and the RCP path of the resource's account, whether they are the same account, and whether
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
      permissionSet.name, usesCustomerManaged ? account : "", path(account, false), path(owner, true),
      owner == account ? "same" : "other", account == managementAccount ? "management" : "",
      owner == managementAccount ? "management" : "",
    ].joined(separator: "\u{0}")
  }

  /// The SCP (or RCP) path of an account: the control policies at each level, root first.
  func controlPath(_ account: String, resources: Bool) -> String {
    let levels = resources ? resourceControlLevels(for: account) : serviceControlLevels(for: account)
    return levels.map { $0.map(\.name).joined(separator: ",") }.joined(separator: "|") + (levels.isEmpty ? "none" : "")
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
    case ready(Pair)
    case unavailable(SessionUnavailable)
  }

  /// A pair's representative session (of the first member, by ID, of the first assignment that names it), the
  /// session ARN without its session name (the user name), and its compiled policies.
  final class Pair {
    let session: OrganizationSession
    let permissionSet: PermissionSet
    let sessionPrefix: String
    let set: CompiledSet

    init(session: OrganizationSession, permissionSet: PermissionSet, sessionPrefix: String, set: CompiledSet) {
      self.session = session
      self.permissionSet = permissionSet
      self.sessionPrefix = sessionPrefix
      self.set = set
    }
  }

  /// The policies shared by every pair with the same permission set, customer managed policies, control policy
  /// paths and account relations, compiled once, with the decisions made so far.
  final class CompiledSet {
    let authorizer: Result<Authorizer, PolicySetError>
    let dependence: CallerDependence
    /// Decisions by the values of the tags the set reads (`""` when it reads none).
    var decisions: [String: Response] = [:]
    /// Each user's values of those tags, as a key of `decisions`.
    var tagKeys: [String: String] = [:]

    init(_ policies: PolicySet) {
      authorizer = Result { () throws(PolicySetError) in try Authorizer(policies) }
      dependence = CallerDependence(policies)
    }
  }

  let organization: Organization
  let query: AccessQuery
  private var sets: [String: CompiledSet] = [:]
  private var scpKeys: [String: String] = [:]
  /// The ABAC tags of each user's sessions, worked out once per user.
  private var userTags: [String: [SessionTag]] = [:]

  init(organization: Organization, query: AccessQuery) {
    self.organization = organization
    self.query = query
  }

  /// A pair's outcome, from the assignment that names it first; when the decision does not depend on the caller,
  /// the decision.
  mutating func pairOutcome(assignment: Assignment, members: [(user: IdentityStoreUser, group: String?)]) -> PairOutcome {
    guard let first = members.min(by: { ($0.user.id ?? "") < ($1.user.id ?? "") }),
      let permissionSet = organization.permissionSet(named: assignment.permissionSet)
    else { return .deniedToAll }
    let account = assignment.account
    let owner = Organization.resourceOwner(resource: query.resource, resourceAccount: query.resourceAccount, callerAccount: account)
    let (scpPath, rcpPath) = (controlPath(account, resources: false), controlPath(owner, resources: true))
    let setKey = organization.policyKey(permissionSet: permissionSet, account: account, resourceOwner: owner) { _, resources in
      resources ? rcpPath : scpPath
    }
    // A set already decided for everyone, and denied: no session to form.
    if let known = sets[setKey], known.dependence == .none, known.decisions[""]?.decision == .some(.implicitDeny) || known.decisions[""]?.decision == .some(.explicitDeny) {
      return .deniedToAll
    }
    let session: OrganizationSession
    do {
      session = try organization.assignedSession(user: first.user, permissionSet: permissionSet, account: account, group: first.group)
    } catch {
      return .unavailable(error)
    }
    if sets[setKey] == nil {
      sets[setKey] = CompiledSet(organization.policySet(for: session, resource: query.resource, resourceAccount: query.resourceAccount,
                                                        resourcePolicy: query.resourcePolicy))
    }
    let compiled = sets[setKey]!
    let prefix = Principal.roleSession(roleARN: session.principal.roleARN ?? "", sessionName: "")?.arn ?? session.principal.arn
    let pair = Pair(session: session, permissionSet: permissionSet, sessionPrefix: prefix, set: compiled)
    guard case .success(let authorizer) = compiled.authorizer, compiled.dependence == .none else { return .ready(pair) }
    if compiled.decisions[""] == nil { compiled.decisions[""] = authorizer.authorize(query.request(session)) }
    return compiled.decisions[""]!.decision == .allowed ? .ready(pair) : .deniedToAll
  }

  /// An Identity Center caller's outcome; a session is formed only when the decision depends on who it is.
  mutating func identityCenter(_ caller: Caller, user: IdentityStoreUser, group: String?, pair outcome: PairOutcome) -> Outcome {
    switch outcome {
    case .deniedToAll:
      return .denied
    case .unavailable(let reason):
      return .unavailable(reason)
    case .ready(let pair):
      let compiled = pair.set
      let authorizer: Authorizer
      switch compiled.authorizer {
      case .success(let compiledAuthorizer): authorizer = compiledAuthorizer
      case .failure(let error): return .unavailable(SessionUnavailable("organization.invalid-policies", error.message))
      }
      let response: Response
      let principal: String
      switch compiled.dependence {
      case .none, .tags:
        let tags: String
        if let known = compiled.tagKeys[user.userName] {
          tags = known
        } else {
          tags = tagValues(compiled.dependence, user: user)
          compiled.tagKeys[user.userName] = tags
        }
        if compiled.decisions[tags] == nil {
          let session = tags.isEmpty ? pair.session : ownSession(user, pair, group: group)
          compiled.decisions[tags] = authorizer.authorize(query.request(session))
        }
        response = compiled.decisions[tags]!
        principal = pair.sessionPrefix + user.userName
      case .everything:
        let session = ownSession(user, pair, group: group)
        response = authorizer.authorize(query.request(session))
        principal = session.principal.arn
      }
      guard response.decision == .allowed else { return .denied }
      return .allowed(CallerAnswer(caller: caller, group: group, principal: principal, response: response))
    }
  }

  /// The user's own session of a pair (its representative's, if it cannot be formed, which cannot happen for a
  /// user the pair's assignment reaches).
  private func ownSession(_ user: IdentityStoreUser, _ pair: Pair, group: String?) -> OrganizationSession {
    (try? organization.assignedSession(user: user, permissionSet: pair.permissionSet, account: pair.session.caller.account,
                                       group: group)) ?? pair.session
  }

  /// A caller decided on its own: account access manager sessions, IAM roles and users.
  mutating func alone(_ caller: Caller, group: String?) -> Outcome {
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
      response = try Authorizer(policies).authorize(query.request(session))
    } catch {
      return .unavailable(SessionUnavailable("organization.invalid-policies", error.message))
    }
    guard response.decision == .allowed else { return .denied }
    return .allowed(CallerAnswer(caller: caller, group: group, principal: session.principal.arn, response: response))
  }

  /// The SCP (or RCP) path of an account, worked out once per account.
  private mutating func controlPath(_ account: String, resources: Bool) -> String {
    let cacheKey = (resources ? "r" : "s") + account
    if let known = scpKeys[cacheKey] { return known }
    let key = organization.controlPath(account, resources: resources)
    scpKeys[cacheKey] = key
    return key
  }

  /// The values of the principal tags a set reads, for this user's session (ABAC attributes), as one string.
  private mutating func tagValues(_ dependence: CallerDependence, user: IdentityStoreUser) -> String {
    guard case .tags(let keys) = dependence else { return "" }
    if userTags[user.userName] == nil { userTags[user.userName] = organization.accessControl?.resolve(for: user).tags ?? [] }
    let tags = userTags[user.userName]!
    return keys.sorted().map { key in key + "=" + (tags.last { $0.key.lowercased() == key }?.value ?? "\u{1}") }
      .joined(separator: "\u{0}")
  }
}

