import IAMPolicy
import Testing

@testable import IAMEvaluation

/// The second correctness pass (issue 11): each test quotes the AWS sentence it pins.
@Suite struct CorrectnessPassTests {
  static let session = try! Principal.parse("arn:aws:sts::111122223333:assumed-role/AppRole/s1").get()
  static let bucketObject = "arn:aws:s3:::partner-data/report.csv"

  /// A bucket of account 444455556666 whose policy allows the caller's account and denies everyone but `listed`.
  func notPrincipalSet(_ listed: [String], boundary: Bool = false) throws -> PolicySet {
    let values = listed.map { "\"\($0)\"" }.joined(separator: ",")
    let bucket = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-data/*"},{"Effect":"Deny","NotPrincipal":{"AWS":["#
        + values + #"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-data/*"}]}"#, kind: .resource)
    return PolicySet(
      identityPolicies: [try statements(allowAll)],
      permissionsBoundary: boundary ? try statements(allowAll, kind: .permissionsBoundary) : nil, resourcePolicy: bucket)
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html: "If evaluating an
  // assumed-role user, AWS validates the account, then the role, then the assumed-role user."
  @Test(arguments: [
    (["arn:aws:iam::111122223333:root"], Decision.explicitDeny),
    (["arn:aws:iam::111122223333:role/AppRole"], .explicitDeny),
    (["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/AppRole"], .explicitDeny),
    (["arn:aws:sts::111122223333:assumed-role/AppRole/s1"], .explicitDeny),
    (["111122223333", "arn:aws:iam::111122223333:role/AppRole", "arn:aws:sts::111122223333:assumed-role/AppRole/s1"], .allowed),
  ])
  func notPrincipalExemptsASessionOnlyWhenAccountRoleAndSessionAreListed(listed: [String], expected: Decision) throws {
    let set = try notPrincipalSet(listed)
    #expect(decide(set, "s3:GetObject", Self.bucketObject, principal: Self.session, resourceAccount: "444455556666") == expected)
  }

  // Same page: "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a
  // permissions boundary policy attached, regardless of the values specified in the NotPrincipal element."
  @Test func notPrincipalAlwaysDeniesACallerWithABoundaryAndSaysSo() throws {
    let set = try notPrincipalSet(
      ["111122223333", "arn:aws:iam::111122223333:role/AppRole", "arn:aws:sts::111122223333:assumed-role/AppRole/s1"],
      boundary: true)
    let response = try Authorizer(set).authorize(
      AuthorizationRequest(principal: Self.session, action: "s3:GetObject", resource: Self.bucketObject, resourceAccount: "444455556666"),
      explain: true)
    #expect(response.decision == .explicitDeny)
    #expect(response.diagnostics.contains { $0.code == "evaluation.notprincipal-boundary" })
  }

  @Test func anExemptCallerIsExplainedAsExemptNotAsUnnamed() throws {
    let set = try notPrincipalSet(
      ["111122223333", "arn:aws:iam::111122223333:role/AppRole", "arn:aws:sts::111122223333:assumed-role/AppRole/s1"])
    let response = try Authorizer(set).authorize(
      AuthorizationRequest(principal: Self.session, action: "s3:GetObject", resource: Self.bucketObject, resourceAccount: "444455556666"),
      explain: true)
    let deny = try #require(response.explanation?.statements.first { $0.statement.effect == .deny })
    #expect(deny.mismatch?.kind == "notPrincipal")
  }

  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html: "Without permission from the key policy,
  // IAM policies that allow permissions have no effect."
  @Test func aKeyWithoutItsKeyPolicyIsDeniedAndTheResponseSaysWhatToGive() throws {
    let set = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#)])
    let response = try Authorizer(set).authorize(
      AuthorizationRequest(action: "kms:Decrypt", resource: "arn:aws:kms:eu-west-1:111122223333:key/k1"))
    #expect(response.decision == .implicitDeny)
    #expect(response.rule == .resourcePolicyMissing)
    #expect(response.reason.contains("key policy") && response.reason.contains("--resource-policy"))
    #expect(decide(set, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Target") == .implicitDeny)
  }

  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html: "No permissions are required to
  // perform this operation. If an administrator attaches a policy to your identity that explicitly denies access to
  // the sts:GetCallerIdentity action, you can still perform this operation."
  @Test func getCallerIdentityNeedsNoPermissionEvenUnderADeny() throws {
    let set = PolicySet(identityPolicies: [try statements(#"{"Effect":"Deny","Action":"*","Resource":"*"}"#)])
    let response = try Authorizer(set).authorize(AuthorizationRequest(action: "sts:GetCallerIdentity"))
    #expect(response.decision == .allowed)
    #expect(response.rule == .noPermissionRequired)
    #expect(response.diagnostics.contains { $0.code == "evaluation.no-permission-required" })
    #expect(decide(PolicySet(), "sts:GetCallerIdentity") == .allowed)
  }

  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html: "If you do not pass a policy to
  // this operation, the resulting federated user session has no permissions."
  @Test func aFederatedUserWithoutSessionPolicyHasNoPermissions() throws {
    let federated = try Principal.parse("arn:aws:sts::111122223333:federated-user/Bob").get()
    var set = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#)])
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::b/k", principal: federated) == .implicitDeny)
    set.sessionPolicy = try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#, kind: .session)
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::b/k", principal: federated) == .allowed)
    #expect(decide(set, "s3:PutObject", "arn:aws:s3:::b/k", principal: federated) == .implicitDeny)
  }

  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html: RCPFullAWSAccess "is
  // automatically attached to the organization root, every OU, and every account" and cannot be detached; RCPs
  // apply only to the services the page lists.
  @Test func rcpLevelsOnlyDenyAndOnlyForTheListedServices() throws {
    let denyAll = try statements(#"{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}"#, kind: .resourceControl)
    let denyOther = try statements(
      #"{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"*"}"#, kind: .resourceControl)
    let admin = PolicySet(identityPolicies: [try statements(allowAll)])
    var onlyDeny = admin
    onlyDeny.resourceControlPolicies = [[], [denyOther]]
    #expect(decide(onlyDeny, "s3:GetObject", "arn:aws:s3:::b/k") == .allowed)
    var everything = admin
    everything.resourceControlPolicies = [[denyAll]]
    #expect(decide(everything, "s3:GetObject", "arn:aws:s3:::b/k") == .explicitDeny)
    #expect(decide(everything, "ec2:DescribeInstances") == .allowed)
    #expect(decide(everything, "iam:ListRoles") == .allowed)
    let response = try Authorizer(everything).authorize(AuthorizationRequest(action: "ec2:DescribeInstances"))
    #expect(response.diagnostics.contains { $0.code == "evaluation.rcps-do-not-apply" })
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html, aws:PrincipalIsAWSService:
  // "The context key is set to false if the service uses the credentials of an IAM principal"; aws:ResourceAccount:
  // "This key is always included in the request context for most service actions."
  @Test func keysAWSAlwaysSendsAreDerived() throws {
    let set = PolicySet(identityPolicies: [
      try statements(
        #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:PrincipalIsAWSService":"false"},"StringEquals":{"aws:ResourceAccount":"444455556666"}}}"#)
    ])
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::b/k", resourceAccount: "444455556666") == .implicitDeny)  // cross-account, no bucket policy
    #expect(decide(set, "kms:Decrypt", "arn:aws:kms:eu-west-1:444455556666:key/k") == .implicitDeny)
    let own = PolicySet(identityPolicies: [
      try statements(
        #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:PrincipalIsAWSService":"false"},"StringEquals":{"aws:ResourceAccount":"111122223333"}}}"#)
    ])
    #expect(decide(own, "s3:GetObject", "arn:aws:s3:::b/k", resourceAccount: "111122223333") == .allowed)
    #expect(decide(own, "s3:GetObject", "arn:aws:s3:::b/k", context: ["aws:ResourceAccount": "999988887777"]) == .implicitDeny)
  }

  // Same page: aws:CurrentTime "This key is always included in the request context." Without its value the
  // condition cannot be decided: it fails closed, whichever way its operator leans.
  @Test func aKeyAWSAlwaysSendsButTheRequestLacksFailsClosed() throws {
    let set = PolicySet(identityPolicies: [
      try statements(allowAll),
      try statements(#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}"#),
    ])
    let response = try Authorizer(set).authorize(AuthorizationRequest(action: "s3:GetObject", resource: "arn:aws:s3:::b/k"))
    #expect(response.decision == .explicitDeny)
    #expect(response.diagnostics.contains { $0.message.contains("aws:CurrentTime") && $0.message.contains("--context") })
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::b/k", context: ["aws:CurrentTime": "2031-01-01T00:00:00Z"]) == .allowed)
  }

  // StringEquals is "Exact matching, case sensitive": no Unicode normalisation, as the Like operators.
  @Test func stringOperatorsCompareBytes() throws {
    let precomposed = "caf\u{E9}"
    let decomposed = "cafe\u{301}"
    #expect(precomposed == decomposed, "Swift's String == says they are equal; AWS compares the characters given")
    let set = PolicySet(identityPolicies: [
      try statements(allowAll),
      try statements(#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"caf\#u{E9}"}}}"#),
    ])
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::b/k", context: ["aws:PrincipalTag/team": decomposed]) == .explicitDeny)
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::b/k", context: ["aws:PrincipalTag/team": precomposed]) == .allowed)
    let likeSet = PolicySet(identityPolicies: [
      try statements(allowAll),
      try statements(#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotLike":{"aws:PrincipalTag/team":"caf\#u{E9}"}}}"#),
    ])
    #expect(decide(likeSet, "s3:GetObject", "arn:aws:s3:::b/k", context: ["aws:PrincipalTag/team": decomposed]) == .explicitDeny)
    #expect(StringComparison.lowercased("CAF\u{C9}") == "caf\u{E9}")
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html:
  // conditions are ANDed, so the order of condition blocks cannot matter. A failing condition decides even when
  // another condition's value cannot be read.
  @Test func conditionOrderNeverMatters() throws {
    let unreadable = #""NumericLessThan":{"s3:max-keys":"10"}"#
    let failing = #""StringEquals":{"aws:PrincipalTag/team":"blue"}"#
    for blocks in [[unreadable, failing], [failing, unreadable]] {
      let set = PolicySet(identityPolicies: [
        try statements(allowAll),
        try statements(#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"# + blocks.joined(separator: ",") + "}}"),
      ])
      let context = ["s3:max-keys": "not-a-number", "aws:PrincipalTag/team": "red"]
      #expect(decide(set, "s3:ListBucket", "arn:aws:s3:::b", context: context) == .allowed)
    }
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html: AWS managed policies
  // are owned by AWS and usable in every account; the ARN's `aws` is not another account.
  @Test func awsManagedPolicyARNsAreNotAnotherAccount() throws {
    let set = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"iam:GetPolicy","Resource":"*"}"#)])
    #expect(decide(set, "iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess") == .allowed)
  }

  @Test func aPolicyInTheSlotOfAnotherKindIsRefused() throws {
    let identity = try statements(allowAll)
    #expect(throws: PolicySetError.self) { try Authorizer(PolicySet(resourcePolicy: identity)) }
    let scp = try statements(allowAll, kind: .serviceControl)
    #expect(throws: PolicySetError.self) { try Authorizer(PolicySet(identityPolicies: [scp])) }
    let bucket = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
      kind: .resource)
    #expect(throws: PolicySetError.self) { try Authorizer(PolicySet(identityPolicies: [bucket])) }
    // A document assembled by hand with the resource kind but no Principal is refused too.
    let forged = PolicyDocument(name: "forged", kind: .resource, version: .v2012, statements: identity.statements)
    #expect(throws: PolicySetError.self) { try Authorizer(PolicySet(resourcePolicy: forged)) }
  }

  @Test func missingKeysLeaveOutAbsenceTestsAndKeepThePolicysSpelling() throws {
    let set = PolicySet(identityPolicies: [
      try statements(
        #"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/Project}/*","Condition":{"StringEquals":{"AWS:RequestTag/Owner":"x"},"Null":{"aws:SourceVpc":"true"},"StringEqualsIfExists":{"aws:SourceVpce":"v"}}}"#)
    ])
    let response = try Authorizer(set).authorize(AuthorizationRequest(action: "s3:GetObject", resource: "arn:aws:s3:::b/p/k"))
    #expect(response.missingContextKeys == ["aws:PrincipalTag/Project"])
    let other = try Authorizer(set).authorize(
      AuthorizationRequest(action: "s3:GetObject", resource: "arn:aws:s3:::b/p/k", context: {
        var context = RequestContext()
        context.set("aws:PrincipalTag/Project", "p")
        return context
      }()))
    #expect(other.missingContextKeys == ["AWS:RequestTag/Owner"])
  }
}
