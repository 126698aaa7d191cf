import IAMCatalog
import IAMEvaluation
import IAMPolicy
import Testing

@testable import IAMAudit

@Suite struct GrantedActionTests {
  @Test func databaseAdministratorGrantsRDSButNotBucketDeletion() throws {
    let report = audit([try managedPolicy("DatabaseAdministrator")])
    let create = try #require(report.granted("rds:CreateDBInstance"))
    #expect(create.accessLevel == .write)
    #expect(!create.conditional)
    #expect(create.allResources)
    #expect(report.granted("s3:DeleteBucket") == nil)
    #expect(report.cut.isEmpty)
  }

  /// The engine's answer equals a plain expansion of the Allow statements' patterns: DatabaseAdministrator has
  /// no conditions, no Deny statements and no NotAction, so both must agree action for action.
  @Test func databaseAdministratorMatchesAnIndependentExpansion() throws {
    let document = try managedPolicy("DatabaseAdministrator")
    let patterns = document.statements.filter { $0.effect == .allow }.flatMap { $0.action.patterns.map(\.source) }
    let expanded = Set(sharedAuditor.catalog.actions(matchingAnyOf: patterns).map(\.qualifiedName))
    let report = audit([document])
    #expect(expanded.count > 500)
    #expect(
      report.grantedNames == expanded,
      "only granted: \(report.grantedNames.subtracting(expanded).sorted().prefix(10)); only expanded: \(expanded.subtracting(report.grantedNames).sorted().prefix(10))"
    )
  }

  @Test func resourcesAreThePatternsThatGrant() throws {
    let report = audit([try managedPolicy("DatabaseAdministrator")])
    let passRole = try #require(report.granted("iam:PassRole"))
    #expect(!passRole.allResources)
    #expect(passRole.resources.contains("arn:aws:iam::*:role/rds-monitoring-role"))
    #expect(passRole.resources.count == 7)
  }

  @Test func grantedActionsAreSpelledAsInTheCatalogInCatalogOrder() throws {
    let report = audit([try allow(["RDS:createdbinstance", "s3:getobject"])])
    #expect(report.granted.map(\.action) == ["rds:CreateDBInstance", "s3:GetObject"])
  }

  @Test func notActionGrantsEverythingElse() throws {
    let report = audit([
      try policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#)
    ])
    #expect(report.granted("s3:GetObject") != nil)
    #expect(report.granted("iam:CreateUser") == nil)
    #expect(report.granted.count == sharedAuditor.catalog.actions(matchingNoneOf: ["iam:*"]).count)
  }

  @Test func resourcePatternsWithVariablesAndShortARNsAreProbed() throws {
    let report = audit([
      try allow(["s3:GetObject"], on: ["arn:aws:s3:::home/${aws:PrincipalTag/team}/*"]),
      try allow(["sqs:SendMessage"], on: ["arn:aws:sqs:*"]),
      try allow(["sns:Publish"], on: ["arn:aws:sns:eu-west-1:111122223333:alerts-??"]),
    ])
    #expect(report.granted("s3:GetObject")?.resources == ["arn:aws:s3:::home/${aws:PrincipalTag/team}/*"])
    #expect(report.granted("sqs:SendMessage")?.resources == ["arn:aws:sqs:*"])
    #expect(report.granted("sns:Publish")?.resources == ["arn:aws:sns:eu-west-1:111122223333:alerts-??"])
  }

  @Test func aResourcePatternOfAnotherAccountStillCountsAsGranted() throws {
    let report = audit([
      try allow(["s3:GetObject"], on: ["arn:aws:s3:::*"]),
      try allow(["sns:Publish"], on: ["arn:aws:sns:*:999999999999:*"]),
    ])
    #expect(report.granted("s3:GetObject") != nil)
    #expect(report.granted("sns:Publish") != nil)
  }

  @Test func theAuditIsDeterministic() throws {
    let document = try managedPolicy("ViewOnlyAccess")
    #expect(audit([document]).granted == audit([document]).granted)
  }
}

@Suite struct ConditionalAndCutTests {
  @Test func aConditionalAllowIsConditionalAndNamesItsKeys() throws {
    let report = audit([
      try policy(
        #"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*/*",
           "Condition":{"StringEquals":{"s3:ExistingObjectTag/Department":"${aws:PrincipalTag/Department}"}}},
          {"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
          {"Effect":"Allow","Action":["s3:ListBucket","s3:ListAllMyBuckets"],"Resource":"*"}]}
        """#)
    ])
    let get = try #require(report.granted("s3:GetObject"))
    #expect(get.conditional)
    #expect(get.conditionKeys == ["s3:ExistingObjectTag/Department"])
    let list = try #require(report.granted("s3:ListBucket"))
    #expect(!list.conditional, "an unconditional statement grants it too")
    #expect(list.conditionKeys.isEmpty)
  }

  @Test func aConditionalDenyDoesNotCut() throws {
    let report = audit([
      try policy(
        #"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},
          {"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}
        """#)
    ])
    #expect(report.granted("ec2:TerminateInstances") != nil)
    #expect(report.cut.isEmpty)
  }

  @Test func anUnconditionalDenyCuts() throws {
    let report = audit([
      try policy(
        #"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},
          {"Sid":"NoTermination","Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}
        """#)
    ])
    #expect(report.granted("ec2:TerminateInstances") == nil)
    let cut = try #require(report.cut.first { $0.action == "ec2:TerminateInstances" })
    #expect(cut.layer == .identity)
    #expect(cut.byDeny)
    #expect(cut.statements.map(\.sid) == ["NoTermination"])
    #expect(report.cut.count == 1)
  }

  @Test func aBoundaryCuts() throws {
    let boundary = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
      name: "boundary", kind: .permissionsBoundary)
    let report = audit([try allow(["s3:GetObject", "ec2:RunInstances", "ec2:DescribeInstances"])], boundary: boundary)
    #expect(report.grantedNames == ["s3:GetObject"])
    #expect(Set(report.cut.map(\.action)) == ["ec2:RunInstances", "ec2:DescribeInstances"])
    #expect(report.cut.allSatisfy { $0.layer == .permissionsBoundary && !$0.byDeny })
  }

  @Test func anSCPLevelCuts() throws {
    let full = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
      name: "FullAWSAccess", kind: .serviceControl)
    let denyEC2 = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"*"}]}"#,
      name: "deny-ec2", kind: .serviceControl)
    let onlyS3 = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*"}]}"#,
      name: "s3-ec2", kind: .serviceControl)
    let report = audit(
      [try allow(["s3:GetObject", "ec2:RunInstances", "rds:CreateDBInstance"])],
      scps: [[full], [full, denyEC2], [onlyS3]])
    #expect(report.grantedNames == ["s3:GetObject"])
    let run = try #require(report.cut.first { $0.action == "ec2:RunInstances" })
    #expect(run.layer == .serviceControl(level: 1) && run.byDeny)
    let rds = try #require(report.cut.first { $0.action == "rds:CreateDBInstance" })
    #expect(rds.layer == .serviceControl(level: 2) && !rds.byDeny)
  }

  @Test func theManagementAccountIsNotCutBySCPs() throws {
    let deny = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#,
      name: "deny-all", kind: .serviceControl)
    var policies = PolicySet(identityPolicies: [try allow(["s3:GetObject"])], serviceControlPolicies: [[deny]])
    policies.principalAccountIsManagement = true
    let report = try sharedAuditor.audit(AuditSubject(name: "mgmt", policies: policies))
    #expect(report.grantedNames == ["s3:GetObject"])
  }
}

@Suite struct InternalsTests {
  @Test func everyCatalogActionIsFoundByItsNameInAnyCase() {
    let index = sharedAuditor.index
    for (offset, name) in index.names.enumerated() {
      #expect(index.index(of: name) == offset)
    }
    #expect(index.index(of: "RDS:CREATEDBINSTANCE") == index.index(of: "rds:CreateDBInstance"))
    #expect(index.index(of: "rds:NoSuchAction") == nil)
    #expect(index.index(of: "nosuchservice:Get") == nil)
    #expect(index.index(of: "nocolon") == nil)
  }

  @Test func theParallelAuditEqualsOneActionAtATime() throws {
    let subject = AuditSubject(
      name: "t", policies: PolicySet(identityPolicies: [try managedPolicy("DatabaseAdministrator")]))
    let run = try AuditRun(subject: subject, index: sharedAuditor.index)
    let parallel = run.evaluateAll().granted
    var sequential: [GrantedAction] = []
    for action in 0..<sharedAuditor.index.count {
      if case .granted(let grant)? = run.evaluate(action: action) { sequential.append(grant) }
    }
    #expect(parallel == sequential)
  }

  @Test func probesStandForTheirPatterns() throws {
    let document = try allow(
      ["s3:GetObject"],
      on: [
        "arn:aws:s3:::home/${aws:PrincipalTag/team}/${aws:PrincipalAccount}/*", "arn:aws:sns:*:*:alerts-??",
        "arn:aws:s3:*", "*",
      ])
    let known = { (key: String) -> String? in key == "aws:principalaccount" ? "111122223333" : nil }
    let probes = Probe.probes(for: document.statements[0].resource, account: "444455556666", known: known)
    #expect(
      probes.map(\.resource) == [
        "arn:aws:s3:::home/iamsim/111122223333/iamsim", "arn:aws:sns:us-east-1:444455556666:alerts-xx",
        "arn:aws:s3:iamsim:iamsim:iamsim", "*",
      ])
    #expect(probes[0].variables == [Probe.Variable(key: "aws:principaltag/team", value: "iamsim")])
    #expect(probes.map(\.label) == document.statements[0].resource?.patterns.map(\.source))
    let arbitrary = Probe.arbitrary(
      arnPattern: "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", account: "111122223333")
    #expect(arbitrary.resource == "arn:aws:iam::111122223333:role/iamsim-any-rolenamewithpath")
  }

}
