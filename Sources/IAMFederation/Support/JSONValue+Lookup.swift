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
  /// Whether two strings are equal ignoring case: whether their `lowercased()` are equal. Two ASCII strings are
  /// compared byte by byte without building either (a non-ASCII scalar may lower-case to ASCII, so any other text
  /// is lower-cased whole).
  func equalsIgnoringCase(_ other: String) -> Bool {
    var left = self, right = other
    let ascii = left.withUTF8 { a in
      right.withUTF8 { b -> Bool? in
        guard a.allSatisfy({ $0 < 0x80 }), b.allSatisfy({ $0 < 0x80 }) else { return nil }
        return a.count == b.count && zip(a, b).allSatisfy { asciiLowercase($0) == asciiLowercase($1) }
      }
    }
    return ascii ?? (lowercased() == other.lowercased())
  }
}
