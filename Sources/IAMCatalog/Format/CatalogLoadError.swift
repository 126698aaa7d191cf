/// A compact catalog that cannot be loaded, with the line of the problem where there is one.
public struct CatalogLoadError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file, when the catalog was read from one.
  public var file: String?
  /// The line of the problem, counted from 1, when it is on one line.
  public var line: Int?
  /// What is wrong, lower-case and without a final period.
  public var message: String

  /// Creates an error.
  public init(file: String? = nil, line: Int? = nil, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// The error as `file:line: message`, leaving out what is not known.
  public var description: String {
    var location = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
    if location.isEmpty { location = "catalog" }
    return "\(location): \(message)"
  }
}
