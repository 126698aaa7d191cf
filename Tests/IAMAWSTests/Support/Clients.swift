import Foundation

@testable import IAMAWS

/// Test keys; the secret and the token must never appear in any text the client produces.
enum TestKeys {
  static let accessKeyId = "AKIDTESTACCESSKEY"
  static let secret = "s3cr3t/TestSecretKeyNeverPrinted+Shown"
  static let token = "TestSessionTokenNeverPrinted//////ABCDEFG=="
  static let environment = ["AWS_ACCESS_KEY_ID": accessKeyId, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token]
}

/// A fast retry policy for the tests (waits of at most a few milliseconds).
let quickRetries = RetryPolicy(maxAttempts: 6, baseDelay: 0.001, maxDelay: 0.004)

/// A client with the test keys, talking to `server`.
func client(_ server: TestHTTPServer, home: TemporaryHome = TemporaryHome(), environment: [String: String] = TestKeys.environment,
            profile: String? = nil, retry: RetryPolicy = quickRetries, concurrency: Int = 4) throws -> AWSClient {
  try AWSClient(profile: profile, region: "eu-west-1", endpointURL: server.url, environment: environment, homeDirectory: home.path,
                maxConcurrentCalls: concurrency, retry: retry, timeout: 10)
}

let listRoots = AWSOperation(service: .organizations, name: "ListRoots")
