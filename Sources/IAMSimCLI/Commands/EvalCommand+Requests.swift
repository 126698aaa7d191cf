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
  /// stays flat. The complete lines of a block are decided in chunks of ``linesPerChunk``, one chunk per core at a
  /// time, each into a buffer of its own; the buffers are written in input order, so the output is the same bytes
  /// whatever the number of cores. An invalid line gets an error object in its place in the output, and its
  /// message goes to standard error after the results before it. Reading stops at the ``maximumInvalidLines``th
  /// invalid line, so that a hostile file cannot keep the tool busy printing errors; a line longer than
  /// ``InputFile/maximumSize`` is invalid. A line whose action the catalog does not know gets a warning in its
  /// `diagnostics`; a known action costs one allocation-free lookup, and the closest names of each distinct
  /// unknown one are worked out once.
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
    var status = ExitStatus.success
    var invalidLines = 0
    var linesBefore = 0
    var pending: [UInt8] = []
    var finished = false
    reading: while !finished {
      let block = handle.readData(ofLength: blockSize)
      finished = block.isEmpty
      pending.append(contentsOf: block)
      // Decide up to the last line feed; at the end, everything left.
      let end = finished ? pending.count : (pending.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
      if end == 0 {
        guard pending.count > InputFile.maximumSize else { continue }
        // A line longer than any input iamsim reads: refused, and skipped up to its end.
        err("\(name) line \(linesBefore + 1): the line is longer than 8 MiB, the most iamsim reads\n")
        out(JSONOutput.object([("line", .int(linesBefore + 1)), ("error", .string("the line is longer than 8 MiB"))]).rendered() + "\n")
        status = status.worst(.invalidInput)
        invalidLines += 1
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
        if invalidLines == maximumInvalidLines { break reading }
        if finished && pending.isEmpty { break reading }
        continue
      }
      let stop = pending.withUnsafeBufferPointer { all -> Bool in
        let input = UnsafeBufferPointer(rebasing: all[0..<(finished ? end : end - 1)])
        return decideBlock(input, stream: stream, linesBefore: &linesBefore, invalidLines: &invalidLines, status: &status,
                           name: name, out: out, err: err)
      }
      if stop { break reading }
      pending.removeFirst(end)
    }
    return status
  }

  /// How many bytes are read at a time.
  static let blockSize = 4 * 1024 * 1024

  /// Decides the lines of one block, wave by wave; returns `true` when the invalid-line cap stops the reading.
  private static func decideBlock(
    _ all: UnsafeBufferPointer<UInt8>, stream: RequestStream, linesBefore: inout Int, invalidLines: inout Int,
    status: inout ExitStatus, name: String, out: (String) -> Void, err: (String) -> Void
  ) -> Bool {
    // Read only, by every worker, while the block lives.
    nonisolated(unsafe) let input = all
    let wave = linesPerChunk * max(ProcessInfo.processInfo.activeProcessorCount, 1)
    var start = 0
    while start <= all.count {
      let lines = nextLines(in: all, from: &start, count: wave)
      let firstLine = linesBefore + 1
      linesBefore += lines.count
      let chunks = ResultBuffer<RequestStream.Chunk?>(count: (lines.count + linesPerChunk - 1) / linesPerChunk, initial: nil)
      DispatchQueue.concurrentPerform(iterations: chunks.count) { chunk in
        let first = chunk * linesPerChunk
        chunks[chunk] = stream.decide(lines[first..<min(first + linesPerChunk, lines.count)], firstLine: firstLine + first, in: input)
      }
      for case let chunk? in chunks.values {
        status = status.worst(chunk.status)
        var written = 0
        for (end, message, line) in chunk.errors {
          out(String(decoding: chunk.output[written..<end], as: UTF8.self))
          err(message + "\n")
          written = end
          invalidLines += 1
          if invalidLines == maximumInvalidLines {
            err("\(name): stopped at the \(maximumInvalidLines)th invalid line (line \(line)); the lines after it are not read\n")
            return true
          }
        }
        if written < chunk.output.count { out(String(decoding: chunk.output[written...], as: UTF8.self)) }
      }
    }
    return false
  }

  /// How many lines one core decides before its results are written.
  static let linesPerChunk = 1_024

  /// The invalid line at which `--requests` stops reading.
  static let maximumInvalidLines = 1_000

  /// Up to `count` lines from `start` on, as byte ranges between line feeds; `start` moves past them.
  private static func nextLines(in bytes: UnsafeBufferPointer<UInt8>, from start: inout Int, count: Int) -> [Range<Int>] {
    var lines: [Range<Int>] = []
    lines.reserveCapacity(count)
    while lines.count < count && start <= bytes.count {
      let end = lineEnd(in: bytes, from: start)
      lines.append(start..<end)
      start = end + 1
    }
    return lines
  }

  /// The offset of the first line feed at or after `start`, or the end of the bytes.
  private static func lineEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    guard let base = bytes.baseAddress, let found = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
    return UnsafeRawPointer(found) - UnsafeRawPointer(base)
  }

  /// A line's request, its context without the shared one: read by ``RequestLineReader`` when it can, else by
  /// the general JSON reader, which reports what is wrong.
  static func readLine(_ line: UnsafeBufferPointer<UInt8>, template: AuthorizationRequest, file: String, line number: Int)
    throws(InputError) -> AuthorizationRequest
  {
    let request = if let read = RequestLineReader.read(line) {
      read.applied(to: template)
    } else {
      try parseLine(Array(line), template: template, file: "\(file) line \(number)")
    }
    var action = request.action
    guard action.withUTF8({ $0.count(where: { $0 == UInt8(ascii: ":") }) }) == 1 else {
      throw InputError(.missingAction, "each line needs an `action` of the form service:Action", file: "\(file) line \(number)")
    }
    return request
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
