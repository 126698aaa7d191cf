import Foundation

/// A status line on standard error while a long organization command works, redrawn in place at most ten times a
/// second, and erased when the work is done. Only on a terminal: nothing when standard error is piped or a file, when
/// `CI` is set, or with `IAMSIM_NO_PROGRESS`; it never goes through the command's own output.
struct Progress {
  let enabled: Bool
  private var last = Date.distantPast

  init(environment: [String: String]) {
    enabled = isatty(STDERR_FILENO) == 1 && environment["CI"] == nil && environment["IAMSIM_NO_PROGRESS"] == nil
  }

  /// Shows `text` (such as `auditing 12 of 200 sessions`), unless the line was redrawn less than 0.1 s ago.
  mutating func show(_ text: @autoclosure () -> String) {
    guard enabled, -last.timeIntervalSinceNow >= 0.1 else { return }
    last = Date()
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + text()).utf8))
  }

  /// Erases the line.
  func done() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}
