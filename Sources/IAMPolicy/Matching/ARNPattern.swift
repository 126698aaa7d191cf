/// A compiled ARN pattern, matched part by part (rules M-3, M-4 and C-11).
///
/// The first five parts (`arn`, partition, service, region, account) are matched one by one,
/// so a wildcard there never crosses a colon; the resource part is one pattern in which `*`
/// spans `/` and `:`. A pattern with fewer than six parts whose last part ends in `*`
/// lets that part match the rest of the ARN (`arn:aws:s3:*`).
public struct ARNPattern: Sendable, Hashable {
  /// One pattern per part, at most six.
  let parts: [WildcardPattern]
  /// Whether the pattern has fewer than six parts and its last part absorbs the rest.
  let absorbsRest: Bool

  /// Compiles an ARN pattern from pieces; returns `nil` when it cannot match an ARN
  /// (fewer than six parts and no trailing `*`, or no `arn` first part).
  public init?(pieces: [WildcardPattern.Piece]) {
    var parts: [[WildcardPattern.Piece]] = [[]]
    for piece in pieces {
      let (text, isPattern): (String, Bool) =
        switch piece {
        case .pattern(let text): (text, true)
        case .literal(let text): (text, false)
        }
      var current = ""
      for character in text {
        if character == ":" && parts.count < 6 {
          if !current.isEmpty { parts[parts.count - 1].append(isPattern ? .pattern(current) : .literal(current)) }
          current = ""
          parts.append([])
        } else {
          current.append(character)
        }
      }
      if !current.isEmpty { parts[parts.count - 1].append(isPattern ? .pattern(current) : .literal(current)) }
    }
    let compiled = parts.map { WildcardPattern(pieces: $0) }
    guard compiled.first?.matches("arn") == true else { return nil }
    if compiled.count < 6 {
      guard case .pattern(let last)? = parts.last?.last, last.hasSuffix("*") else { return nil }
      absorbsRest = true
    } else {
      absorbsRest = false
    }
    self.parts = compiled
  }

  /// Compiles an ARN pattern written without variables.
  public init?(_ text: String) {
    self.init(pieces: [.pattern(text)])
  }

  /// Whether the pattern matches a resource name.
  ///
  /// - Complexity: O(n) in the name's length for the common pattern shapes.
  public func matches(_ name: ResourceName) -> Bool {
    guard name.isARN else { return false }
    return name.bytes.withUnsafeBufferPointer { buffer in
      let count = parts.count
      for index in 0..<count {
        let range: Range<Int> =
          absorbsRest && index == count - 1
          ? name.partRange(index).lowerBound..<buffer.count
          : name.partRange(index)
        let slice = UnsafeBufferPointer(rebasing: buffer[range])
        if !parts[index].matches(utf8: slice) { return false }
      }
      return true
    }
  }
}
