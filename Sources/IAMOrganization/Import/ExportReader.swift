import Foundation

/// Reads the members of one export file, throwing an ``InputError`` that names the file, JSON path and
/// line:column of the first member that is not what AWS's output holds.
///
/// Members AWS may add are tolerated: only the members iamsim reads are checked.
struct ExportReader {
  let file: String
  let command: ExportCommand

  func error(_ code: Diagnostic.Code, _ message: String, _ path: JSONPath, _ position: SourcePosition?) -> InputError {
    InputError(code, message, file: file, path: path, position: position)
  }

  /// `value` as an object, refusing another type and repeated keys.
  @discardableResult
  func object(_ value: JSONValue, _ what: String, at path: JSONPath) throws(InputError) -> [JSONValue.Member] {
    guard let members = value.members else {
      throw error(.importWrongType, "\(what) must be a JSON object, not \(value.typeName)", path, value.position)
    }
    var seen: Set<String> = []
    for member in members where !seen.insert(member.key).inserted {
      throw error(.duplicateKey, "`\(member.key)` appears more than once", path.appending(member.key), member.keyPosition)
    }
    return members
  }

  /// The member `key` of the object `value`; `nil` when absent, or an error when `required`.
  func member(_ value: JSONValue, _ key: String, at path: JSONPath, required: Bool) throws(InputError) -> JSONValue? {
    if let found = value[key] { return found }
    if required {
      throw error(.importMissingMember, "`\(key)` is missing from this \(command.display) output", path, value.position)
    }
    return nil
  }

  /// The string member `key`.
  func string(_ value: JSONValue, _ key: String, at path: JSONPath, required: Bool = true) throws(InputError) -> String? {
    guard let found = try member(value, key, at: path, required: required) else { return nil }
    if case .null = found.kind, !required { return nil }
    guard let text = found.stringValue else {
      throw error(.importWrongType, "`\(key)` must be a string, not \(found.typeName)", path.appending(key), found.position)
    }
    return text
  }

  /// The array member `key`.
  func array(_ value: JSONValue, _ key: String, at path: JSONPath, required: Bool = true) throws(InputError) -> [JSONValue]? {
    guard let found = try member(value, key, at: path, required: required) else { return nil }
    guard let elements = found.elements else {
      throw error(.importWrongType, "`\(key)` must be an array, not \(found.typeName)", path.appending(key), found.position)
    }
    return elements
  }

  /// The array member `key` as objects, each with its path.
  func objects(_ value: JSONValue, _ key: String, _ what: String, at path: JSONPath, required: Bool = true) throws(InputError)
    -> [(JSONValue, JSONPath)]
  {
    var result: [(JSONValue, JSONPath)] = []
    for (index, element) in (try array(value, key, at: path, required: required) ?? []).enumerated() {
      let at = path.appending(key).appending(index)
      try object(element, what, at: at)
      result.append((element, at))
    }
    return result
  }

  /// The array member `key` as strings.
  func strings(_ value: JSONValue, _ key: String, at path: JSONPath, required: Bool = true) throws(InputError) -> [String] {
    var result: [String] = []
    for (index, element) in (try array(value, key, at: path, required: required) ?? []).enumerated() {
      guard let text = element.stringValue else {
        throw error(.importWrongType, "`\(key)` must hold strings, not \(element.typeName)", path.appending(key).appending(index),
                    element.position)
      }
      result.append(text)
    }
    return result
  }

  /// The Boolean member `key`.
  func bool(_ value: JSONValue, _ key: String, at path: JSONPath) throws(InputError) -> Bool? {
    guard let found = value[key] else { return nil }
    guard case .bool(let flag) = found.kind else {
      throw error(.importWrongType, "`\(key)` must be true or false, not \(found.typeName)", path.appending(key), found.position)
    }
    return flag
  }

  /// A timestamp member, as the CLI prints it (ISO 8601 text) or as the API returns it (seconds since 1970).
  func timestamp(_ value: JSONValue, _ key: String, at path: JSONPath) throws(InputError) -> String? {
    guard let found = value[key] else { return nil }
    switch found.kind {
    case .string(let text): return text
    case .number(let text):
      guard let seconds = Double(text) else { return nil }
      return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    case .null: return nil
    default:
      throw error(.importWrongType, "`\(key)` must be a date, not \(found.typeName)", path.appending(key), found.position)
    }
  }

  /// A policy document given as a JSON string (as `describe-policy` and `get-inline-policy-for-permission-set`
  /// return it; URL-encoded when it comes from the IAM API), parsed and checked for its role.
  func policyDocument(_ value: JSONValue, name: String, kind: PolicyKind, at path: JSONPath) throws(InputError) -> JSONValue {
    var json = value
    if let text = value.stringValue {
      do {
        json = try JSONReader().read(text)
      } catch {
        let decoded = text.contains("%") ? text.removingPercentEncoding : nil
        guard let decoded, let parsed = try? JSONReader().read(decoded) else {
          throw self.error(.jsonSyntax, "the policy document in this string is not JSON: \(error.description) (line:column in the string)",
                           path, value.position)
        }
        json = parsed
      }
    }
    do {
      _ = try PolicyDocument(json: json, name: name, kind: kind, file: file, at: path)
    } catch {
      // Positions inside a string point into the string: name the string's own place instead.
      let inString = value.stringValue != nil
      throw InputError(error.diagnostics.map { diagnostic in
        var copy = diagnostic
        if inString {
          copy.message += " (in the policy string, at its line:column \(diagnostic.position?.description ?? "?"))"
          copy.position = value.position
        }
        return copy
      })
    }
    return json
  }
}
