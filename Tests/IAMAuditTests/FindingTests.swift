import IAMCatalog
import IAMEvaluation
import IAMPolicy
import Testing

@testable import IAMAudit

/// Each finding family fires on a minimal policy that has the risk, and not on a harmless one.
@Suite struct FindingTests {
  /// A harmless policy: list and describe actions only, and reads of one named bucket.
  static func harmless() throws -> [PolicyDocument] {
    [
      try allow(["ec2:DescribeInstances", "s3:ListAllMyBuckets", "iam:ListRoles", "rds:DescribeDBInstances"]),
      try allow(["s3:GetObject"], on: ["arn:aws:s3:::public-reports/*"], name: "reports"),
      try allow(
        ["iam:CreateAccessKey", "iam:UpdateLoginProfile"], on: ["arn:aws:iam::*:user/${aws:username}"], name: "self"),
    ]
  }

  @Test func aHarmlessPolicyHasNoFindings() throws {
    let report = audit(try Self.harmless())
    #expect(report.findings.isEmpty, "\(report.findings.map(\.code))")
  }

  @Test func passRoleOnAnyRoleWithComputeIsAnError() throws {
    let report = audit([try allow(["iam:PassRole", "ec2:RunInstances"])])
    let finding = try #require(report.findings.first { $0.code == "privilege-escalation.pass-role" })
    #expect(finding.severity == .error)
    #expect(finding.evidence.map(\.action).contains("iam:PassRole"))
    #expect(finding.evidence.map(\.action).contains("ec2:RunInstances"))
    #expect(finding.evidence.allSatisfy { !$0.statements.isEmpty })
    #expect(!audit([try allow(["iam:PassRole"])]).codes.contains("privilege-escalation.pass-role"), "no compute")
    #expect(!audit([try allow(["ec2:RunInstances"])]).codes.contains("privilege-escalation.pass-role"), "no PassRole")
  }

  @Test func passRoleOnNamedRolesIsOnlyAWarning() throws {
    let report = audit([try managedPolicy("DatabaseAdministrator")])
    let finding = try #require(report.findings.first { $0.code == "privilege-escalation.pass-role" })
    #expect(finding.severity == .warning)
    #expect(finding.evidence.contains { $0.action == "lambda:CreateFunction" })
  }

  @Test func policyWritingActionsAreEscalations() throws {
    #expect(
      audit([try allow(["iam:CreatePolicyVersion"])]).codes.contains("privilege-escalation.create-policy-version"))
    #expect(audit([try allow(["iam:PutRolePolicy"])]).codes.contains("privilege-escalation.attach-policy"))
    #expect(audit([try allow(["iam:AttachUserPolicy"])]).codes.contains("privilege-escalation.attach-policy"))
    #expect(
      audit([try allow(["iam:UpdateAssumeRolePolicy"])]).codes.contains(
        "privilege-escalation.update-assume-role-policy"))
    let scoped = audit([try allow(["iam:AttachRolePolicy"], on: ["arn:aws:iam::111122223333:role/app-*"])])
    #expect(scoped.findings.first { $0.code == "privilege-escalation.attach-policy" }?.severity == .warning)
  }

  @Test func assumeRoleOnAnyRoleFiresButNotOnANamedRole() throws {
    let any = audit([try allow(["sts:AssumeRole"])])
    #expect(any.findings.first { $0.code == "privilege-escalation.assume-any-role" }?.severity == .securityWarning)
    let anyRoleARN = audit([try allow(["sts:AssumeRole"], on: ["arn:aws:iam::*:role/*"])])
    #expect(anyRoleARN.codes.contains("privilege-escalation.assume-any-role"))
    let named = audit([try allow(["sts:AssumeRole"], on: ["arn:aws:iam::111122223333:role/deploy"])])
    #expect(!named.codes.contains("privilege-escalation.assume-any-role"))
  }

  @Test func dataExfiltrationFiresOnAnyBucketOrSecret() throws {
    for action in ["s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameter", "kms:Decrypt", "dynamodb:Scan"]
    {
      let report = audit([try allow([action])])
      #expect(report.findings.first { $0.code == "data-exfiltration" }?.severity == .securityWarning, "\(action)")
    }
    #expect(audit([try allow(["s3:GetObject"], on: ["arn:aws:s3:::*/*"])]).codes.contains("data-exfiltration"))
    #expect(!audit([try allow(["s3:GetObject"], on: ["arn:aws:s3:::reports/*"])]).codes.contains("data-exfiltration"))
  }

  @Test func aConditionalRiskIsOneStepLessSevere() throws {
    let report = audit([
      try policy(
        #"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
          "Condition":{"StringEquals":{"s3:ExistingObjectTag/Department":"${aws:PrincipalTag/Department}"}}}]}
        """#)
    ])
    let finding = try #require(report.findings.first { $0.code == "data-exfiltration" })
    #expect(finding.severity == .warning)
    #expect(finding.evidence.first?.conditional == true)
    #expect(finding.evidence.first?.conditionKeys == ["s3:ExistingObjectTag/Department"])
  }

  @Test func resourceExposureFiresOnResourcePolicyWriters() throws {
    for action in [
      "s3:PutBucketPolicy", "kms:PutKeyPolicy", "sqs:SetQueueAttributes", "lambda:AddPermission",
      "ecr:SetRepositoryPolicy",
    ] {
      #expect(audit([try allow([action])]).codes.contains("resource-exposure"), "\(action)")
    }
    #expect(
      !audit([try allow(["s3:PutBucketPolicy"], on: ["arn:aws:s3:::one-bucket"])]).codes.contains("resource-exposure"))
  }

  @Test func credentialsExposureFiresOnCredentialMakers() throws {
    for action in [
      "iam:CreateAccessKey", "iam:CreateLoginProfile", "sts:GetFederationToken", "ecr:GetAuthorizationToken",
      "redshift:GetClusterCredentials",
    ] {
      #expect(audit([try allow([action])]).codes.contains("credentials-exposure"), "\(action)")
    }
    #expect(
      !audit([try allow(["iam:CreateAccessKey"], on: ["arn:aws:iam::*:user/${aws:username}"])]).codes.contains(
        "credentials-exposure"))
  }

  @Test func infrastructureModificationCountsWriteActionsPerService() throws {
    let report = audit([try allow(["ec2:RunInstances", "ec2:TerminateInstances", "rds:DeleteDBInstance"])])
    let finding = try #require(report.findings.first { $0.code == "infrastructure-modification" })
    #expect(finding.details == ["ec2: 2 Write actions on all resources", "rds: 1 Write action on all resources"])
    #expect(finding.evidence.count == 2)
    let scoped = audit([try allow(["ec2:TerminateInstances"], on: ["arn:aws:ec2:*:*:instance/i-0123"])])
    #expect(!scoped.codes.contains("infrastructure-modification"))
  }

  @Test func serviceWideWildcardsNeedEveryActionOfAService() throws {
    let report = audit([try allow(["sqs:*", "s3:Get*"])])
    let finding = try #require(report.findings.first { $0.code == "service-wide-wildcard" })
    #expect(finding.details.count == 1)
    #expect(finding.details.first?.hasPrefix("sqs: all ") == true)
    #expect(!audit([try allow(["sqs:Get*", "sqs:List*"])]).codes.contains("service-wide-wildcard"))
  }

  @Test func administratorAccessHasEveryFamily() throws {
    let report = audit([try managedPolicy("AdministratorAccess")])
    #expect(report.granted.count == sharedAuditor.catalog.metadata.actionCount)
    #expect(
      Set(report.findings.map(\.family)) == [
        "privilege-escalation", "data-exfiltration", "resource-exposure", "credentials-exposure",
        "infrastructure-modification",
        "service-wide-wildcard",
      ])
  }
}

@Suite struct SuppressionTests {
  static func suppressions(_ json: String) throws -> [Suppression] {
    try Suppression.read(JSONReader().read(json), file: "suppressions.json")
  }

  @Test func anUnexpiredSuppressionHidesTheFindingUntilItsLastDay() throws {
    let report = audit([try allow(["s3:GetObject"])], name: "Analysts")
    #expect(report.codes == ["data-exfiltration"])
    let list = try Self.suppressions(
      #"[{"code":"data-exfiltration","principal":"analysts","reason":"reviewed","expires":"2026-06-30"}]"#)
    let before = report.applying(list, today: "2026-06-30")
    #expect(before.findings.isEmpty)
    #expect(before.suppressed.map(\.finding.code) == ["data-exfiltration"])
    let after = report.applying(list, today: "2026-07-01")
    #expect(after.codes == ["data-exfiltration", "suppression.expired"])
    #expect(after.suppressed.isEmpty)
    #expect(after.findings.first { $0.code == "suppression.expired" }?.severity == .warning)
  }

  @Test func suppressionsMatchByCodeFamilyAndPrincipal() throws {
    let report = audit([try allow(["iam:PutRolePolicy", "iam:CreatePolicyVersion"])], name: "Admins")
    let family = try Self.suppressions(
      #"{"suppressions":[{"code":"privilege-escalation","principal":"*","reason":"r","expires":"2030-01-01"}]}"#)
    #expect(report.applying(family, today: "2026-01-01").findings.isEmpty)
    let otherPrincipal = try Self.suppressions(
      #"[{"code":"*","principal":"Others","reason":"r","expires":"2030-01-01"}]"#)
    #expect(report.applying(otherPrincipal, today: "2026-01-01").findings.count == report.findings.count)
    let expiredElsewhere = try Self.suppressions(
      #"[{"code":"*","principal":"Others","reason":"r","expires":"2020-01-01"}]"#)
    #expect(!report.applying(expiredElsewhere, today: "2026-01-01").codes.contains("suppression.expired"))
  }

  @Test func malformedSuppressionsAreInputErrors() throws {
    #expect(throws: InputError.self) {
      try Self.suppressions(#"[{"code":"x","principal":"p","reason":"r","expires":"next year"}]"#)
    }
    #expect(throws: InputError.self) {
      try Self.suppressions(#"[{"code":"x","principal":"p","expires":"2026-01-01"}]"#)
    }
    #expect(throws: InputError.self) { try Self.suppressions(#"{"items":[]}"#) }
  }
}

@Suite struct DiffTests {
  @Test func readOnlyAccessAddsDataReadsToViewOnlyAccess() throws {
    let old = audit([try managedPolicy("ViewOnlyAccess")])
    let new = audit([try managedPolicy("ReadOnlyAccess")])
    let diff = AuditDiff(old: old, new: new)
    let added = Set(diff.changes(.added).map(\.action))
    #expect(added.contains("s3:GetObject"))
    #expect(added.contains("dynamodb:GetItem"))
    #expect(!added.contains("s3:ListAllMyBuckets"), "both grant it")
    #expect(diff.changes(.added).allSatisfy { $0.new != nil && $0.old == nil })
    #expect(Set(diff.changes(.removed).map(\.action)).isDisjoint(with: new.grantedNames))
  }

  @Test func droppingAConditionWidens() throws {
    let conditional = try policy(
      #"""
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*",
        "Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}]}
      """#)
    let diff = AuditDiff(old: audit([conditional]), new: audit([try allow(["ec2:StopInstances"])]))
    #expect(diff.changes.map(\.kind) == [.widened])
    #expect(diff.newAccess.map(\.action) == ["ec2:StopInstances"])
    let back = AuditDiff(old: audit([try allow(["ec2:StopInstances"])]), new: audit([conditional]))
    #expect(back.changes.map(\.kind) == [.narrowed])
    #expect(back.newAccess.isEmpty)
  }
}

@Suite struct DiffResourceTests {
  @Test func aNewResourcePatternIsNewAccess() throws {
    let old = audit([try allow(["s3:GetObject"], on: ["arn:aws:s3:::reports/*"])])
    let new = audit([try allow(["s3:GetObject"], on: ["arn:aws:s3:::reports/*", "arn:aws:s3:::payroll/*"])])
    let diff = AuditDiff(old: old, new: new)
    #expect(diff.newAccess.map(\.action) == ["s3:GetObject"])
    #expect(AuditDiff(old: new, new: old).changes.map(\.kind) == [.narrowed])
    #expect(AuditDiff(old: old, new: old).changes.isEmpty)
  }
}
