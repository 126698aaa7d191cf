/// Whom a SAML response is addressed to, judged from its `Recipient` (or `Destination`) by ``SAMLEndpoint``.
public enum SAMLDestination: String, Sendable, Hashable {
  /// AWS sign-in's SAML endpoint (`https://signin.aws.amazon.com/saml`, a regional or `/saml/acs/…` form):
  /// `AssumeRoleWithSAML`.
  case iam
  /// An IAM Identity Center ACS URL (`https://<region>.signin.aws/platform/saml/acs/…` and its documented forms).
  case identityCenter
  /// Some other URL: not addressed to AWS.
  case other
  /// The response names no recipient.
  case missing

  /// Classifies a recipient URL.
  public init(recipient: String?) {
    guard let recipient else {
      self = .missing
      return
    }
    switch SAMLEndpoint.classify(recipient) {
    case .aws(let endpoint): self = endpoint.kind == .iam ? .iam : .identityCenter
    case .notAWS: self = .other
    }
  }
}
