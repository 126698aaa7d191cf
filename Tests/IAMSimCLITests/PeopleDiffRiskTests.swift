import Foundation
import IAMAudit
import IAMOrganization
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// The people diff says under which condition keys a gained action is allowed, which risk findings a change adds or
/// removes, gates on a finding with `--fail-on finding=…`, and renders as one self-contained HTML page.
@Suite struct PeopleDiffRiskTests {
  /// The example organization with a group AWS-Ops assigned the permission set Ops (holding `statements`) in
  /// 111122223333, empty before and with bob@example.com (who has nothing in that account) after.
  static func versions(_ statements: String) throws -> (before: String, after: String) {
    let base = Scratch.root.appendingPathComponent("iamsim-risk-\(UUID().uuidString)").path
    let (before, after) = (base + "/before", base + "/after")
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: repositoryRoot + "/cases/example-org", toPath: before)
    let permissionSet =
      #"{"Name": "Ops", "InlinePolicy": {"Version": "2012-10-17", "Statement": ["# + statements + "]}}"
    try permissionSet.write(toFile: before + "/permission-sets/Ops.json", atomically: true, encoding: .utf8)
    let assignments = before + "/assignments.json"
    let assigned = try String(contentsOfFile: assignments, encoding: .utf8).replacingOccurrences(
      of: "[\n",
      with: #"[{"principalType": "GROUP", "principal": "AWS-Ops", "permissionSet": "Ops", "account": "111122223333"},"#
        + "\n")
    try assigned.write(toFile: assignments, atomically: true, encoding: .utf8)
    try FileManager.default.copyItem(atPath: before, toPath: after)
    func addGroup(_ directory: String, members: String) throws {
      let groups = directory + "/identity-store/2-groups.json"
      let text = try String(contentsOfFile: groups, encoding: .utf8)
      let group =
        #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "9067a1b2c3-aaaaaaaa-0000-0000-0000-000000000009", "displayName": "AWS-Ops", "members": ["#
        + members + "]},"
      let changed = text.replacingOccurrences(of: #""Resources": ["#, with: #""Resources": ["# + group)
        .replacingOccurrences(of: #""totalResults": 2"#, with: #""totalResults": 3"#)
      #expect(changed != text)
      try changed.write(toFile: groups, atomically: true, encoding: .utf8)
    }
    try addGroup(before, members: "")
    try addGroup(after, members: #"{"value": "9067a1b2c3-22222222-2222-2222-2222-222222222222"}"#)
    return (before, after)
  }

  static let mfaDelete = #"""
    {"Effect": "Allow", "Action": "s3:DeleteBucket", "Resource": "*",
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
    {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}
    """#
  static let passRole = #"""
    {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}
    """#

  static func json(_ output: String) throws -> [[String: Any]] {
    let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    return try #require(object["changes"] as? [[String: Any]])
  }

  @Test func aMembershipThatGainsAConditionalActionNamesItsKey() throws {
    let (beforePath, afterPath) = try Self.versions(Self.mfaDelete)
    let before = try OrganizationDirectory.load(beforePath)
    let after = try OrganizationDirectory.load(afterPath)
    let auditor = Auditor(catalog: try CatalogCommand.loadBundled())
    let diff = PeopleDiff(before: before, after: after, auditor: auditor)
    #expect(diff.unavailable.isEmpty)
    let change = try #require(diff.changes.first)
    #expect(diff.changes.count == 1)
    #expect(change.user == "bob@example.com" && change.account == "111122223333" && change.group == "AWS-Ops")
    #expect(change.gained == ["s3:DeleteBucket", "s3:ListAllMyBuckets"])
    #expect(change.conditions == ["s3:DeleteBucket": ["aws:MultiFactorAuthPresent"]])
    #expect(change.widened.isEmpty)
    // s3:DeleteBucket is a Write action granted on every resource (conditionally or not).
    #expect(change.findingsGained == ["infrastructure-modification"])

    // Text: the key on the detail line of the conditional gain; the unconditional one on its own line.
    let text = iamsim("diff", beforePath, afterPath)
    #expect(text.status == .success)
    #expect(text.out.contains("    gains 1 only if aws:MultiFactorAuthPresent: s3:DeleteBucket\n"))
    #expect(text.out.contains("    gains 1: s3:ListAllMyBuckets\n"))
    #expect(
      text.out.contains(
        "gains s3:DeleteBucket (if aws:MultiFactorAuthPresent), s3:ListAllMyBuckets and gains infrastructure-modification in 111122223333"
      ))
    // JSON: `gained` stays a list of names; `conditions` beside it, for the user and for the group.
    let changes = try Self.json(iamsim("diff", beforePath, afterPath, "--format", "json").out)
    #expect(changes.count == 2)
    for entry in changes {
      #expect(entry["gained"] as? [String] == ["s3:DeleteBucket", "s3:ListAllMyBuckets"])
      #expect(entry["conditions"] as? [String: [String]] == ["s3:DeleteBucket": ["aws:MultiFactorAuthPresent"]])
      #expect(entry["findingsGained"] as? [String] == ["infrastructure-modification"])
    }
    let markdown = iamsim("diff", beforePath, afterPath, "--format", "markdown").out
    #expect(markdown.contains("Gains 1 only if aws:MultiFactorAuthPresent: `s3:DeleteBucket`"))
    // A gate on escalation findings does not trip: the change adds none; one on the family it adds does.
    #expect(iamsim("diff", beforePath, afterPath, "--fail-on", "finding=privilege-escalation").status == .success)
    #expect(
      iamsim("diff", beforePath, afterPath, "--fail-on", "finding=infrastructure-modification").status == .failure)
  }

  @Test func anActionNoLongerConditionalIsGainedAndTheReverseLost() throws {
    // Before: bob's group holds s3:DeleteBucket under MFA; after, without a condition.
    let (beforePath, afterPath) = try Self.versions(Self.mfaDelete)
    let unconditional =
      #"{"Name": "Ops", "InlinePolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:DeleteBucket", "s3:ListAllMyBuckets"], "Resource": "*"}]}}"#
    try FileManager.default.copyItem(
      atPath: afterPath + "/identity-store/2-groups.json", toPath: beforePath + "/identity-store/2-groups.json.new")
    try FileManager.default.removeItem(atPath: beforePath + "/identity-store/2-groups.json")
    try FileManager.default.moveItem(
      atPath: beforePath + "/identity-store/2-groups.json.new", toPath: beforePath + "/identity-store/2-groups.json")
    try unconditional.write(toFile: afterPath + "/permission-sets/Ops.json", atomically: true, encoding: .utf8)
    let auditor = Auditor(catalog: try CatalogCommand.loadBundled())
    let (before, after) = (try OrganizationDirectory.load(beforePath), try OrganizationDirectory.load(afterPath))
    let diff = PeopleDiff(before: before, after: after, auditor: auditor)
    let change = try #require(diff.changes.first)
    #expect(diff.changes.count == 1)
    #expect(change.gained == ["s3:DeleteBucket"])
    #expect(change.widened == ["s3:DeleteBucket"])
    #expect(change.conditions.isEmpty)
    #expect(change.lost.isEmpty)
    let reverse = try #require(PeopleDiff(before: after, after: before, auditor: auditor).changes.first)
    #expect(reverse.gained.isEmpty)
    #expect(reverse.lost == ["s3:DeleteBucket"])
    #expect(reverse.narrowed == ["s3:DeleteBucket": ["aws:MultiFactorAuthPresent"]])
    let text = iamsim("diff", beforePath, afterPath).out
    #expect(text.contains("gains 1 without conditions, allowed before only under conditions: s3:DeleteBucket"))
  }

  @Test func aChangeThatAddsAnEscalationPathIsReportedAndGated() throws {
    let (beforePath, afterPath) = try Self.versions(Self.passRole)
    let auditor = Auditor(catalog: try CatalogCommand.loadBundled())
    let (before, after) = (try OrganizationDirectory.load(beforePath), try OrganizationDirectory.load(afterPath))
    let change = try #require(PeopleDiff(before: before, after: after, auditor: auditor).changes.first)
    #expect(change.findingsGained.contains("privilege-escalation.pass-role"))
    #expect(change.findingsLost.isEmpty)
    let reverse = try #require(PeopleDiff(before: after, after: before, auditor: auditor).changes.first)
    #expect(reverse.findingsLost == change.findingsGained)
    #expect(reverse.findingsGained.isEmpty)

    let plain = iamsim("diff", beforePath, afterPath)
    #expect(plain.status == .success)
    #expect(plain.out.contains("through AWS-Ops → Ops"))
    #expect(plain.out.contains("and gains privilege-escalation.pass-role"))
    // Counted when more than three: how many of them only under conditions.
    let both = try Self.versions(Self.passRole + "," + Self.mfaDelete)
    #expect(
      iamsim("diff", both.before, both.after).out.contains(
        "+1 user gains 4 actions (Write 3, List 1), 1 only under conditions and gains privilege-escalation.pass-role"))
    let gated = iamsim("diff", beforePath, afterPath, "--fail-on", "finding=privilege-escalation")
    #expect(gated.status == .failure)
    #expect(
      gated.out.contains(
        "finding=privilege-escalation: bob@example.com gains finding privilege-escalation.pass-role in 111122223333 through AWS-Ops → Ops"
      ))
    #expect(
      iamsim("diff", beforePath, afterPath, "--fail-on", "finding=privilege-escalation.pass-role").status == .failure)
    // Scoped elsewhere, or to another code, it holds.
    #expect(
      iamsim("diff", beforePath, afterPath, "--fail-on", "finding=privilege-escalation,account=444455556666").status
        == .success)
    #expect(
      iamsim("diff", beforePath, afterPath, "--fail-on", "finding=privilege-escalation.create-policy-version").status
        == .success)
    // The reverse change loses the finding: nothing is gained, the gate holds.
    #expect(iamsim("diff", afterPath, beforePath, "--fail-on", "finding=privilege-escalation").status == .success)
    // An unknown code is bad usage, not a gate that never trips.
    #expect(iamsim("diff", beforePath, afterPath, "--fail-on", "finding=privilege-escalaton").status == .usage)
    let json = try #require(
      try JSONSerialization.jsonObject(
        with: Data(
          iamsim("diff", beforePath, afterPath, "--format", "json", "--fail-on", "finding=privilege-escalation").out
            .utf8))
        as? [String: Any])
    let gates = try #require(json["gates"] as? [[String: Any]])
    #expect(gates.first?["finding"] as? String == "privilege-escalation.pass-role")
    let changes = try #require(json["changes"] as? [[String: Any]])
    #expect((changes.first?["findingsGained"] as? [String])?.contains("privilege-escalation.pass-role") == true)
  }

  @Test func theHTMLPageIsSelfContainedAndNamesThePeople() throws {
    let (beforePath, afterPath) = try Self.versions(Self.passRole + "," + Self.mfaDelete)
    let result = iamsim("diff", beforePath, afterPath, "--format", "html", "--fail-on", "finding=privilege-escalation")
    #expect(result.status == .failure)
    let html = result.out
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.hasSuffix("</html>\n"))
    // Nothing fetched: no URL, no external script, style or image.
    for needle in ["http://", "https://", " src=", "<link", "@import", "url("] {
      #expect(!html.contains(needle), "\(needle)")
    }
    // Summary before details; the user, the group, the conditional key and the finding are named.
    let summary = try #require(html.range(of: "<h2>Summary</h2>"))
    let details = try #require(html.range(of: "<h2>Details</h2>"))
    #expect(summary.lowerBound < details.lowerBound)
    #expect(html.contains("<h3>bob@example.com in 111122223333 (prod-databases) through Ops (group AWS-Ops)</h3>"))
    #expect(html.contains("<h3>group AWS-Ops in 111122223333 (prod-databases) through Ops: 1 member</h3>"))
    #expect(html.contains("Gains 1 only if aws:MultiFactorAuthPresent"))
    #expect(html.contains("<code>privilege-escalation.pass-role</code>"))
    #expect(html.contains(#"<input id="f" type="search""#))
    // Escaped: the user name's `@` is fine, but a name with markup would not be markup.
    #expect(DiffHTML.search(["<b>"]) == "&lt;b&gt;")
    // Policies and permission sets only: no people to show.
    #expect(iamsim("diff", "ViewOnlyAccess", "ReadOnlyAccess", "--format", "html").status == .usage)
  }
  @Test func aPlanIsGatedOnFindingsAndRenderedInHTML() throws {
    // A Terraform plan that adds bob to AWS-DBA (DatabaseAdministrator, which passes roles to compute, in 111122223333).
    let plan = try ChangeReviewTests.file(
      "plan.json",
      """
      {"format_version": "1.2", "terraform_version": "1.9.5",
       "resource_changes": [{"address": "aws_identitystore_group_membership.bob_dba", "mode": "managed",
         "type": "aws_identitystore_group_membership", "name": "bob_dba",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "change": {"actions": ["create"], "before": null,
           "after": {"group_id": "\(ChangeReviewTests.dbaGroup)", "identity_store_id": "d-1234567890",
                     "member_id": "\(ChangeReviewTests.bob)"},
           "after_unknown": {"id": true, "membership_id": true}, "before_sensitive": false, "after_sensitive": {}}}]}
      """)
    let org = ChangeReviewTests.org
    let gated = iamsim("diff", "--plan", plan, "--org", org, "--fail-on", "finding=privilege-escalation.pass-role")
    #expect(gated.status == .failure)
    #expect(gated.out.contains("bob@example.com gains finding privilege-escalation.pass-role in 111122223333 through AWS-DBA → DatabaseAdministrator"))
    #expect(iamsim("diff", "--plan", plan, "--org", org).status == .success)
    let html = iamsim("diff", "--plan", plan, "--org", org, "--format", "html")
    #expect(html.status == .success)
    #expect(html.out.contains("<h3>bob@example.com in 111122223333 (prod-databases) through DatabaseAdministrator (group AWS-DBA)</h3>"))
    #expect(!html.out.contains("https://"))
  }
}
