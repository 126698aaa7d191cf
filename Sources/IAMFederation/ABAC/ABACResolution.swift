/// The session tags an Identity Center user would carry, with the findings met while resolving them (F-5, F-6, D-9).
public struct ABACResolution: Sendable, Hashable {
  /// The tags, configured keys first (in configuration order), then keys only SAML sends (in document order).
  public var tags: [SessionTag]
  /// Findings, errors first.
  public var findings: [Finding]

  /// Whether sign-in would succeed as far as the tags go.
  public var wouldSignIn: Bool { !findings.containsErrors }
}

extension AccessControlConfiguration {
  /// Resolves the session tags for `user`, combined with the `AccessControl:` attributes a SAML response sends.
  ///
  /// A key configured in Identity Center takes the identity-store value (a missing or empty source means no tag);
  /// a key only SAML sends takes the SAML value; a key in both draws a warning, because AWS's pages disagree (D-9).
  public func resolve(for user: IdentityStoreUser?, samlAttributes: [SessionTag] = []) -> ABACResolution {
    var findings: [Finding] = []
    var candidates: [TagCandidate] = []
    if user == nil && !attributes.isEmpty {
      findings.append(
        Finding(.abacUserNotFound, "no identity-store user was given, so no configured attribute resolves"))
    }
    for attribute in attributes {
      let paths = attribute.sources.map { (source: $0, path: AttributePath.path(inSource: $0)) }
      for unsupported in paths where unsupported.path == nil {
        findings.append(
          Finding(
            .abacUnsupportedSource,
            "source \(unsupported.source) of attribute \(attribute.key) is not a supported ${path:…} source",
            subject: attribute.key))
      }
      let value = user.flatMap { user in paths.lazy.compactMap { $0.path.flatMap(user.value(at:)) }.first }
      if let sent = samlAttributes.first(where: { $0.key.lowercased() == attribute.key.lowercased() }) {
        findings.append(
          Finding(
            .abacBothSources,
            "\(attribute.key) is configured in identity center (\(value.map { "\"\($0)\"" } ?? "no value")) and sent in saml (\"\(sent.value)\"); iamsim uses the identity-center value, aws's pages disagree",
            subject: attribute.key))
      }
      guard let value else {
        if user != nil && paths.contains(where: { $0.path != nil }) {
          findings.append(
            Finding(
              .abacSourceEmpty,
              "\(attribute.key): \(attribute.sources.joined(separator: ", ")) is empty for the user, so there is no tag",
              subject: attribute.key))
        }
        continue
      }
      candidates.append(TagCandidate(key: attribute.key, values: [value], origin: attribute.key))
    }
    let configured = Set(attributes.map { $0.key.lowercased() })
    for sent in samlAttributes where !configured.contains(sent.key.lowercased()) {
      candidates.append(
        TagCandidate(key: sent.key, values: [sent.value], origin: AWSSAMLAttribute.accessControlPrefix + sent.key))
    }
    let (tags, tagFindings) = SessionTagRules.apply(to: candidates)
    findings += tagFindings.map { finding in
      var finding = finding
      if finding.severity == .error { finding.message += "; sign-in would fail" }
      return finding
    }
    return ABACResolution(tags: tags, findings: findings.stableSortedBySeverity())
  }
}

extension SAMLDocument {
  /// The `AccessControl:{Key}` attributes as tags, in document order (first value of each).
  public var accessControlTags: [SessionTag] {
    attributes.compactMap { attribute in
      guard attribute.name.hasPrefix(AWSSAMLAttribute.accessControlPrefix) else { return nil }
      return SessionTag(
        key: String(attribute.name.dropFirst(AWSSAMLAttribute.accessControlPrefix.count)),
        value: attribute.values.first ?? "")
    }
  }
}
