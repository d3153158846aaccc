"""The HQ database: models, opening and migrating it, and the reads and writes the views use."""
