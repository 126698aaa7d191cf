import IAMPolicy

/// Source data that cannot be turned into a catalog, with the file, the JSON path and the
/// position of the problem.
public struct CatalogBuildError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file being read, as it was given.
  public var file: String
  /// The element at fault, such as `$.services.s3.actions.getobject.accessLevel`, when the
  /// problem is in one element.
  public var jsonPath: JSONPath?
  /// Where the element (or a syntax error) is in the file.
  public var position: SourcePosition?
  /// What is wrong, lower-case and without a final period.
  public var message: String

  /// Creates an error.
  public init(file: String, jsonPath: JSONPath? = nil, position: SourcePosition? = nil, message: String) {
    self.file = file
    self.jsonPath = jsonPath
    self.position = position
    self.message = message
  }

  /// The error as `file:line:column: $.path: message`, leaving out what is not known.
  public var description: String {
    var text = file
    if let position { text += ":\(position)" }
    text += ": "
    if let jsonPath { text += "\(jsonPath): " }
    return text + message
  }
}
