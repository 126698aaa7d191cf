/// The outcome of checking a SAML response against AWS's rules: the session it would produce and the findings.
public struct SAMLReport: Sendable, Hashable {
  /// The document as read.
  public var document: SAMLDocument
  /// Whom the response is addressed to.
  public var destination: SAMLDestination
  /// The session the response would produce (tags and keys are filled even when findings say sign-in fails).
  public var session: FederatedSession
  /// Every finding, errors first, then warnings, then notes; in document order within a severity.
  public var findings: [Finding]

  /// Checks `document` against the rules of F-5 … F-8, S-10 and S-11.
  public init(document: SAMLDocument, options: SAMLAnalysisOptions = SAMLAnalysisOptions()) {
    let destination = SAMLDestination(recipient: document.recipient)
    let (session, sessionFindings) = SAMLSessionRules.session(for: document, options: options)
    let all =
      SAMLStructureRules.check(document, now: options.now)
      + SAMLDestinationRules.check(document, destination: destination) + sessionFindings
    self.document = document
    self.destination = destination
    self.session = session
    self.findings = all.stableSortedBySeverity()
  }

  /// Whether AWS would accept the response as far as iamsim can tell (no finding is an error).
  public var wouldSignIn: Bool { !findings.containsErrors }
}

extension FederatedSession {
  /// `saml:namequalifier`: Base64(SHA-1(issuer + account ID + "/" + provider friendly name)).
  public static func nameQualifier(issuer: String, accountID: String, providerName: String) -> String {
    SAMLContextKeys.nameQualifier(issuer: issuer, account: accountID, provider: providerName)
  }
}

extension Array where Element == Finding {
  /// The findings ordered errors, warnings, notes, keeping the original order within each severity.
  func stableSortedBySeverity() -> [Finding] {
    Finding.Severity.allCases.flatMap { severity in filter { $0.severity == severity } }
  }
}
