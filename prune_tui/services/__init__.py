"""The application's work over the store: review, import, evidence, bulk decisions,
removals, nurture, invitations. No Textual, no SQL (every statement lives in store/)."""
