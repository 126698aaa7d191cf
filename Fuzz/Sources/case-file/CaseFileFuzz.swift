// Fuzz target `case-file`: the input is written as the only case file of a temporary repository's `cases/fuzz/`
// folder; `iamsim test` runs on that folder for inputs of even length, `iamsim eval --case` on the file for inputs
// of odd length (one command per execution; mutations change the length, so both are reached).
//
// The repository holds copies of the shipped policies and of the policies, permission sets and SAML files the
// regression cases refer to (`cases/policies/`, `cases/permission-sets/`, `policies/`), a policy outside the
// repository, and a symbolic link that leads there.
//
// Must hold: no crash, no hang; `test` exits 0, 1 or 2; 0 and 1 only when at least one request ran (a malformed
// file is never silently accepted); 2 with errors on standard error that each name the file at fault (the case
// file or one it refers to).
// `eval --case` exits 0, 1, 2 or 64 and prints no decision when it exits 2.
import FuzzDriver
import Foundation
import IAMPolicy
import IAMSimCLI

/// The iamsim checkout this target was built from.
let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().path

struct Sandbox {
  let root: String
  let repository: String
  let caseFolder: String
  let caseFile: String
  let environment: [String: String]

  init() {
    let fileManager = FileManager.default
    root = fileManager.temporaryDirectory.appendingPathComponent("iamsim-fuzz-\(getpid())-\(UUID().uuidString)").path
    repository = root + "/repo"
    caseFolder = repository + "/cases/fuzz"
    caseFile = caseFolder + "/case.json"
    environment = ["IAMSIM_POLICIES": repository + "/policies/aws-managed"]
    do {
      try fileManager.createDirectory(atPath: repository + "/.git", withIntermediateDirectories: true)
      try fileManager.createDirectory(atPath: caseFolder, withIntermediateDirectories: true)
      try fileManager.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
      try fileManager.copyItem(atPath: sourceRoot + "/policies", toPath: repository + "/policies")
      try fileManager.copyItem(atPath: sourceRoot + "/cases/policy-types/policies", toPath: repository + "/cases/policies")
      try fileManager.copyItem(atPath: sourceRoot + "/cases/identity-center/permission-sets",
                               toPath: repository + "/cases/permission-sets")
      let allow = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
      try allow.write(toFile: root + "/outside/p.json", atomically: true, encoding: .utf8)
      try fileManager.createSymbolicLink(atPath: repository + "/cases/link.json", withDestinationPath: root + "/outside/p.json")
    } catch {
      fatalError("cannot prepare the fuzzing repository under \(root): \(error)")
    }
  }
}

let sandbox = Sandbox()
/// Removes the sandbox when the fuzzer exits normally.
let cleanup: Void = { atexit { try? FileManager.default.removeItem(atPath: sandbox.root) } }()

struct Collect: TextOutputStream {
  var text = ""
  mutating func write(_ string: String) { text += string }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCaseFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  _ = cleanup
  // Plain write(2), no fsync: the file only has to be there for the next call.
  let descriptor = open(sandbox.caseFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  guard descriptor >= 0, size == 0 || data.map({ write(descriptor, $0, size) }) == size else {
    fatalError("cannot write \(sandbox.caseFile)")
  }
  close(descriptor)
  if size % 2 == 0 { checkTest() } else { checkEvalCase() }
  return 0
}

/// `iamsim test` on the case folder.
func checkTest() {
  var out = Collect()
  var err = Collect()
  let status = Tool.run(["test", sandbox.caseFolder], environment: sandbox.environment, stdout: &out, stderr: &err)
  switch status.rawValue {
  case 0, 1:
    let summary = out.text.split(separator: "\n").last.map(String.init) ?? ""
    let counts = summary.split(separator: " ")
    guard counts.count == 4, let passed = Int(counts[0]), let failed = Int(counts[2]) else {
      fatalError("`test` exited \(status.rawValue) without a `N passed, N failed` line: \(out.text)")
    }
    if passed + failed == 0 { fatalError("`test` exited \(status.rawValue) having run no request:\n\(out.text)") }
    if status.rawValue == 0 && failed != 0 { fatalError("`test` exited 0 with \(failed) failing requests") }
    if status.rawValue == 1 && failed == 0 { fatalError("`test` exited 1 with no failing request") }
  case 2:
    // Every error line starts with the file it is about: the case file, or a file it refers to.
    let lines = err.text.split(separator: "\n")
    if lines.isEmpty || lines.contains(where: { !$0.hasPrefix(sandbox.root) }) {
      fatalError("`test` exited 2 without naming the file at fault on each line: \(err.text)")
    }
  default:
    fatalError("`test` exited \(status.rawValue): \(err.text)")
  }
}

/// `iamsim eval --case` on the case file.
func checkEvalCase() {
  var evalOut = Collect()
  var evalErr = Collect()
  let evalStatus = Tool.run(["eval", "--case", sandbox.caseFile, "--format", "json"], environment: sandbox.environment,
                            stdout: &evalOut, stderr: &evalErr)
  switch evalStatus.rawValue {
  case 0, 1, 64: break
  case 2:
    if evalOut.text.contains("\"allowed\"") { fatalError("`eval --case` exited 2 yet printed an allowed decision") }
  default:
    fatalError("`eval --case` exited \(evalStatus.rawValue): \(evalErr.text)")
  }
}

@_cdecl("case_file_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzCaseFile)
}
