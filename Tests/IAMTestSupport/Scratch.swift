import Foundation

/// Where tests write files: one folder of this test process in the system's temporary folder, removed when the
/// process exits, so that a test run leaves nothing behind however many folders its tests make.
public enum Scratch {
  /// This process's folder, `iamsim-tests-PID`, made when first used.
  public static let root: URL = {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("iamsim-tests-\(ProcessInfo.processInfo.processIdentifier)")
    // A folder of an earlier process that had the same ID and did not exit normally.
    try? FileManager.default.removeItem(at: root)
    try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: Scratch.root) }
    return root
  }()
}
