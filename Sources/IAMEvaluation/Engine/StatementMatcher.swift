import IAMPolicy

/// How directly a resource policy's Principal names the caller, which decides what an allow is worth (rule E-5).
enum PrincipalMatch: Int, Comparable, Sendable {
  /// The caller's account: the identity side must allow too.
  case account
  /// The caller's role: the boundary and session policy still limit it.
  case role
  /// The caller itself (user, session) or everyone (`*`): enough on its own in the same account.
  case direct

  static func < (lhs: PrincipalMatch, rhs: PrincipalMatch) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What one statement made of one request.
///
/// What only some outcomes carry (a mismatch or matched pattern when explaining, a problem, a set-aside Allow) is held
/// by one reference, made only when there is something to hold: the outcome of nearly every statement then carries
/// no string, and is freed with one release of nothing.
struct StatementOutcome {
  /// Whether the statement applies.
  var applies: Bool
  /// For a resource policy's Allow: how the Principal named the caller.
  var principalMatch: PrincipalMatch?
  /// A Deny with `NotPrincipal` that applied only because the caller has a permissions boundary.
  var deniedByNotPrincipalBoundary: Bool
  private let details: Details?

  private final class Details {
    let mismatch: Mismatch?
    let problem: String?
    let matchedAction: String?
    let setAside: String?

    init(mismatch: Mismatch?, problem: String?, matchedAction: String?, setAside: String?) {
      self.mismatch = mismatch
      self.problem = problem
      self.matchedAction = matchedAction
      self.setAside = setAside
    }
  }

  init(
    applies: Bool, mismatch: Mismatch? = nil, principalMatch: PrincipalMatch? = nil, problem: String? = nil,
    matchedAction: String? = nil, deniedByNotPrincipalBoundary: Bool = false, setAside: String? = nil
  ) {
    self.applies = applies
    self.principalMatch = principalMatch
    self.deniedByNotPrincipalBoundary = deniedByNotPrincipalBoundary
    details =
      mismatch == nil && problem == nil && matchedAction == nil && setAside == nil
      ? nil : Details(mismatch: mismatch, problem: problem, matchedAction: matchedAction, setAside: setAside)
  }

  /// The first element that did not match, when asked for.
  var mismatch: Mismatch? { details?.mismatch }
  /// A request value that could not be read.
  var problem: String? { details?.problem }
  /// The Action pattern that matched, when asked for.
  var matchedAction: String? { details?.matchedAction }
  /// Why an Allow that named the caller was set aside (S3 Block Public Access), when details are recorded.
  var setAside: String? { details?.setAside }
}

/// How much an evaluation records besides the decision.
enum EvaluationDetail: Sendable {
  /// The decision only: no statements, missing keys or messages are recorded.
  case decision
  /// The applying statements, the missing context keys and the values that could not be read.
  case detailed
  /// Also every statement consulted, with its first mismatch.
  case explain
}

/// Decides whether a statement applies to a request (rule M-9).
struct StatementMatcher {
  let request: PreparedRequest
  let callerHasBoundary: Bool
  let detail: EvaluationDetail
  /// Keys that conditions or variables read and the request lacks, collected as statements are matched: by the
  /// lower-cased key, the key as a policy first spelled it.
  var missingKeys = [String: String]()
  /// Whether an Allow statement matched the action but not the request's `*` resource (rule M-6).
  var allowMissedWildcardResource = false

  /// Why no statement may be matched (a text too long to match, or matching too costly); each then fails closed.
  let failClosed: String?

  /// Matches a statement.
  ///
  /// - Parameter actionMatched: the caller already knows that the statement's `Action` names the request's action.
  /// - Complexity: O(a + r + c) in the statement's action, resource and condition counts.
  mutating func evaluate(_ compiled: CompiledStatement, actionMatched: Bool) -> StatementOutcome {
    let explain = detail == .explain
    let records = detail != .decision
    if let problem = failClosed {
      // Fail closed without matching: an Allow does not apply, a Deny does.
      let applies = compiled.statement.effect == .deny
      return StatementOutcome(
        applies: applies, mismatch: explain && !applies ? .unreadable(key: "", message: problem) : nil, problem: problem)
    }
    guard actionMatched || actionMatches(compiled) else {
      return StatementOutcome(applies: false, mismatch: explain ? .action(request.request.action) : nil)
    }
    // The context index is read where it is held (`request.contextIndex` yields it), never copied: a copy retains
    // its table and the request's own context for every statement, where copying the request retains one object.
    // A local function, not a closure in a `let`: passed only as a non-escaping argument, it is not boxed.
    let request = self.request
    func variable(_ key: ContextKey) -> String? { request.contextIndex.singleValue(key) }
    if let patterns = compiled.resourcePatterns {
      var matched = false
      for box in patterns {
        if records, let template = box.template { noteMissingVariables(template, variable) }
        if box.matches(request.resource, hashedValue: variable) {
          matched = true
          break
        }
      }
      if matched == compiled.statement.resource!.isNegated {
        if records && compiled.effect == .allow && request.request.resource == "*" { allowMissedWildcardResource = true }
        return StatementOutcome(applies: false, mismatch: explain ? .resource(request.request.resource) : nil)
      }
    }
    var principalMatch: PrincipalMatch?
    var notPrincipalByBoundary = false
    if let clause = compiled.statement.principal {
      if clause.isNegated {
        // NotPrincipal (Deny only): "The NotPrincipal element with a Deny effect will always deny any IAM principal
        // that has a permissions boundary policy attached, regardless of the values specified in the NotPrincipal
        // element." Otherwise the caller is exempt only when every identity AWS checks is listed.
        if callerHasBoundary && compiled.effect == .deny {
          notPrincipalByBoundary = true
        } else if isExempt(by: clause.values) {
          return StatementOutcome(applies: false, mismatch: explain ? .exemptByNotPrincipal(request.request.principal.arn) : nil)
        }
      } else {
        principalMatch = self.principalMatch(clause.values, accountPrincipals: compiled.accountPrincipals)
        if principalMatch == nil {
          if compiled.accountPrincipals == .undocumented, namesCallersAccount(clause.values) {
            // An account principal in an interface endpoint's policy: AWS documents no meaning; fail closed.
            let reason = "the Principal names the caller only through its account, and AWS documents what an account principal means in a VPC endpoint policy only for gateway endpoints (the account's root user); give the endpoint type"
            if compiled.effect == .deny { principalMatch = .account } else {
              return StatementOutcome(applies: false, mismatch: explain ? .unusable(reason) : nil, problem: records ? reason : nil)
            }
          } else {
            return StatementOutcome(applies: false, mismatch: explain ? .principal(request.request.principal.arn) : nil)
          }
        }
        if let restriction = compiled.publicAccess, request.service == "s3",
          restriction == .everyone || request.isCrossAccount || request.principal.kind == .anonymous
        {
          let why =
            restriction == .everyone
            ? "the bucket policy is public and RestrictPublicBuckets is on: its public statements grant nothing"
            : "the bucket policy is public and RestrictPublicBuckets is on: it grants nothing outside the bucket owner's account"
          return StatementOutcome(
            applies: false, mismatch: explain ? .restrictedPublicBucket(why) : nil, setAside: records ? why : nil)
        }
      }
    }
    if let reason = compiled.statement.unusableReason {
      // An element IAM accepts but AWS documents no evaluation for: fail closed.
      let applies = compiled.effect == .deny
      return StatementOutcome(
        applies: applies, mismatch: explain && !applies ? .unusable(reason) : nil, principalMatch: principalMatch,
        problem: records ? reason : nil)
    }
    // The conditions are ANDed: one that fails decides, whatever the others; a value that cannot be read decides
    // only when no condition fails (then the statement fails closed). So their order never matters.
    // Only references and plain values live across iterations: an optional `Mismatch` or context entry held here
    // costs a generic tuple destroy on every call (callgrind: a tenth of all instructions).
    var failed: CompiledCondition?
    var unreadable: (condition: CompiledCondition, message: String)?
    conditions: for compiledCondition in compiled.conditions {
      let entry = request.contextIndex.entry(compiledCondition.key)
      if records {
        let condition = compiledCondition.condition
        if entry == nil && !compiledCondition.testsAbsence { noteMissing(condition.lookupKey, condition.key) }
        for value in condition.values { noteMissingVariables(value.template, variable) }
      }
      // After the first condition that fails, the others are only read for their missing keys.
      if failed != nil { continue }
      let result =
        entry == nil && compiledCondition.isRequestDependentKey
          && !RequestDependentKeys.absentForReason(compiledCondition.key, in: request.contextIndex)
        ? .unreadable(RequestDependentKeys.missingMessage(compiledCondition.condition.key))
        : ConditionEvaluator.evaluate(compiledCondition, entry: entry, in: request.contextIndex)
      switch result {
      case .holds:
        continue
      case .fails:
        failed = compiledCondition
        if !records { break conditions }
      case .unreadable(let message):
        if unreadable == nil { unreadable = (compiledCondition, message) }
      }
    }
    if let failed {
      guard explain else { return StatementOutcome(applies: false) }
      let condition = failed.condition
      return StatementOutcome(
        applies: false,
        mismatch: .condition(
          operatorName: condition.conditionOperator.description, key: condition.key,
          policyValues: condition.values.map(\.text), requestValues: request.contextIndex.entry(failed.key).map { Array($0.values) }))
    }
    if let (compiledCondition, message) = unreadable {
      // Fail closed: an unreadable value never lets an Allow apply, and always lets a Deny apply.
      let applies = compiled.effect == .deny
      let condition = compiledCondition.condition
      return StatementOutcome(
        applies: applies, mismatch: explain && !applies ? .unreadable(key: condition.key, message: message) : nil,
        principalMatch: principalMatch,
        problem: records ? "\(condition.conditionOperator) on `\(condition.key)`: \(message)" : nil)
    }
    return StatementOutcome(
      applies: true, principalMatch: principalMatch, matchedAction: explain ? matchingAction(compiled.statement.action) : nil,
      deniedByNotPrincipalBoundary: notPrincipalByBoundary)
  }

  private mutating func noteMissing(_ key: String, _ spelled: String) {
    if missingKeys[key] == nil { missingKeys[key] = spelled }
  }

  private mutating func noteMissingVariables(_ template: VariableTemplate, _ value: (ContextKey) -> String?) {
    for (key, spelled) in template.variables where value(ContextKey(key)) == nil && missingKeys[key] == nil {
      missingKeys[key] = spelled
    }
  }

  /// The first Action pattern that names the request's action, or a description of the NotAction match.
  private func matchingAction(_ clause: ActionClause) -> String {
    if clause.isNegated { return "NotAction names none of it" }
    let name = request.lowercasedName
    let pattern = clause.patterns.first { $0.matches(service: request.service, lowercasedName: name) }
    return "Action `\(pattern?.source ?? "?")` matches"
  }

  private func actionMatches(_ compiled: CompiledStatement) -> Bool {
    let matched = compiled.actionNamed(service: request.serviceKey, lowercasedName: request.lowercasedName)
    return matched != compiled.statement.action.isNegated
  }

  /// Whether a `NotPrincipal` list exempts the caller: everyone (`*`), or every identity AWS checks for it. "If
  /// evaluating an assumed-role user, AWS validates the account, then the role, then the assumed-role user": a role
  /// session is exempt when its account, its role ARN and its session ARN are all listed; an IAM user when its
  /// account and its user ARN are; a federated user when its account and its federated-user ARN are; the root user
  /// when its account is.
  func isExempt(by values: [PrincipalValue]) -> Bool {
    let principal = request.principal
    var account = false
    var role = false
    var own = false
    // The ARN role values are matched against, looked up at the first one (it may read the request's context).
    var roleARN: String?
    for value in values {
      switch value {
      case .anyone: return true
      case .account(let id): account = account || same(id, principal.account)
      case .role(let arn):
        if roleARN == nil { roleARN = request.principalARN }
        role = role || same(arn, roleARN!)
      case .user(let arn), .roleSession(let arn), .federatedUser(let arn): own = own || same(arn, principal.arn)
      case .uniqueID(let id) where same(id, principal.uniqueID):
        if principal.kind == .user { own = true } else if principal.kind == .roleSession { role = true }
      case .uniqueID, .service, .federated, .canonicalUser: break
      }
    }
    switch principal.kind {
    case .root: return account
    case .user, .federatedUser: return account && own
    case .roleSession: return account && role && own
    // Only `*` exempts an anonymous caller (fail closed: AWS does not document NotPrincipal for anonymous callers).
    case .anonymous: return false
    }
  }

  /// Principal values compare exactly, byte for byte, as ARNs do.
  @inline(__always)
  private func same(_ lhs: String, _ rhs: String) -> Bool { lhs.utf8.elementsEqual(rhs.utf8) }

  /// The strongest way in which one of the values names the caller (rule M-7), or `nil`. An anonymous caller is
  /// named only by `*`.
  func principalMatch(_ values: [PrincipalValue], accountPrincipals: AccountPrincipals = .account) -> PrincipalMatch? {
    let principal = request.principal
    if principal.kind == .anonymous { return values.contains(.anyone) ? .direct : nil }
    var best: PrincipalMatch?
    // The ARN role values are matched against, looked up at the first one (it may read the request's context).
    var roleARN: String?
    for value in values {
      let match: PrincipalMatch?
      switch value {
      case .anyone: match = .direct
      case .account(let id):
        switch accountPrincipals {
        case .account: match = same(id, principal.account) ? .account : nil
        case .rootUserOnly: match = principal.kind == .root && same(id, principal.account) ? .direct : nil
        case .undocumented: match = nil
        }
      case .role(let arn):
        guard principal.kind == .roleSession else { match = nil; break }
        if roleARN == nil { roleARN = request.principalARN }
        match = same(arn, roleARN!) ? .role : nil
      case .user(let arn): match = principal.kind == .user && same(arn, principal.arn) ? .direct : nil
      case .roleSession(let arn), .federatedUser(let arn): match = same(arn, principal.arn) ? .direct : nil
      case .uniqueID(let id):
        match = same(id, principal.uniqueID) ? (principal.kind == .user ? .direct : .role) : nil
      case .service, .federated, .canonicalUser: match = nil
      }
      if let match, best.map({ match > $0 }) ?? true { best = match }
    }
    return best
  }

  /// Whether one of the values is the caller's account.
  private func namesCallersAccount(_ values: [PrincipalValue]) -> Bool {
    let principal = request.principal
    return principal.kind != .anonymous && values.contains { if case .account(let id) = $0 { same(id, principal.account) } else { false } }
  }
}
