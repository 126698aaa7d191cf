import IAMPolicy

/// Reads the AWS attributes (`Role`, `RoleSessionName`, `SessionDuration`, `SourceIdentity`, session tags)
/// into a ``FederatedSession`` and checks their values (F-6, F-7).
enum SAMLSessionRules {
  static func session(for document: SAMLDocument, options: SAMLAnalysisOptions) -> (FederatedSession, [Finding]) {
    var findings: [Finding] = []
    let (offered, chosen) = roles(document, options: options, findings: &findings)
    let roleSessionName = sessionName(
      document, AWSSAMLAttribute.roleSessionName, code: .roleSessionNameInvalid, findings: &findings)
    let sourceIdentity = sessionName(
      document, AWSSAMLAttribute.sourceIdentity, code: .sourceIdentityInvalid, findings: &findings)
    let duration = sessionDuration(document, findings: &findings)

    let candidates = document.attributes.compactMap { attribute in
      AWSSAMLAttribute.tagKey(of: attribute.name).map {
        TagCandidate(
          key: $0, values: attribute.values, origin: attribute.name,
          location: FindingLocation(position: attribute.position))
      }
    }
    let (tags, tagFindings) = SessionTagRules.apply(to: candidates)
    findings += tagFindings
    let transitiveAttributes = document.attributes(named: AWSSAMLAttribute.transitiveTagKeys)
    let transitiveKeys = transitiveAttributes.flatMap(\.values)
    findings += SessionTagRules.checkTransitiveKeys(
      transitiveKeys, tags: tags, location: transitiveAttributes.first.map { FindingLocation(position: $0.position) })

    let account = options.accountID ?? chosen.map(\.providerAccount).flatMap { $0.isEmpty ? nil : $0 }
    let provider = options.providerName ?? chosen.map(\.providerName).flatMap { $0.isEmpty ? nil : $0 }
    let keys = SAMLContextKeys.derive(document, account: account, provider: provider)
    findings += keys.findings
    var trust = keys.trustPolicy
    var sessionKeys = keys.session
    if !tags.isEmpty {
      trust += tags.map { ContextEntry("aws:RequestTag/\($0.key)", $0.value) }
      trust.append(ContextEntry("aws:TagKeys", values: tags.map(\.key)))
    }
    if !transitiveKeys.isEmpty { trust.append(ContextEntry("sts:TransitiveTagKeys", values: transitiveKeys)) }
    if let sourceIdentity {
      trust.append(ContextEntry("sts:SourceIdentity", sourceIdentity))
      sessionKeys.append(ContextEntry("aws:SourceIdentity", sourceIdentity))
    }
    let session = FederatedSession(
      offeredRoles: offered, role: chosen, roleSessionName: roleSessionName, sessionDuration: duration,
      sourceIdentity: sourceIdentity, tags: tags, transitiveTagKeys: transitiveKeys, sessionContext: sessionKeys,
      trustPolicyContext: trust)
    return (session, findings)
  }

  private static func roles(_ document: SAMLDocument, options: SAMLAnalysisOptions, findings: inout [Finding]) -> (
    [SAMLRolePair], SAMLRolePair?
  ) {
    var offered: [SAMLRolePair] = []
    let attributes = document.attributes(named: AWSSAMLAttribute.role)
    for attribute in attributes {
      if attribute.values.isEmpty {
        findings.append(
          Finding(
            .roleMalformed, "the Role attribute has no value", location: FindingLocation(position: attribute.position)))
      }
      for value in attribute.values {
        if let pair = SAMLRolePair(attributeValue: value) {
          offered.append(pair)
        } else {
          findings.append(
            Finding(
              .roleMalformed, "Role value \"\(value)\" is not a role arn and a saml-provider arn separated by a comma",
              subject: value, location: FindingLocation(position: attribute.position)))
        }
      }
    }
    guard let wanted = options.roleArn else { return (offered, offered.first) }
    if let pair = offered.first(where: { $0.roleArn == wanted }) { return (offered, pair) }
    if !attributes.isEmpty {
      findings.append(
        Finding(.roleNotOffered, "role \(wanted) is not among the Role attribute's values", subject: wanted))
    }
    return (offered, nil)
  }

  /// Reads `RoleSessionName` or `SourceIdentity`: one value, 2–64 characters of `[\w+=,.@-]`.
  private static func sessionName(
    _ document: SAMLDocument, _ name: String, code: FindingCode, findings: inout [Finding]
  ) -> String? {
    let attributes = document.attributes(named: name)
    guard let first = attributes.first else { return nil }
    let values = attributes.flatMap(\.values)
    let label = String(name.dropFirst(AWSSAMLAttribute.prefix.count))
    let location = FindingLocation(position: first.position)
    guard values.count == 1, let value = values.first else {
      findings.append(Finding(code, "\(label) has \(values.count) values; aws needs exactly one", location: location))
      return values.first
    }
    let length = CharacterRules.length(value)
    if !(2...64).contains(length) {
      findings.append(
        Finding(
          code, "\(label) \"\(value)\" has \(length) characters; aws allows 2 to 64", subject: value, location: location
        ))
    } else if let refused = CharacterRules.firstRefused(in: value, CharacterRules.isSessionNameCharacter) {
      findings.append(
        Finding(
          code,
          "\(label) \"\(value)\" contains \(CharacterRules.describe(refused)); allowed are letters, digits and _ + = , . @ -",
          subject: value, location: location))
    }
    return value
  }

  private static func sessionDuration(_ document: SAMLDocument, findings: inout [Finding]) -> Int? {
    let attributes = document.attributes(named: AWSSAMLAttribute.sessionDuration)
    guard let first = attributes.first else { return nil }
    let values = attributes.flatMap(\.values)
    let location = FindingLocation(position: first.position)
    guard values.count == 1, let text = values.first else {
      findings.append(
        Finding(
          .sessionDurationInvalid, "SessionDuration has \(values.count) values; aws needs exactly one",
          location: location))
      return nil
    }
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Int(text) else {
      findings.append(
        Finding(
          .sessionDurationInvalid, "SessionDuration \"\(text)\" is not a whole number of seconds", subject: text,
          location: location))
      return nil
    }
    if !(900...43_200).contains(seconds) {
      findings.append(
        Finding(
          .sessionDurationInvalid,
          "SessionDuration \(seconds) is outside 900 to 43200 seconds (15 minutes to 12 hours)",
          subject: text, location: location))
    }
    return seconds
  }
}
