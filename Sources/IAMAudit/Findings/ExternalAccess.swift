import IAMEvaluation
import IAMPolicy

// External access through a resource-based policy, as IAM Access Analyzer's external-access findings report it.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html: "IAM Access Analyzer generates a
// finding for each instance of a resource-based policy that grants access to a resource within your zone of trust to
// a principal that is not within your zone of trust." · "Any principal in the organization or account that you
// choose for the analyzer is considered trusted." · "If you grant permissions to an S3 bucket in one of your
// organization member accounts to a principal in another organization member account, IAM Access Analyzer does not
// generate a finding. But if you grant permission to a principal in an account that is not a member of the
// organization, IAM Access Analyzer generates a finding."
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html: "Access Analyzer considers only
// certain IAM condition keys that external users cannot directly influence, or that are otherwise impactful to
// authorization." · "Access Analyzer does not currently report findings from AWS service principals or internal
// service accounts." · "In rare cases where Access Analyzer isn't able to fully determine whether a policy statement
// grants access to an external entity, it errs on the side of declaring a false positive finding." · "if it indicates
// that account 11112222333 can access your S3 bucket, it knows nothing about the state of users, roles, service
// control policies (SCP), and other relevant configurations in that account."
//
// Which statement is *public* follows S3's definition (``Statement/grantsPublicAccess``), as AWS's own
// `isPublic` filter key does ("Indicates whether the finding reports a resource that has a policy that allows public
// access."). A statement that names everyone and is not public is limited by its conditions: it stays inside the zone
// of trust only when a condition fixes `aws:PrincipalOrgID` to the zone's organization, or `aws:PrincipalAccount`,
// `aws:SourceAccount`, `kms:CallerAccount` or the account of `aws:PrincipalArn` to the zone's accounts (Access
// Analyzer names `aws:PrincipalArn`, `aws:PrincipalOrgID` and `kms:CallerAccount` as finding conditions:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-filter-keys.html).
// Any other condition (`aws:SourceIp`, `aws:SourceVpce`, …) leaves it open to principals outside the zone, and it is
// reported: where iamsim cannot tell, it reports, as Access Analyzer errs towards a false positive.

/// The accounts and organization an external-access audit trusts: IAM Access Analyzer's *zone of trust*.
public struct ZoneOfTrust: Sendable, Hashable {
  /// The account that owns the resource.
  public var account: String
  /// The organization's ID (`o-…`), when the zone is an organization whose ID is known.
  public var organizationID: String?
  /// Every trusted account, the resource's included.
  public var accounts: Set<String>

  /// A zone of the resource's account, and of the organization's ID and accounts when given.
  public init(account: String, organizationID: String? = nil, accounts: [String] = []) {
    self.account = account
    self.organizationID = organizationID
    self.accounts = Set(accounts).union([account])
  }

  /// Whether the account is trusted.
  public func contains(account: String) -> Bool { accounts.contains(account) }
}

extension ZoneOfTrust {
  /// The finding codes of ``Auditor/externalAccess(_:zone:name:)``.
  public static let findingCodes = ["external-access.public", "external-access.cross-account"]
}

extension Auditor {
  /// Audits one resource-based policy (a bucket, key, queue or trust policy) for access from outside the zone of
  /// trust, and reports `external-access.public` and `external-access.cross-account` findings, each proven by
  /// requests the engine decides on that policy alone (``ZoneOfTrust/account`` owning the resource).
  ///
  /// - Parameters:
  ///   - policy: a policy of kind `resource`.
  ///   - zone: the trusted accounts and organization.
  ///   - name: the subject's name (default: the policy's name).
  /// - Throws: ``PolicySetError`` when the policy is not a resource-based policy.
  public func externalAccess(_ policy: PolicyDocument, zone: ZoneOfTrust, name: String? = nil)
    throws(PolicySetError) -> AuditReport
  {
    let subjectName = name ?? policy.name
    let subject = AuditSubject(
      name: subjectName, account: zone.account, principal: .anonymous, policies: PolicySet(resourcePolicy: policy))
    let analysis = try ExternalAccessAnalysis(index: index, policy: policy, zone: zone, subject: subjectName)
    return AuditReport(subject: subject, granted: [], cut: [], findings: analysis.findings())
  }
}

/// The checks of one resource-based policy against a zone of trust.
struct ExternalAccessAnalysis {
  let index: CatalogIndex
  let policy: PolicyDocument
  let zone: ZoneOfTrust
  let subject: String
  /// The policy alone, as written: decides anonymous requests.
  let anonymous: Authorizer
  /// The policy with its conditions set aside (``PolicyVariants/optimistic(_:)``): what it grants at best.
  let anonymousOptimistic: Authorizer
  /// The policy with a stand-in identity policy that allows everything: decides requests of principals of other
  /// accounts, whose own identity policies iamsim does not know ("it knows nothing about the state of users, roles,
  /// service control policies (SCP), and other relevant configurations in that account").
  let outside: Authorizer
  let outsideOptimistic: Authorizer

  /// The name of the stand-in identity policy of outside callers.
  static let standInName = "the outside account's identity policies (assumed to allow)"

  init(index: CatalogIndex, policy: PolicyDocument, zone: ZoneOfTrust, subject: String) throws(PolicySetError) {
    self.index = index
    self.policy = policy
    self.zone = zone
    self.subject = subject
    let optimistic = PolicyVariants.optimistic(policy)
    anonymous = try Authorizer(PolicySet(resourcePolicy: policy))
    anonymousOptimistic = try Authorizer(PolicySet(resourcePolicy: optimistic))
    guard
      let standIn = try? PolicyDocument(
        parsing: Array(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.utf8),
        name: ExternalAccessAnalysis.standInName, kind: .identity)
    else { preconditionFailure("the stand-in identity policy is valid") }
    outside = try Authorizer(PolicySet(identityPolicies: [standIn], resourcePolicy: policy))
    outsideOptimistic = try Authorizer(PolicySet(identityPolicies: [standIn], resourcePolicy: optimistic))
  }

  /// An outside principal and what the policy lets it do.
  struct Grant {
    var principal: String
    /// The caller of the engine's requests; `nil` when iamsim has no caller for it (a federated provider, a
    /// canonical user, a unique ID).
    var caller: Principal?
    var actions: [String] = []
    var statements: [String] = []
    var evidence: [Evidence] = []
    /// Whether every statement that names it has conditions.
    var statementsConditional = true
    var notes: [String] = []
  }

  /// The public findings (one per public statement), then the cross-account findings (one per outside principal).
  func findings() -> [AuditFinding] {
    var findings: [AuditFinding] = []
    var grants: [Grant] = []
    func grant(_ principal: String, caller: Principal?, statement: Statement, note: String? = nil) {
      let offset = grants.firstIndex { $0.principal == principal } ?? grants.count
      if offset == grants.count { grants.append(Grant(principal: principal, caller: caller)) }
      for action in statement.actionLabels where !grants[offset].actions.contains(action) {
        grants[offset].actions.append(action)
      }
      grants[offset].statements.append(reference(statement))
      if statement.conditions.isEmpty { grants[offset].statementsConditional = false }
      if let caller { grants[offset].evidence += evidence(for: statement, caller: caller) }
      if let note, !grants[offset].notes.contains(note) { grants[offset].notes.append(note) }
    }
    for statement in policy.statements where statement.effect == .allow {
      guard let principal = statement.principal else { continue }
      if statement.grantsPublicAccess {
        findings.append(publicFinding(statement))
        continue
      }
      if limitedToZone(statement) { continue }
      for value in principal.values {
        switch value {
        case .anyone:
          let account = outsideAccount(statement)
          let orgUnknown =
            zone.organizationID == nil && statement.conditions.contains { $0.lookupKey == "aws:principalorgid" }
          grant(
            "*", caller: namedCaller(statement) ?? Principal.outside(account), statement: statement,
            note: orgUnknown ? "aws:PrincipalOrgID names an organization iamsim does not know as the zone's" : nil)
        case .account(let account):
          guard !zone.contains(account: account) else { continue }
          grant(account, caller: Principal.outside(account), statement: statement)
        case .role(let arn), .user(let arn), .roleSession(let arn), .federatedUser(let arn):
          guard let account = ARN(arn)?.account, !zone.contains(account: account) else { continue }
          guard case .success(let caller) = Principal.parse(arn) else {
            grant(arn, caller: nil, statement: statement, note: "iamsim cannot make a caller of `\(arn)`")
            continue
          }
          grant(arn, caller: caller, statement: statement)
        case .service:
          // "Access Analyzer does not currently report findings from AWS service principals".
          continue
        case .federated(let provider):
          if let account = ARN(provider)?.account, zone.contains(account: account) { continue }
          grant(
            "federated \(provider)", caller: nil, statement: statement,
            note: "iamsim has no caller for a federated provider: not proven by a request")
        case .canonicalUser(let id):
          grant(
            "canonical user \(id)", caller: nil, statement: statement,
            note: "a canonical user ID does not say its account: not proven by a request")
        case .uniqueID(let id):
          grant(
            id, caller: nil, statement: statement,
            note: "a unique ID does not say its account: not proven by a request")
        }
      }
    }
    for grant in grants {
      let proven = !grant.evidence.isEmpty
      guard proven || grant.caller == nil else { continue }
      let conditional = proven ? grant.evidence.allSatisfy(\.conditional) : grant.statementsConditional
      let who = grant.principal == "*" ? "principals of any account (Principal \"*\")" : grant.principal
      var details = [
        "principal: \(grant.principal)", "actions: \(grant.actions.joined(separator: ", "))",
        "statements: \(grant.statements.joined(separator: "; "))",
        "the resource side allows it: the principal's own account must allow it too (its identity policies, SCPs)",
      ]
      details += grant.notes
      findings.append(
        AuditFinding(
          code: "external-access.cross-account",
          severity: conditional ? Diagnostic.Severity.securityWarning.lowered : .securityWarning, subject: subject,
          message:
            "the resource policy allows \(who), outside the zone of trust of \(zoneText)"
            + "\(conditional ? ", under conditions" : "") (\(grant.actions.joined(separator: ", ")))",
          evidence: grant.evidence, details: details))
    }
    return findings
  }

  /// `account 111122223333` or `organization o-… with 3 accounts`.
  var zoneText: String {
    if let id = zone.organizationID { return "organization \(id) with \(zone.accounts.count) accounts" }
    return zone.accounts.count == 1
      ? "account \(zone.account)" : "accounts \(zone.accounts.sorted().joined(separator: ", "))"
  }

  /// `bucket.json statement "Sid" ($.Statement[0], line 3:5)`.
  func reference(_ statement: Statement) -> String {
    "\(policy.name) statement \(statement.label) (\(statement.path), line \(statement.position))"
  }

  /// The public finding of a statement S3 calls public, proven by anonymous requests when the engine allows one.
  func publicFinding(_ statement: Statement) -> AuditFinding {
    let evidence = self.evidence(for: statement, caller: .anonymous)
    let conditional = evidence.isEmpty || evidence.allSatisfy(\.conditional)
    var details = [
      "statement: \(reference(statement))", "actions: \(statement.actionLabels.joined(separator: ", "))",
      "public as S3 defines it: it names everyone and fixes none of aws:PrincipalOrgID, aws:SourceIp (/8 or "
        + "narrower), aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, aws:userid, "
        + "s3:x-amz-server-side-encryption-aws-kms-key-id, s3:DataAccessPointArn, s3:DataAccessPointAccount",
    ]
    if evidence.isEmpty {
      details.append("the engine allows no anonymous request under this policy (a Deny statement applies)")
    } else if conditional {
      let keys = Array(Set(evidence.flatMap(\.conditionKeys))).sorted()
      details.append("anonymous requests are allowed only if \(keys.joined(separator: ", ")) hold")
    }
    return AuditFinding(
      code: "external-access.public", severity: conditional ? Diagnostic.Severity.error.lowered : .error,
      subject: subject,
      message: "the resource policy grants access to anyone, anonymous callers included "
        + "(\(statement.actionLabels.joined(separator: ", ")))",
      evidence: evidence, details: details)
  }

  /// Whether a condition of the statement keeps its grant inside the zone of trust: it fixes `aws:PrincipalOrgID` to
  /// the zone's organization, or `aws:PrincipalAccount`, `aws:SourceAccount`, `kms:CallerAccount` or the account of
  /// `aws:PrincipalArn` to trusted accounts. Conditions of one statement must all hold, so one such condition suffices.
  func limitedToZone(_ statement: Statement) -> Bool {
    statement.conditions.contains { condition in
      let symbol = condition.conditionOperator
      guard condition.unusableReason == nil, symbol.qualifier == nil, !symbol.ifExists, !condition.values.isEmpty,
        [.stringEquals, .stringEqualsIgnoreCase, .stringLike, .arnEquals, .arnLike].contains(symbol.base)
      else { return false }
      let texts = condition.values.map(\.text)
      let fixed = texts.allSatisfy { !$0.contains("*") && !$0.contains("?") && !$0.contains("${") }
      switch condition.lookupKey {
      case "aws:principalorgid":
        guard let id = zone.organizationID else { return false }
        return fixed && texts.allSatisfy { $0 == id }
      case "aws:principalaccount", "aws:sourceaccount", "kms:calleraccount":
        return fixed && texts.allSatisfy { zone.contains(account: $0) }
      case "aws:principalarn":
        return texts.allSatisfy { text in
          guard let account = ARN(text)?.account, account.count == 12, account.allSatisfy(\.isNumber) else {
            return false
          }
          return zone.contains(account: account)
        }
      default:
        return false
      }
    }
  }

  /// The account of the stand-in caller for a statement naming everyone: the account an `aws:PrincipalAccount` or
  /// `aws:SourceAccount` condition fixes, else one outside the zone.
  func outsideAccount(_ statement: Statement) -> String {
    for condition in statement.conditions
    where ["aws:principalaccount", "aws:sourceaccount"].contains(condition.lookupKey)
      && !condition.conditionOperator.base.isNegated
    {
      if let value = condition.values.first?.text, value.count == 12, value.allSatisfy(\.isNumber),
        !zone.contains(account: value)
      {
        return value
      }
    }
    return ["999999999999", "999999999998", "999999999997"].first { !zone.contains(account: $0) } ?? "999999999996"
  }

  /// The caller an `aws:PrincipalArn` condition of a statement naming everyone fixes (its first value, a wildcard
  /// filled in), when it names a role or user outside the zone.
  func namedCaller(_ statement: Statement) -> Principal? {
    for condition in statement.conditions where condition.lookupKey == "aws:principalarn" {
      let symbol = condition.conditionOperator
      guard !symbol.base.isNegated, !symbol.ifExists, let first = condition.values.first?.text, !first.contains("${")
      else { continue }
      let filled = first.replacingOccurrences(of: "*", with: Probe.placeholder).replacingOccurrences(of: "?", with: "x")
      if case .success(let principal) = Principal.parse(filled), !zone.contains(account: principal.account) {
        return principal
      }
    }
    return nil
  }

  /// For each Action pattern of the statement, the first request the engine allows the caller on a resource the
  /// statement names: as is, else with the context its conditions name; else, when only the conditions stand in
  /// the way, the request the policy without conditions allows (conditional, with the statement's keys).
  func evidence(for statement: Statement, caller: Principal) -> [Evidence] {
    let (actual, optimistic) =
      caller.kind == .anonymous ? (anonymous, anonymousOptimistic) : (outside, outsideOptimistic)
    let probes = Probe.probes(for: statement.resource, account: zone.account) { _ in nil }
    let conditionContext = context(for: statement, caller: caller)
    var evidence: [Evidence] = []
    for action in representativeActions(statement) {
      var fallback: Evidence?
      for probe in ordered(probes, for: action) {
        var context = RequestContext()
        for variable in probe.variables { context.set(variable.key, variable.value) }
        let request = AuthorizationRequest(
          principal: caller, action: action, resource: probe.resource, resourceAccount: zone.account, context: context)
        let response = actual.authorize(request)
        if response.decision == .allowed {
          evidence.append(make(action, probe, caller, response, conditional: false, keys: []))
          fallback = nil
          break
        }
        let keys = statement.writtenConditionKeys
        if !conditionContext.isEmpty {
          var given = request
          for (key, values) in conditionContext { given.context.set(key, values: values) }
          let response = actual.authorize(given)
          if response.decision == .allowed {
            evidence.append(make(action, probe, caller, response, conditional: true, keys: keys))
            fallback = nil
            break
          }
        }
        if fallback == nil {
          let response = optimistic.authorize(request)
          if response.decision == .allowed {
            fallback = make(action, probe, caller, response, conditional: true, keys: keys)
          }
        }
      }
      if let fallback { evidence.append(fallback) }
    }
    return evidence
  }

  /// The probes whose resource is of a type the catalog gives the action first (a bucket policy's object ARN for
  /// `s3:GetObject`, its bucket ARN for `s3:ListBucket`), then the others.
  func ordered(_ probes: [Probe], for action: String) -> [Probe] {
    guard let offset = index.index(of: action) else { return probes }
    let patterns = index.actions[offset].resourceTypes.flatMap(\.arnPatterns).map { pattern in
      var text = ""
      var rest = Substring(pattern)
      while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
        text += rest[..<open.lowerBound] + "*"
        rest = rest[rest.index(after: close)...]
      }
      return WildcardPattern(text + rest)
    }
    let fitting = probes.filter { probe in patterns.contains { $0.matches(probe.resource) } }
    return fitting + probes.filter { probe in !fitting.contains(probe) }
  }

  /// The evidence of a request the engine allowed: the resource policy's statements that allowed it.
  func make(
    _ action: String, _ probe: Probe, _ caller: Principal, _ response: Response, conditional: Bool, keys: [String]
  ) -> Evidence {
    let resource = response.layers.first { $0.layer == .resource }?.statements ?? []
    let statements = resource.isEmpty ? response.determiningStatements : resource
    return Evidence(
      action: action, resource: probe.resource, resourceLabel: probe.label, conditional: conditional,
      conditionKeys: keys, statements: statements,
      caller: caller.kind == .anonymous ? "anonymous" : caller.principalARN)
  }

  /// One catalog action per Action pattern (the first the pattern covers, preferring the resource's service), or the
  /// action as written when the catalog does not know it; for NotAction, one action it does not exclude.
  func representativeActions(_ statement: Statement) -> [String] {
    let service = statement.resource?.patterns.lazy.compactMap { ARN($0.source)?.service }.first { $0 != "*" }
    func pick(_ covered: [Bool]) -> String? {
      var first: Int?
      for (offset, isCovered) in covered.enumerated() where isCovered {
        if first == nil { first = offset }
        if let service, index.services[offset] == service.lowercased() { return index.names[offset] }
      }
      return first.map { index.names[$0] }
    }
    if statement.action.isNegated { return pick(index.covered(by: statement.action)).map { [$0] } ?? [] }
    var actions: [String] = []
    for pattern in statement.action.patterns {
      var single = statement.action
      single.patterns = [pattern]
      let action =
        pick(index.covered(by: single))
        ?? (pattern.source.contains("*") || pattern.source.contains("?") ? nil : pattern.source)
      if let action, !actions.contains(action) { actions.append(action) }
    }
    return actions
  }

  /// A value for each key the statement's conditions require, taken from the first value each names (a wildcard
  /// filled in, an address range's first address): the context in which its grant applies. Keys of a signed caller
  /// are left out for an anonymous caller, which has none.
  func context(for statement: Statement, caller: Principal) -> [(String, [String])] {
    var context: [(String, [String])] = []
    for condition in statement.conditions {
      let symbol = condition.conditionOperator
      guard condition.unusableReason == nil, !symbol.ifExists, symbol.qualifier != .forAllValues,
        !symbol.base.isNegated, symbol.base != .null, let first = condition.values.first,
        !first.text.contains("${")
      else { continue }
      let key = condition.lookupKey
      if caller.kind == .anonymous
        && (key.hasPrefix("aws:principal") || ["aws:userid", "aws:username", "kms:calleraccount"].contains(key))
      {
        continue
      }
      // A signed caller's own ARN is its aws:PrincipalArn (``namedCaller(_:)`` chose it).
      if caller.kind != .anonymous && key == "aws:principalarn" { continue }
      let value: String
      switch first.parsed {
      case .ipRange:
        value = String(first.text.prefix { $0 != "/" })
      case .pattern:
        value = first.text.replacingOccurrences(of: "*", with: Probe.placeholder)
          .replacingOccurrences(of: "?", with: "x")
      default:
        guard [.stringEquals, .stringEqualsIgnoreCase, .stringLike, .arnEquals, .arnLike, .bool, .numericEquals,
          .dateEquals, .ipAddress].contains(symbol.base)
        else { continue }
        value = first.text.replacingOccurrences(of: "*", with: Probe.placeholder)
          .replacingOccurrences(of: "?", with: "x")
      }
      if !context.contains(where: { $0.0.lowercased() == key }) { context.append((condition.key, [value])) }
    }
    return context
  }
}

extension Statement {
  /// The Action patterns as written, or `NotAction …`.
  var actionLabels: [String] {
    let patterns = action.patterns.map(\.source)
    return action.isNegated ? ["NotAction " + patterns.joined(separator: ", ")] : patterns
  }

  /// The condition keys, as written, each once.
  var writtenConditionKeys: [String] {
    var keys: [String] = []
    for condition in conditions where !keys.contains(condition.key) { keys.append(condition.key) }
    return keys
  }
}

extension Principal {
  /// A role session of another account standing for any of its principals: `arn:aws:iam::ACCOUNT:role/iamsim-outside`.
  static func outside(_ account: String) -> Principal? {
    guard case .success(let principal) = Principal.parse("arn:aws:iam::\(account):role/iamsim-outside") else {
      return nil
    }
    return principal
  }
}
