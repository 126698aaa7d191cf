import Foundation
import IAMEvaluation
import IAMPolicy

extension EvalCommand {
  /// Reads JSON Lines requests and writes one compact JSON result per line as each is decided.
  static func streamRequests(
    _ source: String, template: AuthorizationRequest, authorizer: Authorizer, expected: Decision?,
    out: (String) -> Void, err: (String) -> Void
  ) throws -> ExitStatus {
    let bytes = source == "-" ? try InputFile.readStandardInput() : try InputFile.read(source)
    let name = source == "-" ? "<stdin>" : source
    var status = ExitStatus.success
    var lineNumber = 0
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      do {
        let request = try parseLine(Array(line), template: template, file: name, line: lineNumber)
        let response = authorizer.authorize(request)
        if let expected, response.decision != expected { status = status.worst(.failure) }
        out(JSONOutput.response(response, for: request).rendered() + "\n")
      } catch let error as InputError {
        status = .invalidInput
        out(JSONOutput.object([("line", .int(lineNumber)), ("error", .string(error.description))]).rendered() + "\n")
        err(error.description + "\n")
      }
    }
    return status
  }

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
    guard request.action.split(separator: ":", omittingEmptySubsequences: false).count == 2 else {
      throw InputError(.missingAction, "each line needs an `action` of the form service:Action", file: where_)
    }
    return request
  }
}
