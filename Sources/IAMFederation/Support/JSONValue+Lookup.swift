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
        // Over a common ASCII start, two ASCII letters that differ make the lower-cased texts differ there (ASCII
        // scalars are starters that lower-case to one byte, and canonical equivalence keeps starters in place).
        let common = min(a.count, b.count)
        for index in 0..<common {
          let (x, y) = (a[index], b[index])
          if x >= 0x80 || y >= 0x80 { return nil }
          if asciiLowercase(x) != asciiLowercase(y) { return false }
        }
        if a.count == b.count { return true }
        // One is the other and more: different when the rest is ASCII too.
        return (a.count > common ? a[common...] : b[common...]).allSatisfy { $0 < 0x80 } ? false : nil
      }
    }
    return ascii ?? (lowercased() == other.lowercased())
  }
}
