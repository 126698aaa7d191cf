import Foundation

/// Reads input files within iamsim's documented limits.
public enum InputFile {
  /// The largest file iamsim reads: AWS's largest managed policy is about 110 KB.
  public static let maximumSize = 8 * 1024 * 1024
  /// The largest listing file of an organization directory (`assignments.json`, the identity store, an account's
  /// authorization details): a snapshot of 1,000 accounts and 100 permission sets holds about 30 MB of assignments.
  public static let maximumListingSize = 256 * 1024 * 1024
  /// Each root and every folder above it, nearest first: where iamsim looks for folders it ships beside itself.
  public static func foldersAbove(_ roots: [String]) -> [String] {
    var folders: [String] = []
    for root in roots {
      var url = URL(fileURLWithPath: root).standardizedFileURL
      while true {
        folders.append(url.path)
        let parent = url.deletingLastPathComponent()
        if parent.path == url.path { break }
        url = parent
      }
    }
    return folders
  }

  /// Checks that a path names a readable file (not a folder); returns its size when known.
  ///
  /// One `stat` (following links, as reading does): `FileManager`'s attributes also look up the owner's user and
  /// group names, which cost as much as deciding hundreds of requests.
  @discardableResult
  public static func checkReadable(_ path: String) throws(InputError) -> Int? {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw InputError(.fileUnreadable, "cannot read `\(path)`: no such file", file: path)
    }
    guard status.st_mode & S_IFMT != S_IFDIR else {
      throw InputError(.fileUnreadable, "cannot read `\(path)`: it is a directory", file: path)
    }
    return status.st_mode & S_IFMT == S_IFREG ? Int(status.st_size) : nil
  }

  /// Reads a file, refusing missing, unreadable and oversized files (over `limit` bytes) with an input error.
  public static func read(_ path: String, limit: Int = maximumSize) throws(InputError) -> [UInt8] {
    let url = URL(fileURLWithPath: path)
    let most = limit == maximumSize ? "8 MiB" : "\(limit / 1_048_576) MiB"
    if let size = try checkReadable(path), size > limit {
      throw InputError(.fileTooLarge, "`\(path)` is \(size) bytes; iamsim reads files of at most \(most) here", file: path)
    }
    guard let handle = try? FileHandle(forReadingFrom: url), let data = try? handle.read(upToCount: limit + 1) else {
      throw InputError(.fileUnreadable, "cannot read `\(path)`", file: path)
    }
    guard data.count <= limit else {
      throw InputError(.fileTooLarge, "`\(path)` is larger than \(most), the most iamsim reads here", file: path)
    }
    return Array(data)
  }

  /// Reads a file as JSON, naming the file and position of a syntax error.
  public static func readJSON(_ path: String, limit: Int = maximumSize) throws(InputError) -> JSONValue {
    try parseJSON(read(path, limit: limit), file: path)
  }

  /// Parses JSON bytes, naming the file and position of a syntax error.
  public static func parseJSON(_ bytes: [UInt8], file: String) throws(InputError) -> JSONValue {
    do {
      return try JSONReader().read(bytes)
    } catch {
      throw InputError(.jsonSyntax, error.message, file: file, position: error.position)
    }
  }
}
