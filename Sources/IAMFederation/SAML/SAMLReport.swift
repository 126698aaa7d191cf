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
    let (destination, destinationFindings) = SAMLDestinationRules.destination(of: document, acsURL: options.acsURL)
    let (session, sessionFindings) = SAMLSessionRules.session(for: document, options: options)
    let all =
      SAMLStructureRules.check(document, now: options.now) + destinationFindings
      + SAMLDestinationRules.check(document, destination: destination, acsURL: options.acsURL) + sessionFindings
    self.document = document
    self.destination = destination
    self.session = session
    self.findings = all.stableSortedBySeverity()
  }

  /// Whether AWS would accept the response: no finding is an error (a rule AWS documents is broken) and none is a
  /// warning (AWS documents nothing, or contradicts itself, on something the response does: iamsim fails closed).
  public var wouldSignIn: Bool { verdict == .yes }

  /// The answer to "would AWS accept this response?".
  public enum Verdict: String, Sendable, Hashable {
    /// No rule AWS documents is broken and nothing is left undocumented.
    case yes
    /// A rule AWS documents is broken (the error findings).
    case no
    /// Nothing documented is broken, but AWS documents nothing on something the response does (the warnings).
    case undetermined
  }

  /// The verdict: `no` when a finding is an error, `undetermined` when one is a warning, else `yes`.
  public var verdict: Verdict {
    if findings.containsErrors { return .no }
    return findings.contains { $0.severity == .warning } ? .undetermined : .yes
  }
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
