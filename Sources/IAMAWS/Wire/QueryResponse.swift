import IAMPolicy

/// Turns a `query` service's XML response into the JSON the AWS CLI prints, as botocore's `QueryParser` and
/// the IAM `json_decode_policies` handler do: the `<OperationResult>` element read by the operation's
/// ``QueryShape``, members in the model's order and only those present, lists from their child elements
/// (`<member>`), integers and booleans typed, timestamps as the CLI v2 prints them, policy documents
/// URL-decoded and parsed.
enum QueryResponse {
  /// Decodes a successful response.
  static func decode(_ body: [UInt8], version: String, operation: String) throws(AWSError) -> JSONValue {
    guard let shape = QueryShape.result(version: version, operation: operation) else {
      throw AWSError(code: "UnsupportedOperation",
                     message: "iamsim has no response shape for this query-protocol operation (API version \(version))",
                     operation: operation)
    }
    let root: XMLNode
    do {
      root = try XMLReader.parse(body)
    } catch {
      throw AWSError(code: "InvalidResponse", message: "the XML response does not parse at byte \(error.offset): \(error.message)",
                     status: 200, operation: operation)
    }
    guard let result = root.child(operation + "Result") else {
      if root.name == operation + "Response" { return value(XMLNode(name: "", children: [], text: ""), shape) }
      throw AWSError(code: "InvalidResponse", message: "the response has no <\(operation)Result> element (root <\(root.name)>)",
                     status: 200, operation: operation)
    }
    return value(result, shape)
  }

  /// The JSON of one element read as `shape`.
  static func value(_ node: XMLNode, _ shape: QueryShape) -> JSONValue {
    switch shape {
    case .string: return JSONBuild.string(node.text)
    case .integer:
      let text = node.text.trimmingWhitespace
      return Int(text).map { JSONBuild.number(String($0)) } ?? JSONBuild.string(node.text)
    case .boolean: return JSONBuild.bool(node.text == "true")
    case .timestamp: return JSONBuild.string(UTCTime(iso8601: node.text.trimmingWhitespace)?.isoformat ?? node.text)
    case .policyDocument: return policyDocument(node.text)
    case .list(let element): return JSONBuild.array(node.children.map { value($0, element) })
    case .structure(let members):
      var result: [(String, JSONValue)] = []
      for (name, memberShape) in members {
        if let child = node.child(name) { result.append((name, value(child, memberShape))) }
      }
      return JSONBuild.object(result)
    }
  }

  /// `json.loads(unquote(text))`, or the text when that fails.
  static func policyDocument(_ text: String) -> JSONValue {
    guard let parsed = try? JSONReader().read(Percent.decode(text)) else { return JSONBuild.string(text) }
    return JSONBuild.pythonDict(parsed)
  }

  /// The code and message of an XML error response (`<ErrorResponse><Error><Code>`), if it is one.
  static func error(_ body: [UInt8]) -> (code: String, message: String)? {
    guard let root = try? XMLReader.parse(body) else { return nil }
    let error = root.first("Error") ?? root
    guard let code = error.child("Code")?.text.trimmingWhitespace, !code.isEmpty else { return nil }
    return (code, error.child("Message")?.text ?? "")
  }
}
