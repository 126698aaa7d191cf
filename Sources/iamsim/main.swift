import Foundation
import IAMSimCLI

/// Writes to a file handle without buffering, so that streaming output appears at once.
struct HandleStream: TextOutputStream {
  let handle: FileHandle
  mutating func write(_ string: String) { handle.write(Data(string.utf8)) }
}

var standardOutput = HandleStream(handle: .standardOutput)
var standardError = HandleStream(handle: .standardError)
let status = Tool.run(
  Array(CommandLine.arguments.dropFirst()), stdout: &standardOutput, stderr: &standardError,
  standardOutputIsTerminal: isatty(STDOUT_FILENO) == 1)
exit(status.rawValue)
