import IAMCatalog
import IAMEvaluation
import IAMPolicy
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// What the workers of `eval --requests` keep between lines (issue 15) changes no answer: texts kept by their bytes
/// are the bytes' own, a line read from what was kept reads as the JSON reader reads it, and the result writer that
/// remembers which long strings need no escaping writes the bytes of the `JSONOutput` tree.
@Suite struct RequestStreamCacheTests {
  @Test func aByteTableFindsEachKeyByItsBytesAndStopsGrowingWhenFull() {
    var table = ByteTable<Int>(capacity: 100, byteCapacity: 10_000)
    let keys = (0..<150).map { Array("key-\($0)-\(String(repeating: "x", count: $0 % 20))".utf8) } + [[], [0], [0, 0]]
    for (index, key) in keys.enumerated() {
      key.withUnsafeBufferPointer { bytes in
        let hash = ByteTable<Int>.hash(bytes)
        if table.value(bytes, hash: hash) == nil { table.insert(bytes, hash: hash, index) }
      }
    }
    #expect(table.count == 100)
    var found = 0
    for (index, key) in keys.enumerated() {
      let value = key.withUnsafeBufferPointer { table.value($0, hash: ByteTable<Int>.hash($0)) }
      // A key is found with its own value or not at all (past the capacity).
      #expect(value == nil || value == index, "\(key)")
      if value != nil { found += 1 }
    }
    #expect(found == 100)
    // Keys that differ from a kept one only in their last byte, or in length, are different keys.
    #expect(Array("key-1-x".utf8).withUnsafeBufferPointer { table.value($0, hash: ByteTable<Int>.hash($0)) } == 1)
    for other in ["key-1-y", "key-1-xx", "key-1-"] {
      #expect(Array(other.utf8).withUnsafeBufferPointer { table.value($0, hash: ByteTable<Int>.hash($0)) } == nil)
    }
    var small = ByteTable<Int>(capacity: 10, byteCapacity: 8)
    Array("123456789".utf8).withUnsafeBufferPointer { small.insert($0, hash: ByteTable<Int>.hash($0), 1) }
    #expect(small.count == 0, "a key longer than the bytes left is not kept")
  }

  /// Each random line read twice by one worker's texts (the second time from what it kept), and the lines of many
  /// shapes mixed, reads as the JSON reader reads it, or is left to it.
  @Test func linesReadFromKeptTextsReadAsTheJSONReaderReadsThem() throws {
    var generator = SeededGenerator(seed: 15)
    var texts = RequestTexts()
    let names = ActionNameChecker(catalog: try Catalog.bundled())
    let shared = SharedActions(names: names)
    var memo = ActionMemo(shared: shared)
    var other = ActionMemo(shared: shared)
    let template = RequestStreamTests.template
    let templateResource = PreparedResource(template.resource)
    var request = template
    var fast = 0
    for _ in 0..<20_000 {
      let line = RequestStreamTests.randomLine(&generator)
      let bytes = Array(line.utf8)
      let general = try? EvalCommand.parseLine(bytes, template: template, file: "f")
      for _ in 0..<2 {
        bytes.withUnsafeBufferPointer { line in
          guard let fields = RequestLineReader.scan(line) else { return }
          let action = memo.action(UnsafeBufferPointer(rebasing: line[fields.action]))
          guard
            let resource = texts.read(
              fields, in: line, action: action.text, into: &request, template: template,
              templateResource: templateResource)
          else { return }
          fast += 1
          #expect(general == request, "\(line)")
          // The prepared resource is the request's.
          #expect(resource.resource.utf8.elementsEqual(request.resource.utf8))
          #expect(action.text.utf8.elementsEqual(request.action.utf8))
          #expect(action.wellFormed == (request.action.utf8.count { $0 == UInt8(ascii: ":") } == 1))
          // Another worker of the stream gets the catalog's word on the action, in an entry of its own whose string
          // and preparation no other worker retains.
          let others = other.action(request.action)
          #expect(others !== action && (!action.wellFormed || others.prepared !== action.prepared))
          #expect(others.text.utf8.elementsEqual(action.text.utf8) && others.wellFormed == action.wellFormed)
          #expect(others.unknown == action.unknown)
        }
      }
    }
    #expect(fast > 6_000, "the fast reader answers for the usual shapes (\(fast))")
  }

  /// The names the result writer spells as static text are the values' raw values and names, in quotes.
  @Test func staticNamesAreTheRawValues() {
    func text(_ name: StaticString) -> String { name.description }
    for decision in Decision.allCases { #expect(text(ResponseLine.json(decision)) == "\"\(decision.rawValue)\"") }
    for rule in DecisionRule.allCases { #expect(text(ResponseLine.json(rule)) == "\"\(rule.rawValue)\"") }
    for verdict in [LayerResult.Verdict.deny, .allow, .noMatch] {
      #expect(text(ResponseLine.json(verdict)) == "\"\(verdict.rawValue)\"")
    }
    let layers: [Layer] = [.resource, .vpcEndpoint, .identity, .permissionsBoundary, .session]
    for layer in layers { #expect(ResponseLine.json(fixedName: layer).map(text) == "\"\(layer.name)\"") }
    #expect(ResponseLine.json(fixedName: .serviceControl(level: 0)) == nil)
    #expect(ResponseLine.json(fixedName: .resourceControl(level: 1)) == nil)
  }

  /// A scanned line's action and resource, and the caller's ARN rendered once, are written as they are spelled: the
  /// bytes equal the tree's for every line the scanner reads.
  @Test func scannedTextsAreWrittenAsTheTreeWritesThem() throws {
    let policy = try PolicyDocument(
      parsing: Array(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.utf8),
      name: "p", kind: .identity)
    let authorizer = try Authorizer(PolicySet(identityPolicies: [policy]))
    var generator = SeededGenerator(seed: 16)
    var texts = RequestTexts()
    let names = ActionNameChecker(catalog: try Catalog.bundled())
    var memo = ActionMemo(shared: SharedActions(names: names))
    let template = RequestStreamTests.template
    let templateResource = PreparedResource(template.resource)
    var principal: [UInt8] = []
    JSONOutput.appendString(template.principal.arn, to: &principal)
    let writer = ResponseLine()
    var scanned = 0
    for _ in 0..<5_000 {
      let bytes = Array(RequestStreamTests.randomLine(&generator).utf8)
      var request = template
      bytes.withUnsafeBufferPointer { line in
        guard let fields = RequestLineReader.scan(line) else { return }
        let action = memo.action(UnsafeBufferPointer(rebasing: line[fields.action]))
        guard
          texts.read(
            fields, in: line, action: action.text, into: &request, template: template, templateResource: templateResource)
            != nil
        else { return }
        scanned += 1
        let response = authorizer.authorize(request)
        var written: [UInt8] = []
        let spelled = ResponseLine.Spelled(
          action: UnsafeBufferPointer(rebasing: line[fields.action]),
          resource: fields.resource.map { UnsafeBufferPointer(rebasing: line[$0]) }, principal: principal)
        writer.write(response, for: request, spelled: spelled, to: &written)
        #expect(String(decoding: written, as: UTF8.self) == JSONOutput.response(response, for: request).rendered())
      }
    }
    #expect(scanned > 1_000, "the scanner reads the usual shapes (\(scanned))")
  }

  /// Long strings written again and again, from the writer's memory of which need no escaping: plain ones, ones
  /// that need escaping, and new strings with the bytes of earlier ones.
  @Test func theResultWriterWritesRepeatedLongStringsAsTheTree() throws {
    let policy = try PolicyDocument(
      parsing: Array(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.utf8),
      name: "p", kind: .identity)
    let authorizer = try Authorizer(PolicySet(identityPolicies: [policy]))
    let writer = ResponseLine()
    let resources = [
      "arn:aws:s3:::a-long-bucket-name/key", "arn:aws:s3:::a-long-bucket-name/k\"y", "arn:aws:s3:::a-long-bucket-name/ké",
      "arn:aws:s3:::a-long-bucket-name/k\u{7F}", "short", "arn:aws:s3:::a-long-bucket-name/k\u{2028}",
      // Longer than the writer keeps (``PlainStrings/longest``): scanned each time.
      "arn:aws:s3:::b/" + String(repeating: "k", count: 2_000), "arn:aws:s3:::b/" + String(repeating: "k", count: 2_000) + "\"",
    ]
    for round in 0..<3 {
      for resource in resources {
        // Each round, new strings with the same bytes, then the same strings again.
        let fresh = String(decoding: Array(resource.utf8), as: UTF8.self)
        for text in [fresh, fresh, resource] {
          let request = AuthorizationRequest(action: "s3:GetObject", resource: text)
          let response = authorizer.authorize(request)
          var bytes: [UInt8] = []
          writer.write(response, for: request, to: &bytes)
          #expect(String(decoding: bytes, as: UTF8.self) == JSONOutput.response(response, for: request).rendered(), "\(round)")
        }
      }
    }
    // Lines written one after the other into the writer's buffer are handed on together.
    let request = AuthorizationRequest(action: "s3:GetObject", resource: resources[0])
    let response = authorizer.authorize(request)
    writer.write(response, for: request)
    writer.newline()
    writer.append(Array("x\n".utf8))
    #expect(writer.written > 2)
    let line = JSONOutput.response(response, for: request).rendered() + "\n"
    #expect(writer.take() == line + "x\n")
    #expect(writer.written == 0)
  }
}
