import IAMPolicy
import Testing

@testable import IAMEvaluation

/// Issue 18: VPC endpoint policies, anonymous callers and S3 Block Public Access. Each test quotes the AWS sentence it
/// pins; the case files in `cases/aws-docs/{vpc-endpoint,anonymous,block-public-access}/` were written from the same
/// pages without reading the engine.
@Suite struct PublicAccessTests {
  static let session = try! Principal.parse("arn:aws:sts::111122223333:assumed-role/AppRole/s1").get()
  static let root = try! Principal.parse("arn:aws:iam::111122223333:root").get()
  static let object = "arn:aws:s3:::site/index.html"
  static let throughEndpoint = ["aws:SourceVpce": "vpce-1a2b3c4d"]

  func endpointSet(_ principal: String, effect: String = "Allow", type: VPCEndpointType?) throws -> PolicySet {
    var set = PolicySet(identityPolicies: [try statements(allowAll)])
    set.vpcEndpointPolicy = try statements(
      #"{"Effect":""# + effect + #"","Principal":{"AWS":""# + principal + #""},"Action":"s3:*","Resource":"*"}"#,
      kind: .resource)
    set.vpcEndpointType = type
    return set
  }

  // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-endpoints-access.html: "For gateway endpoints, if you
  // specify the principal in the format "AWS":"AWS-account-ID" or "AWS":"arn:aws:iam::AWS-account-ID:root", access is
  // granted to the AWS account root user only, and not all IAM users and roles for the account."
  @Test func aGatewayEndpointsAccountPrincipalNamesTheRootUserOnly() throws {
    let set = try endpointSet("111122223333", type: .gateway)
    #expect(decide(set, "s3:GetObject", Self.object, principal: Self.session, resourceAccount: "111122223333",
                   context: Self.throughEndpoint) == .implicitDeny)
    #expect(decide(set, "s3:GetObject", Self.object, principal: Self.root, resourceAccount: "111122223333",
                   context: Self.throughEndpoint) == .allowed)
  }

  // AWS documents no such rule for interface endpoints: an Allow that names the caller only through its account fails
  // closed (does not apply, and says why), a Deny applies.
  @Test func anInterfaceEndpointsAccountPrincipalFailsClosed() throws {
    let allow = try endpointSet("111122223333", type: .interface)
    var context = RequestContext()
    context.set("aws:SourceVpce", "vpce-1a2b3c4d")
    let request = AuthorizationRequest(
      principal: Self.session, action: "s3:GetObject", resource: Self.object, resourceAccount: "111122223333",
      context: context)
    let response = try Authorizer(allow).authorize(request)
    #expect(response.decision == .implicitDeny)
    #expect(response.rule == .vpcEndpointWithoutAllow)
    #expect(response.diagnostics.contains { $0.message.contains("only for gateway endpoints") })
    let deny = try endpointSet("111122223333", effect: "Deny", type: nil)
    #expect(decide(deny, "s3:GetObject", Self.object, principal: Self.session, resourceAccount: "111122223333",
                   context: Self.throughEndpoint) == .explicitDeny)
  }

  // https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html: "An endpoint policy does not override
  // or replace identity-based policies or resource-based policies." It must allow, and applies only through the
  // endpoint ("This key is included in the request context only if the requester uses a VPC endpoint").
  @Test func anEndpointPolicyMustAllowOnlyThroughTheEndpointAndNeverGrants() throws {
    var set = PolicySet(identityPolicies: [try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#)])
    set.vpcEndpointPolicy = try statements(
      #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}"#, kind: .resource)
    #expect(decide(set, "s3:GetObject", Self.object, context: Self.throughEndpoint) == .implicitDeny)
    #expect(decide(set, "s3:GetObject", Self.object) == .allowed)
    set.vpcEndpointPolicy = try statements(#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#, kind: .resource)
    #expect(decide(set, "s3:PutObject", Self.object, context: Self.throughEndpoint) == .implicitDeny)
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html: "For resource-based
  // policies, using a wildcard (*) with an Allow effect grants access to all users, including anonymous users (public
  // access)."; an account principal delegates to the account, which an anonymous caller is not part of.
  @Test func onlyAStatementNamingEveryoneAllowsAnAnonymousCaller() throws {
    for (principal, expected) in [(#""*""#, Decision.allowed), (#"{"AWS":"*"}"#, .allowed),
                                  (#"{"AWS":"111122223333"}"#, .implicitDeny)] {
      let set = PolicySet(resourcePolicy: try statements(
        #"{"Effect":"Allow","Principal":"# + principal + #","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}"#,
        kind: .resource))
      #expect(decide(set, "s3:GetObject", Self.object, principal: .anonymous, resourceAccount: "111122223333") == expected)
    }
    #expect(decide(PolicySet(identityPolicies: [try statements(allowAll)]), "s3:GetObject", Self.object,
                   principal: .anonymous, resourceAccount: "111122223333") == .implicitDeny)
  }

  // Of aws:PrincipalArn and aws:userid: "Anonymous requests do not include this key."
  @Test func anAnonymousRequestCarriesNoPrincipalKeys() {
    let context = Principal.anonymous.derivedContext
    for key in ["aws:PrincipalArn", "aws:userid", "aws:PrincipalAccount", "aws:PrincipalType"] {
      #expect(context[key] == nil, "\(key)")
    }
  }

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html: "To be considered
  // non-public, a bucket policy must grant access only to fixed values (values that don't contain a wildcard or an AWS
  // Identity and Access Management Policy Variable)" ... "This includes values broader than /8 for IPv4 and /32 for
  // IPv6".
  @Test(arguments: [
    (#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#, true),
    (#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}"#, false),
    (#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}"#, false),
    (#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:SourceVpc":"vpc-*"}}}"#, true),
    (#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#, false),
    (#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"128.0.0.0/1"}}}"#, true),
    (#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"${aws:PrincipalTag/org}"}}}"#, true),
    (#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}"#, true),
    (#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#, false),
  ])
  func theMeaningOfPublic(statement: String, isPublic: Bool) throws {
    #expect(try statements(statement, kind: .resource).isPublic == isPublic)
  }

  // Same page: RestrictPublicBuckets "restricts access to an access point or bucket with a public policy to only AWS
  // service principals and authorized users within the bucket owner's account", "including non-public delegation to
  // specific accounts"; "the policy remains in effect as written, because RestrictPublicBuckets only applies to
  // buckets that have public policies."
  @Test func restrictPublicBucketsSetsAsideAPublicPolicysGrantsOutsideTheOwner() throws {
    let partner = #"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}"#
    let everyone = #"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}"#
    let caller = try Principal.parse("arn:aws:sts::444455556666:assumed-role/Reader/s").get()
    func set(_ body: String, restrict: Bool) throws -> PolicySet {
      var set = PolicySet(identityPolicies: [try statements(allowAll)], resourcePolicy: try statements(body, kind: .resource))
      set.blockPublicAccess.restrictPublicBuckets = restrict
      return set
    }
    #expect(decide(try set(partner + "," + everyone, restrict: false), "s3:GetObject", Self.object, principal: caller,
                   resourceAccount: "111122223333") == .allowed)
    #expect(decide(try set(partner + "," + everyone, restrict: true), "s3:GetObject", Self.object, principal: caller,
                   resourceAccount: "111122223333") == .implicitDeny)
    #expect(decide(try set(partner, restrict: true), "s3:GetObject", Self.object, principal: caller,
                   resourceAccount: "111122223333") == .allowed)
    #expect(decide(try set(everyone, restrict: true), "s3:GetObject", Self.object, principal: .anonymous,
                   resourceAccount: "111122223333") == .implicitDeny)
    // The response says which grant was set aside and why.
    let response = try Authorizer(try set(everyone, restrict: true)).authorize(AuthorizationRequest(
      principal: .anonymous, action: "s3:GetObject", resource: Self.object, resourceAccount: "111122223333"))
    #expect(response.diagnostics.contains { $0.code == "evaluation.block-public-access" && $0.message.contains("RestrictPublicBuckets") })
    // The owner's own callers keep what their identity-based policies allow.
    #expect(decide(try set(everyone, restrict: true), "s3:GetObject", Self.object, principal: Self.session,
                   resourceAccount: "111122223333") == .allowed)
  }
}
