import Foundation
import IAMAWS
import IAMCollect
import IAMPolicy

/// An ``AWSCaller`` that answers from fixed responses (``Northwind/responses``), pages list results two
/// elements at a time (with `NextToken`, or IAM's `Marker` and `IsTruncated`) as AWS pages them, and records every
/// call. A copy scoped to a member account stands for the role assumed there.
final class FakeAWS: AWSCaller, @unchecked Sendable {
  /// A record of one call.
  struct Call: Sendable, Hashable {
    var operation: String
    var key: String
    var account: String
    var region: String
  }

  /// What both the caller and the member-account copies share.
  final class Shared: @unchecked Sendable {
    let lock = NSLock()
    var calls: [Call] = []
    var failures: [String: AWSError] = [:]
    var deniedRoles: Set<String> = []
    var pageSize = 2
  }

  /// Stands for the credentials a member-account copy holds: it must never reach an output.
  static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLESECRET"

  let responses: [String: String]
  let account: String
  let shared: Shared
  /// The temporary credentials of an assumed role (a copy's), as the real client would keep them.
  let sessionSecret: String?

  init(responses: [String: String] = Northwind.responses, account: String = Northwind.management, shared: Shared = Shared(),
       sessionSecret: String? = nil) {
    self.responses = responses
    self.account = account
    self.shared = shared
    self.sessionSecret = sessionSecret
  }

  /// Every call so far.
  var calls: [Call] { shared.lock.withLock { shared.calls } }

  /// Makes `operation` (or `operation key`) fail with `error`.
  func fail(_ key: String, with error: AWSError) { shared.lock.withLock { shared.failures[key] = error } }

  /// The access `collect` is given: this caller, and member-account copies through `sts:AssumeRole`.
  var access: AWSAccess {
    AWSAccess(caller: self, assumeRole: { [self] (arn: String, session: String) throws(AWSError) -> any AWSCaller in
      let account = arn.split(separator: ":", omittingEmptySubsequences: false)[4]
      let denied = shared.lock.withLock { shared.deniedRoles.contains(String(account)) }
      shared.lock.withLock { shared.calls.append(Call(operation: "AssumeRole", key: arn, account: self.account, region: "")) }
      if denied {
        throw AWSError(code: "AccessDenied", message: "User: \(Northwind.callerArn) is not authorized to perform: sts:AssumeRole on resource: \(arn)",
                       status: 403, operation: "AssumeRole")
      }
      return FakeAWS(responses: responses, account: String(account), shared: shared, sessionSecret: Self.secret)
    }, retries: { 0 })
  }

  func call(_ operation: AWSOperation, input: JSONOutput, region: String) async throws(AWSError) -> JSONValue {
    let json = try! JSONReader().read(input.rendered())
    let key = Self.key(operation.name, json, account: account)
    let failure = shared.lock.withLock {
      shared.calls.append(Call(operation: operation.name, key: key, account: account, region: region))
      return shared.failures[key] ?? shared.failures[operation.name]
    }
    if let failure { throw failure }
    guard let text = responses[key] else {
      if ["GetInlinePolicyForPermissionSet", "GetPermissionsBoundaryForPermissionSet",
          "DescribeInstanceAccessControlAttributeConfiguration"].contains(operation.name) {
        throw AWSError(code: "ResourceNotFoundException", message: "not found", status: 400, operation: operation.name)
      }
      throw AWSError(code: "FakeMissing", message: "the fake has no response for `\(key)`", status: 400, operation: operation.name)
    }
    return page(try! JSONReader().read(text), operation: operation.name, input: json)
  }

  /// The fixture key: the operation and the inputs that tell its answers apart (a permission set by its `ps-` ID,
  /// `ListEntitlements` by the account filtered on, IAM by the account the caller is in).
  static func key(_ operation: String, _ input: JSONValue, account: String) -> String {
    if operation == "GetAccountAuthorizationDetails" { return "\(operation) \(account)" }
    let ignored: Set<String> = ["InstanceArn", "IdentityStoreId", "applicationArn", "Extensions", "NextToken", "nextToken", "MaxResults",
                                "maxResults", "Marker", "MaxItems"]
    var parts: [String] = []
    for member in input.members ?? [] where !ignored.contains(member.key) {
      if member.key == "filter", let filtered = member.value["principalRole"]?["account"]?.stringValue {
        parts.append(filtered)
      } else if let text = member.value.stringValue {
        parts.append(text.contains("/ps-") ? String(text.split(separator: "/").last!) : text)
      }
    }
    return ([operation] + parts.sorted()).joined(separator: " ")
  }

  /// The page the input's token asks for, of every list of the response.
  private func page(_ full: JSONValue, operation: String, input: JSONValue) -> JSONValue {
    let iam = operation == "GetAccountAuthorizationDetails"
    let token = (iam ? input["Marker"] : input["NextToken"] ?? input["nextToken"])?.stringValue
    let index = token.flatMap { Int($0.dropFirst("page-".count)) } ?? 0
    let size = shared.lock.withLock { shared.pageSize }
    guard let members = full.members else { return full }
    var more = false
    var result: [(String, JSONOutput)] = []
    for member in members {
      guard let elements = member.value.elements else {
        result.append((member.key, member.value.output))
        continue
      }
      let slice = elements.dropFirst(index * size).prefix(size)
      if elements.count > (index + 1) * size { more = true }
      result.append((member.key, .array(slice.map(\.output))))
    }
    let tokenKey = iam ? "Marker" : (members.contains { $0.key == "applications" || $0.key == "entitlements" } ? "nextToken" : "NextToken")
    if iam { result.append(("IsTruncated", .bool(more))) }
    if more { result.append((tokenKey, .string("page-\(index + 1)"))) }
    return try! JSONReader().read(JSONOutput.object(result).rendered())
  }
}
