import Testing

@testable import IAMFederation

/// Which URLs are AWS's SAML endpoints, each pinned by the AWS sentence that makes it one.
@Suite struct SAMLEndpointTests {
  private func endpoint(_ url: String) -> SAMLEndpoint? {
    if case .aws(let endpoint) = SAMLEndpoint.classify(url) { return endpoint }
    return nil
  }

  private func reason(_ url: String) -> String? {
    if case .notAWS(let reason) = SAMLEndpoint.classify(url) { return reason }
    return nil
  }

  /// IAM user guide, "Configure SAML assertions for the authentication response": "The Recipient attribute must
  /// include a value that matches the AWS sign-in endpoint URL." … "`https://region-code.signin.aws.amazon.com/saml`"
  /// … "`https://region-code.signin.aws.amazon.com/saml/acs/IdP-ID`" … "For the AWS value, you can also use the
  /// global sign-in endpoint `https://signin.aws.amazon.com/saml`."
  @Test func iamSignInEndpoints() {
    #expect(endpoint("https://signin.aws.amazon.com/saml") == SAMLEndpoint(kind: .iam, partition: "aws", region: nil))
    #expect(
      endpoint("https://eu-west-1.signin.aws.amazon.com/saml")
        == SAMLEndpoint(kind: .iam, partition: "aws", region: "eu-west-1"))
    #expect(endpoint("https://us-east-2.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46")?.kind == .iam)
    #expect(endpoint("https://signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46")?.kind == .iam)
    #expect(endpoint("HTTPS://SIGNIN.AWS.AMAZON.COM/saml")?.kind == .iam, "scheme and host compare without case")
    // China user guide: "you can also use the global sign-in endpoint https://signin.amazonaws.cn/saml".
    #expect(endpoint("https://signin.amazonaws.cn/saml")?.partition == "aws-cn")
    #expect(endpoint("https://cn-north-1.signin.amazonaws.cn/saml")?.region == "cn-north-1")
    #expect(endpoint("https://signin.amazonaws-us-gov.com/saml")?.partition == "aws-us-gov")
  }

  /// IAM Identity Center user guide, "Workforce access through an additional Region", ACS endpoints:
  /// "`https://[Region].signin.aws/platform/saml/acs/[Tenant ID]`" (example
  /// `https://us-west-2.signin.aws/platform/saml/acs/1111111111111111-aaee-ffff-dddd-11111111111`),
  /// "`https://[Region].signin.aws.amazon.com/platform/saml/acs/[Tenant ID]`" and
  /// "`https://[Region].sso.signin.aws/platform/saml/acs/[Tenant ID]`".
  @Test func identityCenterACSEndpoints() {
    for url in [
      "https://us-west-2.signin.aws/platform/saml/acs/1111111111111111-aaee-ffff-dddd-11111111111",
      "https://us-west-2.signin.aws.amazon.com/platform/saml/acs/1111111111111111-aaee-ffff-dddd-11111111111",
      "https://us-west-2.sso.signin.aws/platform/saml/acs/1111111111111111-aaee-ffff-dddd-11111111111",
      "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/00000000-0000-4000-0000-000000000000",
    ] {
      #expect(endpoint(url)?.kind == .identityCenter, "\(url)")
    }
  }

  /// Everything else is not addressed to AWS: iamsim accepts only the forms above, and says why.
  @Test(arguments: [
    ("http://signin.aws.amazon.com/saml", "not an https url"),
    ("https://signin.aws.amazon.com/saml/", "not an aws saml endpoint"),
    ("https://signin.aws.amazon.com/static/saml", "not an aws saml endpoint"),
    ("https://signin.aws.amazon.com/static/saml-metadata.xml", "not an aws saml endpoint"),
    ("https://signin.aws.amazon.com:443/saml", "port"),
    ("https://user@signin.aws.amazon.com/saml", "user"),
    ("https://signin.aws.amazon.com/saml?x=1", "query"),
    ("https://signin.aws.amazon.com.example.com/saml", "not an aws sign-in host"),
    ("https://example.com/signin.aws.amazon.com/saml", "not an aws sign-in host"),
    ("https://a.b.signin.aws.amazon.com/saml", "not an aws sign-in host"),
    ("https://xx-fake-1.signin.aws.amazon.com/saml", "not a region"),
    ("https://cn-north-1.signin.aws.amazon.com/saml", "not a region of the aws partition"),
    ("https://us-east-1.signin.aws.amazon.com/saml", "is not listed"),
    ("https://signin.aws.amazon.com/saml/acs/", "not an aws saml endpoint"),
    ("https://signin.aws.amazon.com/saml/acs/a/b", "not an aws saml endpoint"),
    ("https://signin.aws.amazon.com/platform/saml/acs/x", "not an aws saml endpoint"),
    ("https://us-west-2.signin.aws/saml", "not an aws saml endpoint"),
    ("https://signin.aws/platform/saml/acs/x", "not an aws sign-in host"),
    ("https://cn-north-1.signin.amazonaws.cn/platform/saml/acs/x", "not an aws saml endpoint"),
    ("https://us-gov-west-1.signin.amazonaws-us-gov.com/saml", "not an aws sign-in host"),
    ("https://sso.dev.saturn.sfsrv.net/extauth/response/azure", "not an aws sign-in host"),
    ("{recipient}", "not an https url"),
  ])
  func notAWS(url: String, why: String) {
    let reason = reason(url)
    #expect(reason?.contains(why) == true, "\(url): \(reason ?? "accepted")")
  }

  @Test func destinationEnumFollowsTheClassification() {
    #expect(SAMLDestination(recipient: "https://signin.aws.amazon.com/saml") == .iam)
    #expect(SAMLDestination(recipient: "https://eu-west-1.signin.aws/platform/saml/acs/x") == .identityCenter)
    #expect(SAMLDestination(recipient: "https://sp.example.com/acs") == .other)
    #expect(SAMLDestination(recipient: nil) == .missing)
  }
}
