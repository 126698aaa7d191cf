import Foundation
import Testing

/// `eval --requests` reads any length in blocks: the 8 MiB limit is for whole documents, not for streams.
@Suite struct LongStreamTests {
  @Test func aStreamLongerThanTheDocumentLimitIsDecidedLineByLine() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("iamsim-long-\(UUID().uuidString).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    let padding = String(repeating: "x", count: 60)
    let line = #"{"action":"rds:CreateDBInstance","resource":"arn:aws:rds:us-east-1:111122223333:db:orders","context":{"aws:RequestedRegion":"us-east-1","padding":"\#(padding)"}}"# + "\n"
    let count = 9 * 1024 * 1024 / line.utf8.count + 1_000
    try String(repeating: line, count: count).write(toFile: file, atomically: false, encoding: .utf8)
    #expect((try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0) > 9 * 1024 * 1024)
    let result = iamsim("eval", "--policy", "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator", "--requests", file)
    #expect(result.status == .success, "\(result.err)")
    let lines = result.out.split(separator: "\n")
    #expect(lines.count == count)
    #expect(lines.allSatisfy { $0.contains(#""decision":"allowed""#) })
  }

  @Test func aLineLongerThanTheLimitIsOneInvalidLine() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("iamsim-longline-\(UUID().uuidString).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    let good = #"{"action":"rds:CreateDBInstance"}"# + "\n"
    let huge = #"{"action":"rds:CreateDBInstance","resource":""# + String(repeating: "a", count: 9 * 1024 * 1024) + "\"}\n"
    try (good + huge + good).write(toFile: file, atomically: false, encoding: .utf8)
    let result = iamsim("eval", "--policy", "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator", "--requests", file)
    #expect(result.status == .invalidInput)
    let lines = result.out.split(separator: "\n")
    #expect(lines.count == 3, "\(lines.map { $0.prefix(80) })")
    #expect(lines[1].contains(#""line":2"#) && lines[1].contains("longer than 8 MiB"))
    #expect(lines[2].contains(#""decision":"allowed""#))
  }
}
