import IAMPolicy

/// An operation's HTTP request before it is addressed and signed: method, path and query (percent-encoded,
/// relative to the endpoint), headers other than `Host`, and the body.
struct WireRequest: Sendable, Hashable {
  var method: String
  var path: String
  var query: String
  var headers: [SigV4Request.Header]
  var body: [UInt8]

  /// The request of `operation` with `input` (an object of the operation's input members), as its protocol
  /// serializes it (botocore's `serialize.py`).
  static func encode(_ operation: AWSOperation, input: JSONOutput) throws(AWSError) -> WireRequest {
    let members = try inputMembers(input, operation: operation.name)
    switch operation.service.wire {
    case .json(let targetPrefix):
      return WireRequest(
        method: "POST", path: "/", query: "",
        headers: [.init("Content-Type", "application/x-amz-json-1.1"), .init("X-Amz-Target", "\(targetPrefix).\(operation.name)")],
        body: Array(JSONOutput.object(members).rendered().utf8))
    case .query(let version):
      var pairs = [("Action", operation.name), ("Version", version)]
      for (name, value) in members { flatten(value, prefix: name, into: &pairs) }
      let body = pairs.map { Percent.encode($0.0) + "=" + Percent.encode($0.1) }.joined(separator: "&")
      return WireRequest(method: "POST", path: "/", query: "",
                         headers: [.init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: Array(body.utf8))
    case .restJSON:
      return try restJSON(operation, members: members)
    }
  }

  private static func inputMembers(_ input: JSONOutput, operation: String) throws(AWSError) -> [(String, JSONOutput)] {
    if case .null = input { return [] }
    guard let members = input.objectMembers else {
      throw AWSError(code: "InvalidInput", message: "the input must be a JSON object of the operation's members", operation: operation)
    }
    return members.filter { if case .null = $0.1 { return false } else { return true } }
  }

  /// The query protocol's flattening: `Name.member.N` for list elements (from 1), `Name.Key` for structure
  /// members, `Name.entry.N.key` / `.value` for maps, `true`/`false` for booleans; an empty list as `Name=`.
  private static func flatten(_ value: JSONOutput, prefix: String, into pairs: inout [(String, String)]) {
    switch value {
    case .null: break
    case .bool(let flag): pairs.append((prefix, flag ? "true" : "false"))
    case .number(let text), .string(let text): pairs.append((prefix, text))
    case .array(let elements):
      if elements.isEmpty { pairs.append((prefix, "")) }
      for (offset, element) in elements.enumerated() { flatten(element, prefix: "\(prefix).member.\(offset + 1)", into: &pairs) }
    case .object(let members):
      for (name, member) in members { flatten(member, prefix: "\(prefix).\(name)", into: &pairs) }
    }
  }

  /// rest-json: `{name}` (`{name+}` keeps slashes) path members, the operation's query-string and header members,
  /// the other members as a JSON body (for methods that carry one; `{}` when there are none).
  private static func restJSON(_ operation: AWSOperation, members: [(String, JSONOutput)]) throws(AWSError) -> WireRequest {
    var remaining = members
    func take(_ name: String) -> JSONOutput? {
      guard let index = remaining.firstIndex(where: { $0.0 == name }) else { return nil }
      return remaining.remove(at: index).1
    }
    var path = ""
    var template = Substring(operation.path)
    while let open = template.firstIndex(of: "{") {
      guard let close = template[open...].firstIndex(of: "}") else { break }
      path += template[..<open]
      var name = String(template[template.index(after: open)..<close])
      let greedy = name.hasSuffix("+")
      if greedy { name.removeLast() }
      guard let value = take(name)?.scalarText else {
        throw AWSError(code: "InvalidInput", message: "the input has no `\(name)`, which the request path needs", operation: operation.name)
      }
      path += Percent.encode(value, keeping: greedy ? "/" : "")
      template = template[template.index(after: close)...]
    }
    path += template
    var queryItems: [(String, String)] = []
    var pathQuery = ""
    if let mark = path.firstIndex(of: "?") {
      pathQuery = String(path[path.index(after: mark)...])
      path = String(path[..<mark])
    }
    for (member, parameter) in operation.queryMembers.sorted(by: { $0.key < $1.key }) {
      guard let value = take(member) else { continue }
      if case .array(let elements) = value {
        for element in elements { if let text = element.scalarText { queryItems.append((parameter, text)) } }
      } else if let text = value.scalarText {
        queryItems.append((parameter, text))
      }
    }
    var headers: [SigV4Request.Header] = []
    for (member, header) in operation.headerMembers.sorted(by: { $0.key < $1.key }) {
      if let text = take(member)?.scalarText { headers.append(.init(header, text)) }
    }
    var body: [UInt8] = []
    if !["GET", "HEAD", "DELETE"].contains(operation.method.uppercased()) {
      body = Array(JSONOutput.object(remaining).rendered().utf8)
      headers.append(.init("Content-Type", "application/json"))
    }
    let query = ([pathQuery].filter { !$0.isEmpty } + queryItems.map { Percent.encode($0.0) + "=" + Percent.encode($0.1) })
      .joined(separator: "&")
    return WireRequest(method: operation.method.uppercased(), path: path.isEmpty ? "/" : path, query: query, headers: headers, body: body)
  }
}
