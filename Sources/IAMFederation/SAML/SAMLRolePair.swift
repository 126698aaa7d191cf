/// One value of the `Role` attribute: a role ARN and the ARN of the IAM SAML provider that may assume it.
public struct SAMLRolePair: Sendable, Hashable {
  /// The role, such as `arn:aws:iam::111122223333:role/Developers`.
  public var roleArn: String
  /// The SAML provider, such as `arn:aws:iam::111122223333:saml-provider/EntraID`.
  public var providerArn: String

  /// The account that owns the SAML provider.
  public var providerAccount: String { Self.components(of: providerArn)?.account ?? "" }
  /// The provider's friendly name (the last part of its ARN).
  public var providerName: String {
    Self.components(of: providerArn).map { String($0.resource.dropFirst("saml-provider/".count)) } ?? ""
  }

  /// Reads `role-arn,provider-arn` in either order, or returns `nil` when the value is not such a pair.
  init?(attributeValue: String) {
    let parts = attributeValue.split(separator: ",", omittingEmptySubsequences: false).map {
      SAMLExtraction.trimmed(String($0))
    }
    guard parts.count == 2 else { return nil }
    let kinds = parts.map(Self.kind)
    switch (kinds[0], kinds[1]) {
    case (.role?, .provider?): (roleArn, providerArn) = (parts[0], parts[1])
    case (.provider?, .role?): (roleArn, providerArn) = (parts[1], parts[0])
    default: return nil
    }
  }

  private enum Kind { case role, provider }

  private static func kind(_ arn: String) -> Kind? {
    guard let parts = components(of: arn) else { return nil }
    if parts.resource.hasPrefix("role/") && parts.resource.count > "role/".count && !parts.resource.hasSuffix("/") {
      return .role
    }
    let name = parts.resource.dropFirst("saml-provider/".count)
    if parts.resource.hasPrefix("saml-provider/") && !name.isEmpty && !name.contains("/") { return .provider }
    return nil
  }

  /// The account and resource of an IAM ARN `arn:<partition>:iam::<12 digits>:<resource>`.
  private static func components(of arn: String) -> (account: String, resource: String)? {
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "iam", parts[3].isEmpty,
      parts[4].count == 12, parts[4].allSatisfy(\.isASCII), parts[4].allSatisfy(\.isNumber)
    else { return nil }
    return (String(parts[4]), String(parts[5]))
  }
}
