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
    /// One JSON result (or error object) per non-blank line, each ending in a line feed: made a string by the worker
    /// that decided the lines, so that the thread that writes them only writes.
    var output = ""
    /// For each invalid line: where its error object ends in ``output`` (in UTF-8 bytes), the message for standard
    /// error, and the line's number.
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
  /// The template's resource, prepared once.
  let templateResource: PreparedResource
  /// The caller's ARN as a JSON string, rendered once for every result line.
  let principalJSON: [UInt8]
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
    templateResource = PreparedResource(template.resource)
    var principalJSON: [UInt8] = []
    JSONOutput.appendString(template.principal.arn, to: &principalJSON)
    self.principalJSON = principalJSON
  }

  /// Decides consecutive lines, given as byte ranges of `input`; the first is line `firstLine` of the input.
  func decide(_ lines: ArraySlice<Range<Int>>, firstLine: Int, in input: UnsafeBufferPointer<UInt8>) -> Chunk {
    var chunk = Chunk()
    var worker = workers.take()
    defer { workers.give(worker) }
    let writer = worker.line
    // One request for all the lines, each line setting its members: copying the template (its principal) per line
    // costs more than setting them.
    var request = lineTemplate
    for (offset, range) in lines.enumerated() {
      let number = firstLine + offset
      let line = UnsafeBufferPointer(rebasing: input[range])
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      do throws(InputError) {
        guard line.count <= InputFile.maximumSize else {
          throw InputError(.fileTooLarge, "the line is longer than 8 MiB, the most iamsim reads", file: "\(file) line \(number)")
        }
        let (action, resource, fields) = try read(line, number: number, into: &request, worker: &worker)
        var response = try authorizers.authorize(request, caller: caller, action: action.prepared, resource: resource)
        if let unknown = action.unknown { response = ActionWarnings.adding(unknown, to: response) }
        if let expected, response.decision != expected { chunk.status = chunk.status.worst(.failure) }
        // A scanned line's action and resource are written as the line spelled them, which they are.
        writer.write(
          response, for: request,
          spelled: ResponseLine.Spelled(
            action: fields.map { UnsafeBufferPointer(rebasing: line[$0.action]) },
            resource: fields?.resource.map { UnsafeBufferPointer(rebasing: line[$0]) }, principal: principalJSON))
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
      let entry = worker.actions.action(UnsafeBufferPointer(rebasing: line[fields.action]), actionNames)
      if let resource = worker.texts.read(
        fields, in: line, action: entry.text, into: &request, template: lineTemplate, templateResource: templateResource)
      {
        guard entry.wellFormed else { throw Self.missingAction(file, number) }
        return (entry, resource, fields)
      }
    }
    request = try EvalCommand.parseLine(Array(line), template: lineTemplate, file: "\(file) line \(number)")
    let entry = worker.actions.action(request.action, actionNames)
    guard entry.wellFormed else { throw Self.missingAction(file, number) }
    return (entry, nil, nil)
  }

  private static func missingAction(_ file: String, _ number: Int) -> InputError {
    InputError(.missingAction, "each line needs an `action` of the form service:Action", file: "\(file) line \(number)")
  }
}

/// The actions a stream has met, each prepared (``PreparedAction``) and checked against the catalog once: a stream
/// names the same few thousand actions again and again.
///
/// Each memo is used by one worker at a time, without locking: a worker takes one from the pool for a chunk of lines
/// and gives it back after. Actions are kept by their bytes (``ByteTable``): two lines whose actions have the same
/// bytes get the same string, preparation and warning, and a line's action is looked up without making a string of
/// it. An action a memo has not met is looked for in the stream's ``SharedActions`` before it is worked out, so that
/// each is worked out once per stream, not once per worker. A memo holds at most ``capacity`` actions, so that a
/// stream of ever new names cannot grow it: past that, actions are prepared and checked anew.
struct ActionMemo {
  /// An action, prepared and checked, and what the catalog says of it: one object, so that handing it on retains
  /// one reference.
  final class Entry: Sendable {
    let text: String
    /// Whether the action has the form `service:Action` (one `:`); the other fields are only worked out when it has.
    let wellFormed: Bool
    let prepared: PreparedAction!
    let unknown: UnknownActionName?

    init(text: String, wellFormed: Bool, prepared: PreparedAction?, unknown: UnknownActionName?) {
      self.text = text
      self.wellFormed = wellFormed
      self.prepared = prepared
      self.unknown = unknown
    }
  }

  static let capacity = 32_768
  private var entries = ByteTable<Entry>(capacity: capacity, byteCapacity: 4 << 20)
  private let shared: SharedActions

  init(shared: SharedActions) {
    self.shared = shared
  }

  /// The action of these bytes (printable ASCII, as ``RequestLineReader/scan(_:)`` found them).
  mutating func action(_ bytes: UnsafeBufferPointer<UInt8>, _ names: ActionNameChecker) -> Entry {
    let hash = ByteTable<Entry>.hash(bytes)
    if let entry = entries.value(bytes, hash: hash) { return entry }
    let text = String(decoding: bytes, as: UTF8.self)
    let entry = shared.entry(text) { Self.entry(text, bytes, names) }
    entries.insert(bytes, hash: hash, entry)
    return entry
  }

  /// The action, from the memo when its bytes were met before.
  mutating func action(_ action: String, _ names: ActionNameChecker) -> Entry {
    var text = action
    return text.withUTF8 { bytes in
      let hash = ByteTable<Entry>.hash(bytes)
      if let entry = entries.value(bytes, hash: hash) { return entry }
      let entry = shared.entry(action) { Self.entry(action, bytes, names) }
      entries.insert(bytes, hash: hash, entry)
      return entry
    }
  }

  private static func entry(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>, _ names: ActionNameChecker) -> Entry {
    guard bytes.count(where: { $0 == UInt8(ascii: ":") }) == 1 else {
      return Entry(text: text, wellFormed: false, prepared: nil, unknown: nil)
    }
    return Entry(text: text, wellFormed: true, prepared: PreparedAction(text), unknown: names.check(text))
  }
}

/// The actions every worker of a stream has worked out, behind a lock: consulted only when a worker's own memo
/// misses. Holds at most ``ActionMemo/capacity`` actions, each of at most ``longest`` bytes (real actions have a few
/// dozen), so that what it holds stays small whatever the lines hold.
final class SharedActions: @unchecked Sendable {
  private let lock = NSLock()
  // Guarded by `lock`.
  private var entries: [String: ActionMemo.Entry] = [:]
  static let longest = 256

  /// The entry kept for `text`, or the one `make` works out (outside the lock), kept when there is room.
  ///
  /// Strings that compare equal may differ in their bytes (canonical equivalence: `K` equals the Kelvin sign), and a
  /// line must get its own action's text and warning: an entry is only handed out for the same bytes.
  func entry(_ text: String, _ make: () -> ActionMemo.Entry) -> ActionMemo.Entry {
    guard text.utf8.count <= Self.longest else { return make() }
    if let known = lock.withLock({ entries[text] }), Self.sameBytes(known.text, text) { return known }
    let entry = make()
    lock.withLock {
      if entries.count < ActionMemo.capacity && entries[text] == nil { entries[text] = entry }
    }
    return entry
  }

  private static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
    var lhs = lhs
    var rhs = rhs
    return lhs.withUTF8 { l in
      rhs.withUTF8 { r in l.count == r.count && (l.count == 0 || memcmp(l.baseAddress!, r.baseAddress!, l.count) == 0) }
    }
  }
}

/// What one worker of a stream keeps between chunks: its action memo, the texts it read, and its result line writer.
struct StreamWorker {
  var actions: ActionMemo
  var texts = RequestTexts()
  let line = ResponseLine()
}

/// The memos and writers of a stream's workers.
final class StreamWorkerPool: @unchecked Sendable {
  private let lock = NSLock()
  // Guarded by `lock`: the workers' state no worker holds.
  private var free: [StreamWorker] = []
  private let shared = SharedActions()

  /// A worker's state for one worker's use.
  func take() -> StreamWorker {
    lock.lock()
    defer { lock.unlock() }
    return free.popLast() ?? StreamWorker(actions: ActionMemo(shared: shared))
  }

  /// Gives back state taken with ``take()``.
  func give(_ worker: StreamWorker) {
    lock.lock()
    free.append(worker)
    lock.unlock()
  }
}
