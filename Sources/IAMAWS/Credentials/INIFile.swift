/// An INI file as Python's `configparser.RawConfigParser` reads the AWS CLI's config and credentials files:
/// `[section]` headers, `key = value` or `key: value` (keys lower-cased, both sides trimmed), whole-line `#` and
/// `;` comments, and indented continuation lines appended to the value before them.
struct INIFile: Sendable, Hashable {
  /// Sections in file order, each with its keys.
  var sections: [(name: String, values: [String: String])]

  static func == (lhs: INIFile, rhs: INIFile) -> Bool {
    lhs.sections.map(\.name) == rhs.sections.map(\.name) && lhs.sections.map(\.values) == rhs.sections.map(\.values)
  }

  func hash(into hasher: inout Hasher) {
    for section in sections {
      hasher.combine(section.name)
      hasher.combine(section.values)
    }
  }

  /// Why a file cannot be read; the message names the line, never a value.
  struct ParseError: Error, Sendable {
    var line: Int
    var message: String
  }

  /// Parses the text of a file.
  static func parse(_ text: String) throws(ParseError) -> INIFile {
    var sections: [(name: String, values: [String: String])] = []
    var lastKey: String?
    for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let number = offset + 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let trimmed = line.trimmingWhitespace
      if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") {
        continue
      }
      let indented = line.first == " " || line.first == "\t"
      if indented, let key = lastKey, !sections.isEmpty {
        sections[sections.count - 1].values[key, default: ""] += "\n" + trimmed
        continue
      }
      if trimmed.hasPrefix("[") {
        guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
          throw ParseError(line: number, message: "a section header must be `[name]`")
        }
        let name = String(trimmed.dropFirst().dropLast())
        if sections.contains(where: { $0.name == name }) {
          throw ParseError(line: number, message: "the section [\(name)] appears twice")
        }
        sections.append((name, [:]))
        lastKey = nil
        continue
      }
      guard !sections.isEmpty else {
        throw ParseError(line: number, message: "a setting before any [section] header")
      }
      guard let delimiter = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
        throw ParseError(line: number, message: "expected `key = value`")
      }
      let key = trimmed[..<delimiter].trimmingWhitespace.lowercased()
      let value = String(trimmed[trimmed.index(after: delimiter)...].trimmingWhitespace)
      if sections[sections.count - 1].values[key] != nil {
        throw ParseError(line: number, message: "`\(key)` is set twice in [\(sections[sections.count - 1].name)]")
      }
      sections[sections.count - 1].values[key] = value
      lastKey = key
    }
    return INIFile(sections: sections)
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces, tabs and line breaks.
  var trimmingWhitespace: String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
    guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
    return String(self[first...last])
  }
}
