import Foundation
import IAMPolicy
import Testing

@testable import IAMAWS

/// The XML of `query` services turned into the JSON the AWS CLI prints.
@Suite struct QueryConversionTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func fixture(_ name: String) -> [UInt8] { Array(try! Data(contentsOf: fixtures.appendingPathComponent(name))) }

  /// The recorded response converts to exactly what botocore makes of it: same members, same order, lists
  /// unwrapped, numbers and booleans typed, timestamps as the CLI v2 prints them, policy documents decoded (a
  /// repeated key keeping its first place and last value; a document that is not JSON kept as its text).
  @Test func getAccountAuthorizationDetailsAsBotocoreParsesIt() throws {
    let response = WireResponse(status: 200, headers: [:], body: Self.fixture("get-account-authorization-details.xml"))
    let converted = try response.decode(.getAccountAuthorizationDetails)
    let expected = try JSONReader().read(Self.fixture("get-account-authorization-details.json"))
    #expect(converted.output.rendered(pretty: true) == expected.output.rendered(pretty: true))
    // Spot checks of what that comparison covers.
    let bob = converted["UserDetailList"]?.elements?[1]
    #expect(bob?["CreateDate"]?.stringValue == "2013-10-14T18:33:56.123000+00:00")
    #expect(bob?["UserPolicyList"]?.elements?[0]["PolicyDocument"]?["Statement"]?.elements?[0]["Action"]?.stringValue == "*")
    #expect(converted["IsTruncated"]?.kind == .bool(false))
    #expect(converted["Policies"]?.elements?[0]["AttachmentCount"]?.kind == .number("1"))
    let duplicated = converted["RoleDetailList"]?.elements?[0]["RolePolicyList"]?.elements?[0]["PolicyDocument"]?["Statement"]
    #expect(duplicated?.members?.map(\.key) == ["Effect", "Action", "Resource", "Condition"])
    #expect(duplicated?["Effect"]?.stringValue == "Allow")
  }

  @Test func getCallerIdentityAndAssumeRole() throws {
    let identity = """
      <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
        <GetCallerIdentityResult>
          <Arn>arn:aws:sts::123456789012:assumed-role/Admin/me</Arn>
          <UserId>AROAEXAMPLE:me</UserId>
          <Account>123456789012</Account>
        </GetCallerIdentityResult>
        <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
      </GetCallerIdentityResponse>
      """
    let converted = try WireResponse(status: 200, headers: [:], body: Array(identity.utf8)).decode(.getCallerIdentity)
    #expect(converted.output.rendered()
      == #"{"UserId":"AROAEXAMPLE:me","Account":"123456789012","Arn":"arn:aws:sts::123456789012:assumed-role/Admin/me"}"#)
    let assumed = """
      <AssumeRoleResponse><AssumeRoleResult>
        <SourceIdentity>me</SourceIdentity>
        <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/R/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
        <Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>
          <SessionToken>token</SessionToken><Expiration>2019-11-09T13:34:41Z</Expiration></Credentials>
        <PackedPolicySize>6</PackedPolicySize>
      </AssumeRoleResult></AssumeRoleResponse>
      """
    let role = try WireResponse(status: 200, headers: [:], body: Array(assumed.utf8)).decode(.assumeRole)
    #expect(role.members?.map(\.key) == ["Credentials", "AssumedRoleUser", "PackedPolicySize", "SourceIdentity"])
    #expect(role["Credentials"]?["Expiration"]?.stringValue == "2019-11-09T13:34:41+00:00")
    #expect(role["PackedPolicySize"]?.kind == .number("6"))
  }

  @Test func errorsOfEachProtocol() {
    let xml = WireResponse(status: 400, headers: [:], body: Array("""
      <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code>
      <Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>
      """.utf8)).error(.getAccountAuthorizationDetails)
    #expect(xml == AWSError(code: "Throttling", message: "Rate exceeded", status: 400, operation: "GetAccountAuthorizationDetails"))
    let listRoots = AWSOperation(service: .organizations, name: "ListRoots")
    let json = WireResponse(status: 400, headers: [:], body: Array(#"{"__type":"com.amazonaws.organizations#AccessDeniedException","Message":"no"}"#.utf8))
      .error(listRoots)
    #expect(json == AWSError(code: "AccessDeniedException", message: "no", status: 400, operation: "ListRoots"))
    let header = WireResponse(status: 401, headers: ["x-amzn-errortype": "UnauthorizedException:http://internal"],
                              body: Array(#"{"message":"Session token not found or invalid"}"#.utf8)).error(.getRoleCredentials)
    #expect(header.code == "UnauthorizedException")
    #expect(header.message == "Session token not found or invalid")
    let bare = WireResponse(status: 503, headers: [:], body: []).error(listRoots)
    #expect(bare.code == "ServiceUnavailable")
    #expect(bare.status == 503)
  }

  /// Organizations' epoch timestamps are printed as the CLI v2 prints them; other numbers are left alone.
  @Test func jsonTimestamps() throws {
    let body = #"{"Accounts":[{"Id":"111122223333","JoinedTimestamp":1.70775006865E9,"Count":3},{"JoinedTimestamp":1589295435}]}"#
    let listAccounts = AWSOperation(service: .organizations, name: "ListAccounts")
    let output = try WireResponse(status: 200, headers: [:], body: Array(body.utf8)).decode(listAccounts)
    #expect(output.output.rendered()
      == #"{"Accounts":[{"Id":"111122223333","JoinedTimestamp":"2024-02-12T15:01:08.650000+00:00","Count":3},{"JoinedTimestamp":"2020-05-12T14:57:15+00:00"}]}"#)
  }

  @Test func xmlReaderDecodesEntitiesAndCDATAAndRefusesDoctypes() throws {
    let node = try XMLReader.parse(Array("<?xml version=\"1.0\"?><a x='1'><!-- c --><b>&lt;&#65;&#x42;&quot;<![CDATA[<raw>]]></b><c/></a>".utf8))
    #expect(node.child("b")?.text == "<AB\"<raw>")
    #expect(node.child("c")?.text == "")
    #expect(throws: XMLReader.SyntaxError.self) { try XMLReader.parse(Array("<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>".utf8)) }
    #expect(throws: XMLReader.SyntaxError.self) { try XMLReader.parse(Array("<a><b></a>".utf8)) }
  }
}
