"""The exports, one module per format family: plain text (md, csv, urls) and the HTML
checklist; the JSON backup is written by services/backup.py."""
