import Foundation
import IAMPolicy
import Testing

@testable import IAMAWS

/// Pages merged as the AWS CLI prints them when it pages for you.
@Suite struct PaginationTests {
  static func iamPage(truncated: Bool, marker: String?, users: String = "", roles: String = "") -> TestHTTPServer.Reply {
    .xml(200, """
      <GetAccountAuthorizationDetailsResponse><GetAccountAuthorizationDetailsResult>
      <IsTruncated>\(truncated)</IsTruncated>\(marker.map { "<Marker>\($0)</Marker>" } ?? "")
      <UserDetailList>\(users)</UserDetailList><GroupDetailList/><RoleDetailList>\(roles)</RoleDetailList><Policies/>
      </GetAccountAuthorizationDetailsResult></GetAccountAuthorizationDetailsResponse>
      """)
  }

  /// IAM: `Marker` while `IsTruncated`; the output has the four lists, without `IsTruncated` or `Marker` (and
  /// without `MaxSessionDuration`, which `RoleDetail` does not have in the model: botocore drops it too).
  @Test func iamMarkerPages() async throws {
    let server = try TestHTTPServer([
      Self.iamPage(truncated: true, marker: "m/1+", users: "<member><UserName>alice</UserName></member>"),
      Self.iamPage(truncated: false, marker: nil, roles: "<member><RoleName>admin</RoleName><MaxSessionDuration>3600</MaxSessionDuration></member>"),
    ])
    defer { server.stop() }
    let aws = try client(server)
    let merged = try await aws.paginate(.getAccountAuthorizationDetails, input: .object([("Filter", .array(["User", "Role"]))]),
                                        region: "eu-west-1", pageSize: 1000)
    #expect(merged.output.rendered()
      == #"{"UserDetailList":[{"UserName":"alice"}],"GroupDetailList":[],"RoleDetailList":[{"RoleName":"admin"}],"Policies":[]}"#)
    let bodies = server.requests.map(\.body)
    #expect(bodies == [
      "Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=User&Filter.member.2=Role&MaxItems=1000",
      "Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=User&Filter.member.2=Role&MaxItems=1000&Marker=m%2F1%2B",
    ])
    #expect(server.requests[0].headers["authorization"]?.contains("/us-east-1/iam/aws4_request") == true)
    #expect(aws.calls == 2)
  }

  /// json: `NextToken`; a list a later page adds is kept, a repeated token refused.
  @Test func nextTokenPagesAndARepeatedToken() async throws {
    let server = try TestHTTPServer([
      .json(200, #"{"Accounts":[{"Id":"1"}],"NextToken":"t1"}"#),
      .json(200, #"{"Accounts":[{"Id":"2"}]}"#),
    ])
    defer { server.stop() }
    let aws = try client(server)
    let listAccounts = AWSOperation(service: .organizations, name: "ListAccounts")
    let pages = try await aws.pages(listAccounts, region: "eu-west-1")
    #expect(pages.count == 2)
    #expect(server.requests[1].body == #"{"NextToken":"t1"}"#)
    #expect(AWSPaginator.known(for: listAccounts)!.merge(pages).output.rendered() == #"{"Accounts":[{"Id":"1"},{"Id":"2"}]}"#)
    let looping = try TestHTTPServer([.json(200, #"{"Accounts":[],"NextToken":"same"}"#)])
    defer { looping.stop() }
    await #expect(throws: AWSError(code: "InvalidResponse", message: "the same pagination token came twice", operation: "ListAccounts")) {
      _ = try await client(looping).paginate(listAccounts, region: "eu-west-1")
    }
  }

  @Test func mergeFollowsBotocore() throws {
    let pages = try [
      #"{"Group":{"GroupName":"g"},"Users":[{"UserName":"a"}],"IsTruncated":true,"Marker":"x"}"#,
      #"{"Group":{"GroupName":"ignored"},"Users":[{"UserName":"b"}],"IsTruncated":false}"#,
    ].map { try JSONReader().read($0) }
    let getGroup = AWSPaginator.known(for: AWSOperation(service: .iam, name: "GetGroup"))!
    #expect(getGroup.merge(pages).output.rendered() == #"{"Users":[{"UserName":"a"},{"UserName":"b"}],"Group":{"GroupName":"g"}}"#)
    #expect(getGroup.nextToken(after: pages[0]) == "x")
    #expect(getGroup.nextToken(after: pages[1]) == nil)
    #expect(AWSPaginator.known(for: AWSOperation(service: .ssoAdmin, name: "ListPermissionSets"))?.resultKeys == ["PermissionSets"])
    #expect(AWSPaginator.known(for: AWSOperation(service: .identityStore, name: "ListGroupMemberships"))?.resultKeys == ["GroupMemberships"])
    #expect(AWSPaginator.known(for: AWSOperation(service: .sts, name: "GetCallerIdentity")) == nil)
  }
}

/// Endpoints by partition, the override, and each protocol's request.
@Suite struct EndpointAndEncodingTests {
  @Test func endpointsByPartition() throws {
    func resolve(_ service: AWSService, _ region: String, _ override: String? = nil) throws -> String {
      let endpoint = try Endpoint.resolve(service, region: region, override: override)
      return "\(endpoint) \(endpoint.signingRegion)"
    }
    #expect(try resolve(.iam, "eu-west-1") == "https://iam.amazonaws.com us-east-1")
    #expect(try resolve(.iam, "cn-northwest-1") == "https://iam.cn-north-1.amazonaws.com.cn cn-north-1")
    #expect(try resolve(.iam, "us-gov-east-1") == "https://iam.us-gov.amazonaws.com us-gov-west-1")
    #expect(try resolve(.organizations, "eu-west-1") == "https://organizations.us-east-1.amazonaws.com us-east-1")
    #expect(try resolve(.organizations, "cn-north-1") == "https://organizations.cn-northwest-1.amazonaws.com.cn cn-northwest-1")
    #expect(try resolve(.organizations, "us-gov-west-1") == "https://organizations.us-gov-west-1.amazonaws.com us-gov-west-1")
    #expect(try resolve(.sts, "eu-west-1") == "https://sts.eu-west-1.amazonaws.com eu-west-1")
    #expect(try resolve(.ssoAdmin, "cn-north-1") == "https://sso.cn-north-1.amazonaws.com.cn cn-north-1")
    #expect(try resolve(.ssoPortal, "eu-central-1") == "https://portal.sso.eu-central-1.amazonaws.com eu-central-1")
    #expect(try resolve(.identityStore, "us-gov-west-1") == "https://identitystore.us-gov-west-1.amazonaws.com us-gov-west-1")
    // "account-access.eu-west-1.api.aws" (AWS General Reference, Account access management endpoints and quotas).
    let accountAccess = AWSService(signingName: "account-access", endpointPrefix: "account-access", wire: .restJSON)
    #expect(try resolve(accountAccess, "eu-west-1") == "https://account-access.eu-west-1.api.aws eu-west-1")
    #expect(try resolve(.iam, "eu-west-1", "http://127.0.0.1:5000/") == "http://127.0.0.1:5000 us-east-1")
    #expect(try resolve(.sts, "eu-west-1", "https://Proxy.example:443/base") == "https://proxy.example/base eu-west-1")
    #expect(throws: AWSError.self) { try Endpoint.resolve(.iam, region: "eu-west-1", override: "127.0.0.1:5000") }
    #expect(throws: AWSError.self) { try Endpoint.resolve(.iam, region: "eu-west-1", override: "http://h:99999") }
  }

  @Test func restJSONPathQueryHeadersAndBody() throws {
    let sso = try WireRequest.encode(.getRoleCredentials, input: .object([
      ("roleName", "Admin"), ("accountId", "111122223333"), ("accessToken", "token"),
    ]))
    #expect(sso.method == "GET")
    #expect(sso.path == "/federation/credentials")
    #expect(sso.query == "account_id=111122223333&role_name=Admin")
    #expect(sso.headers == [.init("x-amz-sso_bearer_token", "token")])
    #expect(sso.body.isEmpty)
    let entitlement = AWSOperation(service: AWSService(signingName: "account-access", endpointPrefix: "account-access", wire: .restJSON),
                                   name: "GetEntitlement", method: "POST", path: "/applications/{applicationArn}/entitlements/{id+}")
    let request = try WireRequest.encode(entitlement, input: .object([
      ("applicationArn", "arn:aws:account-access::1:application/a"), ("id", "x/y"), ("filter", .object([("account", "1")])),
    ]))
    #expect(request.path == "/applications/arn%3Aaws%3Aaccount-access%3A%3A1%3Aapplication%2Fa/entitlements/x/y")
    #expect(String(decoding: request.body, as: UTF8.self) == #"{"filter":{"account":"1"}}"#)
    #expect(throws: AWSError.self) { try WireRequest.encode(entitlement, input: .object([])) }
  }

  @Test func jsonAndQueryRequests() throws {
    let json = try WireRequest.encode(AWSOperation(service: .ssoAdmin, name: "ListPermissionSets"),
                                      input: .object([("InstanceArn", "arn:aws:sso:::instance/ssoins-1"), ("MaxResults", 100)]))
    #expect(json.headers == [.init("Content-Type", "application/x-amz-json-1.1"), .init("X-Amz-Target", "SWBExternalService.ListPermissionSets")])
    #expect(String(decoding: json.body, as: UTF8.self) == #"{"InstanceArn":"arn:aws:sso:::instance/ssoins-1","MaxResults":100}"#)
    let query = try WireRequest.encode(.assumeRole, input: .object([
      ("RoleArn", "arn:aws:iam::1:role/R"), ("RoleSessionName", "s"), ("Tags", .array([.object([("Key", "k"), ("Value", "v w")])])),
      ("PolicyArns", .array([])), ("Nothing", .null),
    ]))
    #expect(String(decoding: query.body, as: UTF8.self)
      == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&RoleSessionName=s&Tags.member.1.Key=k&Tags.member.1.Value=v%20w&PolicyArns=")
  }

  @Test func timesAsAWSWritesThem() {
    let time = UTCTime(iso8601: "2024-02-29T23:59:59.5+01:00")!
    #expect(time.description == "2024-02-29T22:59:59Z")
    #expect(time.isoformat == "2024-02-29T22:59:59.500000+00:00")
    #expect(time.amzDate == "20240229T225959Z")
    #expect(UTCTime(iso8601: "2019-11-14T04:05:45UTC")?.description == "2019-11-14T04:05:45Z")
    #expect(UTCTime(iso8601: "1969-12-31T23:59:59Z")?.secondsSince1970 == -1)
    #expect(UTCTime(iso8601: "soon") == nil)
    #expect(UTCTime(iso8601: "2024-13-01T00:00:00Z") == nil)
  }

  /// A region for calls that need one: the client's, or us-east-1's partition for global services only.
  @Test func callsWithoutARegion() async throws {
    let aws = try AWSClient(profile: nil, region: nil, endpointURL: "http://127.0.0.1:9", environment: TestKeys.environment,
                            homeDirectory: TemporaryHome().path, retry: RetryPolicy(maxAttempts: 1))
    await #expect(throws: AWSError(code: "NoRegion", message: "no region: give --region, set AWS_REGION, or set region in the profile `default`",
                                   operation: "ListInstances")) {
      _ = try await aws.call(AWSOperation(service: .ssoAdmin, name: "ListInstances"))
    }
  }
}
