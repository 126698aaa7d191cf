import IAMEvaluation

/// Whether text output is coloured, and the colours: the one place that decides it.
///
/// `--color auto` (the default) colours only when standard output is a terminal, `NO_COLOR` is unset or empty
/// (https://no-color.org) and `TERM` is not `dumb`; `--color always` and `--color never` override all three, as
/// no-color.org asks of a per-run command-line option. Only text output is coloured, never JSON, JUnit or SARIF.
struct Colour: Sendable, Equatable {
  /// Whether escape sequences are written.
  let enabled: Bool

  /// No colour.
  static let none = Colour(enabled: false)

  /// Whether the process's standard output is a terminal, as the entry point found it; `false` in-process, where
  /// output goes to a string.
  @TaskLocal static var standardOutputIsTerminal = false

  /// The values `--color` takes.
  static let choices = ["auto", "always", "never"]

  /// The help line of `--color`, shared by the commands that colour.
  static let helpLine =
    "  --color auto|always|never  colour decisions on a terminal (auto: not with NO_COLOR, TERM=dumb or when piped)"

  /// Decides from `--color`'s value, the environment and whether standard output is a terminal.
  static func decide(
    option: String?, environment: [String: String], isTerminal: Bool = standardOutputIsTerminal, command: String
  ) throws(UsageError) -> Colour {
    switch option ?? "auto" {
    case "always": return Colour(enabled: true)
    case "never": return .none
    case "auto":
      let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
      return Colour(enabled: isTerminal && !noColor && environment["TERM"] != "dumb")
    case let other:
      throw UsageError("`--color` must be one of \(choices.joined(separator: ", ")), not `\(other)`", command: command)
    }
  }

  /// `text` in green.
  func green(_ text: String) -> String { paint(text, "32") }
  /// `text` in red.
  func red(_ text: String) -> String { paint(text, "31") }
  /// `text` in yellow.
  func yellow(_ text: String) -> String { paint(text, "33") }

  /// A decision's name: allowed in green, an explicit deny in red, an implicit deny in yellow.
  func decision(_ decision: Decision) -> String {
    switch decision {
    case .allowed: green(decision.rawValue)
    case .explicitDeny: red(decision.rawValue)
    case .implicitDeny: yellow(decision.rawValue)
    }
  }

  private func paint(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
