/// At most `limit` calls in flight: callers wait, first come first served, for a free slot.
actor CallLimiter {
  private let limit: Int
  private var inFlight = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) { self.limit = max(1, limit) }

  func acquire() async {
    if inFlight < limit {
      inFlight += 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  /// Frees a slot, handing it straight to the first waiter.
  func release() {
    if waiting.isEmpty {
      inFlight -= 1
    } else {
      waiting.removeFirst().resume()
    }
  }
}
