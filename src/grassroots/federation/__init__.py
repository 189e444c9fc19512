"""信息联通: joint cases between deployments (issue 19, docs/federation.md).

Each deployment has its own Ed25519 key pair (the private key sealed at rest); partner
counties are registered with their public key exchanged out of band. A joint case, a
message, a session, a status change or a meeting invitation crosses as a signed, versioned
JSON document through a durable outbox; the receiver verifies, stores and applies it to its
own copy of the case. Each side keeps its own authoritative copy and timeline.
"""
