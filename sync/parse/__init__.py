"""From feed bytes to validated rows: decoding, CSV and JSON records, field readers, the kinds'
schemas, and `feed.parse_feed`, which streams good rows in batches and reports bad ones."""
