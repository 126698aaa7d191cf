import IAMPolicy

/// Fetches credentials from a ``CredentialSource`` and keeps them until five minutes before they expire; callers
/// that ask while a fetch is under way wait for that one fetch.
actor CredentialCache: CredentialSupplier {
  /// How long before their expiration temporary credentials are replaced, in seconds.
  static let refreshMargin = 300.0

  nonisolated let source: CredentialSource
  private let engine: AWSEngine
  /// The region of the STS calls that assume roles.
  private let region: String
  private var cached: AWSCredentials?
  private var pending: Task<Result<AWSCredentials, AWSError>, Never>?

  init(source: CredentialSource, engine: AWSEngine, region: String, cached: AWSCredentials? = nil) {
    self.source = source
    self.engine = engine
    self.region = region
    self.cached = cached
  }

  nonisolated var isRefreshable: Bool {
    if case .fixed = source { return false }
    return true
  }

  func credentials(refresh: Bool) async throws(AWSError) -> AWSCredentials {
    if !refresh, let cached, !cached.expires(within: CredentialCache.refreshMargin, of: engine.clock()) { return cached }
    if let pending { return try await pending.value.get() }
    let (source, engine, region) = (self.source, self.engine, self.region)
    let task = Task { () async -> Result<AWSCredentials, AWSError> in
      do throws(AWSError) {
        return .success(try await CredentialFetch.fetch(source, engine: engine, region: region))
      } catch {
        return .failure(error)
      }
    }
    pending = task
    let result = await task.value
    pending = nil
    if case .success(let credentials) = result { cached = credentials }
    return try result.get()
  }
}

/// Fetching credentials from each kind of source.
enum CredentialFetch {
  static func fetch(_ source: CredentialSource, engine: AWSEngine, region: String) async throws(AWSError) -> AWSCredentials {
    switch source {
    case .fixed(let credentials): return credentials
    case .shared(let cache): return try await cache.credentials(refresh: false)
    case .assumeRole(let settings, let inner):
      let sourceCredentials = try await fetch(inner, engine: engine, region: region)
      return try await assumeRole(settings, with: sourceCredentials, engine: engine, region: region)
    case .process(let settings): return try await CredentialProcess.run(settings)
    case .sso(let settings): return try await SSOCredentials.fetch(settings, engine: engine)
    }
  }

  /// `sts:AssumeRole` signed with `credentials`.
  static func assumeRole(_ settings: AssumeRoleSettings, with credentials: AWSCredentials, engine: AWSEngine, region: String)
    async throws(AWSError) -> AWSCredentials
  {
    var input: [(String, JSONOutput)] = [("RoleArn", .string(settings.roleArn)), ("RoleSessionName", .string(settings.sessionName))]
    if let externalId = settings.externalId { input.append(("ExternalId", .string(externalId))) }
    if let duration = settings.durationSeconds { input.append(("DurationSeconds", .int(duration))) }
    let context = settings.profile.isEmpty ? "" : "profile `\(settings.profile)`: "
    let output: JSONValue
    do {
      output = try await engine.perform(AWSOperation.assumeRole, input: .object(input), region: region,
                                        credentials: FixedCredentials(value: credentials), limited: false)
    } catch {
      throw AWSError(code: error.code, message: "\(context)sts:AssumeRole of \(settings.roleArn) failed: \(error.message)",
                     status: error.status, operation: "AssumeRole")
    }
    let values = output["Credentials"]
    guard let key = values?["AccessKeyId"]?.stringValue, let secret = values?["SecretAccessKey"]?.stringValue,
      let token = values?["SessionToken"]?.stringValue
    else {
      throw AWSError(code: "InvalidResponse", message: "\(context)sts:AssumeRole of \(settings.roleArn) answered without credentials",
                     operation: "AssumeRole")
    }
    let expiration = values?["Expiration"]?.stringValue.flatMap { UTCTime(iso8601: $0) }
    return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token, expiration: expiration,
                          source: "role \(settings.roleArn)")
  }
}
