import IAMPolicy
import Testing

@testable import IAMEvaluation

/// Builds a policy from JSON text, failing the test on invalid input.
func policy(_ json: String, kind: PolicyKind = .identity, name: String = "test") throws -> PolicyDocument {
  try PolicyDocument(parsing: Array(json.utf8), name: name, kind: kind)
}

/// A one-statement 2012-10-17 policy.
func statements(_ body: String, kind: PolicyKind = .identity) throws -> PolicyDocument {
  try policy(#"{"Version":"2012-10-17","Statement":["# + body + "]}", kind: kind)
}

let allowAll = #"{"Effect":"Allow","Action":"*","Resource":"*"}"#
let iamUser = try! Principal.parse("arn:aws:iam::111122223333:user/bob").get()

func decide(
  _ set: PolicySet, _ action: String, _ resource: String = "*", principal: Principal = .defaultSession,
  resourceAccount: String? = nil, context: [String: String] = [:], multi: [String: [String]] = [:]
) -> Decision {
  var requestContext = RequestContext()
  for (key, value) in context { requestContext.set(key, value) }
  for (key, values) in multi { requestContext.set(key, values: values) }
  let request = AuthorizationRequest(
    principal: principal, action: action, resource: resource, resourceAccount: resourceAccount, context: requestContext)
  let response = try! Authorizer(set).authorize(request)
  #expect(try! Authorizer(set).decision(for: PreparedRequest(request)) == response.decision, "fast path agrees")
  return response.decision
}

@Suite struct EvaluationFlowTests {
  @Test func denyBeatsAllowInTheSamePolicy() throws {
    // E-3 example.
    let set = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}"#)])
    #expect(decide(set, "s3:DeleteBucket", "arn:aws:s3:::b") == .explicitDeny)
    #expect(decide(set, "s3:PutObject", "arn:aws:s3:::b/k") == .allowed)
  }

  @Test func nothingAllowedIsAnImplicitDeny() throws {
    #expect(decide(PolicySet(), "s3:GetObject", "arn:aws:s3:::b/k") == .implicitDeny)
  }

  @Test func everySCPLevelMustAllow() throws {
    // T-54 / E-4.
    let full = try statements(allowAll, kind: .serviceControl)
    let s3Only = try statements(#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#, kind: .serviceControl)
    let set = PolicySet(identityPolicies: [try statements(allowAll)], serviceControlPolicies: [[full], [s3Only], [full]])
    #expect(decide(set, "ec2:DescribeVpcs") == .implicitDeny)
    #expect(decide(set, "s3:ListAllMyBuckets") == .allowed)
    // T-55: service-linked roles are not affected by SCPs.
    let linked = try Principal.parse(
      "arn:aws:iam::111122223333:role/aws-service-role/access-analyzer.amazonaws.com/AWSServiceRoleForAccessAnalyzer").get()
    #expect(decide(set, "ec2:DescribeVpcs", principal: linked) == .allowed)
    var management = set
    management.principalAccountIsManagement = true
    #expect(decide(management, "ec2:DescribeVpcs") == .allowed)
  }

  @Test func boundaryIntersectsIdentity() throws {
    // E-6.
    let set = PolicySet(
      identityPolicies: [try statements(#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#)],
      permissionsBoundary: try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#, kind: .permissionsBoundary))
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::b/k") == .allowed)
    #expect(decide(set, "s3:PutObject", "arn:aws:s3:::b/k") == .implicitDeny)
  }

  @Test(arguments: [
    (#"{"AWS":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/alice@example.com"}"#, "", Decision.allowed),
    (#"{"AWS":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef"}"#, "", .implicitDeny),
    (#""*""#, #","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef"}}"#, .allowed),
    (#"{"AWS":"111122223333"}"#, "", .implicitDeny),
  ])
  func resourcePolicyPrincipalTypesInTheSameAccount(principal: String, condition: String, expected: Decision) throws {
    // T-57 / E-5: identity grants nothing, the boundary allows only ec2.
    let bucketPolicy = try statements(
      #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-bucket/*","Principal":"# + principal
        + (condition.isEmpty ? "}" : String(condition.dropFirst(0)) + "}"), kind: .resource)
    let set = PolicySet(
      permissionsBoundary: try statements(#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#, kind: .permissionsBoundary),
      resourcePolicy: bucketPolicy)
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::team-bucket/x", resourceAccount: "111122223333") == expected)
  }

  @Test func crossAccountNeedsBothSides() throws {
    // T-58 / E-8.
    let identity = try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::partner/*"}"#)
    let bucket = try statements(
      #"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::partner/*"}"#,
      kind: .resource)
    let both = PolicySet(identityPolicies: [identity], resourcePolicy: bucket)
    #expect(decide(both, "s3:GetObject", "arn:aws:s3:::partner/k", resourceAccount: "444455556666") == .allowed)
    #expect(decide(PolicySet(identityPolicies: [identity]), "s3:GetObject", "arn:aws:s3:::partner/k", resourceAccount: "444455556666") == .implicitDeny)
    #expect(decide(PolicySet(resourcePolicy: bucket), "s3:GetObject", "arn:aws:s3:::partner/k", resourceAccount: "444455556666") == .implicitDeny)
  }

  @Test func keyPolicyMustAllowEvenWhenIdentityAllows() throws {
    // T-59.
    let identity = try statements(#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#)
    let withoutRoot = try statements(
      #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/admin"},"Action":"kms:*","Resource":"*"}"#, kind: .resource)
    let withRoot = try statements(
      #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#, kind: .resource)
    let key = "arn:aws:kms:eu-west-1:111122223333:key/k1"
    #expect(decide(PolicySet(identityPolicies: [identity], resourcePolicy: withoutRoot), "kms:Decrypt", key) == .implicitDeny)
    #expect(decide(PolicySet(identityPolicies: [identity], resourcePolicy: withRoot), "kms:Decrypt", key) == .allowed)
  }

  @Test func denyWithNotPrincipalAlwaysHitsCallersWithABoundary() throws {
    // T-61 / G-7.
    let bucket = try statements(
      #"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef","arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/alice@example.com"]},"Action":"s3:*","Resource":"*"}"#,
      kind: .resource)
    let identity = try statements(allowAll)
    #expect(decide(PolicySet(identityPolicies: [identity], resourcePolicy: bucket), "s3:GetObject", "arn:aws:s3:::b/k") == .allowed)
    let boundary = try statements(allowAll, kind: .permissionsBoundary)
    #expect(decide(PolicySet(identityPolicies: [identity], permissionsBoundary: boundary, resourcePolicy: bucket), "s3:GetObject", "arn:aws:s3:::b/k") == .explicitDeny)
  }
}

@Suite struct ConditionTests {
  @Test func negatedOperatorOnAMissingKeyIsTrue() throws {
    // T-06 / C-2.
    let set = PolicySet(identityPolicies: [try statements(allowAll + #",{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}}"#)])
    #expect(decide(set, "s3:ListAllMyBuckets") == .explicitDeny)
    var tagged = Principal.defaultSession
    tagged.setTag("team", "blue")
    #expect(decide(set, "s3:ListAllMyBuckets", principal: tagged) == .allowed)
  }

  @Test func setQualifiersOnMissingAndPresentKeys() throws {
    // T-10, T-11 / C-12.
    let forAll = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}}}"#)])
    #expect(decide(forAll, "ec2:CreateTags") == .allowed)
    #expect(decide(forAll, "ec2:CreateTags", multi: ["aws:TagKeys": ["env"]]) == .allowed)
    #expect(decide(forAll, "ec2:CreateTags", multi: ["aws:TagKeys": ["env", "cost"]]) == .implicitDeny)
    let forAny = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"x"}}}"#)])
    #expect(decide(forAny, "ec2:CreateTags") == .implicitDeny)
    // T-13: an unqualified operator on a multivalued key never matches.
    let unqualified = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"env"}}}"#)])
    #expect(decide(unqualified, "ec2:CreateTags", multi: ["aws:TagKeys": ["env"]]) == .implicitDeny)
  }

  @Test func ifExistsAndNull() throws {
    // C-3, C-4, T-07, T-09.
    let ifExists = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringLikeIfExists":{"ec2:InstanceType":["t3.*","m5.*"]}}}"#)])
    #expect(decide(ifExists, "ec2:RunInstances", "arn:aws:ec2:eu-west-1::image/ami-1") == .allowed)
    #expect(decide(ifExists, "ec2:RunInstances", context: ["ec2:InstanceType": "t3.micro"]) == .allowed)
    #expect(decide(ifExists, "ec2:RunInstances", context: ["ec2:InstanceType": "p4d.24xlarge"]) == .implicitDeny)
    let null = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"true"}}}"#)])
    #expect(decide(null, "ec2:DescribeVpcs") == .implicitDeny)
    #expect(decide(null, "ec2:DescribeVpcs", principal: iamUser) == .allowed)
  }

  @Test func typedOperatorsReadValuesStrictly() throws {
    // T-51, T-52, T-49, C-11.
    let date = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"1767225600"}}}"#)])
    #expect(decide(date, "s3:ListAllMyBuckets", context: ["aws:CurrentTime": "2026-01-01T00:00:01Z"]) == .allowed)
    #expect(decide(date, "s3:ListAllMyBuckets", context: ["aws:CurrentTime": "2025-12-31T23:59:59Z"]) == .implicitDeny)
    #expect(decide(date, "s3:ListAllMyBuckets", context: ["aws:CurrentTime": "2026-01-01T01:00:01+01:00"]) == .allowed)
    let number = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"10"}}}"#)])
    #expect(decide(number, "s3:ListBucket", context: ["s3:max-keys": "10"]) == .allowed)
    #expect(decide(number, "s3:ListBucket", context: ["s3:max-keys": "10.0"]) == .allowed)
    #expect(decide(number, "s3:ListBucket", context: ["s3:max-keys": "10abc"]) == .implicitDeny)
    let ip = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}}"#)])
    #expect(decide(ip, "s3:GetObject", context: ["aws:SourceIp": "203.0.113.9"]) == .allowed)
    #expect(decide(ip, "s3:GetObject", context: ["aws:SourceIp": "2001:db8:1234:5678:ffff::1"]) == .allowed)
    #expect(decide(ip, "s3:GetObject", context: ["aws:SourceIp": "2001:db8::1"]) == .implicitDeny)
    let arn = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    let like = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}}"#)])
    let arnLike = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}}"#)])
    #expect(decide(like, "s3:GetObject", context: ["aws:SourceArn": arn]) == .allowed)
    #expect(decide(arnLike, "s3:GetObject", context: ["aws:SourceArn": arn]) == .implicitDeny)
  }

  @Test func anUnreadableValueFailsClosedForDenyStatements() throws {
    // Issue 6: a value the operator cannot read never yields allowed.
    let set = PolicySet(identityPolicies: [try statements(allowAll + #",{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericGreaterThan":{"s3:max-keys":"100"}}}"#)])
    let response = try Authorizer(set).authorize(AuthorizationRequest(action: "s3:ListBucket", context: {
      var context = RequestContext()
      context.set("s3:max-keys", "lots")
      return context
    }()))
    #expect(response.decision == .explicitDeny)
    #expect(response.diagnostics.contains { $0.code.rawValue == "evaluation.unreadable-value" })
  }
}

@Suite struct VariableTests {
  @Test func variablesResolveOnlyUnder2012() throws {
    // T-34 / G-2.
    let old = PolicySet(identityPolicies: [try policy(#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:userid}/*"}]}"#)])
    #expect(decide(old, "s3:GetObject", "arn:aws:s3:::home/AROAEXAMPLEROLEID:alice@example.com/a.txt") == .implicitDeny)
    #expect(decide(old, "s3:GetObject", "arn:aws:s3:::home/${aws:userid}/a.txt") == .allowed)
  }

  @Test func unresolvedVariablesMatchNothingButNegatedOperatorsHold() throws {
    // T-35, T-36, T-37 / V-4.
    let allow = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#)])
    #expect(decide(allow, "s3:GetObject", "arn:aws:s3:::home/alice@example.com/x") == .implicitDeny)
    let deny = PolicySet(identityPolicies: [try statements(allowAll + #",{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}}"#)])
    #expect(decide(deny, "s3:GetObject", "arn:aws:s3:::b/k", context: ["s3:ExistingObjectTag/Team": "x"]) == .explicitDeny)
    var team = Principal.defaultSession
    team.setTag("Team", "x")
    #expect(decide(deny, "s3:GetObject", "arn:aws:s3:::b/k", principal: team, context: ["s3:ExistingObjectTag/Team": "x"]) == .allowed)
  }

  @Test func defaultsAndEscapes() throws {
    // T-38, T-39 / V-5, V-6.
    let withDefault = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*"}"#)])
    #expect(decide(withDefault, "s3:GetObject", "arn:aws:s3:::b/shared/x") == .allowed)
    var red = Principal.defaultSession
    red.setTag("team", "red")
    #expect(decide(withDefault, "s3:GetObject", "arn:aws:s3:::b/red/x", principal: red) == .allowed)
    #expect(decide(withDefault, "s3:GetObject", "arn:aws:s3:::b/shared/x", principal: red) == .implicitDeny)
    let star = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}"}"#)])
    #expect(decide(star, "s3:GetObject", "arn:aws:s3:::b/*") == .allowed)
    #expect(decide(star, "s3:GetObject", "arn:aws:s3:::b/x") == .implicitDeny)
  }
}

@Suite struct MatchingTests {
  @Test func resourcesAreCaseSensitiveAndSegmentWise() throws {
    // M-4, T-21, T-26, T-30, T-28.
    let set = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::data*"},{"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::111122223333:role/*AWSReservedSSO_*"}"#)])
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::data-archive") == .allowed)
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::Data") == .implicitDeny)
    #expect(decide(set, "iam:GetRole", "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef") == .allowed)
    #expect(decide(set, "s3:ListAllMyBuckets", "*") == .implicitDeny)
    let short = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:us-east-1:*"}"#)])
    #expect(decide(short, "ec2:StopInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1") == .allowed)
    #expect(decide(short, "ec2:StopInstances", "arn:aws:ec2:eu-west-1:111122223333:instance/i-1") == .implicitDeny)
  }

  @Test func notActionAndNotResource() throws {
    // T-01, T-04.
    let notAction = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#)])
    #expect(decide(notAction, "organizations:ListAccounts") == .allowed)
    #expect(decide(notAction, "iam:CreateUser", "arn:aws:iam::111122223333:user/x") == .implicitDeny)
    let notResource = PolicySet(identityPolicies: [try statements(allowAll + #",{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::safe","arn:aws:s3:::safe/*"]}"#)])
    #expect(decide(notResource, "s3:GetObject", "arn:aws:s3:::safe/k") == .allowed)
    #expect(decide(notResource, "s3:GetObject", "arn:aws:s3:::other/k") == .explicitDeny)
    #expect(decide(notResource, "s3:ListAllMyBuckets", "*") == .explicitDeny)
    #expect(decide(notResource, "ec2:DescribeVpcs") == .allowed)
  }
}
