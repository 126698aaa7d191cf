import Foundation

/// Whom a SAML response is addressed to, judged from its `Recipient` (or `Destination`).
public enum SAMLDestination: String, Sendable, Hashable {
  /// IAM's SAML endpoint (`https://signin.aws.amazon.com/saml`, a regional or `/saml/acs/…` variant): `AssumeRoleWithSAML`.
  case iam
  /// An IAM Identity Center ACS URL (`https://<region>.signin.aws.amazon.com/platform/saml/acs/…`): Entra signs in to Identity Center.
  case identityCenter
  /// Some other URL.
  case other
  /// The response names no recipient.
  case missing

  /// Classifies a recipient URL.
  public init(recipient: String?) {
    guard let recipient else {
      self = .missing
      return
    }
    guard let url = URL(string: recipient), url.scheme?.lowercased() == "https", let host = url.host?.lowercased()
    else {
      self = .other
      return
    }
    let path = url.path
    let signInHosts = ["signin.aws.amazon.com", "signin.amazonaws.cn", "signin.amazonaws-us-gov.com"]
    let isSignInHost = signInHosts.contains { host == $0 || host.hasSuffix("." + $0) }
    if path.hasPrefix("/platform/saml/acs/") && (isSignInHost || host == "signin.aws" || host.hasSuffix(".signin.aws"))
    {
      self = .identityCenter
    } else if isSignInHost
      && (path == "/saml" || path == "/saml/" || path == "/static/saml" || path.hasPrefix("/saml/acs/"))
    {
      self = .iam
    } else {
      self = .other
    }
  }
}
