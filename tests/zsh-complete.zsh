# zsh-complete.zsh FPATHDIR BINDIR LINE...: types each LINE and two Tabs
# into an interactive zsh (on a pseudo-terminal, zsh/zpty) whose
# completion has _sircomm from FPATHDIR and sircomm from BINDIR, and
# prints "LINE => " and the words zsh showed, escape sequences removed.
zmodload zsh/zpty
dir=$1 bin=$2
shift 2
# Reads what the terminal shows until it has been quiet for a while.
drain() {
	local chunk quiet=0 tries=0
	out=
	while (( quiet < 4 && tries < 60 )); do
		if zpty -r -t z chunk; then
			out+=$chunk
			quiet=0
		else
			sleep 0.15
			(( quiet++ ))
		fi
		(( tries++ ))
	done
}
for line in "$@"; do
	zpty -b z 'TERM=dumb zsh -f -i'
	zpty -w z "PS1='> '; fpath=($dir \$fpath); path=($bin \$path); autoload -Uz compinit; compinit -u -D; setopt nolistbeep; LISTMAX=0"
	drain
	zpty -n -w z "$line"$'\t\t'
	drain
	zpty -d z
	out=${out//$'\e'\[[0-9;?]#[A-Za-z]/ }
	out=${out//$'\r'/ }
	print -r -- "$line => ${(j: :)${(u)=out}}"
done
