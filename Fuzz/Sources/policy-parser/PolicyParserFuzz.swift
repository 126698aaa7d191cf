// Fuzz target `policy-parser`: arbitrary bytes read as a policy of one kind.
//
// The kind (and, for identity policies, whether the document is AWS managed) is chosen by the input's length, so
// that each execution parses once and the fuzzer still reaches every kind: mutations change the length.
//
// Must hold for every input: no crash, no hang, no unbounded memory; a document either parses or throws an
// `InputError` that carries at least one error diagnostic; `diagnose` agrees with `init(parsing:)`.
import FuzzDriver
import IAMPolicy

/// Every role a document can be read in: each kind, and an identity policy that is AWS managed (only the size
/// checks differ, and they do not depend on the kind).
let roles: [(kind: PolicyKind, managed: Bool)] = PolicyKind.allCases.map { ($0, false) } + [(.identity, true)]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicyParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let (kind, managed) = roles[size % roles.count]
  do throws(InputError) {
    let document = try PolicyDocument(parsing: bytes, name: "fuzz", kind: kind, file: "fuzz.json", isAWSManaged: managed)
    guard let json = try? JSONReader().read(bytes) else { fatalError("a policy parsed from text the JSON reader refuses") }
    let diagnostics = PolicyDocument.diagnose(json: json, name: "fuzz", kind: kind, isAWSManaged: managed)
    if diagnostics.contains(where: { $0.severity == .error }) {
      fatalError("`diagnose` reports an error for a policy that parsed as \(kind)")
    }
    _ = document.statements.count
  } catch {
    guard error.diagnostics.contains(where: { $0.severity == .error }) else {
      fatalError("a refused \(kind) policy carries no error diagnostic")
    }
    for diagnostic in error.diagnostics { _ = diagnostic.formatted }
    _ = error.description
  }
  return 0
}

@_cdecl("policy_parser_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzPolicyParser)
}
