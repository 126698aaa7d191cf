/// Rules that depend on whom the response is addressed to: IAM (`AssumeRoleWithSAML`, F-7) or
/// Identity Center (S-10, S-11 and the attributes-for-access-control limits of F-5).
enum SAMLDestinationRules {
  static func check(_ document: SAMLDocument, destination: SAMLDestination) -> [Finding] {
    let hasRole = !document.attributes(named: AWSSAMLAttribute.role).isEmpty
    let hasAccessControl = document.attributes.contains { $0.name.hasPrefix(AWSSAMLAttribute.accessControlPrefix) }
    let recipient = document.recipient ?? ""
    switch destination {
    case .iam:
      return iamRules(document)
    case .identityCenter:
      return [
        Finding(
          .identityCenterRecipient,
          "the response is addressed to an identity center acs url (\(recipient)); identity center, not iam, consumes it, so no Role attribute is needed"
        ),
        Finding(
          .samlKeysForIdentityCenter,
          "the saml: keys below describe the idp-to-identity-center exchange; whether permission-set sessions carry them is unverified"
        ),
      ] + identityCenterRules(document, abac: hasAccessControl)
    case .other, .missing:
      let described =
        destination == .missing
        ? "the response names no Recipient or Destination"
        : "the recipient \(recipient) is neither iam's saml endpoint nor an identity center acs url"
      let note = Finding(.unknownRecipient, described)
      if hasRole { return [note] + iamRules(document) }
      if hasAccessControl { return [note] + identityCenterRules(document, abac: true) }
      return [note]
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
            "attribute \(attribute.name) has \(attribute.values.count) values; identity center's troubleshooting page forbids multi-valued attributes once abac is on, which entra group and amr claims often are",
            severity: .warning, subject: attribute.name, location: location))
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
