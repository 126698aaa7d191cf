import IAMPolicy

/// A JSON value with its file and path, whose typed accessors throw errors that name both.
struct JSONNode {
  let value: JSONValue
  let path: JSONPath
  /// The file name for messages.
  let file: String

  /// An error about this value.
  func error(_ message: String) -> CatalogBuildError {
    error(at: path, message)
  }

  private func error(at path: JSONPath, _ message: String) -> CatalogBuildError {
    CatalogBuildError(
      file: file, jsonPath: path, position: value.position, message: message)
  }

  private func mismatch(_ expected: String) -> CatalogBuildError {
    error("expected \(expected), found \(value.typeName == "array" || value.typeName == "object" ? "an" : "a") \(value.typeName)")
  }

  /// The members of an object, in document order.
  func members() throws(CatalogBuildError) -> [(key: String, node: JSONNode)] {
    guard let members = value.members else { throw mismatch("an object") }
    return members.map { ($0.key, JSONNode(value: $0.value, path: path.appending($0.key), file: file)) }
  }

  /// The member with this key of an object, or `nil` when there is none.
  func member(_ key: String) throws(CatalogBuildError) -> JSONNode? {
    guard let members = value.members else { throw mismatch("an object") }
    return members.first { $0.key == key }.map { JSONNode(value: $0.value, path: path.appending(key), file: file) }
  }

  /// The member with this key of an object, which must be there.
  func required(_ key: String) throws(CatalogBuildError) -> JSONNode {
    guard let member = try member(key) else { throw error(at: path.appending(key), "missing") }
    return member
  }

  /// The elements of an array.
  func elements() throws(CatalogBuildError) -> [JSONNode] {
    guard let elements = value.elements else { throw mismatch("an array") }
    return elements.enumerated().map { JSONNode(value: $1, path: path.appending($0), file: file) }
  }

  /// The text of a string that is not empty.
  func string() throws(CatalogBuildError) -> String {
    guard let text = value.stringValue else { throw mismatch("a string") }
    guard !text.isEmpty else { throw error("the string is empty") }
    return text
  }

  /// The value of a boolean.
  func bool() throws(CatalogBuildError) -> Bool {
    guard case .bool(let flag) = value.kind else { throw mismatch("a boolean") }
    return flag
  }

  /// The texts of an array of non-empty strings.
  func strings() throws(CatalogBuildError) -> [String] {
    var texts: [String] = []
    for element in try elements() { texts.append(try element.string()) }
    return texts
  }
}
