import IAMAWS
import IAMPolicy

/// One collection in progress: the calls, through the limiter and the log, and the outputs gathered.
final class CollectRun: Sendable {
  let access: AWSAccess
  let options: CollectOptions
  let log: CallLog
  let limiter: CallLimiter
  let store = ExportStore()

  init(access: AWSAccess, options: CollectOptions, progress: @escaping @Sendable (CollectProgress) -> Void) {
    self.access = access
    self.options = options
    log = CallLog(retries: access.retries, report: progress)
    limiter = CallLimiter(width: options.concurrency)
  }

  /// Calls an operation and every page after the first (the page size the largest the API takes), each call in a
  /// free slot and counted.
  ///
  /// - Throws: ``CollectError`` carrying the ``AWSError`` when AWS refused a call after the client's retries.
  func fetch(_ operation: CollectOperation, _ input: [(String, JSONOutput)] = [], via caller: (any AWSCaller)? = nil,
             context: String? = nil) async throws(CollectError) -> Pages
  {
    let counted = CountedCaller(base: caller ?? access.caller, run: self)
    do {
      guard let paginator = operation.paginator else {
        return Pages(operation: operation, pages: [try await counted.call(operation.operation, input: .object(input), region: options.region)])
      }
      let pages = try await counted.pages(operation.operation, input: .object(input), region: options.region, paginator: paginator,
                                          pageSize: operation.pageSize)
      return Pages(operation: operation, pages: pages)
    } catch {
      throw CollectError.refused(error, operation, context: context)
    }
  }

  /// Runs one call in a free slot, and counts it (refused or not).
  func limited<Value: Sendable>(_ action: String, _ body: () async throws(AWSError) -> Value) async throws(AWSError) -> Value {
    await limiter.acquire()
    let result: Result<Value, AWSError>
    do {
      result = .success(try await body())
    } catch {
      result = .failure(error)
    }
    await limiter.release()
    await log.called(action)
    return try result.get()
  }

  /// Like ``fetch(_:_:via:context:)``, but `nil` when AWS answers `ResourceNotFoundException`: how SSO Admin says
  /// a permission set has no boundary or inline policy, or the instance no attributes for access control.
  func fetchIfFound(_ operation: CollectOperation, _ input: [(String, JSONOutput)]) async throws(CollectError) -> Pages? {
    do {
      return try await fetch(operation, input)
    } catch where error.aws?.code == "ResourceNotFoundException" {
      return nil
    }
  }

  /// Runs `body` for each item, at most ``CollectOptions/concurrency`` at once; the first error stops the rest.
  func each<Item: Sendable>(_ items: [Item], _ body: @escaping @Sendable (Item) async throws(CollectError) -> Void)
    async throws(CollectError)
  {
    do {
      try await withThrowingTaskGroup(of: Void.self) { group in
        var pending = items.makeIterator()
        for _ in 0..<max(1, options.concurrency) {
          guard let item = pending.next() else { break }
          group.addTask { try await body(item) }
        }
        while try await group.next() != nil {
          if let item = pending.next() { group.addTask { try await body(item) } }
        }
      }
    } catch let error as CollectError {
      throw error
    } catch {
      throw CollectError("collect stopped: \(error)")
    }
  }
}

/// A caller whose every call waits for a free slot of the run and is counted in its log.
struct CountedCaller: AWSCaller {
  let base: any AWSCaller
  let run: CollectRun

  func call(_ operation: AWSOperation, input: JSONOutput, region: String) async throws(AWSError) -> JSONValue {
    try await run.limited(operation.action) { () async throws(AWSError) -> JSONValue in
      try await base.call(operation, input: input, region: region)
    }
  }
}

/// The AWS CLI outputs gathered, by the file name the recipe gives them, and the accounts whose IAM was not read.
actor ExportStore {
  private(set) var files: [String: [UInt8]] = [:]
  /// Accounts whose IAM was not collected, with why.
  private(set) var notCollected: [String: String] = [:]
  /// What was left out on purpose, with why.
  private(set) var skipped: [(what: String, why: String)] = []

  /// Keeps an output as the AWS CLI prints it (`--output json`: indented, a newline at the end).
  func save(_ output: JSONOutput, as file: String) {
    files[file] = Array((output.rendered(pretty: true) + "\n").utf8)
  }

  func notCollected(_ account: String, because reason: String) { notCollected[account] = reason }

  func skip(_ what: String, because why: String) { skipped.append((what, why)) }
}
