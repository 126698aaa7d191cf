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
  func authorize(
    _ request: AuthorizationRequest, caller: PreparedCaller, action: PreparedAction, resource: PreparedResource?
  ) throws(InputError) -> Response {
    // Each case calls its authorizer where it is: binding one to a local would copy it for every line.
    let prepared =
      resource.map { PreparedRequest(request, caller: caller, action: action, resource: $0) }
      ?? PreparedRequest(request, caller: caller, action: action)
    switch self {
    case .one(let authorizer): return authorizer.authorize(prepared)
    case .session: return try authorizer(for: request).authorize(prepared)
    }
  }

  /// The same policies compiled again for one worker (``Authorizer/unsharedCopy()``); an organization session's
  /// worker compiles each resource owner's policies when it first meets the owner.
  func unsharedCopy() -> RequestAuthorizers {
    switch self {
    case .one(let authorizer): .one(authorizer.unsharedCopy())
    case .session(let authorizers):
      .session(
        SessionAuthorizers(
          organization: authorizers.organization, session: authorizers.session,
          resourcePolicy: authorizers.resourcePolicy))
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

/// What `eval --requests` decides each line with: the policies and the caller, compiled and prepared once for each
/// worker (``StreamWorker``).
struct RequestStream: Sendable {
  /// The results of consecutive lines.
  struct Chunk: Sendable {
    /// One JSON result (or error object) per non-blank line, each ending in a line feed: made a string by the worker
    /// that decided the lines, so that the thread that writes them only writes.
    var output = ""
    /// For each invalid line: where its error object ends in ``output`` (in UTF-8 bytes), the message for standard
    /// error, and the line's number.
    var errors: [(end: Int, message: String, line: Int)] = []
    var status = ExitStatus.success
  }

  let file: String
  let expected: Decision?
  /// The workers' own copies of the policies and the caller, their memos of the actions met so far, and their result
  /// line writers.
  let workers: StreamWorkerPool

  init(file: String, template: AuthorizationRequest, authorizers: RequestAuthorizers, actionNames: ActionNameChecker, expected: Decision?) {
    self.file = file
    self.expected = expected
    workers = StreamWorkerPool(template: template, authorizers: authorizers, actionNames: actionNames)
  }

  /// Decides consecutive lines, given as byte ranges of `input`; the first is line `firstLine` of the input.
  func decide(_ lines: ArraySlice<Range<Int>>, firstLine: Int, in input: UnsafeBufferPointer<UInt8>) -> Chunk {
    var chunk = Chunk()
    var worker = workers.take()
    defer { workers.give(worker) }
    let writer = worker.line
    // One request for all the lines, each line setting its members: copying the template (its principal) per line
    // costs more than setting them.
    var request = worker.lineTemplate
    for (offset, range) in lines.enumerated() {
      let number = firstLine + offset
      let line = UnsafeBufferPointer(rebasing: input[range])
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      do throws(InputError) {
        guard line.count <= InputFile.maximumSize else {
          throw InputError(.fileTooLarge, "the line is longer than 8 MiB, the most iamsim reads", file: "\(file) line \(number)")
        }
        let (action, resource, fields) = try read(line, number: number, into: &request, worker: &worker)
        var response = try worker.authorizers.authorize(
          request, caller: worker.caller, action: action.prepared, resource: resource)
        if let unknown = action.unknown { response = ActionWarnings.adding(unknown, to: response) }
        if let expected, response.decision != expected { chunk.status = chunk.status.worst(.failure) }
        // A scanned line's action and resource are written as the line spelled them, which they are.
        writer.write(
          response, for: request,
          spelled: ResponseLine.Spelled(
            action: fields.map { UnsafeBufferPointer(rebasing: line[$0.action]) },
            resource: fields?.resource.map { UnsafeBufferPointer(rebasing: line[$0]) }, principal: worker.principalJSON))
        writer.newline()
      } catch {
        chunk.status = .invalidInput
        let message = error.description
        var rendered: [UInt8] = []
        JSONOutput.object([("line", .int(number)), ("error", .string(message))]).render(appendingTo: &rendered)
        rendered.append(UInt8(ascii: "\n"))
        writer.append(rendered)
        chunk.errors.append((writer.written, message, number))
      }
    }
    chunk.output = writer.take()
    return chunk
  }

  /// Reads a line into `request` (the template's members where the line sets none, its context without the shared
  /// one) and returns its action prepared, and its resource prepared and its members' places when the line was
  /// scanned: read by ``RequestLineReader`` with the worker's ``RequestTexts`` when it can, else by the general JSON
  /// reader, which reports what is wrong.
  private func read(_ line: UnsafeBufferPointer<UInt8>, number: Int, into request: inout AuthorizationRequest,
                    worker: inout StreamWorker) throws(InputError)
    -> (ActionMemo.Entry, PreparedResource?, RequestLineReader.Fields?)
  {
    if let fields = RequestLineReader.scan(line) {
      let entry = worker.actions.action(UnsafeBufferPointer(rebasing: line[fields.action]))
      if let resource = worker.texts.read(
        fields, in: line, action: entry.text, into: &request, template: worker.lineTemplate,
        templateResource: worker.templateResource)
      {
        guard entry.wellFormed else { throw Self.missingAction(file, number) }
        return (entry, resource, fields)
      }
    }
    request = try EvalCommand.parseLine(Array(line), template: worker.lineTemplate, file: "\(file) line \(number)")
    let entry = worker.actions.action(request.action)
    guard entry.wellFormed else { throw Self.missingAction(file, number) }
    return (entry, nil, nil)
  }

  private static func missingAction(_ file: String, _ number: Int) -> InputError {
    InputError(.missingAction, "each line needs an `action` of the form service:Action", file: "\(file) line \(number)")
  }
}

/// The actions a worker of a stream has met, each prepared (``PreparedAction``) once: a stream names the same few
/// thousand actions again and again.
///
/// Each memo is used by one worker at a time, without locking: a worker takes one from the pool for a chunk of lines
/// and gives it back after. Actions are kept by their bytes (``ByteTable``): two lines whose actions have the same
/// bytes get the same string, preparation and warning, and a line's action is looked up without making a string of
/// it. What the catalog says of an action the memo has not met is looked for in the stream's ``SharedActions`` before
/// it is worked out, so that each is checked once per stream (an unknown name's closest names take a search); the
/// string and its preparation are the worker's own, which no other worker retains. A memo holds at most ``capacity``
/// actions, so that a stream of ever new names cannot grow it: past that, actions are prepared and checked anew.
struct ActionMemo {
  /// An action, prepared and checked, and what the catalog says of it: one object, so that handing it on retains
  /// one reference.
  final class Entry: Sendable {
    let text: String
    /// Whether the action has the form `service:Action` (one `:`); the other fields are only worked out when it has.
    let wellFormed: Bool
    let prepared: PreparedAction!
    let unknown: UnknownActionName?

    init(text: String, check: SharedActions.Check) {
      self.text = text
      wellFormed = check.wellFormed
      prepared = check.wellFormed ? PreparedAction(text) : nil
      unknown = check.unknown
    }
  }

  static let capacity = 32_768
  private var entries = ByteTable<Entry>(capacity: capacity, byteCapacity: 4 << 20)
  private let shared: SharedActions

  init(shared: SharedActions) {
    self.shared = shared
  }

  /// The action of these bytes (printable ASCII, as ``RequestLineReader/scan(_:)`` found them).
  mutating func action(_ bytes: UnsafeBufferPointer<UInt8>) -> Entry {
    let hash = ByteTable<Entry>.hash(bytes)
    if let entry = entries.value(bytes, hash: hash) { return entry }
    let text = String(decoding: bytes, as: UTF8.self)
    let entry = Entry(text: text, check: shared.check(text, bytes))
    entries.insert(bytes, hash: hash, entry)
    return entry
  }

  /// The action, from the memo when its bytes were met before.
  mutating func action(_ action: String) -> Entry {
    var text = action
    return text.withUTF8 { bytes in
      let hash = ByteTable<Entry>.hash(bytes)
      if let entry = entries.value(bytes, hash: hash) { return entry }
      let entry = Entry(text: action.unshared, check: shared.check(action, bytes))
      entries.insert(bytes, hash: hash, entry)
      return entry
    }
  }
}

/// What the catalog says of each action the workers of a stream have met, behind a lock: consulted only when a
/// worker's own memo misses. Holds at most ``ActionMemo/capacity`` actions, each of at most ``longest`` bytes (real
/// actions have a few dozen), so that what it holds stays small whatever the lines hold.
final class SharedActions: @unchecked Sendable {
  /// Whether an action has the form `service:Action`, and the catalog's warning when it names no known action.
  struct Check: Sendable {
    let wellFormed: Bool
    let unknown: UnknownActionName?
  }

  let names: ActionNameChecker
  private let lock = NSLock()
  // Guarded by `lock`; the key is the action's bytes, since strings that compare equal may differ in their bytes
  // (canonical equivalence: `K` equals the Kelvin sign), and a line must get its own action's warning.
  private var checks: [[UInt8]: Check] = [:]
  static let longest = 256

  init(names: ActionNameChecker) {
    self.names = names
  }

  /// What the catalog says of `text`, whose UTF-8 is `bytes`: kept, or worked out (outside the lock) and kept when
  /// there is room.
  func check(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Check {
    guard bytes.count <= Self.longest else { return work(text, bytes) }
    let key = Array(bytes)
    if let known = lock.withLock({ checks[key] }) { return known }
    let check = work(text, bytes)
    lock.withLock {
      if checks.count < ActionMemo.capacity { checks[key] = check }
    }
    return check
  }

  private func work(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Check {
    guard bytes.count(where: { $0 == UInt8(ascii: ":") }) == 1 else { return Check(wellFormed: false, unknown: nil) }
    return Check(wellFormed: true, unknown: names.check(text))
  }
}

/// What one worker of a stream keeps between chunks: its own copies of what deciding a line retains (the compiled
/// policies, the caller, the template and its resource), its action memo, the texts it read, and its result line
/// writer.
///
/// No object a worker retains for a line is retained by another worker: on two cores, each reference count that both
/// change moves between the cores' caches, and a stream whose workers shared the policies, the caller and the actions
/// spent about a third more processor time on each line than one core alone.
struct StreamWorker {
  let authorizers: RequestAuthorizers
  /// The caller's derived keys and the `--context` keys, laid under every line's own context.
  let caller: PreparedCaller
  /// The flags' request without context, with the worker's own principal: what a line does not set.
  let lineTemplate: AuthorizationRequest
  /// The template's resource, prepared once.
  let templateResource: PreparedResource
  /// The caller's ARN as a JSON string, rendered once for every result line.
  let principalJSON: [UInt8]
  var actions: ActionMemo
  var texts = RequestTexts()
  let line = ResponseLine()
}

/// The workers' state of a stream: made for each worker from the stream's policies and template.
final class StreamWorkerPool: @unchecked Sendable {
  /// The flags' request without context.
  private let template: AuthorizationRequest
  private let authorizers: RequestAuthorizers
  /// The caller with the `--context` keys, prepared once and copied for each worker.
  private let caller: PreparedCaller
  private let shared: SharedActions
  private let lock = NSLock()
  // Guarded by `lock`: the workers' state no worker holds.
  private var free: [StreamWorker] = []

  init(template: AuthorizationRequest, authorizers: RequestAuthorizers, actionNames: ActionNameChecker) {
    var lineTemplate = template
    lineTemplate.context = RequestContext()
    self.template = lineTemplate
    self.authorizers = authorizers
    caller = PreparedCaller(template.principal, sharedContext: template.context)
    shared = SharedActions(names: actionNames)
  }

  /// A worker's state for one worker's use.
  func take() -> StreamWorker {
    lock.lock()
    let kept = free.popLast()
    lock.unlock()
    return kept ?? make()
  }

  /// Gives back state taken with ``take()``.
  func give(_ worker: StreamWorker) {
    lock.lock()
    free.append(worker)
    lock.unlock()
  }

  private func make() -> StreamWorker {
    let caller = self.caller.unsharedCopy()
    var lineTemplate = template
    lineTemplate.principal = caller.principal
    lineTemplate.resource = template.resource.unshared
    var principalJSON: [UInt8] = []
    JSONOutput.appendString(caller.principal.arn, to: &principalJSON)
    return StreamWorker(
      authorizers: authorizers.unsharedCopy(), caller: caller, lineTemplate: lineTemplate,
      templateResource: PreparedResource(lineTemplate.resource), principalJSON: principalJSON,
      actions: ActionMemo(shared: shared))
  }
}
