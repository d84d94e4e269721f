$SIRCOMM templates show social-post
