import Foundation
import IAMPolicy

/// Indexes from users and groups to the assignments and grants that name them, so that finding what a user
/// reaches costs what the user reaches, not the size of the organization. Built once, on first use, by whichever
/// thread asks first.
final class PrincipalIndex: @unchecked Sendable {
  struct Built {
    /// Assignment positions by lower-cased user name (direct) and by lower-cased group display name.
    var assignmentsByUser: [String: [Int]] = [:]
    var assignmentsByGroup: [String: [Int]] = [:]
    /// Grant positions, the same way.
    var grantsByUser: [String: [Int]] = [:]
    var grantsByGroup: [String: [Int]] = [:]
    /// The display names (lower-cased) of the groups each user ID is a direct member of.
    var groupsByMember: [String: [String]] = [:]
  }

  private let lock = NSLock()
  private var built: Built?

  func get(_ organization: Organization) -> Built {
    lock.withLock {
      if let built { return built }
      var index = Built()
      for (position, assignment) in organization.assignments.enumerated() {
        switch assignment.principalType {
        case .user: index.assignmentsByUser[assignment.principal.lowercased(), default: []].append(position)
        case .group: index.assignmentsByGroup[assignment.principal.lowercased(), default: []].append(position)
        }
      }
      for (position, grant) in organization.accountAccess.grants.enumerated() {
        switch grant.principalType {
        case .user: index.grantsByUser[grant.principal.lowercased(), default: []].append(position)
        case .group: index.grantsByGroup[grant.principal.lowercased(), default: []].append(position)
        }
      }
      for group in organization.identityStore.groups {
        for member in Set(group.memberIDs) { index.groupsByMember[member, default: []].append(group.displayName.lowercased()) }
      }
      built = index
      return index
    }
  }
}

/// Numbers policy documents by content, so that keys can name a document in a few characters: equal documents get
/// the same number. Shared by copies of an organization, and safe to use from any thread.
final class DocumentNumbers: @unchecked Sendable {
  private let lock = NSLock()
  private var numbers: [PolicyDocument: Int] = [:]

  func number(_ document: PolicyDocument) -> Int {
    lock.withLock {
      if let known = numbers[document] { return known }
      numbers[document] = numbers.count
      return numbers.count - 1
    }
  }
}
