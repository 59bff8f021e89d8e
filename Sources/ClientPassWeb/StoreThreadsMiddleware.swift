import ClientPassCore
import Hummingbird

/// On the whole router, for a store that waits on a network (PostgreSQL): the page, the API,
/// `/healthz` and `/metrics` run on the store's own threads, since their handlers call the
/// store and wait for its answer; on Swift's task threads that wait would hold one of the few
/// threads every request needs. The mail servers' `/auth/` endpoints stay where they are: a
/// login decision already waits without holding a thread (``DecisionStore/performing(_:)``).
struct StoreThreadsMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext

    let executor: any TaskExecutor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/auth/") { return try await next(request, context) }
        return try await withTaskExecutorPreference(executor) { try await next(request, context) }
    }
}
