import Testing

@testable import IAMSimCLI

/// A usage error is one line on standard error, what is wrong and where `--help` is, with exit 64; not the help.
@Suite struct UsageLineTests {
  @Test(arguments: [
    (["eval", "--foo"], "iamsim eval: unknown option `--foo` (see iamsim eval --help)\n"),
    (["test"], "iamsim test: name at least one case file or directory (see iamsim test --help)\n"),
    (["test", "cases", "--format", "xml"],
     "iamsim test: `--format` must be one of text, json, junit, not `xml` (see iamsim test --help)\n"),
    (["test", "cases", "--min-coverage", "200"],
     "iamsim test: `--min-coverage` must be a percentage from 0 to 100 (see iamsim test --help)\n"),
    (["frobnicate"], "iamsim: unknown command `frobnicate` (see iamsim --help)\n"),
  ])
  func oneLineAndExit64(arguments: [String], expected: String) {
    let result = iamsim(all: arguments)
    #expect(result.status == .usage)
    #expect(result.status.rawValue == 64)
    #expect(result.err == expected)
    #expect(result.out.isEmpty)
  }

  @Test func everyCommandsUsageErrorIsOneLine() {
    for command in Tool.commands.map(\.name) {
      let result = iamsim(command, "--no-such-option-anywhere")
      #expect(result.status == .usage, "\(command)")
      #expect(result.err.split(separator: "\n").count == 1, "\(command): \(result.err)")
      #expect(result.err.hasSuffix("(see iamsim \(command) --help)\n"), "\(command): \(result.err)")
      #expect(!result.err.contains("USAGE"), "\(command)")
    }
  }

  @Test func aMessageOnSeveralLinesBecomesOne() {
    #expect(UsageError("first\nsecond", command: "diff").line() == "iamsim diff: first second (see iamsim diff --help)\n")
    #expect(UsageError("bad").line(command: "org") == "iamsim org: bad (see iamsim org --help)\n")
  }
}
