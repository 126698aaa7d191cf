import IAMPolicy
import Testing

@testable import IAMEvaluation

/// Issue 18: "allowed if …", the context a request lacks under which its decision would change. Each answer must be
/// one the engine gives when the request carries the values it names.
@Suite struct DecisionConditionTests {
  static let role = try! Principal.parse("arn:aws:sts::111122223333:assumed-role/Developer/alice").get()
  static let admin = try! Principal.parse("arn:aws:sts::111122223333:assumed-role/AdminRole/bob").get()

  /// AWS's SCP example "Deny access to AWS based on the requested AWS Region", with its administrator exemption.
  static let regionSCP = #"""
    {"Effect":"Deny","NotAction":["iam:*","organizations:*","route53:*","support:*","sts:*"],"Resource":"*",
     "Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-west-1"]},
                  "ArnNotLike":{"aws:PrincipalARN":["arn:aws:iam::*:role/AdminRole"]}}}
    """#

  func regionSet() throws -> PolicySet {
    var set = PolicySet(identityPolicies: [try statements(allowAll)])
    set.serviceControlPolicies = [[try statements(allowAll, kind: .serviceControl),
                                   try statements(Self.regionSCP, kind: .serviceControl)]]
    return set
  }

  func answer(_ set: PolicySet, _ action: String, principal: Principal = role, context: [String: String] = [:])
    throws -> Response
  {
    var requestContext = RequestContext()
    for (key, value) in context { requestContext.set(key, value) }
    return try Authorizer(set).authorizeWithCondition(
      AuthorizationRequest(principal: principal, action: action, resource: "*", context: requestContext))
  }

  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html: "This
  // policy uses the Deny effect to deny access to all requests for operations that don't target one of the two
  // approved regions (eu-central-1 and eu-west-1)." Without a Region the request cannot be decided (AWS: the key "is
  // always included in the request context"), so the Deny applies, and the answer names the two Regions.
  @Test func aRegionSCPGivesTheRegionsUnderWhichARequestIsAllowed() throws {
    let set = try regionSet()
    let response = try answer(set, "rds:CreateDBInstance")
    #expect(response.decision == .explicitDeny)
    let condition = try #require(response.changesIf)
    #expect(condition.allowed)
    #expect(condition.alternatives == [[DecisionCondition.Term(
      key: "aws:RequestedRegion", values: ["eu-central-1", "eu-west-1"], patterns: [], excluded: nil)]])
    #expect(condition.sentence == "allowed if aws:RequestedRegion ∈ {eu-central-1, eu-west-1}")
    // Every value it names is allowed, and a Region it does not name is not.
    for region in ["eu-central-1", "eu-west-1"] {
      #expect(decide(set, "rds:CreateDBInstance", context: ["aws:RequestedRegion": region]) == .allowed)
    }
    #expect(decide(set, "rds:CreateDBInstance", context: ["aws:RequestedRegion": "us-east-1"]) == .explicitDeny)
  }

  // The same page: "This example also shows how to exempt requests made by either of two specified administrator
  // roles." The caller is what the question fixes: its ARN is never varied, so the exempt role is simply allowed and
  // another role's answer does not offer "if aws:PrincipalARN …".
  @Test func theCallersOwnKeysAreNeverVaried() throws {
    let set = try regionSet()
    let exempt = try answer(set, "rds:CreateDBInstance", principal: Self.admin)
    #expect(exempt.decision == .allowed)
    #expect(exempt.changesIf == nil)
    let other = try answer(set, "rds:CreateDBInstance")
    #expect(other.changesIf?.alternatives.flatMap { $0 }.map(\.key) == ["aws:RequestedRegion"])
  }

  // Exempt actions do not depend on the Region at all ("requests made to global services in the us-east-1 Region are
  // allowed if the requested service is included in the NotAction element"): no condition.
  @Test func aDecisionThatNeedsNoContextHasNoCondition() throws {
    let response = try answer(try regionSet(), "iam:CreateRole")
    #expect(response.decision == .allowed)
    #expect(response.changesIf == nil)
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
  // (aws:MultiFactorAuthPresent): "Use this key to check whether multi-factor authentication (MFA) was used to validate
  // the temporary security credentials that made the request." Two keys an Allow tests give one alternative with a
  // term for each; a value no policy names stands for every such value where the key is compared as a whole string.
  @Test func twoKeysGiveOneAlternativeWithATermEach() throws {
    let set = PolicySet(identityPolicies: [try statements(#"""
      {"Effect":"Allow","Action":"s3:DeleteBucket","Resource":"*","Condition":{
        "Bool":{"aws:MultiFactorAuthPresent":"true"},"StringEquals":{"aws:RequestedRegion":["eu-west-1"]}}},
      {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/env":"prod"}}}
      """#)])
    let response = try answer(set, "s3:DeleteBucket", context: ["aws:RequestTag/env": "dev"])
    #expect(response.decision == .implicitDeny)
    #expect(response.changesIf?.sentence == "allowed if aws:MultiFactorAuthPresent = true and aws:RequestedRegion = eu-west-1")
    let allowed = try answer(
      set, "s3:DeleteBucket", context: ["aws:MultiFactorAuthPresent": "true", "aws:RequestedRegion": "eu-west-1"])
    #expect(allowed.decision == .allowed)
    // Allowed, but a request tag it lacks would deny it: "denied if …", where a value no policy names is the rest.
    #expect(allowed.changesIf?.sentence == "denied if aws:RequestTag/env = prod")
  }

  // A wildcard pattern of the policy is proven with a value it matches, and named as the pattern.
  @Test func aPatternIsNamedAsWrittenAndProvenWithAValueItMatches() throws {
    let set = PolicySet(identityPolicies: [try statements(#"""
      {"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringLike":{"aws:RequestedRegion":"eu-*"}}}
      """#)])
    let condition = try #require(try answer(set, "ec2:RunInstances").changesIf)
    #expect(condition.alternatives == [[DecisionCondition.Term(
      key: "aws:RequestedRegion", values: [], patterns: ["eu-*"], excluded: nil)]])
    #expect(decide(set, "ec2:RunInstances", context: ["aws:RequestedRegion": "eu-"]) == .allowed)
  }

  // A Deny that applies to every value but some ("any value but …") is only offered where each test of the key
  // compares whole strings: here a Deny of one Region leaves every other allowed.
  @Test func anyValueButTheNamedOnes() throws {
    let set = PolicySet(identityPolicies: [try statements(#"""
      {"Effect":"Allow","Action":"*","Resource":"*"},
      {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}
      """#)])
    let response = try answer(set, "ec2:RunInstances")
    #expect(response.decision == .explicitDeny, "the Region is missing: the Deny fails closed")
    #expect(response.changesIf?.sentence == "allowed if aws:RequestedRegion ≠ us-east-1")
  }

  // A numeric bound is tried one step past it.
  @Test func aNumericBoundIsTriedOneStepPast() throws {
    let set = PolicySet(identityPolicies: [try statements(#"""
      {"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"10"}}}
      """#)])
    #expect(try answer(set, "s3:ListBucket").changesIf?.sentence == "allowed if s3:max-keys = 9")
  }
}
