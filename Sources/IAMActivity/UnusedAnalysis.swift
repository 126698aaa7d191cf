import IAMCatalog
import IAMEvaluation
import IAMPolicy

/// Used versus granted for one permission set in one account, and a narrower policy checked by the engine.
public struct UnusedReport: Sendable {
  public var permissionSet: String
  public var account: String
  public var users: [String]
  public var eventCount: Int
  public var firstEventTime: String?
  public var lastEventTime: String?
  /// Catalog actions successful calls needed.
  public var used: [String]
  /// Catalog actions successful calls may have needed, and why.
  public var possiblyUsed: [PossibleAction]
  /// Actions (or undetermined events) refused for lack of permission.
  public var refused: [String]
  /// How many catalog actions the permission set grants in the account (decided by the engine).
  public var grantedCount: Int
  /// Granted actions no recorded call needed, nor may have needed.
  public var unused: [String]
  /// Granted, unused actions of services some event of which could not be resolved: they may be in use.
  public var unknownUse: [String]
  public var noPermissionEvents: [EventCount]
  public var undeterminedEvents: [EventCount]
  /// The narrower policy's JSON text, when one could be built and passed every check.
  public var narrowerPolicy: String?
  /// What the engine checked, when a policy was proposed.
  public var check: NarrowerPolicyCheck?
  public var notes: [String]
  /// No event of the trail was made through this permission set in this account.
  public var whollyUnused: Bool
}

/// What the engine checked about a narrower policy.
public struct NarrowerPolicyCheck: Sendable, Hashable {
  /// Observed requests replayed against both the permission set and the narrower policy.
  public var observedRequests: Int
  /// Of those, the ones the permission set allows as replayed (the narrower policy must allow each).
  public var allowedByPermissionSet: Int
  /// Requests on which the narrower policy must not allow what the permission set does not.
  public var comparedRequests: Int
  /// Requests the narrower policy allowed and the permission set did not, or the reverse for an observed request:
  /// any one of them withdraws the policy.
  public var failures: [String]
}

/// Compares a permission set's grants with its recorded use, and proposes a narrower policy.
public struct UnusedAnalysis: Sendable {
  public let catalog: Catalog
  let resolver: EventActionResolver
  let checks: CatalogPolicyChecks

  public init(catalog: Catalog) {
    self.catalog = catalog
    resolver = EventActionResolver(catalog: catalog)
    checks = CatalogPolicyChecks(catalog: catalog)
  }

  /// A permission set with no recorded use in an account: every granted action is unused, and no policy is proposed.
  public func whollyUnused(permissionSet: String, account: String, granted: [String]) -> UnusedReport {
    let grantedCount = Set(granted).count
    return UnusedReport(
      permissionSet: permissionSet, account: account, users: [], eventCount: 0, used: [], possiblyUsed: [], refused: [],
      grantedCount: grantedCount, unused: Set(granted).sorted(), unknownUse: [], noPermissionEvents: [], undeterminedEvents: [],
      narrowerPolicy: nil, check: nil,
      notes: ["no event of the trail was made through this permission set in this account: all \(grantedCount) granted actions are unused in the period the trail covers; no narrower policy is proposed (remove the assignment instead, if the period is representative)"],
      whollyUnused: true)
  }

  /// Used versus granted for one permission set in one account.
  ///
  /// - Parameters:
  ///   - activity: its recorded calls.
  ///   - identityPolicies: the permission set's identity policies in that account (what the narrower policy replaces).
  ///   - policies: the whole policy set its sessions are decided by (identity policies, boundary, SCPs, …).
  ///   - granted: the catalog actions the policy set grants (as `iamsim audit` decides them).
  public func analyse(
    _ activity: PermissionSetActivity, identityPolicies: [PolicyDocument], policies: PolicySet, granted: [String]
  ) -> UnusedReport {
    let used = activity.usedActions
    let possible = activity.possibleActions
    let possibleNames = Set(possible.map(\.action))
    var notes: [String] = []
    // Services some undetermined event belongs to: their granted actions may be in use.
    var uncertainServices = Set<String>()
    var unplaced = 0
    for event in activity.undeterminedEvents where !event.refused {
      let labels = event.eventSource.split(separator: ".").map(String.init)
      let services = labels.compactMap { catalog.service(prefix: $0)?.prefix }
      if let prefix = resolver.servicePrefix(of: event.eventSource) {
        uncertainServices.insert(prefix)
      } else if !services.isEmpty {
        uncertainServices.formUnion(services)
      } else {
        unplaced += event.count
      }
    }
    let grantedSet = Set(granted)
    var unused: [String] = []
    var unknownUse: [String] = []
    for action in grantedSet.subtracting(used).subtracting(possibleNames).sorted() {
      if uncertainServices.contains(String(action.prefix { $0 != ":" })) { unknownUse.append(action) } else { unused.append(action) }
    }
    if !uncertainServices.isEmpty {
      notes.append("events of \(uncertainServices.sorted().joined(separator: ", ")) could not be mapped to IAM actions: their granted actions are listed as of unknown use, not as unused")
    }
    if unplaced > 0 {
      notes.append("\(unplaced) event\(unplaced == 1 ? "" : "s") of services the catalog does not know could not be mapped to IAM actions: any granted action may be among what they used")
    }
    let notGranted = used.subtracting(grantedSet).sorted()
    if !notGranted.isEmpty {
      notes.append("used but not granted by the permission set as given (the trail and the permission set differ, or the grant comes from elsewhere, such as a resource policy): \(notGranted.joined(separator: ", "))")
    }
    var report = UnusedReport(
      permissionSet: activity.permissionSet, account: activity.account, users: activity.users.sorted(),
      eventCount: activity.eventCount, firstEventTime: activity.firstEventTime, lastEventTime: activity.lastEventTime,
      used: used.sorted(), possiblyUsed: possible.sorted { ($0.action, $0.reason) < ($1.action, $1.reason) },
      refused: activity.deniedActions.sorted(), grantedCount: grantedSet.count, unused: unused, unknownUse: unknownUse,
      noPermissionEvents: activity.noPermissionEvents, undeterminedEvents: activity.undeterminedEvents,
      narrowerPolicy: nil, check: nil, notes: notes, whollyUnused: false)

    let keep = used.union(possibleNames)
    guard !keep.isEmpty else {
      report.notes.append("no recorded call needed a permission from the permission set: no narrower policy is proposed")
      return report
    }
    guard let text = NarrowerPolicy.build(from: identityPolicies, keeping: keep, catalog: catalog) else {
      report.notes.append("none of the actions used is granted by the permission set's own statements: no narrower policy is proposed")
      return report
    }
    // The text must pass what `iamsim validate` checks, with its default --fail-on error.
    let name = "narrower policy for \(activity.permissionSet)"
    let document: PolicyDocument
    do {
      let json = try JSONReader().read(Array(text.utf8))
      let diagnostics = PolicyDocument.diagnose(json: json, name: name, kind: .identity)
      document = try PolicyDocument(json: json, name: name, kind: .identity)
      let findings = diagnostics + checks.findings(for: document)
      if let error = findings.first(where: { $0.severity == .error }) {
        report.notes.append("no narrower policy: the one built does not pass validation (\(error.message))")
        return report
      }
    } catch {
      report.notes.append("no narrower policy: the one built cannot be read back (\(error))")
      return report
    }
    let check = verify(document, activity: activity, policies: policies)
    report.check = check
    if let failure = check.failures.first {
      report.notes.append("no narrower policy: the engine found it \(failure)")
      return report
    }
    report.narrowerPolicy = text
    if check.allowedByPermissionSet < check.observedRequests {
      let missing = check.observedRequests - check.allowedByPermissionSet
      report.notes.append("\(missing) of \(check.observedRequests) observed requests are not allowed by the permission set as iamsim replays them (the trail does not record every resource, tag or condition value the call carried): for those, the narrower policy keeps exactly the permission set's own resources and conditions")
    }
    return report
  }

  /// Checks a narrower policy with the engine: it allows every observed request the permission set allows, and
  /// allows nothing the permission set does not, on every catalog action on `*` and on every kept action on the
  /// observed resources and the policy's own resources, in the observed contexts.
  public func verify(_ narrower: PolicyDocument, activity: PermissionSetActivity, policies: PolicySet) -> NarrowerPolicyCheck {
    var narrowerSet = policies
    narrowerSet.identityPolicies = [narrower]
    let original: Authorizer
    let narrowed: Authorizer
    do {
      original = try Authorizer(policies)
      narrowed = try Authorizer(narrowerSet)
    } catch {
      return NarrowerPolicyCheck(observedRequests: 0, allowedByPermissionSet: 0, comparedRequests: 0,
                                 failures: ["not decidable: \(error.message)"])
    }
    let principal = sessionPrincipal(activity, sessionName: activity.users.sorted().first)
    var failures: [String] = []
    var observed = 0
    var allowedByOriginal = 0
    var compared = 0
    var contexts: [String: [RequestContext]] = [:]
    var resources: [String: Set<String>] = [:]
    for request in activity.requests {
      let context = self.context(of: request)
      let caller = sessionPrincipal(activity, sessionName: request.sessionName)
      for resource in candidateResources(request.action, request.arns) {
        let replay = AuthorizationRequest(principal: caller, action: request.action, resource: resource,
                                          resourceAccount: Self.hasAccount(resource) ? nil : activity.account, context: context)
        let prepared = PreparedRequest(replay)
        observed += 1
        if original.decision(for: prepared) == .allowed {
          allowedByOriginal += 1
          if narrowed.decision(for: prepared) != .allowed, failures.count < 5 {
            failures.append("refusing the observed request \(request.action) on \(resource) (\(request.event)), which the permission set allows")
          }
        }
        resources[request.action, default: []].insert(resource)
      }
      if contexts[request.action, default: []].count < 8, !contexts[request.action, default: []].contains(context) {
        contexts[request.action, default: []].append(context)
      }
    }
    func compare(_ request: AuthorizationRequest) {
      compared += 1
      let prepared = PreparedRequest(request)
      if narrowed.decision(for: prepared) == .allowed, original.decision(for: prepared) != .allowed, failures.count < 5 {
        failures.append("allowing \(request.action) on \(request.resource), which the permission set does not allow")
      }
    }
    for action in catalog.actions {
      compare(AuthorizationRequest(principal: principal, action: action.qualifiedName, resource: "*",
                                   resourceAccount: activity.account))
    }
    let ownResources = narrower.statements.flatMap { statement -> [String] in
      guard let clause = statement.resource, !clause.isNegated else { return [] }
      return clause.patterns.compactMap { Self.concrete($0.source) }
    }
    let kept = Set(narrower.statements.filter { $0.effect == .allow }.flatMap { $0.action.patterns.map(\.source) })
    for action in kept.sorted() {
      let targets = Array(resources[action, default: []].union(ownResources).union(["*"])).sorted().prefix(64)
      for resource in targets {
        for context in [RequestContext()] + contexts[action, default: []] {
          compare(AuthorizationRequest(principal: principal, action: action, resource: resource,
                                       resourceAccount: Self.hasAccount(resource) ? nil : activity.account, context: context))
        }
      }
    }
    return NarrowerPolicyCheck(observedRequests: observed, allowedByPermissionSet: allowedByOriginal,
                               comparedRequests: compared, failures: failures)
  }

  /// The session of the permission set's role, as the trail names it (a placeholder role in the account otherwise).
  public func sessionPrincipal(_ activity: PermissionSetActivity, sessionName: String?) -> Principal {
    let name = sessionName ?? Principal.defaultSessionName
    if let roleARN = activity.roleARN, let principal = Principal.roleSession(roleARN: roleARN, sessionName: name) {
      return principal
    }
    if case .success(let principal) = Principal.parse(
      "arn:aws:sts::\(activity.account):assumed-role/AWSReservedSSO_\(activity.permissionSet)_0000000000000000/\(name)")
    {
      return principal
    }
    return .defaultSession
  }

  /// The context keys the trail gives: the Region, the caller's address, the time, and MFA.
  func context(of request: ObservedRequest) -> RequestContext {
    var context = RequestContext()
    if let region = request.region, !region.isEmpty { context.set("aws:RequestedRegion", region) }
    if let address = request.sourceIPAddress, Self.isIPAddress(address) { context.set("aws:SourceIp", address) }
    if let seconds = Self.epochSeconds(request.eventTime) {
      context.set("aws:CurrentTime", request.eventTime)
      context.set("aws:EpochTime", String(seconds))
    }
    if let mfa = request.mfaAuthenticated, mfa == "true" || mfa == "false" {
      context.set("aws:MultiFactorAuthPresent", mfa)
    }
    return context
  }

  /// The ARNs of an event that fit one of the action's resource types, or `*` when none does (or the action has
  /// none).
  func candidateResources(_ action: String, _ arns: [String]) -> [String] {
    guard let catalogAction = catalog.action(named: action) else { return ["*"] }
    let patterns = catalogAction.resourceTypes.flatMap(\.arnPatterns).map(Self.wildcard)
    let fitting = arns.filter { arn in patterns.contains { $0.matches(arn) } }
    return fitting.isEmpty ? ["*"] : Array(fitting.prefix(8))
  }

  /// A catalog ARN format with each `${…}` placeholder as `*`.
  static func wildcard(_ format: String) -> WildcardPattern {
    var text = ""
    var rest = format[...]
    while let open = rest.firstRange(of: "${") {
      text += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
      text += "*"
      rest = rest[rest.index(after: close)...]
    }
    return WildcardPattern(text + rest)
  }

  /// A policy resource pattern made concrete (`*` and `?` as `x`); `nil` for `*` alone and for patterns with
  /// variables.
  static func concrete(_ pattern: String) -> String? {
    guard pattern != "*", !pattern.contains("${") else { return nil }
    return String(pattern.map { $0 == "*" || $0 == "?" ? "x" : $0 })
  }

  /// Whether an ARN names its account (S3 bucket and object ARNs do not).
  static func hasAccount(_ arn: String) -> Bool {
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    return parts.count == 6 && !parts[4].isEmpty
  }

  /// A dotted IPv4 address without leading zeros, or an IPv6 address of hexadecimal groups.
  static func isIPAddress(_ text: String) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    if parts.count == 4 {
      return parts.allSatisfy { part in
        !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
          && (part == "0" || part.first != "0") && Int(part).map { $0 <= 255 } == true
      }
    }
    return text.contains(":") && text.count <= 45 && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
  }

  /// Seconds since 1970 of a CloudTrail time (`2024-08-01T13:52:02Z`).
  static func epochSeconds(_ time: String) -> Int? {
    let scalars = Array(time.utf8)
    guard scalars.count == 20, scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-"),
      scalars[10] == UInt8(ascii: "T"), scalars[13] == UInt8(ascii: ":"), scalars[16] == UInt8(ascii: ":"),
      scalars[19] == UInt8(ascii: "Z")
    else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for index in range {
        let byte = scalars[index]
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
      let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day),
      hour < 24, minute < 60, second < 61
    else { return nil }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return days * 86_400 + hour * 3_600 + minute * 60 + second
  }
}
