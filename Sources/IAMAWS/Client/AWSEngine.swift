import IAMPolicy

/// Something that gives credentials to sign with, fetching or refreshing them when needed.
protocol CredentialSupplier: Sendable {
  /// The credentials; `refresh` asks for new ones (AWS said the current ones expired).
  func credentials(refresh: Bool) async throws(AWSError) -> AWSCredentials
  /// Whether new credentials can be had (temporary ones from a role, SSO or a process).
  var isRefreshable: Bool { get }
}

/// Fixed credentials.
struct FixedCredentials: CredentialSupplier {
  var value: AWSCredentials
  func credentials(refresh: Bool) async throws(AWSError) -> AWSCredentials { value }
  var isRefreshable: Bool { false }
}

/// What a client and the clients made from it share: the endpoint override, the transport, the retry policy, the
/// limit on calls in flight, the counters, and the clock, sleep and randomness (injected by tests).
final class AWSEngine: Sendable {
  let endpointURL: String?
  let transport: any HTTPTransport
  let retry: RetryPolicy
  let limiter: CallLimiter
  let counters = CallCounters()
  let clock: @Sendable () -> UTCTime
  let sleep: @Sendable (Double) async -> Void
  let random: @Sendable () -> Double

  init(endpointURL: String?, transport: any HTTPTransport, retry: RetryPolicy, concurrency: Int,
       clock: @escaping @Sendable () -> UTCTime = { .now },
       sleep: @escaping @Sendable (Double) async -> Void = { seconds in try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9)) },
       random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
    self.endpointURL = endpointURL
    self.transport = transport
    self.retry = retry
    limiter = CallLimiter(limit: concurrency)
    self.clock = clock
    self.sleep = sleep
    self.random = random
  }

  /// Calls an operation: encodes, signs and sends it, retries what may pass, decodes the output.
  ///
  /// - Parameters:
  ///   - credentials: what signs the request; `nil` only for unsigned operations.
  ///   - limited: whether the call takes a slot of the limit on calls in flight (the calls that fetch
  ///     credentials do not, so that calls waiting for credentials cannot starve them).
  func perform(_ operation: AWSOperation, input: JSONOutput, region: String, credentials: (any CredentialSupplier)?,
               limited: Bool = true) async throws(AWSError) -> JSONValue {
    let wire = try WireRequest.encode(operation, input: input)
    var endpoint: Endpoint
    do {
      endpoint = try Endpoint.resolve(operation.service, region: region, override: endpointURL)
    } catch {
      throw AWSError(code: error.code, message: error.message, operation: operation.name)
    }
    if limited { await limiter.acquire() }
    counters.call()
    counters.started()
    let outcome = await attempts(wire, endpoint: endpoint, operation: operation, credentials: credentials)
    counters.finished()
    if limited { await limiter.release() }
    return try outcome.get()
  }

  /// The attempts of one call: a retryable failure is tried again after the backoff, while attempts remain; an
  /// expired-token answer gets refreshed credentials once, at once.
  private func attempts(_ wire: WireRequest, endpoint: Endpoint, operation: AWSOperation, credentials: (any CredentialSupplier)?)
    async -> Result<JSONValue, AWSError>
  {
    var refreshed = false
    var refreshNow = false
    var attempt = 1
    while true {
      var signing: AWSCredentials?
      if operation.isSigned {
        guard let credentials else {
          return .failure(AWSError.credentials("no credentials to sign \(operation.service.signingName):\(operation.name) with",
                                               operation: operation.name))
        }
        do {
          signing = try await credentials.credentials(refresh: refreshNow)
        } catch {
          return .failure(AWSError(code: error.code, message: error.message, status: error.status, operation: operation.name))
        }
      }
      refreshNow = false
      let failure: AWSError
      let retryable: Bool
      switch await send(wire, endpoint: endpoint, operation: operation, credentials: signing) {
      case .success(let output): return .success(output)
      case .failure(let error, let mayPass):
        failure = error
        retryable = mayPass
      }
      guard attempt < retry.maxAttempts else { return .failure(failure) }
      if ["ExpiredToken", "ExpiredTokenException", "RequestExpired"].contains(failure.code), let credentials, credentials.isRefreshable,
        !refreshed
      {
        refreshed = true
        refreshNow = true
      } else if retryable {
        await sleep(retry.delay(beforeRetry: attempt, unit: random()))
      } else {
        return .failure(failure)
      }
      counters.retry()
      attempt += 1
    }
  }

  /// The outcome of one attempt: the output, or the error and whether another attempt may pass.
  private enum Attempt {
    case success(JSONValue)
    case failure(AWSError, retryable: Bool)
  }

  /// One attempt.
  private func send(_ wire: WireRequest, endpoint: Endpoint, operation: AWSOperation, credentials: AWSCredentials?) async -> Attempt {
    let path = endpoint.basePath + wire.path
    var headers = [SigV4Request.Header("Host", endpoint.hostHeader)] + wire.headers
    if let credentials {
      let request = SigV4Request(method: wire.method, path: path, query: wire.query, headers: headers, body: wire.body)
      headers = SigV4.sign(request, credentials: credentials, region: endpoint.signingRegion, service: operation.service.signingName,
                           date: clock())
    }
    headers.append(.init("User-Agent", "iamsim"))
    let url = "\(endpoint)\(wire.path)" + (wire.query.isEmpty ? "" : "?" + wire.query)
    let response: WireResponse
    do {
      response = try await transport.send(method: wire.method, url: url, headers: headers, body: wire.body)
    } catch {
      return .failure(AWSError(code: "Transport", message: "\(endpoint.scheme)://\(endpoint.hostHeader): \(error.message)",
                               operation: operation.name), retryable: error.isRetryable)
    }
    do {
      return .success(try response.decode(operation))
    } catch {
      return .failure(error, retryable: RetryPolicy.isRetryable(error))
    }
  }
}
