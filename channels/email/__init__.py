"""Email channel: SMTP in (aiosmtpd), SMTP relay or Maildir out."""
