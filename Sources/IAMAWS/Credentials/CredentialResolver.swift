import IAMCompression
/// Finds where credentials come from, as the AWS CLI does (botocore's credential chain): the environment
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) unless a profile was named explicitly;
/// then the profile (`--profile`, else `AWS_PROFILE`, else `default`): `role_arn` with `source_profile` or
/// `credential_source = Environment`, IAM Identity Center (`sso_session` or the legacy `sso_start_url`), the
/// credentials file's keys, `credential_process`, the config file's keys.
///
/// It reads files only; nothing is fetched until credentials are needed. Instance, container and web identity
/// credentials are not read.
struct CredentialResolver: Sendable {
  /// `--profile`, when given: it takes precedence over the environment's keys.
  var explicitProfile: String?
  var environment: [String: String]
  var homeDirectory: String
  var config: SharedConfig

  init(profile: String?, environment: [String: String], homeDirectory: String) throws(AWSError) {
    explicitProfile = profile.flatMap { $0.isEmpty ? nil : $0 }
    self.environment = environment
    self.homeDirectory = homeDirectory
    config = try SharedConfig.load(environment: environment, homeDirectory: homeDirectory)
  }

  /// The profile in use: `--profile`, else `AWS_PROFILE` (or `AWS_DEFAULT_PROFILE`), else `default`.
  var profileName: String {
    explicitProfile ?? nonEmpty(environment["AWS_PROFILE"]) ?? nonEmpty(environment["AWS_DEFAULT_PROFILE"]) ?? "default"
  }

  /// Whether a profile was named (by `--profile` or the environment), so that its absence is an error.
  private var profileNamed: Bool {
    explicitProfile != nil || nonEmpty(environment["AWS_PROFILE"]) != nil || nonEmpty(environment["AWS_DEFAULT_PROFILE"]) != nil
  }

  /// The profile's settings (config file, then credentials file), or `nil` when neither file has it.
  var profileSettings: [String: String]? { config.profile(profileName) }

  /// Where the credentials come from.
  ///
  /// - Throws: ``AWSError`` (`Credentials`) naming the profile and what is missing or wrong.
  func resolve() throws(AWSError) -> CredentialSource {
    let name = profileName
    // A named profile must exist, even when the environment's keys are used (the AWS CLI refuses it too).
    if profileNamed, config.profile(name) == nil { throw notFound(name) }
    if explicitProfile == nil, let fromEnvironment = try environmentCredentials() {
      return .fixed(fromEnvironment)
    }
    guard config.profile(name) != nil else {
      throw AWSError.credentials(
        "no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile (--profile or AWS_PROFILE) "
          + "of \(config.configPath) or \(config.credentialsPath); instance, container and web identity credentials are not read")
    }
    return try source(ofProfile: name, visited: [])
  }

  /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN` or `AWS_SECURITY_TOKEN`), if set.
  func environmentCredentials() throws(AWSError) -> AWSCredentials? {
    let key = nonEmpty(environment["AWS_ACCESS_KEY_ID"])
    let secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"])
    switch (key, secret) {
    case (nil, nil): return nil
    case (.some, nil): throw AWSError.credentials("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
    case (nil, .some): throw AWSError.credentials("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
    case (let key?, let secret?):
      let token = nonEmpty(environment["AWS_SESSION_TOKEN"]) ?? nonEmpty(environment["AWS_SECURITY_TOKEN"])
      return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token, source: "environment")
    }
  }

  /// The source of one profile's credentials; `visited` holds the profiles already on the `source_profile` path.
  private func source(ofProfile name: String, visited: [String]) throws(AWSError) -> CredentialSource {
    guard let settings = config.profile(name) else {
      throw AWSError.credentials(
        "profile `\(visited.last ?? name)` has `source_profile = \(name)`, but there is no profile `\(name)` in \(config.configPath) or \(config.credentialsPath)")
    }
    if visited.contains(name) {
      throw AWSError.credentials("the profiles' source_profile settings loop: \((visited + [name]).joined(separator: " → "))")
    }
    // A role; but a source profile with keys of its own gives those keys, as botocore reads it.
    if let roleArn = nonEmpty(settings["role_arn"]), visited.isEmpty || !hasKeys(settings) {
      return try assumeRole(name, settings, roleArn: roleArn, visited: visited + [name])
    }
    if let sso = try ssoSettings(name, settings) { return .sso(sso) }
    if let keys = try keys(name, config.credentialsProfiles[name] ?? [:], file: config.credentialsPath) { return .fixed(keys) }
    if let command = nonEmpty(settings["credential_process"]) {
      let arguments = ShellWords.split(command)
      guard !arguments.isEmpty else { throw AWSError.credentials("profile `\(name)`: credential_process is empty") }
      return .process(ProcessSettings(profile: name, arguments: arguments, environment: environment))
    }
    if let keys = try keys(name, config.configProfiles[name] ?? [:], file: config.configPath) { return .fixed(keys) }
    if settings["web_identity_token_file"] != nil {
      throw AWSError.credentials("profile `\(name)`: web identity credentials (web_identity_token_file) are not supported")
    }
    throw AWSError.credentials(
      "profile `\(name)` has no credentials: it needs aws_access_key_id and aws_secret_access_key, role_arn with source_profile, "
        + "sso_session (or sso_start_url), or credential_process")
  }

  private func assumeRole(_ name: String, _ settings: [String: String], roleArn: String, visited: [String]) throws(AWSError)
    -> CredentialSource
  {
    if settings["mfa_serial"] != nil {
      throw AWSError.credentials("profile `\(name)`: roles that need an MFA code (mfa_serial) are not supported; use a profile without it")
    }
    var role = AssumeRoleSettings(profile: name, roleArn: roleArn, sessionName: nonEmpty(settings["role_session_name"]) ?? "iamsim")
    role.externalId = nonEmpty(settings["external_id"])
    if let text = nonEmpty(settings["duration_seconds"]) {
      guard let seconds = Int(text), seconds > 0 else {
        throw AWSError.credentials("profile `\(name)`: duration_seconds must be a number of seconds")
      }
      role.durationSeconds = seconds
    }
    let sourceProfile = nonEmpty(settings["source_profile"])
    let credentialSource = nonEmpty(settings["credential_source"])
    switch (sourceProfile, credentialSource) {
    case (nil, nil):
      throw AWSError.credentials("profile `\(name)` has role_arn but neither source_profile nor credential_source")
    case (.some, .some):
      throw AWSError.credentials("profile `\(name)` has both source_profile and credential_source; it must have one")
    case (let source?, nil):
      if source == name {
        let file = config.credentialsProfiles[name].map { _ in config.credentialsPath } ?? config.configPath
        guard let keys = try keys(name, settings, file: file) else {
          throw AWSError.credentials("profile `\(name)` is its own source_profile but has no aws_access_key_id and aws_secret_access_key")
        }
        return .assumeRole(role, source: .fixed(keys))
      }
      return .assumeRole(role, source: try self.source(ofProfile: source, visited: visited))
    case (nil, let kind?):
      guard kind == "Environment" else {
        throw AWSError.credentials("profile `\(name)`: credential_source = \(kind) is not supported (only Environment is)")
      }
      guard let keys = try environmentCredentials() else {
        throw AWSError.credentials("profile `\(name)` has credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
      }
      return .assumeRole(role, source: .fixed(keys))
    }
  }

  private func ssoSettings(_ name: String, _ settings: [String: String]) throws(AWSError) -> SSOSettings? {
    let session = nonEmpty(settings["sso_session"])
    guard session != nil || settings["sso_start_url"] != nil || settings["sso_account_id"] != nil || settings["sso_role_name"] != nil
    else { return nil }
    var missing: [String] = []
    var startURL = ""
    var region = ""
    let cacheKey: String
    if let session {
      guard let sessionSettings = config.ssoSessions[session] else {
        throw AWSError.credentials("profile `\(name)` has `sso_session = \(session)`, but \(config.configPath) has no [sso-session \(session)] section")
      }
      startURL = nonEmpty(sessionSettings["sso_start_url"]) ?? ""
      region = nonEmpty(sessionSettings["sso_region"]) ?? ""
      if startURL.isEmpty { missing.append("sso_start_url (in [sso-session \(session)])") }
      if region.isEmpty { missing.append("sso_region (in [sso-session \(session)])") }
      cacheKey = session
    } else {
      startURL = nonEmpty(settings["sso_start_url"]) ?? ""
      region = nonEmpty(settings["sso_region"]) ?? ""
      if startURL.isEmpty { missing.append("sso_start_url (or sso_session)") }
      if region.isEmpty { missing.append("sso_region") }
      cacheKey = startURL
    }
    let accountId = nonEmpty(settings["sso_account_id"]) ?? ""
    let roleName = nonEmpty(settings["sso_role_name"]) ?? ""
    if accountId.isEmpty { missing.append("sso_account_id") }
    if roleName.isEmpty { missing.append("sso_role_name") }
    guard missing.isEmpty else {
      throw AWSError.credentials("profile `\(name)` uses IAM Identity Center but lacks \(missing.joined(separator: ", ")) in \(config.configPath)")
    }
    let cacheFile = SharedConfig.expand("~/.aws/sso/cache/", home: homeDirectory) + SHA1.hex(Array(cacheKey.utf8)) + ".json"
    return SSOSettings(profile: name, session: session, startURL: startURL, region: region, accountId: accountId,
                       roleName: roleName, cacheFile: cacheFile)
  }

  private func hasKeys(_ settings: [String: String]) -> Bool {
    nonEmpty(settings["aws_access_key_id"]) != nil && nonEmpty(settings["aws_secret_access_key"]) != nil
  }

  /// A profile's keys in one file, if it has them; one without the other is an error.
  private func keys(_ name: String, _ settings: [String: String], file: String) throws(AWSError) -> AWSCredentials? {
    let key = nonEmpty(settings["aws_access_key_id"])
    let secret = nonEmpty(settings["aws_secret_access_key"])
    switch (key, secret) {
    case (nil, nil): return nil
    case (.some, nil): throw AWSError.credentials("profile `\(name)` has aws_access_key_id but no aws_secret_access_key in \(file)")
    case (nil, .some): throw AWSError.credentials("profile `\(name)` has aws_secret_access_key but no aws_access_key_id in \(file)")
    case (let key?, let secret?):
      let token = nonEmpty(settings["aws_session_token"]) ?? nonEmpty(settings["aws_security_token"])
      return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token, source: "profile \(name) (\(file))")
    }
  }

  private func notFound(_ name: String) -> AWSError {
    var message = "the profile `\(name)` is in neither \(config.configPath) nor \(config.credentialsPath)"
    if config.unprefixedSections.contains(name) {
      message += " (the config file has a [\(name)] section: profiles there are named [profile \(name)])"
    }
    return AWSError.credentials(message)
  }
}

func nonEmpty(_ text: String?) -> String? {
  guard let text, !text.isEmpty else { return nil }
  return text
}
