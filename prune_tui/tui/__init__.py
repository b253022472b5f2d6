"""The terminal app (Textual). Everything here talks to the data through `services.review`."""
