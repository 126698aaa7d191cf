import Foundation
import Testing

@testable import IAMSimCLI

/// Issue 18, part 3 on the command line: "would be allowed if …" in `eval`, `--region`, and `access`'s conditions.
@Suite struct ConditionalAnswerTests {
  static let org = repositoryRoot + "/cases/example-org"
  static let scps = org + "/scps/full-aws-access.json," + org + "/scps/deny-outside-eu.json"
  static let databaseAdministrator = "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator"

  @Test func evalKeepsItsDecisionAndSaysUnderWhichRegionItWouldChange() throws {
    let denied = iamsim("eval", "--policy", Self.databaseAdministrator, "--scp", Self.scps, "--action", "rds:CreateDBInstance")
    #expect(denied.status == .success)
    #expect(denied.out.contains("rds:CreateDBInstance on *: explicitDeny"))
    #expect(denied.out.contains("  would be allowed if aws:RequestedRegion ∈ {eu-west-1, eu-central-1}"))
    let json = iamsim("eval", "--policy", Self.databaseAdministrator, "--scp", Self.scps, "--action", "rds:CreateDBInstance",
                      "--format", "json")
    let result = ((try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])?["results"]
      as? [[String: Any]])?.first
    let changesIf = result?["changesIf"] as? [String: Any]
    #expect(result?["decision"] as? String == "explicitDeny")
    #expect(changesIf?["allowed"] as? Bool == true)
    #expect((changesIf?["alternatives"] as? [[[String: Any]]])?.first?.first?["in"] as? [String] == ["eu-west-1", "eu-central-1"])
    // --region gives the key: inside the Regions it is allowed, with nothing left to say; outside, denied.
    let inside = iamsim("eval", "--policy", Self.databaseAdministrator, "--scp", Self.scps, "--action", "rds:CreateDBInstance",
                        "--region", "eu-central-1")
    #expect(inside.out.contains("rds:CreateDBInstance on *: allowed") && !inside.out.contains("would be"))
    let outside = iamsim("eval", "--policy", Self.databaseAdministrator, "--scp", Self.scps, "--action", "rds:CreateDBInstance",
                         "--region", "us-east-1")
    #expect(outside.out.contains("explicitDeny") && !outside.out.contains("would be"))
  }

  @Test func regionIsOneKeyAndIsCheckedAsARegionCode() throws {
    let both = iamsim("eval", "--policy", Self.databaseAdministrator, "--action", "rds:CreateDBInstance", "--region", "eu-west-1",
                      "--context", "aws:RequestedRegion=eu-west-1")
    #expect(both.status == .usage)
    #expect(both.err.contains("both give aws:RequestedRegion"))
    let bad = iamsim("who-can", "rds:CreateDBInstance", "--org", Self.org, "--region", "EU West")
    #expect(bad.status == .usage)
    #expect(bad.err.contains("is not a Region code"))
  }

  @Test func accessSaysWhichGrantsTheRegionSCPLimits() throws {
    let text = iamsim("access", "--org", Self.org, "--user", "carol@example.com", "--actions")
    #expect(text.status == .success)
    #expect(text.out.contains("    rds:CreateDBInstance (allowed if aws:RequestedRegion ∈ {eu-west-1, eu-central-1})"))
    // iam: actions are exempt from the SCP (its NotAction): no condition.
    #expect(text.out.contains("    iam:GetRole\n"))
    let strict = iamsim("access", "--org", Self.org, "--user", "carol@example.com", "--actions", "--strict")
    #expect(strict.out.contains("    rds:CreateDBInstance\n") && !strict.out.contains("allowed if"))
    // alice's account has no such SCP.
    let alice = iamsim("access", "--org", Self.org, "--user", "alice@example.com", "--actions")
    #expect(alice.out.contains("    rds:CreateDBInstance\n"))
  }

  // Case files refuse the same (CaseFileLoader); eval must not evaluate them either.
  @Test func anAnonymousRequestWithoutAnAccountIsRefused() throws {
    let noAccount = iamsim("eval", "--anonymous", "--resource-policy",
                           #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
                           "--action", "s3:GetObject", "--resource", "arn:aws:s3:::site/index.html")
    #expect(noAccount.status == .usage)
    #expect(noAccount.err.contains("give the resource's account with --resource-account"))
    let userID = iamsim("eval", "--anonymous", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::site/index.html",
                        "--resource-account", "111122223333", "--context", "aws:userid=AIDAEXAMPLE")
    #expect(userID.status == .usage)
    #expect(userID.err.contains("Anonymous requests do not include this key."))
  }
}
