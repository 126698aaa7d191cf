import IAMCatalog
import IAMEvaluation
import IAMPolicy

/// An action the policies grant on some resource.
public struct GrantedAction: Sendable, Hashable {
  /// `service:Action`, spelled as in the catalog.
  public var action: String
  /// The service prefix.
  public var service: String
  /// The classic access level.
  public var accessLevel: AccessLevel
  /// Whether every statement that grants it has a Condition: without them, nothing grants it.
  public var conditional: Bool
  /// Whether the request on `*` is allowed: the action is granted on every resource.
  public var allResources: Bool
  /// The resource patterns it is granted on, as written (`*` for every resource).
  public var resources: [String]
  /// The condition keys of the statements that grant it, when it is conditional.
  public var conditionKeys: [String]
  /// When the audit was asked for conditions (``Auditor/audit(_:rules:conditions:)``) and the policies as written do
  /// not allow it on its first allowed resource without context the audit does not give (the Region, MFA, a
  /// conditional Deny's key): the context under which they do.
  public var allowedIf: DecisionCondition? = nil
  /// The probes that were allowed (internal: evidence is rebuilt from them).
  var allowedProbes: [Probe]

  /// Where it is granted, in words: `all resources` or the patterns.
  public var resourceSummary: String {
    allResources ? "all resources" : resources.joined(separator: ", ")
  }
}

/// An action the identity policies grant that a boundary, session policy, SCP or RCP level or an
/// unconditional Deny removes.
public struct CutAction: Sendable, Hashable {
  /// `service:Action`, spelled as in the catalog.
  public var action: String
  /// The service prefix.
  public var service: String
  /// The classic access level.
  public var accessLevel: AccessLevel
  /// The layer that cut it (`boundary`, `scp[1]`, `identity` for an identity Deny …).
  public var layer: Layer
  /// Whether a Deny statement cut it (rather than a layer without an Allow).
  public var byDeny: Bool
  /// The Deny statements that cut it, if any.
  public var statements: [StatementReference]
  /// The engine's reason.
  public var reason: String

  /// `the permissions boundary`, `a Deny in scp[1]`, … for reports.
  public var cutBy: String {
    byDeny ? "a Deny statement in \(layer.name)" : "\(layer.name) (no Allow)"
  }
}

/// Everything an audit found for one subject.
public struct AuditReport: Sendable {
  /// The subject audited.
  public var subject: AuditSubject
  /// The granted actions, in catalog order.
  public var granted: [GrantedAction]
  /// The actions cut, in catalog order.
  public var cut: [CutAction]
  /// The risk findings, unsuppressed; ``applying(_:today:)`` moves suppressed ones out.
  public var findings: [AuditFinding]
  /// Findings hidden by an unexpired suppression, with the suppression.
  public var suppressed: [(finding: AuditFinding, suppression: Suppression)] = []

  /// The granted actions by service prefix, in catalog order of services.
  public var grantedByService: [(service: String, actions: [GrantedAction])] {
    var order: [String] = []
    var groups: [String: [GrantedAction]] = [:]
    for action in granted {
      if groups[action.service] == nil { order.append(action.service) }
      groups[action.service, default: []].append(action)
    }
    return order.map { ($0, groups[$0] ?? []) }
  }

  /// The granted action with this name, regardless of case.
  ///
  /// - Complexity: O(n) in the number of granted actions.
  public func granted(_ action: String) -> GrantedAction? {
    let wanted = action.lowercased()
    return granted.first { $0.action.count == action.count && $0.action.lowercased() == wanted }
  }
}
