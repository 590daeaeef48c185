# tb shell completion, generated from the command tree by `tb completions fish`: do not edit.
complete -c tb -f
complete -c tb -n '__fish_use_subcommand' -a 'completions' -d 'Print the shell completion script for bash, zsh or fish'
complete -c tb -n '__fish_use_subcommand' -a 'platform:start' -d 'Start the embedded platform (the CLI also starts it on demand)'
complete -c tb -n '__fish_use_subcommand' -a 'platform:status' -d 'Show whether the embedded platform runs: pid, ports, uptime, data dir, apps'
complete -c tb -n '__fish_use_subcommand' -a 'platform:stop' -d 'Stop the embedded platform and every dyno it runs'
complete -c tb -n '__fish_use_subcommand' -a 'version' -d 'Show the tb version'
complete -c tb -n '__fish_seen_subcommand_from completions' -l help
complete -c tb -n '__fish_seen_subcommand_from completions' -l shell
complete -c tb -n '__fish_seen_subcommand_from platform:start' -l foreground
complete -c tb -n '__fish_seen_subcommand_from platform:start' -l help
complete -c tb -n '__fish_seen_subcommand_from platform:start' -l port
complete -c tb -n '__fish_seen_subcommand_from platform:status' -l help
complete -c tb -n '__fish_seen_subcommand_from platform:status' -l json
complete -c tb -n '__fish_seen_subcommand_from platform:stop' -l help
complete -c tb -n '__fish_seen_subcommand_from version' -l help
complete -c tb -n '__fish_seen_subcommand_from version' -l json
