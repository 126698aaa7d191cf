import Foundation
import IAMCatalog
@testable import IAMEvaluation
import IAMPolicy
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// `eval --requests` reads any length in blocks: the 8 MiB limit is for whole documents, not for streams.
@Suite struct LongStreamTests {
  @Test func aStreamLongerThanTheDocumentLimitIsDecidedLineByLine() throws {
    let file = Scratch.root.appendingPathComponent("iamsim-long-\(UUID().uuidString).jsonl").path
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
    let file = Scratch.root.appendingPathComponent("iamsim-longline-\(UUID().uuidString).jsonl").path
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

  /// A stream of several blocks, decided in chunks on every core with each action prepared once per worker, writes
  /// the bytes that deciding each line alone writes: the line read by the JSON reader, a fresh `authorize` with its
  /// full `Response`, the unknown-action warning, the `JSONOutput` tree. Run under policies that read no key derived
  /// from the caller (a fresh request is then prepared without them) and under policies that do.
  @Test(arguments: ["arn:aws:iam::aws:policy/job-function/DatabaseAdministrator", "derived"])
  func aLongStreamWritesTheOneRequestAtATimeAnswers(_ policyName: String) throws {
    let directory = Scratch.root.appendingPathComponent("iamsim-stream-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var policyArgument = policyName
    var document: PolicyDocument
    if policyName == "derived" {
      let text = #"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:PrincipalTag/Team}-*/*"},
          {"Effect":"Allow","Action":["rds:*","ec2:Describe*"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"},"BoolIfExists":{"aws:SecureTransport":"true"}}},
          {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}},
          {"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringLike":{"aws:userid":"*:mallory*"}}}]}
        """#
      policyArgument = directory + "/policy.json"
      try text.write(toFile: policyArgument, atomically: false, encoding: .utf8)
      document = try PolicyDocument(parsing: Array(text.utf8), name: policyArgument, kind: .identity, file: policyArgument)
    } else {
      var loader = PolicyLoader(environment: [:], searchRoots: [])
      document = try loader.load(policyName, kind: .identity)
    }
    let authorizer = try Authorizer(PolicySet(identityPolicies: [document]))
    #expect(authorizer.readsDerivedKeys == (policyName == "derived"))

    var generator = SeededGenerator(seed: 77)
    func pick(_ items: [String]) -> String { items.randomElement(using: &generator)! }
    let actions = ["rds:CreateDBInstance", "RDS:createdbinstance", "s3:GetObject", "ec2:DescribeVpcs", "iam:CreateUser",
                   "s3:DeleteBuckets", "foo:Bar", "sts:GetCallerIdentity", "kms:Decrypt", "dynamodb:Query"]
    let resources = ["*", "arn:aws:s3:::data-x/k", "arn:aws:rds:us-east-1:111122223333:db:orders",
                     "arn:aws:kms:us-east-1:444455556666:key/k", "arn:aws:s3:::b\\\"q/é"]
    var lines: [String] = []
    var bytes = 0
    // More than one block of `EvalCommand.blockSize` bytes, so that chunks of two blocks are in flight together.
    while bytes < EvalCommand.blockSize + 600_000 {
      var members = [#""action":"\#(pick(actions))""#]
      if Int.random(in: 0..<4, using: &generator) > 0 { members.append(#""resource":"\#(pick(resources))""#) }
      if Int.random(in: 0..<8, using: &generator) == 0 { members.append(#""resourceAccount":"444455556666""#) }
      if Bool.random(using: &generator) {
        let keys = [#""aws:RequestedRegion":"\#(pick(["us-east-1", "ap-south-1"]))""#, #""aws:SecureTransport":false"#,
                    #""AWS:PrincipalAccount":"999999999999""#, #""aws:userid":"AROA:mallory""#, #""aws:TagKeys":["a","b"]"#,
                    #""aws:PrincipalArn":["x","y"]"#]
        members.append(#""context":{"# + Array(Set((0..<Int.random(in: 1...3, using: &generator)).map { _ in pick(keys) })).sorted()
          .joined(separator: ",") + "}")
      }
      var line = "{" + members.joined(separator: ",") + "}"
      switch Int.random(in: 0..<200, using: &generator) {
      case 0: line = "   "
      case 1: line = #"{"action":"s3:GetObject""#
      case 2: line = #"{"action":"nocolon"}"#
      case 3: line = " { \"action\" : \"s3:GetObject\" , \"context\" : { \"k\" : [ true , \"x\" ] } } "
      default: break
      }
      lines.append(line)
      bytes += line.utf8.count + 1
    }
    let file = directory + "/requests.jsonl"
    try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)
    let shared = ["--context", "aws:RequestedRegion=eu-west-1", "--tag", "Team=data"]
    let result = iamsim(all: ["eval", "--policy", policyArgument, "--requests", file] + shared)

    // The same lines, one at a time.
    var principal = Principal.defaultSession
    principal.setTag("Team", "data")
    var sharedContext = RequestContext()
    sharedContext.set("aws:RequestedRegion", "eu-west-1")
    let template = AuthorizationRequest(principal: principal, action: "", resource: "*")
    let names = ActionNameChecker(catalog: try Catalog.bundled())
    var expected = ""
    var invalid = 0
    for (offset, line) in lines.enumerated() where !line.allSatisfy({ $0 == " " }) {
      let number = offset + 1
      do throws(InputError) {
        var request = try EvalCommand.parseLine(Array(line.utf8), template: template, file: "\(file) line \(number)")
        guard request.action.count(where: { $0 == ":" }) == 1 else {
          throw InputError(.missingAction, "each line needs an `action` of the form service:Action", file: "\(file) line \(number)")
        }
        request.context = sharedContext.merging(request.context)
        let response = ActionWarnings.adding(names.check(request.action), to: authorizer.authorize(request))
        expected += JSONOutput.response(response, for: request).rendered() + "\n"
      } catch {
        invalid += 1
        expected += JSONOutput.object([("line", .int(number)), ("error", .string(error.description))]).rendered() + "\n"
      }
    }
    #expect(invalid > 10 && invalid < lines.count / 20)
    #expect(result.status == .invalidInput)
    #expect(result.out == expected)
    #expect(result.err.split(separator: "\n").count == invalid)
  }
}
