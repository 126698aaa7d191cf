// Fuzz target `organization`: the input replaces one file of a valid organization directory (the first byte
// chooses which: `organization.json`, `assignments.json`, a permission set, an account's authorization details,
// `account-access.json` or an identity-store file), and the directory is loaded; the same bytes are also given to
// `iamsim import` as an AWS CLI export under the same choice of file name.
//
// Must hold: no crash, no hang; a load either succeeds (and then every caller's session either forms or says why
// not) or throws errors that each name a file of the directory; the importer either recognises the file or throws
// errors that name it.
import FuzzDriver
import Foundation
import IAMOrganization
import IAMPolicy

let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().path

let base = sourceRoot + "/Tests/IAMOrganizationTests/Fixtures/broken/_valid-base"
let directory: String = {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("iamsim-fuzz-org-\(getpid())").path
  try? FileManager.default.removeItem(atPath: path)
  do { try FileManager.default.copyItem(atPath: base, toPath: path) } catch { fatalError("cannot copy \(base): \(error)") }
  return path
}()

let roles = [
  "organization.json", "assignments.json", "permission-sets/ReadOnly.json", "accounts/111122223333/authorization-details.json",
  "account-access.json", "identity-store/2-groups.json",
]
let exportNames = [
  "get-account-authorization-details.111122223333.json", "list-account-assignments.111122223333.ps-1234567890abcdef.json",
  "describe-permission-set.ps-1234567890abcdef.json", "list-entitlements.111122223333.json", "describe-policy.p-abcd1234.json",
  "list-group-memberships.g-1.json",
]
let originals = roles.map { FileManager.default.contents(atPath: directory + "/" + $0) ?? Data() }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOrganization(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let choice = Int(bytes.first ?? 0) % roles.count
  let content = Array(bytes.dropFirst())
  let path = directory + "/" + roles[choice]
  FileManager.default.createFile(atPath: path, contents: Data(content))
  defer { FileManager.default.createFile(atPath: path, contents: originals[choice]) }
  do {
    let organization = try OrganizationDirectory.load(directory)
    for caller in organization.callers {
      do {
        let session = try organization.session(for: caller)
        _ = organization.policySet(for: session, resource: "arn:aws:s3:::b/k", resourceAccount: nil)
      } catch {
        _ = error.message
      }
    }
  } catch {
    for diagnostic in error.diagnostics where diagnostic.severity == .error {
      guard let file = diagnostic.file, file.hasPrefix(directory) else {
        fatalError("a load error names no file of the directory: \(diagnostic.formatted)")
      }
    }
  }
  var importer = OrganizationImport()
  do {
    _ = try importer.add(file: "/exports/" + exportNames[choice], bytes: content)
  } catch {
    for diagnostic in error.diagnostics where diagnostic.severity == .error && diagnostic.file == nil {
      fatalError("an import error names no file: \(diagnostic.formatted)")
    }
  }
  return 0
}

@_cdecl("organization_main")
public func organizationMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzOrganization)
}
