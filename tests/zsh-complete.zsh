# zsh-complete.zsh FPATHDIR BINDIR LINE...: types each LINE and two Tabs
# into an interactive zsh (on a pseudo-terminal, zsh/zpty) whose
# completion has _sircomm from FPATHDIR and sircomm from BINDIR, and
# prints "LINE => " and the words zsh showed, escape sequences removed.
#
# One zsh serves every line.  After each, the line is erased (^U) and a
# command prints a marker: its output says zsh has shown everything the
# Tabs produced, so the script waits exactly that long, not for a pause
# of a guessed length.
zmodload zsh/zpty
dir=$1 bin=$2
shift 2
# Reads what the terminal shows until the marker's output (the line as
# typed shows @@DO''NE@@, the output @@DONE@@), or for 30 s at most.
until_marker() {
	local chunk tries=0
	out=
	while [[ $out != *@@DONE@@* ]] && (( tries < 600 )); do
		if zpty -r -t z chunk; then
			out+=$chunk
		else
			sleep 0.05
			(( tries++ ))
		fi
	done
}
zpty -b z 'TERM=dumb zsh -f -i'
zpty -w z "PS1='> '; fpath=($dir \$fpath); path=($bin \$path); autoload -Uz compinit; compinit -u -D; setopt nolistbeep; LISTMAX=0; print -r -- @@DO''NE@@"
until_marker
for line in "$@"; do
	zpty -n -w z "$line"$'\t\t'
	zpty -w z $'\x15'"print -r -- @@DO''NE@@"
	until_marker
	out=${out%%@@DONE@@*}
	out=${out//\@\@DO\'\'NE\@\@/ }
	out=${out//$'\e'\[[0-9;?]#[A-Za-z]/ }
	out=${out//$'\r'/ }
	print -r -- "$line => ${(j: :)${(u)=out}}"
done
zpty -d z
