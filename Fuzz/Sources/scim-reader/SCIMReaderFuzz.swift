// Fuzz target `scim-reader`: bytes split at NUL bytes into up to four files given together to the SCIM validator
// (so that `aws identitystore` output and SCIM payloads meet).
//
// Must hold: no crash, no hang, no unbounded memory; the validator either throws `JSONInputError` naming a file
// or returns a report that renders as text and JSON, with one result per payload it recognized or refused.
import FuzzDriver
import IAMFederation
import IAMPolicy

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSCIMReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let parts = bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
  let inputs = parts.enumerated().map { SCIMInput(name: "file\($0.offset).json", bytes: Array($0.element)) }
  do {
    let report = try SCIMValidator().validate(inputs)
    _ = report.text
    _ = report.jsonOutput.rendered(pretty: true)
    for payload in report.payloads where !inputs.contains(where: { $0.name == payload.file }) {
      fatalError("a result names the file `\(payload.file)`, which was not given")
    }
  } catch {
    guard let file = error.file, inputs.contains(where: { $0.name == file }) else {
      fatalError("a SCIM input error names no given file: \(error)")
    }
    _ = error.description
  }
  return 0
}

@_cdecl("scim_reader_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzSCIMReader)
}
