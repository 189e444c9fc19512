"""Notices leaving the app: the outbox of deliveries, the direct messages to an address that is
no user's, the channels (e-mail, SMS gateway) and a person's own address on each."""
