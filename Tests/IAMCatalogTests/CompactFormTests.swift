import Foundation
import IAMCatalog
import Testing

/// Loading the compact form checks its structure and names the line of a problem.
@Suite struct CompactFormTests {
  let header = "iamsim-catalog\t1\nsource\ttest\n"

  func counts(_ services: Int, _ actions: Int, _ resourceTypes: Int = 0, _ conditionKeys: Int = 0) -> String {
    "services\t\(services)\nactions\t\(actions)\nresource-types\t\(resourceTypes)\ncondition-keys\t\(conditionKeys)\n"
  }

  func load(_ text: String) throws(CatalogLoadError) -> Catalog {
    try Catalog(compactForm: Array(text.utf8), file: "test.catalog")
  }

  func loadError(_ text: String) -> CatalogLoadError? {
    do {
      _ = try load(text)
      return nil
    } catch {
      return error
    }
  }

  @Test func loadsAHandWrittenCatalog() throws {
    let catalog = try load(
      header + counts(1, 2, 1, 1)
        + "# a comment\nS\tsvc\tThe Service\nA\tDoThing\tPermissions management, Write\tsvc:Key\nr\tthing\t*\tsvc:Key\n"
        + "A\tListThings\tList\nR\tthing\tarn:aws:svc:::thing/${Name}\nK\tsvc:Key\tString\r\n")
    #expect(catalog.metadata.source == "test")
    let action = try #require(catalog.action(named: "svc:dothing"))
    #expect(action.accessLevel == .permissionsManagement)
    #expect(action.resourceTypes.first?.isRequired == true)
    #expect(action.resourceTypes.first?.conditionKeys == ["svc:Key"])
    #expect(action.resourceTypes.first?.arnPatterns == ["arn:aws:svc:::thing/${Name}"])
    #expect(catalog.service(prefix: "svc")?.conditionKeys.first?.types == ["String"])
  }

  @Test(arguments: [
    ("", nil as Int?, "the catalog is empty"),
    ("{\"services\":{}}\n", 1, "not an iamsim catalog"),
    ("iamsim-catalog\t2\n", 1, "catalog format 2 is not supported"),
    ("iamsim-catalog\t1\nservices\t1\n", nil, "the header `source` is missing"),
    ("iamsim-catalog\t1\nsource\tx\nservices\t1\nactions\t0\nresource-types\t0\ncondition-keys\t0\n", nil,
     "the header says 1 services but the catalog has 0"),
    ("iamsim-catalog\t1\nsource\tx\nA\tX\tRead\n", 3, "an action must follow a service"),
    ("iamsim-catalog\t1\nsource\tx\nS\tb\tB\nS\ta\tA\n", 4, "the service `a` must come after `b`"),
    ("iamsim-catalog\t1\nsource\tx\nS\tSvc\tS\n", 3, "the service prefix `Svc` must be lower-case"),
    ("iamsim-catalog\t1\nsource\tx\nS\ts\tS\nA\tb\tRead\nA\tA\tRead\n", 5, "the action `A` must come after `b`"),
    ("iamsim-catalog\t1\nsource\tx\nS\ts\tS\nA\tx\tAdmin\n", 4, "the access level `Admin`"),
    ("iamsim-catalog\t1\nsource\tx\nS\ts\tS\nr\tthing\t*\n", 4, "a resource type of an action (`r`) must follow"),
    ("iamsim-catalog\t1\nsource\tx\nS\ts\tS\nA\tx\tRead\nr\tthing\tyes\n", 5, "the required flag must be"),
    ("iamsim-catalog\t1\nsource\tx\nS\ts\tS\nK\tk\tString\nR\tr\n", 5, "a resource type comes too late"),
    ("iamsim-catalog\t1\nsource\tx\nS\ts\tS\nA\tx\\q\tRead\n", 4, "unknown escape"),
    ("iamsim-catalog\t1\nsource\tx\nX\tfoo\n", 3, "unknown record `X`"),
    ("iamsim-catalog\t1\nsource\tx\nowner\tme\n", 3, "unknown header `owner`"),
  ])
  func malformedCatalogsNameTheLine(text: String, line: Int?, message: String) throws {
    let error = try #require(loadError(text))
    #expect(error.file == "test.catalog")
    #expect(error.line == line)
    #expect(error.message.hasPrefix(message))
  }

  @Test func runsOfSpacesInAListSeparateElementsLikeOne() throws {
    let catalog = try load(header + counts(1, 1) + "S\tsvc\tService\nA\tDo\tRead\t svc:A  svc:B \n")
    #expect(catalog.action(named: "svc:Do")?.conditionKeys == ["svc:A", "svc:B"])
  }

  @Test func aMissingFileIsNamed() throws {
    let url = URL(fileURLWithPath: "/nonexistent/iamsim/service-authorization.catalog")
    do throws(CatalogLoadError) {
      _ = try Catalog(contentsOf: url)
      Issue.record("expected an error")
    } catch {
      #expect(error.file == url.path)
      #expect(error.line == nil)
      #expect(error.message.hasPrefix("cannot read the catalog: "))
    }
  }

  @Test func invalidUTF8IsRejected() {
    var bytes = Array((header + counts(0, 0)).utf8)
    bytes.insert(contentsOf: [UInt8(ascii: "#"), 0xFF, UInt8(ascii: "\n")], at: 15)
    #expect(throws: CatalogLoadError.self) { try Catalog(compactForm: bytes) }
  }
}
