import IAMCompression
import Foundation

/// Derives the `saml:` condition keys of a response (F-8).
enum SAMLContextKeys {
  struct Keys {
    /// Every `saml:` key, for trust-policy evaluation during `AssumeRoleWithSAML`.
    var trustPolicy: [ContextEntry]
    /// `saml:namequalifier`, `saml:sub` and `saml:sub_type`: the only `saml:` keys that survive federation.
    var session: [ContextEntry]
    var findings: [Finding]
  }

  static func derive(_ document: SAMLDocument, account: String?, provider: String?) -> Keys {
    var trust: [ContextEntry] = []
    var session: [ContextEntry] = []
    var findings: [Finding] = []
    let issuer = document.issuer ?? document.responseIssuer
    if let recipient = document.subjectConfirmations.lazy.compactMap(\.recipient).first {
      trust.append(ContextEntry("saml:aud", recipient))
    }
    if let issuer { trust.append(ContextEntry("saml:iss", issuer)) }
    if let account, let provider {
      trust.append(ContextEntry("saml:doc", "\(account)/\(provider)"))
      if let issuer {
        let qualifier = ContextEntry(
          "saml:namequalifier", nameQualifier(issuer: issuer, account: account, provider: provider))
        trust.append(qualifier)
        session.append(qualifier)
      }
    }
    if let nameID = document.nameID, !nameID.value.isEmpty {
      let subject = ContextEntry("saml:sub", nameID.value)
      if nameID.format == nil {
        findings.append(
          Finding(
            .nameIDFormatMissing,
            "the NameID has no Format; saml:sub_type assumes the saml default \(AWSSAMLAttribute.unspecifiedFormat)",
            location: FindingLocation(position: nameID.position)))
      }
      let subjectType = ContextEntry("saml:sub_type", subjectType(nameID.format ?? AWSSAMLAttribute.unspecifiedFormat))
      trust += [subject, subjectType]
      session += [subject, subjectType]
    }
    var mappedBy: [String: String] = [:]
    for attribute in document.attributes {
      guard let mapping = SAMLAttributeKeys.mapping(for: attribute.name) else { continue }
      let key = "saml:" + mapping.key
      if let earlier = mappedBy[key] {
        findings.append(
          Finding(
            .contextKeyCollision,
            "\(attribute.name) also maps to \(key); aws maps only one claim per key, iamsim keeps \(earlier)",
            subject: attribute.name, location: FindingLocation(position: attribute.position)))
        continue
      }
      mappedBy[key] = attribute.name
      if mapping.isList {
        trust.append(ContextEntry(key, values: attribute.values))
      } else if let value = attribute.values.first {
        trust.append(ContextEntry(key, value))
      }
    }
    return Keys(trustPolicy: trust, session: session, findings: findings)
  }

  /// `saml:namequalifier` = Base64(SHA-1(issuer + account ID + "/" + provider friendly name)), as AWS's pseudocode shows.
  static func nameQualifier(issuer: String, account: String, provider: String) -> String {
    Data(SHA1.digest(Array((issuer + account + "/" + provider).utf8))).base64EncodedString()
  }

  /// `persistent` or `transient` for those formats; the full format URI otherwise.
  private static func subjectType(_ format: String) -> String {
    switch format {
    case AWSSAMLAttribute.persistentFormat: "persistent"
    case AWSSAMLAttribute.transientFormat: "transient"
    default: format
    }
  }
}
