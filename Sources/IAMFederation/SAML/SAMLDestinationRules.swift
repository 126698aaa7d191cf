import IAMPolicy

/// Rules that depend on whom the response is addressed to: IAM (`AssumeRoleWithSAML`, F-7) or
/// Identity Center (S-10, S-11 and the attributes-for-access-control limits of F-5).
enum SAMLDestinationRules {
  /// Whom the response is addressed to, and the findings that say why it is or is not AWS.
  ///
  /// Every URL the response names (the `Destination` of a `Response`, the `Recipient` of every
  /// `SubjectConfirmationData`) must be one AWS documents (``SAMLEndpoint``), and they must all be the same URL:
  /// the response is posted to one URL, and SAML 2.0 has the receiver check both against the URL it received the
  /// response at (bindings §3.5.5.2, profiles §4.1.4.3). With `acsURL`, each must also be exactly that URL
  /// (Identity Center troubleshooting: the ACS endpoint configured in the IdP and the instance's ACS URL must
  /// "match exactly").
  static func destination(of document: SAMLDocument, acsURL: String?) -> (SAMLDestination, [Finding]) {
    var named: [(label: String, url: String, position: SourcePosition?)] = []
    if let destination = document.responseDestination { named.append(("Destination", destination, nil)) }
    for confirmation in document.subjectConfirmations {
      if let recipient = confirmation.recipient { named.append(("Recipient", recipient, confirmation.position)) }
    }
    guard let first = named.first else {
      return (
        .missing,
        [
          Finding(
            .unknownRecipient,
            "not addressed to aws: the response names no Recipient or Destination, and aws requires a Recipient that matches its sign-in endpoint url",
            location: FindingLocation(position: document.assertionPosition))
        ]
      )
    }
    var findings: [Finding] = []
    var kinds: [SAMLEndpoint.Kind] = []
    for item in named {
      switch SAMLEndpoint.classify(item.url) {
      case .aws(let endpoint):
        kinds.append(endpoint.kind)
      case .notAWS(let reason):
        findings.append(
          Finding(
            .unknownRecipient, "not addressed to aws: the \(item.label) \(item.url) is not an aws saml endpoint: \(reason)",
            subject: item.url, location: FindingLocation(position: item.position)))
      }
    }
    if let other = named.first(where: { $0.url != first.url }) {
      findings.append(
        Finding(
          .destinationMismatch,
          "the \(first.label) \(first.url) and the \(other.label) \(other.url) differ; the response is posted to one url and the receiver checks both against it",
          subject: other.url, location: FindingLocation(position: other.position)))
    }
    if let acsURL, let wrong = named.first(where: { $0.url != acsURL }) {
      findings.append(
        Finding(
          .destinationMismatch,
          "the \(wrong.label) \(wrong.url) is not the acs url given (\(acsURL)); aws requires the two to match exactly",
          awsMessage: kinds.contains(.identityCenter) ? AWSText.unexpectedError : nil, subject: wrong.url,
          location: FindingLocation(position: wrong.position)))
    }
    let destination: SAMLDestination
    if kinds.count == named.count, let kind = kinds.first, kinds.allSatisfy({ $0 == kind }) {
      destination = kind == .iam ? .iam : .identityCenter
    } else {
      destination = SAMLDestination(recipient: first.url)
    }
    return (destination, findings)
  }

  static func check(_ document: SAMLDocument, destination: SAMLDestination, acsURL: String? = nil) -> [Finding] {
    let hasRole = !document.attributes(named: AWSSAMLAttribute.role).isEmpty
    let hasAccessControl = document.attributes.contains { $0.name.hasPrefix(AWSSAMLAttribute.accessControlPrefix) }
    let recipient = document.recipient ?? ""
    switch destination {
    case .iam:
      return iamRules(document)
    case .identityCenter:
      let acsNote =
        acsURL == nil
        ? "; iamsim cannot know your instance's acs url, so it does not check that this is it (give --acs-url to check; aws requires an exact match)"
        : ""
      return [
        Finding(
          .identityCenterRecipient,
          "the response is addressed to an identity center acs url (\(recipient)); identity center, not iam, consumes it, so no Role attribute is needed\(acsNote)"
        ),
        Finding(
          .samlKeysForIdentityCenter,
          "the saml: keys below describe the idp-to-identity-center exchange; whether permission-set sessions carry them is unverified"
        ),
      ] + identityCenterRules(document, abac: hasAccessControl)
    case .other, .missing:
      if hasRole { return iamRules(document) }
      if hasAccessControl { return identityCenterRules(document, abac: true) }
      return []
    }
  }

  private static func iamRules(_ document: SAMLDocument) -> [Finding] {
    var findings: [Finding] = []
    if document.attributes(named: AWSSAMLAttribute.role).isEmpty {
      findings.append(
        Finding(
          .roleMissing, "the response is for iam but has no \(AWSSAMLAttribute.role) attribute",
          location: FindingLocation(position: document.assertionPosition)))
    }
    if document.attributes(named: AWSSAMLAttribute.roleSessionName).isEmpty {
      findings.append(
        Finding(
          .roleSessionNameMissing, "the response is for iam but has no \(AWSSAMLAttribute.roleSessionName) attribute",
          location: FindingLocation(position: document.assertionPosition)))
    }
    if !document.audiences.contains(where: AWSSAMLAttribute.iamAudiences.contains) {
      findings.append(
        Finding(
          .audienceMissing,
          "no Audience is https://signin.aws.amazon.com/saml or urn:amazon:webservices, which aws asks idps to include")
      )
    }
    return findings
  }

  private static func identityCenterRules(_ document: SAMLDocument, abac: Bool) -> [Finding] {
    var findings: [Finding] = []
    if let nameID = document.nameID, !nameID.value.isEmpty {
      let location = FindingLocation(position: nameID.position)
      if nameID.format != AWSSAMLAttribute.emailFormat {
        findings.append(
          Finding(
            .nameIDFormat,
            "the NameID format is \(nameID.format ?? "missing"); identity center requires \(AWSSAMLAttribute.emailFormat)",
            subject: nameID.value, location: location))
      }
      if nameID.value.contains("#EXT#") {
        findings.append(
          Finding(
            .guestNameID,
            "the NameID \(nameID.value) is an entra guest upn; send user.mail for guests (a claim condition) so it matches the identity center user name",
            subject: nameID.value, location: location))
      } else if !CharacterRules.looksLikeEmailAddress(nameID.value) {
        findings.append(
          Finding(
            .nameIDNotEmail,
            "the NameID \(nameID.value) is not an rfc 2822 e-mail address equal to an identity center user name",
            subject: nameID.value, location: location))
      }
    }
    return findings + (abac ? accessControlShapeRules(document) : [])
  }

  /// The attribute limits that apply once attributes for access control are in use (F-5, troubleshooting page).
  private static func accessControlShapeRules(_ document: SAMLDocument) -> [Finding] {
    var findings: [Finding] = []
    var seen: Set<String> = []
    for attribute in document.attributes {
      let location = FindingLocation(position: attribute.position)
      let isAccessControl = attribute.name.hasPrefix(AWSSAMLAttribute.accessControlPrefix)
      if !seen.insert(attribute.name).inserted && !isAccessControl {
        findings.append(
          Finding(
            .abacDuplicateName, "attribute \(attribute.name) appears more than once", subject: attribute.name,
            location: location))
      }
      if attribute.values.count > 1 && !isAccessControl {
        findings.append(
          Finding(
            .abacMultiValued,
            "attribute \(attribute.name) has \(attribute.values.count) values; with attributes for access control on, identity center refuses a response with a multi-valued attribute (entra group and amr claims often are)",
            subject: attribute.name, location: location))
      }
      if attribute.hasStructuredValue {
        findings.append(
          Finding(
            .abacStructuredValue, "attribute \(attribute.name) has a structured xml value", subject: attribute.name,
            location: location))
      }
      if isAccessControl, let format = attribute.nameFormat, !AWSSAMLAttribute.samlNameFormats.contains(format) {
        findings.append(
          Finding(
            .abacNameFormat, "attribute \(attribute.name) has NameFormat \(format), which saml 2.0 does not define",
            subject: attribute.name, location: location))
      }
    }
    return findings
  }
}
