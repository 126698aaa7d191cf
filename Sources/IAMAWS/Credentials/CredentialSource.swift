/// Where credentials come from, as resolved from the environment and the shared files before anything is
/// fetched. Holds no secret in text: fixed keys are ``AWSCredentials``, which redact themselves.
indirect enum CredentialSource: Sendable, CustomStringConvertible {
  /// Keys given as they are: the environment, or a profile's `aws_access_key_id` and `aws_secret_access_key`.
  case fixed(AWSCredentials)
  /// `role_arn` assumed with the credentials of `source` (`source_profile`, `credential_source = Environment`,
  /// or the caller's own credentials for ``AWSClient/assuming(_:_:)``).
  case assumeRole(AssumeRoleSettings, source: CredentialSource)
  /// `credential_process`: a command whose standard output is the credentials as JSON.
  case process(ProcessSettings)
  /// IAM Identity Center: the token `aws sso login` cached, exchanged for role credentials by the SSO portal.
  case sso(SSOSettings)
  /// Another client's credentials (``AWSClient/assuming(_:_:)`` assumes roles with its caller's).
  case shared(CredentialCache)

  var description: String {
    switch self {
    case .fixed(let credentials): credentials.source
    case .assumeRole(let settings, let source): "role \(settings.roleArn) assumed with \(source)"
    case .process(let settings): "credential_process of profile \(settings.profile)"
    case .sso(let settings): "IAM Identity Center (profile \(settings.profile), account \(settings.accountId), role \(settings.roleName))"
    case .shared: "the caller's credentials"
    }
  }
}

/// A profile's `role_arn` and the settings that go with it.
struct AssumeRoleSettings: Sendable, Hashable {
  /// The profile that names the role, for messages (empty for ``AWSClient/assuming(_:_:)``).
  var profile: String
  var roleArn: String
  var sessionName: String
  var externalId: String?
  var durationSeconds: Int?
}

/// A profile's `credential_process`. Its mirror shows the program and the profile only: the arguments may hold
/// a secret, and the environment holds the process's.
struct ProcessSettings: Sendable, Hashable, CustomReflectable {
  var profile: String
  /// The command line, split as the AWS CLI splits it (`shlex.split`).
  var arguments: [String]
  /// The environment the command runs with.
  var environment: [String: String]

  var customMirror: Mirror { Mirror(self, children: ["profile": profile, "program": arguments.first ?? ""], displayStyle: .struct) }
}

/// A profile's IAM Identity Center settings, from the profile and its `[sso-session NAME]` section (or the
/// legacy `sso_start_url` and `sso_region` in the profile itself).
struct SSOSettings: Sendable, Hashable {
  var profile: String
  /// `sso_session`, or `nil` for a legacy profile.
  var session: String?
  var startURL: String
  var region: String
  var accountId: String
  var roleName: String
  /// The token cache file: `~/.aws/sso/cache/` and the SHA-1 of the session name (or, for a legacy profile, of
  /// the start URL), as the AWS CLI names it.
  var cacheFile: String
}
