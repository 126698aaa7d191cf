import Foundation

/// Test inputs stored next to the tests, found from this file's path.
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

  static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }

  static func text(_ name: String) throws -> String { String(decoding: try bytes(name), as: UTF8.self) }
}
