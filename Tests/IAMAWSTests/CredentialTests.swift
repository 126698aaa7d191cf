import IAMCompression
import Foundation
import IAMPolicy
import Testing

@testable import IAMAWS

/// Credentials found as the AWS CLI finds them, from an environment dictionary and a temporary home folder.
@Suite struct CredentialTests {
  static let assumeRoleXML = """
    <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
      <AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/Audit/iamsim</Arn><AssumedRoleId>AROA:iamsim</AssumedRoleId></AssumedRoleUser>
      <Credentials><AccessKeyId>ASIAASSUMEDROLE</AccessKeyId><SecretAccessKey>assumed-secret-never-printed</SecretAccessKey>
        <SessionToken>assumed-token-never-printed</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
    </AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>
    """

  static func resolve(_ home: TemporaryHome, profile: String? = nil, environment: [String: String] = [:]) throws(AWSError) -> CredentialSource {
    try CredentialResolver(profile: profile, environment: environment, homeDirectory: home.path).resolve()
  }

  static func keys(_ source: CredentialSource) -> AWSCredentials? {
    if case .fixed(let credentials) = source { return credentials }
    return nil
  }

  @Test func theEnvironmentFirstUnlessAProfileIsNamedExplicitly() throws {
    let home = TemporaryHome()
    home.credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n")
    #expect(Self.keys(try Self.resolve(home, environment: TestKeys.environment))?.accessKeyId == TestKeys.accessKeyId)
    // AWS_PROFILE does not beat the environment's keys; --profile does.
    var environment = TestKeys.environment
    environment["AWS_PROFILE"] = "dev"
    #expect(Self.keys(try Self.resolve(home, environment: environment))?.accessKeyId == TestKeys.accessKeyId)
    #expect(Self.keys(try Self.resolve(home, profile: "dev", environment: environment))?.accessKeyId == "AKIDDEV")
    let fromEnvironment = Self.keys(try Self.resolve(home, environment: TestKeys.environment))
    #expect(fromEnvironment?.sessionToken == TestKeys.token)
    #expect(fromEnvironment?.source == "environment")
  }

  @Test func theCredentialsFileOverridesTheConfigFileAndItsPathsAreHonoured() throws {
    let home = TemporaryHome()
    home.config("[default]\nregion = eu-west-1\n\n[profile dev]\n# a comment\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\nregion = eu-central-1\n")
    home.credentials("[dev]\naws_access_key_id = AKIDCREDENTIALS\naws_secret_access_key = credentials-secret\n")
    #expect(Self.keys(try Self.resolve(home, profile: "dev"))?.accessKeyId == "AKIDCREDENTIALS")
    let other = home.write("elsewhere/config", "[profile dev]\naws_access_key_id: AKIDELSEWHERE\naws_secret_access_key: s\n")
    let environment = ["AWS_CONFIG_FILE": other, "AWS_SHARED_CREDENTIALS_FILE": home.path + "/none"]
    #expect(Self.keys(try Self.resolve(home, profile: "dev", environment: environment))?.accessKeyId == "AKIDELSEWHERE")
    // The client's region: --region, else the environment, else the profile's.
    let client = try AWSClient(profile: "dev", region: nil, endpointURL: nil, environment: [:], homeDirectory: home.path)
    #expect(client.region == "eu-central-1")
    #expect(client.profile == "dev")
    #expect(try AWSClient(profile: "dev", region: nil, endpointURL: nil, environment: ["AWS_REGION": "ap-south-1"], homeDirectory: home.path).region
      == "ap-south-1")
  }

  @Test func missingProfilesAndSettingsAreNamed() {
    let home = TemporaryHome()
    home.config("[dev]\naws_access_key_id = A\naws_secret_access_key = B\n\n[profile role]\nrole_arn = arn:aws:iam::1:role/R\n\n[profile half]\naws_access_key_id = A\n")
    func message(_ profile: String?, _ environment: [String: String] = [:]) -> String {
      do {
        _ = try Self.resolve(home, profile: profile, environment: environment)
        return "resolved"
      } catch {
        return error.message
      }
    }
    #expect(message("dev").contains("the profile `dev` is in neither"))
    #expect(message("dev").contains("profiles there are named [profile dev]"))
    #expect(message(nil, ["AWS_PROFILE": "gone"]).contains("the profile `gone`"))
    // Even with the environment's keys, as the AWS CLI refuses it.
    #expect(message(nil, TestKeys.environment.merging(["AWS_PROFILE": "gone"]) { $1 }).contains("the profile `gone`"))
    #expect(message("role") == "profile `role` has role_arn but neither source_profile nor credential_source")
    #expect(message("half").contains("profile `half` has aws_access_key_id but no aws_secret_access_key"))
    #expect(message(nil).hasPrefix("no credentials found"))
    #expect(message(nil, ["AWS_ACCESS_KEY_ID": "A"]) == "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
  }

  @Test func sourceProfileLoopsAndChains() throws {
    let home = TemporaryHome()
    home.config("""
      [profile a]
      role_arn = arn:aws:iam::1:role/A
      source_profile = b
      [profile b]
      role_arn = arn:aws:iam::1:role/B
      source_profile = a
      [profile chained]
      role_arn = arn:aws:iam::1:role/C
      source_profile = base
      external_id = ext-1
      [profile base]
      role_arn = arn:aws:iam::1:role/Ignored
      aws_access_key_id = AKIDBASE
      aws_secret_access_key = base-secret
      [profile self]
      role_arn = arn:aws:iam::1:role/S
      source_profile = self
      aws_access_key_id = AKIDSELF
      aws_secret_access_key = self-secret
      """)
    #expect(throws: AWSError.self) { try Self.resolve(home, profile: "a") }
    do {
      _ = try Self.resolve(home, profile: "a")
    } catch {
      #expect(error.message == "the profiles' source_profile settings loop: a → b → a")
    }
    // A source profile with keys gives its keys (its role_arn is not assumed), as botocore reads it.
    guard case .assumeRole(let role, .fixed(let base)) = try Self.resolve(home, profile: "chained") else {
      Issue.record("expected a role assumed with fixed keys")
      return
    }
    #expect(role.roleArn == "arn:aws:iam::1:role/C")
    #expect(role.externalId == "ext-1")
    #expect(base.accessKeyId == "AKIDBASE")
    guard case .assumeRole(_, .fixed(let own)) = try Self.resolve(home, profile: "self") else {
      Issue.record("expected the profile's own keys as the source")
      return
    }
    #expect(own.accessKeyId == "AKIDSELF")
  }

  /// role_arn + source_profile: STS AssumeRole through the client (query protocol, signed with the source's keys),
  /// then the call signed with the role's credentials.
  @Test func roleArnWithSourceProfileAssumesTheRoleThroughTheClient() async throws {
    let server = try TestHTTPServer([.xml(200, Self.assumeRoleXML), .json(200, #"{"Roots":[]}"#)])
    defer { server.stop() }
    let home = TemporaryHome()
    home.config("[profile audit]\nrole_arn = arn:aws:iam::111122223333:role/Audit\nsource_profile = base\nrole_session_name = me\nduration_seconds = 900\n")
    home.credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n")
    let aws = try client(server, home: home, environment: [:], profile: "audit")
    _ = try await aws.call(listRoots, input: .object([]), region: "eu-west-1")
    let requests = server.requests
    #expect(requests.count == 2)
    #expect(requests[0].body == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FAudit&RoleSessionName=me&DurationSeconds=900")
    #expect(requests[0].headers["authorization"]?.contains("Credential=AKIDBASE/") == true)
    #expect(requests[0].headers["authorization"]?.contains("/eu-west-1/sts/aws4_request") == true)
    #expect(requests[0].headers["x-amz-security-token"] == nil)
    #expect(requests[1].headers["authorization"]?.contains("Credential=ASIAASSUMEDROLE/") == true)
    #expect(requests[1].headers["x-amz-security-token"] == "assumed-token-never-printed")
    #expect(aws.credentialSource.contains("role arn:aws:iam::111122223333:role/Audit assumed with profile base"))
  }

  /// `assuming` assumes at once, with the caller's credentials, and shares the counters.
  @Test func assumingARoleForAMemberAccount() async throws {
    let server = try TestHTTPServer([.xml(200, Self.assumeRoleXML), .json(200, #"{"Roots":[]}"#),
                                     .xml(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not authorized</Message></Error></ErrorResponse>")])
    defer { server.stop() }
    let aws = try client(server)
    let member = try await aws.assuming("arn:aws:iam::111122223333:role/Audit", "iamsim")
    _ = try await member.call(listRoots, input: .object([]), region: "eu-west-1")
    #expect(server.requests[0].headers["authorization"]?.contains("Credential=\(TestKeys.accessKeyId)/") == true)
    #expect(server.requests[1].headers["authorization"]?.contains("Credential=ASIAASSUMEDROLE/") == true)
    #expect(aws.calls == 2)
    do {
      _ = try await aws.assuming("arn:aws:iam::444455556666:role/Audit", "iamsim")
      Issue.record("expected AccessDenied")
    } catch {
      #expect(error.code == "AccessDenied")
      #expect(error.operation == "AssumeRole")
      #expect(error.message.contains("arn:aws:iam::444455556666:role/Audit"))
    }
  }

  @Test func credentialProcessRunsAndItsOutputIsRead() async throws {
    let home = TemporaryHome()
    let script = home.write("bin/creds", """
      #!/bin/sh
      [ "$1" = "--account" ] && [ "$2" = "my account" ] || { echo "bad arguments: $*" >&2; exit 3; }
      printf '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret", "SessionToken": "process-token", "Expiration": "2099-01-01T00:00:00Z"}'
      """, executable: true)
    home.config("[profile tool]\ncredential_process = \(script) --account 'my account'\n[profile failing]\ncredential_process = \(script) wrong\n")
    let aws = try AWSClient(profile: "tool", region: "us-east-1", endpointURL: nil, environment: ["PATH": "/usr/bin:/bin"], homeDirectory: home.path)
    let credentials = try await aws.credentials()
    #expect(credentials.accessKeyId == "AKIDPROCESS")
    #expect(credentials.sessionToken == "process-token")
    #expect(credentials.expiration == UTCTime(iso8601: "2099-01-01T00:00:00Z"))
    let failing = try AWSClient(profile: "failing", region: "us-east-1", endpointURL: nil, environment: ["PATH": "/usr/bin:/bin"], homeDirectory: home.path)
    do {
      _ = try await failing.credentials()
      Issue.record("expected the process to fail")
    } catch {
      #expect(error.code == "Credentials")
      #expect(error.message == "profile `failing`: credential_process `\(script)` exited with status 3: bad arguments: wrong")
    }
  }

  /// An `sso_session` profile: the token cached under SHA-1 of the session name, exchanged by the SSO portal's
  /// GetRoleCredentials (unsigned, the token in `x-amz-sso_bearer_token`).
  @Test func ssoSessionThroughTheCachedToken() async throws {
    let server = try TestHTTPServer([
      .json(200, #"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-token","expiration":4070908800000}}"#),
    ])
    defer { server.stop() }
    let home = TemporaryHome()
    home.config("""
      [profile admin]
      sso_session = corp
      sso_account_id = 111122223333
      sso_role_name = AdministratorAccess
      [sso-session corp]
      sso_start_url = https://corp.awsapps.com/start
      sso_region = eu-central-1
      sso_registration_scopes = sso:account:access
      """)
    home.write(".aws/sso/cache/\(SHA1.hex(Array("corp".utf8))).json",
               #"{"startUrl": "https://corp.awsapps.com/start", "region": "eu-central-1", "accessToken": "sso-access-token-never-printed", "expiresAt": "2099-01-01T00:00:00Z"}"#)
    let aws = try client(server, home: home, environment: [:], profile: "admin")
    let credentials = try await aws.credentials()
    #expect(credentials.accessKeyId == "ASIASSO")
    #expect(credentials.expiration == UTCTime(iso8601: "2099-01-01T00:00:00Z"))
    let request = server.requests[0]
    #expect(request.method == "GET")
    #expect(request.path == "/federation/credentials")
    #expect(request.query == "account_id=111122223333&role_name=AdministratorAccess")
    #expect(request.headers["x-amz-sso_bearer_token"] == "sso-access-token-never-printed")
    #expect(request.headers["authorization"] == nil)
  }

  /// A legacy SSO profile: the token cached under SHA-1 of the start URL; expired or missing tokens ask for
  /// `aws sso login --profile NAME`.
  @Test func legacySSOProfilesAndExpiredOrMissingTokens() async throws {
    let home = TemporaryHome()
    home.config("""
      [profile legacy]
      sso_start_url = https://old.awsapps.com/start
      sso_region = us-east-1
      sso_account_id = 111122223333
      sso_role_name = ReadOnly
      [profile missing]
      sso_session = nowhere
      sso_account_id = 1
      sso_role_name = R
      [profile partial]
      sso_start_url = https://old.awsapps.com/start
      sso_role_name = R
      """)
    guard case .sso(let settings) = try CredentialTests.resolve(home, profile: "legacy") else {
      Issue.record("expected SSO")
      return
    }
    #expect(settings.cacheFile == home.path + "/.aws/sso/cache/" + SHA1.hex(Array("https://old.awsapps.com/start".utf8)) + ".json")
    let now = UTCTime(iso8601: "2024-06-01T12:00:00Z")!
    #expect(throws: AWSError.self) { try SSOCredentials.readToken(settings, now: now) }
    do {
      _ = try SSOCredentials.readToken(settings, now: now)
    } catch {
      #expect(error.message.contains("no cached IAM Identity Center token for the start URL https://old.awsapps.com/start"))
      #expect(error.message.hasSuffix("run `aws sso login --profile legacy`"))
    }
    home.write(".aws/sso/cache/\(SHA1.hex(Array("https://old.awsapps.com/start".utf8))).json",
               #"{"accessToken": "old-token", "expiresAt": "2024-06-01T11:00:00UTC"}"#)
    do {
      _ = try SSOCredentials.readToken(settings, now: now)
      Issue.record("expected the expired token to be refused")
    } catch {
      #expect(error.message == "profile `legacy`: the IAM Identity Center token for the start URL https://old.awsapps.com/start expired at 2024-06-01T11:00:00Z: run `aws sso login --profile legacy`")
    }
    #expect(try SSOCredentials.readToken(settings, now: UTCTime(iso8601: "2024-06-01T10:00:00Z")!).accessToken == "old-token")
    do {
      _ = try CredentialTests.resolve(home, profile: "missing")
    } catch {
      #expect(error.message.contains("has `sso_session = nowhere`, but") && error.message.contains("no [sso-session nowhere] section"))
    }
    do {
      _ = try CredentialTests.resolve(home, profile: "partial")
    } catch {
      #expect(error.message.hasSuffix("lacks sso_region, sso_account_id in \(home.path)/.aws/config"))
    }
  }

  @Test func iniFilesAndCommandLines() throws {
    let file = try INIFile.parse("# top\n[default]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = 10\n; other\n[profile x]\nKEY: Value with = sign\n")
    #expect(file.sections.map(\.name) == ["default", "profile x"])
    #expect(file.sections[0].values["s3"] == "\nmax_concurrent_requests = 10")
    #expect(file.sections[1].values["key"] == "Value with = sign")
    #expect(throws: INIFile.ParseError.self) { try INIFile.parse("[a]\nx = 1\n[a]\n") }
    #expect(ShellWords.split(#"/bin/tool --name 'a b' "c \"d\"" e\ f"#) == ["/bin/tool", "--name", "a b", #"c "d""#, "e f"])
  }
}
