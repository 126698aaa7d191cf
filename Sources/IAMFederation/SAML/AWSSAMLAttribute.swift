/// The attribute names AWS reads from SAML assertions; names are case-sensitive (F-7).
enum AWSSAMLAttribute {
  static let prefix = "https://aws.amazon.com/SAML/Attributes/"
  static let role = prefix + "Role"
  static let roleSessionName = prefix + "RoleSessionName"
  static let sessionDuration = prefix + "SessionDuration"
  static let sourceIdentity = prefix + "SourceIdentity"
  static let transitiveTagKeys = prefix + "TransitiveTagKeys"
  /// `PrincipalTag:{Key}` passes a session tag through IAM SAML federation.
  static let principalTagPrefix = prefix + "PrincipalTag:"
  /// `AccessControl:{Key}` passes an attribute for access control through Identity Center (Entra: `AccessControl:Department`).
  static let accessControlPrefix = prefix + "AccessControl:"

  /// The session-tag key an attribute passes, if it is a `PrincipalTag:` or `AccessControl:` attribute.
  static func tagKey(of name: String) -> String? {
    for tagPrefix in [principalTagPrefix, accessControlPrefix] where name.hasPrefix(tagPrefix) {
      return String(name.dropFirst(tagPrefix.count))
    }
    return nil
  }

  /// The `NameID` formats AWS shortens in `saml:sub_type`.
  static let persistentFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
  static let transientFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
  /// The `NameID` format Identity Center requires (S-11).
  static let emailFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
  /// The format in effect when `NameID` has no `Format` (SAML core §8.3.1).
  static let unspecifiedFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
  /// The attribute name formats SAML 2.0 defines (SAML core §8.2).
  static let samlNameFormats: Set<String> = [
    "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
    "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
  ]
  /// The audiences AWS asks IdPs to name for IAM federation.
  static let iamAudiences: Set<String> = ["https://signin.aws.amazon.com/saml", "urn:amazon:webservices"]
}
