/// Where a collection stands: what the progress line shows.
public struct CollectProgress: Sendable, Hashable {
  /// API calls made so far (pages count one each; the client's retries do not).
  public var calls = 0
  /// Accounts whose IAM step is done (collected, or marked not collected).
  public var accountsDone = 0
  /// Accounts of the organization, once `ListAccounts` has answered.
  public var accounts: Int?
  /// Requests the client retried after throttling, a 5xx or a dropped connection.
  public var retries = 0

  /// Creates a progress value.
  public init(calls: Int = 0, accountsDone: Int = 0, accounts: Int? = nil, retries: Int = 0) {
    self.calls = calls
    self.accountsDone = accountsDone
    self.accounts = accounts
    self.retries = retries
  }

  /// `1234 calls, accounts 12/1000, 3 throttled retries`.
  public var line: String {
    "\(calls) call\(calls == 1 ? "" : "s"), accounts \(accountsDone)/\(accounts.map(String.init) ?? "?"), "
      + "\(retries) throttled retr\(retries == 1 ? "y" : "ies")"
  }
}

/// Counts the calls by IAM action, and the accounts done, and reports each change.
actor CallLog {
  private(set) var counts: [String: Int] = [:]
  private(set) var progress = CollectProgress()
  private let report: @Sendable (CollectProgress) -> Void
  private let retries: @Sendable () -> Int

  init(retries: @escaping @Sendable () -> Int, report: @escaping @Sendable (CollectProgress) -> Void) {
    self.retries = retries
    self.report = report
  }

  func called(_ action: String) {
    counts[action, default: 0] += 1
    progress.calls += 1
    publish()
  }

  func accounts(_ count: Int) {
    progress.accounts = count
    publish()
  }

  func accountDone() {
    progress.accountsDone += 1
    publish()
  }

  private func publish() {
    progress.retries = retries()
    report(progress)
  }
}

/// At most `width` calls in flight, served in the order they asked.
actor CallLimiter {
  private var free: Int
  /// Waiting callers; those before `head` have been served (a queue without O(n) removals).
  private var waiting: [CheckedContinuation<Void, Never>] = []
  private var head = 0

  init(width: Int) { free = max(1, width) }

  func acquire() async {
    if free > 0 {
      free -= 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  func release() {
    guard head < waiting.count else {
      free += 1
      return
    }
    let next = waiting[head]
    head += 1
    if head >= 1024, head * 2 >= waiting.count {
      waiting.removeFirst(head)
      head = 0
    }
    next.resume()
  }
}
