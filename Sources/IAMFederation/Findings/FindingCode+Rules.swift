/// Texts AWS shows to users, quoted verbatim so that users can search for them.
enum AWSText {
  /// AWS sign-in, when the response for IAM has no usable `Role` attribute (IAM SAML troubleshooting page).
  static let invalidSAMLResponse = "Your request included an invalid SAML response. To logout, click here."
  /// STS, when no `RoleSessionName` attribute is present (IAM SAML troubleshooting page).
  static let roleSessionNameRequired = "RoleSessionName is required in AuthnResponse"
  /// STS, when `RoleSessionName` is malformed (IAM SAML troubleshooting page).
  static let roleSessionNameMustMatch = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"
  /// STS, when `SourceIdentity` is malformed (IAM SAML troubleshooting page).
  static let sourceIdentityMustMatch = "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\""
  /// STS, among other causes when the response has no `Subject` with a `NameID` (IAM SAML troubleshooting page).
  static let notAuthorized = "Not authorized to perform sts:AssumeRoleWithSAML"
  /// STS through the console and WorkSpaces, for session tags it refuses (observed; WorkSpaces troubleshooting page).
  static let unableToValidateTags = "Unable to validate tags"
  /// Identity Center sign-in through an external IdP (Identity Center troubleshooting page).
  static let unexpectedError = "An unexpected error has occurred"
  /// Identity Center SCIM, shown in Entra's provisioning log for HTTP 400 (Identity Center troubleshooting page).
  static let unparsable = "Request is unparsable, syntactically incorrect, or violates schema."
  /// Identity Center, in CloudTrail `CreateUser` events for multi-valued lists (Entra page).
  static let singleItem = "Currently list attributes only allow single item"
  /// Identity Center SCIM, HTTP 409 (re:Post knowledge center, Identity Center troubleshooting).
  static let duplicate = "Refused to create a new, duplicate resource"
}

extension FindingCode {
  /// The specification rule this kind of finding enforces.
  public var rule: String {
    switch self {
    case .signatureNotVerified, .multipleAssertions, .subjectMissing, .subjectConfirmation, .timestampInvalid,
      .expired, .notYetValid, .audienceMissing, .roleMissing, .roleMalformed, .roleNotOffered,
      .roleSessionNameMissing, .roleSessionNameInvalid, .sessionDurationInvalid, .sourceIdentityInvalid,
      .statusNotSuccess, .valueWhitespace, .unknownRecipient, .responseTooLarge, .destinationMismatch, .binding:
      "F-7"
    case .identityCenterRecipient, .nameIDFormat, .nameIDNotEmail: "S-11"
    case .guestNameID: "S-10"
    case .abacMultiValued, .abacDuplicateName, .abacStructuredValue, .abacNameFormat, .abacUnsupportedSource,
      .abacSourceEmpty, .abacUserNotFound:
      "F-5"
    case .abacBothSources: "D-9"
    case .contextKeyCollision, .samlKeysForIdentityCenter, .nameIDFormatMissing: "F-8"
    case .tagCount, .tagKeyLength, .tagValueLength, .tagCharacters, .tagReservedPrefix, .tagDuplicateKey,
      .tagMultiValued, .transitiveTagNotPassed:
      "F-6"
    case .scimRequiredAttribute: "S-1"
    case .scimMultipleValues: "S-2"
    case .scimEmailNotPrimary: "S-3"
    case .scimUnsupportedAttribute, .scimAttributeType, .scimUnrecognizedPayload, .scimNullValue: "S-4"
    case .scimCharacters, .scimLength, .scimReservedName: "S-5"
    case .scimPatchOperation: "S-6"
    case .scimGroup: "S-7"
    case .scimDuplicate: "S-8"
    case .scimFilter: "S-9"
    case .scimGuestUser, .scimNestedGroup: "S-10"
    case .scimUserNameNotEmail: "S-11"
    }
  }

  /// The severity findings of this kind usually have.
  public var defaultSeverity: Finding.Severity {
    switch self {
    case .signatureNotVerified, .expired, .notYetValid, .identityCenterRecipient, .audienceMissing, .valueWhitespace,
      .contextKeyCollision, .samlKeysForIdentityCenter, .nameIDFormatMissing, .abacSourceEmpty, .abacUserNotFound,
      .scimNullValue:
      .note
    case .transitiveTagNotPassed, .abacBothSources, .scimGuestUser, .scimNestedGroup, .scimUserNameNotEmail:
      .warning
    default:
      .error
    }
  }

  /// The text AWS shows for this kind of problem, when one is documented or observed.
  var awsMessage: String? {
    switch self {
    case .roleMissing, .roleMalformed: AWSText.invalidSAMLResponse
    case .roleSessionNameMissing: AWSText.roleSessionNameRequired
    case .roleSessionNameInvalid: AWSText.roleSessionNameMustMatch
    case .sourceIdentityInvalid: AWSText.sourceIdentityMustMatch
    case .subjectMissing: AWSText.notAuthorized
    case .tagCharacters, .tagKeyLength, .tagValueLength, .tagReservedPrefix: AWSText.unableToValidateTags
    case .nameIDFormat, .nameIDNotEmail, .guestNameID, .abacMultiValued, .abacDuplicateName, .abacStructuredValue,
      .abacNameFormat, .scimGuestUser, .scimUserNameNotEmail:
      AWSText.unexpectedError
    case .scimRequiredAttribute, .scimAttributeType, .scimEmailNotPrimary, .scimUnsupportedAttribute,
      .scimCharacters, .scimLength, .scimReservedName, .scimPatchOperation, .scimFilter, .scimGroup:
      AWSText.unparsable
    case .scimMultipleValues: AWSText.singleItem
    case .scimDuplicate: AWSText.duplicate
    default: nil
    }
  }
}
