import ClientPassCore

/// What the command line adds to the core's errors: the command to run about them. The core
/// says what happened; the page says what to do in its own words (see the page's handlers).
enum CommandLineAdvice {
    /// The error's message followed by the command-line advice for it, or `nil` when the core's
    /// words are all there is to say.
    static func message(for error: any Error) -> String? {
        switch error {
        case let error as StoreError:
            guard case .store(let path)? = error.file else {
                return error.kind == .notABackup ? "\(error): restore from a file made by `clientpass admin backup`" : nil
            }
            switch error.kind {
            case .missing:
                return "\(error): create one with `clientpass admin init --store \(path)`, or point --store or CLIENTPASS_STORE at an existing one"
            case .exists:
                return "\(error) (remove it first to start over, or use another --store path)"
            case .notWritable:
                return "\(error): run as its owner or as a member of its group (see `clientpass admin init --group`)"
            case .notAStore:
                return "\(error): point --store at a store made by `clientpass admin init`"
            default:
                return nil
            }
        case let error as AccountError:
            switch error.kind {
            case .unknownAccount where error.suggestion == nil && error.name != nil:
                return "\(error); `clientpass admin account list` shows the accounts"
            case .unknownDepartment where error.suggestion == nil:
                return "\(error); `clientpass admin department list` shows the departments, `admin department add` makes one"
            case .departmentInUse where error.members != nil:
                return
                    "\(error); move them first (`clientpass admin account list --department \(error.name ?? "NAME")`, then `clientpass admin account set ACCOUNT --department OTHER` or `--no-department`)"
            default:
                return nil
            }
        case let error as CredentialError where error.kind == .limitReached:
            return
                "\(error); revoke one it no longer uses (`clientpass password revoke` or `clientpass admin password revoke \(error.account ?? "ACCOUNT") ID`) and try again"
        default:
            return nil
        }
    }
}
