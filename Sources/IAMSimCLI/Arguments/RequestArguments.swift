import IAMEvaluation

/// The one reader of `--context KEY=VALUE` and `--tag KEY=VALUE`, shared by every command that takes them.
enum RequestArguments {
  /// The context shortcuts: `--region R` is `--context aws:RequestedRegion=R`.
  static let shortcuts = [("--region", "aws:RequestedRegion")]

  /// The `--context` keys: a key given more than once (regardless of case) is multivalued, in the order given. A
  /// shortcut (``shortcuts``) gives its key once, and never together with `--context` for the same key.
  static func context(_ parsed: ParsedArguments, command: String) throws -> RequestContext {
    var grouped: [(String, [String])] = []
    for (flag, key) in shortcuts {
      guard let value = try parsed.single(flag, command: command) else { continue }
      guard !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
        throw UsageError("\(flag) `\(value)` is not a Region code such as eu-west-1", command: command)
      }
      if let given = parsed.all("--context").first(where: { $0.lowercased().hasPrefix(key.lowercased() + "=") }) {
        throw UsageError("\(flag) \(value) and --context \(given) both give \(key)", command: command)
      }
      grouped.append((key, [value]))
    }
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
