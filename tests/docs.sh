#!/bin/sh
# docs.sh SIRCOMM BUILDDIR: the manual pages and completion scripts the
# build generated from the command table.
#
#   - every command in `sircomm help` has its page (meson.build lists
#     them: a command added to the table and not there fails here), and
#     groff reads each page without a warning (-ww);
#   - bash completion, driven as bash drives it (COMP_WORDS, COMP_CWORD):
#     commands, options, formats, --color, draft's --only list, the
#     templates subcommands and names, severities;
#   - the values asked of sircomm at completion time follow the policy
#     in effect (--policy);
#   - zsh completion, typed into an interactive zsh on a pseudo-terminal
#     (tests/zsh-complete.zsh): formats, --color, subcommands, --only
#     (skipped where zsh is missing).
set -u
SIRCOMM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
build=$2
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Pages: one per command of the table, and sircomm(1).
cmds=$("$SIRCOMM" help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
[ -n "$cmds" ] || bad "no commands read from sircomm help"
for page in sircomm $(for c in $cmds; do echo "sircomm-$c"; done); do
	f="$build/$page.1"
	if [ ! -s "$f" ]; then
		bad "$page.1 is missing: add the command to man_commands in meson.build"
		continue
	fi
	w=$(groff -man -ww -z "$f" 2>&1)
	[ -z "$w" ] && ok "$page.1 reads without warnings" || bad "$page.1: $w"
done
grep -q 'SIRCOMM_KEY_PASSWORD_FILE' "$build/sircomm-keygen.1" &&
	grep -q '\\-\\-unencrypted' "$build/sircomm-keygen.1" &&
	ok "sircomm-keygen.1 has the options and environment" ||
	bad "sircomm-keygen.1 lacks --unencrypted or SIRCOMM_KEY_PASSWORD_FILE"
"$SIRCOMM" help --man audit | cmp -s - "$build/sircomm-audit.1" &&
	ok "the installed page is sircomm help --man's" || bad "sircomm-audit.1 differs from help --man"

# bash: complete LINE (the last word is the one completed; a trailing
# space starts an empty one) and print the candidates, sorted.
complete_bash() {
	bash -c '
		. "$1"
		line=$2
		read -r -a COMP_WORDS <<< "$line"
		[ "${line% }" != "$line" ] && COMP_WORDS+=("")
		COMP_WORDS[0]=$3
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_sircomm
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
	' sh "$build/sircomm.bash" "$1" "$SIRCOMM"
}
expect() {
	got=$(complete_bash "$1")
	[ "$got" = "$2" ] && ok "bash: '$1' -> $2" || bad "bash: '$1' gave '$got', expected '$2'"
}
expect "sircomm au" "audit "
expect "sircomm st" "status "
expect "sircomm --v" "--version "
expect "sircomm audit --fo" "--format "
expect "sircomm audit --format " "csv html json jsonl md text "
expect "sircomm audit --format j" "json jsonl "
expect "sircomm status --format " "json text "
expect "sircomm status --color " "always auto never "
expect "sircomm audit --ver" "--verbose "
expect "sircomm draft --only customer-email,so" "customer-email,social-post "
expect "sircomm new --severity " "S1 S2 S3 S4 "
expect "sircomm templates " "export list show vars "
expect "sircomm templates show blog" "blog-page.html blog-post.md "
expect "sircomm completion --values " "artifacts events groups templates "
expect "sircomm completion " "bash zsh "
expect "sircomm help sta" "status "
expect "sircomm log incident.xml ap" "approved "
expect "sircomm log incident.xml deployed --group le" "legal "

# Values from the policy in effect.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/id="devrel"/id="developer-relations"/; s/group="devrel"/group="developer-relations"/g' \
	policy/policy.xml > "$tmp/p.xml"
a=$("$SIRCOMM" completion --values groups | grep -c '^devrel$')
b=$("$SIRCOMM" completion --values groups --policy "$tmp/p.xml" | grep -c '^developer-relations$')
[ "$a" = 1 ] && [ "$b" = 1 ] && ok "groups follow --policy" || bad "groups: built-in $a, custom $b"
n=$("$SIRCOMM" completion --values events | wc -l)
"$SIRCOMM" completion --values events | grep -qx review-requested && [ "$n" -ge 16 ] &&
	ok "event types: $n" || bad "event types: $n"
"$SIRCOMM" completion --values artifacts | grep -qx customer-email &&
	ok "artifacts" || bad "artifacts"

if command -v zsh >/dev/null 2>&1; then
	zsh -n "$build/_sircomm" && ok "zsh script parses" || bad "zsh -n _sircomm"
	# Completion in an interactive zsh, as a person gets it.
	mkdir "$tmp/zfunc" && cp "$build/_sircomm" "$tmp/zfunc/"
	zsh -f tests/zsh-complete.zsh "$tmp/zfunc" "$(dirname "$SIRCOMM")" \
		'sircomm audit --format ' 'sircomm status --color ' 'sircomm templates ' \
		'sircomm draft --only ' 'sircomm log incident.xml deployed --group ' \
		'sircomm log incident.xml ' > "$tmp/zsh.out" 2>&1
	zexpect() {
		line=$(grep -F -- "$1 =>" "$tmp/zsh.out")
		missing=
		for w in $2; do
			case " $line " in *" $w "*) ;; *) missing="$missing $w" ;; esac
		done
		[ -z "$missing" ] && ok "zsh: '$1' -> $2" || bad "zsh: '$1' lacks$missing: $line"
	}
	zexpect "sircomm audit --format " "csv html json jsonl md text"
	zexpect "sircomm status --color " "always auto never"
	zexpect "sircomm templates " "export list show vars"
	zexpect "sircomm draft --only " "customer-email social-post comms-doc"
	zexpect "sircomm log incident.xml deployed --group " "legal security external-comms"
	zexpect "sircomm log incident.xml " "approved deployed backup-engaged informed"
else
	echo "SKIP: zsh is not installed"
fi

[ "$fails" = 0 ] && echo "all docs checks passed" || echo "$fails docs checks failed"
[ "$fails" = 0 ]
