import Foundation
import IAMEvaluation
import IAMPolicy

extension EvalCommand {
  /// Reads JSON Lines requests and writes one compact JSON result per line, in order.
  ///
  /// The whole input is read before the first line is decided, so results are written in blocks of about
  /// ``outputBlockSize`` bytes rather than one string per line: a line's result costs one rendering into a
  /// shared buffer, not a string of its own.
  static func streamRequests(
    _ source: String, template: AuthorizationRequest, authorizer: Authorizer, expected: Decision?,
    out: (String) -> Void, err: (String) -> Void
  ) throws -> ExitStatus {
    let bytes = source == "-" ? try InputFile.readStandardInput() : try InputFile.read(source)
    let name = source == "-" ? "<stdin>" : source
    var status = ExitStatus.success
    var lineNumber = 0
    var block: [UInt8] = []
    block.reserveCapacity(outputBlockSize + 4_096)
    func flush() {
      out(String(decoding: block, as: UTF8.self))
      block.removeAll(keepingCapacity: true)
    }
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      do {
        let request = try parseLine(Array(line), template: template, file: name, line: lineNumber)
        let response = authorizer.authorize(request)
        if let expected, response.decision != expected { status = status.worst(.failure) }
        JSONOutput.response(response, for: request).render(appendingTo: &block)
      } catch let error as InputError {
        status = .invalidInput
        JSONOutput.object([("line", .int(lineNumber)), ("error", .string(error.description))]).render(appendingTo: &block)
        // The error goes to standard error after the results before it.
        block.append(UInt8(ascii: "\n"))
        flush()
        err(error.description + "\n")
        continue
      }
      block.append(UInt8(ascii: "\n"))
      if block.count >= outputBlockSize { flush() }
    }
    if !block.isEmpty { flush() }
    return status
  }

  /// About how many bytes of results `--requests` writes at a time.
  static let outputBlockSize = 65_536

  private static func parseLine(_ bytes: [UInt8], template: AuthorizationRequest, file: String, line: Int) throws
    -> AuthorizationRequest
  {
    let where_ = "\(file) line \(line)"
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
        request.context = template.context.merging(
          try CaseFileLoader.context(member.value, at: JSONPath.root.appending("context"), file: where_))
      default:
        throw InputError(.unknownElement, "`\(member.key)` is not a request member (action, resource, resourceAccount, context)",
                         file: where_, path: JSONPath.root.appending(member.key), position: member.keyPosition)
      }
    }
    guard request.action.utf8.count(where: { $0 == UInt8(ascii: ":") }) == 1 else {
      throw InputError(.missingAction, "each line needs an `action` of the form service:Action", file: where_)
    }
    return request
  }
}
