# bash completion for iovbench, installed by the build into
# share/bash-completion/completions/iovbench. The commands, verbs and
# options come from the binary's own --help at completion time, so this
# file never needs to follow the code.
_iovbench()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd="" i words
	local iov=${COMP_WORDS[0]}

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done
	if [ -z "$cmd" ]; then
		words=$("$iov" --help 2>/dev/null |
			sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
		case $cur in
		-*) words="-v -q --help" ;;
		esac
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	case $cur in
	-*)
		# "  -r, --rate RATE  ..." and "      --csv  ..."
		words=$("$iov" help "$cmd" 2>/dev/null |
			grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' |
			grep -oE -- '--[a-z][a-z0-9-]*')
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		;;
	*)
		# verbs ("up", "down", ...) right after the command, else files
		words=$("$iov" help "$cmd" 2>/dev/null |
			sed -n "s/^ *\\(usage: \\)\\{0,1\\}iovbench $cmd \\([a-z][a-z]*\\).*/\\2/p" |
			sort -u)
		if [ -n "$words" ] && [ "${COMP_WORDS[COMP_CWORD-1]}" = "$cmd" ]; then
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		;;
	esac
}
complete -o filenames -F _iovbench iovbench
