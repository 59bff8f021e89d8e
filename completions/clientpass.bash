#!/bin/bash

__clientpass_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__clientpass_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__clientpass_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__clientpass_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_clientpass() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    login|logout|password|access|check|explain|checkpassword|serve|config|admin|help)
        # Offer subcommand argument completions
        "_clientpass_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'login logout password access check explain checkpassword serve config admin help' -- "${cur}"))
        ;;
    esac
}

_clientpass_login() {
    repeating_flags=()
    non_repeating_flags=(--json --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --server --ca-file --user)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __clientpass_add_completions -f
        return
        ;;
    '--user')
        return
        ;;
    esac
}

_clientpass_logout() {
    repeating_flags=()
    non_repeating_flags=(--json --local --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --server --ca-file)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_password() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    generate|list|label|revoke)
        # Offer subcommand argument completions
        "_clientpass_password_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'generate list label revoke' -- "${cur}"))
        ;;
    esac
}

_clientpass_password_generate() {
    repeating_flags=()
    non_repeating_flags=(--json --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --user --server --ca-file --label --protocols --networks --expires --profile --output)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--user')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion password generate -- --user "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __clientpass_add_completions -f
        return
        ;;
    '--label')
        return
        ;;
    '--protocols')
        __clientpass_add_completions -W 'imap'$'\n''pop3'$'\n''smtp'
        return
        ;;
    '--networks')
        return
        ;;
    '--expires')
        return
        ;;
    '--profile')
        __clientpass_add_completions -W 'apple'
        return
        ;;
    '--output')
        __clientpass_add_completions -o plusdirs -fX '!*.@(mobileconfig)'
        return
        ;;
    esac
}

_clientpass_password_list() {
    repeating_flags=()
    non_repeating_flags=(--json --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --user --server --ca-file)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--user')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion password list -- --user "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_password_label() {
    repeating_flags=()
    non_repeating_flags=(--json --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --user --server --ca-file)
    __clientpass_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--user')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion password label -- --user "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_password_revoke() {
    repeating_flags=()
    non_repeating_flags=(--json --password-stdin --all --yes --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --user --server --ca-file)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--user')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion password revoke -- --user "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_access() {
    repeating_flags=()
    non_repeating_flags=(--json --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --user --server --ca-file)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--user')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion access -- --user "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--server')
        return
        ;;
    '--ca-file')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_check() {
    repeating_flags=()
    non_repeating_flags=(--json --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --user --protocol --from --via)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--user')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion check -- --user "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--protocol')
        __clientpass_add_completions -W 'imap'$'\n''pop3'$'\n''smtp'
        return
        ;;
    '--from')
        return
        ;;
    '--via')
        return
        ;;
    esac
}

_clientpass_explain() {
    repeating_flags=()
    non_repeating_flags=(--json --mailbox-password --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --user --protocol --from --via --app-password)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--user')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion explain -- --user "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--protocol')
        __clientpass_add_completions -W 'imap'$'\n''pop3'$'\n''smtp'
        return
        ;;
    '--from')
        return
        ;;
    '--via')
        return
        ;;
    '--app-password')
        return
        ;;
    esac
}

_clientpass_checkpassword() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_serve() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--mail-domain)
    non_repeating_options=(--store --listen --shared-secret-file --imap-backend --pop3-backend --smtp-backend --warm-cache-seconds --session-idle-minutes --imap-server --pop3-server --smtp-server --trusted-proxies --public-url --tls-certificate --tls-key --metrics-token-file --metrics-listen --log-level --profile-signing-certificate --profile-signing-key --profile-signing-chain --config)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--listen')
        return
        ;;
    '--shared-secret-file')
        __clientpass_add_completions -f
        return
        ;;
    '--imap-backend')
        return
        ;;
    '--pop3-backend')
        return
        ;;
    '--smtp-backend')
        return
        ;;
    '--warm-cache-seconds')
        return
        ;;
    '--session-idle-minutes')
        return
        ;;
    '--imap-server')
        return
        ;;
    '--pop3-server')
        return
        ;;
    '--smtp-server')
        return
        ;;
    '--trusted-proxies')
        return
        ;;
    '--public-url')
        return
        ;;
    '--tls-certificate')
        __clientpass_add_completions -f
        return
        ;;
    '--tls-key')
        __clientpass_add_completions -f
        return
        ;;
    '--metrics-token-file')
        __clientpass_add_completions -f
        return
        ;;
    '--metrics-listen')
        return
        ;;
    '--log-level')
        __clientpass_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--mail-domain')
        return
        ;;
    '--profile-signing-certificate')
        __clientpass_add_completions -f
        return
        ;;
    '--profile-signing-key')
        __clientpass_add_completions -f
        return
        ;;
    '--profile-signing-chain')
        __clientpass_add_completions -f
        return
        ;;
    '--config')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_config() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    check)
        # Offer subcommand argument completions
        "_clientpass_config_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'check' -- "${cur}"))
        ;;
    esac
}

_clientpass_config_check() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|account|department|policy|network|first-party|services|password|directory|reset|audit|backup|restore|export|store)
        # Offer subcommand argument completions
        "_clientpass_admin_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init account department policy network first-party services password directory reset audit backup restore export store' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_init() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --group)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--group')
        return
        ;;
    esac
}

_clientpass_admin_account() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|import|list|show|set|remove|disable|enable|set-password)
        # Offer subcommand argument completions
        "_clientpass_admin_account_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add import list show set remove disable enable set-password' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_account_add() {
    repeating_flags=()
    non_repeating_flags=(--json --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --department)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--department')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin account add -- --department "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_account_import() {
    repeating_flags=()
    non_repeating_flags=(--json --skip-invalid --allow-weak --allow-costly --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --format)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--format')
        __clientpass_add_completions -W 'passwd-file'$'\n''csv'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_account_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --department)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--department')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin account list -- --department "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_account_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin account show -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_account_set() {
    repeating_flags=()
    non_repeating_flags=(--json --no-department --help-desk --no-help-desk --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --department)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--department')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin account set -- --department "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin account set -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_account_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --yes --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin account remove -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_account_disable() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin account disable -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_account_enable() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin account enable -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_account_set-password() {
    repeating_flags=()
    non_repeating_flags=(--json --password-stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin account set-password -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_department() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove)
        # Offer subcommand argument completions
        "_clientpass_admin_department_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_department_add() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_department_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_department_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin department remove -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_policy() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    show|third-party-clients|enforce-secure-password|exception|throttling|hashing)
        # Offer subcommand argument completions
        "_clientpass_admin_policy_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'show third-party-clients enforce-secure-password exception throttling hashing' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_policy_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_policy_third-party-clients() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W 'allow'$'\n''block'
        return
        ;;
    esac
}

_clientpass_admin_policy_enforce-secure-password() {
    repeating_flags=()
    non_repeating_flags=(--json --add --remove --version -h --help)
    repeating_options=(--department --account)
    non_repeating_options=(--store --scope)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--scope')
        __clientpass_add_completions -W 'all'$'\n''selected'
        return
        ;;
    '--department')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin policy enforce-secure-password -- --department "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--account')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin policy enforce-secure-password -- --account "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W 'on'$'\n''off'
        return
        ;;
    esac
}

_clientpass_admin_policy_exception() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|remove|list)
        # Offer subcommand argument completions
        "_clientpass_admin_policy_exception_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add remove list' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_policy_exception_add() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --note)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--note')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin policy exception add -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_policy_exception_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin policy exception remove -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_policy_exception_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_policy_throttling() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --account-failures --address-failures --account-wide-failures --window)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--account-failures')
        return
        ;;
    '--address-failures')
        return
        ;;
    '--account-wide-failures')
        return
        ;;
    '--window')
        return
        ;;
    esac
}

_clientpass_admin_policy_hashing() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --app-password-iterations --app-password-memory --mailbox-password-iterations --mailbox-password-memory)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--app-password-iterations')
        return
        ;;
    '--app-password-memory')
        return
        ;;
    '--mailbox-password-iterations')
        return
        ;;
    '--mailbox-password-memory')
        return
        ;;
    esac
}

_clientpass_admin_network() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove)
        # Offer subcommand argument completions
        "_clientpass_admin_network_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_network_add() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --note)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--note')
        return
        ;;
    esac
}

_clientpass_admin_network_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_network_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_first-party() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list|remove)
        # Offer subcommand argument completions
        "_clientpass_admin_first-party_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list remove' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_first-party_add() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --note)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--note')
        return
        ;;
    esac
}

_clientpass_admin_first-party_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_first-party_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_services() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    set)
        # Offer subcommand argument completions
        "_clientpass_admin_services_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'set' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_services_set() {
    repeating_flags=()
    non_repeating_flags=(--json --all --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --department --imap --pop3 --smtp)
    __clientpass_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--department')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin services set -- --department "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--imap')
        __clientpass_add_completions -W 'on'$'\n''off'
        return
        ;;
    '--pop3')
        __clientpass_add_completions -W 'on'$'\n''off'
        return
        ;;
    '--smtp')
        __clientpass_add_completions -W 'on'$'\n''off'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin services set -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_password() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|revoke|issue)
        # Offer subcommand argument completions
        "_clientpass_admin_password_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list revoke issue' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_password_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin password list -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_password_revoke() {
    repeating_flags=()
    non_repeating_flags=(--json --all --yes --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin password revoke -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_password_issue() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --label --protocols --networks --expires --profile --output --card)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--label')
        return
        ;;
    '--protocols')
        __clientpass_add_completions -W 'imap'$'\n''pop3'$'\n''smtp'
        return
        ;;
    '--networks')
        return
        ;;
    '--expires')
        return
        ;;
    '--profile')
        __clientpass_add_completions -W 'apple'
        return
        ;;
    '--output')
        __clientpass_add_completions -o plusdirs -fX '!*.@(mobileconfig)'
        return
        ;;
    '--card')
        __clientpass_add_completions -W 'text'$'\n''html'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin password issue -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_directory() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    set|show|test|off|sync)
        # Offer subcommand argument completions
        "_clientpass_admin_directory_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'set show test off sync' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_directory_set() {
    repeating_flags=()
    non_repeating_flags=(--json --starttls --department-from-ou --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --url --ca-file --bind-dn --bind-password-file --base-dn --filter --account-attribute --department-attribute --disabled-attribute --max-disable-percent)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--url')
        return
        ;;
    '--ca-file')
        __clientpass_add_completions -f
        return
        ;;
    '--bind-dn')
        return
        ;;
    '--bind-password-file')
        __clientpass_add_completions -f
        return
        ;;
    '--base-dn')
        return
        ;;
    '--filter')
        return
        ;;
    '--account-attribute')
        return
        ;;
    '--department-attribute')
        return
        ;;
    '--disabled-attribute')
        return
        ;;
    '--max-disable-percent')
        return
        ;;
    esac
}

_clientpass_admin_directory_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_directory_test() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_directory_off() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_directory_sync() {
    repeating_flags=()
    non_repeating_flags=(--json --dry-run --yes --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_reset() {
    repeating_flags=()
    non_repeating_flags=(--json --mailbox-password-stdin --yes --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --label)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--label')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin reset -- positional@0 "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_clientpass_admin_audit() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --account --since --limit)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    '--account')
        __clientpass_add_completions -W "$(__clientpass_custom_complete ---completion admin audit -- --account "${COMP_CWORD}" "$(__clientpass_cursor_index_in_current_word)")"
        return
        ;;
    '--since')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_clientpass_admin_backup() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_restore() {
    repeating_flags=()
    non_repeating_flags=(--json --yes --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_export() {
    repeating_flags=()
    non_repeating_flags=(--json --include-hashes --version -h --help)
    repeating_options=()
    non_repeating_options=(--store)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_admin_store() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    copy)
        # Offer subcommand argument completions
        "_clientpass_admin_store_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'copy' -- "${cur}"))
        ;;
    esac
}

_clientpass_admin_store_copy() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--from --to)
    __clientpass_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--from')
        __clientpass_add_completions -f
        return
        ;;
    '--to')
        __clientpass_add_completions -f
        return
        ;;
    esac
}

_clientpass_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __clientpass_offer_flags_options -1
}

complete -o filenames -F _clientpass clientpass
