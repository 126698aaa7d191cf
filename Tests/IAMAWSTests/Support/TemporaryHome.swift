import Foundation
import IAMTestSupport

/// A temporary home folder with `.aws/config`, `.aws/credentials` and SSO cache files, removed at deinit.
final class TemporaryHome: @unchecked Sendable {
  let path: String

  init() {
    path = Scratch.root.appendingPathComponent("iamaws-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path + "/.aws/sso/cache", withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `text` at `relative` (below the home folder); `executable` makes it a script.
  @discardableResult
  func write(_ relative: String, _ text: String, executable: Bool = false) -> String {
    let file = path + "/" + relative
    try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: executable ? [.posixPermissions: 0o755] : nil)
    return file
  }

  func config(_ text: String) { write(".aws/config", text) }
  func credentials(_ text: String) { write(".aws/credentials", text) }
}
