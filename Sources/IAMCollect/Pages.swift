import IAMAWS
import IAMPolicy

/// The responses of one call, every page, and their merged form: what the AWS CLI prints when it pages for you.
struct Pages: Sendable {
  let operation: CollectOperation
  let pages: [JSONValue]

  /// The elements of `key` across every page.
  func list(_ key: String) -> [JSONValue] { pages.flatMap { $0[key]?.elements ?? [] } }

  /// The member `key` of the first page.
  subscript(key: String) -> JSONValue? { pages.first?[key] }

  /// The output as the AWS CLI prints it: pages merged by botocore's rules (``AWSPaginator/merge(_:)``), or the
  /// one response of an operation that does not page.
  var merged: JSONOutput {
    guard let paginator = operation.paginator else { return pages.first?.output ?? .object([]) }
    return paginator.merge(pages).output
  }
}
