/// The order of names in a catalog: by their ASCII-lower-cased UTF-8 bytes, then by their
/// bytes as written, so that the order is total and does not depend on the locale.
enum CatalogOrder {
  /// Whether `lhs` sorts before `rhs`.
  static func precedes(_ lhs: String, _ rhs: String) -> Bool {
    let folded = compareFolded(lhs.utf8, rhs.utf8)
    if folded != 0 { return folded < 0 }
    return lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
  }

  /// Compares two UTF-8 texts by their ASCII-lower-cased bytes: negative, zero or positive.
  static func compareFolded<L: Collection<UInt8>, R: Collection<UInt8>>(_ lhs: L, _ rhs: R) -> Int {
    var left = lhs.makeIterator()
    var right = rhs.makeIterator()
    while true {
      switch (left.next(), right.next()) {
      case (nil, nil): return 0
      case (nil, _): return -1
      case (_, nil): return 1
      case (let a?, let b?):
        let foldedA = lowercasedASCII(a)
        let foldedB = lowercasedASCII(b)
        if foldedA != foldedB { return foldedA < foldedB ? -1 : 1 }
      }
    }
  }

  /// Lower-cases an ASCII letter and leaves every other byte alone.
  @inline(__always) static func lowercasedASCII(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }

  /// The text with its ASCII letters lower-cased, as action patterns and lookups compare it.
  static func lowercasedASCII(_ text: String) -> String {
    String(decoding: text.utf8.map(lowercasedASCII), as: UTF8.self)
  }
}
