"""Fulfilment: from entitlement to payment. Applications and proactive awards, county review, city
approval with a frozen decision, payment batches released by finance into an append-only ledger, and a
hash-chained audit trail. Every transition is one named function taking the acting user."""
