extension PolicyReader {
  /// Rule G-11: policies may hold only TAB, LF, CR and U+0020 … U+00FF.
  mutating func checkCharacters(_ value: JSONValue, at path: JSONPath) {
    // Most policies are plain ASCII: a scan without paths first, the walk that names each problem only if needed.
    if PolicyReader.allCharactersAllowed(value) { return }
    checkEveryCharacter(value, at: path)
  }

  /// Whether every string and key of the value holds only TAB, LF, CR and U+0020 … U+00FF.
  private static func allCharactersAllowed(_ value: JSONValue) -> Bool {
    func allowed(_ text: String) -> Bool {
      text.unicodeScalars.allSatisfy { $0 == "\t" || $0 == "\n" || $0 == "\r" || (0x20...0xFF).contains($0.value) }
    }
    switch value.kind {
    case .string(let text): return allowed(text)
    case .array(let elements): return elements.allSatisfy(allCharactersAllowed)
    case .object(let members): return members.allSatisfy { allowed($0.key) && allCharactersAllowed($0.value) }
    default: return true
    }
  }

  private mutating func checkEveryCharacter(_ value: JSONValue, at path: JSONPath) {
    func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
      scalar == "\t" || scalar == "\n" || scalar == "\r" || (0x20...0xFF).contains(scalar.value)
    }
    func check(_ text: String, at path: JSONPath, _ position: SourcePosition) {
      guard let bad = text.unicodeScalars.first(where: { !isAllowed($0) }) else { return }
      let code = "U+" + String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)
      report(.invalidCharacter, .error,
             "the text `\(text)` holds the character \(code), but a policy may hold only tab, line feed, carriage return and U+0020 to U+00FF",
             at: path, position)
    }
    switch value.kind {
    case .string(let text): check(text, at: path, value.position)
    case .array(let elements):
      for (index, element) in elements.enumerated() { checkEveryCharacter(element, at: path.appending(index)) }
    case .object(let members):
      for member in members {
        check(member.key, at: path.appending(member.key), member.keyPosition)
        checkEveryCharacter(member.value, at: path.appending(member.key))
      }
    default: break
    }
  }

  /// Rules G-15 and G-16: the size limits of customer policies, reported as warnings.
  mutating func checkSize(_ value: JSONValue, at path: JSONPath) {
    let limit: Int
    switch kind {
    case .identity, .permissionsBoundary: limit = 6_144
    case .session: limit = 2_048
    case .serviceControl, .resourceControl: limit = 5_120
    case .resource: return
    }
    let compact = value.output.rendered()
    let withoutAnyWhitespace = compact.unicodeScalars.filter { !$0.properties.isWhitespace }.count
    let withoutOuterWhitespace = compact.unicodeScalars.count
    let counts = kind == .serviceControl || kind == .resourceControl ? compact.utf8.count : withoutAnyWhitespace
    if counts > limit {
      report(.sizeLimit, .warning,
             "the policy has \(counts) characters without white space; a customer \(kind.displayName) may have at most \(limit)",
             at: path, value.position)
    } else if withoutOuterWhitespace > limit && kind != .serviceControl && kind != .resourceControl {
      report(.sizeLimit, .warning,
             "the policy has \(withoutOuterWhitespace) characters counting white space inside strings; it may exceed the limit of \(limit) for a customer \(kind.displayName)",
             at: path, value.position)
    }
  }
}

extension String {
  /// The string padded on the left with zeros to `width` characters.
  func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
