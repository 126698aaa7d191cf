import Foundation
import IAMCatalog
import IAMEvaluation
import IAMPolicy
import Testing

@testable import IAMAudit

/// The privilege-escalation paths of pathfinding.cloud: each path's required actions are pinned to the YAML file of
/// the public repository DataDog/pathfinding.cloud that lists them (`permissions.required`), and each path is decided
/// by the engine, so that conditions, boundaries and SCPs count.
@Suite struct EscalationPathTests {
  /// The catalogued path with an id.
  static func path(_ id: String) throws -> EscalationPath {
    try #require(EscalationPath.catalogue.first { $0.id == id })
  }

  /// A permission set's policy holding the three Identity Center actions of the issue's done-when test.
  static func identityCenterAdministrator() throws -> PolicyDocument {
    try allow(
      ["sso:CreatePermissionSet", "sso:CreateAccountAssignment", "sso:AttachManagedPolicyToPermissionSet"],
      name: "SSOAdministrator")
  }

  /// An SCP level that allows everything and denies the three actions.
  static func denyingSCP() throws -> [PolicyDocument] {
    [
      try policy(
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        name: "FullAWSAccess", kind: .serviceControl),
      try policy(
        #"""
        {"Version":"2012-10-17","Statement":[{"Sid":"NoIdentityCenterAdministration","Effect":"Deny","Action":[
          "sso:CreatePermissionSet","sso:CreateAccountAssignment","sso:AttachManagedPolicyToPermissionSet",
          "sso:PutInlinePolicyToPermissionSet"],"Resource":"*"}]}
        """#, name: "deny-identity-center-administration", kind: .serviceControl),
    ]
  }

  static func auditPermissionSet(_ policies: [PolicyDocument], scps: [[PolicyDocument]] = []) throws -> AuditReport {
    let subject = AuditSubject(
      name: "SSOAdministrator@999988887777", permissionSet: "SSOAdministrator", account: "999988887777",
      policies: PolicySet(identityPolicies: policies, serviceControlPolicies: scps))
    return try sharedAuditor.audit(subject)
  }

  // pathfinding.cloud sso-001, https://github.com/DataDog/pathfinding.cloud/blob/973336c92f10a154404a9ca34a2a7c05da17935e/data/paths/sso/sso-001.yaml
  // permissions.required: sso:CreatePermissionSet, sso:CreateAccountAssignment, sso:AttachManagedPolicyToPermissionSet
  // (sso:ProvisionPermissionSet is an exploitation step there, not a requirement).
  // sso-002, …/data/paths/sso/sso-002.yaml: required sso:AttachManagedPolicyToPermissionSet (ProvisionPermissionSet
  // is "additional"). sso-003, …/data/paths/sso/sso-003.yaml: required sso:PutInlinePolicyToPermissionSet.
  @Test func identityCenterPathsArePinnedToPathfindingCloud() throws {
    #expect(
      try Self.path("sso-001").requirements == [
        ["sso:CreatePermissionSet"], ["sso:AttachManagedPolicyToPermissionSet"], ["sso:CreateAccountAssignment"],
      ])
    #expect(try Self.path("sso-002").requirements == [["sso:AttachManagedPolicyToPermissionSet"]])
    #expect(try Self.path("sso-002").helpful == ["sso:ProvisionPermissionSet"])
    #expect(try Self.path("sso-003").requirements == [["sso:PutInlinePolicyToPermissionSet"]])
    #expect(try Self.path("sso-001").code == "privilege-escalation.sso-create-and-assign-permission-set")
  }

  // pathfinding.cloud iam-013 (data/paths/aws/iam/iam-013.yaml; required iam:AddUserToGroup) and iam-012
  // (…/iam/iam-012.yaml; iam:UpdateAssumeRolePolicy + sts:AssumeRole), as the repository's docs/labs.json at
  // 01551bc9 lists their required permissions; lambda-003
  // (https://github.com/DataDog/pathfinding.cloud/blob/a89d537a42a9cd7c8481247cf3468a2addd8ad77/data/paths/aws/lambda/lambda-003.yaml:
  // lambda:UpdateFunctionCode only, where docs/labs.json also lists lambda:InvokeFunction); batch-001
  // (…/data/paths/aws/batch/batch-001.yaml at ecc3d092: iam:PassRole + batch:RegisterJobDefinition +
  // batch:SubmitJob); ssm-003 (…/data/paths/aws/ssm/ssm-003.yaml at a89d537a: iam:PassRole + ssm:CreateDocument +
  // ssm:StartAutomationExecution).
  @Test func iamAndComputePathsArePinnedToPathfindingCloud() throws {
    #expect(try Self.path("iam-013").requirements == [["iam:AddUserToGroup"]])
    #expect(try Self.path("iam-012").requirements == [["iam:UpdateAssumeRolePolicy"], ["sts:AssumeRole"]])
    #expect(try Self.path("lambda-003").requirements == [["lambda:UpdateFunctionCode"]])
    #expect(
      try Self.path("batch-001").requirements == [
        ["iam:PassRole"], ["batch:RegisterJobDefinition"], ["batch:SubmitJob"],
      ])
    #expect(
      try Self.path("ssm-003").requirements == [
        ["iam:PassRole"], ["ssm:CreateDocument"], ["ssm:StartAutomationExecution"],
      ])
  }

  /// No path is silently unprovable: every action the table names is in the shipped catalog.
  @Test func everyActionOfTheTableIsInTheCatalog() throws {
    let missing = EscalationPath.catalogue.flatMap { path in
      (path.actions + path.helpful).filter { sharedAuditor.index.index(of: $0) == nil }.map { "\(path.code): \($0)" }
    }
    #expect(missing.isEmpty, "\(missing)")
  }

  /// Each path has one code, ids are unique, and a mapped path names a rule that exists and whose own check the
  /// path's actions set off (so that the path is never left unreported).
  @Test func codesAreUniqueAndMappedPathsNameExistingRules() throws {
    let ids = EscalationPath.catalogue.compactMap(\.id)
    #expect(Set(ids).count == ids.count)
    let own = EscalationPath.catalogue.filter { $0.reportedBy == nil }.map(\.code)
    #expect(Set(own).count == own.count)
    let baseCodes = Set(RiskRule.base.map(\.code))
    #expect(Set(own).isDisjoint(with: baseCodes))
    for path in EscalationPath.catalogue {
      if let code = path.reportedBy {
        #expect(baseCodes.contains(code), "\(path.source)")
        #expect(path.code == code)
      } else {
        #expect(path.code.hasPrefix("privilege-escalation."), "\(path.code)")
        #expect(!path.message.isEmpty)
      }
    }
    #expect(RiskRule.standardCodes.count == Set(RiskRule.standardCodes).count)
  }

  /// `Documentation/Escalation.md` lists every path's id and code.
  @Test func theDocumentationListsEveryPath() throws {
    let text = try String(contentsOfFile: repositoryRoot + "/Documentation/Escalation.md", encoding: .utf8)
    for path in EscalationPath.catalogue {
      #expect(text.contains("| \(path.id ?? "—") | `\(path.code)` |"), "\(path.source) \(path.code)")
    }
    #expect(text.contains(EscalationChains.permissionSetCode) && text.contains(EscalationChains.passRoleCode))
  }

  /// Every path fires on a policy that allows exactly one action of each of its groups, under its own code or the
  /// code of the rule that reports it, naming the path and proving each action with an allowed request.
  @Test func everyPathFiresOnExactlyItsActions() throws {
    for path in EscalationPath.catalogue {
      let actions = path.requirements.map { $0[0] }
      let report = audit([try allow(actions)])
      guard let finding = report.findings.first(where: { $0.code == path.code }) else {
        Issue.record("\(path.source) (\(path.code)) did not fire on \(actions)")
        continue
      }
      #expect(finding.details.contains { $0.hasPrefix(path.source + ": ") }, "\(path.source): \(finding.details)")
      for action in actions {
        #expect(finding.evidence.contains { $0.action == action }, "\(path.source): no evidence for \(action)")
      }
      #expect(finding.evidence.allSatisfy { !$0.statements.isEmpty })
    }
  }

  /// A path with one of its groups missing does not fire under its own code.
  @Test func aPathNeedsEveryGroup() throws {
    for path in EscalationPath.catalogue where path.reportedBy == nil && path.requirements.count > 1 {
      let actions = path.requirements.dropLast().map { $0[0] }
      let report = audit([try allow(actions)])
      #expect(!report.codes.contains(path.code), "\(path.source) fired without \(path.requirements.last!)")
    }
  }

  /// The issue's done-when test: a permission set holding sso:CreatePermissionSet, sso:CreateAccountAssignment and
  /// sso:AttachManagedPolicyToPermissionSet has pathfinding.cloud's sso-001 (create a permission set with a managed
  /// policy and assign it) and sso-002 (attach a managed policy to a permission set already assigned), not sso-003
  /// (it cannot write inline policies).
  @Test func aPermissionSetThatCanCreateAndAssignPermissionSetsEscalates() throws {
    let report = try Self.auditPermissionSet([try Self.identityCenterAdministrator()])
    let create = try #require(
      report.findings.first { $0.code == "privilege-escalation.sso-create-and-assign-permission-set" })
    #expect(create.severity == .error)
    #expect(create.message.contains("create a permission set"))
    #expect(create.message.contains("attach any managed policy"))
    #expect(create.message.contains("assign it to any user or group in any account"))
    #expect(
      Set(create.evidence.map(\.action)) == [
        "sso:CreatePermissionSet", "sso:AttachManagedPolicyToPermissionSet", "sso:CreateAccountAssignment",
      ])
    #expect(create.evidence.allSatisfy { $0.statements.contains { $0.policy == "SSOAdministrator" } })
    #expect(create.details.first == "pathfinding.cloud sso-001: "
      + "sso:CreatePermissionSet + sso:AttachManagedPolicyToPermissionSet + sso:CreateAccountAssignment allowed")
    #expect(create.details.contains { $0.contains("management account") })
    let attach = try #require(
      report.findings.first { $0.code == "privilege-escalation.sso-attach-managed-policy-to-permission-set" })
    #expect(attach.message.contains("attach any managed policy"))
    #expect(attach.details.contains("sso:ProvisionPermissionSet is not allowed"))
    #expect(!report.codes.contains("privilege-escalation.sso-put-inline-policy-to-permission-set"))
  }

  /// With an SCP that denies the actions, the findings are gone and the actions are reported as cut by the SCP.
  @Test func anSCPThatDeniesTheActionsRemovesTheFindings() throws {
    let report = try Self.auditPermissionSet([try Self.identityCenterAdministrator()], scps: [try Self.denyingSCP()])
    #expect(!report.codes.contains { $0.hasPrefix("privilege-escalation.sso-") }, "\(report.codes)")
    let cut = Set(report.cut.filter(\.byDeny).map(\.action))
    #expect(
      cut.isSuperset(of: [
        "sso:CreatePermissionSet", "sso:CreateAccountAssignment", "sso:AttachManagedPolicyToPermissionSet",
      ]))
    #expect(report.cut.allSatisfy { $0.layer.name.hasPrefix("scp") })
    // An SCP that denies only the assignment cuts sso-001 and leaves sso-002.
    let assignmentOnly = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sso:CreateAccountAssignment","Resource":"*"}]}"#,
      name: "no-assignments", kind: .serviceControl)
    let partial = try Self.auditPermissionSet(
      [try Self.identityCenterAdministrator()], scps: [[try Self.denyingSCP()[0], assignmentOnly]])
    #expect(!partial.codes.contains("privilege-escalation.sso-create-and-assign-permission-set"))
    #expect(partial.codes.contains("privilege-escalation.sso-attach-managed-policy-to-permission-set"))
  }

  /// A permissions boundary that does not allow the actions removes the finding too; a condition lowers it.
  @Test func boundariesAndConditionsCount() throws {
    let boundary = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sso:Describe*","Resource":"*"}]}"#,
      name: "boundary", kind: .permissionsBoundary)
    let bounded = audit([try Self.identityCenterAdministrator()], boundary: boundary)
    #expect(!bounded.codes.contains { $0.hasPrefix("privilege-escalation.sso-") })
    let conditional = audit([
      try policy(
        #"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sso:PutInlinePolicyToPermissionSet",
          "Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}
        """#)
    ])
    let inline = try #require(
      conditional.findings.first { $0.code == "privilege-escalation.sso-put-inline-policy-to-permission-set" })
    #expect(inline.severity == .securityWarning)
    #expect(inline.evidence.first?.conditionKeys == ["aws:MultiFactorAuthPresent"])
  }

  /// Allowed on one named permission set only, the path is a warning and its evidence names that resource.
  @Test func aPathOnNamedResourcesIsAWarning() throws {
    let arn = "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-5555666677778888"
    let report = audit([try allow(["sso:AttachManagedPolicyToPermissionSet"], on: [arn])])
    let finding = try #require(
      report.findings.first { $0.code == "privilege-escalation.sso-attach-managed-policy-to-permission-set" })
    #expect(finding.severity == .warning)
    #expect(finding.message.hasSuffix("on the resources the policies name)"))
    #expect(finding.evidence.map(\.resource) == [arn])
  }

  /// A path an existing rule reports is named in that rule's finding, with the extra request that proves it, and
  /// is not reported a second time.
  @Test func mappedPathsAnnotateTheExistingFinding() throws {
    let report = audit([try allow(["iam:AttachRolePolicy", "sts:AssumeRole"])])
    let attach = try #require(report.findings.first { $0.code == "privilege-escalation.attach-policy" })
    #expect(attach.details.contains("pathfinding.cloud iam-009: iam:AttachRolePolicy allowed"))
    #expect(attach.details.contains("pathfinding.cloud iam-014: iam:AttachRolePolicy + sts:AssumeRole allowed"))
    #expect(attach.evidence.contains { $0.action == "sts:AssumeRole" })
    #expect(report.findings.filter { $0.code == "privilege-escalation.attach-policy" }.count == 1)
    let passRole = audit([try allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"])])
    let pass = try #require(passRole.findings.first { $0.code == "privilege-escalation.pass-role" })
    #expect(pass.details.contains("pathfinding.cloud lambda-001: iam:PassRole + lambda:CreateFunction + "
      + "lambda:InvokeFunction allowed"))
    #expect(!pass.details.contains { $0.hasPrefix("pathfinding.cloud lambda-006") }, "no lambda:AddPermission")
  }
}
