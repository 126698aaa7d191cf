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
}
