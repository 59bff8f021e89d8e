function __clientpass_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __clientpass_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __clientpass_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __clientpass_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __clientpass_parse_tokens -S
    set -l unparsed_tokens (__clientpass_tokens -pc)
    switch $unparsed_tokens[1]
    case 'clientpass'
        __clientpass_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'login'
            __clientpass_parse_subcommand 0 'store=' 'json' 'server=' 'ca-file=' 'user=' 'password-stdin' 'version' 'h/help'
        case 'logout'
            __clientpass_parse_subcommand 0 'store=' 'json' 'server=' 'ca-file=' 'local' 'version' 'h/help'
        case 'password'
            __clientpass_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'generate'
                __clientpass_parse_subcommand 0 'store=' 'json' 'user=' 'password-stdin' 'server=' 'ca-file=' 'label=' 'protocols=' 'networks=' 'expires=' 'profile=' 'output=' 'version' 'h/help'
            case 'list'
                __clientpass_parse_subcommand 0 'store=' 'json' 'user=' 'password-stdin' 'server=' 'ca-file=' 'version' 'h/help'
            case 'label'
                __clientpass_parse_subcommand 2 'store=' 'json' 'user=' 'password-stdin' 'server=' 'ca-file=' 'version' 'h/help'
            case 'revoke'
                __clientpass_parse_subcommand 1 'store=' 'json' 'user=' 'password-stdin' 'server=' 'ca-file=' 'all' 'yes' 'dry-run' 'version' 'h/help'
            end
        case 'access'
            __clientpass_parse_subcommand 0 'store=' 'json' 'user=' 'password-stdin' 'server=' 'ca-file=' 'version' 'h/help'
        case 'check'
            __clientpass_parse_subcommand 0 'store=' 'json' 'user=' 'protocol=' 'from=' 'via=' 'dry-run' 'version' 'h/help'
        case 'explain'
            __clientpass_parse_subcommand 0 'store=' 'json' 'user=' 'protocol=' 'from=' 'via=' 'app-password=' 'mailbox-password' 'version' 'h/help'
        case 'checkpassword'
            __clientpass_parse_subcommand 1 'store=' 'version' 'h/help'
        case 'serve'
            __clientpass_parse_subcommand 0 'store=' 'listen=' 'shared-secret-file=' 'imap-backend=' 'pop3-backend=' 'smtp-backend=' 'warm-cache-seconds=' 'session-idle-minutes=' 'imap-server=' 'pop3-server=' 'smtp-server=' 'trusted-proxies=' 'public-url=' 'tls-certificate=' 'tls-key=' 'metrics-token-file=' 'metrics-listen=' 'log-level=' 'mail-domain=+' 'profile-signing-certificate=' 'profile-signing-key=' 'profile-signing-chain=' 'config=' 'version' 'h/help'
        case 'config'
            __clientpass_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'check'
                __clientpass_parse_subcommand 1 'json' 'version' 'h/help'
            end
        case 'admin'
            __clientpass_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'init'
                __clientpass_parse_subcommand 0 'store=' 'json' 'group=' 'version' 'h/help'
            case 'account'
                __clientpass_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'add'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'department=' 'password-stdin' 'version' 'h/help'
                case 'import'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'format=' 'skip-invalid' 'allow-weak' 'allow-costly' 'dry-run' 'version' 'h/help'
                case 'list'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'department=' 'version' 'h/help'
                case 'show'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                case 'set'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'department=' 'no-department' 'help-desk' 'no-help-desk' 'version' 'h/help'
                case 'remove'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'yes' 'dry-run' 'version' 'h/help'
                case 'disable'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                case 'enable'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                case 'set-password'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'password-stdin' 'version' 'h/help'
                end
            case 'department'
                __clientpass_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'add'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                case 'list'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'version' 'h/help'
                case 'remove'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                end
            case 'policy'
                __clientpass_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'show'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'version' 'h/help'
                case 'third-party-clients'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                case 'enforce-secure-password'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'scope=' 'department=+' 'account=+' 'add' 'remove' 'version' 'h/help'
                case 'exception'
                    __clientpass_parse_subcommand 0 'version' 'h/help'
                    switch $unparsed_tokens[1]
                    case 'add'
                        __clientpass_parse_subcommand 1 'store=' 'json' 'note=' 'version' 'h/help'
                    case 'remove'
                        __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                    case 'list'
                        __clientpass_parse_subcommand 0 'store=' 'json' 'version' 'h/help'
                    end
                case 'throttling'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'account-failures=' 'address-failures=' 'account-wide-failures=' 'window=' 'version' 'h/help'
                case 'hashing'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'app-password-iterations=' 'app-password-memory=' 'mailbox-password-iterations=' 'mailbox-password-memory=' 'version' 'h/help'
                end
            case 'network'
                __clientpass_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'add'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'note=' 'version' 'h/help'
                case 'list'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'version' 'h/help'
                case 'remove'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                end
            case 'first-party'
                __clientpass_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'add'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'note=' 'version' 'h/help'
                case 'list'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'version' 'h/help'
                case 'remove'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                end
            case 'services'
                __clientpass_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'set'
                    __clientpass_parse_subcommand -r 1 'store=' 'json' 'department=' 'all' 'imap=' 'pop3=' 'smtp=' 'version' 'h/help'
                end
            case 'password'
                __clientpass_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'list'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
                case 'revoke'
                    __clientpass_parse_subcommand 2 'store=' 'json' 'all' 'yes' 'dry-run' 'version' 'h/help'
                case 'issue'
                    __clientpass_parse_subcommand 1 'store=' 'json' 'label=' 'protocols=' 'networks=' 'expires=' 'profile=' 'output=' 'card=' 'version' 'h/help'
                end
            case 'directory'
                __clientpass_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'set'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'url=' 'ca-file=' 'starttls' 'bind-dn=' 'bind-password-file=' 'base-dn=' 'filter=' 'account-attribute=' 'department-attribute=' 'department-from-ou' 'disabled-attribute=' 'max-disable-percent=' 'version' 'h/help'
                case 'show'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'version' 'h/help'
                case 'test'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'version' 'h/help'
                case 'off'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'version' 'h/help'
                case 'sync'
                    __clientpass_parse_subcommand 0 'store=' 'json' 'dry-run' 'yes' 'version' 'h/help'
                end
            case 'reset'
                __clientpass_parse_subcommand 1 'store=' 'json' 'label=' 'mailbox-password-stdin' 'yes' 'dry-run' 'version' 'h/help'
            case 'audit'
                __clientpass_parse_subcommand 0 'store=' 'json' 'account=' 'since=' 'limit=' 'version' 'h/help'
            case 'backup'
                __clientpass_parse_subcommand 1 'store=' 'json' 'version' 'h/help'
            case 'restore'
                __clientpass_parse_subcommand 1 'store=' 'json' 'yes' 'version' 'h/help'
            case 'export'
                __clientpass_parse_subcommand 0 'store=' 'json' 'include-hashes' 'version' 'h/help'
            case 'store'
                __clientpass_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'copy'
                    __clientpass_parse_subcommand 0 'from=' 'to=' 'json' 'version' 'h/help'
                end
            end
        case 'help'
            __clientpass_parse_subcommand -r 1 'version'
        end
    end
end

function __clientpass_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __clientpass_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __clientpass_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __clientpass_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__clientpass_tokens -p)
    if test -z "$(__clientpass_tokens -t)"
        set -l index (count (__clientpass_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'clientpass' -f
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'login' -d 'Sign in to a clientpass server, for the self-service commands on this computer.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'logout' -d 'End the session clientpass login started, on the server and here.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'password' -d 'Generate, list, label and revoke your app passwords.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'access' -d 'Show which services and networks your mail clients may use.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'check' -d 'Decide a login as a mail server would: allow, or deny with the reason.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'explain' -d 'Show every rule of the decision for an account and request, without a secret.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'checkpassword' -d 'Dovecot 2.3 checkpassword passdb: decide a login and exec the reply program.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'serve' -d 'Serve the self-service page and the mail servers\' decision endpoints over HTTP.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'config' -d 'Work with serve\'s configuration file.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'admin' -d 'Create the store and manage accounts and departments.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass login" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass login" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass login" server' -l 'server' -d 'Use this clientpass server (https://…) instead of the store on this host; default: CLIENTPASS_SERVER, else the one clientpass login used.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass login" ca-file' -l 'ca-file' -d 'CA certificates (PEM) to check the server\'s certificate with, instead of the system\'s.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass login" user' -l 'user' -d 'Your account name (asked for when missing).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass login" password-stdin' -l 'password-stdin' -d 'Read the mailbox password from the first line of standard input instead of asking for it.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass login" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass login" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass logout" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass logout" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass logout" server' -l 'server' -d 'Use this clientpass server (https://…) instead of the store on this host; default: CLIENTPASS_SERVER, else the one clientpass login used.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass logout" ca-file' -l 'ca-file' -d 'CA certificates (PEM) to check the server\'s certificate with, instead of the system\'s.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass logout" local' -l 'local' -d 'Delete the token on this computer only, without ending the session on the server.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass logout" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass logout" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass password" -eq 1' -fa 'generate' -d 'Make a new app password and show it once.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass password" -eq 1' -fa 'list' -d 'List your app passwords: id, label, created, last used and limits.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass password" -eq 1' -fa 'label' -d 'Rename one of your app passwords.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass password" -eq 1' -fa 'revoke' -d 'Revoke one of your app passwords, or all of them.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" user' -l 'user' -d 'Your account name, as your mail client logs in (e.g. alice@example.com); with a server, the one clientpass login signed in.' -rfka '(__clientpass_custom_completion ---completion password generate -- --user (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" password-stdin' -l 'password-stdin' -d 'Read the mailbox password from the first line of standard input instead of asking for it.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" server' -l 'server' -d 'Use this clientpass server (https://…) instead of the store on this host; default: CLIENTPASS_SERVER, else the one clientpass login used.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" ca-file' -l 'ca-file' -d 'CA certificates (PEM) to check the server\'s certificate with, instead of the system\'s.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" label' -l 'label' -d 'What it is for, 1–64 characters (e.g. "Outlook on laptop").' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" protocols' -l 'protocols' -d 'Only these protocols, comma-separated: imap, pop3, smtp.' -rfka 'imap pop3 smtp'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" networks' -l 'networks' -d 'Only from these addresses or CIDR ranges, comma-separated.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" expires' -l 'expires' -d 'Stop working after a duration (12h, 90d, 8w) or after a date (YYYY-MM-DD).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" profile' -l 'profile' -d 'Also write a configuration profile with the new password in it: apple (Mail on iPhone, iPad, Mac).' -rfka 'apple'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" output' -l 'output' -d 'Where to write the profile: a new file, mode 0600 (it holds the password).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'mobileconfig\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password generate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password list" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password list" user' -l 'user' -d 'Your account name, as your mail client logs in (e.g. alice@example.com); with a server, the one clientpass login signed in.' -rfka '(__clientpass_custom_completion ---completion password list -- --user (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password list" password-stdin' -l 'password-stdin' -d 'Read the mailbox password from the first line of standard input instead of asking for it.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password list" server' -l 'server' -d 'Use this clientpass server (https://…) instead of the store on this host; default: CLIENTPASS_SERVER, else the one clientpass login used.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password list" ca-file' -l 'ca-file' -d 'CA certificates (PEM) to check the server\'s certificate with, instead of the system\'s.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password list" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password label" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password label" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password label" user' -l 'user' -d 'Your account name, as your mail client logs in (e.g. alice@example.com); with a server, the one clientpass login signed in.' -rfka '(__clientpass_custom_completion ---completion password label -- --user (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password label" password-stdin' -l 'password-stdin' -d 'Read the mailbox password from the first line of standard input instead of asking for it.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password label" server' -l 'server' -d 'Use this clientpass server (https://…) instead of the store on this host; default: CLIENTPASS_SERVER, else the one clientpass login used.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password label" ca-file' -l 'ca-file' -d 'CA certificates (PEM) to check the server\'s certificate with, instead of the system\'s.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password label" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password label" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" user' -l 'user' -d 'Your account name, as your mail client logs in (e.g. alice@example.com); with a server, the one clientpass login signed in.' -rfka '(__clientpass_custom_completion ---completion password revoke -- --user (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" password-stdin' -l 'password-stdin' -d 'Read the mailbox password from the first line of standard input instead of asking for it.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" server' -l 'server' -d 'Use this clientpass server (https://…) instead of the store on this host; default: CLIENTPASS_SERVER, else the one clientpass login used.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" ca-file' -l 'ca-file' -d 'CA certificates (PEM) to check the server\'s certificate with, instead of the system\'s.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" all' -l 'all' -d 'Revoke every app password of the account.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" yes' -l 'yes' -d 'Do it without asking.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" dry-run' -l 'dry-run' -d 'Only show what it would do; change nothing.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass password revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass access" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass access" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass access" user' -l 'user' -d 'Your account name, as your mail client logs in (e.g. alice@example.com); with a server, the one clientpass login signed in.' -rfka '(__clientpass_custom_completion ---completion access -- --user (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass access" password-stdin' -l 'password-stdin' -d 'Read the mailbox password from the first line of standard input instead of asking for it.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass access" server' -l 'server' -d 'Use this clientpass server (https://…) instead of the store on this host; default: CLIENTPASS_SERVER, else the one clientpass login used.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass access" ca-file' -l 'ca-file' -d 'CA certificates (PEM) to check the server\'s certificate with, instead of the system\'s.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass access" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass access" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass check" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass check" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass check" user' -l 'user' -d 'The login name the mail client sends.' -rfka '(__clientpass_custom_completion ---completion check -- --user (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass check" protocol' -l 'protocol' -d 'imap, pop3 or smtp.' -rfka 'imap pop3 smtp'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass check" from' -l 'from' -d 'The client\'s IPv4 or IPv6 address.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass check" via' -l 'via' -d 'The host that connects to the mail server, when it is not the client (a webmail forwarding its user\'s address).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass check" dry-run' -l 'dry-run' -d 'Decide without recording anything: no failure counted, no last use, no audit entry.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass check" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" user' -l 'user' -d 'The login name the mail client sends.' -rfka '(__clientpass_custom_completion ---completion explain -- --user (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" protocol' -l 'protocol' -d 'imap, pop3 or smtp.' -rfka 'imap pop3 smtp'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" from' -l 'from' -d 'The client\'s IPv4 or IPv6 address.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" via' -l 'via' -d 'The host that connects to the mail server, when it is not the client (a webmail forwarding its user\'s address).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" app-password' -l 'app-password' -d 'Explain for the app password with this id only (the one the user\'s device has).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" mailbox-password' -l 'mailbox-password' -d 'Explain for the mailbox password only.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass explain" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass checkpassword" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass checkpassword" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass checkpassword" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" listen' -l 'listen' -d 'Address and port to listen on (default 127.0.0.1:8787).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" shared-secret-file' -l 'shared-secret-file' -d 'File whose first line is the shared secret mail servers must send.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" imap-backend' -l 'imap-backend' -d 'Where nginx sends IMAP after an allow.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" pop3-backend' -l 'pop3-backend' -d 'Where nginx sends POP3 after an allow.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" smtp-backend' -l 'smtp-backend' -d 'Where nginx sends SMTP after an allow.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" warm-cache-seconds' -l 'warm-cache-seconds' -d 'How long an allow is re-used without Argon2id; 0 turns the warm path off (default 300, at most 3600).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" session-idle-minutes' -l 'session-idle-minutes' -d 'Minutes after which an unused self-service session ends (default 15, 1–1440).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" imap-server' -l 'imap-server' -d 'The IMAP server employees type into mail clients, shown with a new app password.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" pop3-server' -l 'pop3-server' -d 'The POP3 server employees type into mail clients.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" smtp-server' -l 'smtp-server' -d 'The SMTP server employees type into mail clients.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" trusted-proxies' -l 'trusted-proxies' -d 'Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated addresses or ranges.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" public-url' -l 'public-url' -d 'The page\'s address as browsers outside reach it, for the links it makes (e.g. https://mail.example.com).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" tls-certificate' -l 'tls-certificate' -d 'Serve HTTPS with this PEM certificate chain (with --tls-key).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-certificate.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" metrics-token-file' -l 'metrics-token-file' -d 'File whose first line is the bearer token GET /metrics asks for.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" metrics-listen' -l 'metrics-listen' -d 'Serve GET /metrics on this address and port only (not on --listen).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" log-level' -l 'log-level' -d 'Log level: trace, debug, info, notice, warning, error, critical (default info).' -rfka 'trace debug info notice warning error critical'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve"' -l 'mail-domain' -d 'A mail domain whose addresses get the mail servers\' settings from Thunderbird\'s autoconfig and Outlook\'s Autodiscover (repeatable).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" profile-signing-certificate' -l 'profile-signing-certificate' -d 'Sign Mail profiles with this PEM certificate (followed by any intermediates; with --profile-signing-key).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" profile-signing-key' -l 'profile-signing-key' -d 'The unencrypted PEM private key of --profile-signing-certificate.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" profile-signing-chain' -l 'profile-signing-chain' -d 'More intermediate certificates (PEM) sent with signed profiles.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" config' -l 'config' -d 'The configuration file (default: $CLIENTPASS_CONFIG, else /etc/clientpass/clientpass.yaml when it exists).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass config" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass config" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass config" -eq 1' -fa 'check' -d 'Validate a configuration file and report every problem with its line.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass config check" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass config check" -eq 1' -F
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass config check" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass config check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'init' -d 'Create a new, empty store.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'account' -d 'Add, list, show, change and remove accounts.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'department' -d 'Add, list and remove departments (the units policy scopes and batch changes select).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'policy' -d 'Show and set the domain policy: third-party clients, secure-password enforcement, exceptions, throttling, hashing.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'network' -d 'Secure logon networks: where mail clients may log in while third-party clients are blocked.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'first-party' -d 'First-party hosts: the company\'s webmail and app gateway, which are not third-party clients.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'services' -d 'Turn IMAP, POP3 and SMTP on or off for accounts.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'password' -d 'Help desk: list, revoke and issue app passwords of any account.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'directory' -d 'Directory mode: accounts from LDAP or Active Directory, mailbox passwords checked by a bind.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'reset' -d 'Help desk: revoke every app password of an account and issue one new one, in one transaction.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'audit' -d 'Show the audit trail, newest first.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'backup' -d 'Copy the whole store into a new file, safely while clientpass is serving.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'restore' -d 'Replace the whole store with a backup.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'export' -d 'Print the policy, accounts and app password metadata as one JSON document.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin" -eq 1' -fa 'store' -d 'Move the whole store between a SQLite file and PostgreSQL.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin init" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin init" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin init" group' -l 'group' -d 'An OS group (a mail server\'s) that may read and write the store.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin init" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account" -eq 1' -fa 'add' -d 'Add an account with its mailbox password.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account" -eq 1' -fa 'import' -d 'Add accounts with the mailbox password hashes the mail server keeps.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account" -eq 1' -fa 'list' -d 'List accounts.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account" -eq 1' -fa 'show' -d 'Show an account: status, services, access and app passwords.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account" -eq 1' -fa 'set' -d 'Move an account to another department, or make it a member of the help desk.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account" -eq 1' -fa 'remove' -d 'Remove an account and all its app passwords.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account" -eq 1' -fa 'disable' -d 'Disable an account: no access at all, from the next login.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account" -eq 1' -fa 'enable' -d 'Enable a disabled account.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account" -eq 1' -fa 'set-password' -d 'Set an account\'s mailbox password (asked twice without echo, or --password-stdin).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account add" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account add" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account add" department' -l 'department' -d 'The department it belongs to (see `admin department add`).' -rfka '(__clientpass_custom_completion ---completion admin account add -- --department (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account add" password-stdin' -l 'password-stdin' -d 'Read the mailbox password from the first line of standard input.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account add" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account import" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account import" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account import" -eq 1' -F
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account import" format' -l 'format' -d 'passwd-file or csv (default: csv for a name ending in .csv, else passwd-file).' -rfka 'passwd-file csv'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account import" skip-invalid' -l 'skip-invalid' -d 'Import the valid lines and list the others, instead of importing nothing.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account import" allow-weak' -l 'allow-weak' -d 'Import plain-text, MD5-crypt, DES-crypt and salted SHA or MD5 ({SSHA512}, {SSHA256}, {SSHA}, {SMD5}) hashes too (flagged until rehashed).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account import" allow-costly' -l 'allow-costly' -d 'Import Argon2 hashes that need more than 128 MiB or 512 MiB-passes to check (up to 256 MiB and 32 passes).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account import" dry-run' -l 'dry-run' -d 'Show what would be imported; change nothing.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account import" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account list" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account list" department' -l 'department' -d 'Only the accounts of this department.' -rfka '(__clientpass_custom_completion ---completion admin account list -- --department (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account list" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account show" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account show" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account show" -eq 1' -fka '(__clientpass_custom_completion ---completion admin account show -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account show" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account set" -eq 1' -fka '(__clientpass_custom_completion ---completion admin account set -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set" department' -l 'department' -d 'The department to move it to.' -rfka '(__clientpass_custom_completion ---completion admin account set -- --department (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set" no-department' -l 'no-department' -d 'Take it out of its department.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set" help-desk' -l 'help-desk' -d 'Make it a member of the help desk, or not (who may issue device passwords on the page).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set" no-help-desk' -l 'no-help-desk' -d 'Make it a member of the help desk, or not (who may issue device passwords on the page).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account remove" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account remove" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account remove" -eq 1' -fka '(__clientpass_custom_completion ---completion admin account remove -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account remove" yes' -l 'yes' -d 'Do it without asking.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account remove" dry-run' -l 'dry-run' -d 'Only show what it would do; change nothing.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account remove" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account disable" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account disable" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account disable" -eq 1' -fka '(__clientpass_custom_completion ---completion admin account disable -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account disable" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account disable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account enable" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account enable" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account enable" -eq 1' -fka '(__clientpass_custom_completion ---completion admin account enable -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account enable" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account enable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set-password" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set-password" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin account set-password" -eq 1' -fka '(__clientpass_custom_completion ---completion admin account set-password -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set-password" password-stdin' -l 'password-stdin' -d 'Read the new mailbox password from the first line of standard input.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set-password" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin account set-password" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin department" -eq 1' -fa 'add' -d 'Add a department.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin department" -eq 1' -fa 'list' -d 'List departments with their number of accounts.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin department" -eq 1' -fa 'remove' -d 'Remove an empty department.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department add" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department add" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department add" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department list" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department list" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department remove" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department remove" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin department remove" -eq 1' -fka '(__clientpass_custom_completion ---completion admin department remove -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department remove" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin department remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy" -eq 1' -fa 'show' -d 'Show the domain policy.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy" -eq 1' -fa 'third-party-clients' -d 'Allow or block third-party mail clients (a new store blocks them).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy" -eq 1' -fa 'enforce-secure-password' -d 'Require app passwords in mail clients: for all members, for selected departments and accounts, or not at all.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy" -eq 1' -fa 'exception' -d 'Accounts that keep their mailbox password in mail clients despite enforcement (a scanner that cannot store a second password).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy" -eq 1' -fa 'throttling' -d 'Set when repeated failures make logins answer `throttled` (default: 10 per account and address, 100 per address, 50 per account from unknown addresses, in 15m).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy" -eq 1' -fa 'hashing' -d 'Set the Argon2id parameters of new hashes, for every process on the store (default and floor: app passwords t=2, 19 MiB; mailbox passwords t=2, 64 MiB).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy show" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy show" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy show" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy third-party-clients" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy third-party-clients" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy third-party-clients" -eq 1' -fka 'allow block'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy third-party-clients" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy third-party-clients" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy enforce-secure-password" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy enforce-secure-password" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy enforce-secure-password" -eq 1' -fka 'on off'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy enforce-secure-password" scope' -l 'scope' -d 'all or selected (with on).' -rfka 'all selected'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy enforce-secure-password"' -l 'department' -d 'A department to enforce for (with --scope selected; repeatable).' -rfka '(__clientpass_custom_completion ---completion admin policy enforce-secure-password -- --department (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy enforce-secure-password"' -l 'account' -d 'An account to enforce for (with --scope selected; repeatable).' -rfka '(__clientpass_custom_completion ---completion admin policy enforce-secure-password -- --account (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy enforce-secure-password" add' -l 'add' -d 'Add the departments and accounts to the current selection instead of replacing it.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy enforce-secure-password" remove' -l 'remove' -d 'Take the departments and accounts out of the current selection.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy enforce-secure-password" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy enforce-secure-password" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy exception" -eq 1' -fa 'add' -d 'Make an account an exception.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy exception" -eq 1' -fa 'remove' -d 'Take an account off the exception list.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy exception" -eq 1' -fa 'list' -d 'List the exceptions.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception add" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception add" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy exception add" -eq 1' -fka '(__clientpass_custom_completion ---completion admin policy exception add -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception add" note' -l 'note' -d 'Why (shown in listings).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception add" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception remove" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception remove" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin policy exception remove" -eq 1' -fka '(__clientpass_custom_completion ---completion admin policy exception remove -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception remove" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception list" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception list" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy exception list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy throttling" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy throttling" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy throttling" account-failures' -l 'account-failures' -d 'Failures of one account from one address.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy throttling" address-failures' -l 'address-failures' -d 'Failures from one address, any account.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy throttling" account-wide-failures' -l 'account-wide-failures' -d 'Failures of one account from all addresses it has never logged in from.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy throttling" window' -l 'window' -d 'The window: 90s, 15m, 2h, 1d.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy throttling" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy throttling" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy hashing" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy hashing" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy hashing" app-password-iterations' -l 'app-password-iterations' -d 'Passes over memory for app passwords (2–1000).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy hashing" app-password-memory' -l 'app-password-memory' -d 'Memory for app passwords, in MiB (19–4096).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy hashing" mailbox-password-iterations' -l 'mailbox-password-iterations' -d 'Passes over memory for mailbox passwords (2–1000).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy hashing" mailbox-password-memory' -l 'mailbox-password-memory' -d 'Memory for mailbox passwords, in MiB (64–4096).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy hashing" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin policy hashing" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin network" -eq 1' -fa 'add' -d 'Add a secure network (an IPv4/IPv6 address or CIDR range).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin network" -eq 1' -fa 'list' -d 'List the secure networks.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin network" -eq 1' -fa 'remove' -d 'Remove a secure network.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network add" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network add" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network add" note' -l 'note' -d 'What it is (e.g. "Head office", "Roundcube").' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network add" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network list" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network list" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network remove" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network remove" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network remove" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin network remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin first-party" -eq 1' -fa 'add' -d 'Add a first-party host (an IPv4/IPv6 address or CIDR range).'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin first-party" -eq 1' -fa 'list' -d 'List the first-party hosts.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin first-party" -eq 1' -fa 'remove' -d 'Remove a first-party host.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party add" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party add" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party add" note' -l 'note' -d 'What it is (e.g. "Head office", "Roundcube").' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party add" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party list" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party list" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party remove" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party remove" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party remove" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin first-party remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin services" -eq 1' -fa 'set' -d 'Set services for accounts, a department or everyone, in one transaction.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services set" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services set" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin services set" -ge 1' -fka '(__clientpass_custom_completion ---completion admin services set -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services set" department' -l 'department' -d 'Every account of this department.' -rfka '(__clientpass_custom_completion ---completion admin services set -- --department (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services set" all' -l 'all' -d 'Every account.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services set" imap' -l 'imap' -d 'on or off.' -rfka 'on off'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services set" pop3' -l 'pop3' -d 'on or off.' -rfka 'on off'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services set" smtp' -l 'smtp' -d 'on or off.' -rfka 'on off'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services set" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin services set" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin password" -eq 1' -fa 'list' -d 'List an account\'s app passwords.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin password" -eq 1' -fa 'revoke' -d 'Revoke one app password of an account, or all of them.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin password" -eq 1' -fa 'issue' -d 'Issue an app password for a device (a scanner, a printer) and print it once.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password list" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password list" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin password list" -eq 1' -fka '(__clientpass_custom_completion ---completion admin password list -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password list" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password revoke" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password revoke" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin password revoke" -eq 1' -fka '(__clientpass_custom_completion ---completion admin password revoke -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password revoke" all' -l 'all' -d 'Revoke every app password of the account.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password revoke" yes' -l 'yes' -d 'Do it without asking.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password revoke" dry-run' -l 'dry-run' -d 'Only show what it would do; change nothing.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password revoke" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin password issue" -eq 1' -fka '(__clientpass_custom_completion ---completion admin password issue -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" label' -l 'label' -d 'What it is for, 1–64 characters (e.g. "Outlook on laptop").' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" protocols' -l 'protocols' -d 'Only these protocols, comma-separated: imap, pop3, smtp.' -rfka 'imap pop3 smtp'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" networks' -l 'networks' -d 'Only from these addresses or CIDR ranges, comma-separated.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" expires' -l 'expires' -d 'Stop working after a duration (12h, 90d, 8w) or after a date (YYYY-MM-DD).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" profile' -l 'profile' -d 'Also write a configuration profile with the new password in it: apple (Mail on iPhone, iPad, Mac).' -rfka 'apple'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" output' -l 'output' -d 'Where to write the profile: a new file, mode 0600 (it holds the password).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'mobileconfig\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" card' -l 'card' -d 'Print a device card (text, or html for printing) instead: the servers, user name, password, limits and whom to ask.' -rfka 'text html'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin password issue" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin directory" -eq 1' -fa 'set' -d 'Turn directory mode on, or change its settings.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin directory" -eq 1' -fa 'show' -d 'Show the directory settings.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin directory" -eq 1' -fa 'test' -d 'Bind as the service account, count the users the filter finds and show three.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin directory" -eq 1' -fa 'off' -d 'Turn directory mode off.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin directory" -eq 1' -fa 'sync' -d 'Bring accounts and departments in line with the directory.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" url' -l 'url' -d 'ldaps://HOST[:PORT], or ldap://HOST[:PORT] with --starttls.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" ca-file' -l 'ca-file' -d 'CA certificates (PEM) that sign the directory\'s certificate.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" starttls' -l 'starttls' -d 'Upgrade an ldap:// connection with StartTLS.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" bind-dn' -l 'bind-dn' -d 'The service account\'s DN.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" bind-password-file' -l 'bind-password-file' -d 'A file whose first line is the service account\'s password.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" base-dn' -l 'base-dn' -d 'Where users are searched (the whole subtree).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" filter' -l 'filter' -d 'The LDAP filter of users.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" account-attribute' -l 'account-attribute' -d 'The attribute whose value is the account name (mail, userPrincipalName, uid…).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" department-attribute' -l 'department-attribute' -d 'The attribute whose value is the department.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" department-from-ou' -l 'department-from-ou' -d 'The department is the user\'s nearest OU.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" disabled-attribute' -l 'disabled-attribute' -d 'The attribute that marks a disabled user (present and not FALSE or 0).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" max-disable-percent' -l 'max-disable-percent' -d 'Stop a sync that would disable more than this share of accounts (percent).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory set" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory show" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory show" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory show" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory test" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory test" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory test" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory test" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory off" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory off" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory off" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory off" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory sync" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory sync" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory sync" dry-run' -l 'dry-run' -d 'Show what would change; change nothing.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory sync" yes' -l 'yes' -d 'Disable however many accounts the directory says.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory sync" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin directory sync" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin reset" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin reset" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin reset" -eq 1' -fka '(__clientpass_custom_completion ---completion admin reset -- positional@0 (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin reset" label' -l 'label' -d 'The new app password\'s label.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin reset" mailbox-password-stdin' -l 'mailbox-password-stdin' -d 'Also set a new mailbox password, read from the first line of standard input.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin reset" yes' -l 'yes' -d 'Do it without asking.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin reset" dry-run' -l 'dry-run' -d 'Only show what it would do; change nothing.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin reset" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin reset" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin audit" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin audit" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin audit" account' -l 'account' -d 'Only entries about this account.' -rfka '(__clientpass_custom_completion ---completion admin audit -- --account (count (__clientpass_tokens -pc)) (__clientpass_tokens -tC))'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin audit" since' -l 'since' -d 'Only entries since then: a duration back from now (90m, 24h, 7d) or a date (YYYY-MM-DD, local midnight).' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin audit" limit' -l 'limit' -d 'At most this many entries.' -rfka ''
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin audit" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin audit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin backup" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin backup" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin backup" -eq 1' -F
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin backup" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin backup" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin restore" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin restore" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin restore" -eq 1' -F
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin restore" yes' -l 'yes' -d 'Replace the store; without it, only check the backup.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin restore" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin restore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin export" store' -l 'store' -d 'The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else /var/lib/clientpass/clientpass.sqlite).' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin export" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin export" include-hashes' -l 'include-hashes' -d 'Include the Argon2id hashes and selectors.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin export" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin store" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin store" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_positional "clientpass admin store" -eq 1' -fa 'copy' -d 'Copy a whole store into a new one: SQLite to PostgreSQL, or back.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin store copy" from' -l 'from' -d 'The store to copy: a SQLite file or a PostgreSQL URL.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin store copy" to' -l 'to' -d 'The new store: a SQLite path that does not exist, or an empty PostgreSQL database.' -rF
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin store copy" json' -l 'json' -d 'Print one JSON document on standard output instead of text.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin store copy" version' -l 'version' -d 'Show the version.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass admin store copy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clientpass' -n '__clientpass_should_offer_completions_for_flags_or_options "clientpass help" version' -l 'version' -d 'Show the version.'
