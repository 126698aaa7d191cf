import Foundation

/// The calls made and the retries they needed, shared by a client and the clients it made
/// (``AWSClient/assuming(_:_:)``); read from any thread.
final class CallCounters: @unchecked Sendable {
  private let lock = NSLock()
  private var calls = 0
  private var retries = 0
  private var inFlight = 0
  private var peak = 0

  func call() { lock.withLock { calls += 1 } }
  func retry() { lock.withLock { retries += 1 } }
  func started() { lock.withLock { inFlight += 1; peak = max(peak, inFlight) } }
  func finished() { lock.withLock { inFlight -= 1 } }

  var snapshot: (calls: Int, retries: Int, peakInFlight: Int) { lock.withLock { (calls, retries, peak) } }
}
