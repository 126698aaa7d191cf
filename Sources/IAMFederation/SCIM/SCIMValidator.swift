import Dispatch
import Foundation
import IAMPolicy

/// One JSON file given to the validator.
public struct SCIMInput: Sendable, Hashable {
  /// The file name, used in findings.
  public var name: String
  /// The file's bytes (UTF-8 JSON).
  public var bytes: [UInt8]

  /// Creates an input.
  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }
}

/// Validates SCIM 2.0 payloads as Entra ID sends them to IAM Identity Center, against an identity store loaded
/// from `aws identitystore list-users`, `list-groups` and `list-group-memberships` output (S-1 … S-12).
public struct SCIMValidator: Sendable {
  /// The users and groups that exist before any payload is applied.
  public var existing: IdentityStore

  /// Creates a validator.
  public init(existing: IdentityStore = IdentityStore()) {
    self.existing = existing
  }

  /// Validates every payload of every file. `aws identitystore` output is loaded first; SCIM payloads are then
  /// checked in order, each against the store as the earlier payloads left it.
  ///
  /// - Throws: ``JSONInputError`` when a file is not JSON.
  public func validate(_ inputs: [SCIMInput]) throws(JSONInputError) -> SCIMReport {
    var documents: [(name: String, root: JSONValue)] = []
    for input in inputs {
      do {
        documents.append((input.name, try JSONReader().read(input.bytes)))
      } catch {
        throw JSONInputError(file: input.name, error.message, position: error.position)
      }
    }
    return validate(documents: documents)
  }

  /// Validates every payload of files already read as JSON (`name` is the file name used in findings).
  ///
  /// The rules that look at a user alone run on every core; what depends on the store (uniqueness, and groups,
  /// whose members must exist) runs in order afterwards, so the report is the same as one payload at a time.
  public func validate(documents: [(name: String, root: JSONValue)]) -> SCIMReport {
    let files = documents.map { ($0.name, SCIMPayload.payloads(in: $0.root)) }
    var store = existing
    var results: [SCIMPayloadResult] = []
    // Users and groups first, so that memberships find their groups whatever the file order.
    for memberships in [false, true] {
      for (file, payloads) in files {
        for payload in payloads where (payload.kind == .cliMemberships) == memberships {
          if let result = IdentityStoreOutput.load(payload, file: file, into: &store) { results.append(result) }
        }
      }
    }
    let checked = files.flatMap { file, payloads in
      payloads.filter { !IdentityStoreOutput.isOutput($0) }.map { (file: file, payload: $0) }
    }
    let users = Self.userRules(checked)
    for (index, item) in checked.enumerated() {
      results.append(Self.check(item.payload, file: item.file, store: &store, user: users[index]))
    }
    return SCIMReport(payloads: results, store: store)
  }

  /// The rules of each user payload that do not depend on the store, and the user it describes, on every core.
  private static func userRules(_ items: [(file: String, payload: SCIMPayload)]) -> [(SCIMContext, IdentityStoreUser)?] {
    let results = ResultBuffer<(SCIMContext, IdentityStoreUser)?>(count: items.count, initial: nil)
    let lanes = items.count < 256 ? 1 : ProcessInfo.processInfo.activeProcessorCount
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
      for index in stride(from: lane, to: items.count, by: lanes) where items[index].payload.kind == .user {
        let (file, payload) = items[index]
        var context = SCIMContext(file: file, root: payload.path)
        SCIMUserRules.check(payload.value, &context)
        results[index] = (context, IdentityStoreUser(scim: payload.value))
      }
    }
    return results.values
  }

  private static func check(
    _ payload: SCIMPayload, file: String, store: inout IdentityStore, user checked: (SCIMContext, IdentityStoreUser)?
  ) -> SCIMPayloadResult {
    var context = SCIMContext(file: file, root: payload.path)
    let kind: SCIMPayloadResult.Kind
    switch payload.kind {
    case .user:
      kind = .user
      let user: IdentityStoreUser
      if let checked {
        (context, user) = checked
      } else {
        SCIMUserRules.check(payload.value, &context)
        user = IdentityStoreUser(scim: payload.value)
      }
      SCIMUniqueness.check(user, payload: payload.value, store: store, &context)
      if !context.findings.containsErrors { store.put(user) }
    case .group:
      kind = .group
      SCIMGroupRules.check(payload.value, store: store, &context)
      let group = IdentityStoreGroup(scim: payload.value)
      SCIMUniqueness.check(group, payload: payload.value, store: store, &context)
      if !context.findings.containsErrors { store.put(group) }
    case .patch:
      let target = SCIMPatchRules.target(of: payload.value)
      kind = target == .user ? .userPatch : target == .group ? .groupPatch : .patch
      SCIMPatchRules.check(payload.value, target: target, store: store, &context)
    case .unrecognized, .cliUsers, .cliGroups, .cliMemberships:
      kind = .unrecognized
      context.add(
        .scimUnrecognizedPayload,
        "this \(payload.value.typeName) is not a scim user, group, patch request or list, nor aws identitystore output",
        at: [], payload.value)
    }
    return SCIMPayloadResult(
      file: file, jsonPath: payload.path, position: payload.value.position, kind: kind, subject: context.subject,
      findings: context.findings.stableSortedBySeverity())
  }
}

