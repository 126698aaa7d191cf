import Foundation
import IAMCatalog
import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// The compiled policies requests are decided with: one policy set, or an organization session's, whose RCP
/// levels depend on the account of each request's resource.
enum RequestAuthorizers: Sendable {
  case one(Authorizer)
  case session(SessionAuthorizers)

  /// Authorizes a prepared request with the authorizer for it, without copying the authorizer.
  func authorize(_ request: AuthorizationRequest, caller: PreparedCaller, action: PreparedAction) throws(InputError)
    -> Response
  {
    switch self {
    case .one(let authorizer):
      return authorizer.authorize(PreparedRequest(request, caller: caller, action: action))
    case .session:
      return try authorizer(for: request).authorize(PreparedRequest(request, caller: caller, action: action))
    }
  }

  func authorizer(for request: AuthorizationRequest) throws(InputError) -> Authorizer {
    switch self {
    case .one(let authorizer): return authorizer
    case .session(let authorizers):
      do {
        return try authorizers.authorizer(resource: request.resource, resourceAccount: request.resourceAccount)
      } catch {
        throw InputError("organization.invalid-policies", error.message)
      }
    }
  }
}

/// What `eval --requests` decides each line with: the policies, compiled once, and the caller, prepared once.
struct RequestStream: Sendable {
  /// The results of consecutive lines.
  struct Chunk: Sendable {
    /// One JSON result (or error object) per non-blank line, each ending in a line feed.
    var output: [UInt8] = []
    /// For each invalid line: where its error object ends in ``output``, the message for standard error, and the
    /// line's number.
    var errors: [(end: Int, message: String, line: Int)] = []
    var status = ExitStatus.success
  }

  let file: String
  let authorizers: RequestAuthorizers
  let expected: Decision?
  /// Says which actions the catalog does not know, each distinct name worked out once.
  let actionNames: ActionNameChecker
  /// The caller's derived keys and the `--context` keys, laid under every line's own context.
  let caller: PreparedCaller
  /// The flags' request without context: what a line does not set.
  let lineTemplate: AuthorizationRequest
  /// The workers' memos of the actions met so far and their result line writers.
  let workers = StreamWorkerPool()

  init(file: String, template: AuthorizationRequest, authorizers: RequestAuthorizers, actionNames: ActionNameChecker, expected: Decision?) {
    self.file = file
    self.authorizers = authorizers
    self.actionNames = actionNames
    self.expected = expected
    caller = PreparedCaller(template.principal, sharedContext: template.context)
    var lineTemplate = template
    lineTemplate.context = RequestContext()
    self.lineTemplate = lineTemplate
  }

  /// Decides consecutive lines, given as byte ranges of `input`; the first is line `firstLine` of the input.
  func decide(_ lines: ArraySlice<Range<Int>>, firstLine: Int, in input: UnsafeBufferPointer<UInt8>) -> Chunk {
    var chunk = Chunk()
    chunk.output.reserveCapacity(lines.count * 512)
    let worker = workers.take()
    defer { workers.give(worker) }
    let memo = worker.actions
    for (offset, range) in lines.enumerated() {
      let number = firstLine + offset
      let line = UnsafeBufferPointer(rebasing: input[range])
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      do throws(InputError) {
        guard line.count <= InputFile.maximumSize else {
          throw InputError(.fileTooLarge, "the line is longer than 8 MiB, the most iamsim reads", file: "\(file) line \(number)")
        }
        let request = try EvalCommand.readLine(line, template: lineTemplate, file: file, line: number)
        let action = memo.action(request.action, actionNames)
        var response = try authorizers.authorize(request, caller: caller, action: action.prepared)
        if let unknown = action.unknown { response = ActionWarnings.adding(unknown, to: response) }
        if let expected, response.decision != expected { chunk.status = chunk.status.worst(.failure) }
        worker.line.write(response, for: request, to: &chunk.output)
        chunk.output.append(UInt8(ascii: "\n"))
      } catch {
        chunk.status = .invalidInput
        let message = error.description
        JSONOutput.object([("line", .int(number)), ("error", .string(message))]).render(appendingTo: &chunk.output)
        chunk.output.append(UInt8(ascii: "\n"))
        chunk.errors.append((chunk.output.count, message, number))
      }
    }
    return chunk
  }
}

/// The actions a stream has met, each prepared (``PreparedAction``) and checked against the catalog once: a stream
/// names the same few thousand actions again and again.
///
/// Each memo is used by one worker at a time, without locking: a worker takes one from the pool for a chunk of lines
/// and gives it back after. A memo holds at most ``capacity`` actions, so that a stream of ever new names cannot
/// grow it: past that, actions are prepared and checked anew.
final class ActionMemo {
  /// A prepared action and what the catalog says of it.
  struct Entry {
    let prepared: PreparedAction
    let unknown: UnknownActionName?
  }

  static let capacity = 32_768
  private var entries: [String: Entry] = [:]

  /// The action prepared and checked, from the memo when it was met before.
  ///
  /// Only ASCII actions are kept: two ASCII strings are equal exactly when their bytes are, where other text compares
  /// by canonical equivalence (`K` equals the Kelvin sign), and a line must get its own action's warning.
  func action(_ action: String, _ names: ActionNameChecker) -> Entry {
    var text = action
    let ascii = text.withUTF8 { $0.allSatisfy { $0 < 0x80 } }
    if ascii, let entry = entries[action] { return entry }
    let entry = Entry(prepared: PreparedAction(action), unknown: names.check(action))
    if ascii && entries.count < Self.capacity { entries[action] = entry }
    return entry
  }
}

/// What one worker of a stream keeps between chunks: its action memo and its result line writer.
final class StreamWorker {
  let actions = ActionMemo()
  let line = ResponseLine()
}

/// The memos and writers of a stream's workers.
final class StreamWorkerPool: @unchecked Sendable {
  private let lock = NSLock()
  // Guarded by `lock`: the workers' state no worker holds.
  private var free: [StreamWorker] = []

  /// A worker's state for one worker's use.
  func take() -> StreamWorker {
    lock.lock()
    defer { lock.unlock() }
    return free.popLast() ?? StreamWorker()
  }

  /// Gives back state taken with ``take()``.
  func give(_ worker: StreamWorker) {
    lock.lock()
    free.append(worker)
    lock.unlock()
  }
}
