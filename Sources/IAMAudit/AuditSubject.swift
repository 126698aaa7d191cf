import IAMEvaluation
import IAMPolicy

/// What an audit is about: a caller and the policies that decide its requests.
///
/// A subject is a list of policies (with an optional boundary, session policy and SCP levels), a
/// permission set in one account, or one (permission set, account) pair of an organization.
public struct AuditSubject: Sendable {
  /// The name findings, suppressions and reports use, such as `DatabaseAdministrator` or
  /// `DatabaseAdministrator@111122223333`.
  public var name: String
  /// The permission set, when the subject is one.
  public var permissionSet: String?
  /// The account the permission set is resolved in, when known.
  public var account: String?
  /// The caller whose requests are evaluated.
  public var principal: Principal
  /// Context keys every request carries besides the principal's (such as `identitystore:UserId`).
  public var context: RequestContext
  /// The policies: identity policies, boundary, session policy, SCP and RCP levels. A resource policy is ignored.
  public var policies: PolicySet
  /// Every account whose sessions of the permission set have exactly these policies, audited as this subject
  /// (`account` first); empty for subjects that are not an organization's.
  public var accounts: [String]
  /// The users and groups the organization gives the permission set to in ``accounts``
  /// (``holders(in:)``); empty for subjects that are not an organization's.
  public var holders: [AuditHolder] = []
  /// Context the question gives (`--region`): every request carries it, and conditions on its keys are evaluated as
  /// written instead of being assumed to hold (Allow) or not (Deny).
  public var given = RequestContext()

  /// Creates a subject.
  public init(
    name: String, permissionSet: String? = nil, account: String? = nil, principal: Principal = .defaultSession,
    context: RequestContext = RequestContext(), policies: PolicySet, accounts: [String] = []
  ) {
    self.accounts = accounts
    self.name = name
    self.permissionSet = permissionSet
    self.account = account
    self.principal = principal
    self.context = context
    self.policies = policies
  }

  /// The names a suppression may use for this subject: its name, and its permission set's name.
  public var names: [String] {
    [name] + (permissionSet.map { [$0] } ?? [])
  }

  /// The request for an action on a probe resource, always in the caller's own account, prepared for the
  /// subject's caller prepared once (``preparedCaller``): the probe's variables are the request's own context, laid
  /// over the subject's.
  func prepared(action: String, probe: Probe, caller: PreparedCaller) -> PreparedRequest {
    var variables = RequestContext()
    for variable in probe.variables { variables.set(variable.key, variable.value) }
    return PreparedRequest(
      AuthorizationRequest(
        principal: principal, action: action, resource: probe.resource, resourceAccount: principal.account,
        context: variables),
      caller: caller)
  }

  /// The caller with the context every request of the subject carries, prepared once.
  var preparedCaller: PreparedCaller { PreparedCaller(principal, sharedContext: context.merging(given)) }

  /// The lower-cased keys of ``given``.
  var givenKeys: Set<String> { Set(given.sortedEntries.map { $0.key.lowercased() }) }
}

/// A Deny statement with conditions, which the audit sets aside: it denies only in some contexts.
public struct ConditionalDeny: Sendable, Hashable {
  /// The layer: `identity`, `boundary`, `session`, `scp[1]`, `rcp[0]`.
  public var layer: String
  /// The policy's name.
  public var policy: String
  /// The statement, as `"Sid"` or `#index`, with its path and line.
  public var statement: String
  /// The condition keys it tests.
  public var keys: [String]

  /// `scp[2] deny-outside-eu.json statement "DenyOutsideEU" ($.Statement[0], line 3:5) if aws:RequestedRegion`.
  public var description: String {
    "\(layer) \(policy) statement \(statement) if \(keys.joined(separator: ", "))"
  }
}

extension AuditSubject {
  /// The Deny statements with conditions in every layer: the audit assumes their conditions do not hold.
  public var conditionalDenies: [ConditionalDeny] {
    let layered: [(String, [PolicyDocument])] =
      [
        ("identity", policies.identityPolicies), ("boundary", policies.permissionsBoundary.map { [$0] } ?? []),
        ("session", policies.sessionPolicy.map { [$0] } ?? []),
      ]
      + policies.serviceControlPolicies.enumerated().map { ("scp[\($0.offset)]", $0.element) }
      + policies.resourceControlPolicies.enumerated().map { ("rcp[\($0.offset)]", $0.element) }
    var result: [ConditionalDeny] = []
    for (layer, documents) in layered {
      for document in documents {
        for statement in document.statements where statement.effect == .deny && !statement.conditions.isEmpty {
          var keys: [String] = []
          for condition in statement.conditions where !keys.contains(condition.key) { keys.append(condition.key) }
          result.append(
            ConditionalDeny(
              layer: layer, policy: document.name,
              statement: "\(statement.label) (\(statement.path), line \(statement.position))",
              keys: keys))
        }
      }
    }
    return result
  }
}
