import IAMPolicy

/// One problem or remark about a federation input, with AWS's own wording where AWS has one.
public struct Finding: Sendable, Hashable {
  /// How much a finding matters.
  public enum Severity: String, Sendable, Hashable, CaseIterable {
    /// The input breaks a rule AWS enforces: sign-in, session creation or provisioning would fail.
    case error
    /// AWS's documentation disagrees with itself or is silent, and the outcome may differ from iamsim's choice.
    case warning
    /// Information only: nothing fails because of it.
    case note
  }

  /// The stable identifier of the kind of finding.
  public var code: FindingCode
  /// How much the finding matters.
  public var severity: Severity
  /// What is wrong, in one lower-case line.
  public var message: String
  /// The text AWS shows for this problem, verbatim, when AWS documents or emits one.
  public var awsMessage: String?
  /// The user, group, SAML attribute or session tag the finding is about.
  public var subject: String?
  /// Where in the input the finding applies.
  public var location: FindingLocation?

  /// Creates a finding; the severity defaults to the code's usual severity.
  public init(
    _ code: FindingCode, _ message: String, severity: Severity? = nil, awsMessage: String? = nil,
    subject: String? = nil, location: FindingLocation? = nil
  ) {
    self.code = code
    self.severity = severity ?? code.defaultSeverity
    self.message = message
    self.awsMessage = awsMessage ?? code.awsMessage
    self.subject = subject
    self.location = location
  }

  /// The specification rule the finding enforces, such as `F-6` or `S-2`.
  public var rule: String { code.rule }
}

/// Where a finding applies: a file, a JSON pointer and path, and a line and column.
public struct FindingLocation: Sendable, Hashable {
  /// The file the input came from, when known.
  public var file: String?
  /// The RFC 6901 JSON pointer of the attribute concerned, such as `/name/givenName`.
  public var jsonPointer: String?
  /// The path of the JSON element concerned in the file, such as `$.Resources[0].name`.
  public var jsonPath: JSONPath?
  /// The line and column in the file.
  public var position: SourcePosition?

  /// Creates a location.
  public init(
    file: String? = nil, jsonPointer: String? = nil, jsonPath: JSONPath? = nil, position: SourcePosition? = nil
  ) {
    self.file = file
    self.jsonPointer = jsonPointer
    self.jsonPath = jsonPath
    self.position = position
  }
}

extension Array where Element == Finding {
  /// Whether any finding is an error.
  public var containsErrors: Bool { contains { $0.severity == .error } }
}
