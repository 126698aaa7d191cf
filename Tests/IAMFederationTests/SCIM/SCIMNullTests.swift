import Testing

@testable import IAMFederation

/// `null` in SCIM payloads.
///
/// IAM Identity Center's SCIM developer guide says nothing about `null`: its CreateUser and PutUser constraints
/// (https://docs.aws.amazon.com/singlesignon/latest/developerguide/createuser.html) are "The givenName, familyName,
/// userName, and displayName fields are required.", single values, a primary e-mail and character sets. RFC 7643
/// §2.5 says "Unassigned attributes, the null value, or empty array (in the case of a multi-valued attribute) SHALL
/// be considered to be equivalent in "state"." So an optional attribute that is `null` is checked as if absent,
/// with a note that says why; a required one that is `null` is missing.
@Suite struct SCIMNullTests {
  @Test(arguments: [
    ("title", "/title"), ("nickName", "/nickName"), ("active", "/active"), ("externalId", "/externalId"),
    ("phoneNumbers", "/phoneNumbers"), ("addresses", "/addresses"), ("password", "/password"),
    ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
     "/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
  ])
  func anOptionalNullAttributeIsUnassigned(key: String, pointer: String) throws {
    let report = try validate(entraUser([key: "null"]))
    let findings = report.lastFindings
    #expect(findings.codes == [.scimNullValue], "\(findings.map(\.message))")
    #expect(findings.first?.severity == .note)
    #expect(findings.first?.location?.jsonPointer == pointer)
    #expect(findings.first?.message.contains("unassigned") == true)
    #expect(report.wouldProvisionAll)
  }

  @Test func nullsAsEntraSendsThem() throws {
    // Entra sends unmapped optional attributes as null, in the enterprise extension and in name too.
    let json = entraUser([
      "name": #"{"familyName": "Example", "givenName": "Dave", "middleName": null, "formatted": null}"#,
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": #"{"department": null, "manager": null}"#,
      "addresses": #"[{"type": "work", "streetAddress": null, "locality": "Seattle", "primary": null}]"#,
    ])
    let report = try validate(json)
    #expect(report.wouldProvisionAll, "\(report.lastFindings.map(\.message))")
    #expect(
      Set(report.lastFindings.compactMap(\.location?.jsonPointer)) == [
        "/name/middleName", "/name/formatted",
        "/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/department",
        "/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/manager",
        "/addresses/0/streetAddress", "/addresses/0/primary",
      ])
    #expect(report.lastFindings.allSatisfy { $0.code == .scimNullValue })
    // The unassigned attribute is not stored as a value.
    #expect(report.store.users.last?.attributes["enterprise.department"] == nil)
    #expect(report.store.users.last?.attributes["addresses[type eq \"work\"].locality"] == "Seattle")
  }

  @Test(arguments: [
    ("userName", "/userName"), ("displayName", "/displayName"), ("name", "/name"),
  ])
  func aRequiredNullAttributeIsMissing(key: String, pointer: String) throws {
    let findings = try validate(entraUser([key: "null"])).lastFindings
    #expect(findings.codes == [.scimRequiredAttribute], "\(findings.map(\.message))")
    #expect(findings.first?.location?.jsonPointer == pointer)
    #expect(findings.first?.severity == .error)
  }

  @Test func aNullGivenNameIsMissing() throws {
    let findings = try validate(entraUser(["name": #"{"familyName": "Example", "givenName": null}"#])).lastFindings
    #expect(findings.codes == [.scimRequiredAttribute])
    #expect(findings.first?.location?.jsonPointer == "/name/givenName")
  }

  @Test func aNullPrimaryLeavesTheEmailNotPrimary() throws {
    // "The emails attribute value must be marked as primary." A null primary is unassigned, so not marked.
    let findings = try validate(
      entraUser(["emails": #"[{"primary": null, "type": "work", "value": "dave@example.com"}]"#])
    ).lastFindings
    #expect(Set(findings.codes) == [.scimNullValue, .scimEmailNotPrimary])
    #expect(findings.containsErrors)
  }

  @Test func groupNulls() throws {
    let ok = try validate(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Ops","externalId":null,"members":null}"#)
    #expect(ok.wouldProvisionAll)
    #expect(ok.lastFindings.codes == [.scimNullValue, .scimNullValue])
    let missing = try validate(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":null}"#)
    #expect(missing.lastFindings.codes == [.scimGroup])
  }

  @Test func aPatchReplaceWithANullValueHasNoValue() throws {
    // PatchUser constraints: "A value is required for add and replace."
    let json = #"""
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":null}]}
      """#
    let findings = try validate(json).lastFindings
    #expect(findings.codes == [.scimPatchOperation])
    #expect(findings.first?.message.contains("has no value") == true)
  }
}
