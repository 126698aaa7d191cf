import IAMPolicy

/// A JSON input (SCIM payloads, `aws identitystore` output, an attribute mapping) that cannot be used at all.
public struct JSONInputError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file, when known.
  public var file: String?
  /// What is wrong, in one lower-case line.
  public var message: String
  /// The JSON element concerned, when the document parsed.
  public var jsonPath: JSONPath?
  /// The line and column.
  public var position: SourcePosition?

  /// Creates an error.
  public init(file: String? = nil, _ message: String, jsonPath: JSONPath? = nil, position: SourcePosition? = nil) {
    self.file = file
    self.message = message
    self.jsonPath = jsonPath
    self.position = position
  }

  /// The error as `file:line:column: message (at $.path)`.
  public var description: String {
    let place = [file, position?.description].compactMap { $0 }.joined(separator: ":")
    let path = jsonPath.map { " (at \($0))" } ?? ""
    return (place.isEmpty ? "" : place + ": ") + message + path
  }
}
