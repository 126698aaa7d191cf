import IAMPolicy

extension IdentityStoreUser {
  /// The user a SCIM user resource describes, with its ABAC attributes filled from the SCIM attribute names.
  init(scim user: JSONValue) {
    var attributes: [String: String] = [:]
    for path in ["displayName", "nickName", "userType", "title", "locale", "timezone"] {
      attributes[path] = user.string(path)
    }
    attributes["name.givenName"] = user.value("name")?.string("givenName")
    attributes["name.familyName"] = user.value("name")?.string("familyName")
    Self.fillLists(
      &attributes, user, emails: "emails", addresses: "addresses", phones: "phoneNumbers", names: Self.scimNames)
    Self.fillEnterprise(&attributes, user.value(SCIMSchema.enterpriseSchema))
    self.init(
      id: user.string("id"), userName: user.string("userName") ?? "",
      externalIDs: user.string("externalId").map { [$0] } ?? [],
      attributes: attributes)
  }

  /// The user an `aws identitystore list-users` or `describe-user` entry describes.
  init(cli user: JSONValue) {
    var attributes: [String: String] = [:]
    for (path, key) in [
      ("displayName", "DisplayName"), ("nickName", "NickName"), ("userType", "UserType"), ("title", "Title"),
      ("locale", "Locale"), ("timezone", "Timezone"),
    ] {
      attributes[path] = user.string(key)
    }
    attributes["name.givenName"] = user.value("Name")?.string("GivenName")
    attributes["name.familyName"] = user.value("Name")?.string("FamilyName")
    Self.fillLists(
      &attributes, user, emails: "Emails", addresses: "Addresses", phones: "PhoneNumbers", names: Self.cliNames)
    Self.fillEnterprise(&attributes, user.value("Extensions")?.value("aws:identitystore:enterprise"))
    self.init(
      id: user.string("UserId"), userName: user.string("UserName") ?? "",
      externalIDs: user.value("ExternalIds")?.elements?.compactMap { $0.string("Id") } ?? [], attributes: attributes)
  }

  /// Sub-attribute names as SCIM and the AWS CLI spell them: value, type, primary, then the address parts.
  private static let scimNames = [
    "value", "type", "primary", "streetAddress", "locality", "region", "postalCode", "country", "formatted",
  ]
  private static let cliNames = [
    "Value", "Type", "Primary", "StreetAddress", "Locality", "Region", "PostalCode", "Country", "Formatted",
  ]

  private static func fillLists(
    _ attributes: inout [String: String], _ user: JSONValue, emails: String, addresses: String, phones: String,
    names: [String]
  ) {
    let (value, type, primary) = (names[0], names[1], names[2])
    let emailList = user.value(emails)?.elements ?? []
    let primaryEmail = emailList.first { $0.value(primary)?.boolValue == true }
    attributes["emails[primary eq true].value"] = primaryEmail?.string(value)
    let work = { (element: JSONValue) in element.string(type)?.lowercased() == "work" }
    attributes["phoneNumbers[type eq \"work\"].value"] = user.value(phones)?.elements?.first(where: work)?.string(value)
    if let address = user.value(addresses)?.elements?.first(where: work) {
      for (scimName, name) in zip(scimNames.dropFirst(3), names.dropFirst(3)) {
        attributes["addresses[type eq \"work\"].\(scimName)"] = address.string(name)
      }
    }
  }

  private static func fillEnterprise(_ attributes: inout [String: String], _ enterprise: JSONValue?) {
    guard let enterprise else { return }
    for name in ["employeeNumber", "costCenter", "organization", "division", "department"] {
      attributes["enterprise.\(name)"] = enterprise.string(name)
    }
    attributes["enterprise.manager.value"] = enterprise.value("manager")?.string("value")
  }
}

extension IdentityStoreGroup {
  /// The group a SCIM group resource describes.
  init(scim group: JSONValue) {
    self.init(
      id: group.string("id"), displayName: group.string("displayName") ?? "",
      externalIDs: group.string("externalId").map { [$0] } ?? [],
      memberIDs: group.value("members")?.elements?.compactMap { $0.string("value") } ?? [])
  }

  /// The group an `aws identitystore list-groups` or `describe-group` entry describes.
  init(cli group: JSONValue) {
    self.init(
      id: group.string("GroupId"), displayName: group.string("DisplayName") ?? "",
      externalIDs: group.value("ExternalIds")?.elements?.compactMap { $0.string("Id") } ?? [])
  }
}
