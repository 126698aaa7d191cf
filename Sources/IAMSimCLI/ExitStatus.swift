/// How a command ended, as one scheme for every command (0 done, 1 asked-for failure, 2 invalid input, 64 usage).
public enum ExitStatus: Int32, Sendable, Hashable {
  /// The command did its job and found nothing to fail on.
  case success = 0
  /// The command did its job and the answer is a failure the user asked to fail on.
  case failure = 1
  /// An input is invalid or must not be read.
  case invalidInput = 2
  /// The command line is wrong (EX_USAGE).
  case usage = 64

  /// The more severe of two statuses, for commands that handle many inputs.
  func worst(_ other: ExitStatus) -> ExitStatus {
    other.severity > severity ? other : self
  }

  /// The order of severity: success < failure < invalid input < usage.
  private var severity: Int {
    switch self {
    case .success: 0
    case .failure: 1
    case .invalidInput: 2
    case .usage: 3
    }
  }
}
