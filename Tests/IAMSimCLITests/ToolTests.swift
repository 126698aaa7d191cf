import Foundation
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path

/// Runs iamsim in-process and returns its exit status, standard output and standard error.
func iamsim(_ arguments: String...) -> (status: IAMSimCLI.ExitStatus, out: String, err: String) {
  iamsim(all: arguments)
}

/// Runs iamsim in-process with an argument list.
func iamsim(all arguments: [String]) -> (status: IAMSimCLI.ExitStatus, out: String, err: String) {
  var out = ""
  var err = ""
  let status = Tool.run(arguments, environment: ["IAMSIM_POLICIES": repositoryRoot + "/policies/aws-managed"],
                        stdout: &out, stderr: &err)
  return (status, out, err)
}

/// A fresh temporary folder holding the given files, with a `.git` folder so it counts as a repository.
func temporaryRepository(_ files: [String: String]) throws -> String {
  let root = Scratch.root.appendingPathComponent("iamsim-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
  for (name, content) in files {
    let path = root + "/" + name
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
    try content.write(toFile: path, atomically: true, encoding: .utf8)
  }
  return root
}

@Suite struct EvalCommandTests {
  @Test func theLabCheckAllowsRDSAndDeniesS3() {
    let result = iamsim("eval", "--policy", "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator",
                        "--action", "rds:CreateDBInstance", "--action", "s3:DeleteBucket", "--explain")
    #expect(result.status == .success)
    #expect(result.out.contains("rds:CreateDBInstance on *: allowed"))
    #expect(result.out.contains("s3:DeleteBucket on *: implicitDeny"))
    #expect(result.out.contains("Action `rds:*` matches"))
    #expect(result.out.contains("no Allow statement in the identity-based policies matches the action `s3:DeleteBucket`"))
  }

  @Test func jsonOutputCarriesDecisionsAndStatements() throws {
    let result = iamsim("eval", "--policy", "DatabaseAdministrator", "--action", "rds:CreateDBInstance", "--format", "json")
    let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
    let first = (json?["results"] as? [[String: Any]])?.first
    #expect(first?["decision"] as? String == "allowed")
    let statement = (first?["determiningStatements"] as? [[String: Any]])?.first
    #expect(statement?["path"] as? String == "$.Statement[0]")
    #expect(statement?["policy"] as? String == "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator")
  }

  @Test func expectTurnsAMismatchIntoExitOne() {
    #expect(iamsim("eval", "--policy", "DatabaseAdministrator", "--action", "s3:DeleteBucket", "--expect", "allowed").status == .failure)
    #expect(iamsim("eval", "--policy", "DatabaseAdministrator", "--action", "s3:DeleteBucket", "--expect", "implicitDeny").status == .success)
  }

  @Test func contextTagsAndSCPLevelsFromFlags() {
    let scp = #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1"]}}},{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
    let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
    let inRegion = iamsim("eval", "--policy", allowAll, "--scp", scp, "--action", "ec2:DescribeVpcs",
                          "--context", "aws:RequestedRegion=eu-west-1", "--expect", "allowed")
    #expect(inRegion.status == .success, "\(inRegion.out)\(inRegion.err)")
    let elsewhere = iamsim("eval", "--policy", allowAll, "--scp", scp, "--action", "ec2:DescribeVpcs",
                           "--context", "aws:RequestedRegion=us-east-1", "--expect", "explicitDeny")
    #expect(elsewhere.status == .success)
  }

  @Test func badUsageExitsWith64() {
    #expect(iamsim("eval", "--polcy", "x").status == .usage)
    #expect(iamsim("eval", "--policy", "DatabaseAdministrator").status == .usage)
    #expect(iamsim("frobnicate").status == .usage)
    #expect(iamsim("eval", "--help").status == .success)
  }

  @Test func anInvalidPolicyIsAnInputErrorNamingFilePathAndPosition() throws {
    let root = try temporaryRepository(["bad.json": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]\n}\n"])
    let result = iamsim("eval", "--policy", root + "/bad.json", "--action", "s3:GetObject")
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("bad.json:3:28: error: the effect `allow` is not valid"))
    #expect(result.err.contains("$.Statement[0].Effect"))
    #expect(!result.out.contains("allowed"))
  }

  @Test func requestsStreamAsJSONLines() throws {
    let root = try temporaryRepository([
      "requests.jsonl": #"{"action":"rds:CreateDBInstance"}"# + "\n" + #"{"action":"s3:DeleteBucket","resource":"arn:aws:s3:::b"}"# + "\n\n" + "{oops\n"
    ])
    let result = iamsim("eval", "--policy", "DatabaseAdministrator", "--requests", root + "/requests.jsonl")
    let lines = result.out.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[0].contains(#""decision":"allowed""#))
    #expect(lines[1].contains(#""decision":"implicitDeny""#))
    #expect(lines[2].contains(#""line":4"#))
    #expect(result.status == .invalidInput)
  }

  /// A file of invalid lines cannot keep the tool printing errors: reading stops at the 1,000th, whatever the
  /// chunks, and says where.
  @Test func requestsStopAtTheThousandthInvalidLine() throws {
    let text = String(repeating: "{\"action\":\"s3:GetObject\"}\nnot json\n", count: 1_500)
    let root = try temporaryRepository(["requests.jsonl": text])
    let result = iamsim("eval", "--policy", "DatabaseAdministrator", "--requests", root + "/requests.jsonl")
    #expect(result.status == .invalidInput)
    let lines = result.out.split(separator: "\n")
    #expect(lines.count == 2 * EvalCommand.maximumInvalidLines)
    #expect(lines.last?.contains(#""line":2000"#) == true)
    #expect(result.err.split(separator: "\n").count == EvalCommand.maximumInvalidLines + 1)
    #expect(result.err.hasSuffix("stopped at the 1000th invalid line (line 2000); the lines after it are not read\n"))
  }

  /// Lines are decided in chunks, in parallel: every line gets its result, in input order, across chunk
  /// boundaries, and an error line stays in its place, its message on standard error.
  @Test func requestsKeepTheirOrderAcrossChunks() throws {
    var text = ""
    for index in 0..<2_000 {
      text += index == 1_500
        ? #"{"action":"s3:Get:Object"}"# + "\n"
        : #"{"action":"\#(index % 2 == 0 ? "rds:CreateDBInstance" : "s3:DeleteBucket")","resource":"arn:aws:rds:us-east-1:111122223333:db:d\#(index)"}"# + "\n"
    }
    let root = try temporaryRepository(["requests.jsonl": text])
    let result = iamsim("eval", "--policy", "DatabaseAdministrator", "--requests", root + "/requests.jsonl")
    let lines = result.out.split(separator: "\n")
    #expect(lines.count == 2_000)
    #expect(lines.count > EvalCommand.linesPerChunk)
    #expect(result.err.contains("line 1501") && result.err.contains("service:Action"))
    for (index, line) in lines.enumerated() {
      if index == 1_500 {
        #expect(line.contains(#""line":1501"#) && line.contains("service:Action"))
      } else {
        let decision = index % 2 == 0 ? "allowed" : "implicitDeny"
        #expect(line.contains(#":db:d\#(index)","#) && line.contains(#""decision":"\#(decision)""#), "line \(index + 1)")
      }
    }
    #expect(result.status == .invalidInput)
  }
}

@Suite struct TestCommandTests {
  static let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#

  @Test func passingAndFailingRequestsAreCountedAndExitOne() throws {
    let root = try temporaryRepository([
      "cases/p.json": Self.policy,
      "cases/a.json": #"{"description":"pin","identityPolicies":["p.json"],"requests":[{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","expect":"allowed"},{"action":"s3:PutObject","resource":"arn:aws:s3:::b/k","expect":"allowed"}]}"#,
    ])
    let result = iamsim("test", root + "/cases")
    #expect(result.status == .failure)
    #expect(result.out.hasSuffix("1 passed, 1 failed\n"))
    #expect(result.out.contains("requests[1] s3:PutObject on arn:aws:s3:::b/k: expected allowed, got implicitDeny"))
    let junit = iamsim("test", root + "/cases", "--format", "junit")
    #expect(junit.out.contains(#"<testsuites name="iamsim" tests="2" failures="1" errors="0">"#))
  }

  @Test func anInvalidCaseFileExitsTwoAndNamesTheMember() throws {
    let root = try temporaryRepository([
      "cases/a.json": #"{"requests":[{"action":"s3:GetObject","expect":"allow"}]}"#
    ])
    let result = iamsim("test", root + "/cases")
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("$.requests[0].expect"))
  }

  @Test func pathsThatLeaveTheRepositoryAreRefused() throws {
    let outside = try temporaryRepository(["p.json": Self.policy])
    let root = try temporaryRepository([
      "cases/a.json": #"{"identityPolicies":["../../"# + (outside as NSString).lastPathComponent + #"/p.json"],"requests":[{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","expect":"allowed"}]}"#
    ])
    let refused = iamsim("test", root + "/cases")
    #expect(refused.status == .invalidInput)
    #expect(refused.err.contains("outside the repository"))
    #expect(iamsim("test", root + "/cases", "--allow-outside-paths").status == .success)
  }
}

/// Issue 12, part 3: an action the catalog does not know is said to not exist, wherever a request names it.
@Suite struct UnknownActionTests {
  static let warning = "`s3:DeleteBuckets` is not an action of the AWS service authorization catalog (data of 2026-08-21); did you mean `s3:DeleteBucket`?"

  @Test func evalWarnsAndKeepsTheEnginesDecision() throws {
    let result = iamsim("eval", "--policy", "arn:aws:iam::aws:policy/AdministratorAccess", "--action", "s3:DeleteBuckets",
                        "--action", "s3:DeleteBucket", "--action", "foo:bar")
    #expect(result.status == .success)
    #expect(result.out.contains("s3:DeleteBuckets on *: allowed"))
    #expect(result.out.contains("  warning: " + Self.warning))
    #expect(result.out.contains("  warning: `foo:bar` is not an action of the AWS service authorization catalog"))
    #expect(result.out.contains("no service has the prefix `foo`; did you mean"))
    #expect(result.out.components(separatedBy: "warning:").count == 3)
    let json = iamsim("eval", "--policy", "AdministratorAccess", "--action", "s3:DeleteBuckets", "--format", "json")
    let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
    let first = (object?["results"] as? [[String: Any]])?.first
    #expect(first?["decision"] as? String == "allowed")
    let diagnostic = (first?["diagnostics"] as? [[String: Any]])?.first
    #expect(diagnostic?["code"] as? String == "request.unknown-action")
    #expect(diagnostic?["severity"] as? String == "warning")
    #expect(diagnostic?["message"] as? String == Self.warning)
  }

  @Test func evalCaseWarnsWithoutFailing() throws {
    let root = try temporaryRepository([
      "cases/a.json": #"{"identityPolicies":["arn:aws:iam::aws:policy/AdministratorAccess"],"requests":[{"action":"s3:DeleteBuckets","expect":"allowed"}]}"#
    ])
    let result = iamsim("eval", "--case", root + "/cases/a.json")
    #expect(result.status == .success)
    #expect(result.out.contains("  warning: " + Self.warning))
  }

  @Test func everyJSONLLineWithAnUnknownActionCarriesTheWarning() throws {
    let root = try temporaryRepository([
      "requests.jsonl": (0..<3000).map { $0 % 3 == 0 ? #"{"action":"s3:DeleteBuckets"}"# : #"{"action":"s3:DeleteBucket"}"# }
        .joined(separator: "\n") + "\n"
    ])
    let result = iamsim("eval", "--policy", "AdministratorAccess", "--requests", root + "/requests.jsonl")
    #expect(result.status == .success)
    let lines = result.out.split(separator: "\n")
    #expect(lines.count == 3000)
    for (index, line) in lines.enumerated() {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      let diagnostics = object?["diagnostics"] as? [[String: Any]] ?? []
      #expect(object?["decision"] as? String == "allowed")
      if index % 3 == 0 {
        #expect(diagnostics.map { $0["message"] as? String } == [Self.warning], "line \(index + 1)")
      } else {
        #expect(diagnostics.isEmpty, "line \(index + 1)")
      }
    }
  }

  @Test func testFailsTheCaseFileWithExitTwoNamingTheAction() throws {
    let root = try temporaryRepository([
      "cases/a.json": """
        {"identityPolicies":["arn:aws:iam::aws:policy/AdministratorAccess"],
         "requests":[{"action":"s3:DeleteBucket","expect":"allowed"},
                     {"action":"s3:DeleteBuckets","expect":"allowed"}]}
        """
    ])
    let result = iamsim("test", root + "/cases")
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("cases/a.json:3:24: error: " + Self.warning
      + #" (a request that tests an unknown action on purpose says `"unknownAction": true`) [request.unknown-action]"#))
    #expect(result.err.contains("[request.unknown-action] (at $.requests[1].action)"))
    let json = iamsim("test", root + "/cases", "--format", "json")
    #expect(json.status == .invalidInput)
    #expect(json.out.contains(#""code" : "request.unknown-action""#) || json.out.contains(#""code": "request.unknown-action""#))
  }

  @Test func unknownActionTrueTestsAMadeUpActionOnPurpose() throws {
    let root = try temporaryRepository([
      "cases/a.json": #"{"identityPolicies":["arn:aws:iam::aws:policy/AdministratorAccess"],"requests":[{"action":"s3:DeleteBuckets","unknownAction":true,"expect":"allowed"}]}"#,
      "cases/b.json": #"{"identityPolicies":["arn:aws:iam::aws:policy/AdministratorAccess"],"requests":[{"action":"s3:DeleteBucket","unknownAction":true,"expect":"allowed"}]}"#,
      "cases/c.json": #"{"identityPolicies":["arn:aws:iam::aws:policy/AdministratorAccess"],"requests":[{"action":"s3:DeleteBuckets","unknownAction":"yes","expect":"allowed"}]}"#,
    ])
    let onPurpose = iamsim("test", root + "/cases/a.json", "--format", "json")
    #expect(onPurpose.status == .success)
    #expect(onPurpose.out.contains(Self.warning))
    let known = iamsim("test", root + "/cases/b.json")
    #expect(known.status == .invalidInput)
    #expect(known.err.contains("[request.action-is-known] (at $.requests[0].unknownAction)"))
    let notABoolean = iamsim("test", root + "/cases/c.json")
    #expect(notABoolean.status == .invalidInput)
    #expect(notABoolean.err.contains("(at $.requests[0].unknownAction)"))
  }

  @Test func whoCanWarns() throws {
    let result = iamsim("who-can", "rds:CreateDBInstances", "--org", OrganizationCommandTests.org)
    #expect(result.status == .success)
    #expect(result.out.contains("warning: `rds:CreateDBInstances` is not an action of the AWS service authorization catalog"))
    #expect(result.out.contains("did you mean `rds:CreateDBInstance`?"))
    let json = iamsim("who-can", "rds:CreateDBInstances", "--org", OrganizationCommandTests.org, "--format", "json")
    let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
    let diagnostics = object?["diagnostics"] as? [[String: Any]]
    #expect(diagnostics?.first?["code"] as? String == "request.unknown-action")
    let known = iamsim("who-can", "rds:CreateDBInstance", "--org", OrganizationCommandTests.org)
    #expect(!known.out.contains("warning"))
  }
}

@Suite struct ValidateCommandTests {
  @Test func reportsEveryProblemWithCodes() throws {
    let root = try temporaryRepository([
      "p.json": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*:Get*","Resource":"*","Condition":{"stringEquals":{"aws:username":"x"}}},{"Effect":"Allow","Action":"s3:${aws:PrincipalTag/op}","Resource":"*"}]}"#
    ])
    let result = iamsim("validate", root + "/p.json", "--format", "json")
    #expect(result.status == .invalidInput)
    for code in ["action.invalid", "condition.unknown-operator", "variable.not-allowed-here"] {
      #expect(result.out.contains("\"\(code)\""), "\(code)")
    }
  }

  @Test func failOnTurnsWarningsIntoExitOne() throws {
    let root = try temporaryRepository([
      "p.json": #"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
    ])
    #expect(iamsim("validate", root + "/p.json").status == .success)
    #expect(iamsim("validate", root + "/p.json", "--fail-on", "warning").status == .failure)
  }
}

@Suite struct InvalidPolicyCorpusTests {
  static let files: [String] = {
    let folder = repositoryRoot + "/cases/invalid-policies"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().map { folder + "/" + $0 }
  }()

  @Test func theCorpusIsNotEmpty() {
    #expect(Self.files.count >= 15)
  }

  /// Every invalid policy of the corpus is refused with exit 2 and an error naming the file and a position.
  @Test(arguments: files)
  func everyInvalidPolicyIsRefused(file: String) {
    // Without --type a policy with a Principal reads as a resource policy; this one is meant as an identity policy.
    let result = file.hasSuffix("G-7-principal-in-identity-policy.json")
      ? iamsim("validate", file, "--type", "identity") : iamsim("validate", file)
    #expect(result.status == .invalidInput, "\(file): \(result.out)")
    #expect(result.out.contains(": error: "), "\(file)")
  }
}

@Suite struct FederationCommandTests {
  static let fixtures = repositoryRoot + "/Tests/IAMFederationTests/Fixtures"

  @Test func anEntraResponseYieldsASessionWithTagsAndTheSignatureCaveat() {
    let result = iamsim("saml", Self.fixtures + "/saml/entra-iam-signed.xml", "--format", "json")
    #expect(result.status == .success)
    #expect(result.out.contains("saml-signature-not-verified"))
  }

  @Test func hostileXMLIsRefusedWithExitTwo() {
    for name in ["billion-laughs.xml", "external-entity.xml", "truncated.b64"] {
      let result = iamsim("saml", Self.fixtures + "/saml/" + name)
      #expect(result.status == .invalidInput, "\(name)")
      #expect(result.err.contains(name), "\(name)")
    }
  }

  @Test func scimPayloadsReportProvisioningFailuresWithExitOne() throws {
    let root = try temporaryRepository([
      "user.json": #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob@example.com","name":{"familyName":"Roe"},"displayName":"Bob Roe","emails":[{"value":"bob@example.com","type":"work","primary":true}]}"#
    ])
    let failing = iamsim("scim", root + "/user.json")
    #expect(failing.status == .failure)
    #expect(failing.out.contains("givenName"))
    #expect(iamsim("scim", Self.fixtures + "/scim/entra-create-user.json").status == .success)
  }
}

@Suite struct PermissionSetEvalTests {
  @Test func theLabCheckThroughThePermissionSet() {
    let result = iamsim("eval", "--permission-set", "DatabaseAdministrator", "--account", "111122223333", "--user",
                        "alice@example.com", "--action", "rds:CreateDBInstance", "--action", "s3:DeleteBucket", "--format", "json")
    #expect(result.status == .success)
    #expect(result.out.contains(#""principal": "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DatabaseAdministrator_0123456789abcdef/alice@example.com""#))
    #expect(result.out.contains(#""decision": "allowed""#) && result.out.contains(#""decision": "implicitDeny""#))
  }

  @Test func aMissingCustomerManagedPolicyIsAnInputError() throws {
    let root = try temporaryRepository([
      "dev.json": #"{"Name":"Dev","CustomerManagedPolicyReferences":[{"Name":"DevExtra"}]}"#
    ])
    let result = iamsim("eval", "--permission-set", root + "/dev.json", "--account", "555566667777", "--action", "s3:GetObject")
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("account 555566667777 does not have"))
  }

  @Test func accountWithoutPermissionSetIsBadUsage() {
    #expect(iamsim("eval", "--account", "111122223333", "--action", "s3:GetObject").status == .usage)
  }
}

@Suite struct OrganizationCommandTests {
  static let org = repositoryRoot + "/cases/example-org"

  /// Issue 3's done-when: the lab through the example organization.
  @Test func theLabCheckThroughTheOrganization() {
    let result = iamsim("eval", "--org", Self.org, "--user", "alice@example.com", "--account", "111122223333",
                        "--permission-set", "DatabaseAdministrator", "--action", "rds:CreateDBInstance",
                        "--action", "s3:DeleteBucket", "--explain")
    #expect(result.status == .success, "\(result.err)")
    #expect(result.out.contains("with permission set DatabaseAdministrator, assigned through group `AWS-DBA`"))
    #expect(result.out.contains("rds:CreateDBInstance on *: allowed"))
    #expect(result.out.contains("decided by: identity arn:aws:iam::aws:policy/job-function/DatabaseAdministrator statement #0"))
    #expect(result.out.contains("s3:DeleteBucket on *: implicitDeny"))
    #expect(result.out.contains("AWSReservedSSO_DatabaseAdministrator_a1b2c3d4e5f60718/alice@example.com"))
  }

  @Test func aUserWithoutTheAssignmentHasNoSession() {
    let result = iamsim("eval", "--org", Self.org, "--user", "bob@example.com", "--account", "111122223333",
                        "--permission-set", "DatabaseAdministrator", "--action", "rds:CreateDBInstance")
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("is not assigned the permission set `DatabaseAdministrator` in account 111122223333"))
  }

  @Test func whoCanListsUsersWithGroupPermissionSetAndAccount() throws {
    let result = iamsim("who-can", "rds:CreateDBInstance", "--org", Self.org, "--context", "aws:RequestedRegion=eu-west-1",
                        "--format", "json")
    let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
    let rows = (json?["allowed"] as? [[String: Any]]) ?? []
    #expect(rows.map { $0["user"] as? String } == ["alice@example.com", "carol@example.com"])
    // Without a region, the engineering account's SCP denies carol's request (SCPs count) unless the request names
    // one of its Regions: she is listed with that condition (issue 18), and left out with --strict.
    let noRegion = iamsim("who-can", "rds:CreateDBInstance", "--org", Self.org)
    #expect(noRegion.out == """
      who can call rds:CreateDBInstance on *:
        alice@example.com  DatabaseAdministrator  111122223333  (group AWS-DBA)
        carol@example.com  DatabaseAdministrator  444455556666  (direct assignment)
            allowed if aws:RequestedRegion ∈ {eu-west-1, eu-central-1}

      """)
    let strict = iamsim("who-can", "rds:CreateDBInstance", "--org", Self.org, "--strict")
    #expect(strict.out.contains("alice@example.com") && !strict.out.contains("carol@example.com"))
    let outside = iamsim("who-can", "rds:CreateDBInstance", "--org", Self.org, "--region", "us-east-1")
    #expect(outside.out.contains("alice@example.com") && !outside.out.contains("carol@example.com"))
    let conditional = iamsim("who-can", "rds:CreateDBInstance", "--org", Self.org, "--format", "json")
    let carol = ((try JSONSerialization.jsonObject(with: Data(conditional.out.utf8)) as? [String: Any])?["allowed"]
      as? [[String: Any]])?.last
    let allowedIf = carol?["allowedIf"] as? [String: Any]
    let terms = (allowedIf?["alternatives"] as? [[[String: Any]]])?.first
    #expect(terms?.first?["key"] as? String == "aws:RequestedRegion")
    #expect(terms?.first?["in"] as? [String] == ["eu-west-1", "eu-central-1"])
    #expect(rows.first?["group"] as? String == "AWS-DBA")
    let abac = iamsim("who-can", "ec2:StopInstances", "--org", Self.org, "--resource", "arn:aws:ec2:eu-west-1:444455556666:instance/i-9",
                      "--context", "aws:RequestedRegion=eu-west-1", "--context", "aws:ResourceTag/Department=Engineering")
    #expect(abac.out.contains("carol@example.com  DepartmentEngineer  444455556666  (group AWS-Engineering)"))
    #expect(!abac.out.contains("bob@example.com"))
  }

  static let validBase = repositoryRoot + "/Tests/IAMOrganizationTests/Fixtures/broken/_valid-base"

  /// A repeated `--context` key is multivalued for `eval --org` and `who-can` as for the plain flags: one parser.
  @Test func aRepeatedContextKeyIsMultivaluedEverywhere() throws {
    let directory = Scratch.root.appendingPathComponent("iamsim-org-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: directory + "/permission-sets", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: directory + "/identity-store", withIntermediateDirectories: true)
    let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":"first"}}}]}"#
    let files = [
      "organization.json": #"{"formatVersion": 1, "root": {"accounts": [{"id": "111122223333", "name": "prod"}]}}"#,
      "permission-sets/Tagger.json": #"{"Name": "Tagger", "InlinePolicy": \#(policy)}"#,
      "identity-store/1-users.json": #"{"Users": [{"UserId": "u-1", "UserName": "alice@example.com", "IdentityStoreId": "d-1"}]}"#,
      "assignments.json": #"[{"principalType": "USER", "principal": "alice@example.com", "permissionSet": "Tagger", "account": "111122223333"}]"#,
    ]
    for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
    let both = ["--context", "aws:TagKeys=first", "--context", "aws:TagKeys=second"]
    let plain = iamsim(all: ["eval", "--policy", policy, "--action", "s3:GetObject"] + both)
    let organization = iamsim(all: ["eval", "--org", directory, "--user", "alice@example.com", "--account", "111122223333",
                               "--permission-set", "Tagger", "--action", "s3:GetObject"] + both)
    let whoCan = iamsim(all: ["who-can", "s3:GetObject", "--org", directory] + both)
    #expect(plain.out.contains("s3:GetObject on *: allowed"), "\(plain.out)")
    #expect(organization.out.contains("s3:GetObject on *: allowed"), "\(organization.out)\(organization.err)")
    #expect(whoCan.out.contains("alice@example.com  Tagger  111122223333"), "\(whoCan.out)\(whoCan.err)")
    // With only the second value, none of them allows: the first value really is what decides.
    let second = iamsim(all: ["who-can", "s3:GetObject", "--org", directory, "--context", "aws:TagKeys=second"])
    #expect(second.out.contains("nobody"))
  }

  /// `eval --org --requests` decides each line with the RCPs of the line's resource account (it used to crash).
  @Test func organizationRequestsTakeEachLinesResourceAccount() throws {
    let lines = [
      #"{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resourceAccount":"111122223333","context":{"aws:SecureTransport":"false"}}"#,
      #"{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resourceAccount":"999988887777","context":{"aws:SecureTransport":"false"}}"#,
    ]
    let file = Scratch.root.appendingPathComponent("iamsim-lines-\(UUID().uuidString).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let result = iamsim("eval", "--org", Self.validBase, "--account", "111122223333", "--role", "BreakGlassOps", "--requests", file,
                        "--context", "aws:RequestedRegion=eu-west-1")
    let decisions = result.out.split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["rule"] as? String
    }
    // The prod account's RCP denies plain HTTP; the management account has no RCPs, and is another account.
    #expect(decisions == ["explicitDeny", "crossAccountWithoutResourceAllow"], "\(result.out)\(result.err)")
  }

  /// IAM roles are callers, and people reach them through account access manager grants.
  @Test func whoCanListsRolesAndAccountAccessGrants() throws {
    let result = iamsim("who-can", "iam:CreateUser", "--org", Self.validBase, "--context", "aws:RequestedRegion=eu-west-1",
                        "--format", "json")
    let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
    let rows = (json?["allowed"] as? [[String: Any]]) ?? []
    #expect(rows.map { $0["kind"] as? String } == ["accountAccess", "role"], "\(result.out)")
    #expect(rows.first?["user"] as? String == "bob@example.com")
    #expect(rows.first?["principal"] as? String == "arn:aws:sts::111122223333:assumed-role/BreakGlassOps/bob@example.com")
    let role = iamsim("eval", "--org", Self.validBase, "--account", "111122223333", "--role", "BreakGlassOps", "--action",
                      "iam:CreateUser", "--context", "aws:RequestedRegion=eu-west-1")
    #expect(role.out.contains("iam:CreateUser on *: allowed"), "\(role.out)\(role.err)")
    // Outside the EU the OU's SCP denies what it does not exempt (IAM is exempt), for the role as for everyone.
    let outside = iamsim("eval", "--org", Self.validBase, "--account", "111122223333", "--role", "BreakGlassOps", "--action",
                         "rds:CreateDBInstance", "--context", "aws:RequestedRegion=us-east-1")
    #expect(outside.out.contains("explicitDeny"), "\(outside.out)")
  }

  /// A grant whose role does not trust account access manager gives no session, and says why.
  @Test func anUnusableGrantIsNotASession() {
    let directory = repositoryRoot + "/Tests/IAMOrganizationTests/Fixtures/warnings/account-access-trust-lacks-setcontext"
    let result = iamsim("eval", "--org", directory, "--user", "bob@example.com", "--account", "111122223333", "--role", "BreakGlassOps",
                        "--action", "iam:CreateUser")
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("sts:SetContext") && result.err.contains("[preflight.unusable-account-access-grant]"), "\(result.err)")
    let whoCan = iamsim("who-can", "iam:CreateUser", "--org", directory, "--context", "aws:RequestedRegion=eu-west-1")
    #expect(!whoCan.out.contains("bob@example.com"))
  }

  /// A broken organization is refused with exit 2, naming the file and the member; no command answers on it.
  @Test func aBrokenOrganizationGivesNoAnswer() {
    let directory = repositoryRoot + "/Tests/IAMOrganizationTests/Fixtures/broken/scp-typo"
    for arguments in [["who-can", "s3:DeleteBucket", "--org", directory], ["access", "--org", directory, "--user", "alice@example.com"],
                      ["audit", "--org", directory], ["org", "check", directory]] {
      let result = iamsim(all: arguments)
      #expect(result.status == .invalidInput, "\(arguments)")
      #expect(result.err.contains("organization.json") || result.out.contains("organization.json"), "\(arguments): \(result.err)")
      #expect(!result.out.contains("nobody"))
    }
  }

  /// Issue 17: the access report as a page, riskiest first, naming nobody but the user, fetching nothing.
  @Test func accessHTMLPutsTheUsersRiskiestFindingFirstAndNamesOnlyTheUser() {
    let result = iamsim("access", "--org", Self.org, "--user", "carol@example.com", "--format", "html")
    #expect(result.status == .success)
    let html = result.out
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<h1>iamsim access: carol@example.com</h1>"))
    for other in ["alice@example.com", "bob@example.com", "http://", "https://", "<script"] {
      #expect(!html.contains(other), "\(other)")
    }
    let findings = html.components(separatedBy: "<tr class=\"sevrow-").dropFirst().map { $0.prefix { $0 != "\"" } }
    #expect(!findings.isEmpty)
    let order = ["error", "security-warning", "warning", "suggestion"]
    let ranks = findings.map { order.firstIndex(of: String($0)) ?? order.count }
    #expect(ranks == ranks.sorted(), "findings by severity: \(findings)")
    #expect(html.contains("DatabaseAdministrator@444455556666"))
  }

  @Test func accessListsEveryAssignmentWithSessionTags() {
    let result = iamsim("access", "--org", Self.org, "--user", "carol@example.com")
    #expect(result.status == .success)
    #expect(result.out.contains("444455556666 DepartmentEngineer (through group AWS-Engineering)"))
    #expect(result.out.contains("444455556666 DatabaseAdministrator (directly)"))
    #expect(result.out.contains("session tags: Department=Engineering"))
  }
}

@Suite struct CoverageTests {
  @Test func uncoveredStatementsAreListedAndMinimumCoverageFails() throws {
    let root = try temporaryRepository([
      "cases/a.json": #"{"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"Write","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}],"requests":[{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","expect":"allowed"}]}"#
    ])
    let result = iamsim("test", root + "/cases", "--coverage")
    #expect(result.status == .success)
    #expect(result.out.contains(#"UNCOVERED "# ) && result.out.contains(#"statement "Write""#))
    #expect(!result.out.contains(#"statement "Read""#))
    #expect(result.out.contains("statement coverage: 1 of 2 statements (50.0%)"))
    #expect(iamsim("test", root + "/cases", "--min-coverage", "50").status == .success)
    #expect(iamsim("test", root + "/cases", "--min-coverage", "75").status == .failure)
  }
}

@Suite struct CatalogCommandTests {
  @Test func infoPrintsTheSourceDateAndCounts() {
    let result = iamsim("catalog", "info", "--format", "json")
    #expect(result.status == .success)
    #expect(result.out.contains(#""actions": 21788"#) && result.out.contains(#""services": 455"#))
    #expect(result.out.contains("2026-08-21"))
  }

  @Test func expandListsConcreteActionsAndTheirComplement() throws {
    let get = iamsim("expand", "rds:createdbinstance", "--format", "json")
    #expect(get.out.contains(#""action": "rds:CreateDBInstance""#) && get.out.contains(#""accessLevel": "Write""#))
    let all = iamsim("expand", "*").out.split(separator: "\n").count
    let s3 = iamsim("expand", "s3:*").out.split(separator: "\n").count
    let notS3 = iamsim("expand", "--not", "s3:*").out.split(separator: "\n").count
    #expect(s3 - 1 + notS3 - 1 == all - 1)
  }
}

@Suite struct UnusedCommandTests {
  @Test func reportsUnusedGrantsAndANarrowerPolicyFromAGzippedTrail() throws {
    let trail = repositoryRoot + "/Tests/IAMActivityTests/Fixtures/cloudtrail-log.json.gz"
    let result = iamsim("unused", trail, "--org", repositoryRoot + "/cases/example-org", "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
    let report = try #require((json?["permissionSets"] as? [[String: Any]])?.first)
    #expect(report["permissionSet"] as? String == "DatabaseAdministrator")
    #expect((report["used"] as? [String])?.contains("rds:CreateDBInstance") == true)
    #expect((report["refused"] as? [String]) == ["s3:DeleteBucket"])
    let unused = (report["unused"] as? [String]) ?? []
    #expect(unused.contains("rds:DeleteDBInstance") && !unused.contains("rds:CreateDBInstance"))
    #expect((report["narrowerPolicy"] as? String)?.contains("rds:CreateDBInstance") == true)
  }

  @Test func needsToKnowThePermissionSets() {
    let trail = repositoryRoot + "/Tests/IAMActivityTests/Fixtures/lookup-events.json"
    #expect(iamsim("unused", trail).status == .usage)
  }
}

@Suite struct CatalogValidationTests {
  static let policy = #"""
    {"Version":"2012-10-17","Statement":[
     {"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:Gett*","foo:Bar","iam:PassRole"],"Resource":"*"},
     {"Sid":"B","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket","Condition":{"NumericEquals":{"s3:prefix":"1"},"StringEquals":{"ec2:InstanceType":"t3.micro"}}},
     {"Sid":"C","Effect":"Allow","NotAction":"iam:*","Resource":"*"},
     {"Sid":"D","Effect":"Allow","Action":"rds:CreateDBInstance","Resource":"arn:aws:s3:::bucket"}]}
    """#

  @Test func findsWhatAccessAnalyzerWouldWithItsSeverities() throws {
    let root = try temporaryRepository(["p.json": Self.policy])
    let result = iamsim("validate", root + "/p.json", "--format", "json")
    #expect(result.status == .failure, "catalog errors are findings (exit 1), not grammar errors (exit 2)")
    let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
    let diagnostics = ((json?["files"] as? [[String: Any]])?.first?["diagnostics"] as? [[String: Any]]) ?? []
    let found = Set(diagnostics.map { "\($0["code"] as? String ?? "") \($0["severity"] as? String ?? "") \($0["path"] as? String ?? "")" })
    for expected in [
      "catalog.unknown-action error $.Statement[0].Action[1]", "catalog.unknown-service error $.Statement[0].Action[2]",
      "catalog.passrole-on-every-role security-warning $.Statement[0].Resource",
      "catalog.operator-type-mismatch warning $.Statement[1].Condition.NumericEquals[\"s3:prefix\"]",
      "catalog.unsupported-condition-key warning $.Statement[1].Condition.StringEquals[\"ec2:InstanceType\"]",
      "catalog.allow-with-notaction security-warning $.Statement[2].NotAction",
      "catalog.resource-fits-no-type warning $.Statement[3].Resource",
      "catalog.redundant-statement suggestion $.Statement[3]",
    ] {
      #expect(found.contains(expected), "\(expected)")
    }
    #expect(!found.contains { $0.hasPrefix("catalog.unsupported-condition-key warning $.Statement[1].Condition.NumericEquals") },
            "s3:prefix is a key of s3:ListBucket")
    #expect(iamsim("validate", root + "/p.json", "--no-catalog").status == .success)
  }

  @Test func sarifCarriesRulesLevelsAndRegions() throws {
    let root = try temporaryRepository(["p.json": Self.policy])
    let result = iamsim("validate", root + "/p.json", "--format", "sarif")
    let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
    #expect(json?["version"] as? String == "2.1.0")
    let run = (json?["runs"] as? [[String: Any]])?.first
    let results = (run?["results"] as? [[String: Any]]) ?? []
    #expect(results.contains { $0["ruleId"] as? String == "catalog.unknown-service" && $0["level"] as? String == "error" })
    let location = ((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
    #expect((location?["region"] as? [String: Any])?["startLine"] as? Int != nil)
  }

  @Test func theLabsPolicyHasNoCatalogFinding() {
    let result = iamsim("validate", repositoryRoot + "/policies/aws-managed/DatabaseAdministrator.json")
    #expect(result.status == .success)
    #expect(result.out.contains("0 errors, 0 other findings"))
  }
}
