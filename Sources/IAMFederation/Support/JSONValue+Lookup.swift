import IAMPolicy

extension JSONValue {
  /// The first member whose key equals `key` ignoring case (SCIM attribute names are case-insensitive, RFC 7643 §2.1).
  func member(_ key: String) -> Member? {
    members?.first { $0.key.equalsIgnoringCase(key) }
  }

  /// The value of ``member(_:)``.
  func value(_ key: String) -> JSONValue? { member(key)?.value }

  /// The string content of ``member(_:)``, if it is a string.
  func string(_ key: String) -> String? { value(key)?.stringValue }

  /// The boolean content, if this is a boolean.
  var boolValue: Bool? {
    if case .bool(let value) = kind { return value }
    return nil
  }
}

extension String {
  /// Whether two strings are equal ignoring case.
  func equalsIgnoringCase(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
