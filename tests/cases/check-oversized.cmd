# A file over the 4 MiB cap is refused before parsing.
{ echo '<incident id="X" version="1"><title>'; head -c 4300000 /dev/zero | tr '\0' 'a'; echo '</title></incident>'; } > "$TMPDIR_CASE/big.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check big.xml
