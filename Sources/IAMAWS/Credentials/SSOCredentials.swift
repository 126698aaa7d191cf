import Foundation
import IAMPolicy

/// IAM Identity Center credentials as the AWS CLI gets them: the access token `aws sso login` cached in
/// `~/.aws/sso/cache/`, given to the SSO portal's `GetRoleCredentials` (rest-json, unsigned) for the profile's
/// account and role. An expired or refused token asks for `aws sso login`; the token is never shown.
enum SSOCredentials {
  /// A cached token: the access token (secret) and when it expires.
  struct Token: Sendable, CustomStringConvertible, CustomReflectable {
    var accessToken: String
    var expiresAt: UTCTime
    var description: String { "SSO token(accessToken: <redacted>, expiresAt: \(expiresAt))" }
    var customMirror: Mirror { Mirror(self, children: ["accessToken": "<redacted>", "expiresAt": expiresAt.description], displayStyle: .struct) }
  }

  static func fetch(_ settings: SSOSettings, engine: AWSEngine) async throws(AWSError) -> AWSCredentials {
    let token = try readToken(settings, now: engine.clock())
    let input = JSONOutput.object([
      ("roleName", .string(settings.roleName)), ("accountId", .string(settings.accountId)), ("accessToken", .string(token.accessToken)),
    ])
    let output: JSONValue
    do {
      output = try await engine.perform(AWSOperation.getRoleCredentials, input: input, region: settings.region, credentials: nil,
                                        limited: false)
    } catch {
      let hint: String
      switch error.code {
      case "UnauthorizedException": hint = "the SSO portal refused the cached token: run `aws sso login --profile \(settings.profile)`"
      case "ForbiddenException", "ResourceNotFoundException":
        hint = "the SSO portal gives no role \(settings.roleName) in account \(settings.accountId) to this user (\(error.code))"
      default: hint = "the SSO portal's GetRoleCredentials failed: \(error.code): \(error.message)"
      }
      throw AWSError(code: error.code == "UnauthorizedException" ? "Credentials" : error.code,
                     message: "profile `\(settings.profile)`: \(hint)", status: error.status, operation: "GetRoleCredentials")
    }
    let values = output["roleCredentials"]
    guard let key = values?["accessKeyId"]?.stringValue, let secret = values?["secretAccessKey"]?.stringValue else {
      throw AWSError.credentials("profile `\(settings.profile)`: the SSO portal answered without role credentials")
    }
    var expiration: UTCTime?
    if case .number(let text)? = values?["expiration"]?.kind, let milliseconds = Double(text) {
      expiration = UTCTime(secondsSince1970: milliseconds / 1000)
    }
    return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: values?["sessionToken"]?.stringValue,
                          expiration: expiration, source: "IAM Identity Center (profile \(settings.profile))")
  }

  /// Reads and checks the cached token.
  static func readToken(_ settings: SSOSettings, now: UTCTime) throws(AWSError) -> Token {
    let login = "run `aws sso login --profile \(settings.profile)`"
    let what = settings.session.map { "the SSO session `\($0)`" } ?? "the start URL \(settings.startURL)"
    guard let data = FileManager.default.contents(atPath: settings.cacheFile) else {
      throw AWSError.credentials("profile `\(settings.profile)`: no cached IAM Identity Center token for \(what) (\(settings.cacheFile)): \(login)")
    }
    guard let json = try? JSONReader().read(Array(data)), json.members != nil else {
      throw AWSError.credentials("profile `\(settings.profile)`: the cached token \(settings.cacheFile) is not JSON: \(login)")
    }
    guard let accessToken = json["accessToken"]?.stringValue, !accessToken.isEmpty else {
      throw AWSError.credentials("profile `\(settings.profile)`: the cached token \(settings.cacheFile) has no accessToken: \(login)")
    }
    guard let text = json["expiresAt"]?.stringValue, let expiresAt = UTCTime(iso8601: text) else {
      throw AWSError.credentials("profile `\(settings.profile)`: the cached token \(settings.cacheFile) has no readable expiresAt: \(login)")
    }
    guard expiresAt > now else {
      throw AWSError.credentials("profile `\(settings.profile)`: the IAM Identity Center token for \(what) expired at \(expiresAt): \(login)")
    }
    return Token(accessToken: accessToken, expiresAt: expiresAt)
  }
}
