import IAMPolicy

/// How the String condition operators compare text: exactly, as bytes.
///
/// Swift's `String ==` compares by Unicode canonical equivalence (`é` equals `e` followed by U+0301), while AWS
/// compares the characters as given, and iamsim's `…Like` operators, ARN and action matching compare bytes. Every
/// String operator therefore compares UTF-8 bytes, and `…IgnoreCase` lower-cases each Unicode scalar on its own,
/// without normalising.
enum StringComparison {
  /// Whether two texts are the same bytes.
  @inline(__always)
  static func equal(_ lhs: String, _ rhs: String) -> Bool {
    var lhs = lhs
    var rhs = rhs
    // Native strings hand out their bytes without copying; the count is known without a scan.
    guard lhs.utf8.count == rhs.utf8.count else { return false }
    return lhs.withUTF8 { left in
      rhs.withUTF8 { right in
        var offset = 0
        while offset < left.count {
          if left[offset] != right[offset] { return false }
          offset += 1
        }
        return true
      }
    }
  }

  /// The text with each Unicode scalar lower-cased on its own; ASCII text by its bytes.
  static func lowercased(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) {
      return String(decoding: text.utf8.map(asciiLowercase), as: UTF8.self)
    }
    var result = ""
    result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars { result.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars) }
    return result
  }
}
