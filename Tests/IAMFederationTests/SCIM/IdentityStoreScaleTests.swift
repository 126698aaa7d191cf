import Foundation
import IAMPolicy
import Testing

@testable import IAMFederation

/// Found while fuzzing (issue 6): every SCIM payload was checked against a copy of the whole identity store, and
/// every membership searched the group list, so a 4.9 MB file of 20,000 users took 3 minutes 42 seconds (release
/// build). The store now keeps indexes; the same file takes under a second.
@Suite struct IdentityStoreScaleTests {
  static func user(_ index: Int) -> String {
    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u\#(index)@example.com","name":{"givenName":"A","familyName":"B"},"displayName":"U \#(index)","externalId":"x\#(index)","emails":[{"value":"u\#(index)@example.com","type":"work","primary":true}]}"#
  }

  @Test func manyUsersAndMembershipsValidateInLinearTime() throws {
    let count = 5_000
    let users = "[" + (0..<count).map(Self.user).joined(separator: ",") + "," + Self.user(7).replacingOccurrences(of: "u7@", with: "U7@") + "]"
    let memberships = #"{"GroupMemberships":["# + (0..<20_000).map {
      #"{"GroupId":"g1","MemberId":{"UserId":"id\#($0 % 10_000)"},"MembershipId":"m\#($0)","IdentityStoreId":"d-1"}"#
    }.joined(separator: ",") + "]}"
    let groups = #"{"Groups":[{"GroupId":"g1","DisplayName":"Engineers","IdentityStoreId":"d-1"}]}"#
    let clock = ContinuousClock()
    var report: SCIMReport?
    let elapsed = try clock.measure {
      report = try SCIMValidator().validate([
        SCIMInput(name: "groups.json", bytes: Array(groups.utf8)),
        SCIMInput(name: "memberships.json", bytes: Array(memberships.utf8)),
        SCIMInput(name: "users.json", bytes: Array(users.utf8)),
      ])
    }
    #expect(elapsed < .seconds(20), "took \(elapsed)")
    let result = try #require(report)
    #expect(result.store.groups.first?.memberIDs.count == 10_000)
    let userResults = result.payloads.filter { $0.kind == .user }
    #expect(userResults.count == count + 1)
    #expect(userResults.filter(\.wouldProvision).count == count)
    // The last user repeats user 7's name in other capitals, its e-mail address and its external ID.
    let duplicate = try #require(userResults.last)
    #expect(duplicate.findings.filter { $0.code == .scimDuplicate }.count == 3)
    #expect(duplicate.findings.contains { $0.message.contains("already belongs to user u7@example.com") })
  }

  @Test func lookupsFollowReplacementsAndDirectEdits() {
    var store = IdentityStore(users: [IdentityStoreUser(id: "1", userName: "Alice", externalIDs: ["a"])])
    store.put(IdentityStoreUser(id: "2", userName: "bob"))
    store.put(IdentityStoreUser(id: "1", userName: "Carol", externalIDs: ["c"]))
    #expect(store.users.map(\.userName) == ["Carol", "bob"])
    #expect(store.user(named: "alice") == nil)
    #expect(store.user(named: "CAROL")?.id == "1")
    #expect(store.user(id: "2")?.userName == "bob")
    #expect(store.otherUser(than: IdentityStoreUser(userName: "x"), externalID: "a") == nil)
    #expect(store.otherUser(than: IdentityStoreUser(userName: "x"), externalID: "c")?.id == "1")
    // The same user (same ID) is not a duplicate of itself.
    #expect(store.otherUser(than: IdentityStoreUser(id: "1", userName: "Carol"), userName: "carol") == nil)
    store.users[1].userName = "Dave"
    #expect(store.user(named: "dave")?.id == "2")
    #expect(store.user(named: "bob") == nil)
    store.groups = [IdentityStoreGroup(id: "g", displayName: "Ops")]
    #expect(store.group(named: "OPS")?.id == "g")
    #expect(store.hasGroup(id: "g") && !store.hasGroup(id: "h"))
    #expect(store == IdentityStore(users: store.users, groups: store.groups))
  }
}
