import Foundation
import IAMCatalog
import IAMEvaluation
import IAMPolicy

/// The warning a response carries when its request names an action the catalog does not know (issue 12, part 3).
///
/// The decision stays the engine's: IAM decides any `service:Action` string, and a policy with `*` allows a
/// made-up one. The warning says that the name does not exist and which real names are closest.
enum ActionWarnings {
  /// The response with the warning among its diagnostics, when there is one.
  static func adding(_ unknown: UnknownActionName?, to response: Response) -> Response {
    guard let unknown else { return response }
    var response = response
    response.diagnostics = (response.diagnostics + [unknown.diagnostic()]).sorted()
    return response
  }

  /// The shipped catalog, loaded on another core while the caller reads its policies.
  ///
  /// Loading the catalog takes a few milliseconds; started first, it overlaps reading and compiling the policies,
  /// so that a cold `iamsim eval` stays cold-query fast.
  static func prefetchCatalog() {
    Thread.detachNewThread { _ = try? Catalog.bundled() }
  }
}

extension Diagnostic {
  /// The diagnostic with more text after its message.
  func appendingToMessage(_ text: String) -> Diagnostic {
    var diagnostic = self
    diagnostic.message += text
    return diagnostic
  }
}
