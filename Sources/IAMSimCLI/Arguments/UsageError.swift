/// A command line that cannot be carried out: unknown flag, missing value, bad combination.
struct UsageError: Error, Sendable {
  /// What is wrong.
  let message: String
  /// The command whose usage to print, if known.
  let command: String?

  init(_ message: String, command: String? = nil) {
    self.message = message
    self.command = command
  }

  /// The one line printed for the error: what is wrong, and where the help is, such as
  /// `iamsim eval: unknown option `--foo` (see iamsim eval --help)`. `command` names the command when the error
  /// does not; with neither, the line points to `iamsim --help`.
  func line(command fallback: String? = nil) -> String {
    let program = ["iamsim", command ?? fallback].compactMap { $0 }.joined(separator: " ")
    let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    return "\(program): \(oneLine) (see \(program) --help)\n"
  }
}
