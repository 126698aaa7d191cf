import IAMEvaluation
import IAMPolicy
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// The fast paths of `eval --requests` (issue 5) must answer exactly as the general code they bypass: the line
/// reader as the JSON reader, the result writer as the `JSONOutput` tree.
@Suite struct RequestStreamTests {
  static let template = AuthorizationRequest(action: "", resource: "arn:aws:s3:::default", resourceAccount: nil)

  /// A random line: mostly the usual shape, with escapes, non-ASCII text, numbers, nesting, duplicate and unknown
  /// members, odd white space and random damage mixed in.
  static func randomLine(_ generator: inout SeededGenerator) -> String {
    func pick(_ items: [String]) -> String { items.randomElement(using: &generator)! }
    func space() -> String { Int.random(in: 0..<6, using: &generator) == 0 ? pick([" ", "\t", "\r", "  "]) : "" }
    func text() -> String {
      let pieces = ["s3", ":", "GetObject", "arn:aws:s3:::b/k", "*", " ", "é", "\\\"", "\\n", "\\u0041", "\\/", "a", "1"]
      return "\"" + (0..<Int.random(in: 0...4, using: &generator)).map { _ in pick(pieces) }.joined() + "\""
    }
    func scalar() -> String {
      switch Int.random(in: 0..<10, using: &generator) {
      case 0: pick(["true", "false"])
      case 1: pick(["12", "-0.5", "1e3", "null", "tru", "{}"])
      default: text()
      }
    }
    func contextValue() -> String {
      Int.random(in: 0..<4, using: &generator) == 0
        ? "[" + (0..<Int.random(in: 0...3, using: &generator)).map { _ in scalar() }.joined(separator: ",") + "]"
        : scalar()
    }
    func contextObject() -> String {
      let keys = ["\"aws:SourceIp\"", "\"AWS:sourceip\"", "\"aws:PrincipalTag/Team\"", "\"s3:prefix\"", "\"\"", text()]
      let members = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
        space() + pick(keys) + space() + ":" + space() + contextValue() + space()
      }
      return "{" + members.joined(separator: ",") + "}"
    }
    let names = ["action", "action", "resource", "resourceAccount", "context", "Action", "expect"]
    var members: [String] = []
    for _ in 0..<Int.random(in: 0...4, using: &generator) {
      let name = pick(names)
      let value = name == "context" && Int.random(in: 0..<5, using: &generator) > 0 ? contextObject() : scalar()
      members.append(space() + "\"" + name + "\"" + space() + ":" + space() + value + space())
    }
    if members.isEmpty || Bool.random(using: &generator) {
      members.insert("\"action\":\"" + pick(["s3:GetObject", "rds:CreateDBInstance", "s3:Get:Object", "nocolon"]) + "\"", at: 0)
    }
    var line = Array(space() + "{" + members.joined(separator: ",") + "}" + space())
    if Int.random(in: 0..<5, using: &generator) == 0 {
      let position = Int.random(in: 0...line.count, using: &generator)
      if Bool.random(using: &generator), position < line.count {
        line.remove(at: position)
      } else {
        line.insert(pick(["\"", "{", "}", ",", ":", "[", "x", "\u{7F}"]).first!, at: position)
      }
    }
    return String(line)
  }

  @Test func theLineReaderAnswersAsTheJSONReaderWhereItAnswers() {
    var generator = SeededGenerator(seed: 51)
    var fast = 0
    for _ in 0..<20_000 {
      let line = Self.randomLine(&generator)
      let bytes = Array(line.utf8)
      let general = try? EvalCommand.parseLine(bytes, template: Self.template, file: "f")
      guard let read = bytes.withUnsafeBufferPointer(RequestLineReader.read) else { continue }
      fast += 1
      #expect(general == read.applied(to: Self.template), "\(line)")
    }
    #expect(fast > 3_000, "the fast reader answers for the usual shapes (\(fast))")
  }

  @Test func theLineReaderLeavesWhatItDoesNotKnowToTheJSONReader() {
    for line in [
      #"{"action":"s3:GetObject","action":"s3:PutObject"}"#,  // a duplicate member: an error there
      #"{"action":"s3:GetObject","context":{"a":"1","A":"2"}}"#,  // keys equal regardless of case
      #"{"action":"s3:Get\u004fbject"}"#, #"{"action":"s3:GetObject","context":{"n":12}}"#,
      #"{"action":"s3:GetObject","context":{"n":{"x":"1"}}}"#, #"{"action":"s3:GetObject"} x"#, "\u{FEFF}{\"action\":\"s3:GetObject\"}",
      #"{"action":"s3:GetObject","expect":"allowed"}"#, #"{"action":"s3:GetObject",}"#, #"{"action":"s3:GetObject""#,
    ] {
      #expect(Array(line.utf8).withUnsafeBufferPointer(RequestLineReader.read) == nil, "\(line)")
    }
    let read = Array(#" { "action" : "s3:GetObject" , "context" : { "k" : [ "a" , true ] , "b" : false } } "#.utf8)
      .withUnsafeBufferPointer(RequestLineReader.read)
    #expect(read?.action == "s3:GetObject")
    #expect(read?.context["k"]?.values == ["a", "true"] && read?.context["k"]?.isMultivalued == true)
    #expect(read?.context["b"]?.values == ["false"] && read?.context["b"]?.isMultivalued == false)
  }

  /// Responses of every kind: allowed and denied in each layer, statements with and without a Sid, missing context
  /// keys, diagnostics and text that needs escaping.
  @Test func theResultWriterWritesTheBytesOfTheJSONTree() throws {
    func policy(_ text: String, _ kind: PolicyKind) throws -> PolicyDocument {
      try PolicyDocument(parsing: Array(text.utf8), name: "p-\"\(kind)\"", kind: kind)
    }
    let identity = try policy(#"""
      {"Version":"2012-10-17","Statement":[
        {"Sid":"Read","Effect":"Allow","Action":["s3:Get*","iam:*","kms:*"],"Resource":"*"},
        {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalTag/Team":"data"}}},
        {"Sid":"NoDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}
      """#, .identity)
    let scp = try policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","iam:*"],"Resource":"*"}]}"#, .serviceControl)
    let bucket = try policy(#"""
      {"Version":"2012-10-17","Statement":[{"Sid":"Cross","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}
      """#, .resource)
    let sets = [
      PolicySet(identityPolicies: [identity]),
      PolicySet(identityPolicies: [identity], serviceControlPolicies: [[scp]]),
      PolicySet(identityPolicies: [identity], resourcePolicy: bucket),
    ]
    let requests = [
      AuthorizationRequest(action: "s3:GetObject", resource: "arn:aws:s3:::b/k\"\u{2028}é"),
      AuthorizationRequest(action: "s3:GetObject", resource: "arn:aws:s3:::b/k", resourceAccount: "444455556666"),
      AuthorizationRequest(action: "s3:PutObject", resource: "arn:aws:s3:::b/k"),
      AuthorizationRequest(action: "s3:DeleteObject", resource: "arn:aws:s3:::b/k"),
      AuthorizationRequest(action: "iam:DeleteRole", resource: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/R"),
      AuthorizationRequest(action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111122223333:key/k"),
      AuthorizationRequest(action: "ec2:RunInstances"),
    ]
    var kinds: Set<String> = []
    // One writer for all: the second time a statement is shown, its bytes come from the writer's memory.
    let writer = ResponseLine()
    for policies in sets {
      let authorizer = try Authorizer(policies)
      for request in requests {
        let response = authorizer.authorize(request)
        var bytes: [UInt8] = []
        writer.write(response, for: request, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == JSONOutput.response(response, for: request).rendered())
        kinds.insert("\(response.decision)/\(response.determiningStatements.count)/\(response.missingContextKeys.isEmpty)/\(response.diagnostics.isEmpty)")
      }
    }
    #expect(kinds.count >= 5, "the responses differ in kind (\(kinds.sorted()))")
  }

  /// The writer copies plain ASCII text after scanning it eight bytes at a time (the last eight overlapping, text
  /// shorter than eight padded): a byte it must escape or hand on (a control character, `"`, `\\`, U+007F, any text
  /// not ASCII) is found at every position of texts of every length up to 20, and the line still equals the tree.
  @Test func theResultWriterFindsAByteToEscapeAtEveryPosition() throws {
    let policy = try PolicyDocument(
      parsing: Array(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.utf8),
      name: "p", kind: .identity)
    let authorizer = try Authorizer(PolicySet(identityPolicies: [policy]))
    let writer = ResponseLine()
    var escaped = 0
    for special in ["\"", "\\", "\n", "\u{1}", "\u{1F}", "\u{7F}", "é", "\u{2028}", "\u{2029}", "~", " "] {
      for length in 1...20 {
        for position in 0..<length {
          let resource = String(repeating: "a", count: position) + special + String(repeating: "b", count: length - position - 1)
          let request = AuthorizationRequest(action: "s3:GetObject", resource: resource)
          let response = authorizer.authorize(request)
          var bytes: [UInt8] = []
          writer.write(response, for: request, to: &bytes)
          let tree = JSONOutput.response(response, for: request).rendered()
          #expect(String(decoding: bytes, as: UTF8.self) == tree, "\(special.unicodeScalars.map(\.value)) at \(position) of \(length)")
          if tree.contains("\\") { escaped += 1 }
        }
      }
    }
    #expect(escaped > 1_000, "most of the texts need escaping (\(escaped))")
  }
}
