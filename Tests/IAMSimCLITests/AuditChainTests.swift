import Foundation
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// `audit --org` reports two-step escalation chains on a copy of the example organization with three more
/// permission sets and an account role, and leaves them out when a hop is not allowed.
@Suite struct AuditChainTests {
  /// Runs iamsim in-process.
  static func iamsim(_ arguments: [String]) -> (status: IAMSimCLI.ExitStatus, out: String, err: String) {
    var out = ""
    var err = ""
    let status = Tool.run(
      arguments, environment: ["IAMSIM_POLICIES": repositoryRoot + "/policies/aws-managed"], stdout: &out,
      stderr: &err)
    return (status, out, err)
  }

  static func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  static func permissionSet(_ name: String, _ statements: String) -> String {
    #"{"Name":"\#(name)","SessionDuration":"PT1H","InlinePolicy":{"Version":"2012-10-17","Statement":[\#(statements)]}}"#
  }

  /// The example organization plus: IdentityCenterOperator (may rewrite and provision any permission set) for carol in
  /// the management account, IAMAdministrator (`iam:*`) for the group AWS-Engineering in 444455556666, Builder
  /// (PassRole on any role, ec2:RunInstances) for bob in 444455556666, and two roles there that trust EC2: Deployer
  /// (AdministratorAccess) and Viewer (ViewOnlyAccess).
  static func organization(
    operatorAccount: String = "999988887777",
    operatorActions: String = #""sso:PutInlinePolicyToPermissionSet","sso:ProvisionPermissionSet""#
  ) throws -> String {
    let directory = Scratch.root.appendingPathComponent("iamsim-chains-\(UUID().uuidString)")
      .path
    try FileManager.default.copyItem(atPath: repositoryRoot + "/cases/example-org", toPath: directory)
    try write(
      permissionSet(
        "IdentityCenterOperator",
        #"{"Effect":"Allow","Action":[\#(operatorActions),"sso:Describe*","sso:List*"],"Resource":"*"}"#
      ), to: directory + "/permission-sets/IdentityCenterOperator.json")
    try write(
      permissionSet("IAMAdministrator", #"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#),
      to: directory + "/permission-sets/IAMAdministrator.json")
    try write(
      permissionSet(
        "Builder", #"{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances","ec2:Describe*"],"Resource":"*"}"#),
      to: directory + "/permission-sets/Builder.json")
    var assignments = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: directory + "/assignments.json"))) as! [[String: String]]
    assignments += [
      [
        "principalType": "USER", "principal": "carol@example.com", "permissionSet": "IdentityCenterOperator",
        "account": operatorAccount,
      ],
      [
        "principalType": "GROUP", "principal": "AWS-Engineering", "permissionSet": "IAMAdministrator",
        "account": "444455556666",
      ],
      ["principalType": "USER", "principal": "bob@example.com", "permissionSet": "Builder", "account": "444455556666"],
    ]
    try JSONSerialization.data(withJSONObject: assignments, options: [.withoutEscapingSlashes])
      .write(to: URL(fileURLWithPath: directory + "/assignments.json"))
    func role(_ name: String, _ policy: String) -> String {
      #"""
      {"Path":"/","RoleName":"\#(name)","RoleId":"AROAEXAMPLE\#(name.uppercased())1","Arn":"arn:aws:iam::444455556666:role/\#(name)",
       "CreateDate":"2026-01-05T10:00:00+00:00",
       "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
         "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},
       "InstanceProfileList":[],"RolePolicyList":[],
       "AttachedManagedPolicies":[{"PolicyName":"\#(policy)","PolicyArn":"arn:aws:iam::aws:policy/\#(policy)"}],
       "Tags":[],"RoleLastUsed":{}}
      """#
    }
    try write(
      #"{"UserDetailList":[],"GroupDetailList":[],"RoleDetailList":[\#(role("Deployer", "AdministratorAccess")),\#(role("Viewer", "job-function/ViewOnlyAccess"))],"Policies":[]}"#,
      to: directory + "/accounts/444455556666/authorization-details.json")
    return directory
  }

  static func findings(_ directory: String) throws -> [[String: Any]] {
    let result = iamsim(["audit", "--org", directory, "--format", "json"])
    #expect(result.status == .success, "\(result.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
    return json["findings"] as? [[String: Any]] ?? []
  }

  @Test func aPermissionSetThatRewritesAMorePowerfulOneIsAChain() throws {
    let directory = try Self.organization()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let findings = try Self.findings(directory)
    let chains = findings.filter { $0["code"] as? String == "privilege-escalation.chain.permission-set" }
    // IAMAdministrator grants Permissions management actions IdentityCenterOperator does not; DepartmentEngineer
    // grants none, so it is no target.
    let messages = chains.compactMap { $0["message"] as? String }
    #expect(messages.contains { $0.contains("permission set IAMAdministrator,") }, "\(messages)")
    #expect(!messages.contains { $0.contains("permission set DepartmentEngineer,") }, "\(messages)")
    let chain = try #require(chains.first { ($0["message"] as? String)?.contains("IAMAdministrator") == true })
    #expect(chain["subject"] as? String == "IdentityCenterOperator@999988887777")
    let details = chain["details"] as? [String] ?? []
    #expect(details.first?.hasPrefix("hop 1: in account 999988887777 (the management account)") == true)
    #expect(details.contains { $0.hasPrefix("hop 2: IAMAdministrator@444455556666 is assigned to group AWS-Engineering") })
    let evidence = chain["evidence"] as? [[String: Any]] ?? []
    #expect(
      Set(evidence.compactMap { $0["action"] as? String }) == [
        "sso:PutInlinePolicyToPermissionSet", "sso:ProvisionPermissionSet",
      ])
    #expect(evidence.allSatisfy { $0["decision"] as? String == "allowed" })
  }

  /// AWS's CreateAccountAssignment reference: "If the permission set is subsequently updated, the corresponding IAM
  /// policies attached to roles in your accounts will not be updated automatically. In this case, you must call
  /// ProvisionPermissionSet to make these updates."
  /// (https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateAccountAssignment.html). Without
  /// sso:ProvisionPermissionSet, rewriting an assigned permission set is no proven hop.
  @Test func rewritingWithoutProvisioningIsNoChain() throws {
    let directory = try Self.organization(operatorActions: #""sso:PutInlinePolicyToPermissionSet""#)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let findings = try Self.findings(directory)
    #expect(!findings.contains { $0["code"] as? String == "privilege-escalation.chain.permission-set" })
    let inline = try #require(
      findings.first { $0["code"] as? String == "privilege-escalation.sso-put-inline-policy-to-permission-set" })
    #expect((inline["details"] as? [String] ?? []).contains("sso:ProvisionPermissionSet is not allowed"))
  }

  @Test func outsideTheManagementAccountThereIsNoPermissionSetChain() throws {
    let directory = try Self.organization(operatorAccount: "444455556666")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let findings = try Self.findings(directory)
    #expect(!findings.contains { $0["code"] as? String == "privilege-escalation.chain.permission-set" })
    // The single-step finding is still there, with the caveat.
    let inline = try #require(
      findings.first { $0["code"] as? String == "privilege-escalation.sso-put-inline-policy-to-permission-set" })
    #expect((inline["details"] as? [String] ?? []).contains { $0.contains("management account") })
  }

  /// Paths and chains reach the text and HTML reports as every finding does.
  @Test func pathsAndChainsAppearInTextAndHTML() throws {
    let directory = try Self.organization()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let text = Self.iamsim(["audit", "--org", directory, "--permission-set", "IdentityCenterOperator", "--details"])
    #expect(text.status == .success, "\(text.err)")
    #expect(text.out.contains("[privilege-escalation.sso-put-inline-policy-to-permission-set]"))
    #expect(text.out.contains("pathfinding.cloud sso-003: sso:PutInlinePolicyToPermissionSet allowed"))
    let html = Self.iamsim(["audit", "--org", directory, "--format", "html"])
    #expect(html.status == .success, "\(html.err)")
    #expect(html.out.contains("privilege-escalation.chain.permission-set"))
    #expect(html.out.contains("privilege-escalation.chain.pass-role"))
  }

  @Test func passingAMorePowerfulRoleToComputeIsAChain() throws {
    let directory = try Self.organization()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let findings = try Self.findings(directory)
    let chains = findings.filter { $0["code"] as? String == "privilege-escalation.chain.pass-role" }
    #expect(chains.count == 1, "\(chains.map { $0["message"] ?? "" })")
    let chain = try #require(chains.first)
    #expect(chain["subject"] as? String == "Builder@444455556666")
    #expect((chain["message"] as? String)?.contains("role Deployer of account 444455556666") == true)
    let details = chain["details"] as? [String] ?? []
    #expect(details.first?.contains("the role's trust policy names ec2.amazonaws.com") == true)
    let evidence = chain["evidence"] as? [[String: Any]] ?? []
    #expect(evidence.first?["action"] as? String == "iam:PassRole")
    #expect(evidence.first?["resource"] as? String == "arn:aws:iam::444455556666:role/Deployer")
    #expect(evidence.contains { $0["action"] as? String == "ec2:RunInstances" })
  }
}
