import Foundation
import IAMFederation

/// A fixed moment, parsed independently of the code under test.
func date(_ text: String) -> Date {
  guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad test date \(text)") }
  return date
}

extension Array where Element == Finding {
  /// The codes, in order.
  var codes: [FindingCode] { map(\.code) }

  /// The findings with this code.
  func with(_ code: FindingCode) -> [Finding] { filter { $0.code == code } }
}
