/// A SCIM PATCH `path` such as `emails[type eq "work"].value` or
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`, taken apart (RFC 7644 §3.5.2).
struct SCIMPatchPath {
  /// The top-level attribute, lower-cased; `enterprise` for the enterprise extension.
  var attribute: String
  /// The value filter between brackets, if any.
  var filter: String?
  /// The sub-attribute after the attribute or filter, if any.
  var subAttribute: String?

  init(_ path: String) {
    var rest = Substring(path)
    let enterprisePrefix = SCIMSchema.enterpriseSchema + ":"
    if rest.lowercased().hasPrefix(enterprisePrefix.lowercased()) {
      attribute = "enterprise"
      let sub = rest.dropFirst(enterprisePrefix.count)
      subAttribute = sub.isEmpty ? nil : String(sub)
      filter = nil
      return
    }
    let head = rest.prefix { $0 != "[" && $0 != "." }
    attribute = head.lowercased()
    rest = rest.dropFirst(head.count)
    if rest.first == "[", let close = rest.lastIndex(of: "]") {
      filter = String(rest[rest.index(after: rest.startIndex)..<close])
      rest = rest[rest.index(after: close)...]
    } else {
      filter = nil
    }
    subAttribute = rest.first == "." ? String(rest.dropFirst()) : nil
  }

  /// The filter operators other than `eq` and `and` that the filter uses (S-9).
  var unsupportedOperators: [String] {
    guard let filter else { return [] }
    let operators: Set<String> = ["ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le", "or", "not"]
    var words: [String] = []
    var word = ""
    var quoted = false
    for character in filter + " " {
      if character == "\"" { quoted.toggle() }
      if !quoted && (character == " " || character == "(" || character == ")") {
        if !word.isEmpty { words.append(word) }
        word = ""
      } else if !quoted && character != "\"" {
        word.append(character)
      }
    }
    return words.filter { operators.contains($0.lowercased()) }
  }
}
