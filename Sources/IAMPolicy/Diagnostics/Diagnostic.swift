/// A problem found in an input, with a stable code, a severity and where it is.
///
/// Messages are one lower-case sentence without a final period; user input is quoted in
/// backticks. Tests and JSON consumers match on ``code``, never on the wording.
public struct Diagnostic: Sendable, Hashable, Comparable {
  /// How serious a diagnostic is, in the order of IAM Access Analyzer's finding types.
  public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    /// The input is invalid: AWS would reject it, and iamsim refuses to evaluate it.
    case error
    /// Valid, but grants more than it seems to.
    case securityWarning = "security-warning"
    /// Valid, but probably not what was meant.
    case warning
    /// Valid; could be written better.
    case suggestion
    /// Information about how the answer was reached.
    case note

    private var rank: Int { Severity.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
  }

  /// The stable identifier of the kind of problem, such as `policy.unknown-element`.
  public var code: Code
  /// How serious it is.
  public var severity: Severity
  /// What is wrong, in one sentence.
  public var message: String
  /// The file the problem is in, when it came from a file.
  public var file: String?
  /// The JSON path of the element the problem is about.
  public var path: JSONPath
  /// Where that element starts, when known.
  public var position: SourcePosition?

  /// Creates a diagnostic.
  public init(
    _ code: Code, _ severity: Severity, _ message: String, file: String? = nil, path: JSONPath = .root,
    position: SourcePosition? = nil
  ) {
    self.code = code
    self.severity = severity
    self.message = message
    self.file = file
    self.path = path
    self.position = position
  }

  /// Orders diagnostics by file, position, path and code, so that output is deterministic.
  public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
    if lhs.file != rhs.file { return (lhs.file ?? "") < (rhs.file ?? "") }
    let left = lhs.position ?? SourcePosition(line: 0, column: 0)
    let right = rhs.position ?? SourcePosition(line: 0, column: 0)
    if left != right { return left < right }
    if lhs.path != rhs.path { return lhs.path < rhs.path }
    if lhs.code != rhs.code { return lhs.code.rawValue < rhs.code.rawValue }
    return lhs.message < rhs.message
  }

  /// The diagnostic as one line: `file:line:column: severity: message [code] (at path)`.
  ///
  /// Line breaks and other control characters that the message or file name quote from the input are escaped
  /// (`\n`, `\u{1B}`), so that a diagnostic is always one line and input cannot forge another.
  public var formatted: String {
    var location = file.map(Diagnostic.oneLine) ?? ""
    if let position { location += (location.isEmpty ? "" : ":") + position.description }
    let prefix = location.isEmpty ? "" : location + ": "
    return "\(prefix)\(severity.rawValue): \(Diagnostic.oneLine(message)) [\(code.rawValue)] (at \(path))"
  }

  /// The text with line breaks and control characters escaped.
  static func oneLine(_ text: String) -> String {
    let breaks: (Unicode.Scalar) -> Bool = {
      $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}"
    }
    guard text.unicodeScalars.contains(where: breaks) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where breaks(scalar): result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}

extension Diagnostic {
  /// A stable diagnostic identifier; static members list every code iamsim emits.
  public struct Code: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
  }
}

extension Array where Element == Diagnostic {
  /// Whether any diagnostic is an error.
  public var containsErrors: Bool { contains { $0.severity == .error } }
}
