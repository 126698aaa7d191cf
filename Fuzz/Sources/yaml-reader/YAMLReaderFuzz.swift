// Fuzz target `yaml-reader`: arbitrary bytes read as a YAML document, then converted to JSON (core schema) and to
// the JSON form of a CloudFormation template.
//
// Must hold for every input: no crash, no hang, no unbounded memory (aliases are bounded); the reader returns a
// node or throws a `YAMLSyntaxError` at a line and column inside the input; every JSON it produces renders as text
// that `JSONReader` reads back to the same value; a conversion error names a JSON path; and bytes that
// `JSONReader` accepts (JSON is YAML) read to the very value, positions included, that `JSONReader` gives.
import FuzzDriver
import IAMPolicy
import IAMYAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAMLReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
  let node: YAMLNode
  do throws(YAMLSyntaxError) {
    node = try YAMLReader().read(bytes)
  } catch {
    guard error.position.line >= 1, error.position.line <= lines, error.position.column >= 1 else {
      fatalError("a YAML error outside the input: \(error) (the input has \(lines) lines)")
    }
    _ = error.description
    if let json = try? JSONReader().read(bytes), !hasLoneCarriageReturn(bytes) {
      fatalError("JSON that JSONReader reads (\(json.typeName)) refused as YAML: \(error)")
    }
    return 0
  }
  let core: JSONValue?
  do throws(YAMLSyntaxError) {
    core = try node.json()
  } catch {
    guard error.path != nil else { fatalError("a conversion error names no path: \(error)") }
    core = nil
  }
  if let core { checkRoundTrip(core) }
  if let json = try? JSONReader().read(bytes) {
    guard let core, core == json else {
      fatalError("JSON read as YAML differs from JSONReader's value")
    }
  }
  do throws(YAMLSyntaxError) {
    let template = try CloudFormationYAML.json(from: node)
    checkRoundTrip(template)
  } catch {
    guard error.path != nil else { fatalError("a CloudFormation conversion error names no path: \(error)") }
    _ = error.description
  }
  return 0
}

/// The value renders as JSON that reads back to the same value (numbers valid, strings escaped).
func checkRoundTrip(_ value: JSONValue) {
  let text = value.output.rendered()
  guard let back = try? JSONReader(maximumDepth: 1 << 20).read(text) else {
    fatalError("converted JSON does not read back: \(text.prefix(200))")
  }
  guard back.output == value.output else { fatalError("converted JSON reads back to another value") }
}

func hasLoneCarriageReturn(_ bytes: [UInt8]) -> Bool {
  for (offset, byte) in bytes.enumerated() where byte == 0x0D {
    if offset + 1 >= bytes.count || bytes[offset + 1] != 0x0A { return true }
  }
  return false
}

@_cdecl("yaml_reader_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzYAMLReader)
}
