import SalvageCore
import Testing

@Suite struct ActionIDTests {
  let progress = RunbookProgress()

  @Test func aPlainTypeNameIsUsedAsItIs() {
    #expect(progress.nextActionID(.recover, subject: "OrderWorkflow") == "recover-OrderWorkflow-1")
    #expect(progress.nextActionID(.resetClosed, subject: "0") == "reset-closed-0-1")
    #expect(progress.nextActionID(.stop) == "stop-1")
  }

  @Test func namesThatMapToTheSameCharactersGetDistinctIds() {
    // Given a type with a space and one with an underscore in its place
    let spaced = progress.nextActionID(.recover, subject: "Order Workflow")
    let underscored = progress.nextActionID(.recover, subject: "Order_Workflow")
    // Then the plain one stays readable and the other carries a hash of its whole name
    #expect(underscored == "recover-Order_Workflow-1")
    #expect(spaced.hasPrefix("recover-Order_Workflow."))
    #expect(spaced != underscored)
  }

  @Test func twoLongNamesSharingTheirFirst64CharactersGetDistinctIds() {
    // Given two 200-character names that differ only at the end
    let common = String(repeating: "A", count: 64)
    let first = common + String(repeating: "b", count: 136)
    let second = common + String(repeating: "c", count: 136)
    let ids = [first, second].map { progress.nextActionID(.recover, subject: $0) }
    // Then their ids differ, and stay short enough to read
    #expect(ids[0] != ids[1])
    #expect(ids.allSatisfy { $0.count < 80 })
  }

  @Test func anIdKeepsToLettersDigitsDotUnderscoreAndDash() {
    // Given a name with quotes, a slash, a non-ASCII letter and a dash with a digit
    let id = progress.nextActionID(.recover, subject: "Ledger \"main\" / ü-2")
    // Then the id is readable, safe in a job id, and ends with the attempt after its last dash
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    #expect(id.allSatisfy(allowed.contains))
    #expect(id.hasPrefix("recover-Ledger__main_____-2."))
    #expect(id.split(separator: "-").last == "1")
  }

  @Test func hashedIdsAreTheSameForTheSameNameEveryTime() {
    #expect(
      progress.nextActionID(.recover, subject: "Order Workflow")
        == progress.nextActionID(.recover, subject: "Order Workflow"))
  }
}
