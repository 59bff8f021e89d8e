import ClientPassCore
import ClientPassEdge
import ClientPassPostgreSQL
import Foundation

/// What `config check` finds beyond the file's text: files the web layer reads (TLS, profile
/// signing) and the store, reached.
extension ConfigFile {
    /// Problems only the machine can show: a shared secret file, TLS or profile signing files
    /// that cannot be used, a missing store.
    public func checkFiles() -> [Problem] {
        var problems: [Problem] = []
        if let sharedSecretFile {
            do { _ = try SharedSecret(contentsOfFile: sharedSecretFile) } catch {
                problems.append(Problem(line: lines["shared_secret_file"], message: "shared_secret_file: \(error)"))
            }
        }
        if let metricsTokenFile {
            do { _ = try SharedSecret(contentsOfFile: metricsTokenFile, what: "metrics token") } catch {
                problems.append(Problem(line: lines["metrics_token_file"], message: "metrics_token_file: \(error)"))
            }
        }
        if let tlsCertificate, let tlsKey {
            do { _ = try ServeConfiguration.loadTLS(certificate: tlsCertificate, key: tlsKey) } catch {
                problems.append(Problem(line: lines["tls"], message: "tls: \(error)"))
            }
        }
        if let profileSigning {
            do { _ = try profileSigning.load() } catch {
                problems.append(Problem(line: lines["profile_signing"], message: "profile_signing: \(error)"))
            }
        }
        if let store {
            // A PostgreSQL URL is also reached: read only, within 3 seconds, without migrating.
            do {
                if let problem = try StoreLocation(parsing: store).problem(timeout: 3) {
                    problems.append(Problem(line: lines["store"], message: "store: \(problem)"))
                }
            } catch {
                problems.append(Problem(line: lines["store"], message: "store: \(error)"))
            }
        }
        return problems
    }
}
