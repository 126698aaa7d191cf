import Foundation
import IAMSimCLI

/// Writes to a file descriptor without buffering, so that streaming output appears at once. A string's own bytes are
/// written in place: copying each into a `Data` first cost as much as rendering a `--requests` result line.
struct HandleStream: TextOutputStream {
  let descriptor: Int32

  mutating func write(_ string: String) {
    var string = string
    string.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written > 0 {
          offset += written
        } else if written < 0 && errno == EINTR {
          continue
        } else {
          // As FileHandle did: output that cannot be written is not dropped silently.
          fatalError("iamsim: cannot write to file descriptor \(descriptor): \(String(cString: strerror(errno)))")
        }
      }
    }
  }
}

var standardOutput = HandleStream(descriptor: STDOUT_FILENO)
var standardError = HandleStream(descriptor: STDERR_FILENO)
let status = Tool.run(
  Array(CommandLine.arguments.dropFirst()), stdout: &standardOutput, stderr: &standardError,
  standardOutputIsTerminal: isatty(STDOUT_FILENO) == 1)
exit(status.rawValue)
