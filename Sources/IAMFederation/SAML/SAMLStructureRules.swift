import Foundation
import IAMPolicy

/// Rules about the response's structure and timestamps, whoever it is addressed to (F-7, S-11).
enum SAMLStructureRules {
  static let maximumBase64Length = 100_000
  static let successStatus = "urn:oasis:names:tc:SAML:2.0:status:Success"

  static func check(_ document: SAMLDocument, now: Date) -> [Finding] {
    var findings = [
      Finding(
        .signatureNotVerified,
        document.hasSignature
          ? "the xml signature is present but not verified: iamsim simulates and never checks signatures"
          : "the document carries no xml signature; iamsim never verifies signatures, aws does")
    ]
    if document.base64Length > maximumBase64Length {
      let how = document.form == .xml ? "would be" : "is"
      findings.append(
        Finding(
          .responseTooLarge,
          "the base64 response \(how) \(document.base64Length) characters; AssumeRoleWithSAML accepts at most \(maximumBase64Length)"
        ))
    }
    if let status = document.statusCode, status != successStatus {
      findings.append(Finding(.statusNotSuccess, "the response status is \(status), not success"))
    }
    if document.assertionCount > 1 {
      findings.append(
        Finding(
          .multipleAssertions, "the response holds \(document.assertionCount) assertions; aws expects exactly one"))
    }
    findings += subjectFindings(document)
    findings += timestampFindings(document, now: now)
    if document.form == .redirect {
      findings.append(
        Finding(
          .binding,
          "the response came in the http-redirect binding (deflated in a url); aws sign-in takes \"a POST request that includes a SAML token that adheres to the HTTP POST Binding\", and saml's web sso profile forbids the redirect binding for responses"
        ))
    }
    for attribute in document.attributes where attribute.hadSurroundingWhitespace {
      // An attribute AWS reads (Role, RoleSessionName, tags, …) may fail AWS's checks untrimmed; AWS documents
      // nothing about trimming, so iamsim fails closed there (a warning makes the verdict undetermined).
      let readByAWS = attribute.name.hasPrefix(AWSSAMLAttribute.prefix)
      findings.append(
        Finding(
          .valueWhitespace,
          "white space around a value of \(attribute.name) was removed; aws does not document whether it trims"
            + (readByAWS ? ", and untrimmed the value may break aws's rules, so iamsim cannot tell" : ""),
          severity: readByAWS ? .warning : .note, subject: attribute.name,
          location: FindingLocation(position: attribute.position)))
    }
    return findings
  }

  private static func subjectFindings(_ document: SAMLDocument) -> [Finding] {
    guard let nameID = document.nameID, !nameID.value.isEmpty else {
      return [
        Finding(
          .subjectMissing, "the assertion has no Subject with a NameID",
          location: FindingLocation(position: document.assertionPosition))
      ]
    }
    let confirmations = document.subjectConfirmations
    guard confirmations.count == 1, let confirmation = confirmations.first else {
      return [
        Finding(
          .subjectConfirmation,
          "the Subject has \(confirmations.count) SubjectConfirmation elements; aws requires exactly one",
          location: FindingLocation(position: nameID.position))
      ]
    }
    let missing = [
      confirmation.recipient == nil ? "Recipient" : nil, confirmation.notOnOrAfter == nil ? "NotOnOrAfter" : nil,
    ].compactMap { $0 }
    guard missing.isEmpty else {
      return [
        Finding(
          .subjectConfirmation,
          "the SubjectConfirmationData lacks \(missing.joined(separator: " and ")); aws requires both Recipient and NotOnOrAfter",
          location: FindingLocation(position: confirmation.position))
      ]
    }
    return []
  }

  private static func timestampFindings(_ document: SAMLDocument, now: Date) -> [Finding] {
    var deadlines: [(String, SAMLTimestamp)] = []
    var starts: [(String, SAMLTimestamp)] = []
    for confirmation in document.subjectConfirmations {
      confirmation.notOnOrAfter.map { deadlines.append(("SubjectConfirmationData NotOnOrAfter", $0)) }
      confirmation.notBefore.map { starts.append(("SubjectConfirmationData NotBefore", $0)) }
    }
    document.notOnOrAfter.map { deadlines.append(("Conditions NotOnOrAfter", $0)) }
    document.sessionNotOnOrAfter.map { deadlines.append(("AuthnStatement SessionNotOnOrAfter", $0)) }
    document.notBefore.map { starts.append(("Conditions NotBefore", $0)) }

    var findings: [Finding] = []
    for (label, timestamp) in deadlines + starts where timestamp.date == nil {
      findings.append(
        Finding(
          .timestampInvalid, "\(label) \"\(timestamp.text)\" is not an xs:dateTime",
          location: FindingLocation(position: timestamp.position)))
    }
    for (label, timestamp) in deadlines {
      if let date = timestamp.date, date <= now {
        findings.append(
          Finding(
            .expired,
            "\(label) \(timestamp.text) has passed; aws would refuse the response today (normal for a saved capture)",
            location: FindingLocation(position: timestamp.position)))
      }
    }
    for (label, timestamp) in starts {
      if let date = timestamp.date, date > now {
        findings.append(
          Finding(
            .notYetValid, "\(label) \(timestamp.text) is in the future",
            location: FindingLocation(position: timestamp.position)))
      }
    }
    return findings
  }
}
