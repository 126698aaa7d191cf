import IAMEvaluation
import IAMPolicy

/// A risk an audit found, with the requests the engine allowed as evidence.
public struct AuditFinding: Sendable, Hashable {
  /// The stable code, such as `privilege-escalation.pass-role`.
  public var code: String
  /// How serious it is, as Access Analyzer ranks findings: error, security-warning, warning, suggestion.
  public var severity: Diagnostic.Severity
  /// The subject it is about (a permission set, `NAME@ACCOUNT`, or the policies' name).
  public var subject: String
  /// What the risk is, in one sentence.
  public var message: String
  /// The requests that were allowed, with the statements that allowed them.
  public var evidence: [Evidence]
  /// Further lines, such as counts per service.
  public var details: [String]

  /// Creates a finding.
  public init(
    code: String, severity: Diagnostic.Severity, subject: String, message: String, evidence: [Evidence] = [],
    details: [String] = []
  ) {
    self.code = code
    self.severity = severity
    self.subject = subject
    self.message = message
    self.evidence = evidence
    self.details = details
  }

  /// The family of the code: the part before the first `.`.
  public var family: String { String(code.prefix { $0 != "." }) }
}

/// One request the engine allowed, and why.
public struct Evidence: Sendable, Hashable {
  /// `service:Action`.
  public var action: String
  /// The request's resource (a probe standing for a pattern, or `*`).
  public var resource: String
  /// What the resource stands for: `*`, the pattern as written, or `any …` for a resource no policy names.
  public var resourceLabel: String
  /// Whether it is allowed only thanks to statements with conditions.
  public var conditional: Bool
  /// The condition keys of the allowing statements, when conditional.
  public var conditionKeys: [String]
  /// The statements that allowed it.
  public var statements: [StatementReference]
  /// The caller of the request when it is not the subject's own (external-access findings: `anonymous`, or a
  /// principal of another account); `nil` for the subject's caller.
  public var caller: String? = nil

  /// `iam:PassRole on arn:… (any arn:${Partition}:iam::${Account}:role/${RoleNameWithPath})`.
  public var summary: String {
    let label = resourceLabel == resource ? "" : " (\(resourceLabel))"
    let condition = conditional ? " if " + conditionKeys.joined(separator: ", ") : ""
    let by = caller.map { " as \($0)" } ?? ""
    return "\(action) on \(resource)\(label)\(by)\(condition)"
  }
}

/// The severities findings use, from the most serious.
extension Diagnostic.Severity {
  /// The next less serious severity (a conditional risk is one step less serious).
  var lowered: Diagnostic.Severity {
    switch self {
    case .error: .securityWarning
    case .securityWarning: .warning
    case .warning, .suggestion, .note: .suggestion
    }
  }
}
