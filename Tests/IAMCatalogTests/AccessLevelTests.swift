import IAMCatalog
import Testing

/// Reading the classic level from the reference's level texts.
@Suite struct AccessLevelTests {
  @Test(arguments: [
    ("List", AccessLevel.list), ("Read", .read), ("Write", .write), ("Tagging", .tagging),
    ("Permissions management", .permissionsManagement), ("Permissions management, Write", .permissionsManagement),
    ("Tagging, Write", .tagging),
  ])
  func readsTheFirstLevel(text: String, level: AccessLevel) {
    #expect(AccessLevel(levelText: text) == level)
  }

  @Test(arguments: ["", "write", "Admin", " Read", "Permissions Management"])
  func rejectsOtherTexts(text: String) {
    #expect(AccessLevel(levelText: text) == nil)
  }
}
