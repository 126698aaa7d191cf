import IAMEvaluation
import IAMPolicy
import Testing

@testable import IAMAudit

/// A resource policy from JSON text.
private func resourcePolicy(_ json: String, name: String = "bucket-policy") throws -> PolicyDocument {
  try policy(json, name: name, kind: .resource)
}

/// A policy of one statement.
private func statement(_ body: String) -> String {
  #"{"Version":"2012-10-17","Statement":[\#(body)]}"#
}

private let own = "111122223333"
private let other = "444455556666"

private func externalAccess(_ document: PolicyDocument, zone: ZoneOfTrust = ZoneOfTrust(account: own)) throws
  -> AuditReport
{
  try sharedAuditor.externalAccess(document, zone: zone)
}

/// External-access findings, after IAM Access Analyzer's, decided by the engine.
///
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html: "IAM Access Analyzer generates a
/// finding for each instance of a resource-based policy that grants access to a resource within your zone of trust to
/// a principal that is not within your zone of trust."
@Suite struct ExternalAccessTests {
  /// "For resource-based policies, using a wildcard (*) with an Allow effect grants access to all users, including
  /// anonymous users (public access)." (IAM, Principal element)
  @Test func publicBucketPolicyIsAnErrorProvenByAnAnonymousRequest() throws {
    let document = try resourcePolicy(
      statement(
        #"{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-site/*"}"#
      ))
    #expect(document.isPublic)
    let report = try externalAccess(document)
    #expect(report.findings.map(\.code) == ["external-access.public"])
    let finding = try #require(report.findings.first)
    #expect(finding.severity == .error)
    #expect(finding.subject == "bucket-policy")
    let evidence = try #require(finding.evidence.first)
    #expect(evidence.caller == "anonymous")
    #expect(evidence.action == "s3:GetObject")
    #expect(evidence.resource.hasPrefix("arn:aws:s3:::public-site/"))
    #expect(!evidence.conditional)
    #expect(evidence.statements.map(\.sid) == ["PublicRead"])
    // The evidence is a request the engine allows: an anonymous caller on the probe resource.
    let authorizer = try Authorizer(PolicySet(resourcePolicy: document))
    let request = AuthorizationRequest(
      principal: .anonymous, action: evidence.action, resource: evidence.resource, resourceAccount: own)
    #expect(authorizer.authorize(request).decision == .allowed)
  }

  /// `s3:*` is proven with an S3 action (the bucket's service), and the finding names the pattern as written.
  @Test func wildcardActionsAreProvenWithAnActionOfTheResourcesService() throws {
    let report = try externalAccess(
      try resourcePolicy(
        statement(#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"arn:aws:s3:::open"}"#)))
    let finding = try #require(report.findings.first { $0.code == "external-access.public" })
    #expect(finding.message.contains("s3:*"))
    #expect(finding.evidence.first?.action.hasPrefix("s3:") == true)
  }

  /// "If you grant permissions to an S3 bucket in one of your organization member accounts to a principal in another
  /// organization member account, IAM Access Analyzer does not generate a finding. But if you grant permission to a
  /// principal in an account that is not a member of the organization, IAM Access Analyzer generates a finding."
  @Test func bucketPolicyForAnotherAccountIsCrossAccount() throws {
    let document = try resourcePolicy(
      statement(
        #"{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\#(other):root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::shared","arn:aws:s3:::shared/*"]}"#
      ))
    #expect(!document.isPublic)
    let report = try externalAccess(document)
    #expect(report.findings.map(\.code) == ["external-access.cross-account"])
    let finding = try #require(report.findings.first)
    #expect(finding.severity == .securityWarning)
    #expect(finding.message.contains(other))
    #expect(finding.message.contains("s3:GetObject, s3:ListBucket"))
    #expect(finding.details.contains { $0.contains("the resource side allows it") })
    #expect(finding.evidence.map(\.action) == ["s3:GetObject", "s3:ListBucket"])
    #expect(finding.evidence.allSatisfy { $0.caller == "arn:aws:iam::\(other):role/iamsim-outside" })
    #expect(finding.evidence.allSatisfy { !$0.conditional })
    // Inside an organization zone that holds the other account, the same grant is not external.
    let zone = ZoneOfTrust(account: own, organizationID: "o-a1b2c3d4e5", accounts: [own, other])
    #expect(try externalAccess(document, zone: zone).findings.isEmpty)
  }

  @Test func ownAccountPrincipalsAreNotExternal() throws {
    let report = try externalAccess(
      try resourcePolicy(
        statement(
          #"{"Effect":"Allow","Principal":{"AWS":["\#(own)","arn:aws:iam::\#(own):role/reader"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::mine/*"}"#
        )))
    #expect(report.findings.isEmpty)
  }

  /// A fixed `aws:PrincipalOrgID` makes the grant non-public (S3) and confines it to the organization: Access Analyzer
  /// names `condition.aws:PrincipalOrgID` as "The organization identifier of the principal indicated as the condition
  /// for resource access."
  @Test func principalOrgIDOfTheOwnOrganizationIsNotExternal() throws {
    let document = try resourcePolicy(
      statement(
        #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::org-bucket/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#
      ))
    #expect(!document.isPublic)
    let zone = ZoneOfTrust(account: own, organizationID: "o-a1b2c3d4e5", accounts: [own])
    #expect(try externalAccess(document, zone: zone).findings.isEmpty)
    // Another organization's ID (or an unknown one, without the organization) leaves it open to outsiders: a
    // cross-account finding, conditional, proven with the condition's value in the request.
    let outside = try externalAccess(document)
    let finding = try #require(outside.findings.first)
    #expect(outside.findings.map(\.code) == ["external-access.cross-account"])
    #expect(finding.severity == .warning)
    let evidence = try #require(finding.evidence.first)
    #expect(evidence.conditional)
    #expect(evidence.conditionKeys == ["aws:PrincipalOrgID"])
  }

  @Test func principalAccountOfTheOwnAccountIsNotExternal() throws {
    let document = try resourcePolicy(
      statement(
        #"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:\#(own):q","Condition":{"StringEquals":{"aws:SourceAccount":"\#(own)"}}}"#
      ))
    #expect(try externalAccess(document).findings.isEmpty)
  }

  /// "Access Analyzer does not currently report findings from AWS service principals or internal service accounts."
  @Test func servicePrincipalIsNotExternal() throws {
    let document = try resourcePolicy(
      statement(
        #"{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::trail-logs/AWSLogs/\#(own)/*"}"#
      ))
    #expect(try externalAccess(document).findings.isEmpty)
  }

  /// S3: "To be considered non-public, a bucket policy must grant access only to fixed values (…) for one or more of
  /// the following: (…) A set of Classless Inter-Domain Routings (CIDRs), using aws:SourceIp." and "Bucket policies
  /// that grant access conditioned on the aws:SourceIp condition key with very broad IP ranges (for example,
  /// 0.0.0.0/1) are evaluated as "public." This includes values broader than /8 for IPv4 and /32 for IPv6 (excluding
  /// RFC1918 private ranges)."
  @Test func starWithAFixedSourceIPIsNotPublicButIsOpenToOutsiders() throws {
    let document = try resourcePolicy(
      statement(
        #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::office/*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#
      ))
    #expect(!document.isPublic)
    let report = try externalAccess(document)
    #expect(report.findings.map(\.code) == ["external-access.cross-account"])
    let finding = try #require(report.findings.first)
    // Conditional: one step below security-warning.
    #expect(finding.severity == .warning)
    let evidence = try #require(finding.evidence.first)
    #expect(evidence.conditional)
    #expect(evidence.conditionKeys == ["aws:SourceIp"])
    // The request the evidence stands for is allowed from an address of the range, and not from another.
    let authorizer = try Authorizer(
      PolicySet(
        identityPolicies: [try allow(["*"])], resourcePolicy: document))
    let caller = try #require(Principal.outside("999999999999"))
    var request = AuthorizationRequest(
      principal: caller, action: evidence.action, resource: evidence.resource, resourceAccount: own)
    request.context.set("aws:SourceIp", "203.0.113.7")
    #expect(authorizer.authorize(request).decision == .allowed)
    request.context.set("aws:SourceIp", "198.51.100.7")
    #expect(authorizer.authorize(request).decision != .allowed)
  }

  @Test func starWithABroadSourceIPIsPublicAndConditional() throws {
    let document = try resourcePolicy(
      statement(
        #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::wide/*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}}"#
      ))
    #expect(document.isPublic)
    let report = try externalAccess(document)
    #expect(report.findings.map(\.code) == ["external-access.public"])
    let finding = try #require(report.findings.first)
    #expect(finding.severity == .securityWarning)
    let evidence = try #require(finding.evidence.first)
    #expect(evidence.caller == "anonymous")
    #expect(evidence.conditional)
    #expect(evidence.conditionKeys == ["aws:SourceIp"])
  }

  /// A public statement whose condition no anonymous request can meet (it has no `aws:PrincipalAccount`) is public
  /// all the same: S3's definition does not list `aws:PrincipalAccount`; the evidence names the key.
  @Test func publicByDefinitionEvenWhenTheAnonymousProbeIsDenied() throws {
    let document = try resourcePolicy(
      statement(
        #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acct/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"\#(own)"}}}"#
      ))
    #expect(document.isPublic)
    let report = try externalAccess(document)
    let finding = try #require(report.findings.first)
    #expect(report.findings.map(\.code) == ["external-access.public"])
    #expect(finding.severity == .securityWarning)
    #expect(finding.evidence.first?.conditionKeys == ["aws:PrincipalAccount"])
    #expect(finding.evidence.first?.conditional == true)
  }

  /// AWS's default key policy: "Allows access to the AWS account and enables IAM policies" through the account's root.
  @Test func kmsKeyPolicyForTheOwnAccountRootIsNotExternal() throws {
    let document = try resourcePolicy(
      statement(
        #"{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\#(own):root"},"Action":"kms:*","Resource":"*"}"#
      ), name: "key-policy")
    #expect(try externalAccess(document).findings.isEmpty)
  }

  /// A statement naming everyone and fixing `aws:PrincipalArn` to roles of the own account (a common key-policy
  /// pattern) and `aws:SourceIp` (which makes it non-public for S3) stays inside the zone; another account's role
  /// does not.
  @Test func principalArnOfTheOwnAccountKeepsANonPublicGrantInside() throws {
    func document(_ account: String) throws -> PolicyDocument {
      try resourcePolicy(
        statement(
          #"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::\#(account):role/app-*"},"IpAddress":{"aws:SourceIp":"10.0.0.0/16"}}}"#
        ), name: "key-policy")
    }
    #expect(try !document(own).isPublic)
    #expect(try externalAccess(document(own)).findings.isEmpty)
    let outside = try externalAccess(document(other))
    #expect(outside.findings.map(\.code) == ["external-access.cross-account"])
    // The caller is the role the condition names (its wildcard filled in), proven from an address of the range.
    let evidence = try #require(outside.findings.first?.evidence.first)
    #expect(evidence.caller == "arn:aws:iam::\(other):role/app-iamsim")
    #expect(evidence.conditionKeys == ["aws:PrincipalArn", "aws:SourceIp"])
  }

  @Test func aDenyKeepsTheEngineFromAllowingTheOutsider() throws {
    let document = try resourcePolicy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(other)"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}"#
    )
    #expect(try externalAccess(document).findings.isEmpty)
  }

  /// A web identity provider is outside any account: reported (Access Analyzer "errs on the side of declaring a false
  /// positive finding"), but iamsim has no caller for it, so the finding says it is not proven by a request. A SAML
  /// provider of the own account is inside.
  @Test func federatedProvidersOutsideTheAccountAreReportedUnproven() throws {
    let document = try resourcePolicy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity"},{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::\#(own):saml-provider/corp"},"Action":"sts:AssumeRoleWithSAML"}]}"#,
      name: "trust-policy")
    let report = try externalAccess(document)
    #expect(report.findings.map(\.code) == ["external-access.cross-account"])
    let finding = try #require(report.findings.first)
    #expect(finding.message.contains("federated accounts.google.com"))
    #expect(finding.evidence.isEmpty)
    #expect(finding.details.contains { $0.contains("not proven by a request") })
    #expect(finding.severity == .securityWarning)
  }

  @Test func outsideRoleARNIsTheCaller() throws {
    let role = "arn:aws:iam::\(other):role/deployer"
    let report = try externalAccess(
      try resourcePolicy(
        statement(
          #"{"Effect":"Allow","Principal":{"AWS":"\#(role)"},"Action":"sts:AssumeRole"}"#), name: "trust-policy"))
    let finding = try #require(report.findings.first)
    #expect(finding.code == "external-access.cross-account")
    #expect(finding.message.contains(role))
    #expect(finding.evidence.first?.caller == role)
    #expect(finding.evidence.first?.action == "sts:AssumeRole")
  }
}
