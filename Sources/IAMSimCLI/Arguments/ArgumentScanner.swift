/// Splits a command line into flags and positional arguments, checked against what a command accepts.
///
/// Accepts `--flag value`, `--flag=value` and `--` (everything after it is positional).
struct ParsedArguments {
  /// Values of each flag that takes values, in order.
  private(set) var values: [String: [String]] = [:]
  /// Flags given that take no value.
  private(set) var switches: Set<String> = []
  /// Positional arguments in order.
  private(set) var positionals: [String] = []

  /// Scans `arguments`.
  ///
  /// - Parameters:
  ///   - valueFlags: flags that take a value, such as `--policy`.
  ///   - switchFlags: flags that take none, such as `--explain`.
  ///   - command: the command name, for messages.
  /// - Throws: ``UsageError`` for an unknown flag or a missing value.
  init(_ arguments: [String], valueFlags: Set<String>, switchFlags: Set<String>, command: String) throws(UsageError) {
    var index = 0
    var onlyPositionals = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
        positionals.append(argument)
        continue
      }
      if argument == "--" {
        onlyPositionals = true
        continue
      }
      var name = argument
      var inlineValue: String?
      if let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        inlineValue = String(argument[argument.index(after: equals)...])
      }
      if switchFlags.contains(name) {
        guard inlineValue == nil else { throw UsageError("`\(name)` takes no value", command: command) }
        switches.insert(name)
      } else if valueFlags.contains(name) {
        if let inlineValue {
          values[name, default: []].append(inlineValue)
        } else {
          guard index < arguments.count else { throw UsageError("`\(name)` needs a value", command: command) }
          values[name, default: []].append(arguments[index])
          index += 1
        }
      } else {
        throw UsageError("unknown option `\(name)`", command: command)
      }
    }
  }

  /// All values of a flag.
  func all(_ flag: String) -> [String] { values[flag] ?? [] }

  /// The value of a flag that may be given once.
  func single(_ flag: String, command: String) throws(UsageError) -> String? {
    let given = all(flag)
    guard given.count <= 1 else { throw UsageError("`\(flag)` may be given only once", command: command) }
    return given.first
  }

  /// Whether a switch was given.
  func has(_ flag: String) -> Bool { switches.contains(flag) }

  /// The value of `--format`, checked against the formats a command supports.
  func format(_ allowed: [String], command: String) throws(UsageError) -> String {
    let format = try single("--format", command: command) ?? "text"
    guard allowed.contains(format) else {
      throw UsageError("`--format` must be one of \(allowed.joined(separator: ", ")), not `\(format)`", command: command)
    }
    return format
  }
}
