/// What Identity Center supports of the SCIM 2.0 user and group schemas (S-4, S-6, S-7), attribute names lower-cased.
enum SCIMSchema {
  static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
  static let groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
  static let enterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
  static let patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
  static let listSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

  /// User attributes Identity Center supports.
  static let userAttributes: Set<String> = [
    "schemas", "id", "externalid", "meta", "username", "name", "displayname", "nickname", "profileurl", "title",
    "usertype", "preferredlanguage", "locale", "timezone", "active", "emails", "phonenumbers", "addresses", "roles",
    enterpriseSchema.lowercased(),
  ]
  /// User attributes of RFC 7643 that Identity Center does not support; `groups` may not be sent on create.
  static let unsupportedUserAttributes: Set<String> = [
    "password", "ims", "photos", "entitlements", "x509certificates", "groups",
  ]
  /// Single-valued text attributes that follow the identity store's text rules.
  static let userTextAttributes = [
    "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone",
  ]
  static let nameParts = ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"]
  /// ``enterpriseSchema``, ``userTextAttributes`` and ``nameParts`` lower-cased once, for the rules that look them up
  /// for every member of every user.
  static let enterpriseSchemaLowercased = enterpriseSchema.lowercased()
  static let userTextAttributesLowercased = userTextAttributes.map { (lowercased: $0.lowercased(), label: $0) }
  static let namePartsLowercased = nameParts.map { (lowercased: $0.lowercased(), label: $0) }
  static let enterpriseAttributes: Set<String> = [
    "employeenumber", "costcenter", "organization", "division", "department", "manager",
  ]

  /// The multi-valued attributes Identity Center limits to one element, with the sub-attributes it supports.
  static let singleItemLists: [String: Set<String>] = [
    "emails": ["value", "type", "primary"],
    "phonenumbers": ["value", "type", "primary"],
    "addresses": ["formatted", "streetaddress", "locality", "region", "postalcode", "country", "type", "primary"],
    "roles": ["value", "type", "primary"],
  ]

  /// User attributes a PATCH may modify (PatchUser constraints); `enterprise` stands for the enterprise extension.
  static let patchableUserAttributes: Set<String> = [
    "username", "active", "externalid", "displayname", "nickname", "profileurl", "title", "usertype",
    "preferredlanguage", "locale", "timezone", "name", "enterprise", "emails", "addresses", "phonenumbers",
  ]
  /// Group attributes a PATCH may modify (PatchGroup constraints).
  static let patchableGroupAttributes: Set<String> = ["displayname", "members", "externalid"]
  /// Group attributes Identity Center supports.
  static let groupAttributes: Set<String> = ["schemas", "id", "externalid", "meta", "displayname", "members"]
  /// Sub-attributes of a group member Identity Center supports (`display` is not, as for any multi-valued attribute).
  static let memberAttributes: Set<String> = ["value", "type", "$ref"]
  /// The most members a create-group request or memberships a PATCH may carry.
  static let maximumMembersPerRequest = 100
}
