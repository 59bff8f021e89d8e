import ArgumentParser
import ClientPassCore
import Foundation

struct DepartmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "department",
        abstract: "Add, list and remove departments (the units policy scopes and batch changes select).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct DepartmentJSON: Encodable {
        let department: Department

        enum CodingKeys: String, CodingKey {
            case name, accounts, createdAt = "created_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(department.name, forKey: .name)
            try container.encode(department.accountCount, forKey: .accounts)
            try container.encode(department.createdAt, forKey: .createdAt)
        }
    }
}

extension DepartmentCommand {
    struct Add: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a department.",
            discussion: "Names are 1–64 printable characters, compared case-insensitively.\n\n" + ExitCodes.admin)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The department's name.")
        var name: String

        func execute() async throws {
            let manager = try global.openManager()
            let department = try manager.addDepartment(named: name, by: .currentAdmin)
            if global.json {
                try Output.json(DepartmentJSON(department: department))
            } else {
                print("Added department \(department.name).")
            }
        }
    }

    struct List: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List departments with their number of accounts.",
            discussion: ExitCodes.admin)

        @OptionGroup var global: GlobalOptions

        func execute() async throws {
            let manager = try global.openManager()
            let departments = try manager.departments()
            if global.json {
                try Output.json(departments.map(DepartmentJSON.init))
            } else if departments.isEmpty {
                print("No departments yet. Add one with `clientpass admin department add NAME`.")
            } else {
                Output.table(["NAME", "ACCOUNTS"], departments.map { [$0.name, String($0.accountCount)] })
            }
        }
    }

    struct Remove: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an empty department.",
            discussion: "A department that still has accounts, or is in the secure-password enforcement scope, is not removed.\n\n" + ExitCodes.admin)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The department's name.", completion: Completions.departments)
        var name: String

        func execute() async throws {
            let manager = try global.openManager()
            try manager.removeDepartment(named: name, by: .currentAdmin)
            if global.json {
                try Output.json(["removed": name])
            } else {
                print("Removed department \(name).")
            }
        }
    }
}
