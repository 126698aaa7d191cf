import IAMPolicy

/// The AWS client: calls AWS operations with credentials found as the AWS CLI finds them, signed with SigV4,
/// over HTTPS (`URLSession`), retrying throttling and transient failures, with a limit on calls in flight.
///
/// Outputs are the JSON the AWS CLI prints (`--output json`): `query` services' XML is converted by the
/// operation's botocore shape (``QueryShape``); `json` services' timestamps are printed as the CLI v2 prints them.
///
/// ```swift
/// let client = try AWSClient(profile: "audit", region: "eu-west-1", endpointURL: nil,
///                            environment: ProcessInfo.processInfo.environment, homeDirectory: NSHomeDirectory())
/// let me = try await client.call(.getCallerIdentity, input: .object([]), region: "eu-west-1")
/// let details = try await client.paginate(.getAccountAuthorizationDetails, region: "eu-west-1")
/// let member = try await client.assuming("arn:aws:iam::111122223333:role/Audit", "iamsim")
/// print(client.calls, client.retries)
/// ```
///
/// Clients made by ``assuming(_:_:)`` share this client's transport, limit on calls in flight and counters.
public final class AWSClient: AWSCaller, CustomStringConvertible, CustomReflectable {
  /// The region calls go to when none is given: `region`, else `AWS_REGION`, `AWS_DEFAULT_REGION`, the
  /// profile's `region`; `nil` when none of them says.
  public let region: String?
  /// The profile in use (`--profile`, else `AWS_PROFILE`, else `default`), even when the environment's keys
  /// were used.
  public let profile: String
  /// The endpoint URL every request goes to instead of AWS's (`endpointURL`, else `AWS_ENDPOINT_URL`, else the
  /// profile's `endpoint_url`), or `nil`.
  public let endpointURL: String?
  /// The retry policy (`maxAttempts` from `AWS_MAX_ATTEMPTS` or the profile's `max_attempts` unless given).
  public var retryPolicy: RetryPolicy { engine.retry }

  let engine: AWSEngine
  let credentialCache: CredentialCache

  /// Creates a client. Files are read now (a missing profile or setting is an error now); credentials are
  /// fetched at the first call.
  ///
  /// - Parameters:
  ///   - profile: `--profile`: the profile to use, ahead of the environment's keys; `nil` for the AWS CLI's
  ///     default order (the environment's keys, then `AWS_PROFILE` or `default`).
  ///   - region: `--region`.
  ///   - endpointURL: `--endpoint-url`: `http(s)://host[:port]` for every service (moto's server).
  ///   - environment: the environment to read (`AWS_*` variables, and the one `credential_process` runs with).
  ///   - homeDirectory: where `~/.aws` is.
  ///   - maxConcurrentCalls: the most calls in flight at once.
  ///   - retry: the retry policy; by default 8 attempts (or `AWS_MAX_ATTEMPTS`, or the profile's
  ///     `max_attempts`), backoff from 0.25 s up to 20 s.
  ///   - timeout: seconds a request may wait for data.
  /// - Throws: ``AWSError`` (`Credentials`, `InvalidEndpoint`) naming the profile or setting at fault.
  public convenience init(profile: String?, region: String?, endpointURL: String?, environment: [String: String],
                          homeDirectory: String, maxConcurrentCalls: Int = 8, retry: RetryPolicy? = nil, timeout: Double = 60)
    throws(AWSError)
  {
    try self.init(profile: profile, region: region, endpointURL: endpointURL, environment: environment, homeDirectory: homeDirectory,
                  maxConcurrentCalls: maxConcurrentCalls, retry: retry,
                  transport: URLSessionTransport(connections: maxConcurrentCalls, timeout: timeout))
  }

  init(profile: String?, region: String?, endpointURL: String?, environment: [String: String], homeDirectory: String,
       maxConcurrentCalls: Int, retry: RetryPolicy?, transport: any HTTPTransport,
       clock: @escaping @Sendable () -> UTCTime = { .now },
       sleep: (@Sendable (Double) async -> Void)? = nil, random: (@Sendable () -> Double)? = nil) throws(AWSError)
  {
    let resolver = try CredentialResolver(profile: profile, environment: environment, homeDirectory: homeDirectory)
    let settings = resolver.profileSettings ?? [:]
    let region = nonEmpty(region) ?? nonEmpty(environment["AWS_REGION"]) ?? nonEmpty(environment["AWS_DEFAULT_REGION"])
      ?? nonEmpty(settings["region"])
    let endpointURL = nonEmpty(endpointURL) ?? nonEmpty(environment["AWS_ENDPOINT_URL"]) ?? nonEmpty(settings["endpoint_url"])
    if let endpointURL { _ = try Endpoint.parse(endpointURL) }
    var policy = retry ?? RetryPolicy()
    if retry == nil, let text = nonEmpty(environment["AWS_MAX_ATTEMPTS"]) ?? nonEmpty(settings["max_attempts"]) {
      guard let attempts = Int(text), attempts >= 1 else {
        throw AWSError.credentials("max_attempts (AWS_MAX_ATTEMPTS or the profile's max_attempts) must be a number from 1", operation: "configuration")
      }
      policy.maxAttempts = attempts
    }
    let source = try resolver.resolve()
    let engine = AWSEngine(endpointURL: endpointURL, transport: transport, retry: policy, concurrency: maxConcurrentCalls, clock: clock,
                           sleep: sleep ?? { seconds in try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9)) },
                           random: random ?? { Double.random(in: 0..<1) })
    self.region = region
    self.profile = resolver.profileName
    self.endpointURL = endpointURL
    self.engine = engine
    credentialCache = CredentialCache(source: source, engine: engine, region: region ?? "us-east-1")
  }

  private init(sharing client: AWSClient, cache: CredentialCache) {
    region = client.region
    profile = client.profile
    endpointURL = client.endpointURL
    engine = client.engine
    credentialCache = cache
  }

  /// Calls made so far by this client and the clients made from it (each call once, however many attempts it
  /// took; the STS and SSO portal calls that fetch credentials included).
  public var calls: Int { engine.counters.snapshot.calls }
  /// Retries so far (throttling, server errors, dropped connections, expired credentials), across this client and
  /// the clients made from it: for a progress line.
  public var retries: Int { engine.counters.snapshot.retries }
  /// The most calls that were in flight at once.
  public var peakCallsInFlight: Int { engine.counters.snapshot.peakInFlight }

  /// Calls one operation (with retries) in `region`; for a global service (IAM, Organizations) the region only
  /// chooses the partition.
  ///
  /// - Parameter input: an object of the operation's input members, as the API Reference names them.
  /// - Returns: the output, as the AWS CLI prints it.
  /// - Throws: ``AWSError``: AWS's error code and message after the retries, `Transport` for a request that got no
  ///   response, `Credentials` when no credentials could be had.
  public func call(_ operation: AWSOperation, input: JSONOutput, region: String) async throws(AWSError) -> JSONValue {
    try await engine.perform(operation, input: input, region: region, credentials: credentialCache)
  }

  /// Calls one operation in the client's ``region``.
  ///
  /// - Throws: ``AWSError`` (`NoRegion`) when the client has no region and the service is not global.
  public func call(_ operation: AWSOperation, input: JSONOutput = .object([])) async throws(AWSError) -> JSONValue {
    try await call(operation, input: input, region: try defaultRegion(for: operation))
  }

  /// The output of every page of a paginated operation merged, in the client's ``region``.
  public func paginate(_ operation: AWSOperation, input: JSONOutput = .object([]), paginator: AWSPaginator? = nil)
    async throws(AWSError) -> JSONValue
  {
    try await paginate(operation, input: input, region: try defaultRegion(for: operation), paginator: paginator)
  }

  /// A client with the credentials of `roleArn`, assumed now with this client's credentials (`sts:AssumeRole`,
  /// with `sessionName`), and assumed again when they near their expiration. It shares this client's transport,
  /// limit and counters.
  ///
  /// - Throws: ``AWSError`` from `sts:AssumeRole` (`AccessDenied` when the role does not trust the caller, …),
  ///   with operation `AssumeRole`.
  public func assuming(_ roleArn: String, _ sessionName: String, externalId: String? = nil, durationSeconds: Int? = nil)
    async throws(AWSError) -> AWSClient
  {
    var settings = AssumeRoleSettings(profile: "", roleArn: roleArn, sessionName: sessionName)
    settings.externalId = externalId
    settings.durationSeconds = durationSeconds
    let cache = CredentialCache(source: .assumeRole(settings, source: .shared(credentialCache)), engine: engine, region: region ?? "us-east-1")
    _ = try await cache.credentials(refresh: false)
    return AWSClient(sharing: self, cache: cache)
  }

  /// The credentials calls are signed with, fetched now if they have not been (to check them early).
  public func credentials() async throws(AWSError) -> AWSCredentials {
    try await credentialCache.credentials(refresh: false)
  }

  /// Where the credentials come from, in words (no secret): `environment`, `profile dev (…/credentials)`,
  /// `role … assumed with …`, `IAM Identity Center (…)`, `credential_process of profile …`.
  public var credentialSource: String { credentialCache.source.description }

  /// The profile, region, endpoint and where the credentials come from; never a secret.
  public var description: String {
    "AWSClient(profile: \(profile), region: \(region ?? "none"), endpoint: \(endpointURL ?? "AWS"), credentials: \(credentialSource))"
  }

  public var customMirror: Mirror {
    Mirror(self, children: ["profile": profile, "region": region ?? "none", "endpointURL": endpointURL ?? "AWS",
                            "credentials": credentialSource, "calls": calls, "retries": retries], displayStyle: .class)
  }

  private func defaultRegion(for operation: AWSOperation) throws(AWSError) -> String {
    if let region { return region }
    if operation.service.isGlobal { return "us-east-1" }
    throw AWSError(code: "NoRegion", message: "no region: give --region, set AWS_REGION, or set region in the profile `\(profile)`",
                   operation: operation.name)
  }
}
