import IAMEvaluation
import IAMPolicy
import Testing

@testable import IAMIdentityCenter

/// A provider backed by dictionaries, so that resolution is tested without files.
struct DictionaryPolicyProvider: PolicyProvider {
  var awsManaged: [String: String] = [:]
  /// Documents by account, then by `path + name`.
  var customerManaged: [String: [String: String]] = [:]

  func awsManagedPolicy(arn: String, kind: PolicyKind) throws(InputError) -> PolicyDocument {
    guard let text = awsManaged[arn] else { throw InputError(.fileUnreadable, "no \(arn)") }
    return try PolicyDocument(parsing: Array(text.utf8), name: arn, kind: kind)
  }

  func customerManagedPolicy(_ reference: CustomerManagedPolicyReference, account: String, kind: PolicyKind)
    throws(InputError) -> PolicyDocument?
  {
    guard let text = customerManaged[account]?[reference.description] else { return nil }
    return try PolicyDocument(parsing: Array(text.utf8), name: "\(account):\(reference)", kind: kind)
  }
}

func read(_ json: String) throws -> (PermissionSet, [Diagnostic]) {
  try PermissionSet.read(JSONReader().read(json), source: "test.json")
}

func errorCodes(_ json: String) -> [String] {
  do {
    _ = try read(json)
    return []
  } catch let error as InputError {
    return error.diagnostics.filter { $0.severity == .error }.map(\.code.rawValue)
  } catch {
    return ["unexpected"]
  }
}

@Suite struct PermissionSetReadingTests {
  @Test func readsEveryPart() throws {
    let (set, findings) = try read(#"""
      {"Name":"Dev","Description":"d","SessionDuration":"PT8H","RelayState":"https://console.aws.amazon.com/",
       "AwsManagedPolicies":["arn:aws:iam::aws:policy/ReadOnlyAccess"],
       "CustomerManagedPolicyReferences":[{"Name":"DevExtra","Path":"/teams/"}],
       "InlinePolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}",
       "PermissionsBoundary":{"CustomerManagedPolicyReference":{"Name":"DevBoundary"}}}
      """#)
    #expect(findings.isEmpty)
    #expect(set.name == "Dev")
    #expect(set.customerManagedPolicies == [CustomerManagedPolicyReference(name: "DevExtra", path: "/teams/")])
    #expect(set.inlinePolicy?.statements.count == 1)
    #expect(set.permissionsBoundary == .customerManaged(CustomerManagedPolicyReference(name: "DevBoundary")))
  }

  @Test(arguments: [
    (#"{"Description":"no name"}"#, "permission-set.missing-element"),
    (#"{"Name":"ThisNameIsFarTooLongForAPermissionSet"}"#, "permission-set.invalid-value"),
    (#"{"Name":"Dev","SessionDuration":"PT13H"}"#, "permission-set.invalid-value"),
    (#"{"Name":"Dev","SessionDuration":"8 hours"}"#, "permission-set.invalid-value"),
    (#"{"Name":"Dev","AwsManagedPolicies":["arn:aws:iam::111122223333:policy/Mine"]}"#, "permission-set.invalid-value"),
    (#"{"Name":"Dev","PermissionsBoundary":{"ManagedPolicyArn":"arn:aws:iam::aws:policy/X","CustomerManagedPolicyReference":{"Name":"Y"}}}"#, "permission-set.invalid-value"),
    (#"{"Name":"Dev","CustomerManagedPolicyReferences":[{"Name":"X","Path":"no-slash"}]}"#, "permission-set.invalid-value"),
    (#"{"Name":"Dev","InlinePolicy":{"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}}"#, "statement.invalid-effect"),
    (#"{"Name":"Dev","Policies":[]}"#, "policy.unknown-element"),
  ])
  func rejectsInvalidPermissionSets(json: String, code: String) {
    #expect(errorCodes(json).contains(code), "\(json)")
  }

  @Test func quotasAreFindings() throws {
    let eleven = (0..<11).map { #"{"Name":"P\#($0)"}"# }.joined(separator: ",")
    let (_, findings) = try read(#"{"Name":"Dev","CustomerManagedPolicyReferences":[\#(eleven)]}"#)
    #expect(findings.contains { $0.code == .quota && $0.severity == .warning })
    let twentyOne = (0..<21).map { #"{"Name":"P\#($0)"}"# }.joined(separator: ",")
    #expect(errorCodes(#"{"Name":"Dev","CustomerManagedPolicyReferences":[\#(twentyOne)]}"#).contains("permission-set.quota"))
  }
}

@Suite struct PermissionSetResolutionTests {
  static let allowS3 = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
  static let allowNothing = #"{"Version":"2012-10-17","Statement":[]}"#

  /// T-47: the same reference gives different documents in different accounts, and none in a third.
  @Test func customerManagedReferencesResolvePerAccount() throws {
    let (set, _) = try read(#"{"Name":"Dev","CustomerManagedPolicyReferences":[{"Name":"DevExtra","Path":"/"}]}"#)
    var provider = DictionaryPolicyProvider(customerManaged: [
      "111111111111": ["/DevExtra": Self.allowS3], "222222222222": ["/DevExtra": Self.allowNothing],
    ])
    let decide = { (resolved: ResolvedPermissionSet) in
      try! Authorizer(PolicySet(identityPolicies: resolved.identityPolicies))
        .authorize(AuthorizationRequest(action: "s3:GetObject", resource: "arn:aws:s3:::b/k")).decision
    }
    #expect(decide(try set.resolve(inAccount: "111111111111", provider: &provider)) == .allowed)
    #expect(decide(try set.resolve(inAccount: "222222222222", provider: &provider)) == .implicitDeny)
    #expect(throws: InputError.self) { try set.resolve(inAccount: "333333333333", provider: &provider) }
  }

  @Test func boundaryFromAnAWSManagedPolicyLimitsTheSession() throws {
    let (set, _) = try read(#"{"Name":"Dev","AwsManagedPolicies":["arn:aws:iam::aws:policy/Admin"],"PermissionsBoundary":{"ManagedPolicyArn":"arn:aws:iam::aws:policy/S3"}}"#)
    var provider = DictionaryPolicyProvider(awsManaged: [
      "arn:aws:iam::aws:policy/Admin": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
      "arn:aws:iam::aws:policy/S3": Self.allowS3,
    ])
    let resolved = try set.resolve(inAccount: "111122223333", provider: &provider)
    let authorizer = try Authorizer(PolicySet(identityPolicies: resolved.identityPolicies, permissionsBoundary: resolved.permissionsBoundary))
    #expect(authorizer.authorize(AuthorizationRequest(action: "s3:ListAllMyBuckets")).decision == .allowed)
    #expect(authorizer.authorize(AuthorizationRequest(action: "ec2:DescribeVpcs")).decision == .implicitDeny)
  }
}

@Suite struct IdentityCenterSessionTests {
  @Test func theRoleAndSessionFollowTheReservedNaming() throws {
    let session = IdentityCenterSession(permissionSetName: "DatabaseAdministrator", account: "111122223333",
                                        userName: "alice@example.com", identityStoreUserID: "906712345a-abc")
    #expect(session.roleARN == "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DatabaseAdministrator_0123456789abcdef")
    let principal = try #require(session.principal)
    #expect(principal.arn == "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DatabaseAdministrator_0123456789abcdef/alice@example.com")
    #expect(session.sessionARNPrefix + session.userName == principal.arn)
    let context = principal.derivedContext.merging(session.context)
    #expect(context.singleValue(lowercased: "aws:principalarn") == session.roleARN)
    #expect(context.singleValue(lowercased: "aws:userid") == "AROAEXAMPLEROLEID:alice@example.com")
    #expect(context["aws:username"] == nil)
    #expect(context.singleValue(lowercased: "identitystore:userid") == "906712345a-abc")
    var usEast = session
    usEast.region = nil
    #expect(usEast.roleARN == "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DatabaseAdministrator_0123456789abcdef")
  }
}
