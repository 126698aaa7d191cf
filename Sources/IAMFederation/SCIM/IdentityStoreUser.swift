/// A user of the Identity Center identity store, reduced to what provisioning checks and ABAC need.
public struct IdentityStoreUser: Sendable, Hashable {
  /// The identity-store user ID, when known (SCIM `id`, CLI `UserId`).
  public var id: String?
  /// The user name Identity Center matches SAML `NameID` values against.
  public var userName: String
  /// The IdP's identifiers for the user (SCIM `externalId`, CLI `ExternalIds[].Id`).
  public var externalIDs: [String]
  /// The user's attributes keyed by ``AttributePath`` (`displayName`, `enterprise.department`, …); empty values are absent.
  public var attributes: [String: String]

  /// Creates a user.
  public init(id: String? = nil, userName: String, externalIDs: [String] = [], attributes: [String: String] = [:]) {
    self.id = id
    self.userName = userName
    self.externalIDs = externalIDs
    self.attributes = attributes.filter { !$0.value.isEmpty }
    self.attributes["userName"] = userName.isEmpty ? nil : userName
  }

  /// The value at a supported ``AttributePath``, such as `enterprise.costCenter`.
  public func value(at path: String) -> String? { attributes[path] }

  /// The primary e-mail address.
  public var primaryEmail: String? { attributes["emails[primary eq true].value"] }
}
