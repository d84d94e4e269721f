# Ten thousand nested elements: an error with a line, never a crash.
python3 -c "
print('<incident id=\"X\" version=\"1\"><title>' + '<b>' * 10000 + 'x' + '</b>' * 10000 + '</title></incident>')" > "$TMPDIR_CASE/r.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check r.xml
