"""What the station keeps: the database, numbers, identity numbers, the audit trail, the outbox,
the PDF archive, the signed QR."""
