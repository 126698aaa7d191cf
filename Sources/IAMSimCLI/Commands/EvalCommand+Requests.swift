import Dispatch
import Foundation
import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMPolicy

extension EvalCommand {
  /// Reads JSON Lines requests and writes one compact JSON result per line, in order.
  ///
  /// The input is read in blocks of ``blockSize`` bytes, from a file or standard input, whatever its length: memory
  /// stays flat. The complete lines of a block are decided in chunks of ``linesPerChunk``, on every core, each into a
  /// buffer of its own, while this thread writes the finished chunks in input order and reads on: the output is the
  /// same bytes whatever the number of cores, and at most ``chunksInFlight`` chunks are held at a time. An invalid
  /// line gets an error object in its place in the output, and its message goes to standard error after the results
  /// before it. Reading stops at the ``maximumInvalidLines``th invalid line, so that a hostile file cannot keep the
  /// tool busy printing errors; a line longer than ``InputFile/maximumSize`` is invalid. A line whose action the
  /// catalog does not know gets a warning in its `diagnostics`; each distinct action is prepared once per worker
  /// (``ActionMemo``) and checked against the catalog once, with the closest names of each distinct unknown one.
  static func streamRequests(
    _ source: String, template: AuthorizationRequest, authorizers: RequestAuthorizers, actionNames: ActionNameChecker, expected: Decision?,
    out: (String) -> Void, err: (String) -> Void
  ) throws -> ExitStatus {
    let name = source == "-" ? "<stdin>" : source
    let handle: FileHandle
    if source == "-" {
      handle = FileHandle.standardInput
    } else {
      _ = try InputFile.checkReadable(source)
      guard let opened = FileHandle(forReadingAtPath: source) else {
        throw InputError(.fileUnreadable, "cannot read `\(source)`", file: source)
      }
      handle = opened
    }
    let stream = RequestStream(file: name, template: template, authorizers: authorizers, actionNames: actionNames, expected: expected)
    var writer = ChunkWriter(name: name)
    // Writes one decided chunk; `false` when the invalid-line cap stops the reading.
    func write(_ chunk: RequestStream.Chunk) -> Bool { writer.write(chunk, out: out, err: err) }
    var pipeline = ChunkPipeline(stream: stream)
    // Nothing may still be deciding when this returns, whatever way it returns.
    defer { pipeline.finish() }
    var linesBefore = 0
    var pending: [UInt8] = []
    var finished = false
    var stopped = false
    reading: while !finished {
      let block = handle.readData(ofLength: blockSize)
      finished = block.isEmpty
      pending.append(contentsOf: block)
      // Decide up to the last line feed; at the end, everything left.
      let end = finished ? pending.count : (pending.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
      if end == 0 {
        guard pending.count > InputFile.maximumSize else { continue }
        // A line longer than any input iamsim reads: refused, and skipped up to its end, after what comes before it.
        guard pipeline.drain(write) else {
          stopped = true
          break reading
        }
        err("\(name) line \(linesBefore + 1): the line is longer than 8 MiB, the most iamsim reads\n")
        out(JSONOutput.object([("line", .int(linesBefore + 1)), ("error", .string("the line is longer than 8 MiB"))]).rendered() + "\n")
        writer.status = writer.status.worst(ExitStatus.invalidInput)
        writer.invalidLines += 1
        pending = []
        while true {
          let more = handle.readData(ofLength: blockSize)
          if more.isEmpty {
            finished = true
            break
          }
          if let newline = more.firstIndex(of: 0x0A) {
            pending = Array(more[more.index(after: newline)...])
            break
          }
        }
        linesBefore += 1
        if writer.invalidLines == maximumInvalidLines { break reading }
        if finished && pending.isEmpty { break reading }
        continue
      }
      // The block's complete lines go to the workers with the bytes they are in, which nothing changes after; the
      // unfinished line after them starts the next block.
      let bytes = RequestBlock(pending)
      pending = Array(pending[end...])
      // Lines are found a chunk at a time, each chunk sent to the workers as soon as it is found, so that they
      // decide while this thread splits the rest of the block.
      let length = finished ? end : end - 1
      var start = 0
      var chunk: [Range<Int>] = []
      chunk.reserveCapacity(linesPerChunk)
      while start <= length {
        let lineEnd = bytes.lineEnd(from: start, before: length)
        chunk.append(start..<lineEnd)
        start = lineEnd + 1
        guard chunk.count == linesPerChunk || start > length else { continue }
        guard pipeline.submit(chunk[...], firstLine: linesBefore + 1, of: bytes, writing: write) else {
          stopped = true
          break reading
        }
        linesBefore += chunk.count
        chunk.removeAll(keepingCapacity: true)
      }
    }
    if !stopped { _ = pipeline.drain(write) }
    return writer.status
  }

  /// How many bytes are read at a time.
  static let blockSize = 4 * 1024 * 1024

  /// How many lines one core decides before its results are written.
  static let linesPerChunk = 1_024

  /// How many chunks are decided or waiting to be written at a time: enough to keep every core busy while this
  /// thread writes. Worked out once: asking the system for the processor count reads `/proc` or `/sys` each time.
  static let chunksInFlight = 2 * max(ProcessInfo.processInfo.activeProcessorCount, 1) + 1

  /// The invalid line at which `--requests` stops reading.
  static let maximumInvalidLines = 1_000

  /// Bytes read from the input, shared by the chunks of lines decided from them and never changed.
  final class RequestBlock: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
      self.bytes = bytes
    }

    /// The offset of the first line feed at or after `start` and before `limit`, or `limit`.
    func lineEnd(from start: Int, before limit: Int) -> Int {
      bytes.withUnsafeBufferPointer { all in
        guard let base = all.baseAddress, let found = memchr(base + start, 0x0A, limit - start) else { return limit }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
      }
    }
  }

  /// Writes decided chunks in input order, and counts invalid lines.
  struct ChunkWriter {
    let name: String
    var status = ExitStatus.success
    var invalidLines = 0

    /// Writes a chunk's results and error messages; `false` when the invalid-line cap stops the reading.
    mutating func write(_ chunk: RequestStream.Chunk, out: (String) -> Void, err: (String) -> Void) -> Bool {
      status = status.worst(chunk.status)
      let utf8 = chunk.output.utf8
      var written = utf8.startIndex
      for (end, message, line) in chunk.errors {
        let endIndex = utf8.index(utf8.startIndex, offsetBy: end)
        out(String(decoding: utf8[written..<endIndex], as: UTF8.self))
        err(message + "\n")
        written = endIndex
        invalidLines += 1
        if invalidLines == maximumInvalidLines {
          err("\(name): stopped at the \(maximumInvalidLines)th invalid line (line \(line)); the lines after it are not read\n")
          return false
        }
      }
      if written == utf8.startIndex {
        if !chunk.output.isEmpty { out(chunk.output) }
      } else if written < utf8.endIndex {
        out(String(decoding: utf8[written...], as: UTF8.self))
      }
      return true
    }
  }

  /// Chunks of lines being decided on the global concurrent queue, oldest first.
  struct ChunkPipeline {
    /// One chunk's result, filled by the worker that decides it.
    final class Slot: @unchecked Sendable {
      let done = DispatchSemaphore(value: 0)
      // Written by the worker before `done` is signalled, read after waiting for it.
      var chunk: RequestStream.Chunk?
    }

    let stream: RequestStream
    private var inFlight: [Slot] = []
    private var next = 0

    init(stream: RequestStream) {
      self.stream = stream
    }

    /// Starts deciding lines of `block`, after writing the oldest chunks while too many are in flight; `false` when
    /// the invalid-line cap stops the reading.
    mutating func submit(
      _ lines: ArraySlice<Range<Int>>, firstLine: Int, of block: RequestBlock, writing write: (RequestStream.Chunk) -> Bool
    ) -> Bool {
      while inFlight.count - next >= EvalCommand.chunksInFlight {
        guard writeOldest(write) else { return false }
      }
      let slot = Slot()
      let stream = stream
      DispatchQueue.global(qos: .userInitiated).async {
        slot.chunk = block.bytes.withUnsafeBufferPointer { stream.decide(lines, firstLine: firstLine, in: $0) }
        slot.done.signal()
      }
      inFlight.append(slot)
      return true
    }

    /// Writes every chunk in flight; `false` when the invalid-line cap stops the reading.
    mutating func drain(_ write: (RequestStream.Chunk) -> Bool) -> Bool {
      while next < inFlight.count {
        guard writeOldest(write) else { return false }
      }
      return true
    }

    /// Waits for the chunks still being decided, without writing them.
    mutating func finish() {
      while next < inFlight.count {
        inFlight[next].done.wait()
        next += 1
      }
      inFlight.removeAll()
      next = 0
    }

    private mutating func writeOldest(_ write: (RequestStream.Chunk) -> Bool) -> Bool {
      let slot = inFlight[next]
      slot.done.wait()
      next += 1
      if next > 64 {
        inFlight.removeFirst(next)
        next = 0
      }
      // The written slot lets go of its results at once: only the chunks in flight are held.
      let chunk = slot.chunk!
      slot.chunk = nil
      return write(chunk)
    }
  }

  /// A line read by the general JSON reader.
  static func parseLine(_ bytes: [UInt8], template: AuthorizationRequest, file where_: String)
    throws(InputError) -> AuthorizationRequest
  {
    let json = try InputFile.parseJSON(bytes, file: where_)
    guard let members = json.members else {
      throw InputError(.wrongType, "each line must be a JSON object", file: where_)
    }
    var request = template
    for member in members {
      switch member.key {
      case "action", "resource", "resourceAccount":
        guard let text = member.value.stringValue else {
          throw InputError(.wrongType, "`\(member.key)` must be a string", file: where_,
                           path: JSONPath.root.appending(member.key), position: member.value.position)
        }
        switch member.key {
        case "action": request.action = text
        case "resource": request.resource = text
        default: request.resourceAccount = text
        }
      case "context":
        request.context = try CaseFileLoader.context(member.value, at: JSONPath.root.appending("context"), file: where_)
      default:
        throw InputError(.unknownElement, "`\(member.key)` is not a request member (action, resource, resourceAccount, context)",
                         file: where_, path: JSONPath.root.appending(member.key), position: member.keyPosition)
      }
    }
    return request
  }
}
