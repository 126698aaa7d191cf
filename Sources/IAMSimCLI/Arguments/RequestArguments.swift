import IAMEvaluation

/// The one reader of `--context KEY=VALUE` and `--tag KEY=VALUE`, shared by every command that takes them.
enum RequestArguments {
  /// The `--context` keys: a key given more than once (regardless of case) is multivalued, in the order given.
  static func context(_ parsed: ParsedArguments, command: String) throws -> RequestContext {
    var grouped: [(String, [String])] = []
    for item in parsed.all("--context") {
      let (key, value) = try keyValue(item, flag: "--context", command: command)
      if let index = grouped.firstIndex(where: { $0.0.lowercased() == key.lowercased() }) {
        grouped[index].1.append(value)
      } else {
        grouped.append((key, [value]))
      }
    }
    var context = RequestContext()
    for (key, values) in grouped {
      if values.count == 1 { context.set(key, values[0]) } else { context.set(key, values: values) }
    }
    return context
  }

  /// Adds the `--tag` tags to a principal; a later tag replaces an earlier one with the same key regardless of case.
  static func addTags(_ parsed: ParsedArguments, to principal: inout Principal, command: String) throws {
    for tag in parsed.all("--tag") {
      let (key, value) = try keyValue(tag, flag: "--tag", command: command)
      principal.setTag(key, value)
    }
  }

  /// Splits a `KEY=VALUE` argument.
  static func keyValue(_ text: String, flag: String, command: String) throws -> (String, String) {
    guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
      throw UsageError("\(flag) `\(text)` is not of the form KEY=VALUE", command: command)
    }
    return (String(text[..<equals]), String(text[text.index(after: equals)...]))
  }
}
