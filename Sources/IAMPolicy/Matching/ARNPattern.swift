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

  /// An upper bound on the matching steps per byte of the resource name (see ``WildcardPattern``).
  package var retryWeight: Int { parts.reduce(0) { $0 + $1.retryWeight } }

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
      func append(_ segment: String) {
        if !segment.isEmpty { parts[parts.count - 1].append(isPattern ? .pattern(segment) : .literal(segment)) }
      }
      if text.utf8.allSatisfy({ $0 < 0x80 }) {
        // ASCII: split the bytes (the same splits as by Character, at a fraction of the cost).
        var start = text.utf8.startIndex
        for index in text.utf8.indices where text.utf8[index] == UInt8(ascii: ":") && parts.count < 6 {
          append(String(text.utf8[start..<index])!)
          start = text.utf8.index(after: index)
          parts.append([])
        }
        append(String(text.utf8[start...])!)
        continue
      }
      var current = ""
      for character in text {
        if character == ":" && parts.count < 6 {
          append(current)
          current = ""
          parts.append([])
        } else {
          current.append(character)
        }
      }
      append(current)
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
    return name.withBytes { buffer in
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

  /// `ARNPattern(pieces:)?.matches(name) ?? false` for ASCII pieces given as their wildcard encoding (see
  /// `VariableTemplate.withResolvedBytes`), without building the pattern: the text is split at its first five
  /// colons, the first part must match `arn`, and a pattern of fewer than six parts must end in a `*`
  /// wildcard, which then spans the rest of the name.
  package static func matches(encoded pattern: UnsafeBufferPointer<UInt8>, _ name: ResourceName) -> Bool {
    var colons = (0, 0, 0, 0, 0)
    var colonCount = 0
    for (offset, byte) in pattern.enumerated() where byte == UInt8(ascii: ":") {
      switch colonCount {
      case 0: colons.0 = offset
      case 1: colons.1 = offset
      case 2: colons.2 = offset
      case 3: colons.3 = offset
      default: colons.4 = offset
      }
      colonCount += 1
      if colonCount == 5 { break }
    }
    let partCount = colonCount + 1
    /// The offset of the colon before part `index`, -1 for the first part.
    func colon(before index: Int) -> Int {
      switch index {
      case 0: -1
      case 1: colons.0
      case 2: colons.1
      case 3: colons.2
      case 4: colons.3
      default: colons.4
      }
    }
    func part(_ index: Int) -> UnsafeBufferPointer<UInt8> {
      let end = index == colonCount ? pattern.count : colon(before: index + 1)
      return UnsafeBufferPointer(rebasing: pattern[(colon(before: index) + 1)..<end])
    }
    let isARN = arnPrefix.withUnsafeBufferPointer { WildcardPattern.globMatch(pattern: part(0), text: $0) }
    guard isARN else { return false }
    let absorbsRest = partCount < 6
    if absorbsRest && pattern.last != star { return false }
    guard name.isARN else { return false }
    return name.withBytes { buffer in
      for index in 0..<partCount {
        let range: Range<Int> =
          absorbsRest && index == partCount - 1 ? name.partRange(index).lowerBound..<buffer.count : name.partRange(index)
        if !WildcardPattern.globMatch(pattern: part(index), text: UnsafeBufferPointer(rebasing: buffer[range])) {
          return false
        }
      }
      return true
    }
  }
}

/// The bytes of `arn`, which the first part of every ARN pattern must match.
private let arnPrefix = Array("arn".utf8)
