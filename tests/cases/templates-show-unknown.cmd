$SIRCOMM templates show nope
