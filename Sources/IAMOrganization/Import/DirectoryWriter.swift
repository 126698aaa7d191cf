import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a directory whole: into a temporary sibling, then renamed into place, so that an interrupted run
/// leaves either the old directory or the new one, never a half-written one.
enum DirectoryWriter {
  /// Writes `files` (relative path → bytes) and copies `kept` (relative paths of `source`) into a new directory
  /// that replaces `target`.
  static func write(_ files: [String: [UInt8]], keeping kept: [String], from source: String?, to target: String) throws(InputError) {
    let manager = FileManager.default
    let targetURL = URL(fileURLWithPath: target).standardizedFileURL
    let parent = targetURL.deletingLastPathComponent()
    let temporary = parent.appendingPathComponent(".\(targetURL.lastPathComponent).import-\(UUID().uuidString)")
    func fail(_ message: String) -> InputError { InputError(.importOutput, message, file: target) }
    do {
      try manager.createDirectory(at: parent, withIntermediateDirectories: true)
      try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
    } catch {
      throw fail("cannot create a directory beside `\(target)`: \(error.localizedDescription)")
    }
    do {
      if let source {
        for relative in kept {
          let destination = temporary.appendingPathComponent(relative)
          try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
          try manager.copyItem(at: URL(fileURLWithPath: source).appendingPathComponent(relative), to: destination)
        }
      }
      for (relative, bytes) in files.sorted(by: { $0.key < $1.key }) {
        let destination = temporary.appendingPathComponent(relative)
        try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: destination)
      }
    } catch {
      try? manager.removeItem(at: temporary)
      throw fail("cannot write the organization directory: \(error.localizedDescription)")
    }
    guard manager.fileExists(atPath: targetURL.path) else {
      guard rename(temporary.path, targetURL.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? manager.removeItem(at: temporary)
        throw fail("cannot move the new directory into place: \(reason)")
      }
      return
    }
    if exchange(temporary.path, targetURL.path) {
      try? manager.removeItem(at: temporary)
      return
    }
    // No atomic exchange here: move the old directory aside, the new one in, then remove the old one.
    let old = parent.appendingPathComponent(".\(targetURL.lastPathComponent).old-\(UUID().uuidString)")
    guard rename(targetURL.path, old.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? manager.removeItem(at: temporary)
      throw fail("cannot replace `\(target)`: \(reason)")
    }
    guard rename(temporary.path, targetURL.path) == 0 else {
      let reason = String(cString: strerror(errno))
      _ = rename(old.path, targetURL.path)
      try? manager.removeItem(at: temporary)
      throw fail("cannot move the new directory into place: \(reason)")
    }
    try? manager.removeItem(at: old)
  }

  /// Swaps two paths in one step (`renameat2` with `RENAME_EXCHANGE` on Linux, `renamex_np` with `RENAME_SWAP`
  /// on Darwin); `false` where the system cannot.
  private static func exchange(_ first: String, _ second: String) -> Bool {
    #if canImport(Glibc)
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    guard let symbol = dlsym(nil, "renameat2") else { return false }  // RTLD_DEFAULT
    let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
    let exchangeFlag: UInt32 = 2  // RENAME_EXCHANGE
    return renameat2(AT_FDCWD, first, AT_FDCWD, second, exchangeFlag) == 0
    #elseif canImport(Darwin)
    return renamex_np(first, second, UInt32(RENAME_SWAP)) == 0
    #else
    return false
    #endif
  }
}
