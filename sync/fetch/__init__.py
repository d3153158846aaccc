"""Getting a feed's bytes: local files and HTTP(S) within a hard deadline and a size cap, and the
optional HMAC signature check."""
