import IAMPolicy

/// Checks a valid policy against the catalog, as IAM Access Analyzer's policy checks do (issue 4, item 3).
///
/// These are findings, not grammar errors: IAM accepts a policy that names an unknown action, so the
/// policy is still evaluated; `iamsim validate` reports them and `--fail-on` decides the exit status.
public struct CatalogPolicyChecks: Sendable {
  /// The catalog to check against.
  public let catalog: Catalog

  /// Creates the checks.
  public init(catalog: Catalog) {
    self.catalog = catalog
  }

  /// Every catalog finding of a policy, sorted.
  ///
  /// - Complexity: O(s·a) in the statements and the actions they name.
  public func findings(for document: PolicyDocument, file: String? = nil) -> [Diagnostic] {
    var findings: [Diagnostic] = []
    func report(_ code: Diagnostic.Code, _ severity: Diagnostic.Severity, _ message: String, _ path: JSONPath,
                _ position: SourcePosition?) {
      findings.append(Diagnostic(code, severity, message, file: file, path: path, position: position))
    }
    var expanded: [[CatalogAction]] = []
    for statement in document.statements {
      let actionPath = statement.path.appending(statement.action.isNegated ? "NotAction" : "Action")
      for (index, pattern) in statement.action.patterns.enumerated() where !pattern.matchesEverything {
        let path = statement.action.patterns.count == 1 ? actionPath : actionPath.appending(index)
        if catalog.service(prefix: pattern.service) == nil {
          report(.unknownService, .error, "the service `\(pattern.service)` in `\(pattern.source)` does not exist in the catalog", path,
                 statement.position)
        } else if catalog.actions(matching: pattern.source).isEmpty {
          report(.unknownAction, .error,
                 pattern.hasWildcard ? "the pattern `\(pattern.source)` matches no action of `\(pattern.service)`"
                   : "the action `\(pattern.source)` does not exist in the catalog", path, statement.position)
        }
      }
      let patterns = statement.action.patterns.map(\.source)
      let actions = statement.action.isNegated ? catalog.actions(matchingNoneOf: patterns) : catalog.actions(matchingAnyOf: patterns)
      expanded.append(actions)
      if statement.effect == .allow && statement.action.isNegated {
        report(.allowWithNotAction, .securityWarning,
               "an Allow with NotAction grants every other action of every service, including ones AWS adds later", actionPath,
               statement.position)
      }
      // SCPs and RCPs grant nothing ("No permissions are granted by an SCP", and likewise by an RCP), so an Allow of
      // iam:PassRole on `*` there passes no role: AWS's own RCPFullAWSAccess is `"Action": "*", "Resource": "*"`.
      if statement.effect == .allow, document.kind.grantsPermissions,
        actions.contains(where: { $0.qualifiedName == "iam:PassRole" }),
        statement.resource.map({ !$0.isNegated && $0.patterns.contains { $0.source == "*" } }) ?? false
      {
        report(.passRoleOnEveryRole, .securityWarning,
               "iam:PassRole on `*` lets the caller pass any role, with its permissions, to any service",
               statement.path.appending("Resource"), statement.position)
      }
      findings += conditionFindings(statement, actions: actions, file: file)
      findings += resourceFindings(statement, actions: actions, file: file)
    }
    findings += redundancyFindings(document, expanded: expanded, file: file)
    return findings.sorted()
  }

  /// Condition keys that no action of the statement supports, and operators of the wrong type for a key.
  private func conditionFindings(_ statement: Statement, actions: [CatalogAction], file: String?) -> [Diagnostic] {
    guard !actions.isEmpty else { return [] }
    var findings: [Diagnostic] = []
    let services = Set(actions.map(\.servicePrefix)).compactMap { catalog.service(prefix: $0) }
    for condition in statement.conditions where !condition.lookupKey.hasPrefix("aws:") {
      let key = condition.lookupKey
      // Cross-service keys (`ec2:SourceInstanceArn`, `glue:RoleAssumedBy`, …) are global: every request may carry them.
      let supported = CrossServiceConditionKeys.contains(key) || actions.contains { action in
        action.conditionKeys.contains { CatalogPolicyChecks.keyMatches($0, key) }
          || action.resourceTypes.contains { type in
            type.conditionKeys.contains { CatalogPolicyChecks.keyMatches($0, key) }
              || (type.definition?.conditionKeys ?? []).contains { CatalogPolicyChecks.keyMatches($0, key) }
          }
      }
      if !supported {
        findings.append(Diagnostic(
          .unsupportedConditionKey, .warning,
          "no action of the statement supports the condition key `\(condition.key)`, so the condition never sees it",
          file: file, path: condition.path, position: condition.position))
      }
      let types = services.flatMap(\.conditionKeys).filter { CatalogPolicyChecks.keyMatches($0.name, key) }.flatMap(\.types)
      if let type = types.first, !CatalogPolicyChecks.operator(condition.conditionOperator.base.family, fits: type) {
        findings.append(Diagnostic(
          .operatorTypeMismatch, .warning,
          "`\(condition.conditionOperator)` compares \(condition.conditionOperator.base.family) values, but `\(condition.key)` is of type \(type)",
          file: file, path: condition.path, position: condition.position))
      }
    }
    return findings
  }

  /// Specific resource ARNs that fit none of the resource types of the statement's actions.
  private func resourceFindings(_ statement: Statement, actions: [CatalogAction], file: String?) -> [Diagnostic] {
    guard let clause = statement.resource, !clause.isNegated, !actions.isEmpty, !statement.action.isNegated else { return [] }
    var findings: [Diagnostic] = []
    var templates = Set<String>()
    for action in actions {
      for type in action.resourceTypes { templates.formUnion(type.arnPatterns) }
    }
    let typePatterns = templates.sorted().map(ResourceTypeFit.tokens(template:))
    for (index, pattern) in clause.patterns.enumerated() where pattern.source != "*" && pattern.variableKeys.isEmpty {
      // Exact: some ARN of one of the types matches the pattern as IAM matches it (a `*` spans `/` and `:` in the
      // resource part), not merely the pattern with its wildcards filled in.
      let tokens = ResourceTypeFit.tokens(pattern: pattern.source)
      let fits = tokens.map { tokens in typePatterns.contains { ResourceTypeFit.intersects($0, tokens) } } ?? false
      if !fits {
        let path = clause.patterns.count == 1 ? statement.path.appending("Resource") : statement.path.appending("Resource").appending(index)
        findings.append(Diagnostic(
          .resourceFitsNoType, .warning,
          typePatterns.isEmpty
            ? "the statement's actions support only `\"Resource\": \"*\"`, so `\(pattern.source)` grants nothing"
            : "`\(pattern.source)` fits none of the resource types of the statement's actions, so it grants nothing for them",
          file: file, path: path, position: statement.position))
      }
    }
    return findings
  }

  /// Allow statements that another unconditional statement makes redundant, or an unconditional Deny shadows.
  private func redundancyFindings(_ document: PolicyDocument, expanded: [[CatalogAction]], file: String?) -> [Diagnostic] {
    var findings: [Diagnostic] = []
    let statements = document.statements
    func coversAll(_ outer: Statement) -> Bool {
      outer.conditions.isEmpty && outer.principal == nil
        && (outer.resource.map { !$0.isNegated && $0.patterns.contains { $0.source == "*" } } ?? true)
    }
    for (index, statement) in statements.enumerated() where statement.effect == .allow && !expanded[index].isEmpty {
      let names = Set(expanded[index].map(\.qualifiedName))
      for (otherIndex, other) in statements.enumerated() where otherIndex != index && coversAll(other) {
        guard names.isSubset(of: Set(expanded[otherIndex].map(\.qualifiedName))) else { continue }
        if other.effect == .deny {
          findings.append(Diagnostic(
            .shadowedStatement, .warning, "statement \(statement.label) is shadowed: statement \(other.label) denies everything it allows",
            file: file, path: statement.path, position: statement.position))
          break
        }
        if otherIndex < index || names.count < expanded[otherIndex].count {
          findings.append(Diagnostic(
            .redundantStatement, .suggestion, "statement \(statement.label) is redundant: statement \(other.label) already allows all of it",
            file: file, path: statement.path, position: statement.position))
          break
        }
      }
    }
    return findings
  }

  /// Whether a catalog key names a policy key. The catalog writes a key's variable part three ways:
  /// `aws:ResourceTag/${TagKey}`, `s3:ExistingObjectTag/<key>` and `secretsmanager:ResourceTag/tag-key`; each stands
  /// for any non-empty text.
  static func keyMatches(_ catalogKey: String, _ lookupKey: String) -> Bool {
    let lowered = catalogKey.lowercased()
    let prefix: Substring
    if let open = lowered.firstIndex(where: { $0 == "$" || $0 == "<" }) {
      prefix = lowered[..<open]
    } else if lowered.hasSuffix("/tag-key") {
      prefix = lowered.dropLast("tag-key".count)
    } else {
      return lowered == lookupKey
    }
    return lookupKey.hasPrefix(prefix) && lookupKey.count > prefix.count
  }

  /// Whether an operator family suits a catalog condition-key type.
  static func `operator`(_ family: ConditionOperator.Family, fits type: String) -> Bool {
    let base = type.hasPrefix("ArrayOf") ? String(type.dropFirst("ArrayOf".count)) : type
    switch family {
    case .null, .string, .stringLike: return true
    case .numeric: return base == "Numeric"
    case .date: return base == "Date"
    case .bool: return base == "Bool" || base == "Boolean"
    case .binary: return base == "Binary"
    case .ipAddress: return base == "IPAddress"
    case .arn: return base == "ARN" || base == "String"
    }
  }
}

extension IAMPolicy.ActionPattern {
  /// Whether the action name holds `*` or `?`.
  var hasWildcard: Bool { source.contains("*") || source.contains("?") }
}

extension PolicyKind {
  /// Whether an Allow in a policy of this kind grants anything: SCPs and RCPs only set the most a principal or a
  /// resource may be allowed.
  var grantsPermissions: Bool { self != .serviceControl && self != .resourceControl }
}

extension Diagnostic.Code {
  public static let unknownService: Self = "catalog.unknown-service"
  public static let unknownAction: Self = "catalog.unknown-action"
  public static let allowWithNotAction: Self = "catalog.allow-with-notaction"
  public static let passRoleOnEveryRole: Self = "catalog.passrole-on-every-role"
  public static let unsupportedConditionKey: Self = "catalog.unsupported-condition-key"
  public static let operatorTypeMismatch: Self = "catalog.operator-type-mismatch"
  public static let resourceFitsNoType: Self = "catalog.resource-fits-no-type"
  public static let redundantStatement: Self = "catalog.redundant-statement"
  public static let shadowedStatement: Self = "catalog.shadowed-statement"
}
