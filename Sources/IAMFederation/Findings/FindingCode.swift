/// The stable identifier of a kind of finding; its raw value is what reports print.
public enum FindingCode: String, Sendable, Hashable, CaseIterable {
  // MARK: SAML responses (F-5, F-7, F-8, S-10, S-11)

  /// iamsim never verifies XML signatures; every SAML report carries this note.
  case signatureNotVerified = "saml-signature-not-verified"
  /// The base64 SAML response is longer than the 100,000 characters `AssumeRoleWithSAML` accepts.
  case responseTooLarge = "saml-response-too-large"
  /// The response's `StatusCode` is not `Success`.
  case statusNotSuccess = "saml-status"
  /// The response holds more than one assertion.
  case multipleAssertions = "saml-multiple-assertions"
  /// The assertion has no `Subject` with a `NameID`.
  case subjectMissing = "saml-subject-missing"
  /// The subject does not have exactly one `SubjectConfirmation` whose data has `Recipient` and `NotOnOrAfter`.
  case subjectConfirmation = "saml-subject-confirmation"
  /// A timestamp is not an `xs:dateTime`.
  case timestampInvalid = "saml-timestamp-invalid"
  /// A `NotOnOrAfter` or `SessionNotOnOrAfter` lies in the past (usual for saved captures).
  case expired = "saml-expired"
  /// A `NotBefore` lies in the future.
  case notYetValid = "saml-not-yet-valid"
  /// The response is addressed to an IAM Identity Center ACS URL, not to IAM's SAML endpoint.
  case identityCenterRecipient = "saml-identity-center-recipient"
  /// A `Recipient` or `Destination` is not a URL AWS documents for SAML responses, or none is named: the response
  /// is not addressed to AWS.
  case unknownRecipient = "saml-unknown-recipient"
  /// The response names different URLs (its `Destination` and a `Recipient`), or not the ACS URL given.
  case destinationMismatch = "saml-destination-mismatch"
  /// The response came in the HTTP-Redirect binding; AWS takes responses by HTTP POST only.
  case binding = "saml-binding"
  /// A response for IAM names neither `https://signin.aws.amazon.com/saml` nor `urn:amazon:webservices` as audience.
  case audienceMissing = "saml-audience"
  /// A response for IAM has no `Role` attribute.
  case roleMissing = "saml-role-missing"
  /// A `Role` value is not a role ARN and a SAML provider ARN separated by a comma.
  case roleMalformed = "saml-role-malformed"
  /// The role asked for is not among the `Role` attribute's values.
  case roleNotOffered = "saml-role-not-offered"
  /// A response for IAM has no `RoleSessionName` attribute.
  case roleSessionNameMissing = "saml-role-session-name-missing"
  /// `RoleSessionName` is not one value of 2–64 characters from `[\w+=,.@-]`.
  case roleSessionNameInvalid = "saml-role-session-name-invalid"
  /// `SessionDuration` is not one integer from 900 to 43200.
  case sessionDurationInvalid = "saml-session-duration-invalid"
  /// `SourceIdentity` is not one value of 2–64 characters from `[\w+=,.@-]`.
  case sourceIdentityInvalid = "saml-source-identity-invalid"
  /// A response for Identity Center has a `NameID` format other than e-mail address.
  case nameIDFormat = "saml-nameid-format"
  /// A response for Identity Center has a `NameID` that is not an e-mail address.
  case nameIDNotEmail = "saml-nameid-not-email"
  /// The `NameID` is an Entra guest UPN (`#EXT#`), which Identity Center does not expect.
  case guestNameID = "saml-guest-nameid"
  /// With attributes for access control, an attribute has more than one value.
  case abacMultiValued = "saml-abac-multi-valued"
  /// With attributes for access control, two attributes have the same name.
  case abacDuplicateName = "saml-abac-duplicate-name"
  /// With attributes for access control, an attribute value holds XML elements.
  case abacStructuredValue = "saml-abac-structured-value"
  /// With attributes for access control, an attribute's `NameFormat` is not one SAML defines.
  case abacNameFormat = "saml-abac-name-format"
  /// A value had leading or trailing white space, which iamsim removed.
  case valueWhitespace = "saml-value-whitespace"
  /// Two attributes map to the same `saml:` context key; only the first is used.
  case contextKeyCollision = "saml-context-key-collision"
  /// The `saml:` keys describe the Entra-to-Identity-Center exchange; whether AWS sessions carry them is unverified.
  case samlKeysForIdentityCenter = "saml-keys-identity-center"
  /// The `NameID` has no `Format`; `saml:sub_type` assumes the SAML default (unspecified).
  case nameIDFormatMissing = "saml-nameid-format-missing"

  // MARK: Session tags (F-6)

  /// More than 50 session tags.
  case tagCount = "tag-count"
  /// A session tag key is empty or longer than 128 characters.
  case tagKeyLength = "tag-key-length"
  /// A session tag value is longer than 256 characters.
  case tagValueLength = "tag-value-length"
  /// A session tag key or value has a character outside letters, digits, spaces and `_ . : / = + - @`.
  case tagCharacters = "tag-characters"
  /// A session tag key or value starts with the reserved `aws:`.
  case tagReservedPrefix = "tag-reserved-prefix"
  /// Two session tags have the same key, ignoring case.
  case tagDuplicateKey = "tag-duplicate-key"
  /// A session tag attribute has more than one value.
  case tagMultiValued = "tag-multi-valued"
  /// `TransitiveTagKeys` names a key that no session tag has.
  case transitiveTagNotPassed = "tag-transitive-not-passed"

  // MARK: Identity Center attributes for access control (F-5, D-9)

  /// A key is configured in Identity Center and also sent in SAML; AWS's pages disagree on which wins.
  case abacBothSources = "abac-both-sources"
  /// An attribute source is not one of the `${path:…}` sources Identity Center supports.
  case abacUnsupportedSource = "abac-unsupported-source"
  /// A configured source is missing or empty for the user, so the tag is absent.
  case abacSourceEmpty = "abac-source-empty"
  /// The user is not in the identity store, so no configured attribute resolves.
  case abacUserNotFound = "abac-user-not-found"

  // MARK: SCIM provisioning (S-1 … S-11)

  /// A required attribute (`userName`, `name.givenName`, `name.familyName`, `displayName`) is missing or empty.
  case scimRequiredAttribute = "scim-required-attribute"
  /// An attribute has the wrong JSON type.
  case scimAttributeType = "scim-attribute-type"
  /// `emails`, `addresses`, `phoneNumbers` or `roles` has more than one element.
  case scimMultipleValues = "scim-multiple-values"
  /// The e-mail address is not marked primary.
  case scimEmailNotPrimary = "scim-email-not-primary"
  /// An attribute or sub-attribute Identity Center does not support.
  case scimUnsupportedAttribute = "scim-unsupported-attribute"
  /// A value has characters the identity store refuses.
  case scimCharacters = "scim-characters"
  /// A value is longer than the identity store allows.
  case scimLength = "scim-length"
  /// `Administrator` and `AWSAdministrators` are reserved names.
  case scimReservedName = "scim-reserved-name"
  /// A PATCH operation breaks Identity Center's rules.
  case scimPatchOperation = "scim-patch-operation"
  /// A filter uses an operator other than `eq` and `and`.
  case scimFilter = "scim-filter"
  /// A group request breaks Identity Center's group rules.
  case scimGroup = "scim-group"
  /// A user name, primary e-mail, external ID or group name already exists.
  case scimDuplicate = "scim-duplicate"
  /// An Entra guest user name (`#EXT#`), which Identity Center sign-in does not expect.
  case scimGuestUser = "scim-guest-user"
  /// A group is a member of a group; nested groups are not provisioned.
  case scimNestedGroup = "scim-nested-group"
  /// A user name that is not an e-mail address cannot match a SAML `NameID`.
  case scimUserNameNotEmail = "scim-username-not-email"
  /// An attribute is `null`: taken as unassigned (RFC 7643 §2.5), since Identity Center's SCIM documentation says
  /// nothing about `null`. A required attribute that is `null` is ``scimRequiredAttribute`` instead.
  case scimNullValue = "scim-null-value"
  /// A JSON value that is neither a SCIM resource, a PATCH request, a list nor `aws identitystore` output.
  case scimUnrecognizedPayload = "scim-unrecognized-payload"
}
