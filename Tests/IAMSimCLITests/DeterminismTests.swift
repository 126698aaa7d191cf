import Foundation
import IAMTestSupport
import Testing

/// Issue 6, item 5: the same input gives the same output bytes whatever the locale and time zone, and dates are
/// read as UTC unless they carry a zone. Locale and time zone are process-wide, so each run is a separate
/// `iamsim` process started with its own `TZ`, `LANG` and `LC_ALL`.
@Suite struct DeterminismTests {
  /// Settings that would change the output of code that formats by locale or reads clocks in local time:
  /// a zone ahead by 12:45, one behind, a comma decimal separator, and Turkish, whose `I` lower-cases to `ı`.
  static let environments: [[String: String]] = [
    ["TZ": "UTC", "LANG": "C", "LC_ALL": "C"],
    ["TZ": "Pacific/Chatham", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"],
    ["TZ": "America/St_Johns", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8"],
  ]

  static let datePolicy = #"""
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "BeforeJune", "Effect": "Allow", "Action": "S3:GetObject", "Resource": "arn:aws:s3:::b/*",
       "Condition": {"DateLessThan": {"aws:CurrentTime": "2026-06-01T00:00:00Z"},
                     "NumericLessThanEquals": {"s3:max-keys": "10.5"}}},
      {"Effect": "Allow", "Action": "IAM:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/Team": "IT"}}},
      {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}
    ]}
    """#

  /// Runs the built `iamsim` with the given environment; returns its exit status and standard output.
  static func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: Data) {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("iamsim")
    try #require(FileManager.default.isExecutableFile(atPath: executable.path), "no iamsim beside the tests: run swift build")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    merged.merge(environment) { $1 }
    process.environment = merged
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  static func repository() throws -> String {
    let root = Scratch.root.appendingPathComponent("iamsim-determinism-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
    try datePolicy.write(toFile: root + "/policy.json", atomically: true, encoding: .utf8)
    return root
  }

  @Test func outputBytesDoNotDependOnLocaleOrTimeZone() throws {
    let root = try Self.repository()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let commands: [[String]] = [
      ["eval", "--policy", root + "/policy.json", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k",
       "--context", "aws:CurrentTime=2026-06-01T01:30:00+02:00", "--context", "s3:max-keys=10,5",
       "--tag", "Team=IT", "--action", "iam:ListRoles", "--action", "ec2:RunInstances", "--explain", "--format", "json"],
      ["eval", "--policy", root + "/policy.json", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k",
       "--context", "aws:CurrentTime=2026-05-31T23:59:59", "--context", "s3:max-keys=10", "--explain"],
      ["validate", root + "/policy.json", "--format", "json"],
      ["audit", "--policy", root + "/policy.json", "--format", "json"],
    ]
    for command in commands {
      let outputs = try Self.environments.map { try Self.run(command, environment: $0) }
      #expect(!outputs[0].output.isEmpty, "\(command[0]) printed nothing")
      for (environment, other) in zip(Self.environments.dropFirst(), outputs.dropFirst()) {
        #expect(other.status == outputs[0].status, "\(command[0]) under \(environment)")
        #expect(other.output == outputs[0].output, "\(command[0]) printed other bytes under \(environment)")
      }
    }
  }

  /// A time with a zone is converted to UTC; one without is read as UTC, never as the machine's local time.
  @Test func datesAreReadAsUTCUnlessTheyCarryAZone() throws {
    let root = try Self.repository()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let cases: [(time: String, expected: String)] = [
      ("2026-06-01T01:30:00+02:00", "allowed"),  // 2026-05-31T23:30:00Z
      ("2026-05-31T23:59:59", "allowed"),  // UTC: one second before the limit
      ("2026-06-01T00:00:00", "implicitDeny"),  // UTC: the limit itself
      ("2026-05-31T22:00:00-02:00", "implicitDeny"),  // 2026-06-01T00:00:00Z
    ]
    for environment in Self.environments {
      for (time, expected) in cases {
        let result = try Self.run(
          ["eval", "--policy", root + "/policy.json", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k",
           "--context", "aws:CurrentTime=\(time)", "--context", "s3:max-keys=1", "--format", "json"],
          environment: environment)
        let text = String(decoding: result.output, as: UTF8.self)
        #expect(text.contains(#""decision": "\#(expected)""#), "\(time) under \(environment): \(text.prefix(300))")
      }
    }
  }
}
