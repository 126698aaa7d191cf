import Foundation
import IAMPolicy
import Testing

@testable import IAMAWS

/// Retries against a local server that throttles, fails and drops connections before it answers.
@Suite struct RetryTests {
  /// 400 ThrottlingException, 429, 503 and a dropped connection are each retried; the fifth attempt succeeds, and
  /// the counters say one call and four retries. Every attempt is signed for Organizations' global endpoint.
  @Test func throttlingServerErrorsAndADroppedConnectionAreRetried() async throws {
    let server = try TestHTTPServer([
      .json(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#),
      .json(429, #"{"message":"Too Many Requests"}"#),
      .json(503, ""),
      .drop,
      .json(200, #"{"Roots":[{"Id":"r-abcd","Name":"Root"}]}"#),
    ])
    defer { server.stop() }
    let aws = try client(server)
    let output = try await aws.call(listRoots, input: .object([]), region: "eu-west-1")
    #expect(output["Roots"]?.elements?.first?["Id"]?.stringValue == "r-abcd")
    #expect(aws.calls == 1)
    #expect(aws.retries == 4)
    let requests = server.requests
    #expect(requests.count == 5)
    for request in requests {
      #expect(request.method == "POST")
      #expect(request.headers["x-amz-target"] == "AWSOrganizationsV20161128.ListRoots")
      #expect(request.headers["content-type"] == "application/x-amz-json-1.1")
      #expect(request.headers["authorization"]?.hasPrefix(
        "AWS4-HMAC-SHA256 Credential=\(TestKeys.accessKeyId)/") == true)
      #expect(request.headers["authorization"]?.contains("/us-east-1/organizations/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,") == true)
      #expect(request.headers["x-amz-security-token"] == TestKeys.token)
      #expect(request.headers["host"] == "127.0.0.1:\(server.port)")
      #expect(request.body == "{}")
    }
  }

  /// When the attempts run out, the last error is thrown, with its status.
  @Test func theLastErrorAfterTheAttempts() async throws {
    let server = try TestHTTPServer([.json(503, #"{"__type":"ServiceUnavailableException","message":"busy"}"#)])
    defer { server.stop() }
    let aws = try client(server, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.002))
    await #expect(throws: AWSError(code: "ServiceUnavailableException", message: "busy", status: 503, operation: "ListRoots")) {
      try await aws.call(listRoots, input: .object([]), region: "eu-west-1")
    }
    #expect(server.requests.count == 3)
    #expect(aws.retries == 2)
  }

  /// Access denied is not retried.
  @Test func anAccessDeniedIsNotRetried() async throws {
    let server = try TestHTTPServer([.json(400, #"{"__type":"AccessDeniedException","Message":"You don't have permissions"}"#)])
    defer { server.stop() }
    let aws = try client(server)
    await #expect(throws: AWSError.self) { try await aws.call(listRoots, input: .object([]), region: "eu-west-1") }
    #expect(server.requests.count == 1)
    #expect(aws.retries == 0)
  }

  /// A connection refused (nothing listens) is a transport error, retried, then thrown as `Transport`.
  @Test func nothingListening() async throws {
    let server = try TestHTTPServer([.drop])
    server.stop()
    let aws = try client(server, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.001, maxDelay: 0.001))
    do {
      _ = try await aws.call(listRoots, input: .object([]), region: "eu-west-1")
      Issue.record("expected a transport error")
    } catch {
      #expect(error.code == "Transport")
      #expect(error.operation == "ListRoots")
      #expect(error.message.contains("127.0.0.1:\(server.port)"))
    }
    #expect(aws.retries == 1)
  }

  /// Full jitter: a random share of min(maxDelay, base × 2ⁿ⁻¹).
  @Test func backoffWithFullJitter() {
    let policy = RetryPolicy(maxAttempts: 8, baseDelay: 0.5, maxDelay: 20)
    #expect(policy.delay(beforeRetry: 1, unit: 0.5) == 0.25)
    #expect(policy.delay(beforeRetry: 3, unit: 1) == 2)
    #expect(policy.delay(beforeRetry: 10, unit: 0.5) == 10)
    #expect(policy.delay(beforeRetry: 3, unit: 0) == 0)
    #expect(RetryPolicy.isRetryable(AWSError(code: "Throttling", message: "", status: 400, operation: "x")))
    #expect(!RetryPolicy.isRetryable(AWSError(code: "Transport", message: "", operation: "x")))
    #expect(RetryPolicy.isRetryable(AWSError(code: "Whatever", message: "", status: 502, operation: "x")))
    #expect(!RetryPolicy.isRetryable(AWSError(code: "AccessDenied", message: "", status: 403, operation: "x")))
  }

  /// No more calls in flight than the limit, however many are started.
  @Test func boundedConcurrency() async throws {
    let server = try TestHTTPServer([.json(200, #"{"Roots":[]}"#)], delay: 0.05)
    defer { server.stop() }
    let aws = try client(server, concurrency: 2)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<6 { group.addTask { _ = try await aws.call(listRoots, input: .object([]), region: "eu-west-1") } }
      try await group.waitForAll()
    }
    #expect(server.requests.count == 6)
    #expect(aws.calls == 6)
    #expect(aws.peakCallsInFlight == 2)
    #expect(server.peakConnections <= 2)
  }
}
