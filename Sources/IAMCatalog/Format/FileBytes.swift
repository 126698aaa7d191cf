import Foundation

/// Reads a whole file into a byte array with one buffer, sized from the file's length, rather
/// than through `Data`, which would allocate and copy the bytes a second time.
enum FileBytes {
  /// The file's bytes.
  ///
  /// - Throws: ``CatalogLoadError`` naming the file and the system's reason.
  /// - Complexity: O(n) in the size of the file.
  static func read(_ url: URL) throws(CatalogLoadError) -> [UInt8] {
    let path = url.path
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw failure(path) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw failure(path) }
    var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
    var count = 0
    while true {
      if count == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
      let read = bytes.withUnsafeMutableBytes { buffer in
        Foundation.read(descriptor, buffer.baseAddress.map { $0 + count }, buffer.count - count)
      }
      if read == 0 { break }
      guard read > 0 else {
        if errno == EINTR { continue }
        throw failure(path)
      }
      count += read
    }
    bytes.removeLast(bytes.count - count)
    return bytes
  }

  private static func failure(_ path: String) -> CatalogLoadError {
    CatalogLoadError(file: path, message: "cannot read the catalog: \(String(cString: strerror(errno)))")
  }
}
