/// When and how long to wait before trying a call again: throttling, server errors and dropped connections are
/// retried with exponential backoff and full jitter (a random wait between 0 and `min(maxDelay, baseDelay × 2ⁿ)`
/// before the n-th retry), at most `maxAttempts` attempts in all.
public struct RetryPolicy: Sendable, Hashable {
  /// Attempts in all, the first included (at least 1).
  public var maxAttempts: Int
  /// The backoff's first ceiling, in seconds.
  public var baseDelay: Double
  /// The longest wait, in seconds.
  public var maxDelay: Double

  public init(maxAttempts: Int = 8, baseDelay: Double = 0.25, maxDelay: Double = 20) {
    self.maxAttempts = max(1, maxAttempts)
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
  }

  /// The wait before retry number `retry` (from 1), for a random `unit` in [0, 1).
  public func delay(beforeRetry retry: Int, unit: Double) -> Double {
    let ceiling = min(maxDelay, baseDelay * Double(1 << min(max(retry - 1, 0), 30)))
    return unit * ceiling
  }

  /// The error codes botocore's standard retry mode treats as throttling, and those it treats as transient.
  public static let throttlingCodes: Set<String> = [
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
    "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
    "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException",
  ]
  public static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "IDPCommunicationError"]

  /// Whether an AWS error is worth another attempt: throttling or transient codes, HTTP 429, 500, 502, 503 and
  /// 504. (Transport failures are retried unless they cannot pass: a bad URL, a refused certificate.)
  public static func isRetryable(_ error: AWSError) -> Bool {
    if throttlingCodes.contains(error.code) || transientCodes.contains(error.code) { return true }
    if let status = error.status, [429, 500, 502, 503, 504].contains(status) { return true }
    return false
  }
}
