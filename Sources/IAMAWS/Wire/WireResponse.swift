import IAMPolicy

/// An HTTP response: status, headers (names lower-cased) and body.
struct WireResponse: Sendable, Hashable {
  var status: Int
  var headers: [String: String]
  var body: [UInt8]

  /// The operation's output, as the AWS CLI prints it (``QueryResponse`` for `query`, the JSON body with
  /// timestamps printed as the CLI v2 prints them for `json` and `rest-json`), or the error AWS answered.
  func decode(_ operation: AWSOperation) throws(AWSError) -> JSONValue {
    guard (200..<300).contains(status) else { throw error(operation) }
    switch operation.service.wire {
    case .query(let version):
      return try QueryResponse.decode(body, version: version, operation: operation.name)
    case .json(let targetPrefix):
      return JSONTimestamps.convert(try json(operation), members: JSONTimestamps.members[targetPrefix] ?? [])
    case .restJSON:
      return try json(operation)
    }
  }

  private func json(_ operation: AWSOperation) throws(AWSError) -> JSONValue {
    if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return JSONBuild.object([]) }
    do {
      return try JSONReader().read(body)
    } catch {
      throw AWSError(code: "InvalidResponse", message: "the response is not JSON: \(error.description)", status: status,
                     operation: operation.name)
    }
  }

  /// The AWS error of a failed response: `x-amzn-ErrorType`, JSON `__type` (after its `#`) or `code`, or XML
  /// `<Error><Code>`; with the message; otherwise one named after the status.
  func error(_ operation: AWSOperation) -> AWSError {
    var code: String?
    var message = ""
    if let header = headers["x-amzn-errortype"], let first = header.split(separator: ":").first, !first.isEmpty {
      code = String(first)
    }
    if let json = try? JSONReader().read(body), json.members != nil {
      if code == nil, let type = json["__type"]?.stringValue ?? json["code"]?.stringValue ?? json["Code"]?.stringValue {
        code = type.split(separator: "#").last.map(String.init) ?? type
      }
      message = json["message"]?.stringValue ?? json["Message"]?.stringValue ?? json["errorMessage"]?.stringValue ?? ""
    } else if let xml = QueryResponse.error(body) {
      code = code ?? xml.code
      message = xml.message
    }
    let fallback: String =
      switch status {
      case 429: "TooManyRequests"
      case 500: "InternalFailure"
      case 502: "BadGateway"
      case 503: "ServiceUnavailable"
      case 504: "GatewayTimeout"
      default: "HTTP\(status)"
      }
    if message.isEmpty, code == nil {
      message = String(decoding: body.prefix(200), as: UTF8.self).trimmingWhitespace
    }
    return AWSError(code: code ?? fallback, message: message, status: status, operation: operation.name)
  }
}

/// The members whose values are timestamps in the `json` services iamsim calls, read from their botocore models
/// (in each model, no member of these names has another type): the CLI v2 prints their epoch seconds as
/// `isoformat()` text, and so does the client.
enum JSONTimestamps {
  static let members: [String: Set<String>] = [
    // organizations/2016-11-28
    "AWSOrganizationsV20161128": [
      "CompletedTimestamp", "DateEnabled", "DelegationEnabledDate", "EndTimestamp", "EvaluationTimestamp",
      "ExpirationTimestamp", "JoinedTimestamp", "LastUpdatedTimestamp", "RequestedTimestamp", "StartTimestamp",
    ],
    // sso-admin/2020-07-20
    "SWBExternalService": ["AddedDate", "CreatedDate"],
    // identitystore/2020-06-15
    "AWSIdentityStore": ["CreatedAt", "UpdatedAt"],
  ]

  /// `value` with the numbers of those members replaced by UTC `isoformat()` text.
  static func convert(_ value: JSONValue, members: Set<String>) -> JSONValue {
    guard !members.isEmpty else { return value }
    switch value.kind {
    case .array(let elements): return JSONValue(.array(elements.map { convert($0, members: members) }), at: value.position)
    case .object(let items):
      return JSONValue(.object(items.map { item in
        var item = item
        if members.contains(item.key), case .number(let text) = item.value.kind, let seconds = Double(text) {
          item.value = JSONValue(.string(UTCTime(secondsSince1970: seconds).isoformat), at: item.value.position)
        } else {
          item.value = convert(item.value, members: members)
        }
        return item
      }), at: value.position)
    default: return value
    }
  }
}
