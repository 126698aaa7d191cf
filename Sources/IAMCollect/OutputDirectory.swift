import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory `collect` replaces. `OrganizationImport` writes the new snapshot, whole, into a fresh staging
/// directory beside it (a snapshot replaces the old one: it is not added to it, as `iamsim import` adds); the
/// staging directory is then renamed into place, so an interrupted run leaves the old directory or the new one.
enum OutputDirectory {
  /// Refuses what must not be replaced: a file, or a folder with files that is not an organization directory.
  static func check(_ path: String) throws(CollectError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
    guard isDirectory.boolValue else { throw CollectError("`\(path)` is a file: --out names the organization directory to write") }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    if entries.contains(where: { !$0.hasPrefix(".") }), !entries.contains("organization.json") {
      throw CollectError("`\(path)` has files but is not an organization directory (no organization.json): collect replaces --out whole, so it writes only a new directory or over an organization directory")
    }
  }

  /// A new, unused path beside `path` to stage the snapshot in.
  static func staging(for path: String) -> String {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).collect-\(UUID().uuidString)").path
  }

  /// Moves the staged directory to `path`, replacing what is there.
  static func replace(_ path: String, with staged: String) throws(CollectError) {
    let target = URL(fileURLWithPath: path).standardizedFileURL.path
    guard FileManager.default.fileExists(atPath: target) else {
      guard rename(staged, target) == 0 else { throw failure("cannot move the new directory to `\(path)`") }
      return
    }
    let aside = staging(for: path) + ".old"
    guard rename(target, aside) == 0 else { throw failure("cannot move the old `\(path)` aside") }
    guard rename(staged, target) == 0 else {
      let error = failure("cannot move the new directory to `\(path)`")
      _ = rename(aside, target)
      throw error
    }
    try? FileManager.default.removeItem(atPath: aside)
  }

  private static func failure(_ what: String) -> CollectError {
    CollectError("\(what): \(String(cString: strerror(errno)))")
  }
}
