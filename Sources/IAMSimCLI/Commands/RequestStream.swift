import IAMEvaluation
import IAMPolicy

/// What `eval --requests` decides each line with: the policies, compiled once, and the caller, prepared once.
struct RequestStream: Sendable {
  /// The results of consecutive lines.
  struct Chunk: Sendable {
    /// One JSON result (or error object) per non-blank line, each ending in a line feed.
    var output: [UInt8] = []
    /// For each invalid line: where its error object ends in ``output``, and the message for standard error.
    var errors: [(end: Int, message: String)] = []
    var status = ExitStatus.success
  }

  let file: String
  let authorizer: Authorizer
  let expected: Decision?
  /// The caller's derived keys and the `--context` keys, laid under every line's own context.
  let caller: PreparedCaller
  /// The flags' request without context: what a line does not set.
  let lineTemplate: AuthorizationRequest

  init(file: String, template: AuthorizationRequest, authorizer: Authorizer, expected: Decision?) {
    self.file = file
    self.authorizer = authorizer
    self.expected = expected
    caller = PreparedCaller(template.principal, sharedContext: template.context)
    var lineTemplate = template
    lineTemplate.context = RequestContext()
    self.lineTemplate = lineTemplate
  }

  /// Decides `lines` (indices into `ranges`, the byte ranges of all lines in `input`).
  func decide(lines: Range<Int>, of ranges: [Range<Int>], in input: UnsafeBufferPointer<UInt8>) -> Chunk {
    var chunk = Chunk()
    chunk.output.reserveCapacity(lines.count * 512)
    for index in lines {
      let line = UnsafeBufferPointer(rebasing: input[ranges[index]])
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      do throws(InputError) {
        let request = try EvalCommand.readLine(line, template: lineTemplate, file: file, line: index + 1)
        let response = authorizer.authorize(PreparedRequest(request, caller: caller))
        if let expected, response.decision != expected { chunk.status = chunk.status.worst(.failure) }
        ResponseLine.write(response, for: request, to: &chunk.output)
        chunk.output.append(UInt8(ascii: "\n"))
      } catch {
        chunk.status = .invalidInput
        JSONOutput.object([("line", .int(index + 1)), ("error", .string(error.description))]).render(appendingTo: &chunk.output)
        chunk.output.append(UInt8(ascii: "\n"))
        chunk.errors.append((chunk.output.count, error.description))
      }
    }
    return chunk
  }
}
