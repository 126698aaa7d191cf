/// Reads the members of hand-written JSON strictly, collecting every problem with file, JSON path and position.
struct StrictReader {
  var diagnostics: [Diagnostic] = []

  mutating func error(_ code: Diagnostic.Code, _ message: String, _ file: String, _ path: JSONPath, _ position: SourcePosition?) {
    diagnostics.append(Diagnostic(code, .error, message, file: file, path: path, position: position))
  }

  mutating func warning(_ code: Diagnostic.Code, _ message: String, _ file: String?, _ path: JSONPath = .root,
                        _ position: SourcePosition? = nil) {
    diagnostics.append(Diagnostic(code, .warning, message, file: file, path: path, position: position))
  }

  /// Checks that `json` is an object whose members are all `allowed`, none repeated, and `required` present.
  /// - Returns: whether it is an object.
  @discardableResult
  mutating func object(_ json: JSONValue, _ what: String, allowed: [String], required: [String] = [], _ file: String,
                       _ path: JSONPath) -> Bool {
    guard let members = json.members else {
      error(.wrongType, "\(what) must be a JSON object, not \(json.typeName)", file, path, json.position)
      return false
    }
    // Objects of hand-written JSON have a few members: a repeated key is looked for among the earlier ones, without
    // a set (a set only for a large object, so that hostile input stays linear).
    let small = members.count <= 16
    var seen: Set<String> = []
    for (index, member) in members.enumerated() {
      let repeated = small ? members[..<index].contains { $0.key == member.key } : !seen.insert(member.key).inserted
      if repeated {
        error(.duplicateKey, "`\(member.key)` appears more than once", file, path.appending(member.key), member.keyPosition)
      }
      if !allowed.contains(member.key) {
        let close = allowed.first { Self.isCloseSpelling(member.key, $0) }
        let hint = close.map { "; did you mean `\($0)`?" } ?? " (\(what) has \(allowed.map { "`\($0)`" }.joined(separator: ", ")))"
        error(.unknownMember, "`\(member.key)` is not a member of \(what)\(hint)", file, path.appending(member.key),
              member.keyPosition)
      }
    }
    for key in required where json[key] == nil {
      error(.missingMember, "\(what) needs `\(key)`", file, path, json.position)
    }
    return true
  }

  /// The string member `key`, or `nil` (with an error when it is there but not a string).
  mutating func string(_ json: JSONValue, _ key: String, _ file: String, _ path: JSONPath) -> String? {
    guard let value = json[key] else { return nil }
    guard let text = value.stringValue else {
      error(.wrongType, "`\(key)` must be a string, not \(value.typeName)", file, path.appending(key), value.position)
      return nil
    }
    return text
  }

  /// The array member `key`, or `nil` (with an error when it is there but not an array).
  mutating func array(_ json: JSONValue, _ key: String, _ file: String, _ path: JSONPath) -> [JSONValue]? {
    guard let value = json[key] else { return nil }
    guard let elements = value.elements else {
      error(.wrongType, "`\(key)` must be an array, not \(value.typeName)", file, path.appending(key), value.position)
      return nil
    }
    return elements
  }

  /// Whether two member names differ by case, one edit, or a trailing `s`: a likely typo.
  static func isCloseSpelling(_ typed: String, _ member: String) -> Bool {
    let a = Array(typed.lowercased()), b = Array(member.lowercased())
    if a == b { return true }
    guard abs(a.count - b.count) <= 2 else { return false }
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...max(b.count, 1) where !b.isEmpty {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count] <= 2
  }

  /// Where the member `key` of an object is written.
  static func keyPosition(_ json: JSONValue, _ key: String) -> SourcePosition? {
    json.members?.first { $0.key == key }?.keyPosition
  }

  static func isAccountID(_ text: String) -> Bool {
    text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
  }
}

extension Diagnostic.Code {
  public static let unknownMember: Self = "organization.unknown-member"
  public static let missingMember: Self = "organization.missing-member"
  public static let formatVersion: Self = "organization.format-version"
  public static let duplicate: Self = "organization.duplicate"
  public static let unknownReference: Self = "organization.unknown-reference"
  public static let invalidIdentifier: Self = "organization.invalid-identifier"
  public static let notThisFormat: Self = "organization.not-this-format"
  public static let mismatch: Self = "organization.mismatch"
  /// A customer managed policy or boundary that an assigned permission set references is missing in the account.
  public static let provisioningFails: Self = "preflight.provisioning-fails"
  public static let emptyGroup: Self = "preflight.empty-group"
  public static let unassignedPermissionSet: Self = "preflight.unassigned-permission-set"
  public static let managementAccountAssignment: Self = "preflight.management-account-assignment"
  public static let userNameNotEmail: Self = "preflight.username-not-email"
  public static let guestUser: Self = "preflight.guest-user"
  public static let nestedGroup: Self = "preflight.nested-group"
  public static let unusableGrant: Self = "preflight.unusable-account-access-grant"
  public static let iamNotCollected: Self = "organization.iam-not-collected"
  public static let toleratedMember: Self = "organization.tolerated-member"
}
