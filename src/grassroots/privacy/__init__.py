"""Personal data kept out of sight: the registry of encrypted columns that key rotation walks,
and the log filter that masks personal data in every log line."""
