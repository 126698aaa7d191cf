import Foundation

/// A request's resource (an ARN, or `*`), split once so that many patterns can test it cheaply.
public struct ResourceName: Sendable, Hashable, CustomStringConvertible {
  /// The resource as given.
  public let text: String
  /// Its UTF-8 bytes, copied (for tests and diagnostics; matching reads them in place with ``withBytes(_:)``).
  var bytes: [UInt8] { Array(text.utf8) }
  /// The byte offsets of the first five colons; fewer when it is not an ARN.
  @usableFromInline let colons: Colons
  /// Whether the name has the six parts of an ARN and starts with `arn:`.
  public let isARN: Bool

  /// Splits a resource name.
  public init(_ text: String) {
    // The text's own bytes are read in place: a request's resource is split once, and copying it into an array
    // cost an allocation per request.
    self.text = text
    var colons = Colons()
    let isARN = text.withUTF8InPlace { bytes -> Bool in
      guard let base = bytes.baseAddress else { return false }
      var offset = 0
      // Eight bytes at a time: a word has a colon where `word ^ 0x3A…` has a zero byte, and the lowest flagged
      // byte of the classic zero-byte test is always a true one.
      while colons.count < 5 && offset + 8 <= bytes.count {
        let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self) ^ 0x3A3A_3A3A_3A3A_3A3A
        let flags = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
        if flags == 0 {
          offset += 8
        } else {
          let colon = offset + flags.trailingZeroBitCount / 8
          colons.append(colon)
          offset = colon + 1
        }
      }
      while colons.count < 5 && offset < bytes.count {
        if bytes[offset] == UInt8(ascii: ":") { colons.append(offset) }
        offset += 1
      }
      // `arn:`: the first colon at offset 3 after the three letters.
      return colons.count == 5 && colons[0] == 3 && bytes[0] == UInt8(ascii: "a") && bytes[1] == UInt8(ascii: "r")
        && bytes[2] == UInt8(ascii: "n")
    }
    self.colons = colons
    self.isARN = isARN
  }

  /// Calls `body` with the name's UTF-8 bytes, read in place.
  @inlinable func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    try text.withUTF8InPlace(body)
  }

  /// The account part, when the name is an ARN.
  public var account: String? {
    guard isARN else { return nil }
    return withBytes { String(decoding: UnsafeBufferPointer(rebasing: $0[(colons[3] + 1)..<colons[4]]), as: UTF8.self) }
  }

  /// The account part of an ARN that names an account (neither empty nor `aws`, which names AWS managed resources),
  /// and whether it is a 12-digit account ID; read from the bytes in one pass.
  package var owningAccount: (account: String, isAccountID: Bool)? {
    withOwningAccount { part -> (String, Bool) in
      var digits = part.count == 12
      if digits { for byte in part where byte &- UInt8(ascii: "0") > 9 { digits = false } }
      return (String(decoding: part, as: UTF8.self), digits)
    }
  }

  /// Whether the name is an ARN that names an owning account (``owningAccount``) other than `account`: compared where
  /// both are written, without making a string; text that is not ASCII compares as strings do (by canonical
  /// equivalence), as `owningAccount?.account != account` would.
  package func namesAccount(otherThan account: String) -> Bool {
    withOwningAccount { part -> Bool in
      let differs = account.withUTF8InPlace { given -> Bool? in
        if given.count == part.count && memcmp(given.baseAddress!, part.baseAddress!, part.count) == 0 { return false }
        // Bytes that differ are different ASCII text; other text may still be canonically equivalent.
        return given.contains { $0 >= 0x80 } || part.contains { $0 >= 0x80 } ? nil : true
      }
      return differs ?? (String(decoding: part, as: UTF8.self) != account)
    } ?? false
  }

  /// Calls `body` with the bytes of the ARN's account part, read in place, when the name is an ARN whose account part
  /// names an owner: neither empty nor `aws`, which names AWS managed resources.
  @inline(__always)
  private func withOwningAccount<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
    guard isARN else { return nil }
    let range = (colons[3] + 1)..<colons[4]
    return withBytes { bytes -> Result? in
      let part = UnsafeBufferPointer(rebasing: bytes[range])
      if part.isEmpty || (part.count == 3 && part[0] == UInt8(ascii: "a") && part[1] == UInt8(ascii: "w")
        && part[2] == UInt8(ascii: "s"))
      {
        return nil
      }
      return body(part)
    }
  }

  /// The byte range of part `index` (0 = `arn`, 5 = the resource part).
  @usableFromInline func partRange(_ index: Int) -> Range<Int> {
    let start = index == 0 ? 0 : colons[index - 1] + 1
    let end = index == 5 ? text.utf8.count : colons[index]
    return start..<end
  }

  public var description: String { text }

  /// Up to five offsets, kept inline rather than in an array (a resource name is split for every request).
  @usableFromInline struct Colons: Sendable, Hashable {
    private var offsets: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)
    @usableFromInline private(set) var count = 0

    mutating func append(_ offset: Int) {
      switch count {
      case 0: offsets.0 = offset
      case 1: offsets.1 = offset
      case 2: offsets.2 = offset
      case 3: offsets.3 = offset
      default: offsets.4 = offset
      }
      count += 1
    }

    @usableFromInline subscript(index: Int) -> Int {
      precondition(index < count, "colon \(index) of \(count)")
      switch index {
      case 0: return offsets.0
      case 1: return offsets.1
      case 2: return offsets.2
      case 3: return offsets.3
      default: return offsets.4
      }
    }

    @usableFromInline static func == (lhs: Colons, rhs: Colons) -> Bool {
      lhs.count == rhs.count && (0..<lhs.count).allSatisfy { lhs[$0] == rhs[$0] }
    }

    @usableFromInline func hash(into hasher: inout Hasher) {
      hasher.combine(count)
      for index in 0..<count { hasher.combine(self[index]) }
    }
  }
}
