/// A store that other processes on other hosts change too (PostgreSQL): `serve` asks it to say
/// when they do, so that what a node remembers (the warm cache) is dropped at once. A store
/// only this host writes (SQLite) is not one; the warm path reads the generation before each
/// answer either way.
public protocol SharedStore: Sendable {
    /// Calls `onChange` after each change any process commits, until the task is cancelled.
    func watchGeneration(_ onChange: @escaping @Sendable () -> Void) -> Task<Void, Never>
}
