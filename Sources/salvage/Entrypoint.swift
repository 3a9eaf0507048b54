import SalvageCLI

@main
struct Entrypoint {
  static func main() async {
    await SalvageCommand.runMain()
  }
}
