/// The answer to a request, spelled as AWS's policy simulator spells it (rule 0.2).
public enum Decision: String, Sendable, Hashable, CaseIterable {
  case allowed
  /// A Deny statement applied.
  case explicitDeny
  /// Nothing allowed it; or a boundary, session policy or SCP left it out; or a key or trust policy did not allow.
  case implicitDeny
}
