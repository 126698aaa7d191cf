/// One principal named in a `Principal` or `NotPrincipal` element (rule G-7, M-7).
public enum PrincipalValue: Sendable, Hashable, CustomStringConvertible {
  /// `"*"` or `{"AWS": "*"}`: everyone, anonymous callers included.
  case anyone
  /// An account: `123456789012` or `arn:aws:iam::123456789012:root`.
  case account(String)
  /// An IAM role, by its ARN including the path.
  case role(String)
  /// An IAM user, by its ARN.
  case user(String)
  /// One role session: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
  case roleSession(String)
  /// An STS federated-user session.
  case federatedUser(String)
  /// A unique ID such as `AROA…` or `AIDA…`, left by a deleted and re-created entity.
  case uniqueID(String)
  /// An AWS service, such as `ec2.amazonaws.com`.
  case service(String)
  /// A SAML or OIDC provider.
  case federated(String)
  /// An S3 canonical user ID.
  case canonicalUser(String)

  /// Reads a value of the `AWS` principal type; returns a message when it is not a principal.
  public static func aws(_ text: String) -> Result<PrincipalValue, PrincipalValueError> {
    if text == "*" { return .success(.anyone) }
    if text.contains("*") || text.contains("?") {
      return .failure(.init(code: .principalWildcard, message: "wildcards (*, ?) are not supported with the principal key `AWS`: `\(text)`; use `Principal: \"*\"` with an `aws:PrincipalArn` condition"))
    }
    if text.count == 12, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return .success(.account(text)) }
    if let arn = ARN(text), !arn.account.isEmpty {
      switch (arn.service, arn.resource) {
      case ("iam", "root"): return .success(.account(arn.account))
      case ("iam", let resource) where resource.hasPrefix("role/"): return .success(.role(text))
      case ("iam", let resource) where resource.hasPrefix("user/"): return .success(.user(text))
      case ("sts", let resource) where resource.hasPrefix("assumed-role/") && resource.split(separator: "/").count == 3:
        return .success(.roleSession(text))
      case ("sts", let resource) where resource.hasPrefix("federated-user/"): return .success(.federatedUser(text))
      default: break
      }
    }
    if text.count == 21, ["AROA", "AIDA", "AGPA", "ANPA"].contains(String(text.prefix(4))),
      text.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })
    {
      return .success(.uniqueID(text))
    }
    return .failure(.init(code: .invalidPrincipal, message: "`\(text)` is not an account ID, an IAM user, role, role session or federated-user ARN"))
  }

  public var description: String {
    switch self {
    case .anyone: "*"
    case .account(let id): "account \(id)"
    case .role(let arn), .user(let arn), .roleSession(let arn), .federatedUser(let arn): arn
    case .uniqueID(let id): id
    case .service(let name): "service \(name)"
    case .federated(let provider): "federated \(provider)"
    case .canonicalUser(let id): "canonical user \(id)"
    }
  }
}

/// Why a principal value is invalid.
public struct PrincipalValueError: Error, Sendable, Hashable {
  /// The diagnostic code to report.
  public let code: Diagnostic.Code
  /// What is wrong.
  public let message: String
}
