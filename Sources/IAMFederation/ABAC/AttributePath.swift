/// The `${path:…}` attribute sources Identity Center supports for attributes for access control (F-5).
public enum AttributePath {
  /// Every supported path, in the order the Identity Center user guide lists them.
  public static let supported: [String] = [
    "userName", "name.familyName", "name.givenName", "displayName", "nickName",
    "emails[primary eq true].value",
    "addresses[type eq \"work\"].streetAddress", "addresses[type eq \"work\"].locality",
    "addresses[type eq \"work\"].region", "addresses[type eq \"work\"].postalCode",
    "addresses[type eq \"work\"].country", "addresses[type eq \"work\"].formatted",
    "phoneNumbers[type eq \"work\"].value",
    "userType", "title", "locale", "timezone",
    "enterprise.employeeNumber", "enterprise.costCenter", "enterprise.organization", "enterprise.division",
    "enterprise.department", "enterprise.manager.value",
  ]

  /// The supported path a source such as `${path:enterprise.department}` names, spelled as ``supported`` spells it;
  /// `nil` when the source is not a supported `${path:…}` (attribute names compare without regard to case).
  public static func path(inSource source: String) -> String? {
    guard source.hasPrefix("${path:"), source.hasSuffix("}") else { return nil }
    let path = source.dropFirst("${path:".count).dropLast()
    return byLowercasedName[path.lowercased()]
  }

  /// ``supported`` by lower-cased name (the first of any two that lower-case alike), built once: sources are
  /// resolved for every user of an organization.
  private static let byLowercasedName: [String: String] = Dictionary(
    supported.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
}
