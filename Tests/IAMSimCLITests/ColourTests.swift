import Testing

@testable import IAMSimCLI

/// Colour only on a terminal: never with `NO_COLOR` (https://no-color.org: "when present and not an empty string
/// (regardless of its value), prevents the addition of ANSI color"), with `TERM=dumb` or when output is piped;
/// `--color always|never` overrides, as that page asks of a command-line option.
@Suite struct ColourTests {
  static let escape = "\u{1B}["

  @Test(arguments: [
    (nil as String?, [String: String](), true, true),
    (nil, [:], false, false),
    (nil, ["NO_COLOR": "1"], true, false),
    (nil, ["NO_COLOR": ""], true, true),
    (nil, ["TERM": "dumb"], true, false),
    (nil, ["TERM": "xterm-256color"], true, true),
    ("auto", [:], true, true),
    ("always", ["NO_COLOR": "1", "TERM": "dumb"], false, true),
    ("never", [:], true, false),
  ])
  func theOneDecision(option: String?, environment: [String: String], isTerminal: Bool, expected: Bool) throws {
    let colour = try Colour.decide(option: option, environment: environment, isTerminal: isTerminal, command: "test")
    #expect(colour.enabled == expected)
  }

  @Test func aBadChoiceIsAUsageError() {
    let result = iamsim("eval", "--policy", "DatabaseAdministrator", "--action", "s3:GetObject", "--color", "sometimes")
    #expect(result.status == .usage)
    #expect(result.err == "iamsim eval: `--color` must be one of auto, always, never, not `sometimes` (see iamsim eval --help)\n")
  }

  static func run(_ arguments: [String], terminal: Bool, environment: [String: String] = [:]) -> String {
    var out = ""
    var err = ""
    _ = Tool.run(arguments, environment: environment, stdout: &out, stderr: &err, standardOutputIsTerminal: terminal)
    return out
  }

  @Test func evalColoursDecisionsOnATerminalOnly() {
    let arguments = ["eval", "--policy", "DatabaseAdministrator", "--action", "rds:CreateDBInstance", "--action",
                     "s3:DeleteBucket"]
    let coloured = Self.run(arguments, terminal: true)
    #expect(coloured.contains("rds:CreateDBInstance on *: \u{1B}[32mallowed\u{1B}[0m"))
    #expect(coloured.contains("s3:DeleteBucket on *: \u{1B}[33mimplicitDeny\u{1B}[0m"))
    #expect(!Self.run(arguments, terminal: false).contains(Self.escape))
    #expect(!Self.run(arguments, terminal: true, environment: ["NO_COLOR": "yes"]).contains(Self.escape))
    #expect(!Self.run(arguments, terminal: true, environment: ["TERM": "dumb"]).contains(Self.escape))
    #expect(!Self.run(arguments + ["--color", "never"], terminal: true).contains(Self.escape))
    #expect(Self.run(arguments + ["--color", "always"], terminal: false).contains(Self.escape))
    // JSON is never coloured.
    #expect(!Self.run(arguments + ["--format", "json", "--color", "always"], terminal: true).contains(Self.escape))
  }

  @Test func testColoursPassAndFailOnATerminalOnly() throws {
    let root = try temporaryRepository([
      "cases/a.json": #"{"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}],"requests":[{"action":"s3:GetObject","resource":"*","expect":"allowed"},{"action":"s3:PutObject","resource":"*","expect":"allowed"}]}"#
    ])
    let coloured = Self.run(["test", root + "/cases"], terminal: true)
    #expect(coloured.hasPrefix("\u{1B}[31mFAIL\u{1B}[0m "))
    #expect(coloured.contains("got \u{1B}[33mimplicitDeny\u{1B}[0m"))
    #expect(coloured.hasSuffix("\u{1B}[32m1 passed\u{1B}[0m, \u{1B}[31m1 failed\u{1B}[0m\n"))
    let plain = Self.run(["test", root + "/cases"], terminal: false)
    #expect(!plain.contains(Self.escape))
    #expect(plain.hasSuffix("1 passed, 1 failed\n"))
    #expect(!Self.run(["test", root + "/cases", "--format", "junit"], terminal: true).contains(Self.escape))
    #expect(!Self.run(["test", root + "/cases"], terminal: true, environment: ["NO_COLOR": "1"]).contains(Self.escape))
  }
}
