import IAMCompression
import Foundation
import IAMPolicy
import Testing

@testable import IAMAWS

/// Secret keys, session tokens and SSO access tokens appear in no error, description or debug output: every
/// credentials error path is provoked with secrets around, and every text checked.
@Suite struct SecretTests {
  static let secrets = [
    TestKeys.secret, TestKeys.token, "assumed-secret-never-printed", "assumed-token-never-printed", "sso-access-token-never-printed",
    "process-secret-never-printed", "ini-secret-never-printed", "half-secret-never-printed", "sso-secret-never-printed",
    "sso-token-never-printed",
  ]

  /// Every text a value can be shown as.
  static func texts(_ value: Any) -> [String] {
    var dumped = ""
    dump(value, to: &dumped)
    return [String(describing: value), String(reflecting: value), dumped, "\(value)"]
  }

  static func check(_ value: Any, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for text in texts(value) {
      for secret in secrets {
        #expect(!text.contains(secret), "\(label) shows a secret: \(text)", sourceLocation: sourceLocation)
      }
    }
  }

  /// The error of an async call, checked; `nil` when it did not fail.
  @discardableResult
  static func failure(_ label: String, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () async throws(AWSError) -> Void) async -> AWSError? {
    do {
      try await body()
      Issue.record("\(label) did not fail", sourceLocation: sourceLocation)
      return nil
    } catch {
      check(error, label, sourceLocation: sourceLocation)
      return error
    }
  }

  @Test func noErrorShowsASecret() async throws {
    let home = TemporaryHome()
    let script = { (name: String, body: String, status: Int) -> String in
      home.write("bin/\(name)", "#!/bin/sh\nprintf '%s' '\(body)'\nexit \(status)\n", executable: true)
    }
    let notJSON = script("notjson", "AccessKeyId=A SecretAccessKey=process-secret-never-printed", 0)
    let version2 = script("version2", #"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "process-secret-never-printed"}"#, 0)
    let noKey = script("nokey", #"{"Version": 1, "SecretAccessKey": "process-secret-never-printed"}"#, 0)
    let badExpiry = script("badexpiry", #"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "process-secret-never-printed", "Expiration": "soon"}"#, 0)
    let exits = script("exits", #"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "process-secret-never-printed"}"#, 4)
    home.config("""
      [profile notjson]
      credential_process = \(notJSON) --password process-secret-never-printed
      [profile version2]
      credential_process = \(version2)
      [profile nokey]
      credential_process = \(noKey)
      [profile badexpiry]
      credential_process = \(badExpiry)
      [profile exits]
      credential_process = \(exits)
      [profile half]
      aws_secret_access_key = half-secret-never-printed
      [profile role]
      role_arn = arn:aws:iam::111122223333:role/Audit
      source_profile = keys
      [profile keys]
      aws_access_key_id = AKIDKEYS
      aws_secret_access_key = \(TestKeys.secret)
      aws_session_token = \(TestKeys.token)
      [profile sso]
      sso_session = corp
      sso_account_id = 111122223333
      sso_role_name = Admin
      [profile ssoexpired]
      sso_start_url = https://expired.awsapps.com/start
      sso_region = us-east-1
      sso_account_id = 111122223333
      sso_role_name = Admin
      [sso-session corp]
      sso_start_url = https://corp.awsapps.com/start
      sso_region = eu-central-1
      """)
    home.write(".aws/sso/cache/\(SHA1.hex(Array("corp".utf8))).json", #"{"accessToken": "sso-access-token-never-printed", "expiresAt": "2099-01-01T00:00:00Z"}"#)
    home.write(".aws/sso/cache/\(SHA1.hex(Array("https://expired.awsapps.com/start".utf8))).json",
               #"{"accessToken": "sso-access-token-never-printed", "expiresAt": "2001-01-01T00:00:00Z"}"#)
    let server = try TestHTTPServer([
      // The role's AssumeRole is refused, then the SSO portal refuses the token, then a call is denied.
      .xml(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error></ErrorResponse>"),
      .json(401, #"{"message":"Session token not found or invalid"}"#, headers: [("x-amzn-ErrorType", "UnauthorizedException")]),
      .json(400, #"{"__type":"AccessDeniedException","Message":"denied"}"#),
    ])
    defer { server.stop() }
    func aws(_ profile: String?, environment: [String: String] = ["PATH": "/usr/bin:/bin"]) throws(AWSError) -> AWSClient {
      try AWSClient(profile: profile, region: "eu-west-1", endpointURL: server.url, environment: environment, homeDirectory: home.path,
                    retry: RetryPolicy(maxAttempts: 1))
    }
    for profile in ["notjson", "version2", "nokey", "badexpiry", "exits"] {
      let error = await Self.failure("credential_process \(profile)") { () throws(AWSError) in _ = try await aws(profile).credentials() }
      #expect(error?.code == "Credentials")
      #expect(error?.message.hasPrefix("profile `\(profile)`: credential_process `") == true)
    }
    await Self.failure("a half profile") { () throws(AWSError) in _ = try aws("half") }
    await Self.failure("half environment keys") { () throws(AWSError) in
      _ = try aws(nil, environment: ["AWS_SECRET_ACCESS_KEY": TestKeys.secret, "AWS_SESSION_TOKEN": TestKeys.token])
    }
    let refused = await Self.failure("a refused role") { () throws(AWSError) in _ = try await aws("role").credentials() }
    #expect(refused?.code == "AccessDenied")
    let unauthorized = await Self.failure("a refused SSO token") { () throws(AWSError) in _ = try await aws("sso").credentials() }
    #expect(unauthorized?.message.contains("run `aws sso login --profile sso`") == true)
    await Self.failure("an expired SSO token") { () throws(AWSError) in _ = try await aws("ssoexpired").credentials() }
    let keys = try aws("keys")
    await Self.failure("a denied call") { () throws(AWSError) in _ = try await keys.call(listRoots, input: .object([]), region: "eu-west-1") }
    server.stop()
    await Self.failure("a transport failure") { () throws(AWSError) in _ = try await keys.call(listRoots, input: .object([]), region: "eu-west-1") }
    // A config file that does not parse, on a line holding a secret.
    let broken = TemporaryHome()
    broken.credentials("[default]\naws_secret_access_key ini-secret-never-printed\n")
    let syntax = await Self.failure("a config syntax error") { () throws(AWSError) in
      _ = try AWSClient(profile: nil, region: nil, endpointURL: nil, environment: [:], homeDirectory: broken.path)
    }
    #expect(syntax?.message == "\(broken.path)/.aws/credentials:2: expected `key = value`")
  }

  @Test func noDescriptionShowsASecret() async throws {
    let credentials = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: TestKeys.secret, sessionToken: TestKeys.token,
                                     expiration: UTCTime(iso8601: "2099-01-01T00:00:00Z"), source: "environment")
    Self.check(credentials, "credentials")
    #expect(credentials.description
      == "AWSCredentials(accessKeyId: ASIAEXAMPLE, secretAccessKey: <redacted>, sessionToken: <redacted>, expiration: 2099-01-01T00:00:00Z, source: environment)")
    Self.check(Optional(credentials), "optional credentials")
    Self.check([credentials], "an array of credentials")
    Self.check(CredentialSource.fixed(credentials), "a fixed source")
    Self.check(CredentialSource.assumeRole(AssumeRoleSettings(profile: "p", roleArn: "arn:aws:iam::1:role/R", sessionName: "s"),
                                           source: .fixed(credentials)), "a role source")
    Self.check(ProcessSettings(profile: "p", arguments: ["/bin/tool", "--secret", TestKeys.secret], environment: TestKeys.environment),
               "process settings")
    Self.check(SSOCredentials.Token(accessToken: "sso-access-token-never-printed", expiresAt: .now), "an SSO token")
    let signed = SigV4.sign(SigV4Request(method: "POST", path: "/", headers: [.init("Host", "h")]), credentials: credentials,
                            region: "us-east-1", service: "sts", date: .now)
    Self.check(signed, "signed headers")
    Self.check(SigV4Request.Header("x-amz-sso_bearer_token", "sso-access-token-never-printed"), "a bearer token header")
    let home = TemporaryHome()
    home.write("bin/creds", "#!/bin/sh\nprintf '%s' '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"process-secret-never-printed\"}'\n",
               executable: true)
    home.config("[profile tool]\ncredential_process = \(home.path)/bin/creds\n")
    var environment = TestKeys.environment
    environment["PATH"] = "/bin"
    let client = try AWSClient(profile: "tool", region: "us-east-1", endpointURL: nil, environment: environment, homeDirectory: home.path)
    let fetched = try await client.credentials()
    #expect(fetched.secretAccessKey == "process-secret-never-printed")
    Self.check(client, "a client")
    Self.check(fetched, "process credentials")
    let fromEnvironment = try AWSClient(profile: nil, region: "us-east-1", endpointURL: nil, environment: environment, homeDirectory: home.path)
    Self.check(fromEnvironment, "a client with environment keys")
    Self.check(try await fromEnvironment.credentials(), "environment credentials")
  }
}
